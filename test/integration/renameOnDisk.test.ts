// A note renamed (and then deleted) on disk, outside the editor: the index follows through the file watcher,
// and definition, hover and diagnostics follow the index.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverAt, markdownOf, ourDiagnostics, positionOf, ready, scratchFolder, target, waitFor, writeText } from './editorHelpers';

describe('file renamed on disk', () => {
  it('moves definitions to the new file name and reports the key once the note is gone', async () => {
    const services = await ready();
    const scratch = await scratchFolder();
    try {
      const note = vscode.Uri.joinPath(scratch.uri, 'disk-note.md');
      const citing = vscode.Uri.joinPath(scratch.uri, 'citing.md');
      await writeText(note, '---\ncitekey: scratch2024disk\ntitle: A note that moves on disk\n---\n\n# A note that moves on disk\n\nBody.\n');
      await writeText(citing, 'A claim [@scratch2024disk].\n');
      await waitFor('the scratch note to be indexed', () => services.index.resolve('scratch2024disk')?.notes.length === 1);
      const doc = await vscode.workspace.openTextDocument(citing);
      const definitionsNow = async () =>
        (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'scratch2024disk', 2))).map((l) => target(l).uri.toString());
      assert.deepEqual(await definitionsNow(), [note.toString()]);

      const renamed = vscode.Uri.joinPath(scratch.uri, 'moved – ünïcode note.md');
      await vscode.workspace.fs.rename(note, renamed);
      await waitFor('definition to follow the rename', async () => JSON.stringify(await definitionsNow()) === JSON.stringify([renamed.toString()]));
      assert.ok(markdownOf(await hoverAt(doc, positionOf(doc, 'scratch2024disk', 2))).includes('A note that moves on disk'));

      await vscode.workspace.fs.delete(renamed);
      await waitFor('the key to become unresolved', () => ourDiagnostics(citing).some((d) => d.code === 'unresolved-citation'));
    } finally {
      await scratch.dispose();
    }
  });
});
