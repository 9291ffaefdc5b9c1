// BibTeX inputs shared by the tests that hold a cut-up parse (sliced, piecewise) to the one-call parse: the fixture
// files, generated files, and the fixtures mutated by small edits.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/bib');
export const BIB_FIXTURES = ['rich.bib', 'broken.bib', 'exports.bib'].map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'));

const KEYS = ['a', 'b', 'c', 'parent', 'data'];
/** One generated part of a .bib file: entries, macros, inheritance, comments, damage, non-ASCII text, any line ends. */
const part = fc.oneof(
  fc.tuple(
    fc.constantFrom(...KEYS),
    fc.constantFrom('article', 'inproceedings', 'book', 'mvbook', 'xdata', 'inbook'),
    fc.constantFrom('', 'crossref = {parent},', 'xdata = {data},', 'crossref = {a}, xdata = {b, data},'),
    fc.constantFrom('{T}', 'jan', 'm1 # " and " # m2', '"q {x}"', '2024', 'undefinedmacro', '{Ünïcödé — 😀}'),
    fc.constantFrom('\n', '\r\n', '\r'),
  ).map(([key, type, inherit, value, nl]) => `@${type}{${key},${nl}  ${inherit}${nl}  title = ${value},${nl}  booktitle = {B},${nl}  year = 2020${nl}}${nl}`),
  fc.constantFrom('@string{m1 = {One}}\n', '@string(m2 = "Two" # m1)\n', '@comment{@article{hidden, title={x}}}\n', '@comment{\n@article{open,\n', '@preamble{"\\newcommand{\\x}{y}"}\n', '@preamble{"open\n', '% @article{commented,}\n'),
  fc.constantFrom('@article{broken,\n  title = {unclosed\n', '@book{nocomma title = {x}}\n', '@article{dup, title = {a}, title = {b}}\n', '@misc{q, note = "open}\n', '@{\n', 'stray text @ here\n', '@misc{inline, title = {t}} @ mid-line after an entry\n', '@article{x}}, author = {lost}\n', '  @article\n\n  {spread, title = {x}}\n', '@article{cut, title = \n'),
);
export const generatedBib = fc.array(part, { maxLength: 40 }).map((parts) => parts.join(''));

/** A fixture after up to six edits, each replacing up to 40 characters with a token that opens, closes or breaks. */
export const mutatedBib = fc
  .tuple(
    fc.constantFrom(...BIB_FIXTURES),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom('@article{', '}', '{', '"', '\n', '\r', '@string{', '@comment{', ',', '=')), { maxLength: 6 }),
  )
  .map(([fixture, edits]) => {
    let text = fixture;
    for (const [at, length, token] of edits) {
      const p = at % (text.length + 1);
      text = text.slice(0, p) + token + text.slice(p + length);
    }
    return text;
  });
