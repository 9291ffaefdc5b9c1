// The safety-case diagram, from argument graph to drawing: which nodes and edges there are and how each element
// holds up (`buildDiagramGraph`, on the host), node sizes and GSN shapes, the top-down layout (elkjs, passed in so
// this module stays free of the 1.6 MB engine), and one scene of SVG elements that the page turns into DOM and
// `sceneToSvg` into a standalone file. Pure and deterministic; element text only ever becomes text content or an
// escaped attribute value.
import type { DiagramEdge, DiagramGraph, DiagramNode, DiagramRelation, DiagramStatus } from '../../protocol/diagram';
import { evidenceStatus, type EvidenceResolver } from './graph';
import { typeFromId } from './graph';
import type { GsnElement, GsnElementType, GsnModule } from './types';

// ---------------------------------------------------------------------------------------------
// The graph

export interface ElementStatus {
  status: DiagramStatus;
  /** Short words for the status (`2 unresolved`, `no evidence`), empty when `ok`. */
  label: string;
}

const SUPPORTING_TYPES = new Set<GsnElementType | undefined>(['Goal', 'Strategy', 'CounterGoal']);
const EVIDENCE_TYPES = new Set<GsnElementType | undefined>(['Solution', 'CounterSolution']);

/** How one element holds up: its cited papers first, then whether it is supported at all. */
export function elementStatus(element: GsnElement, resolve: EvidenceResolver): ElementStatus {
  const evidence = evidenceStatus(element, resolve);
  const count = (state: string) => evidence.items.filter((i) => i.state === state).length;
  if (evidence.overall === 'retracted') return { status: 'retracted', label: `${count('retracted')} retracted` };
  if (evidence.overall === 'unresolved') return { status: 'unresolved', label: `${count('unresolved')} unresolved` };
  if (evidence.overall === 'contested') return { status: 'contested', label: `${count('contested')} contested` };
  if (SUPPORTING_TYPES.has(element.type)) {
    if (element.undeveloped) return { status: 'undeveloped', label: 'undeveloped' };
    if (element.supportedBy.length === 0) return { status: 'unsupported', label: 'unsupported' };
  }
  if (EVIDENCE_TYPES.has(element.type) && !evidence.hasEvidence) return { status: 'unsupported', label: 'no evidence' };
  if (element.undeveloped) return { status: 'undeveloped', label: 'undeveloped' };
  return { status: 'ok', label: '' };
}

/**
 * The diagram of a safety case: every element of `modules` (the opened file's module first; an id defined twice
 * keeps its first definition, as in gsn2x), each reference as an edge, and a `missing` node for every id that is
 * referenced but defined nowhere.
 */
export function buildDiagramGraph(modules: readonly GsnModule[], options: { uri: string; resolve: EvidenceResolver }): DiagramGraph {
  const nodes: DiagramNode[] = [];
  const byId = new Map<string, DiagramNode>();
  for (const module of modules) {
    for (const element of module.elements) {
      if (byId.has(element.id)) continue;
      const { status, label } = elementStatus(element, options.resolve);
      const node: DiagramNode = {
        id: element.id,
        type: element.type,
        text: element.text,
        status,
        statusLabel: label,
        undeveloped: element.undeveloped,
        module: module.name,
        location: { uri: module.uri, offset: element.idSpan.start },
      };
      byId.set(element.id, node);
      nodes.push(node);
    }
  }
  const edges: DiagramEdge[] = [];
  const seenEdges = new Set<string>();
  const link = (from: string, to: string, relation: DiagramRelation) => {
    const key = `${from}\u0000${to}\u0000${relation}`;
    if (seenEdges.has(key)) return;
    seenEdges.add(key);
    if (!byId.has(to)) {
      const missing: DiagramNode = { id: to, type: typeFromId(to), text: 'not defined', status: 'missing', statusLabel: 'missing', undeveloped: false, module: '' };
      byId.set(to, missing);
      nodes.push(missing);
    }
    edges.push({ from, to, relation });
  };
  for (const module of modules) {
    for (const element of module.elements) {
      // Only the counted definition contributes edges, so a duplicate id cannot graft a second subtree on.
      if (byId.get(element.id)?.location?.uri !== module.uri || byId.get(element.id)?.location?.offset !== element.idSpan.start) continue;
      for (const ref of element.supportedBy) link(element.id, ref.id, 'supportedBy');
      for (const ref of element.inContextOf) link(element.id, ref.id, 'inContextOf');
      const challenged = element.challenges ?? element.challengesRelation?.from;
      if (challenged) link(element.id, challenged.id, 'challenges');
    }
  }
  const names = [...new Set(modules.map((m) => m.name))];
  return { title: names.join(', '), uri: options.uri, nodes, edges };
}

