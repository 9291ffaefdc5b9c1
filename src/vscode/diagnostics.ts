// Problems from the index (unresolved keys, duplicates, malformed entries and frontmatter, safety-case checks),
// live: the index sees unsaved text through overlays, and every batch of changes republishes. Publishing runs in
// short time slices so a 10,000-document workspace never blocks the extension host; an incremental change
// republishes only the documents it can affect.
import * as vscode from 'vscode';
import type { IndexChange, IndexedDocument } from '../core/index/types';
import type { CoreDiagnostic } from '../core/model';
import { spanToRange } from './ranges';
import type { ExtensionServices } from './services';

export const DIAGNOSTIC_SOURCE = 'interp-review';
const DEBOUNCE_MS = 200;
/** Longest stretch of publishing before yielding to the event loop. */
const SLICE_MS = 5;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Keys a document defines (entries, aliases, note key): other documents' problems depend on exactly these. */
function definedKeys(doc: IndexedDocument): string[] {
  const keys: string[] = [];
  for (const entry of doc.entries) {
    keys.push(entry.key);
    // An alias resolves like a key but does not count as a duplicate definition, so it is kept apart.
    for (const alias of entry.aliases ?? []) keys.push(`alias:${alias}`);
  }
  if (doc.note?.citekey !== undefined) keys.push(`note:${doc.note.citekey}:${doc.note.status ?? ''}`);
  return keys;
}

function keyOf(recorded: string): string {
  if (recorded.startsWith('alias:')) return recorded.slice('alias:'.length);
  if (recorded.startsWith('note:')) return recorded.slice('note:'.length, recorded.lastIndexOf(':'));
  return recorded;
}

function sameDiagnostics(a: CoreDiagnostic[], b: CoreDiagnostic[]): boolean {
  return (
    a.length === b.length &&
    a.every((d, i) => d.span.start === b[i].span.start && d.span.end === b[i].span.end && d.code === b[i].code && d.severity === b[i].severity && d.message === b[i].message)
  );
}

export function registerDiagnostics(services: ExtensionServices): vscode.Disposable {
  const { index } = services;
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);

  // Settings are read through `getConfiguration`, which is slow per call; per folder and rule they are asked
  // once per pass (a configuration change starts a new, forced pass).
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
  /** Keys each document defined when last seen, to find the documents a change affects. */
  const keysByUri = new Map<string, string[]>();
  /** Documents whose problems depend on the whole workspace rather than on particular keys. */
  const withUnresolved = new Set<string>();
  const withBibliography = new Set<string>();
  const safetyCases = new Set<string>();

  /** Documents waiting to be republished, and keys whose citing/defining documents are to be added to them. */
  const dirty = new Set<string>();
  const touchedKeys = new Set<string>();
  /** A pass over every document is queued or under way; until it ends, keys of unvisited documents are unknown. */
  let everything = false;
  let restart = false;
  let force = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let disposed = false;

  const forget = (uri: string) => {
    keysByUri.delete(uri);
    withUnresolved.delete(uri);
    withBibliography.delete(uri);
    safetyCases.delete(uri);
  };

  const publishOne = (uriText: string, forced: boolean) => {
    const indexed = index.document(uriText);
    if (!indexed) {
      forget(uriText);
      if (published.delete(uriText)) collection.delete(vscode.Uri.parse(uriText, true));
      return;
    }
    keysByUri.set(uriText, definedKeys(indexed));
    const found = index.diagnostics(uriText);
    if (found.some((d) => d.code === 'unresolved-citation')) withUnresolved.add(uriText);
    else withUnresolved.delete(uriText);
    if (indexed.bibliography?.files.length) withBibliography.add(uriText);
    else withBibliography.delete(uriText);
    if (indexed.safetyCase) safetyCases.add(uriText);
    else safetyCases.delete(uriText);
    const before = published.get(uriText);
    if (!forced && before && before.hash === indexed.hash && sameDiagnostics(found, before.found)) return;
    if (found.length === 0 && !before) return;
    const uri = vscode.Uri.parse(uriText, true);
    if (found.length === 0) {
      published.delete(uriText);
      collection.delete(uri);
    } else {
      published.set(uriText, { hash: indexed.hash, found });
      collection.set(uri, toVsCode(uri, indexed, found));
    }
  };

  /** Adds the documents whose problems mention a key: its citers, its other definitions, its notes. */
  const expandKey = (key: string) => {
    for (const site of index.citationsOf(key)) dirty.add(site.uri);
    const paper = index.resolve(key);
    for (const entry of paper?.entries ?? []) dirty.add(entry.uri);
    for (const note of paper?.notes ?? []) dirty.add(note.uri);
  };

  /** Drains the queue in slices; a full change arriving meanwhile restarts the pass over everything. */
  const run = async () => {
    if (running || disposed) return;
    running = true;
    let sliceStart = performance.now();
    const pause = async () => {
      if (performance.now() - sliceStart <= SLICE_MS) return;
      await yieldToEventLoop();
      sliceStart = performance.now();
    };
    try {
      while ((restart || dirty.size > 0 || touchedKeys.size > 0) && !disposed) {
        if (restart) {
          restart = false;
          touchedKeys.clear();
          settingsMemo = new Map();
          for (const doc of index.documents()) dirty.add(doc.uri);
          for (const uri of published.keys()) dirty.add(uri);
        }
        const forced = force;
        for (const key of touchedKeys) {
          if (restart || disposed) break;
          touchedKeys.delete(key);
          expandKey(key);
          await pause();
        }
        for (const uri of dirty) {
          if (restart || disposed) break;
          dirty.delete(uri);
          publishOne(uri, forced);
          await pause();
        }
        if (!restart) force = false;
      }
      if (!restart) everything = false;
    } finally {
      running = false;
    }
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void run();
    }, DEBOUNCE_MS);
  };

  const republishEverything = (forced: boolean) => {
    everything = true;
    restart = true;
    force ||= forced;
    schedule();
  };

  /** The changed documents plus those whose problems depend on keys they defined before or define now. */
  const onChange = (change: IndexChange) => {
    // Before a full pass has visited every document, their old keys are unknown: everything is rechecked.
    if (change.full || change.uris.length === 0 || everything) return republishEverything(false);
    let keysMoved = false;
    for (const uri of change.uris) {
      dirty.add(uri);
      const before = keysByUri.get(uri);
      const doc = index.document(uri);
      const after = doc ? definedKeys(doc) : undefined;
      if (after) keysByUri.set(uri, after);
      else keysByUri.delete(uri);
      if ((before === undefined) !== (after === undefined)) keysMoved = true;
      const beforeSet = new Set(before);
      const afterSet = new Set(after);
      for (const k of beforeSet) if (!afterSet.has(k)) touchedKeys.add(keyOf(k));
      for (const k of afterSet) if (!beforeSet.has(k)) touchedKeys.add(keyOf(k));
      if (touchedKeys.size) keysMoved = true;
    }
    // Suggestions ("did you mean") draw on every known key; `bibliography:` files may have appeared or gone.
    if (keysMoved) {
      for (const uri of withUnresolved) dirty.add(uri);
      for (const uri of withBibliography) dirty.add(uri);
    }
    // Safety-case checks run across all modules and read notes' statuses.
    for (const uri of safetyCases) dirty.add(uri);
    schedule();
  };

  republishEverything(true);
  return vscode.Disposable.from(
    collection,
    index.onDidChange(onChange),
    // Severities change how the same problems look, so every document is republished.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('interpReview.diagnostics')) republishEverything(true);
    }),
    {
      dispose: () => {
        disposed = true;
        if (timer) clearTimeout(timer);
      },
    },
  );
}
