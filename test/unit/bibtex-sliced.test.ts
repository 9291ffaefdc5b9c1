// The sliced BibTeX parse (BibtexParse, parseBibtexSliced) must give exactly the one-call parse's result, however
// finely it is cut: on the fixtures, on mutated fixtures, and on generated files with @string macros,
// crossref/xdata inheritance and broken entries.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { BibtexParse, parseBibtex, parseBibtexSliced } from '../../src/core/parsers/bibtex';
import { fuzzParameters } from './fuzz-config';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/bib');
const BIB_FIXTURES = ['rich.bib', 'broken.bib', 'exports.bib'].map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'));

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

const KEYS = ['a', 'b', 'c', 'parent', 'data'];
/** One generated chunk of a .bib file: entries, macros, inheritance, comments, and damage. */
const chunk = fc.oneof(
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('article', 'inproceedings', 'book', 'mvbook', 'xdata', 'inbook'), fc.constantFrom('', 'crossref = {parent},', 'xdata = {data},', 'crossref = {a}, xdata = {b, data},'), fc.constantFrom('{T}', 'jan', 'm1 # " and " # m2', '"q {x}"', '2024', 'undefinedmacro'))
    .map(([key, type, inherit, value]) => `@${type}{${key},\n  ${inherit}\n  title = ${value},\n  booktitle = {B},\n  year = 2020\n}\n`),
  fc.constantFrom('@string{m1 = {One}}\n', '@string(m2 = "Two" # m1)\n', '@comment{@article{hidden, title={x}}}\n', '@preamble{"\\newcommand{\\x}{y}"}\n', '% @article{commented,}\n'),
  fc.constantFrom('@article{broken,\n  title = {unclosed\n', '@book{nocomma title = {x}}\n', '@article{dup, title = {a}, title = {b}}\n', '@misc{q, note = "open}\n', '@{\n', 'stray text @ here\n', '@misc{inline, title = {t}} @ mid-line after an entry\n', '@article{x}}, author = {lost}\n'),
);
const generatedBib = fc.array(chunk, { maxLength: 40 }).map((parts) => parts.join(''));

describe('sliced BibTeX parse', function () {
  this.timeout(60_000);

  it('equals the one-call parse on the fixtures, cut at every entry', async () => {
    for (const text of BIB_FIXTURES) await assertSameAsOneCall(text);
  });

  it('equals the one-call parse on generated files with macros, crossref/xdata and broken entries', async () => {
    await fc.assert(fc.asyncProperty(generatedBib, assertSameAsOneCall), fuzzParameters(200));
  });

  it('equals the one-call parse on mutated fixtures and arbitrary text', async () => {
    const edit = fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom('@article{', '}', '{', '"', '\n', '@string{', ',', '='));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BIB_FIXTURES), fc.array(edit, { maxLength: 6 }), async (text, edits) => {
        for (const [at, length, token] of edits) {
          const p = at % (text.length + 1);
          text = text.slice(0, p) + token + text.slice(p + length);
        }
        await assertSameAsOneCall(text);
      }),
      fuzzParameters(100),
    );
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