// ---------------------------------------------------------------------------------------------
// Geometry

export type DiagramShape = 'rectangle' | 'parallelogram' | 'circle' | 'stadium' | 'ellipse';

export interface Point {
  x: number;
  y: number;
}

export interface TextLine {
  text: string;
  /** Relative to the node's top-left corner; `y` is the baseline. */
  x: number;
  y: number;
  role: 'id' | 'text' | 'status';
}

export interface NodeGeometry {
  shape: DiagramShape;
  width: number;
  height: number;
  /** Height of the shape itself; an undeveloped element's diamond hangs below it. */
  shapeHeight: number;
  lines: TextLine[];
  /** `A` or `J` beside an Assumption or Justification, as GSN draws them. */
  corner?: TextLine;
}

export const FONT_SIZE = 12;
const LINE_HEIGHT = 16;
const PAD = 10;
const SKEW = 16;
const DIAMOND = 16;
const MAX_TEXT_LINES = 6;
const BOLD = 1.1;

const SHAPES: Record<GsnElementType, DiagramShape> = {
  Goal: 'rectangle',
  CounterGoal: 'rectangle',
  Strategy: 'parallelogram',
  Solution: 'circle',
  CounterSolution: 'circle',
  Context: 'stadium',
  Assumption: 'ellipse',
  Justification: 'ellipse',
};

/** Text column width per shape: circles and ellipses wrap narrower because their box grows faster. */
const WRAP_WIDTH: Record<DiagramShape, number> = { rectangle: 190, parallelogram: 180, stadium: 180, circle: 120, ellipse: 140 };

/**
 * Approximate advance of a character in a 12 px sans-serif font. Errs wide, so text stays inside its shape in
 * every font the page may fall back to (the page cannot tell the host what the font measures).
 */
function charWidth(code: number): number {
  if (code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || code >= 0x1f300)) return 12.5;
  if (code === 0x20) return 3.6;
  if ('il.,;:!|\'`()[]{}fjtrI'.includes(String.fromCharCode(code))) return 4.2;
  if ('mwMW@%'.includes(String.fromCharCode(code))) return 10.5;
  if (code >= 0x41 && code <= 0x5a) return 8.2;
  return 6.9;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0) ?? 0x20);
  return width;
}

