// Quick fixes on a citation key: replace an unknown key with a suggestion, create the paper note, and copy a
// corpus paper's entry into the project bibliography.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { KEY_SITE_SELECTOR, keySiteAt } from './documentCitations';
import { addCorpusEntryEdit, createNoteEdit, fileExists, projectBibliography } from './paperEdits';
import type { ExtensionServices } from './services';

const KEY_CODES = new Set(['unresolved-citation', 'not-in-document-bibliography', 'note-without-entry']);

export function registerCodeActions(services: ExtensionServices): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    async provideCodeActions(doc, range, context) {
      const site = keySiteAt(services, doc, range.start);
      if (!site) return undefined;
      const related = context.diagnostics.filter(
        (d) => d.source === DIAGNOSTIC_SOURCE && KEY_CODES.has(String(d.code)) && d.range.intersection(site.range),
      );
      const actions: vscode.CodeAction[] = [];
      const paper = services.index.resolve(site.key, doc.uri.toString());

      if (!paper && site.kind === 'citation') {
        services.index.suggest(site.key, 3).forEach((suggestion, i) => {
          const action = new vscode.CodeAction(`Replace with '${suggestion}'`, vscode.CodeActionKind.QuickFix);
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(doc.uri, site.range, suggestion);
          action.diagnostics = related;
          action.isPreferred = i === 0;
          actions.push(action);
        });
      }

      if (paper?.corpus && paper.entries.length === 0) {
        const bib = projectBibliography(services, doc.uri);
        if (bib) {
          const action = new vscode.CodeAction(`Add '${site.key}' from the corpus to ${vscode.workspace.asRelativePath(bib)}`, vscode.CodeActionKind.QuickFix);
          action.edit = await addCorpusEntryEdit(paper.corpus, bib);
          action.diagnostics = related;
          actions.push(action);
        }
      }

      if (!paper || paper.notes.length === 0) {
        const created = createNoteEdit(services, site.key, paper?.info ?? { authors: [], keywords: [] }, doc.uri);
        if (created && !(await fileExists(created.uri))) {
          const action = new vscode.CodeAction(`Create paper note ${vscode.workspace.asRelativePath(created.uri)}`, vscode.CodeActionKind.QuickFix);
          action.edit = created.edit;
          action.command = { command: 'vscode.open', title: 'Open note', arguments: [created.uri] };
          action.diagnostics = related;
          actions.push(action);
        }
      }
      return actions;
    },
  };
  return vscode.languages.registerCodeActionsProvider(KEY_SITE_SELECTOR, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}
