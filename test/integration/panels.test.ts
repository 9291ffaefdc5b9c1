// Runs inside the real VS Code: the panels' host side — HTML and CSP, the message protocol as the page would
// use it, serializer state restore, live updates and disposal — against a small in-memory index.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { IndexChange, ReviewIndex } from '../../src/core/index/types';
import { PanelRegistry } from '../../src/vscode/panels';
import { DiagramPanels } from '../../src/vscode/safetyCase/diagramPanel';
import type { PanelServices, ReviewPanel } from '../../src/vscode/panels/panelBase';
import type { HostMessage } from '../../src/protocol/messages';
import { fakeIndex, type FakeDoc } from '../unit/views-fakeIndex';

const EXTENSION_ID = 'interp-review.interp-review';

function makeWorkspace(): { docs: FakeDoc[]; review: vscode.Uri } {
  const dir = mkdtempSync(join(tmpdir(), 'interp-panels-'));
  const files: Record<string, string> = {
    'review.md': '# Review\n\nSparse dictionaries scale poorly [@bereska2024mechanistic].\nProbes mislead [@smith2023probes].\n',
    'smith.md': '---\ncitekey: smith2023probes\nproblems: [scalability]\n---\n# Probes that lie\n',
    'refs.bib': '@article{smith2023probes,\n  title = {Probes that lie},\n}\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const uri = (name: string) => vscode.Uri.file(join(dir, name)).toString();
  return {
    review: vscode.Uri.file(join(dir, 'review.md')),
    docs: [
      { uri: uri('review.md'), text: files['review.md'] },
      { uri: uri('smith.md'), text: files['smith.md'], note: { citekey: 'smith2023probes', problems: ['scalability'] } },
      { uri: uri('refs.bib'), text: files['refs.bib'], entries: { smith2023probes: { title: 'Probes that lie', year: '2023' } } },
    ],
  };
}

/** The fake view index completed to a ReviewIndex whose change events the test fires. */
function reviewIndex(docs: FakeDoc[]): ReviewIndex & { fire(): void; listenerCount(): number; replace(docs: FakeDoc[]): void } {
  let view = fakeIndex(docs);
  const listeners = new Set<(change: IndexChange) => void>();
  const index = {
    get corpus() {
      return view.corpus;
    },
    onDidChange(listener: (change: IndexChange) => void) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    onProgress: () => ({ dispose() {} }),
    indexing: false,
    ready: async () => {},
    document: (uri: string) => view.document(uri),
    documents: () => view.documents(),
    resolve: (key: string) => view.resolve(key),
    keys: () => [...view.documents()].flatMap((d) => d.entries.map((e) => e.key))[Symbol.iterator](),
    citationsOf: (key: string) => view.citationsOf(key),
    unresolved: () => view.unresolved(),
    suggest: () => [],
    notesBy: () => [],
    diagnostics: () => [],
    allDiagnostics: () => new Map(),
    setOverlay() {},
    reindex: async () => {},
    dispose() {},
    fire: () => listeners.forEach((listener) => listener({ uris: [], full: true })),
    listenerCount: () => listeners.size,
    replace: (next: FakeDoc[]) => {
      view = fakeIndex(next);
    },
  };
  return index as unknown as ReviewIndex & { fire(): void; listenerCount(): number; replace(docs: FakeDoc[]): void };
}

function memoryMemento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => {
      values.set(key, value);
    },
  } as vscode.Memento;
}

