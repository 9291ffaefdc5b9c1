// Quick fixes through `vscode.executeCodeActionProvider`: replace an unknown key, create a note (never
// overwriting), add a corpus paper to the project bibliography.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActionsAt, fixture, open, ourDiagnostics, rangeOf, readText, ready, waitFor, writeText } from './editorHelpers';

function actionsAt(doc: vscode.TextDocument, needle: string): Promise<vscode.CodeAction[]> {
  return codeActionsAt(doc, rangeOf(doc, needle));
}

describe('quick fixes', () => {
  before(async () => {
    await ready();
    await waitFor('diagnostics for review.md', () => ourDiagnostics(fixture('review.md')).length > 0);
  });

  it('replaces an unresolved key with the nearest known key', async () => {
    const doc = await open('review.md');
    const actions = await actionsAt(doc, 'elhage2022toi');
    const replace = actions.find((a) => a.title === "Replace with 'elhage2022toy'");
    assert.ok(replace, actions.map((a) => a.title).join('\n'));
    assert.equal(replace.isPreferred, true);
    const [[uri, edits]] = replace.edit!.entries();
    assert.equal(uri.toString(), doc.uri.toString());
    assert.equal(edits[0].newText, 'elhage2022toy');
    assert.ok(edits[0].range.isEqual(rangeOf(doc, 'elhage2022toi')));
  });

  it('offers to create a note from the template for a key without one, and not for a key with one', async () => {
    const doc = await open('review.md');
    const create = (await actionsAt(doc, 'wang2023interpretability')).find((a) => a.title.startsWith('Create paper note'));
    assert.ok(create);
    assert.equal(create.title, 'Create paper note notes/wang2023interpretability.md');
    assert.ok(!(await actionsAt(doc, 'elhage2022toy')).some((a) => a.title.startsWith('Create paper note')), 'the key already has a note');
  });

  it('creates the note (through the same edit as the command), and never overwrites an existing file', async () => {
    const services = await ready();
    const doc = await open('review.md');
    const noteUri = fixture('notes/meng2022locating.md');
    try {
      const create = (await actionsAt(doc, 'meng2022locating')).find((a) => a.title.startsWith('Create paper note'));
      assert.ok(create?.edit, 'the quick fix carries a WorkspaceEdit');
      await vscode.commands.executeCommand('interpReview.createPaperNote', 'meng2022locating');
      const text = await readText(noteUri);
      assert.match(text, /^---\ncitekey: meng2022locating\ntitle: Locating and Editing Factual Associations in GPT\n/);
      assert.match(text, /\n# Locating and Editing Factual Associations in GPT\n/);

      await writeText(noteUri, 'my own words\n');
      await waitFor('the index to drop the note', () => services.index.resolve('meng2022locating')?.notes.length === 0);
      assert.ok(!(await actionsAt(doc, 'meng2022locating')).some((a) => a.title.startsWith('Create paper note')), 'not offered while the file exists');
      await vscode.commands.executeCommand('interpReview.createPaperNote', 'meng2022locating');
      assert.equal(await readText(noteUri), 'my own words\n');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(noteUri).then(undefined, () => undefined);
      await waitFor('the index to drop the deleted note', () => !services.index.document(noteUri.toString()));
    }
  });

  it('adds a corpus paper to the project bibliography', async () => {
    const doc = await open('review.md');
    const add = (await actionsAt(doc, 'bereska2024mechanistic')).find((a) => a.title.startsWith("Add 'bereska2024mechanistic'"));
    assert.ok(add);
    assert.equal(add.title, "Add 'bereska2024mechanistic' from the corpus to refs.bib");
    const [[uri, edits]] = add.edit!.entries();
    assert.equal(vscode.workspace.asRelativePath(uri), 'refs.bib');
    assert.match(edits[0].newText, /^\n?\n@(article|misc)\{bereska2024mechanistic,\n {2}title +\= \{\{Mechanistic Interpretability for AI Safety/);
    const bib = await open('refs.bib');
    assert.ok(edits[0].range.start.isEqual(bib.lineAt(bib.lineCount - 1).range.end), 'appended at the end');
  });
});
