// Paper search for completion and the insert-citation picker: every word must match key, title, author or year.
import * as assert from 'node:assert/strict';
import { fold, matchScore, queryTokens, searchText, type SearchablePaper } from '../../src/vscode/paperSearch';

const papers: SearchablePaper[] = [
  { key: 'nanda2023progress', info: { title: 'Progress measures for grokking via mechanistic interpretability', authors: ['Nanda, Neel'], year: '2023', keywords: [] }, fromCorpus: true },
  { key: 'nanda2023emergent', info: { title: 'Emergent linear representations in world models', authors: ['Nanda, Neel', 'Lee, Andrew'], year: '2023', keywords: [] }, fromCorpus: false },
  { key: 'olah2020zoom', info: { title: 'Zoom In: An Introduction to Circuits', authors: ['Olah, Chris'], year: '2020', keywords: [] }, fromCorpus: false },
  { key: 'scholkopf2021causal', info: { title: 'Toward causal representation learning', authors: ['Schölkopf, Bernhard'], year: '2021', keywords: [] }, fromCorpus: false },
];

function search(query: string): string[] {
  const tokens = queryTokens(query);
  return papers
    .map((p) => ({ p, s: matchScore(p, tokens, searchText(p)) }))
    .filter((x): x is { p: SearchablePaper; s: number } => x.s !== undefined)
    .sort((a, b) => a.s - b.s || a.p.key.localeCompare(b.p.key))
    .map((x) => x.p.key);
}

describe('paper search', () => {
  it('matches words across author, year and title', () => {
    assert.deepEqual(search('nanda 2023'), ['nanda2023emergent', 'nanda2023progress']);
    assert.deepEqual(search('grokking nanda'), ['nanda2023progress']);
    assert.deepEqual(search('circuits 2020'), ['olah2020zoom']);
    assert.deepEqual(search('nanda 2020'), []);
  });

  it('ranks key prefixes first and workspace papers before corpus papers', () => {
    assert.deepEqual(search('nanda'), ['nanda2023emergent', 'nanda2023progress']);
    assert.deepEqual(search('emergent'), ['nanda2023emergent']);
    assert.deepEqual(search('')[0], 'nanda2023emergent');
  });

  it('matches metadata at word starts only, so short queries stay precise', () => {
    assert.deepEqual(search('ola'), ['olah2020zoom']);
    assert.deepEqual(search('intro'), ['olah2020zoom']);
    assert.deepEqual(search('troduction'), []);
  });

  it('ignores case and accents', () => {
    assert.equal(fold('Schölkopf'), 'scholkopf');
    assert.deepEqual(search('SCHOLKOPF'), ['scholkopf2021causal']);
    assert.deepEqual(search('schölkopf causal'), ['scholkopf2021causal']);
  });
});
