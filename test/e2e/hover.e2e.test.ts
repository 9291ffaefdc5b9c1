// In the browser: hover a citation key in the fixture review and read what the hover widget shows.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { type CodeServer, type Workbench, hoverAt, openFile, openWorkbench, readHover, screenshot, startCodeServer } from './harness';

describe('citation hover in the workbench', function () {
  this.timeout(120_000);
  let server: CodeServer;
  let workbench: Workbench;
  let page: Page;

  before(async () => {
    server = await startCodeServer({ workspace: 'test/fixtures/workspace' });
    workbench = await openWorkbench(server);
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `hover-failed-${this.currentTest.title}`);
  });

  it('shows title, authors, year, links, the note and usage for a key in a Pandoc group', async () => {
    await openFile(page, 'review.md');
    // The index fills in after activation; retry until our hover (not only the editor's own) is there.
    let text = '';
    for (let attempt = 0; attempt < 10 && !text.includes('Toy Models of Superposition'); attempt++) {
      await hoverAt(page, 'elhage2022toy');
      text = await readHover(page);
      if (!text.includes('Toy Models of Superposition')) await page.waitForTimeout(1000);
    }
    assert.match(text, /Toy Models of Superposition/);
    assert.match(text, /N\. Elhage, T\. Hume, C\. Olsson et al\./);
    assert.match(text, /arXiv:2209\.10652/);
    assert.match(text, /Note: Small ReLU models store more sparse features/);
    assert.match(text, /cited 2 times in 2 documents/);
    assert.ok(!text.includes('\\'), 'escapes are not shown as backslashes');
    await screenshot(page, 'hover-pandoc-citation');
  });

  it('says an unresolved key is unknown and offers the nearest key', async () => {
    await openFile(page, 'review.md');
    await hoverAt(page, 'elhage2022toi');
    const text = await readHover(page);
    assert.match(text, /Unknown citation key elhage2022toi/);
    assert.match(text, /Did you mean: elhage2022toy/);
    await screenshot(page, 'hover-unresolved');
  });
});
