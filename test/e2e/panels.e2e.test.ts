// The four review panels in the real workbench (code-server in Chromium): each opens on the fixture workspace,
// its content is read inside the webview iframe, clicking an item opens the right file at the right line, and
// screenshots are saved in light, dark and high-contrast themes. The last suite reloads the window and checks
// that the panel and its filter come back.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { loadCorpus } from '../../src/core/corpus/corpus';
import { expectCursorAt, openFile, REPO_ROOT, runCommand, screenshot, useWorkbench } from './harness';
import { panelFrame, panelFrameWith } from './panels-helpers';

const WORKSPACE = 'test/fixtures/workspace';
const THEMES = [
  { id: 'light', label: 'Default Light Modern' },
  { id: 'dark', label: 'Default Dark Modern' },
  { id: 'high-contrast', label: 'Default High Contrast' },
];
const corpus = loadCorpus();

/** Clicks the first row of `list` whose detail is `path:line` and checks the editor went there. */
async function openFirstCitationRow(page: Page, frame: Frame, listSelector: string): Promise<string> {
  const row = frame.locator(`${listSelector} .row-main`, { has: frame.locator('.row-detail', { hasText: /:\d+$/ }) }).first();
  await row.waitFor({ state: 'visible' });
  const detail = (await row.locator('.row-detail').innerText()).trim();
  const [, path, line] = /^(.*):(\d+)$/.exec(detail) ?? [];
  assert.ok(path && line, `a path:line detail, got "${detail}"`);
  await row.click();
  await expectCursorAt(page, path.split('/').pop()!, Number(line));
  return (await row.locator('.row-label').innerText()).trim();
}

/** The 1-based line a note row opens: the first heading of the body, else the `citekey:` line. */
function noteTargetLine(relativePath: string): number {
  const lines = readFileSync(join(REPO_ROOT, WORKSPACE, relativePath), 'utf8').split(/\r?\n/);
  let inFrontmatter = lines[0] === '---';
  for (let i = 1; i < lines.length; i++) {
    if (inFrontmatter) {
      if (lines[i] === '---' || lines[i] === '...') inFrontmatter = false;
      continue;
    }
    if (/^#{1,6}\s/.test(lines[i])) return i + 1;
  }
  return lines.findIndex((l) => /^citekey:/.test(l)) + 1;
}

for (const theme of THEMES) {
  describe(`review panels (${theme.id} theme)`, function () {
    this.timeout(180_000);
    const workbench = useWorkbench(WORKSPACE, `panels-${theme.id}`, { theme: theme.label });
    let page: Page;
    before(() => {
      page = workbench.page;
    });

    it('Open problems: lists every corpus problem by group and opens a claim at its line', async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Interpretability Review: Open Problems Panel');
      const frame = await panelFrame(page, 'Open Problems', 'problems');
      await frame.locator('article.card').first().waitFor();
      assert.equal(await frame.locator('article.card').count(), corpus.problems.length);
      const groups = await frame.locator('section.group > h2').allInnerTexts();
      assert.ok(groups.includes('Methods and foundations'), groups.join(', '));
      for (const problem of corpus.problems.slice(0, 3)) {
        await frame.locator('article.card h3', { hasText: problem.title }).first().waitFor();
      }
      await screenshot(page, `panels-problems-${theme.id}`);

      // A claim (a citation of a paper linked to the problem) opens at its line.
      await openFirstCitationRow(page, frame, 'article.card .list-section[data-list$=":claims"]');

      // Search narrows the cards; a query that matches nothing hides them all.
      const frameAgain = await panelFrame(page, 'Open Problems', 'problems');
      await frameAgain.locator('vscode-textfield input').fill('zzzz-matches-nothing');
      await frameAgain.locator('.status', { hasText: `0 of ${corpus.problems.length} problems shown` }).waitFor();
      await frameAgain.locator('vscode-textfield input').fill('');
      await frameAgain.locator('.status', { hasText: `${corpus.problems.length} of ${corpus.problems.length} problems shown` }).waitFor();
    });

    it('Methods: shows every method, opens a tagged note, and shows the methods × problems matrix', async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Interpretability Review: Methods Panel');
      const frame = await panelFrame(page, 'Methods', 'methods');
      await frame.locator('article.card').first().waitFor();
      assert.equal(await frame.locator('article.card').count(), corpus.methods.length);
      const sae = frame.locator('article.card[data-id="method:sae"]');
      assert.match(await sae.innerText(), /decomposes activations/);
      await screenshot(page, `panels-methods-${theme.id}`);

      // A note tagged with the method opens at its title.
      const noteRow = frame.locator('article.card .list-section[data-list$=":notes"] .row-main').first();
      await noteRow.waitFor();
      const notePath = (await noteRow.locator('.row-detail').innerText()).split(' · ')[0].trim();
      await noteRow.click();
      await expectCursorAt(page, notePath.split('/').pop()!, noteTargetLine(notePath));
      const methods = await panelFrame(page, 'Methods', 'methods');
      await methods.locator('vscode-tab-header', { hasText: 'Methods × open problems' }).click();
      const table = methods.locator('table.matrix');
      await table.waitFor({ state: 'visible' });
      assert.equal(await table.locator('tbody tr').count(), corpus.methods.length);
      assert.equal(await table.locator('thead th').count(), corpus.problems.length + 1);
      await screenshot(page, `panels-methods-matrix-${theme.id}`);
    });

    it('Review dashboard: every number opens its list, and a row opens the citation', async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Interpretability Review: Review Dashboard');
      const frame = await panelFrame(page, 'Review Dashboard', 'dashboard');
      const citations = frame.locator('.stat-citations .number');
      await citations.waitFor();
      const total = Number(await citations.innerText());
      assert.ok(total > 0, 'the fixture workspace has citations');
      await citations.click();
      await frame.locator('.details h2', { hasText: 'Citations' }).waitFor();
      await frame.locator('.details .row').first().waitFor();
      assert.equal(await frame.locator('.details .vlist').getAttribute('aria-rowcount'), String(total));
      await screenshot(page, `panels-dashboard-${theme.id}`);

      // The list is keyboard navigable: arrows move focus row by row.
      await frame.locator('.details .row-main').first().focus();
      await page.keyboard.press('ArrowDown');
      const focused = await frame.evaluate(() => {
        const { document } = globalThis as unknown as { document: { activeElement: { closest(s: string): { getAttribute(n: string): string | null } | null } | null } };
        return document.activeElement?.closest('.row')?.getAttribute('aria-posinset');
      });
      assert.equal(focused, '2');
      await openFirstCitationRow(page, frame, '.details');
    });

    it('Paper: shows the paper, its citations with context, and jumps to one', async () => {
      const dashboard = await panelFrame(page, 'Review Dashboard', 'dashboard');
      const paperButton = dashboard.locator('.details .row-paper').first();
      await paperButton.waitFor();
      const key = ((await paperButton.getAttribute('aria-label')) ?? '').replace(/^Open paper /, '');
      await paperButton.click();
      const frame = await panelFrame(page, `Paper: ${key}`, 'paper', key);
      await frame.locator('header h1').waitFor();
      assert.equal((await frame.locator('.key code').innerText()).trim(), `@${key}`);
      await frame.locator('.row-context mark').first().waitFor();
      await screenshot(page, `panels-paper-${theme.id}`);
      await openFirstCitationRow(page, frame, '.list-section');
    });
  });
}

