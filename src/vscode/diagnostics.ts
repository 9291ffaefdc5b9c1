// Problems from the index (unresolved keys, duplicates, malformed entries and frontmatter, safety-case checks),
// live: the index sees unsaved text through overlays, and every batch of changes republishes. Publishing runs in
// short time slices so a 10,000-document workspace never blocks the extension host: the documents a change
// names first, then a sweep over the rest (a change to one file can resolve or break citations anywhere).
import * as vscode from 'vscode';
import type { IndexChange, IndexedDocument } from '../core/index/types';
import type { CoreDiagnostic } from '../core/model';
import { spanToRange } from './ranges';
import type { ExtensionServices } from './services';
import { SLICE_MS, yieldToEventLoop } from '../core/timeSlice';

export const DIAGNOSTIC_SOURCE = 'interp-review';
/** The first slice runs inside the change event itself, so the changed documents are current as soon as the index is. */
const FIRST_SLICE_MS = 25;
/** Up to this many documents a whole pass (well under 100 ms) runs inside the change event, unsliced. */
const SMALL_WORKSPACE_DOCUMENTS = 500;
/**
 * A document with more citations and entries than this has its diagnostics computed in slices first
 * (`diagnosticsSoon`): the 5 MB review's 40,000 citations take 50-90 ms to check in one call.
 */
const LARGE_DOCUMENT_ITEMS = 2_000;

function sameDiagnostics(a: CoreDiagnostic[], b: CoreDiagnostic[]): boolean {
  return (
    a.length === b.length &&
    a.every((d, i) => d.span.start === b[i].span.start && d.span.end === b[i].span.end && d.code === b[i].code && d.severity === b[i].severity && d.message === b[i].message)
  );
}

export function registerDiagnostics(services: ExtensionServices): vscode.Disposable {
  const { index } = services;
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);

  // `getConfiguration` is slow per call; per folder and rule the settings are read once per sweep (a
  // configuration change starts a new, forced sweep).
  let settingsMemo = new Map<string, vscode.DiagnosticSeverity | boolean | undefined>();
  const memoSetting = <T extends vscode.DiagnosticSeverity | boolean | undefined>(key: string, read: () => T): T => {
    if (!settingsMemo.has(key)) settingsMemo.set(key, read());
    return settingsMemo.get(key) as T;
  };
  const toVsCode = (uri: vscode.Uri, indexed: IndexedDocument, found: CoreDiagnostic[]): vscode.Diagnostic[] => {
    const scope = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? '';
    if (!memoSetting(`${scope}|enabled`, () => services.settings.diagnosticsEnabled(uri))) return [];
    const out: vscode.Diagnostic[] = [];
    for (const d of found) {
      const severity = memoSetting(`${scope}|${d.code}|${d.severity}`, () => services.settings.severity(d.code, d.severity, uri));
      if (severity === undefined) continue;
      const diagnostic = new vscode.Diagnostic(spanToRange(indexed.lineMap, d.span), d.message, severity);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = d.code;
      out.push(diagnostic);
    }
    return out;
  };

  /** What was last published per document, with the text it was computed on. */
  const published = new Map<string, { hash: string; found: CoreDiagnostic[] }>();

  const publishOne = (uriText: string, forced: boolean) => {
    const indexed = index.document(uriText);
    const found = indexed ? index.diagnostics(uriText) : [];
    const before = published.get(uriText);
    if (!before && found.length === 0) return;
    if (!forced && before && indexed && before.hash === indexed.hash && sameDiagnostics(found, before.found)) return;
    const uri = vscode.Uri.parse(uriText, true);
    if (!indexed || found.length === 0) {
      published.delete(uriText);
      collection.delete(uri);
    } else {
      published.set(uriText, { hash: indexed.hash, found });
      collection.set(uri, toVsCode(uri, indexed, found));
    }
  };

  /** Documents a change named: republished before the sweep goes on. */
  const named = new Set<string>();
  /** Set when the sweep over every document must start over (a newer change makes its progress stale). */
  let restartSweep = false;
  let sweepPending = false;
  let force = false;
  let running = false;
  let disposed = false;

  const run = async () => {
    if (running || disposed) return;
    running = true;
    let sliceStart = performance.now();
    let documentCount = 0;
    for (const _ of index.documents()) if (++documentCount > SMALL_WORKSPACE_DOCUMENTS) break;
    let budget = documentCount <= SMALL_WORKSPACE_DOCUMENTS ? Infinity : FIRST_SLICE_MS;
    const sliceOver = () => performance.now() - sliceStart > budget;
    const pause = async () => {
      await yieldToEventLoop();
      sliceStart = performance.now();
      budget = SLICE_MS;
    };
    /** Computes a large document's diagnostics in slices, so publishing it finds them ready; true when it yielded. */
    const makeRoomFor = async (uri: string): Promise<boolean> => {
      if (budget === Infinity) return false;
      const doc = index.document(uri);
      if (!doc || doc.citations.length + doc.entries.length <= LARGE_DOCUMENT_ITEMS) return false;
      await index.diagnosticsSoon(uri);
      await pause();
      return true;
    };
    try {
      while (!disposed && (named.size > 0 || sweepPending)) {
        for (const uri of named) {
          if (disposed) return;
          named.delete(uri);
          await makeRoomFor(uri);
          if (disposed) return;
          publishOne(uri, false);
          if (sliceOver()) await pause();
        }
        if (!sweepPending) continue;
        restartSweep = false;
        const forced = force;
        settingsMemo = new Map();
        const sweep = new Set<string>(published.keys());
        for (const doc of index.documents()) sweep.add(doc.uri);
        for (const uri of sweep) {
          if (disposed || restartSweep) break;
          // Documents a newer change named go first; the sweep then starts over.
          if ((await makeRoomFor(uri)) && (disposed || named.size > 0)) break;
          publishOne(uri, forced);
          if (sliceOver()) {
            await pause();
            // Documents a newer change named go first; the sweep then starts over.
            if (named.size > 0) break;
          }
        }
        if (!restartSweep && named.size === 0) {
          sweepPending = false;
          if (forced) force = false;
        }
      }
    } finally {
      running = false;
    }
  };

  const republish = (uris: readonly string[], forced: boolean) => {
    for (const uri of uris) named.add(uri);
    sweepPending = true;
    restartSweep = true;
    force ||= forced;
    void run();
  };

  republish([], true);
  return vscode.Disposable.from(
    collection,
    index.onDidChange((change: IndexChange) => republish(change.full ? [] : change.uris, false)),
    // Severities change how the same problems look, so every document is republished.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('interpReview.diagnostics')) republish([], true);
    }),
    { dispose: () => (disposed = true) },
  );
}
