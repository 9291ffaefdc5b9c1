// Front matter and notes are hand-written and often broken: parsing must never throw, spans must stay inside
// the text, and pathological inputs must stay bounded. The fast subset reader must agree exactly with the
// yaml package wherever it answers.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMap, parseDocument } from 'yaml';
import type { Span } from '../../src/core/model';
import { parseFrontmatter, readSimpleYaml } from '../../src/core/parsers/frontmatter';
import { parseNote } from '../../src/core/parsers/note';
import { withLfLineBreaks } from '../../src/core/parsers/yamlGuard';
import { fuzzParameters, LONG_FUZZ } from './fuzz-config';

function assertWithin(span: Span | undefined, text: string, what: string): void {
  if (!span) return;
  assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length, `${what} ${JSON.stringify(span)} outside 0..${text.length}`);
}

function parseAll(text: string): void {
  const fm = parseFrontmatter(text);
  for (const d of fm.diagnostics) assertWithin(d.span, text, d.code);
  if (fm.value) {
    assertWithin(fm.value.span, text, 'span');
    assertWithin(fm.value.contentSpan, text, 'contentSpan');
    for (const [k, s] of Object.entries(fm.value.valueSpans)) assertWithin(s, text, `valueSpans.${k}`);
  }
  const note = parseNote(text, fm.value);
  if (note) {
    assertWithin(note.citekeySpan, text, 'citekeySpan');
    assertWithin(note.titleSpan, text, 'titleSpan');
    assert.ok(note.bodyStart >= 0 && note.bodyStart <= text.length);
  }
}

const SCALARS = ['x', 'olah2020', 'A title with words', 'true', 'True', 'TRUE', 'False', 'FALSE', 'null', 'Null', 'NULL', '~', '~x', '1', '0', '007', '-0', '-12', '1.5', '1.50',
  '.5', '+1', '0x1F', '0o17', '1e3', '.inf', '-.Inf', '.nan', '2015-01-01', '"quoted"', '"es\\"c"', "'single'", "'it''s'", 'a: b',
  'a #c', 'a#b', 'x:', '-x', '- x', '"a\\b"', '"\\u00e9"', '@key', '`t`', '*alias', '&anchor v', '!tag v', '|', '>', '%x', 'é', 'Ø rstedt', '[a, b]', '[]', '[ ]',
  '[a, [b]]', '[a,]', '[,a]', '["a,b", c]', "['x', 1, true]", '{a: 1}', '"unterminated', 'a, b', '(paren)', '/path/x', '$x', '_u',
  // Characters JavaScript's trim takes for white space and YAML does not, and YAML 1.1's extra line breaks.
  '\u00a0x', 'x\u00a0', 'a\u000b', 'x\u2028y', '\ufeffx', '[\u00a0]', '[a\u00a0, b]', 'ß', '😀', 'x\u0085', '[a\u0085]', 'a\u0000'];
const KEYS = ['citekey', 'title', 'tags', 'year', 'a', 'b_c', 'd-e', 'true', 'null', '1', '__proto__', 'key with space', 'x'];

const line = fc.oneof(
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...SCALARS), fc.constantFrom(' ', '  ', ''), fc.constantFrom('', ' ', '  ', '\t', ' \t')).map(([k, v, sep, trail]) => `${k}:${sep}${v}${trail}`),
  fc.tuple(fc.constantFrom(...KEYS), fc.array(fc.constantFrom(...SCALARS), { minLength: 0, maxLength: 3 }), fc.constantFrom('', '  ', ' '), fc.nat({ max: 3 })).map(
    // Items share one indentation, except (sometimes) the one at `odd`.
    ([k, items, indent, odd]) => [`${k}:`, ...items.map((v, i) => `${i === odd ? (indent ? '' : ' ') : indent}- ${v}`)].join('\n'),
  ),
  fc.constantFrom('', '# comment', '  nested: 1', '  continuation', ' ', '\t', 'key:\tvalue', '- loose', '---', '...', 'k: v\r'),
);

