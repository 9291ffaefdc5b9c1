// The sliced BibTeX parse (BibtexParse, parseBibtexSliced) must give exactly the one-call parse's result, however
// finely it is cut: on the fixtures, on mutated fixtures, and on generated files with @string macros,
// crossref/xdata inheritance and broken entries.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { BibtexParse, parseBibtex, parseBibtexSliced } from '../../src/core/parsers/bibtex';
import { BIB_FIXTURES, generatedBib, mutatedBib } from './bib-inputs';
import { fuzzParameters } from './fuzz-config';

/** Parses in steps of at most one entry each (a zero budget), counting the steps and the yields. */
function stepwise(text: string, keysOnly: boolean): { result: ReturnType<typeof parseBibtex>; steps: number } {
  const parse = new BibtexParse(text, { keysOnly });
  let steps = 1;
  while (!parse.step(0)) steps++;
  return { result: parse.result(), steps };
}

async function sliced(text: string, keysOnly: boolean): Promise<{ result: ReturnType<typeof parseBibtex>; yields: number }> {
  let yields = 0;
  const result = await parseBibtexSliced(text, { keysOnly }, async () => void yields++, 0);
  return { result, yields };
}

async function assertSameAsOneCall(text: string): Promise<void> {
  for (const keysOnly of [false, true]) {
    const expected = parseBibtex(text, { keysOnly });
    assert.deepStrictEqual(stepwise(text, keysOnly).result, expected);
    assert.deepStrictEqual((await sliced(text, keysOnly)).result, expected);
  }
}

describe('sliced BibTeX parse', function () {
  this.timeout(60_000);

  it('equals the one-call parse on the fixtures, cut at every entry', async () => {
    for (const text of BIB_FIXTURES) await assertSameAsOneCall(text);
  });

  it('equals the one-call parse on generated files with macros, crossref/xdata and broken entries', async () => {
    await fc.assert(fc.asyncProperty(generatedBib, assertSameAsOneCall), fuzzParameters(200));
  });

  it('equals the one-call parse on mutated fixtures and arbitrary text', async () => {
    await fc.assert(fc.asyncProperty(mutatedBib, assertSameAsOneCall), fuzzParameters(100));
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), assertSameAsOneCall), fuzzParameters(100));
  });

  it('stops after every entry when out of time, and yields between slices', async () => {
    const text = Array.from({ length: 600 }, (_, i) => `@article{k${i}, title = {T${i}}, crossref = {k${(i * 7) % 600}}}\n`).join('');
    const { result, steps } = stepwise(text, false);
    assert.equal(result.value.length, 600);
    // 600 entries, one per step, then the inheritance pass checks the clock every 256 entries.
    assert.ok(steps >= 600, `only ${steps} steps`);
    const { yields } = await sliced(text, false);
    assert.equal(yields, steps - 1);
    assert.equal(result.value[1].fields?.crossref, 'k7');
  });

  it('takes a generous slice in one step', () => {
    const text = BIB_FIXTURES[0];
    const parse = new BibtexParse(text);
    assert.equal(parse.step(60_000), true);
    assert.deepStrictEqual(parse.result(), parseBibtex(text));
  });

  it('finishes at once on empty text', async () => {
    const { result, yields } = await sliced('', false);
    assert.deepStrictEqual(result, { value: [], diagnostics: [] });
    assert.equal(yields, 0);
  });
});