/** Greedy word wrap to `max` px; words longer than a line are cut; past `maxLines` the last line ends in `…`. */
export function wrapText(text: string, max: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  const push = (line: string) => {
    lines.push(line);
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (textWidth(candidate) <= max) {
      current = candidate;
      continue;
    }
    if (current) push(current);
    current = '';
    let rest = word;
    while (textWidth(rest) > max) {
      let cut = 0;
      let width = 0;
      for (const char of rest) {
        const w = charWidth(char.codePointAt(0) ?? 0x20);
        if (width + w > max && cut > 0) break;
        width += w;
        cut += char.length;
      }
      push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1];
  while (last.length > 0 && textWidth(`${last}…`) > max) last = last.slice(0, -1);
  kept[maxLines - 1] = `${last.trimEnd()}…`;
  return kept;
}

/** Size, shape and text placement of one node. */
export function nodeGeometry(node: DiagramNode): NodeGeometry {
  const shape: DiagramShape = node.type ? SHAPES[node.type] : 'rectangle';
  const wrap = WRAP_WIDTH[shape];
  // The id is set in bold, which runs about a tenth wider than the estimate; long ids wrap like text.
  const rows: { text: string; role: TextLine['role'] }[] = wrapText(node.id, wrap / BOLD, 2).map((text) => ({ text, role: 'id' }));
  for (const text of wrapText(node.text, wrap, MAX_TEXT_LINES)) rows.push({ text, role: 'text' });
  if (node.statusLabel) rows.push({ text: node.statusLabel, role: 'status' });
  const contentWidth = Math.max(40, ...rows.map((r) => Math.ceil(textWidth(r.text) * (r.role === 'id' ? BOLD : 1))));
  const contentHeight = rows.length * LINE_HEIGHT;
  let width: number;
  let shapeHeight: number;
  switch (shape) {
    case 'circle':
      width = shapeHeight = Math.ceil(Math.hypot(contentWidth, contentHeight)) + 8;
      break;
    case 'ellipse':
      // The ellipse through the content box's corners with the box's aspect ratio: semi-axes = half-sides × √2.
      width = Math.ceil(contentWidth * Math.SQRT2) + PAD;
      shapeHeight = Math.ceil(contentHeight * Math.SQRT2) + PAD;
      break;
    case 'parallelogram':
      width = contentWidth + 2 * PAD + 2 * SKEW;
      shapeHeight = contentHeight + 2 * PAD;
      break;
    case 'stadium':
      shapeHeight = contentHeight + 2 * PAD;
      width = contentWidth + 2 * PAD + Math.min(shapeHeight / 2, 20);
      break;
    case 'rectangle':
      width = contentWidth + 2 * PAD;
      shapeHeight = contentHeight + 2 * PAD;
      break;
  }
  const top = (shapeHeight - contentHeight) / 2;
  const lines = rows.map((row, i) => ({ text: row.text, role: row.role, x: width / 2, y: top + i * LINE_HEIGHT + LINE_HEIGHT * 0.75 }));
  const geometry: NodeGeometry = { shape, width, height: shapeHeight + (node.undeveloped ? DIAMOND : 0), shapeHeight, lines };
  if (node.type === 'Assumption' || node.type === 'Justification') {
    geometry.corner = { text: node.type[0], role: 'id', x: width - 2, y: shapeHeight - 2 };
  }
  return geometry;
}

/** The outline of a shape as one SVG path, in node-local coordinates. */
export function shapePath(shape: DiagramShape, width: number, height: number): string {
  const w = round(width);
  const h = round(height);
  switch (shape) {
    case 'rectangle':
      return `M0 0H${w}V${h}H0Z`;
    case 'parallelogram':
      return `M${SKEW} 0H${w}L${w - SKEW} ${h}H0Z`;
    case 'stadium': {
      const r = round(Math.min(h / 2, 20));
      return `M${r} 0H${round(w - r)}A${r} ${r} 0 0 1 ${w} ${r}V${round(h - r)}A${r} ${r} 0 0 1 ${round(w - r)} ${h}H${r}A${r} ${r} 0 0 1 0 ${round(h - r)}V${r}A${r} ${r} 0 0 1 ${r} 0Z`;
    }
    case 'circle':
    case 'ellipse': {
      const rx = round(w / 2);
      const ry = round(h / 2);
      return `M0 ${ry}A${rx} ${ry} 0 1 1 ${w} ${ry}A${rx} ${ry} 0 1 1 0 ${ry}Z`;
    }
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// Layout

/** The slice of elkjs' API we use (`new ELK()` from `elkjs/lib/elk.bundled.js` satisfies it). */
export interface ElkEngine {
  layout(graph: ElkGraph): Promise<ElkGraph>;
}

export interface ElkGraph {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkGraph[];
  ports?: { id: string; x?: number; y?: number; width?: number; height?: number; layoutOptions?: Record<string, string> }[];
  edges?: {
    id: string;
    sources: string[];
    targets: string[];
    sections?: { startPoint: Point; endPoint: Point; bendPoints?: Point[] }[];
  }[];
}

export interface PositionedNode extends DiagramNode {
  x: number;
  y: number;
  geometry: NodeGeometry;
}

export interface PositionedEdge extends DiagramEdge {
  points: Point[];
  /** The arrowhead's triangle, tip first. */
  arrow: Point[];
}

export interface DiagramLayout {
  width: number;
  height: number;
  nodes: PositionedNode[];
  edges: PositionedEdge[];
}

const MARGIN = 20;

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Measured with elkjs 0.12 in Node on the 500-element tree of gsn-layout.test.ts (CPU time, first run / warm):
  // Brandes–Köpf placement 1.6 s / 0.35 s, network simplex 2.2 s / 0.9 s, with model order kept 1.7 s warm.
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.spacing.nodeNode': '24',
  'elk.spacing.edgeNode': '16',
  'elk.spacing.componentComponent': '40',
  'elk.separateConnectedComponents': 'true',
};

// Edges leave a node at the middle of its bottom and enter at the middle of its top, the GSN convention, and
// what keeps arrows on a circle's or ellipse's outline rather than on its bounding box.
const PORT_OPTIONS = { 'elk.portConstraints': 'FIXED_POS' };

/** The ELK input for a graph: node sizes from `nodeGeometry`, one fixed port top and bottom. */
export function elkGraphOf(graph: DiagramGraph, geometries: ReadonlyMap<string, NodeGeometry>): ElkGraph {
  const children: ElkGraph[] = graph.nodes.map((node) => {
    const g = geometries.get(node.id)!;
    return {
      id: node.id,
      width: g.width,
      height: g.height,
      layoutOptions: PORT_OPTIONS,
      ports: [
        { id: `${node.id}\u0000in`, x: g.width / 2, y: 0, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'NORTH' } },
        { id: `${node.id}\u0000out`, x: g.width / 2, y: g.shapeHeight, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'SOUTH' } },
      ],
    };
  });
  const edges = graph.edges.map((edge, i) => ({ id: `e${i}`, sources: [`${edge.from}\u0000out`], targets: [`${edge.to}\u0000in`] }));
  return { id: 'root', layoutOptions: LAYOUT_OPTIONS, children, edges };
}

