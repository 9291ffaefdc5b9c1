// Workspace edits that create things: a paper note from the template, a corpus entry in the project `.bib`.
// Both are `WorkspaceEdit`s (one undo step); a note is created with `overwrite: false` so nothing is clobbered.
import * as vscode from 'vscode';
import type { CorpusPaper } from '../core/corpus/types';
import type { PaperInfo } from '../core/model';
import { corpusPaperToBibtex, noteFileName, renderNoteTemplate } from './paperText';
import type { ExtensionServices } from './services';

/** The workspace folder a new file belongs to: the one holding `scope`, else the first. */
function targetFolder(scope: vscode.Uri | undefined): vscode.WorkspaceFolder | undefined {
  return (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
}

function noteUriFor(services: ExtensionServices, key: string, scope: vscode.Uri | undefined): vscode.Uri | undefined {
  const folder = targetFolder(scope);
  if (!folder) return undefined;
  return vscode.Uri.joinPath(folder.uri, ...services.settings.noteFolder(folder.uri).split('/'), noteFileName(key));
}

export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** A new note for `key`, or undefined when there is no folder to put it in. Never overwrites. */
export function createNoteEdit(
  services: ExtensionServices,
  key: string,
  info: PaperInfo,
  scope: vscode.Uri | undefined,
): { edit: vscode.WorkspaceEdit; uri: vscode.Uri } | undefined {
  const uri = noteUriFor(services, key, scope);
  if (!uri) return undefined;
  const text = renderNoteTemplate(services.settings.noteTemplate(uri), key, info, new Date());
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { overwrite: false, ignoreIfExists: true, contents: new TextEncoder().encode(text) }, { label: `Create paper note for ${key}`, needsConfirmation: false });
  return { edit, uri };
}

/**
 * The project bibliography a document adds entries to: the first `.bib` named in its frontmatter, else the
 * first configured bibliography, else the indexed `.bib` nearest the document (same folder, then the
 * shallowest in its workspace folder), else `references.bib` (new) at the workspace folder's root.
 */
export function projectBibliography(services: ExtensionServices, scope: vscode.Uri | undefined): vscode.Uri | undefined {
  const folder = targetFolder(scope);
  if (scope) {
    const own = services.index.document(scope.toString())?.bibliography?.files.find((f) => /\.bib$/i.test(f.path));
    if (own) return vscode.Uri.joinPath(scope, '..', own.path);
  }
  const configured = vscode.workspace.getConfiguration('interpReview', folder?.uri).get<string[]>('bibliographies', []).find((b) => /\.bib$/i.test(b));
  if (configured && folder && !/^[a-z][a-z0-9+.-]+:/i.test(configured)) return vscode.Uri.joinPath(folder.uri, configured);
  const scopeDir = scope ? scope.toString().slice(0, scope.toString().lastIndexOf('/') + 1) : undefined;
  const folderPrefix = folder ? `${folder.uri.toString()}/` : '';
  const rank = (uri: string): [number, number] => {
    const dir = uri.slice(0, uri.lastIndexOf('/') + 1);
    return [dir === scopeDir ? 0 : uri.startsWith(folderPrefix) ? 1 : 2, uri.split('/').length];
  };
  const best = [...services.index.documents()]
    .filter((doc) => doc.kind === 'bibtex')
    .map((doc) => ({ uri: doc.uri, rank: rank(doc.uri) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.uri.localeCompare(b.uri))[0]?.uri;
  if (best) return vscode.Uri.parse(best, true);
  return folder ? vscode.Uri.joinPath(folder.uri, 'references.bib') : undefined;
}

/** Text of a file: the open editor's (unsaved edits included) or the disk's. */
export async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** Appends the corpus paper's BibTeX to `bib` (creating the file if needed). */
export async function addCorpusEntryEdit(paper: CorpusPaper, bib: vscode.Uri): Promise<vscode.WorkspaceEdit> {
  const entry = corpusPaperToBibtex(paper);
  const edit = new vscode.WorkspaceEdit();
  const metadata = { label: `Add ${paper.key} to ${vscode.workspace.asRelativePath(bib)}`, needsConfirmation: false };
  const isOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === bib.toString());
  if (!isOpen && !(await fileExists(bib))) {
    edit.createFile(bib, { overwrite: false, ignoreIfExists: true, contents: new TextEncoder().encode(entry) }, metadata);
    return edit;
  }
  const text = await readText(bib);
  const lines = text.split(/\r\n|\r|\n/);
  const end = new vscode.Position(lines.length - 1, lines[lines.length - 1].length);
  const separator = text.length === 0 ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  edit.insert(bib, end, separator + entry, metadata);
  return edit;
}
