// The safety-case diagram in the real workbench, on the example workspace's safety case: opened from the
// command palette, every element drawn with its id and GSN shape, status classes from the file, a click reveals the
// element in the source, and screenshots in light, dark and high-contrast themes.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { parseGsnYaml } from '../../src/core/gsn/yaml';
import { expectCursorAt, openFile, REPO_ROOT, runCommand, screenshot, useWorkbench, webviewFrame } from './harness';

const WORKSPACE = 'examples';
const CASE = 'safety/interp-monitoring.gsn.yaml';
const THEMES = [
  { id: 'light', label: 'Default Light Modern' },
  { id: 'dark', label: 'Default Dark Modern' },
  { id: 'high-contrast', label: 'Default High Contrast' },
];

const caseText = readFileSync(join(REPO_ROOT, WORKSPACE, CASE), 'utf8');
const parsed = parseGsnYaml(caseText, CASE).value;
if (!parsed) throw new Error(`${CASE} does not parse as a safety case`);
const safetyCase = parsed;

// evaluate() runs in the page; the project's tsconfig has no DOM library, so this names what it touches.
interface BrowserWindow {
  getComputedStyle(element: unknown): { stroke: string };
}

/** 1-based line of an element's definition in the example file. */
function lineOf(id: string): number {
  const element = safetyCase.elements.find((e) => e.id === id);
  assert.ok(element, id);
  return caseText.slice(0, element.idSpan.start).split('\n').length;
}

/** The diagram of the example case: opened from the palette with the file active, or the tab already open. */
async function openDiagram(page: Page): Promise<Frame> {
  const title = `Diagram: ${safetyCase.name}`;
  if ((await page.locator('.tabs-container .tab', { hasText: title }).count()) === 0) {
    await openFile(page, CASE);
    await runCommand(page, 'Interpretability Review: Show Safety Case Diagram');
  }
  const frame = await webviewFrame(page, title);
  await frame.locator('svg g.node').first().waitFor({ timeout: 30_000 });
  return frame;
}

describe('safety-case diagram', function () {
  this.timeout(240_000);
  for (const theme of THEMES) {
    describe(`${theme.id} theme`, () => {
      const workbench = useWorkbench(WORKSPACE, `diagram-${theme.id}`, { theme: theme.label });
      let page: Page;
      before(() => {
        page = workbench.page;
      });

      it('draws every element of the example case with its id, shape and status', async () => {
        const frame = await openDiagram(page);
        const ids = await frame.locator('svg g.node .node-id').allTextContents();
        assert.deepEqual([...ids].sort(), safetyCase.elements.map((e) => e.id).sort());
        for (const element of safetyCase.elements) {
          const node = frame.locator(`svg g.node[data-id="${element.id}"]`);
          const classes = (await node.getAttribute('class')) ?? '';
          assert.ok(classes.includes(`type-${element.type!.toLowerCase()}`), `${element.id}: ${classes}`);
          if (element.undeveloped) {
            assert.ok(classes.includes('status-undeveloped'), `${element.id}: ${classes}`);
            assert.equal(await node.locator('.node-undeveloped').count(), 1, `${element.id} has the undeveloped diamond`);
          }
          // The first words of the element's text are on the node (wrapped over lines, maybe cut short).
          const text = (await node.locator('.node-text').allTextContents()).join(' ');
          assert.ok(text.startsWith(element.text.split(/\s+/).slice(0, 3).join(' ')), `${element.id}: "${text}"`);
        }
        const edges = await frame.locator('svg g.edge').count();
        assert.equal(edges, safetyCase.elements.reduce((n, e) => n + e.supportedBy.length + e.inContextOf.length, 0));
        // Node outlines take the theme's colours: the stroke is a real colour, not the SVG default.
        const stroke = await frame.locator('svg g.node .node-shape').first().evaluate((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).stroke);
        assert.notEqual(stroke, 'none');
        await frame.locator('.status', { hasText: `${safetyCase.elements.length} elements` }).waitFor();
        await screenshot(page, `diagram-${theme.id}`);
      });

      it('reveals an element in the source when its node is clicked', async () => {
        const frame = await openDiagram(page);
        const target = safetyCase.elements[safetyCase.elements.length - 1].id;
        await frame.locator(`svg g.node[data-id="${target}"] .node-shape`).click();
        await expectCursorAt(page, CASE.split('/').pop()!, lineOf(target));
      });
    });
  }
});
