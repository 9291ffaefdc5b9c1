// The safety-case diagram model: statuses, nodes and edges from parsed modules, node geometry, the elkjs layout
// (top-down, no overlaps, edges attached to the shapes) and the standalone SVG (well-formed, user text escaped).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { EvidenceResolver } from '../../src/core/gsn/graph';
import {
  buildDiagramGraph,
  diagramScene,
  elementStatus,
  layoutDiagram,
  nodeGeometry,
  sceneToSvg,
  shapePath,
  textWidth,
  wrapText,
  type DiagramLayout,
  type SceneElement,
} from '../../src/core/gsn/layout';
import { parseMarkdownSafetyCase } from '../../src/core/gsn/markdown';
import type { GsnModule } from '../../src/core/gsn/types';
import { parseGsnYaml } from '../../src/core/gsn/yaml';
import type { DiagramGraph, DiagramNode } from '../../src/protocol/diagram';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
const elk = new ELK();

function yaml(uri: string, text: string): GsnModule {
  const m = parseGsnYaml(text, uri).value;
  assert.ok(m, `${uri} parses`);
  return m;
}

/** Papers the tests know: `good*` resolve, `gone*` do not, `shaky*` are contested, `pulled*` retracted. */
const resolve: EvidenceResolver = (key) => {
  if (key.startsWith('gone')) return undefined;
  if (key.startsWith('shaky')) return { status: 'contested' };
  if (key.startsWith('pulled')) return { status: 'retracted' };
  return {};
};

function node(graph: DiagramGraph, id: string): DiagramNode {
  const found = graph.nodes.find((n) => n.id === id);
  assert.ok(found, `node ${id}`);
  return found;
}

function overlaps(a: { x: number; y: number; geometry: { width: number; height: number } }, b: typeof a): boolean {
  return a.x < b.x + b.geometry.width && b.x < a.x + a.geometry.width && a.y < b.y + b.geometry.height && b.y < a.y + a.geometry.height;
}

function assertSane(layout: DiagramLayout): void {
  for (let i = 0; i < layout.nodes.length; i++) {
    const a = layout.nodes[i];
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.geometry.width <= layout.width && a.y + a.geometry.height <= layout.height, `${a.id} inside the drawing`);
    for (let j = i + 1; j < layout.nodes.length; j++) assert.ok(!overlaps(a, layout.nodes[j]), `${a.id} and ${layout.nodes[j].id} overlap`);
  }
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  for (const edge of layout.edges) {
    const from = byId.get(edge.from)!;
    const to = byId.get(edge.to)!;
    const start = edge.points[0];
    const end = edge.points[edge.points.length - 1];
    // Edges leave at the middle of the shape's bottom and end at the middle of the target's top.
    assert.ok(Math.abs(start.x - (from.x + from.geometry.width / 2)) < 1 && Math.abs(start.y - (from.y + from.geometry.shapeHeight)) < 1, `${edge.from}→${edge.to} starts on ${edge.from}`);
    assert.ok(Math.abs(end.x - (to.x + to.geometry.width / 2)) < 1 && Math.abs(end.y - to.y) < 1, `${edge.from}→${edge.to} ends on ${edge.to}`);
    assert.deepEqual(edge.arrow[0], end);
  }
}

/** A connected argument: `goals` Goals in a binary tree, each also supported by its own Solution (2 × `goals` elements). */
function largeCase(goals: number): string {
  const parts: string[] = [];
  for (let i = 0; i < goals; i++) {
    const children = [2 * i + 1, 2 * i + 2].filter((c) => c < goals).map((c) => `G${c}`);
    parts.push(`G${i}:\n  text: Sub-claim ${i} about feature ${i % 17} holds on held-out data\n  supportedBy: [${[...children, `Sn${i}`].join(', ')}]`);
    parts.push(`Sn${i}:\n  text: Evidence ${i} [@good${i}]`);
  }
  return `${parts.join('\n')}\n`;
}

function allText(scene: readonly SceneElement[]): string[] {
  return scene.flatMap((e) => [...(e.text !== undefined && e.tag === 'text' ? [e.text] : []), ...allText(e.children ?? [])]);
}

