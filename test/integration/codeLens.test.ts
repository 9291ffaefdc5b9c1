// Code lenses through `vscode.executeCodeLensProvider`: claims that cite, and how often a note's paper is cited.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open, positionOf, ready, waitFor, withSetting } from './editorHelpers';

async function lenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
  return found.filter((l) => /^(cites|cited by|not cited)/.test(l.command?.title ?? ''));
}

describe('code lens', () => {
  before(ready);

  it('puts one lens above each citing paragraph, list item or heading, counting unresolved keys', async () => {
    const doc = await open('review.md');
    const found = await lenses(doc);
    const at = (needle: string) => found.find((l) => l.range.start.line === positionOf(doc, needle).line)?.command?.title;
    assert.equal(at('Neurons in trained networks'), 'cites 5 papers');
    assert.equal(at('- @nanda2023progress'), 'cites 1 paper');
    assert.equal(at('- Circuit discovery'), 'cites 3 papers');
    assert.equal(at('- A typo in a key'), 'cites 1 paper · 1 unresolved');
    assert.equal(at('Reviews of the field'), 'cites 2 papers');
    assert.equal(at('Editing model knowledge'), 'cites 2 papers');
    assert.equal(found.length, 6, found.map((l) => `${l.range.start.line}: ${l.command?.title}`).join('\n'));
  });

  it('peeks the cited papers when clicked', async () => {
    const doc = await open('review.md');
    const lens = (await lenses(doc)).find((l) => l.command?.title === 'cites 3 papers')!;
    assert.equal(lens.command!.command, 'editor.action.peekLocations');
    const locations = lens.command!.arguments![2] as vscode.Location[];
    assert.equal(locations.length, 3);
    assert.ok(locations.every((l) => vscode.workspace.asRelativePath(l.uri) !== 'review.md'), 'points at definitions');
  });

  it('counts LaTeX claims', async () => {
    const doc = await open('drafts/draft.tex');
    const titles = (await lenses(doc)).map((l) => l.command?.title);
    assert.deepEqual(titles, ['cites 5 papers', 'cites 2 papers · 1 unresolved']);
  });

  it('says above a note how many claims in how many documents cite its paper', async () => {
    const doc = await open('notes/elhage2022toy.md');
    const found = await lenses(doc);
    const noteLens = found.find((l) => l.command?.title.startsWith('cited by'));
    assert.ok(noteLens, found.map((l) => l.command?.title).join());
    assert.equal(noteLens.command!.title, 'cited by 2 claims in 2 documents');
    assert.equal(noteLens.range.start.line, positionOf(doc, '# Toy Models').line);
    assert.equal(noteLens.command!.command, 'editor.action.showReferences');
  });

  it('can be switched off', async () => {
    const doc = await open('review.md');
    await withSetting('interpReview', 'codeLens.enabled', false, async () => {
      await waitFor('no lenses', async () => (await lenses(doc)).length === 0);
    });
    assert.ok((await lenses(doc)).length > 0);
  });
});