/** Lays the graph out top-down. Never rejects for a graph `buildDiagramGraph` made; cycles are laid out too. */
export async function layoutDiagram(graph: DiagramGraph, elk: ElkEngine): Promise<DiagramLayout> {
  const geometries = new Map(graph.nodes.map((n) => [n.id, nodeGeometry(n)] as const));
  const result = await elk.layout(elkGraphOf(graph, geometries));
  const placed = new Map((result.children ?? []).map((c) => [c.id, c] as const));
  const nodes: PositionedNode[] = graph.nodes.map((node) => {
    const at = placed.get(node.id);
    return { ...node, x: MARGIN + (at?.x ?? 0), y: MARGIN + (at?.y ?? 0), geometry: geometries.get(node.id)! };
  });
  const laidEdges = new Map((result.edges ?? []).map((e) => [e.id, e] as const));
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const edges: PositionedEdge[] = graph.edges.map((edge, i) => {
    const section = laidEdges.get(`e${i}`)?.sections?.[0];
    let points: Point[];
    if (section) {
      points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: round(p.x + MARGIN), y: round(p.y + MARGIN) }));
    } else {
      const from = byId.get(edge.from)!;
      const to = byId.get(edge.to)!;
      points = [
        { x: from.x + from.geometry.width / 2, y: from.y + from.geometry.shapeHeight },
        { x: to.x + to.geometry.width / 2, y: to.y },
      ];
    }
    return { ...edge, points, arrow: arrowHead(points) };
  });
  const width = Math.ceil((result.width ?? 0) + 2 * MARGIN);
  const height = Math.ceil((result.height ?? 0) + 2 * MARGIN);
  return { width, height, nodes, edges };
}

