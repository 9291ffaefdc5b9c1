// Property tests for both citation scanners: on arbitrary text and on mutated oracle fixtures they never
// throw and every reported span is well-formed and names what it claims. The shared fuzz seed keeps runs
// reproducible (fuzz-config.ts).
// The "killer" inputs are the shapes that make naive scanners quadratic or recursive; they must complete (the
// speed itself is measured in the benchmark, not asserted here).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CitationScan, ParseResult, Span } from '../../src/core/model';
import { MAX_CITATIONS } from '../../src/core/parsers/citationText';
import { latexCitePrefixAt, scanLatexCitations } from '../../src/core/parsers/latex';
import { markdownLayout } from '../../src/core/parsers/markdownRegions';
import { citationPrefixAt, scanPandocCitations } from '../../src/core/parsers/pandoc';
import { fuzzParameters, LONG_FUZZ } from './fuzz-config';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
const RUNS = 300;

function fixtureTexts(dir: string, ext: string): string[] {
  const full = path.join(FIXTURES, dir);
  return readdirSync(full)
    .filter((name) => name.endsWith(ext))
    .sort()
    .map((name) => readFileSync(path.join(full, name), 'utf8'));
}

const markdownFixtures = fixtureTexts('pandoc-oracle', '.md');
const latexFixtures = fixtureTexts('latex', '.tex');

function assertSpan(text: string, span: Span, what: string): void {
  assert.ok(Number.isInteger(span.start) && Number.isInteger(span.end), `${what}: integer offsets`);
  assert.ok(0 <= span.start && span.start <= span.end && span.end <= text.length, `${what}: ${span.start}..${span.end} in 0..${text.length}`);
}

function within(inner: Span, outer: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** The invariants every scan result must satisfy on `text`. */
function checkScan(text: string, result: ParseResult<CitationScan>): void {
  let previousKeyStart = -1;
  for (const c of result.value.citations) {
    assertSpan(text, c.keySpan, `keySpan of ${c.key}`);
    assertSpan(text, c.span, `span of ${c.key}`);
    assertSpan(text, c.groupSpan, `groupSpan of ${c.key}`);
    assert.equal(text.slice(c.keySpan.start, c.keySpan.end), c.key);
    assert.ok(c.key.length > 0, 'keys are never empty');
    assert.ok(within(c.keySpan, c.span) && within(c.span, c.groupSpan), `${c.key}: key ⊆ span ⊆ group`);
    assert.ok(c.keySpan.start > previousKeyStart, `${c.key}: citations in document order`);
    assert.ok(Number.isInteger(c.group) && c.group >= 0);
    previousKeyStart = c.keySpan.start;
  }
  for (const r of result.value.crossRefs) {
    assertSpan(text, r.span, `cross-reference ${r.label}`);
    assert.ok(text.slice(r.span.start, r.span.end).includes(r.label));
  }
  for (const d of result.diagnostics) assertSpan(text, d.span, `diagnostic ${d.code}`);
}

/** Any UTF-16 code unit, lone surrogates, NUL and line-break characters included. */
const codeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
  fc.constantFrom('@', '[', ']', ';', '-', '{', '}', '\\', '`', '$', '<', '>', '%', '\n', '\r', ' ', ',', 'a', '1', '_', '.', ':'),
);
const arbitraryText = fc.string({ unit: codeUnit, maxLength: 400 });

/** Edits applied to a fixture: delete, insert, duplicate or move a slice. */
const edit = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'move'),
  at: fc.nat(),
  length: fc.nat({ max: 60 }),
  insert: fc.string({ unit: codeUnit, maxLength: 20 }),
});

function mutate(text: string, edits: { kind: string; at: number; length: number; insert: string }[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length ? e.at % (out.length + 1) : 0;
    const piece = out.slice(at, at + e.length);
    if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + e.length);
    else if (e.kind === 'insert') out = out.slice(0, at) + e.insert + out.slice(at);
    else if (e.kind === 'duplicate') out = out.slice(0, at) + piece + out.slice(at);
    else out = out.slice(0, at) + out.slice(at + e.length) + piece;
  }
  return out;
}

const scanners: [string, (text: string) => ParseResult<CitationScan>, string[]][] = [
  ['scanPandocCitations', scanPandocCitations, markdownFixtures],
  ['scanLatexCitations', scanLatexCitations, latexFixtures],
];

for (const [name, scan, fixtures] of scanners) {
  describe(`fuzz: ${name}`, function () {
    this.timeout(LONG_FUZZ ? 0 : 60_000);

    it('keeps its invariants on arbitrary text', () => {
      fc.assert(
        fc.property(arbitraryText, (text) => checkScan(text, scan(text))),
        fuzzParameters(RUNS),
      );
    });

    it('keeps its invariants on mutated fixtures', () => {
      assert.ok(fixtures.length > 0);
      fc.assert(
        fc.property(fc.nat({ max: fixtures.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 8 }), (index, edits) => {
          const text = mutate(fixtures[index], edits);
          checkScan(text, scan(text));
        }),
        fuzzParameters(RUNS),
      );
    });
  });
}