describe('front matter fuzzing', function () {
  this.timeout(LONG_FUZZ ? 0 : 60_000);

  it('the fast reader agrees with the yaml package on every block it accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const yaml = lines.join(eol) + eol;
        const simple = readSimpleYaml(yaml);
        if (!simple) return;
        accepted++;
        // What parseFrontmatter gives the package when the fast path declines.
        const doc = parseDocument(withLfLineBreaks(yaml), { uniqueKeys: true });
        assert.deepEqual(doc.errors, [], yaml);
        assert.deepEqual(simple.data, doc.toJS() ?? {}, yaml);
        if (isMap(doc.contents)) {
          for (const pair of doc.contents.items) {
            const range = (pair.value as { range: [number, number] } | null)?.range;
            const key = String((pair.key as { value: unknown }).value);
            assert.deepEqual(simple.valueSpans[key], range && { start: range[0], end: range[1] }, `${key} in ${JSON.stringify(yaml)}`);
          }
        }
      }),
      fuzzParameters(4000),
    );
    assert.ok(accepted > 300, `only ${accepted} blocks took the fast path`);
  });

  it('parseFrontmatter gives the yaml package\'s data and value spans on generated note front matter', () => {
    const names = ['Olah', 'Kramár', 'Müller', 'Østergaard', 'Šimić', 'Dupré', 'van der Berg', 'Nanda, Neel', "O'Neil", '李'];
    const words = fc.array(fc.constantFrom('sparse', 'autoencoder', 'circuit', 'Ω-probe', 'layer', '(causal)', 'a/b', 'x:y', '#1', 'de-dup', '100%'), { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
    const scalar = fc.oneof(
      words,
      words.map((w) => `"${w}"`),
      words.map((w) => `'${w}'`),
      fc.constantFrom(...names),
      fc.integer({ min: 1900, max: 2100 }).map(String),
      fc.constantFrom('2024-01-31', '3.5', '-2', '0', 'true', 'no', 'null', '~', 'read', 'to-read', 'https://arxiv.org/abs/2301.00001', '10.5555/x.1'),
    );
    const flowItem = fc.oneof(fc.constantFrom(...names.filter((n) => !n.includes(',') && !n.includes("'"))), fc.constantFrom('"a, b"', "'x'", 'sae', 'probing', '3'));
    const value = fc.oneof(
      scalar.map((v) => ({ inline: v })),
      fc.array(flowItem, { maxLength: 4 }).map((items) => ({ inline: `[${items.join(', ')}]` })),
      fc.tuple(fc.array(scalar, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '  ')).map(([items, indent]) => ({ block: items.map((v) => `${indent}- ${v}`) })),
    );
    const keys = ['citekey', 'id', 'title', 'authors', 'author', 'year', 'date', 'tags', 'methods', 'problems', 'status', 'doi', 'arxiv', 'bibliography', 'my_field', 'x-y'];
    const entries = fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), value, fc.constantFrom(' ', '  '), fc.constantFrom('', ' ')), { selector: ([k]) => k, maxLength: 9 });
    let fast = 0;
    let total = 0;
    fc.assert(
      fc.property(entries, fc.constantFrom('\n', '\r\n'), fc.boolean(), (pairs, eol, comment) => {
        const lines: string[] = comment ? ['# a note'] : [];
        for (const [key, v, gap, trail] of pairs) {
          if ('inline' in v) lines.push(`${key}:${gap}${v.inline}${trail}`);
          else lines.push(`${key}:`, ...v.block);
        }
        const text = `---${eol}${lines.map((l) => l + eol).join('')}---${eol}${eol}# Notes${eol}`;
        const fm = parseFrontmatter(text).value;
        assert.ok(fm, text);
        const { start, end } = fm.contentSpan;
        total++;
        if (readSimpleYaml(text, start, end)) fast++;
        const doc = parseDocument(text.slice(start, end), { uniqueKeys: true });
        if (doc.errors.length > 0) return;
        assert.deepEqual(fm.data, doc.toJS() ?? {}, text);
        if (isMap(doc.contents)) {
          for (const pair of doc.contents.items) {
            const range = (pair.value as { range: [number, number] } | null)?.range;
            const key = String((pair.key as { value: unknown }).value);
            assert.deepEqual(fm.valueSpans[key], range && { start: start + range[0], end: start + range[1] }, `${key} in ${JSON.stringify(text)}`);
          }
        }
      }),
      fuzzParameters(3000),
    );
    // Most of this shape is what the fast path is for; the rest goes through the yaml package itself.
    assert.ok(fast > total * 0.6, `only ${fast} of ${total} took the fast path`);
  });

  it('never throws and keeps spans inside the text on arbitrary and mutated input', () => {
    const note = '---\ncitekey: a\ntitle: "T"\ntags: [x, y]\nauthors:\n  - A\n  - B\nbibliography: refs.bib\n---\n# Heading\n\nBody @a.\n';
    const mutated = fc
      .array(fc.tuple(fc.nat({ max: note.length }), fc.nat({ max: 4 }), fc.string({ maxLength: 4, unit: 'binary' })), { maxLength: 6 })
      .map((edits) => edits.reduce((t, [at, del, ins]) => t.slice(0, at) + ins + t.slice(at + del), note));
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }).map((s) => `---\n${s}\n---\n`), mutated), (text) => parseAll(text)), fuzzParameters(3000));
  });

  describe('killers stay bounded', () => {
    const bounded = (name: string, text: () => string) =>
      it(name, () => {
        const input = text();
        const started = Date.now();
        parseAll(input);
        assert.ok(Date.now() - started < 3000, `${name} took ${Date.now() - started} ms`);
      });
    bounded('billion laughs', () => {
      const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(', ')}]`);
      return `---\n${lines.join('\n')}\n---\n`;
    });
    bounded('---javascript', () => '---javascript\nmodule.exports = { title: process.exit(1) }\n---\n');
    bounded('2,000-deep flow nesting', () => `---\nx: ${'['.repeat(2000)}${']'.repeat(2000)}\n---\n`);
    bounded('500 unclosed flow mappings', () => `---\n${'{'.repeat(500)}\n---\n`);
    bounded('500 nested complex keys', () => `---\n${'? {'.repeat(500)}\n---\n`);
    bounded('2,000-deep block nesting', () => `---\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n---\n`);
    bounded('10 MB line', () => `---\ntitle: ${'a'.repeat(10 * 1024 * 1024)}\n---\n`);
    bounded('10 MB line without a closing fence', () => `---\ntitle: ${'a'.repeat(10 * 1024 * 1024)}`);
    bounded('NUL bytes', () => '---\nci\u0000tekey: a\u0000b\n---\n\u0000# x');
    bounded('lone CR line endings', () => '---\rcitekey: a\rtags: [x]\r---\r# Title\r');
  });
});