const ARROW_LENGTH = 10;
const ARROW_HALF_WIDTH = 5;

function arrowHead(points: readonly Point[]): Point[] {
  const tip = points[points.length - 1];
  // The last segment with a length gives the direction (ELK may repeat a point).
  let from = points[points.length - 2] ?? { x: tip.x, y: tip.y - 1 };
  for (let i = points.length - 2; i >= 0 && from.x === tip.x && from.y === tip.y; i--) from = points[i];
  const length = Math.hypot(tip.x - from.x, tip.y - from.y) || 1;
  const ux = (tip.x - from.x) / length;
  const uy = (tip.y - from.y) / length;
  const bx = tip.x - ux * ARROW_LENGTH;
  const by = tip.y - uy * ARROW_LENGTH;
  return [
    { x: round(tip.x), y: round(tip.y) },
    { x: round(bx - uy * ARROW_HALF_WIDTH), y: round(by + ux * ARROW_HALF_WIDTH) },
    { x: round(bx + uy * ARROW_HALF_WIDTH), y: round(by - ux * ARROW_HALF_WIDTH) },
  ];
}

// ---------------------------------------------------------------------------------------------
// Scene: the drawing as data, shared by the page (DOM) and the export (text)

export type SceneTag = 'g' | 'path' | 'polyline' | 'polygon' | 'text' | 'title';

export interface SceneElement {
  tag: SceneTag;
  /** Attribute names are literals from this module; values may carry element ids and are escaped on output. */
  attrs: Record<string, string>;
  /** Text content (element text is user data: it is only ever a text node). */
  text?: string;
  children?: SceneElement[];
}

function points(list: readonly Point[]): string {
  return list.map((p) => `${p.x},${p.y}`).join(' ');
}

/** Classes the page's stylesheet and the export's palette both style. */
export function nodeClass(node: DiagramNode, shape: DiagramShape): string {
  const type = (node.type ?? 'Unknown').toLowerCase();
  return `node type-${type} shape-${shape} status-${node.status}${node.type?.startsWith('Counter') ? ' counter' : ''}`;
}

/** The drawing: edges first (under the nodes), then one group per node carrying `data-id`. */
export function diagramScene(layout: DiagramLayout): SceneElement[] {
  const edges: SceneElement[] = layout.edges.map((edge) => ({
    tag: 'g',
    attrs: { class: `edge relation-${edge.relation}`, 'data-from': edge.from, 'data-to': edge.to },
    children: [
      { tag: 'polyline', attrs: { class: 'edge-line', points: points(edge.points) } },
      { tag: 'polygon', attrs: { class: 'edge-arrow', points: points(edge.arrow) } },
    ],
  }));
  const nodes: SceneElement[] = layout.nodes.map((node) => {
    const g = node.geometry;
    const children: SceneElement[] = [
      { tag: 'title', attrs: {}, text: [`${node.id} (${node.type ?? 'unknown type'})`, node.text, node.statusLabel, node.module].filter(Boolean).join('\n') },
      { tag: 'path', attrs: { class: 'node-shape', d: shapePath(g.shape, g.width, g.shapeHeight) } },
    ];
    if (node.undeveloped) {
      const cx = round(g.width / 2);
      const top = g.shapeHeight;
      children.push({
        tag: 'path',
        attrs: { class: 'node-undeveloped', d: `M${cx} ${top}L${cx + DIAMOND / 2} ${top + DIAMOND / 2}L${cx} ${top + DIAMOND}L${cx - DIAMOND / 2} ${top + DIAMOND / 2}Z` },
      });
    }
    for (const line of g.lines) {
      children.push({ tag: 'text', attrs: { class: `node-${line.role}`, x: String(round(line.x)), y: String(round(line.y)), 'text-anchor': 'middle' }, text: line.text });
    }
    if (g.corner) {
      children.push({ tag: 'text', attrs: { class: 'node-corner', x: String(round(g.corner.x)), y: String(round(g.corner.y)), 'text-anchor': 'end' }, text: g.corner.text });
    }
    return {
      tag: 'g',
      attrs: { class: nodeClass(node, g.shape), 'data-id': node.id, transform: `translate(${round(node.x)} ${round(node.y)})` },
      children,
    };
  });
  return [{ tag: 'g', attrs: { class: 'edges' }, children: edges }, { tag: 'g', attrs: { class: 'nodes' }, children: nodes }];
}

