import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BibEntry } from '../../src/core/model';
import { paperInfo, parseBibtex } from '../../src/core/parsers/bibtex';
import { latexToUnicode } from '../../src/core/parsers/latexToUnicode';
import { formatName, parseBibtexName, parseBibtexNames, splitNameList } from '../../src/core/parsers/names';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/bib');

describe('latexToUnicode', () => {
  const cases: [string, string][] = [
    ['{\\"u}ber', 'über'],
    ['\\"{u}ber', 'über'],
    ['\\"uber', 'über'],
    ["caf\\'e", 'café'],
    ["caf{\\'{e}}", 'café'],
    ['\\`a \\^o \\~n \\=a \\.z', 'à ô ñ ā ż'],
    ['\\c{c}a\\c c', 'çaç'],
    ['\\v{s}\\v S \\u{g} \\H{o} \\k{a} \\r{u} \\d{s}', 'šŠ ğ ő ą ů ṣ'],
    ["na{\\\"\\i}ve Mar{\\'\\i}a \\'{\\i}", 'naïve María í'],
    ['Stra\\ss e, \\o, \\O, \\aa, \\AA, \\ae, \\oe, \\l, \\L, \\i', 'Straße, ø, Ø, å, Å, æ, œ, ł, Ł, ı'],
    ['pages 1--2, a---b, -', 'pages 1–2, a—b, -'],
    ['non~breaking', 'non breaking'],
    ['R\\&D, 50\\%, \\$5, a\\_b, \\#1', 'R&D, 50%, $5, a_b, #1'],
    ['\\textbf{bold} and \\emph{emphasis} and \\textit{it}', 'bold and emphasis and it'],
    ['{{Nested {Case} Protection}}', 'Nested Case Protection'],
    ['the $\\ell_2$ norm with $\\alpha \\leq \\beta$', 'the ℓ_2 norm with α ≤ β'],
    ['$x^2$ and $O(n \\log n)$', 'x^2 and O(n log n)'],
    ["``quoted'' and `single'", '“quoted” and ‘single\''],
    ['\\enquote{Quoted}', '“Quoted”'],
    ['\\href{https://example.org}{the link} and \\url{https://x.org}', 'the link and https://x.org'],
    ['\\unknowncommand{kept} \\unknownword gone', 'kept gone'],
    ['\\LaTeX{} and \\TeX', 'LaTeX and TeX'],
    ['line\n   broken\t\ttext  ', 'line broken text'],
    ['{\\relax Ch}ristiansen', 'Christiansen'],
    ['\\t{oo}', 'o͡o'],
    ['\\~{} and \\^{}', '~ and ^'],
    ['plain title', 'plain title'],
    ['', ''],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(latexToUnicode(input), expected);
    });
  }

  it('returns NFC text, so composed and decomposed accents compare equal', () => {
    const out = latexToUnicode('\\"u');
    assert.equal(out.length, 1);
    assert.equal(out, out.normalize('NFC'));
  });

  it('survives malformed input', () => {
    for (const input of ['\\', '{', '}}}', '\\"', '\\c', '\\href{', '\\enquote{x', '$$$', '\\"{', '{\\', '\\\'\uD800']) {
      assert.equal(typeof latexToUnicode(input), 'string', input);
    }
    assert.equal(latexToUnicode('}}}a{{{'), 'a');
  });

  it('handles 100,000 nested braces without recursion', () => {
    const deep = '{'.repeat(100_000) + 'x' + '}'.repeat(100_000);
    assert.equal(latexToUnicode(deep), 'x');
  });
});

describe('BibTeX names', () => {
  const name = (raw: string) => formatName(parseBibtexName(raw));

  it('splits on "and" at brace depth 0 only, in any case', () => {
    assert.deepEqual(splitNameList('A, B and {Barnes and Noble} AND C, D\nand\tE'), ['A, B', '{Barnes and Noble}', 'C, D', 'E']);
    assert.deepEqual(splitNameList('Anderson, Sandy and Andrew Band'), ['Anderson, Sandy', 'Andrew Band']);
    assert.deepEqual(splitNameList('  '), []);
  });

  it('reads "First von Last"', () => {
    assert.deepEqual(parseBibtexName('Ludwig van Beethoven'), { family: 'Beethoven', given: 'Ludwig', particle: 'van' });
    assert.deepEqual(parseBibtexName('Jean de la Fontaine'), { family: 'Fontaine', given: 'Jean', particle: 'de la' });
    assert.equal(name('Charles Louis Xavier Joseph de la Vall{\\\'e}e Poussin'), 'de la Vallée Poussin, Charles Louis Xavier Joseph');
    assert.equal(name('Aristotle'), 'Aristotle');
  });

  it('reads "von Last, First" and "von Last, Jr, First"', () => {
    assert.deepEqual(parseBibtexName('van der Berg, Jan'), { family: 'Berg', given: 'Jan', particle: 'van der' });
    assert.deepEqual(parseBibtexName('Gauss, Jr, Carl Friedrich'), { family: 'Gauss', given: 'Carl Friedrich', suffix: 'Jr' });
    assert.equal(name('van der Berg, Jr., Jan'), 'van der Berg, Jan, Jr.');
    assert.equal(name('Hatfield-Dodds, Zac'), 'Hatfield-Dodds, Zac');
  });

  it('keeps brace-protected names whole and decodes accents', () => {
    assert.deepEqual(parseBibtexName('{OpenAI}'), { family: 'OpenAI', literal: 'OpenAI' });
    assert.equal(name('{Anthropic Interpretability Team}'), 'Anthropic Interpretability Team');
    assert.equal(name('M{\\"u}ller, J{\\"o}rg'), 'Müller, Jörg');
    assert.equal(name('{\\v{S}}koda, Ji{\\v r}{\\\'\\i}'), 'Škoda, Jiří');
    // A braced lower-case word is not a von part; a special character decides by its letter.
    assert.equal(name('Maria {de} Souza'), 'Souza, Maria de');
    assert.equal(name('Jean {\\\'e}tienne Dupont'), 'étienne Dupont, Jean');
  });

  it('turns "and others" into "others"', () => {
    assert.deepEqual(parseBibtexNames('Doe, J. and others').map(formatName), ['Doe, J.', 'others']);
  });
});

