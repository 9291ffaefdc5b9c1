// A 500-element safety case in the real diagram page: every element is drawn, and the time from opening the panel
// to the finished drawing (page load, elkjs layout, SVG) is printed for the record; speed targets live in the
// benchmark, so nothing here asserts on it.
import * as assert from 'node:assert/strict';
import { openFile, runCommand, screenshot, useWorkbench, webviewFrame } from './harness';

const GOALS = 250;

/** Goals in a binary tree, each also supported by its own Solution: 2 × GOALS elements, all connected. */
function largeCase(): string {
  const parts = ['module:\n  name: large-case'];
  for (let i = 0; i < GOALS; i++) {
    const children = [2 * i + 1, 2 * i + 2].filter((c) => c < GOALS).map((c) => `G${c}`);
    parts.push(`G${i}:\n  text: Sub-claim ${i} about feature ${i % 17} holds on held-out data\n  supportedBy: [${[...children, `Sn${i}`].join(', ')}]`);
    parts.push(`Sn${i}:\n  text: Evidence ${i}\n  url: https://example.org/${i}`);
  }
  return `${parts.join('\n')}\n`;
}

describe('safety-case diagram of a 500-element case', function () {
  this.timeout(240_000);
  const workbench = useWorkbench({ files: { 'safety/large.gsn.yaml': largeCase() } }, 'diagram-large');

  it('draws all 500 elements and 499 edges', async () => {
    const { page } = workbench;
    await openFile(page, 'safety/large.gsn.yaml');
    const started = Date.now();
    await runCommand(page, 'Interpretability Review: Show Safety Case Diagram');
    const frame = await webviewFrame(page, 'Diagram: large-case');
    await frame.locator('.status', { hasText: `${GOALS * 2} elements` }).waitFor({ timeout: 120_000 });
    const elapsed = Date.now() - started;
    assert.equal(await frame.locator('svg g.node').count(), GOALS * 2);
    assert.equal(await frame.locator('svg g.edge').count(), GOALS * 2 - 1);
    console.log(`      500-element diagram drawn ${elapsed} ms after the command (webview load + elkjs layout + SVG)`);
    await screenshot(page, 'diagram-large');
  });
});
