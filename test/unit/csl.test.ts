import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BibEntry, ParseResult } from '../../src/core/model';
import { cslInfo, parseCslItems, parseCslJson, parseCslYaml } from '../../src/core/parsers/csl';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/csl');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

function assertSpansExact(text: string, result: ParseResult<BibEntry[]>, quote: string): void {
  for (const e of result.value) {
    assert.equal(text.slice(e.keySpan.start, e.keySpan.end), e.key, `key span of ${e.key}`);
    const source = text.slice(e.span.start, e.span.end);
    assert.ok(source.includes(`id${quote}: `), `span of ${e.key} holds its id`);
    assert.ok(e.keySpan.start >= e.span.start && e.keySpan.end <= e.span.end, `key inside entry: ${e.key}`);
    assert.equal(source, source.trim(), `span of ${e.key} has no surrounding blanks`);
  }
}

describe('parseCslJson', () => {
  const text = fixture('refs.json');
  const result = parseCslJson(text);
  const entry = new Map(result.value.map((e) => [e.key, e]));

  it('reads every item with exact spans', () => {
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.value.map((e) => [e.key, e.type, e.format]), [
      ['bereska2024review', 'article-journal', 'csl-json'],
      ['elhage2022superposition', 'report', 'csl-json'],
      ['berg2020', 'book', 'csl-json'],
      ['12345', 'paper-conference', 'csl-json'],
    ]);
    assertSpansExact(text, result, '"');
    for (const e of result.value) {
      assert.equal(text[e.span.start], '{');
      assert.equal(text[e.span.end - 1], '}');
    }
  });

  it('fills display info from CSL fields', () => {
    assert.deepEqual(entry.get('bereska2024review')!.info, {
      title: 'Mechanistic Interpretability for AI Safety – A Review',
      authors: ['Bereska, Leonard', 'Gavves, Efstratios'],
      year: '2024',
      venue: 'Transactions on Machine Learning Research',
      doi: '10.48550/arXiv.2404.14082',
      url: 'https://arxiv.org/abs/2404.14082',
      arxiv: '2404.14082',
      abstract: "Understanding AI systems' inner workings is critical for ensuring value alignment and safety.",
      keywords: ['mechanistic interpretability', 'AI safety', 'review'],
    });
    const elhage = entry.get('elhage2022superposition')!.info!;
    assert.equal(elhage.title, 'Toy Models of Superposition');
    assert.deepEqual(elhage.authors, ['Elhage, Nelson', 'Anthropic']);
    assert.equal(elhage.year, '2022');
    assert.equal(elhage.venue, 'Transformer Circuits Thread');
    assert.deepEqual(entry.get('berg2020')!.info!.authors, ['van der Berg, Jan, Jr.', 'Müller, Jörg']);
    assert.equal(entry.get('berg2020')!.info!.year, '2020');
    const numeric = entry.get('12345')!.info!;
    assert.equal(numeric.title, 'Numeric "id" with escapes é');
    assert.deepEqual(numeric.authors, ['Editor, Only']);
    assert.equal(numeric.year, '2019');
    assert.equal(numeric.venue, 'Some Workshop');
  });

  it('keeps items around a broken one and reports the error where it is', () => {
    const broken = fixture('broken.json');
    const { value, diagnostics } = parseCslJson(broken);
    assert.deepEqual(value.map((e) => e.key), ['before', 'after']);
    assertSpansExact(broken, { value, diagnostics }, '"');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, broken.slice(d.span.start, d.span.end)]),
      [['bib-syntax', '"'], ['bib-syntax', '{'], ['duplicate-key', 'before']],
    );
    const missingComma = diagnostics[0].span.start;
    assert.ok(broken.slice(0, missingComma).endsWith('after this value"\n    '));
    assert.match(diagnostics[0].message, /Expected ',' or '}'/);
    assert.ok(broken.slice(diagnostics[1].span.start).startsWith('{\n    "title": "No id here"'));
  });

  it('reports minified JSON errors once and keeps the items before them', () => {
    const text = '[{"id":"a"},{"id":"b"},{"id":"c" "x":1},{"id":"d"}]';
    const { value, diagnostics } = parseCslJson(text);
    assert.deepEqual(value.map((e) => e.key), ['a', 'b']);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].span.start, text.indexOf('"x"'));
  });

  it('reports unterminated strings at their opening quote', () => {
    const text = '[\n  {"id": "a", "title": "open\n  }\n]';
    const { diagnostics } = parseCslJson(text);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].span.start, text.indexOf('"open'));
    assert.match(diagnostics[0].message, /Unterminated string/);
  });

  it('accepts a single item object, an empty array and empty text', () => {
    assert.deepEqual(parseCslJson('{"id": "solo"}').value.map((e) => e.key), ['solo']);
    assert.deepEqual(parseCslJson(' [ ] '), { value: [], diagnostics: [] });
    assert.deepEqual(parseCslJson(''), { value: [], diagnostics: [] });
    assert.deepEqual(parseCslJson('\uFEFF[{"id": "bom"}]').value.map((e) => e.key), ['bom']);
  });

  it('reports trailing text, a wrong top level and trailing commas', () => {
    assert.deepEqual(parseCslJson('[{"id":"a"}] x').diagnostics.map((d) => d.span.start), [13]);
    assert.equal(parseCslJson('"just a string"').diagnostics.length, 1);
    const trailing = parseCslJson('[{"id":"a"},]');
    assert.deepEqual(trailing.value.map((e) => e.key), ['a']);
    assert.deepEqual(trailing.diagnostics.map((d) => d.span.start), [12]);
  });

  it('recovers at the next item in lone-CR and CRLF files as in LF ones', () => {
    const broken = fixture('broken.json');
    const lf = parseCslJson(broken);
    for (const eol of ['\r', '\r\n']) {
      const result = parseCslJson(broken.replace(/\r\n|\r|\n/g, eol));
      assert.deepEqual(result.value.map((e) => e.key), lf.value.map((e) => e.key), JSON.stringify(eol));
      assert.deepEqual(result.diagnostics.map((d) => d.code), lf.diagnostics.map((d) => d.code));
    }
  });

  it('reports non-object items and stops nesting bombs without throwing', () => {
    const { value, diagnostics } = parseCslJson('[1, {"id": "ok"}]');
    assert.deepEqual(value.map((e) => e.key), ['ok']);
    assert.equal(diagnostics.length, 1);
    const deep = '[' + '['.repeat(10_000) + ']'.repeat(10_000) + ']';
    assert.equal(parseCslJson(deep).diagnostics.length, 1);
  });
});

