// The editor features in a two-folder workspace: keys resolve across folders, edits span them, and
// folder-scoped settings (the note folder) apply per folder.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActionsAt, fixture, hoverAt, markdownOf, open, ourDiagnostics, positionOf, rangeOf, ready, target, waitFor } from '../editorHelpers';

describe('multi-root workspace', () => {
  before(ready);

  it('opens both folders', () => {
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((f) => f.name), ['a', 'b']);
  });

  it('resolves a key defined in the other folder (definition and hover)', async () => {
    const doc = await open('review-a.md', 0);
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'shared2024dictionary', 2));
    assert.deepEqual(found.map((l) => target(l).uri.toString()), [fixture('library.bib', 1).toString()]);
    const md = markdownOf(await hoverAt(doc, positionOf(doc, 'shared2024dictionary', 2)));
    assert.ok(md.includes('Dictionary Features Shared Across Folders'), md);
    assert.ok(md.includes('cited 2 times in 2 documents'), md);
  });

  it('reports unresolved keys in the right folder', async () => {
    const uri = fixture('review-a.md', 0);
    const diagnostics = await waitFor('diagnostics in folder a', () => {
      const found = ourDiagnostics(uri).filter((d) => d.code === 'unresolved-citation');
      return found.length > 0 && found;
    });
    const doc = await open('review-a.md', 0);
    assert.deepEqual(diagnostics.map((d) => doc.getText(d.range)), ['missingmulti2020']);
    assert.deepEqual(ourDiagnostics(fixture('draft-b.md', 1)).filter((d) => d.code === 'unresolved-citation').map((d) => d.message.includes('bnonote2022')), [true]);
  });

  it('renames a key across both folders', async () => {
    const doc = await open('draft-b.md', 1);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, 'alocal2023circuits', 1), 'alocal2023renamed');
    const files = edit.entries().map(([uri]) => vscode.workspace.asRelativePath(uri, true)).sort();
    assert.deepEqual(files, ['a/a.bib', 'a/review-a.md', 'b/draft-b.md']);
  });

  it('creates notes in each folder’s own note folder (folder-scoped setting)', async () => {
    const titleIn = async (file: string, folder: number, key: string) => {
      const doc = await open(file, folder);
      const actions = await codeActionsAt(doc, rangeOf(doc, key));
      return actions.find((a) => a.title.startsWith('Create paper note'))?.title;
    };
    assert.equal(await titleIn('draft-b.md', 1, 'bnonote2022'), 'Create paper note b/papers/bnonote2022.md');
    assert.equal(await titleIn('review-a.md', 0, 'missingmulti2020'), 'Create paper note a/notes/missingmulti2020.md');
  });
});
