// The safety-case diagram panel's protocol (src/vscode/safetyCase/diagramPanel.ts ↔ webview/diagram/).
// The host sends the argument as plain data; the page lays it out (elkjs), draws it and reports clicks.
// Page→host messages are untrusted: `parseDiagramPageMessage` is the only way the host reads them.
import type { GsnElementType } from '../core/gsn/types';

/** `vscode.WebviewPanel.viewType` of the diagram; package.json lists its `onWebviewPanel:` event. */
export const DIAGRAM_VIEW_TYPE = 'interpReview.safetyCaseDiagram';

/**
 * How an element holds up, worst first: cites a retracted paper, cites a key nothing defines, cites a contested
 * paper, is referenced but defined nowhere, has no support (a Goal/Strategy without `supportedBy`, a Solution
 * without papers or `url`), is marked undeveloped, or is fine.
 */
export type DiagramStatus = 'retracted' | 'unresolved' | 'contested' | 'missing' | 'unsupported' | 'undeveloped' | 'ok';

export const DIAGRAM_STATUSES: readonly DiagramStatus[] = ['retracted', 'unresolved', 'contested', 'missing', 'unsupported', 'undeveloped', 'ok'];

export type DiagramRelation = 'supportedBy' | 'inContextOf' | 'challenges';

export interface DiagramNode {
  /** The element id; unique within one diagram (the first definition wins, as in gsn2x). */
  id: string;
  /** Undefined when the id has no GSN prefix and no `nodeType`. */
  type?: GsnElementType;
  text: string;
  status: DiagramStatus;
  /** Short words for the status, shown under the text (e.g. `1 unresolved`). Empty when `ok`. */
  statusLabel: string;
  undeveloped: boolean;
  /** Module the element belongs to (shown when the diagram spans several). */
  module: string;
  /** Where the element is defined; absent for `missing` elements. */
  location?: { uri: string; offset: number };
}

export interface DiagramEdge {
  from: string;
  to: string;
  relation: DiagramRelation;
}

export interface DiagramGraph {
  /** The module (or modules) shown, for the title. */
  title: string;
  /** The safety-case file the diagram was opened on; the serializer reopens it after a reload. */
  uri: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export type DiagramHostMessage =
  | { type: 'graph'; graph: DiagramGraph; indexing: boolean }
  /** The safety case is gone (file deleted or no longer parses as one). */
  | { type: 'empty'; uri: string; reason: string }
  /** Asks the page for the current drawing as SVG (the Export command). */
  | { type: 'requestSvg' };

export type DiagramPageMessage =
  | { type: 'ready' }
  | { type: 'reveal'; uri: string; offset: number }
  | { type: 'svg'; svg: string };

/** What the page persists with `setState`; the serializer reopens the diagram of this file. */
export interface DiagramState {
  uri?: string;
}

// An SVG of a large case is a few MB; more than this is not a drawing of ours.
export const MAX_SVG_CHARS = 32 * 1024 * 1024;
const MAX_URI = 8192;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUri(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_URI;
}

/** The page message `raw` denotes, as a fresh object with only the known fields, or undefined. */
export function parseDiagramPageMessage(raw: unknown): DiagramPageMessage | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal': {
      const { uri, offset } = raw;
      if (!isUri(uri) || typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return undefined;
      return { type: 'reveal', uri, offset };
    }
    case 'svg': {
      const { svg } = raw;
      if (typeof svg !== 'string' || svg.length > MAX_SVG_CHARS || !svg.startsWith('<svg ')) return undefined;
      return { type: 'svg', svg };
    }
    default:
      return undefined;
  }
}

/** The state `raw` (from the page's storage, as untrusted as a message) denotes. */
export function parseDiagramState(raw: unknown): DiagramState {
  return isRecord(raw) && isUri(raw.uri) ? { uri: raw.uri } : {};
}
