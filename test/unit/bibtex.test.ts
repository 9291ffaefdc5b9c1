import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BibEntry, CoreDiagnostic } from '../../src/core/model';
import { parseBibtex } from '../../src/core/parsers/bibtex';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/bib');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

function byKey(entries: BibEntry[]): Map<string, BibEntry> {
  return new Map(entries.map((e) => [e.key, e]));
}

/** The text a diagnostic points at, with its code: what a user would see underlined. */
function underlined(text: string, d: CoreDiagnostic): [string, string] {
  return [d.code, text.slice(d.span.start, d.span.end)];
}

describe('parseBibtex: well-formed input', () => {
  const text = fixture('rich.bib');
  const { value: entries, diagnostics } = parseBibtex(text);
  const entry = byKey(entries);

  it('parses the rich fixture without diagnostics', () => {
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(entries.map((e) => e.key), [
      'elhage2022superposition', 'bricken2023monosemanticity', 'bereska2024review', 'sharkey2025open',
      'conmy2023acdc', 'wang2023ioi', 'mueller2020accents', 'vaswani2017attention', 'openai2023gpt4',
      'anthropicteam2024scaling', 'olah2020zoom', 'math2024title', 'icml2024', 'child2024crossref',
      'pmlrseries', 'xdatauser2024', 'report2021', 'thesis2019', 'mvworks', 'vol1', 'chap1',
    ]);
  });

  it('gives every entry exact spans: the whole @type{…} and the key characters', () => {
    for (const e of entries) {
      assert.equal(text.slice(e.keySpan.start, e.keySpan.end), e.key);
      const source = text.slice(e.span.start, e.span.end);
      assert.match(source, /^@\w+[({]/);
      assert.match(source, /[)}]$/);
      assert.equal(e.format, 'bibtex');
    }
    const ioi = entry.get('wang2023ioi')!;
    assert.ok(text.slice(ioi.span.start, ioi.span.end).startsWith('@article(wang2023ioi,'));
    assert.ok(text.slice(ioi.span.start, ioi.span.end).endsWith('{2022}\n)'));
  });

  it('lower-cases types and field names and strips only the outer delimiters', () => {
    const e = entry.get('bricken2023monosemanticity')!;
    assert.equal(e.type, 'inproceedings');
    assert.equal(e.fields!.title, 'Towards {Monosemanticity}: Decomposing Language Models With Dictionary Learning');
    assert.equal(entry.get('openai2023gpt4')!.fields!.archiveprefix, 'arXiv');
    assert.equal(entry.get('mueller2020accents')!.fields!.title.slice(0, 16), '{\\"U}ber die Str');
  });

  it('expands @string macros, # concatenation, numbers and month macros', () => {
    assert.equal(entry.get('elhage2022superposition')!.fields!.journal, 'Transformer Circuits Thread, Anthropic');
    assert.equal(entry.get('elhage2022superposition')!.fields!.year, '2022');
    assert.equal(entry.get('elhage2022superposition')!.fields!.month, '9');
    assert.equal(entry.get('mueller2020accents')!.fields!.month, '12');
    assert.equal(entry.get('conmy2023acdc')!.fields!.booktitle, 'Advances in Neural Information Processing Systems 36');
    assert.equal(entry.get('olah2020zoom')!.fields!.journal, 'Distill');
    assert.equal(entry.get('bereska2024review')!.fields!.journaltitle, 'Transactions on Machine Learning Research');
  });

  it('reads ids as aliases', () => {
    assert.deepEqual(entry.get('elhage2022superposition')!.aliases, ['elhage2022toy', 'toymodels']);
    assert.equal(entry.get('bricken2023monosemanticity')!.aliases, undefined);
  });

  it('inherits crossref fields the BibLaTeX way: parent title becomes booktitle, child fields win', () => {
    const child = entry.get('child2024crossref')!.fields!;
    assert.equal(child.title, 'The Geometry of Truth');
    assert.equal(child.booktitle, 'Proceedings of the 41st International Conference on Machine Learning');
    assert.equal(child.publisher, 'PMLR');
    assert.equal(child.year, '2024');
    assert.equal(child.editor, 'Salakhutdinov, Ruslan and Kolter, Zico');
    // The parent itself is untouched.
    assert.equal(entry.get('icml2024')!.fields!.booktitle, undefined);
  });

  it('inherits xdata fields', () => {
    const fields = entry.get('xdatauser2024')!.fields!;
    assert.equal(fields.series, 'Proceedings of Machine Learning Research');
    assert.equal(fields.volume, '235');
    assert.equal(fields.booktitle, 'Causal Learning and Reasoning');
  });

  it('keysOnly finds the same keys, spans and aliases without fields', () => {
    const keysOnly = parseBibtex(text, { keysOnly: true });
    assert.deepEqual(keysOnly.diagnostics, []);
    assert.deepEqual(
      keysOnly.value.map((e) => [e.key, e.type, e.span, e.keySpan, e.aliases]),
      entries.map((e) => [e.key, e.type, e.span, e.keySpan, e.aliases]),
    );
    assert.ok(keysOnly.value.every((e) => e.fields === undefined));
  });
});

