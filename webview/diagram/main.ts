// The safety-case diagram page: lays the host's argument graph out with elkjs (here, so the extension host never
// blocks on a large case), draws it as SVG built element by element (file text only ever becomes text nodes),
// reveals a node's source on click or Enter, zooms, and exports the drawing as a standalone SVG.
import ELK from 'elkjs/lib/elk.bundled.js';
import { diagramScene, layoutDiagram, sceneToSvg, type DiagramLayout, type SceneElement } from '../../src/core/gsn/layout';
import { DIAGRAM_STATUSES, parseDiagramState, type DiagramGraph, type DiagramHostMessage, type DiagramPageMessage, type DiagramStatus } from '../../src/protocol/diagram';
import './diagram.css';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SVG_NS = 'http://www.w3.org/2000/svg';
const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2];
const STATUS_WORDS: Record<DiagramStatus, string> = {
  retracted: 'cites a retracted paper',
  unresolved: 'cites an unresolved key',
  contested: 'cites a contested paper',
  missing: 'referenced, not defined',
  unsupported: 'unsupported',
  undeveloped: 'undeveloped',
  ok: 'supported',
};

const elk = new ELK();
const root = document.getElementById('app') ?? document.body;

let current: { graph: DiagramGraph; layout: DiagramLayout; key: string } | undefined;
let zoom = 1;
/** The first drawing is fitted to the window (never below half size); later ones keep the reader's zoom. */
let fitted = false;
/** An export asked for before the first drawing was ready is answered right after it. */
let exportPending = false;
/** Layouts finish out of order when edits come fast; only the newest one is drawn. */
let generation = 0;

function post(message: DiagramPageMessage): void {
  vscode.postMessage(message);
}

function html<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function svgElement(scene: SceneElement): SVGElement {
  const element = document.createElementNS(SVG_NS, scene.tag);
  for (const [name, value] of Object.entries(scene.attrs)) element.setAttribute(name, value);
  if (scene.text !== undefined) element.textContent = scene.text;
  for (const child of scene.children ?? []) element.appendChild(svgElement(child));
  return element;
}

/** What decides the layout: ids, sizes (text, status words, diamonds) and edges. Status colours do not. */
function layoutKey(graph: DiagramGraph): string {
  return JSON.stringify([graph.nodes.map((n) => [n.id, n.type, n.text, n.statusLabel, n.undeveloped]), graph.edges.map((e) => [e.from, e.to, e.relation])]);
}

// The page's fixed parts, built once: toolbar, legend, status line and the canvas.
const heading = html('h1', { class: 'title' });
const status = html('p', { class: 'status', role: 'status' });
const canvas = html('div', { class: 'canvas', tabindex: '-1' });
const toolbar = html('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Diagram' });
const zoomLabel = html('span', { class: 'zoom-label', 'aria-live': 'polite' }, '100%');

function button(label: string, title: string, action: () => void): HTMLButtonElement {
  const element = html('button', { type: 'button', title, 'aria-label': title }, label);
  element.addEventListener('click', action);
  return element;
}

function setZoom(next: number): void {
  zoom = next;
  zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
  const svg = canvas.querySelector('svg');
  if (svg && current) {
    svg.setAttribute('width', String(Math.ceil(current.layout.width * zoom)));
    svg.setAttribute('height', String(Math.ceil(current.layout.height * zoom)));
  }
}

function step(direction: 1 | -1): void {
  const at = ZOOM_STEPS.findIndex((z) => z >= zoom - 1e-6);
  const index = Math.max(0, Math.min(ZOOM_STEPS.length - 1, (at < 0 ? ZOOM_STEPS.length - 1 : at) + direction));
  setZoom(ZOOM_STEPS[index]);
}

function fit(minimum = 0.1): void {
  if (!current) return;
  const scale = Math.min(1, (canvas.clientWidth - 8) / current.layout.width, (canvas.clientHeight - 8) / current.layout.height);
  setZoom(Math.max(minimum, scale));
}

function exportSvg(): void {
  exportPending = !current;
  if (current) post({ type: 'svg', svg: sceneToSvg(current.layout, current.graph.title) });
}

toolbar.append(
  button('−', 'Zoom out', () => step(-1)),
  zoomLabel,
  button('+', 'Zoom in', () => step(1)),
  button('Fit', 'Fit to window', () => fit()),
  button('Export SVG…', 'Export the diagram as SVG', exportSvg),
);

