// Front matter and notes are hand-written and often broken: parsing must never throw, spans must stay inside
// the text, and pathological inputs must stay bounded. The fast subset reader must agree exactly with the
// yaml package wherever it answers.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMap, parseDocument } from 'yaml';
import type { Span } from '../../src/core/model';
import { parseFrontmatter, readSimpleYaml } from '../../src/core/parsers/frontmatter';
import { parseNote } from '../../src/core/parsers/note';
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
  'a #c', 'a#b', 'x:', '-x', '- x', '@key', '`t`', '*alias', '&anchor v', '!tag v', '|', '>', '%x', 'é', 'Ø rstedt', '[a, b]', '[]', '[ ]',
  '[a, [b]]', '[a,]', '[,a]', '["a,b", c]', "['x', 1, true]", '{a: 1}', '"unterminated', 'a, b', '(paren)', '/path/x', '$x', '_u'];
const KEYS = ['citekey', 'title', 'tags', 'year', 'a', 'b_c', 'd-e', 'true', 'null', '1', '__proto__', 'key with space', 'x'];

const line = fc.oneof(
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...SCALARS), fc.constantFrom(' ', '  ', ''), fc.constantFrom('', ' ', '  ')).map(([k, v, sep, trail]) => `${k}:${sep}${v}${trail}`),
  fc.tuple(fc.constantFrom(...KEYS), fc.array(fc.constantFrom(...SCALARS), { minLength: 0, maxLength: 3 }), fc.constantFrom('', '  ', ' ')).map(
    ([k, items, indent]) => [`${k}:`, ...items.map((v) => `${indent}- ${v}`)].join('\n'),
  ),
  fc.constantFrom('', '# comment', '  nested: 1', '  continuation', ' ', '\t', 'key:\tvalue', '- loose', '---', '...', 'k: v\r'),
);

describe('front matter fuzzing', function () {
  this.timeout(LONG_FUZZ ? 0 : 60_000);

  it('the fast reader agrees with the yaml package on every block it accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.boolean(), (lines, crlf) => {
        const yaml = lines.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
        const simple = readSimpleYaml(yaml);
        if (!simple) return;
        accepted++;
        const doc = parseDocument(yaml, { uniqueKeys: true });
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
    assert.ok(accepted > 500, `only ${accepted} blocks took the fast path`);
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