describe('parseBibtex: syntax details', () => {
  it('handles CRLF line endings and keeps offsets exact', () => {
    const text = '@article{a,\r\n  title = {T},\r\n}\r\n@book{b, title={U}}\r\n';
    const { value, diagnostics } = parseBibtex(text);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(value.map((e) => text.slice(e.keySpan.start, e.keySpan.end)), ['a', 'b']);
    assert.equal(value[0].fields!.title, 'T');
  });

  it('treats % lines outside entries as comments, even when they hold an entry', () => {
    const { value, diagnostics } = parseBibtex('% @article{hidden, title={x}}\n@misc{shown}\n');
    assert.deepEqual(value.map((e) => e.key), ['shown']);
    assert.deepEqual(diagnostics, []);
  });

  it('skips @comment and @preamble with nested braces', () => {
    const text = '@comment{ @article{inside, title={x}} }\n@preamble{"\\def\\x{{y}}"}\n@misc{real}';
    const { value, diagnostics } = parseBibtex(text);
    assert.deepEqual(value.map((e) => e.key), ['real']);
    assert.deepEqual(diagnostics, []);
  });

  it('ignores free text and e-mail addresses between entries', () => {
    const { value, diagnostics } = parseBibtex('Contact me@example.org for = {details}.\n@misc{k, note = {x}}');
    assert.deepEqual(value.map((e) => e.key), ['k']);
    assert.deepEqual(diagnostics, []);
  });

  it('keeps inner braces, quotes inside braces and braces inside quotes', () => {
    const { value } = parseBibtex('@misc{k, a = {x {"y"} z}, b = "p {"} q", c = {}, d = ""}');
    assert.deepEqual(value[0].fields, { a: 'x {"y"} z', b: 'p {"} q', c: '', d: '' });
  });

  it('keeps whitespace inside values as written (decoding collapses it later)', () => {
    const { value } = parseBibtex('@misc{k, abstract = {line one\n   line two}}');
    assert.equal(value[0].fields!.abstract, 'line one\n   line two');
  });

  it('treats macro names case-insensitively and lets later @string use earlier ones', () => {
    const { value, diagnostics } = parseBibtex('@STRING{Foo = "F"}\n@string{bar = foo # "-B"}\n@misc{k, x = BAR # { } # Jan}');
    assert.deepEqual(diagnostics, []);
    assert.equal(value[0].fields!.x, 'F-B 1');
  });

  it('stores a field called __proto__ as data, not as the prototype', () => {
    const { value } = parseBibtex('@misc{k, __proto__ = {x}, title = {T}}');
    assert.equal(Object.getPrototypeOf(value[0].fields), Object.prototype);
    assert.equal(value[0].fields!.__proto__, 'x');
    assert.equal(value[0].fields!.title, 'T');
  });

  it('accepts keys with punctuation and Unicode', () => {
    const keys = ["O'Neil:2020/a-b.c", 'müller+2021', 'key@with@at'];
    const text = keys.map((k) => `@misc{${k}, title={t}}`).join('\n');
    assert.deepEqual(parseBibtex(text).value.map((e) => e.key), keys);
  });

  it('resolves multi-level crossref chains and survives crossref cycles', () => {
    const text = [
      '@mvbook{mv, title = {Collected Works}, publisher = {P}}',
      '@book{vol, title = {Volume One}, crossref = {mv}, year = 1999}',
      '@inbook{ch, title = {Chapter}, crossref = {vol}}',
      '@misc{c1, crossref = {c2}, note = {one}}',
      '@misc{c2, crossref = {c1}, title = {two}}',
    ].join('\n');
    const { value } = parseBibtex(text);
    const entry = byKey(value);
    assert.equal(entry.get('vol')!.fields!.maintitle, 'Collected Works');
    assert.equal(entry.get('vol')!.fields!.title, 'Volume One');
    assert.equal(entry.get('ch')!.fields!.booktitle, 'Volume One');
    assert.equal(entry.get('ch')!.fields!.maintitle, 'Collected Works');
    assert.equal(entry.get('ch')!.fields!.publisher, 'P');
    assert.equal(entry.get('ch')!.fields!.title, 'Chapter');
    assert.equal(entry.get('c1')!.fields!.title, 'two');
    assert.equal(entry.get('c2')!.fields!.note, 'one');
  });

  it('does not mix a parent year into a child that has its own date', () => {
    const { value } = parseBibtex('@proceedings{p, title={P}, year={2019}}\n@inproceedings{c, crossref={p}, date={2021-05}}');
    assert.equal(value[1].fields!.year, undefined);
    assert.equal(value[1].fields!.date, '2021-05');
  });

  it('returns nothing and no diagnostics for empty or blank input', () => {
    assert.deepEqual(parseBibtex(''), { value: [], diagnostics: [] });
    assert.deepEqual(parseBibtex(' \n\t\n'), { value: [], diagnostics: [] });
  });
});

