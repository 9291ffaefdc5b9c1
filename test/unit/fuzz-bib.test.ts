// Property tests for the bibliography parsers: arbitrary and mutated inputs never throw, every span lies
// inside the text, keysOnly agrees with the full parse, and known pathological inputs finish.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { BibEntry, ParseResult, Span } from '../../src/core/model';
import { paperInfo, parseBibtex } from '../../src/core/parsers/bibtex';
import { parseCslJson, parseCslYaml } from '../../src/core/parsers/csl';
import { latexToUnicode } from '../../src/core/parsers/latexToUnicode';
import { fuzzParameters, LONG_FUZZ } from './fuzz-config';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
const BIB_FIXTURES = ['bib/rich.bib', 'bib/broken.bib'].map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'));
const JSON_FIXTURES = ['csl/refs.json', 'csl/broken.json'].map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'));
const YAML_FIXTURES = ['csl/refs.yaml', 'csl/list.yaml'].map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'));

const BIB_TOKENS = [
  '@', '{', '}', '(', ')', ',', '=', '"', '#', '%', '\n', '\r\n', '\r', ' ', '\t', '\\', '~', '$', 'and', 'a', '1',
  '@article{', '@string{', '@comment{', '@preamble{', '@xdata{', 'title = ', 'crossref = {', 'xdata = {',
  'ids = {', 'jan', '{\\"u}', '\\c{c}', '\u0000', '\uD800', '\uDC00', '\uFEFF', 'ü',
];
const JSON_TOKENS = ['{', '}', '[', ']', ',', ':', '"', '\\', '"id": ', '"id": "k"', '1', '-', 'e', 'null', 'true', '\n', ' ', '\u0000', '\uD800'];
const YAML_TOKENS = ['- ', 'id: ', ': ', '\n', '  ', '&a ', '*a', '[', ']', '{', '}', '"', "'", '#', '---\n', '...\n', '|', '>', 'references:', '\t', '\uD800'];

/** Random edits at random places: insert a token, delete a run, or duplicate a run. */
function mutations(tokens: string[]) {
  return fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'duplicate'), fc.constantFrom(...tokens), fc.nat({ max: 60 })), {
    minLength: 1,
    maxLength: 8,
  });
}

function mutate(text: string, edits: [number, string, string, number][]): string {
  for (const [at, op, token, length] of edits) {
    const pos = at % (text.length + 1);
    if (op === 'insert') text = text.slice(0, pos) + token + text.slice(pos);
    else if (op === 'delete') text = text.slice(0, pos) + text.slice(pos + length);
    else text = text.slice(0, pos + length) + text.slice(pos, pos + length) + text.slice(pos + length);
  }
  return text;
}

function tokenSoup(tokens: string[]) {
  return fc.array(fc.constantFrom(...tokens), { maxLength: 80 }).map((parts) => parts.join(''));
}

function assertSpan(text: string, span: Span, what: string): void {
  assert.ok(Number.isInteger(span.start) && Number.isInteger(span.end), `${what}: integer offsets`);
  assert.ok(0 <= span.start && span.start <= span.end && span.end <= text.length, `${what}: ${span.start}..${span.end} outside 0..${text.length}`);
}

function assertResultSpans(text: string, result: ParseResult<BibEntry[]>): void {
  for (const e of result.value) {
    assertSpan(text, e.span, `entry ${e.key}`);
    assertSpan(text, e.keySpan, `key ${e.key}`);
    assert.ok(e.span.start <= e.keySpan.start && e.keySpan.end <= e.span.end, `key span of ${e.key} inside its entry`);
  }
  for (const d of result.diagnostics) assertSpan(text, d.span, `diagnostic ${d.code}`);
}

function checkBibtex(text: string): void {
  const full = parseBibtex(text);
  assertResultSpans(text, full);
  let previousEnd = 0;
  for (const e of full.value) {
    assert.equal(text.slice(e.keySpan.start, e.keySpan.end), e.key);
    assert.equal(text[e.span.start], '@');
    assert.ok(e.span.start >= previousEnd, 'entries do not overlap');
    previousEnd = e.span.end;
    paperInfo(e);
  }
  const keysOnly = parseBibtex(text, { keysOnly: true });
  assertResultSpans(text, keysOnly);
  assert.deepEqual(
    keysOnly.value.map((e) => [e.key, e.span, e.keySpan, e.aliases]),
    full.value.map((e) => [e.key, e.span, e.keySpan, e.aliases]),
  );
}

