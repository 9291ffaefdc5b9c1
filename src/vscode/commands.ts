// Palette commands (category "Interpretability Review"). Commands that act on a paper take its key as a
// string, a tree item carrying `key`, or fall back to the key under the cursor and then to a picker.
import * as vscode from 'vscode';
import { citationSyntax, keySiteAt } from './documentCitations';
import { formatAuthors } from './markdownText';
import { createNoteEdit, fileExists } from './paperEdits';
import { citationSnippet, plainReference } from './paperText';
import type { ExtensionServices } from './services';

const COMMANDS = {
  insertCitation: 'interpReview.insertCitation',
  openPaperNote: 'interpReview.openPaperNote',
  createPaperNote: 'interpReview.createPaperNote',
  copyReference: 'interpReview.copyReference',
  reindex: 'interpReview.reindex',
  showLog: 'interpReview.showLog',
} as const;

interface PaperPick extends vscode.QuickPickItem {
  key: string;
}

/** A picker over every known paper, matching each typed word against key, title, authors and year. */
async function pickPaper(services: ExtensionServices, placeholder: string, filter?: (key: string) => boolean): Promise<string | undefined> {
  const picker = vscode.window.createQuickPick<PaperPick>();
  picker.placeholder = placeholder;
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  // Answers can arrive out of order while the catalog is rebuilt; only the latest query's are shown.
  let latest = 0;
  let hidden = false;
  const update = async () => {
    const query = ++latest;
    picker.busy = true;
    const found = await services.catalog.searchSoon(picker.value, 300);
    if (query !== latest || hidden) return;
    picker.busy = false;
    picker.items = found
      .filter(({ paper }) => !filter || filter(paper.key))
      .map(({ paper }) => ({
        key: paper.key,
        label: paper.key,
        description: [paper.info.year, paper.fromCorpus ? 'corpus' : undefined].filter(Boolean).join(' · '),
        detail: [paper.info.title, formatAuthors(paper.info.authors)].filter(Boolean).join(' — '),
        // Our matcher already filtered across fields; keep VS Code's own filter from hiding multi-field hits.
        alwaysShow: true,
      }));
  };
  void update();
  return new Promise<string | undefined>((resolve) => {
    const subscriptions = [
      picker.onDidChangeValue(() => void update()),
      picker.onDidAccept(() => {
        resolve(picker.selectedItems[0]?.key);
        picker.hide();
      }),
      picker.onDidHide(() => {
        hidden = true;
        resolve(undefined);
        for (const s of subscriptions) s.dispose();
        picker.dispose();
      }),
    ];
    picker.show();
  });
}

/** The key a command was invoked with: an argument, a tree item, the cursor, or a picker. */
async function keyFromInvocation(services: ExtensionServices, arg: unknown, placeholder: string, filter?: (key: string) => boolean): Promise<string | undefined> {
  if (typeof arg === 'string' && arg) return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { key?: unknown }).key === 'string') return (arg as { key: string }).key;
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const site = keySiteAt(services, editor.document, editor.selection.active);
    if (site && (!filter || filter(site.key))) return site.key;
  }
  return pickPaper(services, placeholder, filter);
}