describe('review panels live and after a window reload', function () {
  this.timeout(180_000);
  const workbench = useWorkbench(WORKSPACE, 'panels-reload');

  it('updates live while a review is edited', async () => {
    const { page } = workbench;
    await runCommand(page, 'Interpretability Review: Review Dashboard');
    const frame = await panelFrame(page, 'Review Dashboard', 'dashboard');
    const citations = frame.locator('.stat-citations .number');
    await citations.waitFor();
    // Numbers are final once the initial indexing banner has gone.
    await frame.locator('.banner').waitFor({ state: 'detached', timeout: 30_000 });
    const before = Number(await citations.innerText());
    assert.ok(before > 0);
    await openFile(page, 'review.md');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nOne more claim [@elhage2022toy].\n');
    // The editor may have covered the panel (its page is then rebuilt when shown), so find it again.
    const updated = await panelFrame(page, 'Review Dashboard', 'dashboard');
    await updated.locator('.stat-citations .number', { hasText: new RegExp(`^${before + 1}$`) }).waitFor({ timeout: 20_000 });
    await openFile(page, 'review.md');
    await runCommand(page, 'File: Revert File');
    const reverted = await panelFrame(page, 'Review Dashboard', 'dashboard');
    await reverted.locator('.stat-citations .number', { hasText: new RegExp(`^${before}$`) }).waitFor({ timeout: 20_000 });
  });

  it('restores the open panels and their filters', async () => {
    const { page } = workbench;
    await runCommand(page, 'Interpretability Review: Open Problems Panel');
    let frame = await panelFrame(page, 'Open Problems', 'problems');
    await frame.locator('article.card').first().waitFor();
    await frame.locator('vscode-textfield input').fill('scal');
    await frame.locator('.status', { hasNotText: `${corpus.problems.length} of ${corpus.problems.length}` }).waitFor();
    const narrowed = (await frame.locator('.status').innerText()).trim();
    // Leave the search field first: the palette's Escape would clear a focused search input. Then reload the
    // window the way a user does, so VS Code saves its editor layout first.
    await frame.locator('header h1').click();
    await page.waitForTimeout(500);
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), runCommand(page, 'Developer: Reload Window')]);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    frame = await panelFrameWith(page, 'Open Problems', 'problems', 'article.card');
    assert.equal(await frame.locator('vscode-textfield').evaluate((el) => (el as unknown as { value: string }).value), 'scal');
    // The index rebuilds after a reload; the panel shows the same result once it has.
    await frame.locator('.status', { hasText: narrowed }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'panels-problems-restored');
  });
});
