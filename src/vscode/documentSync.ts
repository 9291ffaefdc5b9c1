// Unsaved editor text reaches the index as an overlay (debounced while typing) and is dropped on close,
// when the disk content is authoritative again.
import * as vscode from 'vscode';
import type { ExtensionServices } from './services';

const DEBOUNCE_MS = 300;
const INDEXED_FILE = /\.(md|markdown|qmd|rmd|tex|bib|biblatex|json|ya?ml)$/i;

export function registerDocumentSync(services: ExtensionServices): vscode.Disposable {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const overlaid = new Set<string>();

  const flush = (doc: vscode.TextDocument) => {
    const uri = doc.uri.toString();
    pending.delete(uri);
    overlaid.add(uri);
    services.index.setOverlay(uri, doc.getText());
  };

  return vscode.Disposable.from(
    vscode.workspace.onDidChangeTextDocument((e) => {
      const doc = e.document;
      if (e.contentChanges.length === 0 || !INDEXED_FILE.test(doc.uri.path) || !vscode.workspace.getWorkspaceFolder(doc.uri)) return;
      const uri = doc.uri.toString();
      const timer = pending.get(uri);
      if (timer) clearTimeout(timer);
      pending.set(uri, setTimeout(() => flush(doc), DEBOUNCE_MS));
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      const uri = doc.uri.toString();
      const timer = pending.get(uri);
      if (timer) clearTimeout(timer);
      pending.delete(uri);
      if (overlaid.delete(uri)) services.index.setOverlay(uri, undefined);
    }),
    {
      dispose: () => {
        for (const timer of pending.values()) clearTimeout(timer);
        pending.clear();
      },
    },
  );
}
