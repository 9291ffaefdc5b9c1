// Unsaved editor text reaches the index as an overlay (debounced while typing). Once the editor agrees with
// the disk again (saved, reverted, reloaded after an outside change, closed) the overlay is dropped, so a
// file deleted or rewritten on disk is never kept alive by a stale copy.
import * as vscode from 'vscode';
import type { ExtensionServices } from './services';

const DEBOUNCE_MS = 300;
const INDEXED_FILE = /\.(md|markdown|qmd|rmd|tex|bib|biblatex|json|ya?ml)$/i;

export function registerDocumentSync(services: ExtensionServices): vscode.Disposable {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const overlaid = new Set<string>();

  const drop = (uri: string) => {
    const timer = pending.get(uri);
    if (timer) clearTimeout(timer);
    pending.delete(uri);
    if (overlaid.delete(uri)) services.index.setOverlay(uri, undefined);
  };

  const flush = (doc: vscode.TextDocument) => {
    const uri = doc.uri.toString();
    pending.delete(uri);
    if (doc.isClosed || !doc.isDirty) return drop(uri);
    overlaid.add(uri);
    services.index.setOverlay(uri, doc.getText());
  };

  return vscode.Disposable.from(
    vscode.workspace.onDidChangeTextDocument((e) => {
      const doc = e.document;
      if (!INDEXED_FILE.test(doc.uri.path) || !vscode.workspace.getWorkspaceFolder(doc.uri)) return;
      const uri = doc.uri.toString();
      // The dirty flag can trail the content change that causes it, so it is read when the debounce fires.
      if (e.contentChanges.length === 0 && !doc.isDirty) return drop(uri);
      const timer = pending.get(uri);
      if (timer) clearTimeout(timer);
      pending.set(uri, setTimeout(() => flush(doc), DEBOUNCE_MS));
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => drop(doc.uri.toString())),
    vscode.workspace.onDidCloseTextDocument((doc) => drop(doc.uri.toString())),
    {
      dispose: () => {
        for (const timer of pending.values()) clearTimeout(timer);
        pending.clear();
      },
    },
  );
}
