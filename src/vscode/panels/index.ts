// Registers the four review panels: their commands, and the serializers that bring them back after a reload.
import * as vscode from 'vscode';
import { parsePanelState, viewTypes, type PanelKind, type PanelState } from '../../protocol/messages';
import { replacementPlacement, StallReplacements, type PanelPlacement } from '../pageStart';
import { DashboardPanel } from './dashboardPanel';
import { panelTitle } from './html';
import { MethodsPanel } from './methodsPanel';
import { isKnownKey, type PanelHost, type PanelServices, type ReviewPanel } from './panelBase';
import { PaperPanel } from './paperPanel';
import { ProblemsPanel } from './problemsPanel';

type SingletonKind = Exclude<PanelKind, 'paper'>;

const singletonPanels: Record<SingletonKind, new (panel: vscode.WebviewPanel, host: PanelHost, savedState?: PanelState) => ReviewPanel> = {
  problems: ProblemsPanel,
  methods: MethodsPanel,
  dashboard: DashboardPanel,
};

const STATE_KEY = 'interpReview.panelStates';
/** Paper panels come and go by the hundred; only the most recently used keep their state. */
const MAX_SAVED_STATES = 50;

function stateId(state: PanelState): string {
  return state.view === 'paper' ? `paper:${state.key ?? ''}` : state.view;
}

/**
 * Panel UI states kept in the workspace's storage. The page also keeps its state with `setState`, which VS Code
 * hands to the serializer, but the workbench may persist that before the last change; this copy is current.
 */
class PanelStateStore {
  constructor(private readonly memento: vscode.Memento) {}

  get(id: string): PanelState | undefined {
    const saved = this.memento.get<Record<string, unknown>>(STATE_KEY, {})[id];
    const kind = id.startsWith('paper:') ? 'paper' : id;
    return saved === undefined || !(Object.keys(viewTypes) as string[]).includes(kind) ? undefined : parsePanelState(saved, kind as PanelKind);
  }

  set(state: PanelState): void {
    const id = stateId(state);
    const saved = { ...this.memento.get<Record<string, unknown>>(STATE_KEY, {}) };
    delete saved[id];
    saved[id] = state;
    const ids = Object.keys(saved);
    for (const old of ids.slice(0, Math.max(0, ids.length - MAX_SAVED_STATES))) delete saved[old];
    void this.memento.update(STATE_KEY, saved);
  }
}

/** Owns the open panels: at most one of each overview, one Paper panel per key. */
export class PanelRegistry implements PanelHost, vscode.Disposable {
  private readonly singletons = new Map<SingletonKind, ReviewPanel>();
  private readonly papers = new Map<string, PaperPanel>();
  private readonly states: PanelStateStore;
  private readonly stallReplacements: StallReplacements;

  constructor(readonly services: PanelServices) {
    this.states = new PanelStateStore(services.context.workspaceState);
    this.stallReplacements = new StallReplacements(services.log);
  }

  saveState(state: PanelState): void {
    this.states.set(state);
  }

  pageStalled(panel: ReviewPanel): void {
    if (!this.stallReplacements.allow(stateId(panel.state), `${panelTitle(panel.kind)} panel`)) return;
    const replacement = this.createWebviewPanel(panel.kind, replacementPlacement(panel.panel));
    // Adopted before the old one goes, so its dispose listener finds the replacement registered and leaves it.
    const state = panel.resumeState;
    if (panel instanceof PaperPanel) this.adoptPaper(replacement, panel.key, state);
    else this.adopt(panel.kind as SingletonKind, replacement, state);
    panel.dispose();
  }

  pageStarted(panel: ReviewPanel): void {
    this.stallReplacements.started(stateId(panel.state));
  }

  /** The open panel of a kind (for Paper: of a key), if any. */
  get(kind: PanelKind, key?: string): ReviewPanel | undefined {
    return kind === 'paper' ? (key === undefined ? undefined : this.papers.get(key)) : this.singletons.get(kind);
  }

  openView(kind: SingletonKind, focus?: string): ReviewPanel {
    let panel = this.singletons.get(kind);
    if (panel) panel.reveal();
    else panel = this.adopt(kind, this.createWebviewPanel(kind));
    if (focus) panel.focus(focus);
    return panel;
  }

  openPaper(key: string): PaperPanel {
    const open = this.papers.get(key);
    if (open) {
      open.reveal();
      return open;
    }
    return this.adoptPaper(this.createWebviewPanel('paper'), key);
  }