describe('fuzz: known killer inputs', function () {
  this.timeout(120_000);

  const tenMegabyteLine = '@a'.repeat(5_000_000);
  // Each case: a title, the input, and what pandoc's reading of it implies for scanPandocCitations.
  const cases: [string, string, (result: ParseResult<CitationScan>) => void][] = [
    ['"@%"', '@%', (r) => assert.equal(r.value.citations.length, 0)],
    ['"[@" × 100k', '[@'.repeat(100_000), (r) => assert.equal(r.value.citations.length, 0)],
    ['2,000-deep brackets', `${'['.repeat(2000)}@deep${']'.repeat(2000)}`, (r) => assert.deepEqual(r.value.citations.map((c) => c.key), ['deep'])],
    ['2,000 unclosed brackets', `${'[['.repeat(1000)}@open`, (r) => assert.deepEqual(r.value.citations.map((c) => c.key), ['open'])],
    [
      'a 10 MB line of @a',
      tenMegabyteLine,
      (r) => {
        assert.equal(r.value.citations.length, MAX_CITATIONS);
        assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-many-citations']);
      },
    ],
    ['NUL bytes', '\0@a\0[@b]\0\\cite{c}\0'.repeat(1000), (r) => assert.ok(r.value.citations.length > 0)],
    ['lone CR line ends', '@a\r[see @b;\r@c]\r\r\\cite{d,\re}\r'.repeat(1000), (r) => assert.ok(r.value.citations.length > 0)],
    ['100k backticks', `${'`'.repeat(100_000)} @a`, () => {}],
    ['100k unclosed comments and tags', '<!-- <a b="'.repeat(100_000), () => {}],
    ['100k unclosed braces', '@{\\cite{'.repeat(100_000), () => {}],
  ];

  for (const [title, text, expect] of cases) {
    it(`pandoc: ${title}`, () => {
      const result = scanPandocCitations(text);
      checkScan(text, result);
      expect(result);
    });
    it(`latex: ${title}`, () => checkScan(text, scanLatexCitations(text)));
  }

  it('latex: a 10 MB line of citation commands stops at the citation limit', () => {
    const text = '\\cite{a}'.repeat(1_300_000);
    const result = scanLatexCitations(text);
    assert.equal(result.value.citations.length, MAX_CITATIONS);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['too-many-citations']);
  });
});

type PrefixAt = (text: string, offset: number) => { start: number; prefix: string } | undefined;

/**
 * Completion's local check against the whole-document scan. At the end of every plain key (letters,
 * digits, `_:.-`) the scanner finds that ends at a blank or a delimiter, the prefix check sees that key (the
 * probe character it appends could join other characters; braced Pandoc keys end inside `{…}`; after a
 * fence nothing closes, completion deliberately sees code). Keys the scanner does not read may still be
 * offered: the probe closes a key list or group that is still being typed. At any offset it never throws
 * and answers only with the text between `start` and the offset.
 */
function checkPrefixes(text: string, scan: (text: string) => ParseResult<CitationScan>, prefixAt: PrefixAt, probes: number[]): void {
  const fence = prefixAt === citationPrefixAt ? markdownLayout(text).firstUnclosedFence : -1;
  const citations = scan(text).value.citations;
  for (const c of citations) {
    if (text.charCodeAt(c.keySpan.start - 1) === 123) continue;
    if (fence >= 0 && c.keySpan.start > fence) continue;
    if (!/^[\p{L}\p{N}_:.-]+$/u.test(c.key)) continue;
    if (c.keySpan.end < text.length && !/[\s\];,}]/.test(text[c.keySpan.end])) continue;
    assert.deepEqual(prefixAt(text, c.keySpan.end), { start: c.keySpan.start, prefix: c.key }, `${c.key} at ${c.keySpan.start}`);
  }
  for (const probe of probes) {
    const offset = probe % (text.length + 1);
    const found = prefixAt(text, offset);
    if (found) {
      assert.ok(0 <= found.start && found.start <= offset, `start ${found.start} after offset ${offset}`);
      assert.equal(found.prefix, text.slice(found.start, offset));
    }
  }
}

/** Constructs that carry the reading across paragraphs, for edits to open, close, join and split. */
const markdownRunOns =
  '<!-- a\n\nb --> @k0\n\nSee @k1 and [@k2].\n\n\\begin{figure}\n\n@k3\n\n\\end{figure} @k4\n\n<pre>\n\n@k5\n\n</pre> @k6\n\n```\n@k7\n```\n\n@k8\n';
const latexRunOns =
  '\\begin{verbatim}\n\n\\cite{k1}\n\n\\end{verbatim}\n\n\\cite{k2,k3}\n% \\begin{verbatim}\n\n\\cite{k4}\n\\verb+\\begin{comment}+ \\citep[p.~1]{k5,\n k6}\n\n\\begin{comment}\n\\cite{k7}\n\\end{comment}\\cite{k8}\n';

const prefixChecks: [string, (text: string) => ParseResult<CitationScan>, PrefixAt, string[]][] = [
  ['citationPrefixAt', scanPandocCitations, citationPrefixAt, [...markdownFixtures, markdownRunOns, markdownRunOns]],
  ['latexCitePrefixAt', scanLatexCitations, latexCitePrefixAt, [...latexFixtures, latexRunOns, latexRunOns]],
];

for (const [name, scan, prefixAt, fixtures] of prefixChecks) {
  describe(`fuzz: ${name} agrees with the whole-document scan`, function () {
    this.timeout(LONG_FUZZ ? 0 : 60_000);

    it('on mutated fixtures', () => {
      fc.assert(
        fc.property(fc.nat({ max: fixtures.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (index, edits, probes) => {
          checkPrefixes(mutate(fixtures[index], edits), scan, prefixAt, probes);
        }),
        fuzzParameters(RUNS),
      );
    });

    it('on arbitrary text', () => {
      fc.assert(
        fc.property(arbitraryText, fc.array(fc.nat(), { maxLength: 20 }), (text, probes) => checkPrefixes(text, scan, prefixAt, probes)),
        fuzzParameters(RUNS),
      );
    });
  });
}
