// Problems from the index (unresolved keys, duplicates, malformed entries and frontmatter, safety-case checks),
// live: the index sees unsaved text through overlays, and every batch of changes republishes (debounced).
import * as vscode from 'vscode';
import type { CoreDiagnostic } from '../core/model';
import { spanToRange } from './ranges';
import type { ExtensionServices } from './services';

export const DIAGNOSTIC_SOURCE = 'interp-review';
const DEBOUNCE_MS = 200;

export function registerDiagnostics(services: ExtensionServices): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const toVsCode = (uri: vscode.Uri, found: CoreDiagnostic[]): vscode.Diagnostic[] => {
    const indexed = services.index.document(uri.toString());
    if (!indexed || !services.settings.diagnosticsEnabled(uri)) return [];
    const out: vscode.Diagnostic[] = [];
    for (const d of found) {
      const severity = services.settings.severity(d.code, d.severity, uri);
      if (severity === undefined) continue;
      const diagnostic = new vscode.Diagnostic(spanToRange(indexed.lineMap, d.span), d.message, severity);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = d.code;
      out.push(diagnostic);
    }
    return out;
  };

  /** What was last published per document (with the text it was computed on), so only documents whose problems
   *  or text changed cross to the editor again. */
  let published = new Map<string, { hash: string | undefined; found: CoreDiagnostic[] }>();
  const same = (a: CoreDiagnostic[], b: CoreDiagnostic[]) =>
    a.length === b.length &&
    a.every((d, i) => d.span.start === b[i].span.start && d.span.end === b[i].span.end && d.code === b[i].code && d.severity === b[i].severity && d.message === b[i].message);

  // Any change can resolve or break citations in other files, so the whole set is recomputed and diffed.
  const publish = (force: boolean) => {
    timer = undefined;
    const next = new Map<string, { hash: string | undefined; found: CoreDiagnostic[] }>();
    for (const [uriText, found] of services.index.allDiagnostics()) {
      const hash = services.index.document(uriText)?.hash;
      next.set(uriText, { hash, found });
      const before = published.get(uriText);
      if (!force && before && before.hash === hash && same(found, before.found)) continue;
      const uri = vscode.Uri.parse(uriText, true);
      collection.set(uri, toVsCode(uri, found));
    }
    for (const uriText of published.keys()) if (!next.has(uriText)) collection.delete(vscode.Uri.parse(uriText, true));
    published = next;
  };
  let forceNext = false;
  const schedule = (force = false) => {
    forceNext ||= force;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      publish(forceNext);
      forceNext = false;
    }, DEBOUNCE_MS);
  };

  schedule(true);
  return vscode.Disposable.from(
    collection,
    services.index.onDidChange(() => schedule()),
    // Severities change how the same problems look, so every document is republished.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('interpReview.diagnostics')) schedule(true);
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
