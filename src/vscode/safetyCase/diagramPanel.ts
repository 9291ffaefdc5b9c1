// The diagram panel: the argument a safety-case file belongs to, drawn top-down in GSN shapes by the page
// (webview/diagram/, which runs elkjs so a large layout never blocks the extension host). Rebuilt as the index
// changes (debounced; deferred while hidden), a click on a node reveals it in the source, and the page's drawing
// can be saved as SVG. One panel per file; panels come back after a reload through the serializer.
import * as vscode from 'vscode';
import { buildDiagramGraph } from '../../core/gsn/layout';
import { DIAGRAM_VIEW_TYPE, parseDiagramPageMessage, parseDiagramState, type DiagramHostMessage } from '../../protocol/diagram';
import { PageStartWatch, replacementPlacement, StallReplacements, type PanelPlacement } from '../pageStart';
import { webviewOptions, webviewShell } from '../panels/html';
import type { ExtensionServices } from '../services';
import { allModules, argumentOf, evidenceResolver } from './argument';

/** What the diagram panels use of `ExtensionServices`. */
export type DiagramServices = Pick<ExtensionServices, 'index' | 'log'> & { readonly context: Pick<vscode.ExtensionContext, 'extensionUri'> };

const REBUILD_DELAY_MS = 200;
const SVG_TIMEOUT_MS = 60_000;

function diagramHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const asset = (name: string) => vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name);
  return webviewShell(webview, { style: asset('diagram.css'), script: asset('diagram.js'), title: 'Safety Case Diagram' });
}

export class DiagramPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private pageReady = false;
  private stale = true;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly svgWaiters: ((svg: string | undefined) => void)[] = [];
  /** An export asked for before the page said it is ready; sent with the first model. */
  private svgRequested = false;
  readonly onDidDispose: vscode.Event<void>;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  private readonly startWatch: PageStartWatch;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: DiagramServices,
    readonly uri: string,
    /** Puts a fresh webview in this one's place when the page does not start (see pageStart.ts). */
    private readonly owner: Pick<DiagramPanels, 'pageStalled' | 'pageStarted'>,
  ) {
    this.onDidDispose = this.disposeEmitter.event;
    const extensionUri = services.context.extensionUri;
    panel.webview.options = webviewOptions(extensionUri);
    this.startWatch = new PageStartWatch(panel, () => {
      if (!this.disposed && !this.pageReady) owner.pageStalled(this);
    });
    panel.webview.html = diagramHtml(panel.webview, extensionUri);
    this.startWatch.expectStart();
    panel.title = this.title();
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
        if (this.stale) this.schedule(0);
      }),
      services.index.onDidChange(() => {
        this.stale = true;
        if (panel.visible) this.schedule(REBUILD_DELAY_MS);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private title(): string {
    const module = this.services.index.document(this.uri)?.safetyCase;
    return `Diagram: ${module?.name ?? vscode.workspace.asRelativePath(vscode.Uri.parse(this.uri, true))}`;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  private post(message: DiagramHostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private schedule(delay: number): void {
    if (!this.pageReady || this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, delay);
  }

  private render(): void {
    this.stale = false;
    const { index } = this.services;
    const modules = argumentOf(index, this.uri);
    if (modules.length === 0) {
      const reason = index.indexing ? 'Indexing the workspace…' : 'This file is not a safety case (any more).';
      this.post({ type: 'empty', uri: this.uri, reason });
      if (index.indexing) this.stale = true;
      return;
    }
    const started = performance.now();
    const graph = buildDiagramGraph(modules, { uri: this.uri, resolve: evidenceResolver(index, this.uri) });
    this.panel.title = this.title();
    this.post({ type: 'graph', graph, indexing: index.indexing });
    this.services.log.debug(`Safety-case diagram of ${this.uri}: ${graph.nodes.length} nodes built in ${Math.round(performance.now() - started)} ms`);
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseDiagramPageMessage(raw);
    if (!message) {
      this.services.log.warn('Safety-case diagram: ignored a malformed message from the page');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        this.startWatch.started();
        this.owner.pageStarted(this);
        this.stale = true;
        this.schedule(0);
        if (this.svgRequested) {
          this.svgRequested = false;
          this.post({ type: 'requestSvg' });
        }
        return;
      case 'reveal':
        await this.revealInSource(message.uri, message.offset);
        return;
      case 'svg': {
        const waiter = this.svgWaiters.shift();
        if (waiter) waiter(message.svg);
        else await this.saveSvg(message.svg);
        return;
      }
    }
  }

  /** Opens a node's definition; only files of the argument on show, never a path the page made up. */
  private async revealInSource(uri: string, offset: number): Promise<void> {
    if (!argumentOf(this.services.index, this.uri).some((m) => m.uri === uri)) {
      this.services.log.warn('Safety-case diagram: refused to open a file outside the safety case');
      return;
    }
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
      const position = document.positionAt(Math.min(offset, document.getText().length));
      const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
      await vscode.window.showTextDocument(document, { viewColumn: column, selection: new vscode.Range(position, position), preview: true });
    } catch (error) {
      this.services.log.error(`Could not open ${uri}: ${String(error)}`);
    }
  }

  /** The page's current drawing as standalone SVG text, or undefined if the page does not answer. */
  requestSvg(): Promise<string | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const at = this.svgWaiters.indexOf(settle);
        if (at >= 0) this.svgWaiters.splice(at, 1);
        resolve(undefined);
      }, SVG_TIMEOUT_MS);
      const settle = (svg: string | undefined) => {
        clearTimeout(timer);
        resolve(svg);
      };
      this.svgWaiters.push(settle);
      if (this.pageReady) this.post({ type: 'requestSvg' });
      else this.svgRequested = true;
    });
  }

  /** Writes the drawing to `target`, or where the user picks. */
  async saveSvg(svg: string, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const module = this.services.index.document(this.uri)?.safetyCase;
    const defaultUri = vscode.Uri.parse(this.uri, true).with({ path: vscode.Uri.parse(this.uri, true).path.replace(/(\.gsn)?\.(ya?ml|md|markdown)$/i, '') + '.svg' });
    const destination = target ?? (await vscode.window.showSaveDialog({ defaultUri, filters: { 'SVG image': ['svg'] }, title: `Export ${module?.name ?? 'safety case'} diagram` }));
    if (!destination) return undefined;
    await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(svg));
    return destination;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const waiter of this.svgWaiters.splice(0)) waiter(undefined);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.panel.dispose();
  }
}

