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

  // Any change can resolve or break citations in other files, so the whole set is recomputed and diffed.
  const publish = () => {
    timer = undefined;
    const all = services.index.allDiagnostics();
    const stale = new Set<string>();
    collection.forEach((uri) => stale.add(uri.toString()));
    for (const [uriText, found] of all) {
      const uri = vscode.Uri.parse(uriText, true);
      stale.delete(uriText);
      collection.set(uri, toVsCode(uri, found));
    }
    for (const uriText of stale) collection.delete(vscode.Uri.parse(uriText, true));
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(publish, DEBOUNCE_MS);
  };

  schedule();
  return vscode.Disposable.from(
    collection,
    services.index.onDidChange(schedule),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('interpReview.diagnostics')) schedule();
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
