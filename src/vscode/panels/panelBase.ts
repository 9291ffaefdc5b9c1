// What every panel shares: the HTML shell, validated messages, live updates from the index (deferred while
// hidden), answering list requests, opening editor locations, and disposing every listener it made.
import * as vscode from 'vscode';
import type { ReviewIndex } from '../../core/index/types';
import type { ListRegistry } from '../../core/views/common';
import { parsePageMessage, type HostMessage, type ModelMessage, type PageMessage, type PanelKind, type PanelState } from '../../protocol/messages';
import type { SourceLocation } from '../../protocol/viewModels';
import { PageStartWatch } from '../pageStart';
import { panelHtml, panelTitle, webviewOptions } from './html';

/** The part of `ExtensionServices` (services.ts) the panels use. */
export interface PanelServices {
  readonly context: Pick<vscode.ExtensionContext, 'extensionUri' | 'workspaceState'>;
  readonly index: ReviewIndex;
  readonly log: vscode.LogOutputChannel;
}

/** What panels need from the registry that owns them. */
export interface PanelHost {
  readonly services: PanelServices;
  /** Keeps a panel's UI state for the next window (see `PanelStateStore`). */
  saveState(state: PanelState): void;
  openPaper(key: string): void;
  openView(view: Exclude<PanelKind, 'paper'>, focus?: string): void;
  /** The page has not started in time: the host replaces the whole webview (see pageStart.ts). */
  pageStalled(panel: ReviewPanel): void;
  /** The page said `ready`: any stall behind this panel is over. */
  pageStarted(panel: ReviewPanel): void;
}

/** Index changes arrive in bursts while the user types; one rebuild per burst is enough. */
const REBUILD_DELAY_MS = 200;

