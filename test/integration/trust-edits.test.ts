// No data loss: the extension's edits go through WorkspaceEdits applied to editor buffers (undoable, unsaved),
// it writes no file the user did not ask for, and creating a note never overwrites a file already there.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixture, folderUri, open, positionOf, readText, ready, writeText } from './editorHelpers';

/** Every file of the workspace folder with its bytes (scratch folders of other suites excluded). */
function diskSnapshot(): Map<string, string> {
  const root = folderUri().fsPath;
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (!name.startsWith('scratch-')) walk(full);
      } else out.set(path.relative(root, full), readFileSync(full, 'latin1'));
    }
  };
  walk(root);
  return out;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

describe('no data loss', function () {
  this.timeout(60_000);

  before(() => ready());

  afterEach(async () => {
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('a rename is one WorkspaceEdit applied to buffers: nothing is written to disk', async () => {
    const doc = await open('review.md');
    await vscode.window.showTextDocument(doc);
    const before = diskSnapshot();
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, '@elhage2022toy', 3), 'elhage2022renamed');
    assert.ok(edit instanceof vscode.WorkspaceEdit, 'the rename is a single WorkspaceEdit');
    const touched = edit.entries().map(([uri]) => vscode.workspace.asRelativePath(uri)).sort();
    assert.ok(touched.length >= 2, `the edit spans the citing documents and the definitions: ${touched.join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.deepEqual(changedFiles(before, diskSnapshot()), [], 'applying the rename wrote files to disk');
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => vscode.workspace.asRelativePath(d.uri)).sort();
    assert.deepEqual(dirty, touched, 'exactly the edited files are dirty buffers, to be saved (or undone) by the user');
  });

  it('creating a note never overwrites a file already at the note path', async () => {
    const key = 'wang2023interpretability';
    const services = await ready();
    assert.ok(services.index.resolve(key)?.entries.length && !services.index.resolve(key)?.notes.length, `${key} has an entry and no note`);
    const target = fixture(`notes/${key}.md`);
    const mine = 'My own file that happens to have the note name.\nIt has no front matter, so it is not a paper note.\n';
    await writeText(target, mine);
    try {
      await ready();
      const before = diskSnapshot();
      await vscode.commands.executeCommand('interpReview.createPaperNote', key);
      assert.equal(await readText(target), mine, 'the existing file was overwritten');
      assert.deepEqual(changedFiles(before, diskSnapshot()), [], 'creating the note wrote other files');
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString(), 'the existing file is opened instead');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(target);
    }
  });

  it('opening a note that exists writes nothing', async () => {
    const before = diskSnapshot();
    await vscode.commands.executeCommand('interpReview.createPaperNote', 'elhage2022toy');
    assert.ok(vscode.window.activeTextEditor?.document.uri.path.endsWith('/notes/elhage2022toy.md'));
    assert.deepEqual(changedFiles(before, diskSnapshot()), []);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