export function registerCommands(services: ExtensionServices): vscode.Disposable {
  const hasNote = (key: string) => (services.index.resolve(key)?.notes.length ?? 0) > 0;

  const openNote = async (arg?: unknown) => {
    const key = await keyFromInvocation(services, arg, 'Open the note of which paper?', hasNote);
    if (!key) return;
    const note = services.index.resolve(key)?.notes[0];
    if (!note) {
      const choice = await vscode.window.showInformationMessage(`No paper note for '${key}' yet.`, 'Create Note');
      if (choice) await vscode.commands.executeCommand(COMMANDS.createPaperNote, key);
      return;
    }
    const uri = vscode.Uri.parse(note.uri, true);
    const position = services.index.document(note.uri)?.lineMap.positionAt(note.note.titleSpan?.start ?? note.note.bodyStart);
    await vscode.window.showTextDocument(uri, position ? { selection: new vscode.Range(position.line, 0, position.line, 0) } : {});
  };

  const createNote = async (arg?: unknown) => {
    const key = await keyFromInvocation(services, arg, 'Create a note for which paper?');
    if (!key) return undefined;
    // Mid-rebuild (a settings change starts one) the paper may not be read back yet; its note needs its metadata.
    if (services.index.indexing) await services.index.ready();
    const paper = services.index.resolve(key);
    if (paper?.notes.length) {
      await openNote(key);
      return vscode.Uri.parse(paper.notes[0].uri, true);
    }
    const scope = vscode.window.activeTextEditor?.document.uri;
    const created = createNoteEdit(services, key, paper?.info ?? { authors: [], keywords: [] }, scope);
    if (!created) {
      void vscode.window.showWarningMessage('Open a folder to create paper notes in.');
      return undefined;
    }
    if (!(await fileExists(created.uri)) && !(await vscode.workspace.applyEdit(created.edit))) {
      void vscode.window.showErrorMessage(`Could not create ${vscode.workspace.asRelativePath(created.uri)}.`);
      return undefined;
    }
    await vscode.window.showTextDocument(created.uri);
    return created.uri;
  };

  /** Inserts a key given by a tree item or argument, or one picked by searching title, author and year. */
  const insertCitation = async (arg?: unknown) => {
    const editor = vscode.window.activeTextEditor;
    const syntax = editor && citationSyntax(editor.document);
    if (!editor || !syntax) {
      void vscode.window.showInformationMessage('Insert Citation works in Markdown, Quarto and LaTeX files.');
      return;
    }
    const given = typeof arg === 'string' ? arg : arg && typeof arg === 'object' ? (arg as { key?: unknown }).key : undefined;
    const key = typeof given === 'string' && given ? given : await pickPaper(services, 'Search papers by key, title, author or year (e.g. "nanda 2023")');
    if (!key) return;
    // One WorkspaceEdit for all cursors: a single undo step, like every other edit of the extension.
    const doc = editor.document;
    const edit = new vscode.WorkspaceEdit();
    const inserted = editor.selections.map((selection) => {
      const text = citationSnippet(doc.lineAt(selection.start.line).text.slice(0, selection.start.character), key, syntax);
      edit.replace(doc.uri, selection, text);
      return { start: doc.offsetAt(selection.start), removed: doc.offsetAt(selection.end) - doc.offsetAt(selection.start), length: text.length };
    });
    if (!(await vscode.workspace.applyEdit(edit))) return;
    // Each cursor lands after its citation; earlier insertions shift later ones.
    const ordered = [...inserted].sort((a, b) => a.start - b.start);
    let shift = 0;
    const ends = new Map<(typeof inserted)[number], number>();
    for (const item of ordered) {
      ends.set(item, item.start + shift + item.length);
      shift += item.length - item.removed;
    }
    editor.selections = inserted.map((item) => {
      const end = doc.positionAt(ends.get(item)!);
      return new vscode.Selection(end, end);
    });
  };

  const copyReference = async (arg?: unknown) => {
    const key = await keyFromInvocation(services, arg, 'Copy the reference of which paper?');
    if (!key) return;
    const paper = services.index.resolve(key);
    if (!paper) {
      void vscode.window.showWarningMessage(`Unknown citation key '${key}'.`);
      return;
    }
    await vscode.env.clipboard.writeText(plainReference(key, paper.info));
    vscode.window.setStatusBarMessage(`Copied reference for ${key}`, 3000);
  };

  const reindex = () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Reindexing review workspace' }, async () => {
      services.log.info('Reindex requested');
      await services.index.reindex();
    });

  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.insertCitation, insertCitation),
    vscode.commands.registerCommand(COMMANDS.openPaperNote, openNote),
    vscode.commands.registerCommand(COMMANDS.createPaperNote, createNote),
    vscode.commands.registerCommand(COMMANDS.copyReference, copyReference),
    vscode.commands.registerCommand(COMMANDS.reindex, reindex),
    vscode.commands.registerCommand(COMMANDS.showLog, () => services.log.show()),
  );
}