describe('parseBibtex: broken input keeps every good entry', () => {
  const text = fixture('broken.bib');
  const { value: entries, diagnostics } = parseBibtex(text);
  const entry = byKey(entries);

  it('keeps all five good entries with their fields', () => {
    for (const [key, title] of [
      ['good1', 'First Good Entry'],
      ['good2', 'Second Good Entry'],
      ['good4', 'Fourth Good Entry'],
      ['good5', 'Fifth Good Entry'],
    ]) {
      assert.equal(entry.get(key)?.fields?.title, title, key);
    }
    assert.equal(entry.get('good3')!.fields!.year, '2022');
    assert.equal(entry.get('good1')!.fields!.author, 'Doe, Jane');
  });

  it('reports each problem once, at the exact text that causes it', () => {
    assert.deepEqual(
      diagnostics.map((d) => underlined(text, d)),
      [
        ['bib-syntax', '{'], // unclosed1: the title value's brace
        ['bib-syntax', '@'], // @%
        ['bib-syntax', 'a'], // missing comma before `author`
        ['bib-syntax', '@article{'], // entry without a key
        ['bib-duplicate-field', 'title'],
        ['bib-undefined-macro', 'undefinedjournal'],
        ['duplicate-key', 'good1'],
        ['bib-syntax', '"'], // unterminated quoted title
        ['bib-syntax', '}'], // extra closing brace
        ['bib-syntax', '@article{'], // the file ends inside `unterminated`
      ],
    );
    const unclosedBrace = diagnostics[0].span.start;
    assert.equal(text.slice(unclosedBrace - 8, unclosedBrace + 12), 'title = {A title who');
    const missingComma = diagnostics[2].span.start;
    assert.equal(text.slice(missingComma, missingComma + 6), 'author');
    assert.ok(text.slice(0, missingComma).endsWith('Between Fields}\n  '));
  });

  it('uses error severity for syntax and warnings for duplicates and undefined macros', () => {
    const severity = new Map(diagnostics.map((d) => [d.code, d.severity]));
    assert.equal(severity.get('bib-syntax'), 'error');
    assert.equal(severity.get('bib-duplicate-field'), 'warning');
    assert.equal(severity.get('bib-undefined-macro'), 'warning');
    assert.equal(severity.get('duplicate-key'), 'warning');
  });

  it('keeps the first of duplicate keys, the last of duplicate fields, and drops undefined-only values', () => {
    assert.equal(entries.filter((e) => e.key === 'good1').length, 1);
    assert.equal(entry.get('good1')!.fields!.title, 'First Good Entry');
    assert.equal(entry.get('good3')!.fields!.title, 'Duplicate Title Field');
    assert.equal(entry.get('good3')!.fields!.journal, undefined);
  });

  it('keeps broken entries under their key, ending before the next entry', () => {
    for (const key of ['unclosed1', 'missingcomma', 'quoteunclosed', 'extraclose', 'unterminated']) {
      assert.ok(entry.has(key), key);
    }
    const unclosed = entry.get('unclosed1')!;
    assert.ok(text.slice(unclosed.span.start, unclosed.span.end).endsWith('year = {2021},\n}'));
    assert.deepEqual(unclosed.fields, {});
    assert.deepEqual(entry.get('missingcomma')!.fields, { title: 'Missing Comma Between Fields', author: 'Moe, Max', year: '2019' });
    assert.equal(entry.get('unterminated')!.span.end, text.trimEnd().length);
  });

  it('keysOnly reports the same keys on broken input', () => {
    assert.deepEqual(parseBibtex(text, { keysOnly: true }).value.map((e) => e.key), entries.map((e) => e.key));
  });
});

