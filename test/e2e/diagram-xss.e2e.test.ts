// A safety case whose ids, texts and module name are markup: the diagram shows them as text, runs none of it and
// creates no element from it (the page builds SVG with textContent and setAttribute only).
import * as assert from 'node:assert/strict';
import { openFile, runCommand, screenshot, useWorkbench, webviewFrame } from './harness';

const MODULE = 'evil<img src=x onerror="window.__pwned=1">';
const HOSTILE_TEXT = '<script>window.__pwned=2</script><img src=x onerror="window.__pwned=3"> & </text></svg><b>bold</b>';
const HOSTILE_ID = 'G2"><img src=x onerror="window.__pwned=4">';

const CASE = [
  'module:',
  `  name: '${MODULE}'`,
  'G1:',
  `  text: '${HOSTILE_TEXT}'`,
  `  supportedBy: ['${HOSTILE_ID}', Sn1]`,
  `'${HOSTILE_ID}':`,
  '  text: "javascript:window.__pwned=5"',
  '  undeveloped: true',
  'Sn1:',
  `  text: 'Evidence [@key<svg/onload=window.__pwned=6>]'`,
  '',
].join('\n');

// evaluate() runs in the page; the project's tsconfig has no DOM library, so this names what it touches.
interface PageGlobals {
  __pwned?: number;
  document: { querySelectorAll(selector: string): { length: number } };
}

describe('safety-case diagram with hostile content', function () {
  this.timeout(180_000);
  const workbench = useWorkbench({ files: { 'safety/evil.gsn.yaml': CASE } }, 'diagram-xss');

  it('shows markup in ids, texts and the module name as text and runs none of it', async () => {
    const { page } = workbench;
    await openFile(page, 'safety/evil.gsn.yaml');
    await runCommand(page, 'Interpretability Review: Show Safety Case Diagram');
    const frame = await webviewFrame(page, 'Diagram: evil');
    await frame.locator('svg g.node').first().waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('svg g.node').count(), 3);

    assert.equal((await frame.locator('h1.title').textContent())?.trim(), MODULE);
    const hostileNode = frame.locator(`svg g.node[data-id="${HOSTILE_ID.replace(/["\\]/g, '\\$&')}"]`);
    assert.equal(await hostileNode.count(), 1, 'the id is an attribute value, intact');
    // A long id wraps (and is cut short past two lines), but what is shown is its own characters.
    const shownId = (await hostileNode.locator('.node-id').allTextContents()).join(' ');
    assert.ok(shownId.startsWith('G2"><img src=x onerror="window.__pwned='), shownId);
    // Wrapping may cut the long "words" anywhere, so compare without the line breaks' spaces.
    const g1 = (await frame.locator('svg g.node[data-id="G1"] .node-text').allTextContents()).join('').replace(/\s/g, '');
    assert.ok(g1.startsWith(HOSTILE_TEXT.replace(/\s/g, '').slice(0, 60)), g1);

    const injected = await frame.evaluate(() => {
      const { document, __pwned } = globalThis as unknown as PageGlobals;
      // VS Code injects one script of its own (`_vscodeApiScript`); ours carries the nonce.
      return { pwned: __pwned, elements: document.querySelectorAll('img, script:not([nonce]):not(#_vscodeApiScript), b, foreignObject, a').length };
    });
    assert.deepEqual(injected, { pwned: undefined, elements: 0 });
    await screenshot(page, 'diagram-xss');
  });
});