/** When the text is valid JSON with unique string ids, our scanner must agree with JSON.parse exactly. */
function checkCslJson(text: string): void {
  const result = parseCslJson(text);
  assertResultSpans(text, result);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item) && typeof item.id === 'string' && item.id.trim() !== '')) return;
  const ids = parsed.map((item: { id: string }) => item.id.trim());
  if (new Set(ids).size !== ids.length) return;
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.value.map((e) => e.key), ids);
}

function checkCslYaml(text: string): void {
  assertResultSpans(text, parseCslYaml(text));
}

const RUNS = fuzzParameters(400);

// Hundreds of generated inputs per property: generous timeouts, since the machine may be busy.
describe('fuzz: BibTeX', function () {
  this.timeout(LONG_FUZZ ? 0 : 60_000);

  it('token soup never throws; spans valid; keysOnly agrees', () => {
    fc.assert(fc.property(tokenSoup(BIB_TOKENS), checkBibtex), RUNS);
  });

  it('arbitrary strings (any UTF-16, lone surrogates included) never throw', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkBibtex), RUNS);
  });

  it('mutated fixtures never throw; spans valid; keysOnly agrees', () => {
    fc.assert(fc.property(fc.constantFrom(...BIB_FIXTURES), mutations(BIB_TOKENS), (text, edits) => checkBibtex(mutate(text, edits))), RUNS);
  });

  it('a damaged entry never costs an intact one that is separated from it by a blank line', () => {
    // Damage only the first entry of two; the second, starting on its own line, must survive intact.
    const second = '@article{intact, title = {Intact}, year = 2024}\n';
    fc.assert(
      fc.property(mutations(BIB_TOKENS.filter((t) => !t.includes('@'))), (edits) => {
        const first = mutate('@article{damaged, title = {T {x} y}, author = "A and B", year = 2020}', edits).replace(/[\r\n]+$/, '');
        const { value } = parseBibtex(`${first}\n\n${second}`);
        const intact = value.find((e) => e.key === 'intact');
        if (value.some((e) => e !== intact && e.key === 'intact')) return; // the damage duplicated the key
        assert.ok(intact, JSON.stringify(first));
        assert.equal(intact.fields?.title, 'Intact');
      }),
      RUNS,
    );
  });

  it('latexToUnicode never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), tokenSoup(BIB_TOKENS)), (s) => {
      assert.equal(typeof latexToUnicode(s), 'string');
    }), RUNS);
  });
});

describe('fuzz: CSL', function () {
  this.timeout(LONG_FUZZ ? 0 : 60_000);

  it('JSON: token soup and arbitrary strings never throw; valid JSON agrees with JSON.parse', () => {
    fc.assert(fc.property(fc.oneof(tokenSoup(JSON_TOKENS), fc.string({ unit: 'binary', maxLength: 200 })), checkCslJson), RUNS);
  });

  it('JSON: mutated fixtures never throw', () => {
    fc.assert(fc.property(fc.constantFrom(...JSON_FIXTURES), mutations(JSON_TOKENS), (text, edits) => checkCslJson(mutate(text, edits))), RUNS);
  });

  it('JSON: generated CSL arrays read exactly like JSON.parse reads them', () => {
    const item = fc.record({ id: fc.string({ minLength: 1, maxLength: 12 }), title: fc.string({ unit: 'binary', maxLength: 20 }), n: fc.double() });
    fc.assert(fc.property(fc.array(item, { maxLength: 6 }), fc.boolean(), (items, pretty) => {
      checkCslJson(JSON.stringify(items, null, pretty ? 2 : undefined));
    }), RUNS);
  });

  it('YAML: token soup, arbitrary strings and mutated fixtures never throw', () => {
    fc.assert(fc.property(fc.oneof(tokenSoup(YAML_TOKENS), fc.string({ unit: 'binary', maxLength: 200 })), checkCslYaml), fuzzParameters(200));
    fc.assert(fc.property(fc.constantFrom(...YAML_FIXTURES), mutations(YAML_TOKENS), (text, edits) => checkCslYaml(mutate(text, edits))), fuzzParameters(200));
  });
});

