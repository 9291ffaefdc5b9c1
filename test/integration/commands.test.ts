// The palette commands, run through `vscode.commands.executeCommand` with a key argument.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, fixture, readText, ready, waitFor } from './editorHelpers';

describe('commands', () => {
  before(ready);

  it('contributes its commands under the "Interpretability Review" category and registers them', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const ours = ['insertCitation', 'openPaperNote', 'createPaperNote', 'copyReference', 'reindex', 'showLog'].map((c) => `interpReview.${c}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ours) {
      const contributed = manifest.contributes.commands.find((c: { command: string }) => c.command === id);
      assert.equal(contributed?.category, 'Interpretability Review', id);
      assert.ok(registered.has(id), `${id} is not registered`);
    }
  });

  it('inserts a given key as a citation that fits where the cursor is', async () => {
    const markdown = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: 'As shown [see @elhage2022toy, p. 3' }));
    markdown.selection = new vscode.Selection(markdown.document.lineAt(0).range.end, markdown.document.lineAt(0).range.end);
    await vscode.commands.executeCommand('interpReview.insertCitation', { key: 'olah2020zoom' });
    assert.equal(markdown.document.getText(), 'As shown [see @elhage2022toy, p. 3; @olah2020zoom');
    assert.equal(markdown.selection.active.character, markdown.document.lineAt(0).text.length, 'the cursor follows the citation');
    const latex = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'latex', content: 'As shown ' }));
    latex.selection = new vscode.Selection(latex.document.lineAt(0).range.end, latex.document.lineAt(0).range.end);
    await vscode.commands.executeCommand('interpReview.insertCitation', 'nanda2023progress');
    assert.equal(latex.document.getText(), 'As shown \\cite{nanda2023progress}');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('copies a formatted reference', async () => {
    await vscode.commands.executeCommand('interpReview.copyReference', 'olah2020zoom');
    const text = await vscode.env.clipboard.readText();
    assert.equal(text, 'Olah, Chris; Cammarata, Nick; Schubert, Ludwig; Goh, Gabriel; Petrov, Michael; Carter, Shan (2020). Zoom In: An Introduction to Circuits. Distill. https://doi.org/10.23915/distill.00024.001');
  });

  it('opens a paper note by key', async () => {
    await vscode.commands.executeCommand('interpReview.openPaperNote', 'nanda2023progress');
    const editor = await waitFor('the note editor', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.toString(), fixture('notes/Nanda – grokking progress.md').toString());
    assert.equal(editor.document.lineAt(editor.selection.active.line).text, '# Progress measures for grokking');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('creates a paper note from the template and indexes it', async () => {
    const services = await ready();
    const uri = fixture('notes/conmy2023automated.md');
    try {
      await vscode.commands.executeCommand('interpReview.createPaperNote', 'conmy2023automated');
      const text = await readText(uri);
      assert.match(text, /^---\ncitekey: conmy2023automated\n/);
      assert.match(text, /authors: \["Conmy, Arthur", "Mavor-Parker, Augustine N\.", /);
      await waitFor('the index to see the note', () => (services.index.resolve('conmy2023automated')?.notes.length ?? 0) > 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
      await waitFor('the index to drop the deleted note', () => !services.index.document(uri.toString()));
    }
  });

  it('reindexes and shows the log', async () => {
    const services = await ready();
    await services.index.ready();
    const indexed = () => [...services.index.documents()].map((d) => vscode.workspace.asRelativePath(vscode.Uri.parse(d.uri))).sort();
    const before = indexed();
    await vscode.commands.executeCommand('interpReview.reindex');
    assert.deepEqual(indexed(), before, 'a full rebuild finds exactly what the incremental index had');
    await vscode.commands.executeCommand('interpReview.showLog');
  });
});