const legend = html('ul', { class: 'legend', 'aria-label': 'Legend' });
for (const s of DIAGRAM_STATUSES) {
  const item = html('li', { class: `legend-item status-${s}` });
  item.append(html('span', { class: 'swatch', 'aria-hidden': 'true' }), document.createTextNode(STATUS_WORDS[s]));
  legend.append(item);
}

const header = html('header', { class: 'header' });
header.append(heading, toolbar);
root.replaceChildren(header, legend, status, canvas);
status.textContent = 'Loading…';

function draw(graph: DiagramGraph, layout: DiagramLayout): void {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', `Argument graph of ${graph.title}`);
  for (const part of diagramScene(layout)) svg.appendChild(svgElement(part));
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  for (const group of Array.from(svg.querySelectorAll<SVGGElement>('g.node'))) {
    const node = byId.get(group.getAttribute('data-id') ?? '');
    if (!node?.location) continue;
    const location = node.location;
    group.setAttribute('tabindex', '0');
    group.setAttribute('role', 'button');
    group.setAttribute('aria-label', `${node.id}: ${node.text}${node.statusLabel ? ` (${node.statusLabel})` : ''}. Reveal in source.`);
    const reveal = () => post({ type: 'reveal', uri: location.uri, offset: location.offset });
    group.addEventListener('click', reveal);
    group.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        reveal();
      }
    });
  }
  const scrollLeft = canvas.scrollLeft;
  const scrollTop = canvas.scrollTop;
  canvas.replaceChildren(svg);
  setZoom(zoom);
  canvas.scrollLeft = scrollLeft;
  canvas.scrollTop = scrollTop;
}

/** A drawing wider than the window opens on the argument's top: the first element nothing points to. */
function centreOnTopElement(layout: DiagramLayout): void {
  const targets = new Set(layout.edges.map((e) => e.to));
  const top = layout.nodes.find((n) => !targets.has(n.id)) ?? layout.nodes[0];
  if (!top) return;
  canvas.scrollLeft = Math.max(0, (top.x + top.geometry.width / 2) * zoom - canvas.clientWidth / 2);
  canvas.scrollTop = 0;
}

function summary(graph: DiagramGraph, indexing: boolean): string {
  const counts = new Map<DiagramStatus, number>();
  for (const n of graph.nodes) counts.set(n.status, (counts.get(n.status) ?? 0) + 1);
  const problems = DIAGRAM_STATUSES.filter((s) => s !== 'ok' && counts.get(s)).map((s) => `${counts.get(s)} ${s}`);
  return `${graph.nodes.length} elements${problems.length ? ` · ${problems.join(' · ')}` : ''}${indexing ? ' · indexing, numbers will update' : ''}`;
}

async function show(graph: DiagramGraph, indexing: boolean): Promise<void> {
  const mine = ++generation;
  vscode.setState({ uri: graph.uri });
  heading.textContent = graph.title;
  document.title = `Diagram: ${graph.title}`;
  const key = layoutKey(graph);
  let layout: DiagramLayout;
  if (current && current.key === key) {
    // Same shapes and edges: keep the positions, take the new statuses.
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    layout = { ...current.layout, nodes: current.layout.nodes.map((n) => ({ ...n, ...byId.get(n.id)! })) };
  } else {
    root.setAttribute('aria-busy', 'true');
    status.textContent = `Laying out ${graph.nodes.length} elements…`;
    try {
      layout = await layoutDiagram(graph, elk);
    } catch (error) {
      if (mine === generation) status.textContent = `Could not lay the diagram out: ${String(error)}`;
      return;
    }
  }
  if (mine !== generation) return;
  current = { graph, layout, key };
  draw(graph, layout);
  if (!fitted) {
    fitted = true;
    fit(0.5);
    centreOnTopElement(layout);
  }
  status.textContent = summary(graph, indexing);
  root.setAttribute('aria-busy', 'false');
  if (exportPending) exportSvg();
}

window.addEventListener('message', (event: MessageEvent<DiagramHostMessage>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'graph':
      void show(message.graph, message.indexing);
      break;
    case 'empty':
      generation++;
      current = undefined;
      vscode.setState({ uri: message.uri });
      canvas.replaceChildren();
      status.textContent = message.reason;
      root.setAttribute('aria-busy', 'false');
      break;
    case 'requestSvg':
      exportSvg();
      break;
  }
});

// The state names the file for the serializer; reading it here validates what the page stored.
vscode.setState(parseDiagramState(vscode.getState()));
post({ type: 'ready' });
