// CharSetSearch answers "next member at or after" from a memo and a native search; it must agree with a plain
// scan for any order of queries (scanners look ahead, then resume behind).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { AsciiCharSet, CharSetSearch } from '../../src/core/parsers/citationText';
import { fuzzParameters } from './fuzz-config';

function naiveNext(text: string, members: string, from: number): number {
  for (let i = from; i < text.length; i++) if (members.includes(text[i])) return i;
  return text.length;
}

describe('CharSetSearch', () => {
  it('finds the next member like a plain scan, whatever the order of queries', () => {
    const members = '\\`$<@-*_[]^';
    const set = new AsciiCharSet(members);
    const text = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '😀', '\n', ...members.split('')), maxLength: 60 });
    fc.assert(
      fc.property(text, fc.array(fc.nat({ max: 70 }), { maxLength: 20 }), (t, queries) => {
        const search = new CharSetSearch(t, set);
        for (const from of queries) {
          const start = Math.min(from, t.length);
          assert.equal(search.next(start), naiveNext(t, members, start), `${JSON.stringify(t)} from ${start}`);
        }
      }),
      fuzzParameters(2000),
    );
  });

  it('escapes characters that are special inside a regular expression class', () => {
    const set = new AsciiCharSet(']^\\-');
    const search = new CharSetSearch('abcdefgh-ij', set);
    assert.equal(search.next(0), 8);
    assert.equal(new CharSetSearch('xxxxxx^', set).next(0), 6);
    assert.equal(new CharSetSearch('xxxxxxxxx', set).next(2), 9);
  });
});
