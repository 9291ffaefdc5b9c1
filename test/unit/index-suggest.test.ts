import * as assert from 'node:assert/strict';
import { boundedEditDistance, KeySuggester } from '../../src/core/index/suggest';

describe('key suggestions', () => {
  it('computes bounded edit distances', () => {
    assert.equal(boundedEditDistance('kitten', 'sitting', 5), 3);
    assert.equal(boundedEditDistance('abc', 'abc', 1), 0);
    assert.equal(boundedEditDistance('abc', 'xyzxyz', 2), 3);
    assert.equal(boundedEditDistance('', 'ab', 3), 2);
  });

  it('agrees with a plain dynamic-programming Levenshtein on random strings', () => {
    const plain = (a: string, b: string): number => {
      let row = Array.from({ length: b.length + 1 }, (_, j) => j);
      for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        row = next;
      }
      return row[b.length];
    };
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const word = () => Array.from({ length: Math.floor(random() * 9) }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let k = 0; k < 20000; k++) {
      const [a, b, limit] = [word(), word(), Math.floor(random() * 5)];
      const expected = Math.min(plain(a, b), limit + 1);
      assert.equal(boundedEditDistance(a, b, limit), expected, `${a} ${b} ${limit}`);
    }
  });

  it('suggests the closest keys first, case-insensitively, never the key itself', () => {
    const s = new KeySuggester(['olsson2022context', 'olah2020zoom', 'elhage2021mathematical', 'Elhage2022toy', 'nanda2023progress']);
    assert.deepEqual(s.suggest('olson2022context'), ['olsson2022context']);
    assert.deepEqual(s.suggest('elhage2022Toy'), ['Elhage2022toy']);
    assert.deepEqual(s.suggest('olah2020zoom'), []);
    assert.deepEqual(s.suggest('completely-unrelated-key'), []);
  });

  it('drops matches more than one edit worse than the best', () => {
    const s = new KeySuggester(['smith2020a', 'smith2020ab', 'smxth2021ab']);
    assert.deepEqual(s.suggest('smith2020', 5), ['smith2020a', 'smith2020ab']);
  });

  it('finds the nearest key among 20,000 similar ones, exactly as a full scan would', () => {
    const keys = Array.from({ length: 20000 }, (_, i) => `olah${2015 + (i % 11)}w${i}`);
    const s = new KeySuggester(keys);
    for (const [typo, expected] of [['olah2015w1100', null], ['olha2015w1100', 'olah2015w1100'], ['olah2015w110x', null]] as const) {
      const got = s.suggest(typo, 3);
      const full = keys
        .map((k) => ({ k, d: boundedEditDistance(typo.toLowerCase(), k.toLowerCase(), 4) }))
        .filter((x) => x.k !== typo && x.d <= Math.max(1, Math.min(4, Math.floor(typo.length / 3))))
        .sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : 1));
      const best = full[0]?.d ?? 0;
      assert.deepEqual(got, full.filter((x) => x.d <= best + 1).slice(0, 3).map((x) => x.k), typo);
      if (expected) assert.equal(got[0], expected);
    }
  });
});