describe('known killers finish', function () {
  // Generous: these catch quadratic or exponential behaviour (minutes), not speed regressions (the benchmark's job).
  this.timeout(20_000);
  const TEN_MB = 10 * 1024 * 1024;

  it('BibTeX: truncated and malformed entry starts', () => {
    for (const text of ['@%', '@', '@article{', '@article{key', '@article{key,', '@article{key, title', '@article{key, title =', '@string{', '@comment{', '@preamble{', '@{}', '@article{,}', '@article(key', '}}}@article{k}']) {
      checkBibtex(text);
      assert.ok(parseBibtex(text).diagnostics.length > 0 || text === '}}}@article{k}', text);
    }
  });

  it('BibTeX: 2,000-deep braces, in values and at top level', () => {
    const deep = '{'.repeat(2000) + 'x' + '}'.repeat(2000);
    const { value } = parseBibtex(`@misc{k, title = ${deep}}\n${deep}\n@misc{after}`);
    assert.deepEqual(value.map((e) => e.key), ['k', 'after']);
    assert.equal(paperInfo(value[0]).title, 'x');
    checkBibtex(`@misc{k, title = {${'{'.repeat(2000)}}\n@misc{after}`);
  });

  it('BibTeX: a 10 MB line, a 10 MB run of @, NUL bytes and invalid surrogates', () => {
    const long = parseBibtex(`@misc{k, title = {${'x'.repeat(TEN_MB)}}}`);
    assert.equal(long.value[0].fields!.title.length, TEN_MB);
    assert.equal(paperInfo(long.value[0]).title!.length, TEN_MB);
    assert.equal(parseBibtex('@'.repeat(TEN_MB)).value.length, 0);
    assert.equal(parseBibtex('@a'.repeat(TEN_MB / 2)).value.length, 0);
    assert.equal(parseBibtex(`@misc{k, t = {${'\n@x'.repeat(TEN_MB / 4)}`).value.length, 1);
    const nul = parseBibtex('@misc{k\u0000, ti\u0000tle = {\u0000}}\n' + '\u0000'.repeat(TEN_MB));
    assert.equal(nul.value.length, 1);
    const surrogates = parseBibtex('@misc{\uD800k, title = {\uDC00\uD800 {\\"\uD800}}}');
    assert.deepEqual(surrogates.value.map((e) => e.key), ['\uD800k']);
    assert.equal(typeof paperInfo(surrogates.value[0]).title, 'string');
  });

  it('BibTeX: 100,000 unclosed @comment/@preamble/@string/entry starts (no rescanning to the end for each)', () => {
    for (const unit of ['@comment{ ', '@comment{\n', '@comment( ', '@preamble{ ', '@preamble( ', '@string{ ', '@misc(k, t = "', '@misc{k,\n']) {
      const { diagnostics } = parseBibtex(unit.repeat(100_000));
      assert.ok(diagnostics.length >= 1, unit);
    }
  });

  it('BibTeX: 100,000 entries on one line (no line break to search for)', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `@misc{k${i}, title = {T${i}}, note = "n"}`).join(' ');
    const { value, diagnostics } = parseBibtex(text);
    assert.equal(value.length, 100_000);
    assert.equal(value[99_999].fields!.title, 'T99999');
    assert.deepEqual(diagnostics, []);
  });

  it('CSL-JSON: deep nesting, a 10 MB string, NUL bytes and surrogates', () => {
    assert.equal(parseCslJson('['.repeat(2000)).diagnostics.length, 1);
    assert.equal(parseCslJson('{'.repeat(2000)).diagnostics.length, 1);
    assert.equal(parseCslJson(`[{"id": "k", "title": "${'x'.repeat(TEN_MB)}"}]`).value[0].info!.title!.length, TEN_MB);
    assert.equal(parseCslJson('[{"id": "\u0000\uD800"}]').value.length, 1);
  });

  it('CSL-YAML: deep flow nesting, a 10 MB scalar and surrogates', () => {
    checkCslYaml('['.repeat(2000));
    checkCslYaml(`- id: k\n  title: [${'['.repeat(2000)}`);
    assert.equal(parseCslYaml(`- id: k\n  title: ${'x'.repeat(TEN_MB)}\n`).value[0].info!.title!.length, TEN_MB);
    checkCslYaml('- id: "\uD800"\n  title: \u0000\n');
  });
});