/** Colours of a standalone SVG (the page uses the editor theme's colours instead). */
export interface DiagramPalette {
  background: string;
  foreground: string;
  nodeFill: string;
  border: string;
  edge: string;
  status: Record<Exclude<DiagramStatus, 'ok'>, string>;
}

export const LIGHT_PALETTE: DiagramPalette = {
  background: '#ffffff',
  foreground: '#1f1f1f',
  nodeFill: '#f8f8f8',
  border: '#5a5a5a',
  edge: '#5a5a5a',
  status: {
    retracted: '#b0141b',
    unresolved: '#c72e0f',
    contested: '#a65e00',
    missing: '#8a8a8a',
    unsupported: '#b35a00',
    undeveloped: '#6f42c1',
  },
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Strips what XML 1.0 cannot carry at all (control characters, lone surrogates), so the file always parses. */
function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function paletteCss(p: DiagramPalette): string {
  const status = (Object.keys(p.status) as (keyof DiagramPalette['status'])[])
    .map((s) => `.status-${s} .node-shape{stroke:${p.status[s]};stroke-width:2.5}.status-${s} .node-status{fill:${p.status[s]}}`)
    .join('');
  return (
    `text{font-family:system-ui,-apple-system,'Segoe UI',Ubuntu,sans-serif;font-size:${FONT_SIZE}px;fill:${p.foreground}}` +
    `.node-shape{fill:${p.nodeFill};stroke:${p.border};stroke-width:1.5}.counter .node-shape,.status-missing .node-shape{stroke-dasharray:5 3}` +
    `.node-id{font-weight:bold}.node-status{font-style:italic}.node-undeveloped{fill:none;stroke:${p.border};stroke-width:1.5}` +
    `.edge-line{fill:none;stroke:${p.edge};stroke-width:1.5}.edge-arrow{fill:${p.edge};stroke:${p.edge}}` +
    `.relation-inContextOf .edge-arrow{fill:${p.background}}.relation-challenges .edge-line{stroke-dasharray:6 3}` +
    status
  );
}

function serialize(element: SceneElement, out: string[]): void {
  out.push(`<${element.tag}`);
  for (const [name, value] of Object.entries(element.attrs)) out.push(` ${name}="${escapeXml(xmlSafe(value))}"`);
  out.push('>');
  if (element.text !== undefined) out.push(escapeXml(xmlSafe(element.text)));
  for (const child of element.children ?? []) serialize(child, out);
  out.push(`</${element.tag}>`);
}

/** A standalone SVG file of the laid-out diagram. */
export function sceneToSvg(layout: DiagramLayout, title: string, palette: DiagramPalette = LIGHT_PALETTE): string {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img">`,
    `<title>${escapeXml(xmlSafe(title))}</title>`,
    `<style>${paletteCss(palette)}</style>`,
    `<rect width="100%" height="100%" fill="${palette.background}"/>`,
  ];
  for (const element of diagramScene(layout)) serialize(element, out);
  out.push('</svg>\n');
  return out.join('');
}