/** From the tree view the argument is a node with a `uri`; from the explorer or editor title, a Uri. */
function uriFromArgument(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.toString();
  if (typeof arg === 'string' && arg) return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string') return (arg as { uri: string }).uri;
  return undefined;
}

export class DiagramPanels implements vscode.Disposable {
  private readonly panels = new Map<string, DiagramPanel>();
  /** The panel last shown, for the export command run from the palette. */
  private active: DiagramPanel | undefined;

  private readonly stallReplacements: StallReplacements;

  constructor(private readonly services: DiagramServices) {
    this.stallReplacements = new StallReplacements(services.log);
  }

  get(uri: string): DiagramPanel | undefined {
    return this.panels.get(uri);
  }

  open(uri: string): DiagramPanel {
    const existing = this.panels.get(uri);
    if (existing) {
      existing.reveal();
      this.active = existing;
      return existing;
    }
    return this.adopt(this.createWebviewPanel(vscode.ViewColumn.Beside), uri);
  }

  adopt(webviewPanel: vscode.WebviewPanel, uri: string): DiagramPanel {
    const panel = new DiagramPanel(webviewPanel, this.services, uri, this);
    this.panels.set(uri, panel);
    this.active = panel;
    webviewPanel.onDidChangeViewState(() => {
      if (webviewPanel.active) this.active = panel;
    });
    panel.onDidDispose(() => {
      if (this.panels.get(uri) === panel) this.panels.delete(uri);
      if (this.active === panel) this.active = undefined;
    });
    return panel;
  }

  pageStalled(panel: DiagramPanel): void {
    if (!this.stallReplacements.allow(panel.uri, panel.panel.title)) return;
    const replacement = this.createWebviewPanel(replacementPlacement(panel.panel));
    // Adopted before the old one goes, so its dispose listener finds the replacement registered and leaves it.
    this.adopt(replacement, panel.uri);
    panel.dispose();
  }

  pageStarted(panel: DiagramPanel): void {
    this.stallReplacements.started(panel.uri);
  }

  private createWebviewPanel(show: PanelPlacement): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(DIAGRAM_VIEW_TYPE, 'Safety Case Diagram', show, { enableScripts: true, enableFindWidget: true });
  }

  /** The file a command means: its argument, else the active editor if it is a safety case, else a pick. */
  async pickCase(arg: unknown): Promise<string | undefined> {
    const { index } = this.services;
    // Right after start-up the index may not have read the file yet; what is a safety case is its answer.
    if (index.indexing) await index.ready();
    const given = uriFromArgument(arg);
    if (given) return index.document(given)?.safetyCase ? given : undefined;
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    if (active && index.document(active)?.safetyCase) return active;
    const modules = allModules(index);
    if (modules.length === 1) return modules[0].uri;
    const picked = await vscode.window.showQuickPick(
      modules.map((m) => ({ label: m.name, description: vscode.workspace.asRelativePath(vscode.Uri.parse(m.uri, true)), uri: m.uri })),
      { placeHolder: modules.length ? 'Safety case to draw' : 'No safety cases in this workspace' },
    );
    return picked?.uri;
  }

  async export(arg: unknown): Promise<vscode.Uri | undefined> {
    const target = arg instanceof vscode.Uri ? arg : undefined;
    let panel = this.active;
    if (!panel) {
      const uri = await this.pickCase(undefined);
      if (!uri) return undefined;
      panel = this.open(uri);
    }
    const svg = await panel.requestSvg();
    if (!svg) {
      void vscode.window.showWarningMessage('The diagram did not finish drawing; try the export again.');
      return undefined;
    }
    return panel.saveSvg(svg, target);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}

export function registerDiagramPanel(services: ExtensionServices): vscode.Disposable {
  const panels = new DiagramPanels(services);
  return vscode.Disposable.from(
    panels,
    vscode.commands.registerCommand('interpReview.showSafetyCaseDiagram', async (arg?: unknown) => {
      const uri = await panels.pickCase(arg);
      if (!uri) {
        void vscode.window.showInformationMessage('Open a safety case (*.gsn.yaml or a Markdown safety case) to draw its diagram.');
        return undefined;
      }
      panels.open(uri);
      return uri;
    }),
    vscode.commands.registerCommand('interpReview.exportSafetyCaseDiagram', (arg?: unknown) => panels.export(arg)),
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel, rawState) {
        const { uri } = parseDiagramState(rawState);
        if (!uri || panels.get(uri)) {
          webviewPanel.dispose();
          return;
        }
        panels.adopt(webviewPanel, uri);
      },
    }),
  );
}