describe('parseCslYaml', () => {
  it('reads a Pandoc references: mapping with exact spans', () => {
    const text = fixture('refs.yaml');
    const result = parseCslYaml(text);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.value.map((e) => [e.key, e.type, e.format]), [
      ['sharkey2025open', 'article', 'csl-yaml'],
      ['conmy2023acdc', 'paper-conference', 'csl-yaml'],
      ['olah2020zoom', 'document', 'csl-yaml'],
    ]);
    assertSpansExact(text, result, '');
    const [sharkey, conmy, olah] = result.value.map((e) => e.info!);
    assert.deepEqual(sharkey.authors, ['Sharkey, Lee', 'Chughtai, Bilal']);
    assert.equal(sharkey.year, '2025');
    assert.equal(sharkey.arxiv, '2501.16496');
    assert.deepEqual(sharkey.keywords, ['open problems', 'interpretability']);
    assert.equal(conmy.year, '2023');
    assert.equal(conmy.venue, 'Advances in Neural Information Processing Systems');
    assert.equal(olah.year, '2020');
    assert.equal(olah.title, 'Zoom In: An Introduction to Circuits');
    assert.equal(olah.doi, '10.23915/distill.00024.001');
  });

  it('reads a bare top-level list', () => {
    const text = fixture('list.yaml');
    const result = parseCslYaml(text);
    assert.deepEqual(result.value.map((e) => e.key), ['first', 'second']);
    assertSpansExact(text, result, '');
  });

  it('keeps readable items when the YAML has errors, and reports them', () => {
    const text = '- id: a\n  title: [unclosed\n- id: b\n  title: fine\n';
    const { value, diagnostics } = parseCslYaml(text);
    assert.ok(value.some((e) => e.key === 'b'));
    assert.ok(diagnostics.length >= 1);
    assert.ok(diagnostics.every((d) => d.code === 'bib-syntax' && d.span.start <= d.span.end && d.span.end <= text.length));
  });

  it('reports items without id, duplicate ids and a wrong top level', () => {
    const text = '- id: a\n- title: no id\n- id: a\n';
    const { value, diagnostics } = parseCslYaml(text);
    assert.deepEqual(value.map((e) => e.key), ['a']);
    assert.deepEqual(diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end)]), [['bib-syntax', 't'], ['duplicate-key', 'a']]);
    assert.equal(diagnostics[1].span.start, text.lastIndexOf('a'));
    assert.equal(parseCslYaml('just: a mapping\n').diagnostics.length, 0);
    assert.equal(parseCslYaml('references: 42\n').diagnostics.length, 1);
    assert.deepEqual(parseCslYaml(''), { value: [], diagnostics: [] });
  });

  it('reads lone-CR and CRLF files like LF ones, with the same offsets', () => {
    const text = '- id: first\n  title: One\n- id: second\n  title: Two\n';
    const lf = parseCslYaml(text);
    for (const eol of ['\r', '\r\n']) {
      const other = text.replace(/\n/g, eol);
      const result = parseCslYaml(other);
      assert.deepEqual(result.value.map((e) => [e.key, e.info?.title]), lf.value.map((e) => [e.key, e.info?.title]), JSON.stringify(eol));
      assert.deepEqual(result.diagnostics, []);
      assertSpansExact(other, result, '');
    }
  });

  it('refuses flow nesting deeper than 64 levels before parsing, with one diagnostic at the first excess bracket', () => {
    const deep = `references: ${'['.repeat(65)}\n`;
    const { value, diagnostics } = parseCslYaml(deep);
    assert.deepEqual(value, []);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.span.start]), [['bib-syntax', deep.indexOf('[') + 64]]);
    // 64 levels are still read (and reported only as the YAML errors they are).
    assert.ok(parseCslYaml(`references: ${'['.repeat(64)}\n`).diagnostics.every((d) => !/levels deep/.test(d.message)));
    // Quoted brackets and brackets inside words are not nesting.
    const quoted = `- id: q\n  title: "${'['.repeat(100)}"\n  note: it's ${'{'.repeat(3)}\n`;
    assert.deepEqual(parseCslYaml(quoted).value.map((e) => e.key), ['q']);
  });

  it('resolves aliases but stops alias bombs', () => {
    const ok = parseCslYaml('- &base\n  id: a\n  title: T\n- {id: b, title: *x}\n- id: c\n  author: [&p {family: P}, *p]\n');
    assert.deepEqual(ok.value.find((e) => e.key === 'c')?.info?.authors, ['P', 'P']);
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const bomb = `${levels.join('\n')}\nreferences:\n- id: q\n  note: *l7\n- id: r\n`;
    const started = Date.now();
    const result = parseCslYaml(bomb);
    assert.ok(Date.now() - started < 5000);
    assert.deepEqual(result.value.map((e) => e.key), ['r']);
    assert.ok(result.diagnostics.some((d) => /alias/i.test(d.message)));
  });
});

