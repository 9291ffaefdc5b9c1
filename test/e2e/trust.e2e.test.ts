// In the browser: hover a key whose .bib title/abstract and note body carry `command:` links
// (test/fixtures/hostile/workspace) and inspect the rendered hover widget's DOM: the hostile text is shown, but
// no anchor in it runs a command outside our allow-list.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { HOVER_COMMANDS } from '../../src/vscode/hoverContent';
import { hoverAt, openFile, readHover, screenshot, useWorkbench } from './harness';

describe('trust: command links in a hover are not clickable', function () {
  this.timeout(120_000);
  const workbench = useWorkbench('test/fixtures/hostile/workspace', 'trust');
  let page: Page;
  before(() => (page = workbench.page));

  it('shows the hostile metadata as text, with no command: anchor outside the allow-list', async () => {
    await openFile(page, 'review.md');
    // The code lens moves the line down when it arrives (and shows the index has answered): hover after it.
    await page.locator('.monaco-editor .codelens-decoration', { hasText: 'cites 1 paper' }).first().waitFor({ timeout: 30_000 });
    let text = '';
    for (let attempt = 0; attempt < 8 && !text.includes('Probing'); attempt++) {
      await hoverAt(page, 'hostile2024commands');
      text = await readHover(page);
      if (!text.includes('Probing')) await page.waitForTimeout(1000);
    }
    assert.match(text, /Probing/, 'the hostile title is shown');
    assert.match(text, /click me/, 'the link text is shown as text');

    const widget = page.locator('.monaco-editor .monaco-hover:not(.hidden)').filter({ visible: true }).first();
    const anchors = await widget.locator('a').evaluateAll((nodes) =>
      nodes.map((a) => ({ href: a.getAttribute('href') ?? '', dataHref: a.getAttribute('data-href') ?? '', text: a.textContent ?? '' })),
    );
    const commandTargets = anchors
      .flatMap((a) => [a.href, a.dataHref])
      .filter((href) => /^command:/i.test(href))
      .map((href) => href.slice('command:'.length).split(/[?#]/)[0]);
    const foreign = commandTargets.filter((command) => !(HOVER_COMMANDS as readonly string[]).includes(command));
    assert.deepEqual(foreign, [], `clickable command links: ${JSON.stringify(anchors)}`);
    assert.ok(!anchors.some((a) => /click me|^x$|quit|this/.test(a.text.trim())), `a hostile link text became an anchor: ${JSON.stringify(anchors)}`);
    await screenshot(page, 'trust-hover');
  });
});