  /**
   * Takes over a panel VS Code restored after a reload. `rawState` is what the page stored, so it is validated
   * like a message; a Paper panel whose key is gone is closed rather than shown empty.
   */
  restore(kind: PanelKind, webviewPanel: vscode.WebviewPanel, rawState: unknown): ReviewPanel | undefined {
    const state = parsePanelState(rawState, kind);
    if (kind === 'paper') {
      if (state.key === undefined || this.papers.has(state.key)) {
        webviewPanel.dispose();
        return undefined;
      }
      return this.adoptPaper(webviewPanel, state.key, this.states.get(stateId(state)) ?? state);
    }
    const existing = this.singletons.get(kind);
    if (existing) {
      webviewPanel.dispose();
      return existing;
    }
    return this.adopt(kind, webviewPanel, this.states.get(kind) ?? state);
  }

  private createWebviewPanel(
    kind: PanelKind,
    show: PanelPlacement = vscode.ViewColumn.Beside,
  ): vscode.WebviewPanel {
    // Options are set again by the panel; these two only matter at creation.
    return vscode.window.createWebviewPanel(viewTypes[kind], panelTitle(kind), show, {
      enableScripts: true,
      enableFindWidget: true,
    });
  }

  private adopt(kind: SingletonKind, webviewPanel: vscode.WebviewPanel, savedState?: PanelState): ReviewPanel {
    const panel = new singletonPanels[kind](webviewPanel, this, savedState);
    this.singletons.set(kind, panel);
    panel.onDidDispose(() => {
      if (this.singletons.get(kind) === panel) this.singletons.delete(kind);
    });
    return panel;
  }

  private adoptPaper(webviewPanel: vscode.WebviewPanel, key: string, savedState?: PanelState): PaperPanel {
    const panel = new PaperPanel(webviewPanel, this, key, savedState);
    this.papers.set(key, panel);
    panel.onDidDispose(() => {
      if (this.papers.get(key) === panel) this.papers.delete(key);
    });
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.singletons.values(), ...this.papers.values()]) panel.dispose();
    this.singletons.clear();
    this.papers.clear();
  }
}

/**
 * From code the argument is the key; from the Papers view it is a tree node with a `key`; from the palette or
 * the editor's context menu it is absent or a URI, and the cursor decides.
 */
function keyFromArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg || undefined;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { key?: unknown }).key === 'string') return (arg as { key: string }).key;
  return undefined;
}

/** The key under the cursor (a citation, or the note's own `citekey`) in the active editor. */
function keyAtCursor(services: PanelServices): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const doc = services.index.document(editor.document.uri.toString());
  if (!doc) return undefined;
  const offset = editor.document.offsetAt(editor.selection.active);
  const citation = doc.citations.find((c) => c.span.start <= offset && offset <= c.span.end);
  return citation?.key ?? doc.note?.citekey;
}

async function pickKey(services: PanelServices): Promise<string | undefined> {
  const items = [...services.index.keys()].sort().map((key) => {
    const info = services.index.resolve(key)?.info;
    return { label: key, description: info?.year, detail: info?.title };
  });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Paper to open', matchOnDetail: true });
  return picked?.label;
}

export function registerPanels(services: PanelServices): vscode.Disposable {
  const registry = new PanelRegistry(services);
  const serializer = (kind: PanelKind): vscode.WebviewPanelSerializer => ({
    async deserializeWebviewPanel(webviewPanel, state) {
      registry.restore(kind, webviewPanel, state);
    },
  });
  return vscode.Disposable.from(
    registry,
    vscode.commands.registerCommand('interpReview.openProblems', () => {
      registry.openView('problems');
    }),
    vscode.commands.registerCommand('interpReview.openMethods', () => {
      registry.openView('methods');
    }),
    vscode.commands.registerCommand('interpReview.openDashboard', () => {
      registry.openView('dashboard');
    }),
    vscode.commands.registerCommand('interpReview.openPaper', async (arg?: unknown) => {
      const key = keyFromArgument(arg) || keyAtCursor(services) || (await pickKey(services));
      if (!key) return;
      if (!isKnownKey(services.index, key)) {
        void vscode.window.showWarningMessage(`No paper or citation with key "${key}" in this workspace.`);
        return;
      }
      registry.openPaper(key);
    }),
    ...(Object.keys(viewTypes) as PanelKind[]).map((kind) =>
      vscode.window.registerWebviewPanelSerializer(viewTypes[kind], serializer(kind)),
    ),
  );
}
