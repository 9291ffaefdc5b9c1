// Definition, references and rename through the VS Code commands, from citations, notes and `.bib` entries.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixture, open, positionOf, rangeOf, ready, sameUri, target } from './editorHelpers';

function rel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

describe('go to definition', () => {
  before(ready);

  it('goes from a Pandoc citation to the note and the bib entry', async () => {
    const doc = await open('review.md');
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, '@elhage2022toy', 3));
    const targets = found.map(target);
    assert.deepEqual(targets.map((t) => rel(t.uri)).sort(), ['notes/elhage2022toy.md', 'refs.bib']);
    const bib = await open('refs.bib');
    const entry = targets.find((t) => sameUri(t.uri, bib.uri))!;
    assert.equal(bib.getText(entry.range), 'elhage2022toy');
    assert.ok(entry.range.isEqual(rangeOf(bib, 'elhage2022toy')));
    const note = await open('notes/elhage2022toy.md');
    assert.equal(note.getText(targets.find((t) => sameUri(t.uri, note.uri))!.range), 'elhage2022toy');
  });

  it('goes from a LaTeX citation to a note with an awkward file name', async () => {
    const doc = await open('drafts/draft.tex');
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'nanda2023progress', 1));
    assert.ok(found.map(target).some((t) => sameUri(t.uri, fixture('notes/Nanda – grokking progress.md'))), found.map((f) => rel(target(f).uri)).join());
  });

  it('lists both definitions of a duplicated key', async () => {
    const doc = await open('review.md');
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, '@geiger2021causal', 2));
    assert.deepEqual(found.map((f) => rel(target(f).uri)).sort(), ['more refs/other.bib', 'refs.bib']);
  });
});

describe('find all references', () => {
  before(ready);

  it('finds every citation of a key from its .bib entry, across Markdown and LaTeX', async () => {
    const bib = await open('refs.bib');
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', bib.uri, positionOf(bib, 'olah2020zoom', 2));
    const files = refs.map((r) => rel(r.uri));
    for (const file of ['review.md', 'drafts/draft.tex', 'linkcheck.md']) assert.ok(files.includes(file), `${file} missing from ${files.join(', ')}`);
    for (const r of refs) {
      const doc = await vscode.workspace.openTextDocument(r.uri);
      assert.equal(doc.getText(r.range), 'olah2020zoom', `${rel(r.uri)} ${r.range.start.line}`);
    }
  });

  it('finds citations from a note frontmatter citekey', async () => {
    const note = await open('notes/elhage2022toy.md');
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', note.uri, positionOf(note, 'citekey: elhage2022toy', 12));
    const review = await open('review.md');
    assert.ok(refs.some((r) => sameUri(r.uri, review.uri) && r.range.isEqual(rangeOf(review, 'elhage2022toy'))));
    assert.ok(refs.some((r) => rel(r.uri) === 'linkcheck.md'));
  });

  it('finds citations in a safety case', async () => {
    const doc = await open('review.md');
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, positionOf(doc, '@templeton2024scaling', 2));
    assert.ok(refs.some((r) => rel(r.uri) === 'safety/interp-case.gsn.yaml'), refs.map((r) => rel(r.uri)).join());
  });
});

describe('rename', () => {
  before(ready);

  it('renames a key in citations, notes and every .bib definition as one edit', async () => {
    const doc = await open('review.md');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, '@olah2020zoom', 3), 'olah2020zoomin');
    const byFile = new Map<string, vscode.TextEdit[]>();
    for (const [uri, edits] of edit.entries()) byFile.set(rel(uri), edits);
    assert.deepEqual([...byFile.keys()].sort(), ['drafts/draft.tex', 'linkcheck.md', 'refs.bib', 'review.md']);
    assert.equal(byFile.get('refs.bib')!.length, 2, 'both definitions of the duplicated key');
    for (const [file, edits] of byFile) {
      const target = await open(file);
      for (const e of edits) {
        assert.equal(e.newText, 'olah2020zoomin');
        assert.equal(target.getText(e.range), 'olah2020zoom', `${file}:${e.range.start.line}`);
      }
    }
  });

  it('renames from a note citekey, including the note itself', async () => {
    const note = await open('notes/Nanda – grokking progress.md');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', note.uri, positionOf(note, 'nanda2023progress', 1), 'nanda2023grokking');
    const files = edit.entries().map(([uri]) => rel(uri)).sort();
    assert.deepEqual(files, ['drafts/draft.tex', 'linkcheck.md', 'notes/Nanda – grokking progress.md', 'refs.bib', 'review.md']);
  });

  it('refuses an invalid or already-taken key without editing anything', async () => {
    const doc = await open('review.md');
    const at = positionOf(doc, '@olah2020zoom', 3);
    const filesEdited = async (newName: string) => {
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>('vscode.executeDocumentRenameProvider', doc.uri, at, newName);
      return (edit?.entries() ?? []).filter(([, edits]) => edits.length > 0).map(([uri]) => rel(uri));
    };
    assert.deepEqual(await filesEdited('has space'), []);
    assert.deepEqual(await filesEdited('elhage2022toy'), []);
    assert.ok((await filesEdited('olah2020valid')).includes('refs.bib'), 'a valid new key does rename the definition');
  });
});