/** Records what the host posts to the page. */
function spy(panel: ReviewPanel): HostMessage[] {
  const posted: HostMessage[] = [];
  const post = panel.post.bind(panel);
  panel.post = (message: HostMessage) => {
    posted.push(message);
    post(message);
  };
  return posted;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('review panels (host side)', function () {
  this.timeout(30_000);
  let registry: PanelRegistry;
  let index: ReturnType<typeof reviewIndex>;
  let workspace: ReturnType<typeof makeWorkspace>;
  let log: vscode.LogOutputChannel;

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    workspace = makeWorkspace();
    index = reviewIndex(workspace.docs);
    log = vscode.window.createOutputChannel('Panels test', { log: true });
    const services: PanelServices = { context: { extensionUri: extension.extensionUri, workspaceState: memoryMemento() }, index, log };
    registry = new PanelRegistry(services);
  });

  after(async () => {
    registry.dispose();
    log.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('serves a strict-CSP shell with nonce-only scripts and assets limited to the bundle', () => {
    const panel = registry.openView('problems');
    assert.equal(panel.panel.viewType, 'interpReview.problems');
    const html = panel.panel.webview.html;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.ok(csp, 'a CSP meta tag');
    assert.match(csp, /^default-src 'none';/);
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]{16,})'/.exec(csp)?.[1];
    assert.ok(nonce, 'scripts only by nonce');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal([...html.matchAll(/<script\b[^>]*>/g)].every((m) => m[0].includes(`nonce="${nonce}"`)), true);
    const extensionUri = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    assert.deepEqual(
      (panel.panel.webview.options.localResourceRoots ?? []).map((uri) => uri.toString()),
      [vscode.Uri.joinPath(extensionUri, 'dist', 'webview').toString(), vscode.Uri.joinPath(extensionUri, 'media').toString()],
    );
    assert.equal(panel.panel.webview.options.enableCommandUris, false);
    assert.equal(registry.openView('problems'), panel, 'one Open problems panel, revealed again');
    assert.notEqual(/nonce-([^']+)'/.exec(registry.openPaper('smith2023probes').panel.webview.html)?.[1], nonce, 'fresh nonce per panel');
  });

  it('builds the model when the page is ready and answers list requests it knows', async () => {
    const panel = registry.openView('dashboard');
    const posted = spy(panel);
    await panel.receive({ type: 'ready' });
    const model = await until('the dashboard model', () => posted.find((m) => m.type === 'model'));
    assert.equal(model.type === 'model' && model.view, 'dashboard');
    const stats = model.type === 'model' && model.view === 'dashboard' ? model.model.stats : [];
    const citations = stats.find((s) => s.id === 'citations');
    assert.equal(citations?.value, 2);
    await panel.receive({ type: 'requestList', id: citations!.list!, start: 1, count: 100 });
    const list = posted.find((m) => m.type === 'list');
    assert.ok(list && list.type === 'list');
    assert.equal(list.start, 1);
    assert.equal(list.total, 2);
    assert.deepEqual(list.items.map((item) => item.label), ['smith2023probes']);
    const before = posted.length;
    await panel.receive({ type: 'requestList', id: 'dashboard:no-such-list', start: 0, count: 10 });
    await panel.receive({ type: 'requestList', id: 'constructor', start: 0, count: 10 });
    await panel.receive({ type: 'requestList', id: citations!.list!, start: 0, count: 1_000_000 });
    assert.equal(posted.length, before, 'unknown list ids and oversized pages get no answer');
  });

  it('opens a citation the index knows at its line, and nothing else', async () => {
    const panel = registry.openView('problems');
    const reviewUri = workspace.review.toString();
    const doc = workspace.docs[0];
    const offset = doc.text.indexOf('smith2023probes');
    await panel.receive({ type: 'open', target: { kind: 'citation', uri: reviewUri, offset } });
    const editor = await until('the review editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === reviewUri ? active : undefined;
    });
    assert.equal(editor.selection.active.line, 3);
    assert.equal(editor.selection.active.character, doc.text.split('\n')[3].indexOf('smith2023probes'));

    const outside = vscode.Uri.file(join(tmpdir(), 'not-indexed.md'));
    writeFileSync(outside.fsPath, 'secret\n');
    await panel.receive({ type: 'open', target: { kind: 'note', uri: outside.toString(), offset: 0 } });
    await panel.receive({ type: 'command', command: 'workbench.action.closeAllEditors' });
    await panel.receive({ type: 'open', target: { kind: 'note', uri: 'command:workbench.action.closeAllEditors', offset: 0 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), reviewUri, 'the page cannot open files the index does not know or run commands');
  });

  it('opens the Paper panel only for keys the workspace knows', async () => {
    const panel = registry.openView('methods');
    await panel.receive({ type: 'openPaper', key: 'bereska2024mechanistic' });
    assert.ok(registry.get('paper', 'bereska2024mechanistic'), 'a corpus key opens');
    await panel.receive({ type: 'openPaper', key: 'no-such-key-anywhere' });
    assert.equal(registry.get('paper', 'no-such-key-anywhere'), undefined);
  });

  it('restores panels from the state the page saved, validating it', async () => {
    const paperPanel = vscode.window.createWebviewPanel('interpReview.paper', 'Paper', vscode.ViewColumn.One, {});
    const restored = registry.restore('paper', paperPanel, { view: 'paper', key: 'smith2023probes-restored', scrollTop: 40 });
    assert.ok(restored);
    assert.equal(registry.get('paper', 'smith2023probes-restored'), restored);
    assert.deepEqual(restored.state, { view: 'paper', key: 'smith2023probes-restored' });
    assert.match(paperPanel.webview.html, /data-view="paper"/);

    const broken = vscode.window.createWebviewPanel('interpReview.paper', 'Paper', vscode.ViewColumn.One, {});
    let disposed = false;
    broken.onDidDispose(() => (disposed = true));
    assert.equal(registry.restore('paper', broken, { view: 'paper', key: 42 }), undefined);
    assert.equal(disposed, true, 'a Paper panel without a valid key is closed');

    const existing = registry.openView('problems');
    const duplicate = vscode.window.createWebviewPanel('interpReview.problems', 'Open Problems', vscode.ViewColumn.One, {});
    let duplicateDisposed = false;
    duplicate.onDidDispose(() => (duplicateDisposed = true));
    assert.equal(registry.restore('problems', duplicate, { view: 'problems', filter: 'sae' }), existing);
    assert.equal(duplicateDisposed, true, 'a second restored Open problems panel folds into the first');
  });

  it('resumes the UI state the page last reported, even when VS Code kept an older one', async () => {
    const first = registry.openView('methods');
    await first.receive({ type: 'state', state: { view: 'methods', filter: 'sparse', tab: 'matrix' } });
    await first.receive({ type: 'state', state: { view: 'problems', filter: 'not mine' } });
    first.panel.dispose();
    await until('the methods panel to close', () => (registry.get('methods') === undefined ? true : undefined));

    const revived = vscode.window.createWebviewPanel('interpReview.methods', 'Methods', vscode.ViewColumn.One, {});
    const panel = registry.restore('methods', revived, { view: 'methods', filter: '' });
    assert.ok(panel);
    const posted = spy(panel);
    await panel.receive({ type: 'ready' });
    const model = await until('the methods model', () => posted.find((m) => m.type === 'model'));
    assert.deepEqual(model.type === 'model' && model.state, { view: 'methods', filter: 'sparse', tab: 'matrix' });
    await panel.receive({ type: 'ready' });
    const models = await until('a second model', () => {
      const all = posted.filter((m) => m.type === 'model');
      return all.length > 1 ? all : undefined;
    });
    assert.ok(models[1].type === 'model' && models[1].state, 'a recreated page gets the state again');
  });

  it('rebuilds when the index changes and releases its listeners when closed', async () => {
    const panel = registry.openPaper('smith2023probes');
    const posted = spy(panel);
    await panel.receive({ type: 'ready' });
    await until('the first paper model', () => posted.find((m) => m.type === 'model'));
    const extra = `${workspace.docs[0].text}Third [@smith2023probes].\n`;
    index.replace([{ ...workspace.docs[0], text: extra }, ...workspace.docs.slice(1)]);
    index.fire();
    const updated = await until('a rebuilt paper model', () => {
      const models = posted.filter((m) => m.type === 'model');
      const last = models[models.length - 1];
      return models.length > 1 && last.type === 'model' && last.view === 'paper' ? last : undefined;
    });
    assert.equal(updated.model.citations.total, 2);

    const fresh = registry.openView('dashboard');
    const count = index.listenerCount();
    fresh.panel.dispose();
    await until('the dashboard to be forgotten', () => (registry.get('dashboard') === undefined ? true : undefined));
    assert.equal(index.listenerCount(), count - 1);
  });
});

describe('panels whose page never starts', function () {
  this.timeout(90_000);
  let extensionUri: vscode.Uri;
  let index: ReturnType<typeof reviewIndex>;
  let log: vscode.LogOutputChannel;
  let workspace: ReturnType<typeof makeWorkspace>;
  const warnings: string[] = [];
  const errors: string[] = [];

  before(() => {
    // An extension folder without the built pages: the webview loads the shell, its script is missing, and the page
    // never says `ready` — as when a webview's frame is stuck in VS Code for the Web.
    extensionUri = vscode.Uri.file(mkdtempSync(join(tmpdir(), 'interp-no-page-')));
    log = vscode.window.createOutputChannel('Panels stall test', { log: true });
    const [warn, error] = [log.warn.bind(log), log.error.bind(log)];
    log.warn = (message: string) => {
      warnings.push(message);
      warn(message);
    };
    log.error = (message: string | Error) => {
      errors.push(String(message));
      error(message);
    };
    workspace = makeWorkspace();
    index = reviewIndex(workspace.docs);
  });

  beforeEach(async () => {
    warnings.length = 0;
    errors.length = 0;
    // A text editor in the first column; the stalled panel goes in the second, and focus comes back to the first,
    // so "in place" is distinguishable from "in the active column".
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspace.review), vscode.ViewColumn.One);
  });

  after(async () => {
    log.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a review panel gets a fresh webview in place with its UI state, twice at most, then an error', async () => {
    const registry = new PanelRegistry({ context: { extensionUri, workspaceState: memoryMemento() }, index, log });
    try {
      const restored = vscode.window.createWebviewPanel('interpReview.problems', 'Open Problems', vscode.ViewColumn.Two, {});
      const first = registry.restore('problems', restored, { view: 'problems', filter: 'scal' });
      assert.ok(first);
      let firstDisposed = false;
      restored.onDidDispose(() => (firstDisposed = true));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspace.review), vscode.ViewColumn.One);

      const second = await until('a replacement webview', () => (registry.get('problems') !== first ? registry.get('problems') : undefined), 15_000);
      assert.equal(firstDisposed, true, 'the stalled webview is closed');
      assert.equal(second.panel.viewColumn, vscode.ViewColumn.Two, 'in the column the stalled one was in');
      assert.deepEqual(second.resumeState, { view: 'problems', filter: 'scal' });
      assert.deepEqual(warnings, ['Open Problems panel: the page did not start; replacing its webview']);

      const third = await until('a second replacement', () => (registry.get('problems') !== second ? registry.get('problems') : undefined), 15_000);
      await until('the registry to give up', () => (errors.length > 0 ? true : undefined), 15_000);
      assert.deepEqual(errors, ['Open Problems panel: the page did not start in 3 webviews; giving up']);
      assert.equal(registry.get('problems'), third, 'the last webview stays open');
      assert.equal(warnings.length, 2);
    } finally {
      registry.dispose();
    }
  });

  it('a safety-case diagram gets a fresh webview in place for the same file', async () => {
    const diagrams = new DiagramPanels({ context: { extensionUri }, index, log });
    try {
      const caseUri = vscode.Uri.joinPath(workspace.review, '..', 'case.gsn.yaml').toString();
      const restored = vscode.window.createWebviewPanel('interpReview.safetyCaseDiagram', 'Diagram', vscode.ViewColumn.Two, {});
      const first = diagrams.adopt(restored, caseUri);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspace.review), vscode.ViewColumn.One);
      const second = await until('a replacement diagram', () => (diagrams.get(caseUri) !== first ? diagrams.get(caseUri) : undefined), 15_000);
      assert.equal(second.uri, caseUri);
      assert.equal(second.panel.viewColumn, vscode.ViewColumn.Two);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /the page did not start; replacing its webview$/);
    } finally {
      diagrams.dispose();
    }
  });
});