describe('paperInfo', () => {
  const text = readFileSync(path.join(FIXTURES, 'rich.bib'), 'utf8');
  const entries = new Map(parseBibtex(text).value.map((e) => [e.key, e]));
  const info = (key: string) => paperInfo(entries.get(key)!);

  it('decodes title, authors, year and venue', () => {
    const accents = info('mueller2020accents');
    assert.equal(accents.title, 'Über die Straße: Çağlar, naïve cafés and Ångström\'s æsthetics');
    assert.deepEqual(accents.authors, [
      'Müller, Jörg', 'de la Cruz, María', 'van Beethoven, Ludwig', 'Škoda, Jiří', 'Østergaard, Søren',
      'Gauss, Carl Friedrich, Jr', 'Łukasiewicz, Jan',
    ]);
    assert.equal(accents.year, '2020');
    assert.equal(accents.venue, 'Springer');
    assert.deepEqual(info('bricken2023monosemanticity').authors.slice(-1), ['others']);
    assert.deepEqual(info('anthropicteam2024scaling').authors, ['Anthropic Interpretability Team', 'Templeton, Adly']);
  });

  it('takes the year from a BibLaTeX date and the venue from journaltitle or booktitle', () => {
    assert.equal(info('bereska2024review').year, '2024');
    assert.equal(info('bereska2024review').venue, 'Transactions on Machine Learning Research');
    assert.equal(info('thesis2019').year, '2019');
    assert.equal(info('thesis2019').venue, 'Université de Montréal');
    assert.equal(info('child2024crossref').venue, 'Proceedings of the 41st International Conference on Machine Learning');
    assert.equal(info('report2021').venue, 'Alignment Research Center');
  });

  it('falls back to editors when there are no authors', () => {
    assert.deepEqual(info('icml2024').authors, ['Salakhutdinov, Ruslan', 'Kolter, Zico']);
  });

  it('finds arXiv ids from eprint, DOI, URL and "arXiv preprint" journals', () => {
    assert.equal(info('elhage2022superposition').arxiv, '2209.10652');
    assert.equal(info('bereska2024review').arxiv, '2404.14082');
    assert.equal(info('openai2023gpt4').arxiv, '2303.08774');
    assert.equal(info('openai2023gpt4').venue, 'arXiv:2303.08774');
    assert.equal(info('wang2023ioi').arxiv, '2211.00593');
    assert.equal(info('sharkey2025open').arxiv, '2501.16496');
    assert.equal(info('olah2020zoom').arxiv, undefined);
  });

  it('reads doi, url, keywords and decodes math in titles', () => {
    assert.equal(info('olah2020zoom').doi, '10.23915/distill.00024.001');
    assert.equal(info('anthropicteam2024scaling').url, 'https://transformer-circuits.pub/2024/scaling-monosemanticity/index.html');
    assert.deepEqual(info('elhage2022superposition').keywords, ['superposition', 'toy models', 'features']);
    assert.equal(
      info('math2024title').title,
      'Progress Measures for Grokking via Mechanistic Interpretability: the ℓ_2 norm and modular addition with p = 113',
    );
    assert.equal(info('thesis2019').title, 'Über “quoted” words & 50% of the $ in R_n');
  });

  it('normalises DOI prefixes and URL escapes', () => {
    const [e] = parseBibtex('@misc{k, doi = {https://doi.org/10.1000/a\\_b}, url = {\\url{https://x.org/a\\%20b}}, abstract = {Line\n  two}}').value;
    assert.equal(paperInfo(e).doi, '10.1000/a_b');
    assert.equal(paperInfo(e).url, 'https://x.org/a%20b');
    assert.equal(paperInfo(e).abstract, 'Line two');
  });

  it('memoises per entry object and prefers an entry’s own info', () => {
    const e = entries.get('olah2020zoom')!;
    assert.equal(paperInfo(e), paperInfo(e));
    const withInfo: BibEntry = { ...e, info: { title: 'Given', authors: [], keywords: [] } };
    assert.equal(paperInfo(withInfo).title, 'Given');
  });

  it('returns empty lists for an entry without fields (keysOnly)', () => {
    const [e] = parseBibtex('@misc{k, title = {T}}', { keysOnly: true }).value;
    assert.deepEqual(paperInfo(e), { authors: [], keywords: [] });
  });
});
