// Paper search for completion and the insert-citation picker: every word must match key, title, author or year.
import * as assert from 'node:assert/strict';
import { fold, indexedPaper, PaperSearch, queryTokens, searchText, type SearchablePaper } from '../../src/vscode/paperSearch';

const papers: SearchablePaper[] = [
  { key: 'nanda2023progress', info: { title: 'Progress measures for grokking via mechanistic interpretability', authors: ['Nanda, Neel'], year: '2023', keywords: [] }, fromCorpus: true },
  { key: 'nanda2023emergent', info: { title: 'Emergent linear representations in world models', authors: ['Nanda, Neel', 'Lee, Andrew'], year: '2023', keywords: [] }, fromCorpus: false },
  { key: 'olah2020zoom', info: { title: 'Zoom In: An Introduction to Circuits', authors: ['Olah, Chris'], year: '2020', keywords: [] }, fromCorpus: false },
  { key: 'scholkopf2021causal', info: { title: 'Toward causal representation learning', authors: ['Schölkopf, Bernhard'], year: '2021', keywords: [] }, fromCorpus: false },
];

const index = new PaperSearch([...papers].sort((a, b) => a.key.localeCompare(b.key)).map(indexedPaper));

function search(query: string): string[] {
  return index.rank(query).map((match) => match.paper.key);
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

  it('ranks as testing each paper by the rules would, on generated papers and queries', () => {
    // The rules, paper by paper: the reference the one-string search must agree with.
    const reference = (all: SearchablePaper[], query: string) => {
      const tokens = queryTokens(query);
      return all
        .map((paper) => {
          const key = fold(paper.key);
          const haystack = searchText(paper);
          let points = 0;
          for (const token of tokens) {
            if (key.startsWith(token)) continue;
            if (key.includes(token)) points += 1;
            else if (haystack.includes(` ${token}`)) points += 2;
            else return undefined;
          }
          return { key: paper.key, score: points * 2 + (paper.fromCorpus ? 1 : 0) };
        })
        .filter((match) => match !== undefined)
        .sort((a, b) => a.score - b.score || a.key.localeCompare(b.key));
    };
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const syllables = ['na', 'nda', 'ol', 'ah', 'el', 'ha', 'ge', 'sch', 'öl', 'ko', 'pf', '20', '23', 'a', 'e'];
    const word = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(syllables)).join('');
    for (let round = 0; round < 30; round++) {
      const generated: SearchablePaper[] = Array.from({ length: 60 }, (_, i) => ({
        key: `${word()}${word()}${i}`,
        info: { title: `${word()} ${word()} ${word()}`, authors: [`${word()}, ${word()}`], year: pick(['2020', '2023', undefined]), keywords: [] },
        fromCorpus: random() < 0.3,
      }));
      const search = new PaperSearch([...generated].sort((a, b) => a.key.localeCompare(b.key)).map(indexedPaper));
      for (let q = 0; q < 20; q++) {
        const query = Array.from({ length: Math.floor(random() * 3) }, word).join(pick([' ', ', ', ';']));
        assert.deepEqual(search.rank(query).map((m) => ({ key: m.paper.key, score: m.score })), reference(generated, query), query);
        assert.deepEqual(search.rank(query, 3).map((m) => m.paper.key), reference(generated, query).slice(0, 3).map((m) => m.key), query);
      }
    }
  });
});
