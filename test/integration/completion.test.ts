// Completion through `vscode.executeCompletionItemProvider` after `@` and inside `\cite{…}`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ready } from './editorHelpers';

/** Completions at `|` in `text` (or at its end). */
async function complete(language: string, text: string, trigger?: string): Promise<vscode.CompletionItem[]> {
  const cursor = text.includes('|') ? text.indexOf('|') : text.length;
  const content = text.replace('|', '');
  const doc = await vscode.workspace.openTextDocument({ language, content });
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(cursor), trigger);
  return list?.items ?? [];
}

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function ours(items: vscode.CompletionItem[]): vscode.CompletionItem[] {
  return items.filter((i) => i.kind === vscode.CompletionItemKind.Reference);
}

describe('completion', () => {
  before(ready);

  it('offers every known key after @, with title, authors and year, corpus papers marked', async () => {
    const items = ours(await complete('markdown', 'As argued in [@', '@'));
    const labels = items.map(label);
    for (const key of ['elhage2022toy', 'templeton2024scaling', 'marks2024sparse', 'nanda2023progress', 'bereska2024mechanistic']) assert.ok(labels.includes(key), `${key} missing`);
    const toy = items.find((i) => label(i) === 'elhage2022toy')!;
    assert.equal(toy.detail, 'Toy Models of Superposition — N. Elhage, T. Hume, C. Olsson et al. (2022)');
    const corpus = items.find((i) => label(i) === 'bereska2024mechanistic')!;
    assert.equal(typeof corpus.label === 'string' ? '' : corpus.label.description, 'corpus · 2024');
    const own = typeof toy.label === 'string' ? '' : toy.label.description;
    assert.equal(own, '2022');
  });

  it('filters by key prefix and replaces the typed prefix', async () => {
    const text = 'Superposition [@elha';
    const items = ours(await complete('markdown', text));
    const labels = items.map(label);
    assert.deepEqual(labels.slice(0, 2).sort(), ['elhage2021mathematical', 'elhage2022toy'], 'key-prefix matches come first');
    for (const item of items) assert.ok(label(item).startsWith('elha') || /Elha/.test(String(item.detail)), label(item));
    const range = items[0].range as { inserting: vscode.Range; replacing: vscode.Range };
    assert.equal(range.inserting.start.character, text.indexOf('@') + 1);
  });

  it('matches author and year across fields ("nanda 2023")', async () => {
    const labels = ours(await complete('markdown', 'As shown by @nanda 2023')).map(label);
    assert.ok(labels.includes('nanda2023progress'), labels.join(', '));
    assert.ok(!labels.includes('olah2020zoom'));
    const byTitle = ours(await complete('markdown', 'See [@grokking')).map(label);
    assert.ok(byTitle.includes('nanda2023progress'), byTitle.join(', '));
    assert.ok(!byTitle.includes('elhage2022toy'));
  });

  it('is silent in e-mail addresses and code', async () => {
    assert.deepEqual(ours(await complete('markdown', 'Write to someone@nan')), []);
    assert.deepEqual(ours(await complete('markdown', 'Inline `[@nan|` code.')), []);
    assert.deepEqual(ours(await complete('markdown', '```\n[@nan|\n```\n')), []);
    assert.deepEqual(ours(await complete('markdown', '<!-- [@nan| -->')), []);
  });

  it('completes inside LaTeX cite commands after { and after a comma', async () => {
    const afterBrace = ours(await complete('latex', 'As \\citep[p.~3]{olah', '{')).map(label);
    assert.equal(afterBrace[0], 'olah2020zoom');
    const afterComma = ours(await complete('latex', 'As \\citet{olah2020zoom, nanda2023', ',')).map(label);
    assert.equal(afterComma[0], 'nanda2023progress');
    assert.ok(!afterComma.includes('olah2020zoom'));
    assert.deepEqual(ours(await complete('latex', 'Plain text {ola')), []);
    assert.deepEqual(ours(await complete('latex', '% \\cite{ola')), []);
  });
});