describe('parseCslItems', () => {
  it('turns plain items into inline entries located at the given span', () => {
    const span = { start: 10, end: 50 };
    const { value, diagnostics } = parseCslItems([{ id: 'x', title: 'X', issued: { 'date-parts': [[2021]] } }, { title: 'no id' }, 'junk'], { span });
    assert.deepEqual(value, [{ key: 'x', type: 'document', format: 'inline', span, keySpan: span, info: { title: 'X', authors: [], keywords: [], year: '2021' } }]);
    assert.equal(diagnostics.length, 2);
  });
});

describe('cslInfo', () => {
  it('reads the date forms found in the wild', () => {
    assert.equal(cslInfo({ issued: { 'date-parts': [[2020, 5, 1]] } }).year, '2020');
    assert.equal(cslInfo({ issued: { 'date-parts': [['2019']] } }).year, '2019');
    assert.equal(cslInfo({ issued: { literal: 'Spring 2018' } }).year, '2018');
    assert.equal(cslInfo({ issued: { raw: '2017-03' } }).year, '2017');
    assert.equal(cslInfo({ issued: '2016-01-01' }).year, '2016');
    assert.equal(cslInfo({ issued: '12 May 2013' }).year, '2013');
    assert.equal(cslInfo({ issued: '-350' }).year, '-350');
    assert.equal(cslInfo({ issued: [{ year: 2015 }] }).year, '2015');
    assert.equal(cslInfo({ issued: 2014 }).year, '2014');
    assert.equal(cslInfo({ issued: { 'date-parts': [[]] } }).year, undefined);
  });

  it('finds arXiv ids from archive fields and strips markup from titles', () => {
    assert.equal(cslInfo({ archive: 'arXiv', archive_location: 'arXiv:2301.00001v3' }).arxiv, '2301.00001');
    assert.equal(cslInfo({ publisher: 'arXiv', number: '2302.00002' }).arxiv, '2302.00002');
    assert.equal(cslInfo({ title: 'A <span class="nocase">dictionary</span> of <b>features</b>' }).title, 'A dictionary of features');
  });
});