describe('GSN diagram layout', () => {
  describe('element status', () => {
    const m = yaml(
      'case.gsn.yaml',
      [
        'G1:\n  text: Top\n  supportedBy: [Sn1]',
        'G2:\n  text: Nothing below',
        'G3:\n  text: Later\n  undeveloped: true',
        'Sn1:\n  text: Fine [@good2024]',
        'Sn2:\n  text: No evidence at all',
        'Sn3:\n  text: A link only\n  url: https://example.org',
        'Sn4:\n  text: Mixed [@good2024; @gone2023; @gone2022]',
        'Sn5:\n  text: Disputed [@shaky2021]',
        'Sn6:\n  text: Withdrawn [@pulled2020] and unknown [@gone2020]',
        'C1:\n  text: Context needs no support',
      ].join('\n') + '\n',
    );
    const status = (id: string) => elementStatus(m.elements.find((e) => e.id === id)!, resolve);

    it('classifies support and evidence, worst first', () => {
      assert.deepEqual(status('G1'), { status: 'ok', label: '' });
      assert.deepEqual(status('G2'), { status: 'unsupported', label: 'unsupported' });
      assert.deepEqual(status('G3'), { status: 'undeveloped', label: 'undeveloped' });
      assert.deepEqual(status('Sn1'), { status: 'ok', label: '' });
      assert.deepEqual(status('Sn2'), { status: 'unsupported', label: 'no evidence' });
      assert.deepEqual(status('Sn3'), { status: 'ok', label: '' });
      assert.deepEqual(status('Sn4'), { status: 'unresolved', label: '2 unresolved' });
      assert.deepEqual(status('Sn5'), { status: 'contested', label: '1 contested' });
      assert.deepEqual(status('Sn6'), { status: 'retracted', label: '1 retracted' });
      assert.deepEqual(status('C1'), { status: 'ok', label: '' });
    });
  });

  describe('graph', () => {
    it('has every element once, each reference as an edge, and missing targets as nodes', () => {
      const main = yaml('main.gsn.yaml', 'module:\n  name: Main\n  uses: [other.gsn.yaml]\nG1:\n  text: Top\n  supportedBy: [S1, Sn9]\n  inContextOf: [C1]\nS1:\n  supportedBy: [Sn1]\nC1:\n  text: Here\nCG1:\n  challenges: G1\n  supportedBy: [CSn1]\nCSn1:\n  text: Counter [@good1]\n');
      const other = yaml('other.gsn.yaml', 'module:\n  name: Other\nSn1:\n  text: Shared evidence [@good2]\nG1:\n  text: A second G1 is ignored\n  supportedBy: [Sn1]\n');
      const graph = buildDiagramGraph([main, other], { uri: main.uri, resolve });
      assert.equal(graph.title, 'Main, Other');
      assert.equal(graph.uri, 'main.gsn.yaml');
      assert.deepEqual(graph.nodes.map((n) => n.id), ['G1', 'S1', 'C1', 'CG1', 'CSn1', 'Sn1', 'Sn9']);
      assert.deepEqual(
        graph.edges.map((e) => `${e.from}-${e.relation}-${e.to}`),
        ['G1-supportedBy-S1', 'G1-supportedBy-Sn9', 'G1-inContextOf-C1', 'S1-supportedBy-Sn1', 'CG1-supportedBy-CSn1', 'CG1-challenges-G1'],
      );
      assert.equal(node(graph, 'G1').text, 'Top');
      assert.deepEqual(node(graph, 'Sn1').location, { uri: 'other.gsn.yaml', offset: other.elements[0].idSpan.start });
      assert.equal(node(graph, 'Sn1').module, 'Other');
      assert.equal(node(graph, 'Sn9').status, 'missing');
      assert.equal(node(graph, 'Sn9').type, 'Solution');
      assert.equal(node(graph, 'Sn9').location, undefined);
    });

    it('reads the Markdown example the same way', () => {
      const text = readFileSync(path.join(FIXTURES, 'gsn/deception-probes.gsn.md'), 'utf8');
      const m = parseMarkdownSafetyCase(text, 'file:///ws/deception-probes.gsn.md').value;
      assert.ok(m);
      const graph = buildDiagramGraph([m], { uri: m.uri, resolve });
      assert.equal(node(graph, 'G3').status, 'undeveloped');
      assert.ok(node(graph, 'G3').undeveloped);
      assert.equal(node(graph, 'G1').type, 'Goal');
      assert.equal(node(graph, 'S1').type, 'Strategy');
      assert.ok(graph.edges.some((e) => e.from === 'G1' && e.to === 'A1' && e.relation === 'inContextOf'));
      assert.ok(!graph.nodes.some((n) => n.id === 'G9'), 'fenced code is not an element');
    });
  });

  describe('geometry', () => {
    it('wraps at word boundaries, cuts words longer than a line and ellipsizes past the line limit', () => {
      assert.deepEqual(wrapText('alpha beta gamma', 1000, 3), ['alpha beta gamma']);
      const lines = wrapText('a '.repeat(200), 60, 3);
      assert.equal(lines.length, 3);
      assert.ok(lines[2].endsWith('…'));
      const long = wrapText('x'.repeat(100), 60, 20);
      assert.ok(long.length > 1);
      assert.equal(long.join(''), 'x'.repeat(100));
      for (const line of [...lines, ...long]) assert.ok(textWidth(line) <= 60, line);
      assert.deepEqual(wrapText('', 100, 3), []);
      assert.deepEqual(wrapText('   ', 100, 3), []);
    });

    it('keeps astral characters whole when cutting', () => {
      const lines = wrapText('🙂'.repeat(30), 50, 20);
      for (const line of lines) assert.ok(!/[\ud800-\udbff]$/.test(line), 'no lone high surrogate at a cut');
      assert.equal(lines.join(''), '🙂'.repeat(30));
    });

    it('sizes each GSN shape around its text', () => {
      const base = { text: 'Probe recall on held-out deceptive completions exceeds ninety percent', status: 'ok' as const, statusLabel: '', undeveloped: false, module: 'm' };
      const goal = nodeGeometry({ ...base, id: 'G1', type: 'Goal' });
      const solution = nodeGeometry({ ...base, id: 'Sn1', type: 'Solution' });
      const assumption = nodeGeometry({ ...base, id: 'A1', type: 'Assumption' });
      const strategy = nodeGeometry({ ...base, id: 'S1', type: 'Strategy' });
      assert.equal(goal.shape, 'rectangle');
      assert.equal(strategy.shape, 'parallelogram');
      assert.equal(solution.shape, 'circle');
      assert.equal(solution.width, solution.height);
      assert.equal(assumption.shape, 'ellipse');
      assert.equal(assumption.corner?.text, 'A');
      assert.equal(nodeGeometry({ ...base, id: 'C1', type: 'Context' }).shape, 'stadium');
      assert.equal(nodeGeometry({ ...base, id: 'X1' }).shape, 'rectangle');
      for (const g of [goal, solution, assumption, strategy]) {
        assert.equal(g.lines[0].role, 'id');
        for (const line of g.lines) {
          assert.ok(line.y > 0 && line.y < g.shapeHeight, 'text inside the shape vertically');
          assert.ok(textWidth(line.text) / 2 <= g.width / 2, 'text inside the shape horizontally');
        }
      }
      // A text row of a circle fits inside the circle, not just its box: the corners of the text block lie inside.
      const r = solution.width / 2;
      const top = solution.lines[0].y - 12;
      const halfWidth = Math.max(...solution.lines.map((l) => textWidth(l.text))) / 2;
      assert.ok(Math.hypot(halfWidth, r - top) <= r + 0.5);
      const undeveloped = nodeGeometry({ ...base, id: 'G2', type: 'Goal', undeveloped: true });
      assert.ok(undeveloped.height > undeveloped.shapeHeight, 'room for the diamond');
    });

    it('wraps a long id, leaving room for its bold face', () => {
      const id = `G2"><img src=x onerror="window.pwned=4">${'x'.repeat(60)}`;
      const g = nodeGeometry({ id, type: 'Goal', text: 'short', status: 'ok', statusLabel: '', undeveloped: false, module: 'm' });
      const idLines = g.lines.filter((l) => l.role === 'id');
      assert.equal(idLines.length, 2);
      assert.ok(idLines[1].text.endsWith('…'));
      for (const line of idLines) assert.ok(textWidth(line.text) * 1.1 <= g.width - 20, line.text);
    });

    it('draws closed outlines', () => {
      for (const shape of ['rectangle', 'parallelogram', 'circle', 'stadium', 'ellipse'] as const) {
        assert.match(shapePath(shape, 120, 60), /^M[\d.]+ [\d.]+.*Z$/);
      }
    });
  });

  describe('layout', () => {
    it('lays the fixture case out top-down without overlaps', async () => {
      const text = readFileSync(path.join(FIXTURES, 'workspace/safety/interp-case.gsn.yaml'), 'utf8');
      const graph = buildDiagramGraph([yaml('interp-case.gsn.yaml', text)], { uri: 'interp-case.gsn.yaml', resolve });
      const layout = await layoutDiagram(graph, elk);
      assertSane(layout);
      const y = (id: string) => layout.nodes.find((n) => n.id === id)!.y;
      assert.ok(y('G1') < y('S1') && y('S1') < y('G2') && y('G2') < y('Sn1'), 'parents above children');
      assert.ok(y('G1') < y('C1'));
    });

    it('lays out cycles and self-references without losing an edge', async () => {
      const m = yaml('loop.gsn.yaml', 'G1:\n  supportedBy: [G2]\nG2:\n  supportedBy: [G1, G2]\n');
      const layout = await layoutDiagram(buildDiagramGraph([m], { uri: m.uri, resolve }), elk);
      assert.equal(layout.edges.length, 3);
      for (const edge of layout.edges) assert.ok(edge.points.length >= 2 && edge.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
    });

    it('lays out a 500-element case', async () => {
      const m = yaml('big.gsn.yaml', largeCase(250));
      const graph = buildDiagramGraph([m], { uri: m.uri, resolve });
      assert.equal(graph.nodes.length, 500);
      assert.equal(graph.edges.length, 499);
      const layout = await layoutDiagram(graph, elk);
      assert.equal(layout.nodes.length, graph.nodes.length);
      assertSane(layout);
    }).timeout(60_000);
  });

  describe('scene and SVG export', () => {
    const hostile = yaml(
      'x.gsn.yaml',
      'G1:\n  text: "<script>alert(1)</script> & \\"quotes\\" \\u0001 \' ]]>"\n  supportedBy: ["Sn1"]\nSn1:\n  text: Evidence [@gone2024]\n',
    );

    it('keeps user text as text: the SVG parses and shows it verbatim', async () => {
      const graph = buildDiagramGraph([hostile], { uri: hostile.uri, resolve });
      const layout = await layoutDiagram(graph, elk);
      const svg = sceneToSvg(layout, 'Title <b>');
      assert.ok(svg.startsWith('<svg '));
      assert.ok(!svg.includes('<script'), 'no element from user text');
      assert.ok(!svg.includes('<b>'));
      assert.ok(svg.includes('&#60;script&#62;'));
      assert.doesNotMatch(svg, /[\u0001]/);
      // Every tag opened is closed in order (a minimal well-formedness check of our own output).
      const stack: string[] = [];
      for (const m of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
        if (m[3]) continue;
        if (m[1]) assert.equal(stack.pop(), m[2]);
        else stack.push(m[2]);
      }
      assert.deepEqual(stack, []);
      const texts = allText(diagramScene(layout));
      assert.ok(texts.includes('G1') && texts.includes('Sn1') && texts.includes('1 unresolved'), texts.join('|'));
      assert.ok(texts.some((t) => t.includes('<script>')), 'the scene carries the raw text for textContent');
    });

    it('marks status, type and undeveloped elements for the stylesheet', async () => {
      const m = yaml('s.gsn.yaml', 'G1:\n  supportedBy: [G2, Sn1]\nG2:\n  undeveloped: true\nSn1:\n  text: "[@gone1]"\n');
      const scene = diagramScene(await layoutDiagram(buildDiagramGraph([m], { uri: m.uri, resolve }), elk));
      const nodes = scene[1].children!;
      const classOf = (id: string) => nodes.find((n) => n.attrs['data-id'] === id)!.attrs.class;
      assert.match(classOf('G2'), /type-goal .*status-undeveloped/);
      assert.match(classOf('Sn1'), /shape-circle status-unresolved/);
      assert.ok(nodes.find((n) => n.attrs['data-id'] === 'G2')!.children!.some((c) => c.attrs.class === 'node-undeveloped'));
      assert.equal(scene[0].children!.length, 2);
    });
  });
});