export function displayPath(uri: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(uri), (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

export abstract class ReviewPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeListeners = new Set<() => void>();
  private lists: ListRegistry = new Map();
  private pageReady = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private disposed = false;
  /** An item to bring into view once the page has a model to find it in. */
  private pendingFocus: string | undefined;
  private rendered = false;
  private readonly startWatch: PageStartWatch;
  private awaitingIndex = false;

  constructor(
    readonly kind: PanelKind,
    readonly panel: vscode.WebviewPanel,
    protected readonly host: PanelHost,
    /** The UI state to resume, from the last window. */
    private savedState?: PanelState,
  ) {
    panel.webview.options = webviewOptions(host.services.context.extensionUri);
    this.startWatch = new PageStartWatch(panel, () => {
      if (!this.disposed && !this.pageReady) host.pageStalled(this);
    });
    panel.webview.html = panelHtml(panel.webview, host.services.context.extensionUri, this.kind);
    this.startWatch.expectStart();
    this.disposables.push(
      this.startWatch,
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          // A hidden webview loses its page; the next one says `ready` when shown.
          this.pageReady = false;
          return;
        }
        if (!this.pageReady) this.startWatch.expectStart();
      }),
      host.services.index.onDidChange(() => this.invalidate()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Builds this panel's model from the current index. */
  protected abstract build(): Promise<{ message: ModelMessage; lists: ListRegistry }>;

  /** What identifies this panel after a reload (its kind, and the Paper panel's key). */
  abstract get state(): PanelState;

  /** The UI state a replacement of this panel should resume: the page's latest, else the one it started from. */
  get resumeState(): PanelState | undefined {
    return this.savedState;
  }

  /** Whether a state the page reports belongs to this panel. */
  protected ownsState(state: PanelState): boolean {
    return state.view === this.kind;
  }

  onDidDispose(listener: () => void): vscode.Disposable {
    this.disposeListeners.add(listener);
    return new vscode.Disposable(() => this.disposeListeners.delete(listener));
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** Rebuilds if visible; a hidden panel has no page, and the next one asks for a model when shown. */
  invalidate(): void {
    if (!this.disposed && this.panel.visible) this.schedule(REBUILD_DELAY_MS);
  }

  /** Scrolls the page to a problem or method card, now or right after the first model arrives. */
  focus(id: string): void {
    if (this.rendered) this.post({ type: 'focus', id });
    else this.pendingFocus = id;
  }

  post(message: HostMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private schedule(delay: number): void {
    if (!this.pageReady || this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.render();
    }, delay);
  }

  private async render(): Promise<void> {
    const generation = ++this.generation;
    const started = performance.now();
    try {
      const { message, lists } = await this.build();
      // A newer render started while this one awaited; its result wins.
      if (generation !== this.generation || this.disposed) return;
      this.lists = lists;
      // The index may flip `indexing` after its last change event; rebuild once it is really done.
      if (message.indexing && !this.awaitingIndex) {
        this.awaitingIndex = true;
        void this.host.services.index.ready().then(() => {
          this.awaitingIndex = false;
          this.invalidate();
        });
      }
      // A page that has not had a model yet may be a fresh one: hand it the state to resume.
      this.post(!this.rendered && this.savedState ? { ...message, state: this.savedState } : message);
      this.rendered = true;
      if (this.pendingFocus) {
        this.post({ type: 'focus', id: this.pendingFocus });
        this.pendingFocus = undefined;
      }
      this.host.services.log.debug(`${panelTitle(this.kind)} panel built in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      this.host.services.log.error(`${panelTitle(this.kind)} panel failed to build: ${String(error)}`);
    }
  }

  /** Every message from the page enters here; only protocol-valid messages get any further. */
  receive(raw: unknown): Promise<void> {
    const message = parsePageMessage(raw);
    if (!message) {
      this.host.services.log.warn(`${panelTitle(this.kind)} panel: ignored a malformed message from the page`);
      return Promise.resolve();
    }
    return this.handle(message);
  }

  protected async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // Also after the page was recreated (hidden and shown again): it has nothing until the next model.
        this.pageReady = true;
        this.rendered = false;
        this.startWatch.started();
        this.host.pageStarted(this);
        this.schedule(0);
        return;
      case 'state':
        if (this.ownsState(message.state)) {
          this.savedState = message.state;
          this.host.saveState(message.state);
        }
        return;
      case 'open':
        await this.open(message.target);
        return;
      case 'openPaper':
        if (isKnownKey(this.host.services.index, message.key)) this.host.openPaper(message.key);
        return;
      case 'openView':
        this.host.openView(message.view, message.focus);
        return;
      case 'requestList': {
        // `Map.get` on our own registry: ids like `constructor` find nothing.
        const source = this.lists.get(message.id);
        if (source) {
          const items = source.slice(message.start, message.start + message.count);
          this.post({ type: 'list', id: message.id, start: message.start, total: source.total, items });
        }
        return;
      }
    }
  }

  /** Opens a location the index knows; anything else the page names is ignored. */
  private async open(target: SourceLocation): Promise<void> {
    if (!this.host.services.index.document(target.uri)) {
      this.host.services.log.warn(`${panelTitle(this.kind)} panel: refused to open a file the index does not know`);
      return;
    }
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri, true));
      const position = document.positionAt(Math.min(target.offset, document.getText().length));
      const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
      await vscode.window.showTextDocument(document, {
        viewColumn: column,
        selection: new vscode.Range(position, position),
        preview: true,
      });
    } catch (error) {
      this.host.services.log.error(`Could not open ${target.uri}: ${String(error)}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    for (const listener of [...this.disposeListeners]) listener();
    this.disposeListeners.clear();
    this.panel.dispose();
  }
}

/** A key the Paper panel can show: it resolves, or the workspace cites it (an unresolved key still has citations). */
export function isKnownKey(index: ReviewIndex, key: string): boolean {
  return index.resolve(key) !== undefined || index.corpus.papers.some((p) => p.key === key) || index.citationsOf(key).length > 0;
}
