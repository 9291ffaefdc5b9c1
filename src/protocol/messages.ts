// The one message protocol between panel hosts (src/vscode/panels) and the page (webview/).
// Page→host messages are untrusted input: `parsePageMessage` is the only way the host reads them, and no
// message names a command — the host decides what each message type may do.
import type {
  DashboardView,
  ListItem,
  MethodsView,
  PaperView,
  ProblemsView,
  SourceLocation,
} from './viewModels';

export type PanelKind = 'problems' | 'methods' | 'paper' | 'dashboard';

export const panelKinds: readonly PanelKind[] = ['problems', 'methods', 'paper', 'dashboard'];

/** `vscode.WebviewPanel.viewType` of each panel; package.json lists the matching `onWebviewPanel:` events. */
export const viewTypes: Record<PanelKind, string> = {
  problems: 'interpReview.problems',
  methods: 'interpReview.methods',
  paper: 'interpReview.paper',
  dashboard: 'interpReview.dashboard',
};

/** `state`, on the first model a new page gets, is the panel's last saved state for the page to resume. */
export type ModelMessage = { indexing: boolean; state?: PanelState } & (
  | { type: 'model'; view: 'problems'; model: ProblemsView }
  | { type: 'model'; view: 'methods'; model: MethodsView }
  | { type: 'model'; view: 'paper'; model: PaperView }
  | { type: 'model'; view: 'dashboard'; model: DashboardView }
);

export type HostMessage =
  | ModelMessage
  /** Rows `start`… of the list behind a `ListPreview`, answering `requestList`; `total` is its current size. */
  | { type: 'list'; id: string; start: number; total: number; items: ListItem[] }
  /** Bring one item (a problem or method id) into view, e.g. after a click in another panel. */
  | { type: 'focus'; id: string };

export type PageMessage =
  | { type: 'ready' }
  /** The page's UI state changed (it also keeps it with `setState`); the host saves it for the next window. */
  | { type: 'state'; state: PanelState }
  | { type: 'open'; target: SourceLocation }
  | { type: 'openPaper'; key: string }
  | { type: 'openView'; view: Exclude<PanelKind, 'paper'>; focus?: string }
  /** Rows `start` to `start + count` of a list the host named in a model. */
  | { type: 'requestList'; id: string; start: number; count: number };

/** Most rows one `requestList` may ask for: a few screens, so no answer is large. */
export const MAX_LIST_PAGE = 500;

/** What a page persists with `setState`; VS Code hands it back to the serializer after a reload. */
export interface PanelState {
  view: PanelKind;
  /** The Paper panel's key. */
  key?: string;
  filter?: string;
  /** Selected tab or group filter. */
  tab?: string;
  gapsOnly?: boolean;
  scrollTop?: number;
}

// ---------------------------------------------------------------------------------------------
// Validation. Limits keep a hostile page from making the host do unbounded work.

const MAX_STRING = 4096;
const MAX_URI = 8192;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function boundedString(value: unknown, max = MAX_STRING): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function isOffset(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseLocation(value: unknown): SourceLocation | undefined {
  if (!isRecord(value)) return undefined;
  const { kind, uri, offset } = value;
  if (kind !== 'note' && kind !== 'entry' && kind !== 'citation') return undefined;
  if (!boundedString(uri, MAX_URI) || !isOffset(offset)) return undefined;
  return { kind, uri, offset };
}

/**
 * The page message `raw` denotes, or undefined when it is not exactly one of the protocol's shapes.
 * Returns fresh objects holding only the known fields, so nothing extra the page sent travels further.
 */
export function parsePageMessage(raw: unknown): PageMessage | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'state': {
      const view = isRecord(raw.state) ? raw.state.view : undefined;
      if (!panelKinds.includes(view as PanelKind)) return undefined;
      return { type: 'state', state: parsePanelState(raw.state, view as PanelKind) };
    }
    case 'open': {
      const target = parseLocation(raw.target);
      return target && { type: 'open', target };
    }
    case 'openPaper':
      return boundedString(raw.key) ? { type: 'openPaper', key: raw.key } : undefined;
    case 'openView': {
      const view = raw.view;
      if (view !== 'problems' && view !== 'methods' && view !== 'dashboard') return undefined;
      if (raw.focus === undefined) return { type: 'openView', view };
      return boundedString(raw.focus) ? { type: 'openView', view, focus: raw.focus } : undefined;
    }
    case 'requestList': {
      const { id, start, count } = raw;
      if (!boundedString(id) || !isOffset(start) || !isOffset(count) || count === 0 || count > MAX_LIST_PAGE) return undefined;
      return { type: 'requestList', id, start, count };
    }
    default:
      return undefined;
  }
}

/**
 * The panel state `raw` denotes for a panel of kind `view`, dropping fields of the wrong type. The state comes
 * back from the page's storage, so it is as untrusted as a message.
 */
export function parsePanelState(raw: unknown, view: PanelKind): PanelState {
  const state: PanelState = { view };
  if (!isRecord(raw)) return state;
  if (boundedString(raw.key)) state.key = raw.key;
  if (typeof raw.filter === 'string' && raw.filter.length <= MAX_STRING) state.filter = raw.filter;
  if (boundedString(raw.tab)) state.tab = raw.tab;
  if (typeof raw.gapsOnly === 'boolean') state.gapsOnly = raw.gapsOnly;
  if (typeof raw.scrollTop === 'number' && Number.isFinite(raw.scrollTop) && raw.scrollTop >= 0) {
    state.scrollTop = raw.scrollTop;
  }
  return state;
}