describe('parseBibtex: local recovery', () => {
  it('an unclosed brace stops at the next line that starts an entry', () => {
    const text = '@article{a, title = {Never closed\n  note = {x},\n  @book{b, title = {B}}\n';
    const { value, diagnostics } = parseBibtex(text);
    assert.deepEqual(value.map((e) => e.key), ['a', 'b']);
    assert.equal(value[1].fields!.title, 'B');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.span.start]), [['bib-syntax', text.indexOf('{Never')]]);
  });

  it('recovers in files with old Mac (lone CR) line breaks too', () => {
    const text = '@article{a, title = {Never closed\r  @book{b, title = {B}}\r';
    const { value, diagnostics } = parseBibtex(text);
    assert.deepEqual(value.map((e) => e.key), ['a', 'b']);
    assert.deepEqual(diagnostics.map((d) => d.span.start), [text.indexOf('{Never')]);
  });

  it('a missing closing brace is reported at the entry that lacks it', () => {
    const text = '@article{a, title = {A},\n@book{b, title = {B}}';
    const { value, diagnostics } = parseBibtex(text);
    assert.deepEqual(value.map((e) => e.key), ['a', 'b']);
    assert.deepEqual(diagnostics.map((d) => text.slice(d.span.start, d.span.end)), ['@article{']);
    assert.equal(text.slice(value[0].span.start, value[0].span.end), '@article{a, title = {A},');
  });

  it('after an error, a new entry starting mid-line ends the broken one', () => {
    const text = '@article{a, title = {A},\n  stray words @book{b, title = {B}}';
    const { value, diagnostics } = parseBibtex(text);
    assert.deepEqual(value.map((e) => e.key), ['a', 'b']);
    assert.equal(value[1].fields!.title, 'B');
    assert.deepEqual(diagnostics.map((d) => text.slice(d.span.start, d.span.end)), ['stray']);
  });

  it('a missing = skips just that field', () => {
    const text = '@misc{k, title {T}, year = 2000}';
    const { value, diagnostics } = parseBibtex(text);
    assert.deepEqual(value[0].fields, { year: '2000' });
    assert.deepEqual(diagnostics.map((d) => text.slice(d.span.start, d.span.end)), ['title']);
  });

  it('a missing comma after the key is reported and the fields still read', () => {
    const text = '@misc{k title = {T}}';
    const { value, diagnostics } = parseBibtex(text);
    assert.equal(value[0].key, 'k');
    assert.equal(value[0].fields!.title, 'T');
    assert.deepEqual(diagnostics.map((d) => text.slice(d.span.start, d.span.end)), ['t']);
  });

  it('a field without a value is reported and the next field still reads', () => {
    const text = '@misc{k, title = , year = 2000}';
    const { value, diagnostics } = parseBibtex(text);
    assert.deepEqual(value[0].fields, { year: '2000' });
    assert.deepEqual(diagnostics.map((d) => text.slice(d.span.start, d.span.end)), [',']);
  });

  it('@type without a brace at line start is reported; mid-line it is ignored', () => {
    const text = '@article oops\nsee @misc here\n@misc{ok}';
    const { value, diagnostics } = parseBibtex(text);
    assert.deepEqual(value.map((e) => e.key), ['ok']);
    assert.deepEqual(diagnostics.map((d) => text.slice(d.span.start, d.span.end)), ['@article']);
  });

  it('an unclosed @comment is reported once and does not swallow the file', () => {
    const text = '@comment{ never closed\n@misc{ok}\n@comment{ @misc{inside} }';
    const { value, diagnostics } = parseBibtex(text);
    // After an unclosed comment the braces cannot be trusted, so later comments lose only their keyword.
    assert.deepEqual(value.map((e) => e.key), ['ok', 'inside']);
    assert.deepEqual(diagnostics.map((d) => text.slice(d.span.start, d.span.end)), ['@comment{']);
  });
});
