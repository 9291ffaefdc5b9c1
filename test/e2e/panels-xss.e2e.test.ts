// Hostile text in a note, a bibliography entry's title and abstract, and a review line must reach the panels
// as text: no element, attribute, link or script from the files, and nothing they contain runs.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { runCommand, screenshot, useWorkbench } from './harness';
import { panelFrame } from './panels-helpers';

const WORKSPACE = 'test/fixtures/xss';

/** Everything a successful injection would leave behind in a panel document. */
async function injectionTraces(frame: Frame): Promise<{ xss: unknown; scripts: string[]; images: number; iframes: number; handlers: string[]; hrefs: string[] }> {
  return frame.evaluate(() => {
    type El = { attributes: ArrayLike<{ name: string }>; getAttribute(n: string): string | null; tagName: string; textContent: string | null };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
    const all = Array.from(doc.querySelectorAll('*'));
    return {
      xss: (globalThis as unknown as { __xss?: unknown }).__xss,
      // VS Code adds its own script (the acquireVsCodeApi bridge); ours is the bundle. Neither carries file text.
      scripts: Array.from(doc.querySelectorAll('script')).map((el) => el.getAttribute('src') ?? `inline:${(el.textContent ?? '').includes('__xss') ? 'INJECTED' : 'host'}`),
      images: doc.querySelectorAll('img').length,
      iframes: doc.querySelectorAll('iframe').length,
      handlers: all.flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
      hrefs: Array.from(doc.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? ''),
    };
  });
}

describe('review panels render hostile files as text', function () {
  this.timeout(180_000);
  const workbench = useWorkbench(WORKSPACE, 'panels-xss');
  let page: Page;
  const dialogs: string[] = [];

  before(() => {
    page = workbench.page;
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  it('Paper panel: note body, title and abstract appear literally and run nothing', async () => {
    // The picker lists the keys indexed so far; right after start-up that may not include ours yet.
    for (let attempt = 1; ; attempt++) {
      await runCommand(page, 'Interpretability Review: Open Paper Panel');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill('evil2024');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'evil2024' }).first();
      try {
        await row.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 6) throw error;
        await page.keyboard.press('Escape');
      }
    }
    await page.keyboard.press('Enter');

    const frame = await panelFrame(page, 'Paper: evil2024', 'paper', 'evil2024');
    await frame.locator('.note-body').waitFor();
    assert.match(await frame.locator('header h1').innerText(), /Hostile <img src=x onerror="window.__xss='bib-title'"> Title/);
    const abstract = await frame.locator('.abstract').innerText();
    assert.ok(abstract.includes(`<script>window.__xss='bib-abstract'</script>`), abstract);
    const body = await frame.locator('.note-body').innerText();
    for (const literal of [
      `<img src=x onerror="window.__xss='note-img'">`,
      `<script>window.__xss='note-script'</script>`,
      `<iframe src="javascript:window.__xss='iframe'"></iframe>`,
      `<script>window.__xss='heading'</script>`,
    ]) {
      assert.ok(body.includes(literal), `note body shows ${literal} as text`);
    }
    const statusTag = await frame.locator('.note .status-tag').innerText();
    assert.equal(statusTag, `<script>window.__xss='status'</script>`);
    await frame.locator('.list-section .row-context', { hasText: `<img src=x onerror="window.__xss='review-line'">` }).waitFor();

    const traces = await injectionTraces(frame);
    assert.equal(traces.xss, undefined, 'no injected script ran');
    assert.equal(traces.scripts.filter((src) => /\/dist\/webview\/webview\.js$/.test(src)).length, 1, traces.scripts.join(', '));
    assert.deepEqual(traces.scripts.filter((src) => !/\/dist\/webview\/webview\.js$/.test(src) && src !== 'inline:host'), [], 'no script from the files');
    assert.equal(traces.images, 0);
    assert.equal(traces.iframes, 0);
    assert.deepEqual(traces.handlers, []);
    assert.deepEqual(traces.hrefs, ['https://arxiv.org/abs/2404.14082'], 'only the https link survives');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss), undefined);
    assert.deepEqual(dialogs, []);
    await screenshot(page, 'panels-xss-paper');
  });

  it('Open problems and dashboard lists show the hostile note title as text', async () => {
    await runCommand(page, 'Interpretability Review: Open Problems Panel');
    const problems = await panelFrame(page, 'Open Problems', 'problems');
    await problems.locator('.row-label', { hasText: `Note <img src=x onerror="window.__xss='note-title'">` }).first().waitFor();
    const traces = await injectionTraces(problems);
    assert.equal(traces.xss, undefined);
    assert.equal(traces.images + traces.iframes, 0);
    assert.deepEqual(traces.handlers, []);

    await runCommand(page, 'Interpretability Review: Review Dashboard');
    const dashboard = await panelFrame(page, 'Review Dashboard', 'dashboard');
    await dashboard.locator('.stat-notes .number').click();
    await dashboard.locator('.details .row-label', { hasText: `Note <img src=x` }).waitFor();
    const dashboardTraces = await injectionTraces(dashboard);
    assert.equal(dashboardTraces.xss, undefined);
    assert.equal(dashboardTraces.images + dashboardTraces.iframes, 0);
    assert.deepEqual(dashboardTraces.handlers, []);
    await screenshot(page, 'panels-xss-dashboard');
  });
});
