// In the browser: hover a citation key in the fixture review and read what the hover widget shows; then the
// other visible surfaces of the editor features (status bar, Papers view, the insert-citation picker).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { hoverAt, openFile, readEditorText, readHover, runCommand, screenshot, useWorkbench } from './harness';

describe('citation hover in the workbench', function () {
  this.timeout(120_000);
  const workbench = useWorkbench('test/fixtures/workspace', 'hover');
  let page: Page;
  before(() => (page = workbench.page));

  it('shows title, authors, year, links, the note and usage for a key in a Pandoc group', async () => {
    await openFile(page, 'review.md');
    // Code lenses push the text down when they arrive; hover only once they are laid out (they also show that the
    // index has answered).
    await page.locator('.monaco-editor .codelens-decoration', { hasText: 'cites 5 papers' }).first().waitFor({ timeout: 30_000 });
    let text = '';
    for (let attempt = 0; attempt < 5 && !text.includes('Toy Models of Superposition'); attempt++) {
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

  it('shows the index state in the status bar', async () => {
    const item = page.locator('.statusbar-item', { hasText: /papers/ }).first();
    await item.waitFor({ state: 'visible', timeout: 20_000 });
    // Other suites add fixtures to this workspace, so the counts are checked for shape, not value.
    let text = '';
    for (let attempt = 0; attempt < 50 && !/\d+ papers ·\s*\S*\s*\d+ unresolved/.test(text); attempt++) {
      text = await item.innerText();
      await page.waitForTimeout(200);
    }
    assert.match(text, /\d+ papers ·\s*\S*\s*\d+ unresolved/);
    assert.ok(!/Indexing/.test(text));
  });

  it('lists papers by source and the unresolved keys in the Papers view', async () => {
    await runCommand(page, 'Interpretability Review: Focus on Papers View');
    const rows = page.locator('.pane-body .monaco-list-row');
    await rows.filter({ hasText: 'Unresolved' }).first().waitFor({ timeout: 10_000 });
    const top = await rows.allInnerTexts();
    for (const group of ['Workspace bibliographies', 'Paper notes', 'By tag', 'Unresolved', 'Corpus']) {
      assert.ok(top.some((t) => t.includes(group)), `${group} missing from ${top.join(' | ')}`);
    }
    await rows.filter({ hasText: 'Unresolved' }).first().click();
    await rows.filter({ hasText: 'elhage2022toi' }).first().waitFor({ timeout: 10_000 });
    await rows.filter({ hasText: 'olah2020zom' }).first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'papers-view');
  });

  it('inserts a citation picked by author and year', async () => {
    await openFile(page, 'linkcheck.md');
    await page.locator('.monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nSee ');
    await runCommand(page, 'Interpretability Review: Insert Citation…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('nanda 2023');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'nanda2023progress' }).first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'insert-citation-picker');
    await page.keyboard.press('Enter');
    let text = '';
    for (let attempt = 0; attempt < 25 && !text.includes('See [@nanda2023progress]'); attempt++) {
      text = await readEditorText(page);
      await page.waitForTimeout(200);
    }
    assert.ok(text.includes('See [@nanda2023progress]'), text);
    await runCommand(page, 'File: Revert File');
  });
});
