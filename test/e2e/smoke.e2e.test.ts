// Proves the e2e harness against the real workbench: Quick Open, editor text, hovers, the command palette and a
// webview (VS Code's own Markdown preview), so feature tests can rely on each helper.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hoverAt, openFile, readEditorText, readHover, REPO_ROOT, runCommand, screenshot, useWorkbench, webviewFrame } from './harness';

const WORKSPACE = 'test/fixtures/smoke';

describe('e2e harness smoke', function () {
  this.timeout(120_000);
  const workbench = useWorkbench(WORKSPACE, 'smoke');
  let page: Page;
  before(() => (page = workbench.page));

  it('opens a fixture Markdown file and shows its text', async () => {
    await openFile(page, 'notes.md');
    const onDisk = readFileSync(join(REPO_ROOT, WORKSPACE, 'notes.md'), 'utf8').split('\n');
    const shown = (await readEditorText(page)).split('\n');
    assert.deepEqual(shown.slice(0, onDisk.length - 1), onDisk.slice(0, -1));
    await screenshot(page, 'smoke-editor');
  });

  it('reads the hover over a link', async () => {
    await openFile(page, 'notes.md');
    await hoverAt(page, 'example.org/interpretability');
    assert.match(await readHover(page), /Follow link/);
    await screenshot(page, 'smoke-hover');
  });

  it('runs an extension command from the palette', async () => {
    await runCommand(page, 'Interpretability Review: Show Log');
    // Monaco renders spaces as no-break spaces, which \s matches.
    const logLine = page.locator('.part.panel .view-line').filter({ hasText: /Activated\s+in\s+VS\s+Code\s+\d/ });
    await logLine.first().waitFor({ state: 'visible', timeout: 15_000 });
  });

  it('reads text inside a webview', async () => {
    await openFile(page, 'notes.md');
    await runCommand(page, 'Markdown: Open Preview to the Side');
    const frame = await webviewFrame(page, 'Preview notes.md');
    await frame.locator('h1', { hasText: 'Smoke note' }).waitFor();
    assert.match(await frame.locator('body').innerText(), /reads it back from the editor/);
    await screenshot(page, 'smoke-webview');
  });

  it('tells several open webviews apart by their tabs', async () => {
    await runCommand(page, 'View: Close All Editors');
    // Locked previews keep their own document, so both stay open, as two tabs of the group beside the notes.
    for (const file of ['notes.md', 'other.md']) {
      await page.locator('.editor-group-container').first().click({ position: { x: 200, y: 200 } });
      await openFile(page, file);
      await runCommand(page, 'Markdown: Open Locked Preview to the Side');
      await page.locator('.tabs-container .tab', { hasText: `[Preview] ${file}` }).waitFor();
    }
    const notes = await webviewFrame(page, '[Preview] notes.md');
    await notes.locator('h1', { hasText: 'Smoke note' }).waitFor();
    const other = await webviewFrame(page, '[Preview] other.md');
    await other.locator('h1', { hasText: 'Other note' }).waitFor();
    await screenshot(page, 'smoke-two-webviews');
  });
});
