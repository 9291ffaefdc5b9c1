// biber (the BibLaTeX backend) is the reference reader for .bib files. These tests run Debian's `biber --tool`
// on the fixtures, read its normalised BibTeX output with a small independent reader, and compare.
//
// What is compared, and why it is like with like:
// - keys, in file order, and `ids` aliases: both sides report them verbatim;
// - entry types, after biber's documented type aliases (techreport → report, phdthesis → thesis, …);
// - titles: biber decodes accent macros to UTF-8 but keeps braces and formatting macros (`\emph`, `--`), so
//   both sides pass through `latexToUnicode` (which leaves decoded characters alone) and are compared in NFC
//   with dotless ı/ȷ folded to i/j (biber writes `{\'\i}` as ı + combining acute, we write í);
// - names: biber writes every name as "von Last, Jr, First" or "{Literal}"; we compare family (with von
//   particle), given and suffix parts one by one, and the count (`others` included);
// - years: the first four digits of biber's DATE (it merges year/month/date) against our `year`;
// - inheritance: with `--output-resolve` biber applies crossref/xdata; every field in COMPARED_FIELDS that
//   biber's resolved entry has, ours has with the same decoded value, and vice versa;
// - broken input: biber rejects the whole file; the entries we kept (those without an error inside their
//   span) are cut out by our spans and handed to biber, which must read exactly them, unchanged.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BibEntry } from '../../src/core/model';
import { paperInfo, parseBibtex } from '../../src/core/parsers/bibtex';
import { latexToUnicode } from '../../src/core/parsers/latexToUnicode';
import { seededRandom } from '../seededRandom';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/bib');
const WELL_FORMED = ['rich.bib', 'exports.bib'];

const BIBER_TYPE_ALIASES: Record<string, string> = {
  techreport: 'report', phdthesis: 'thesis', mastersthesis: 'thesis', conference: 'inproceedings',
  electronic: 'online', www: 'online',
};

/** Fields whose names biber keeps as they are, so resolved values can be compared directly. */
const COMPARED_FIELDS = [
  'title', 'booktitle', 'maintitle', 'publisher', 'editor', 'series', 'volume', 'pages', 'doi', 'url', 'eprint',
  'note', 'howpublished', 'abstract',
];

interface BiberEntry {
  type: string;
  key: string;
  fields: Map<string, string>;
}

interface BiberRun {
  status: number | null;
  log: string;
  entries: BiberEntry[];
}

function requireBiber(): void {
  const probe = spawnSync('biber', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    assert.fail(`biber is required for the oracle tests but could not be run (${probe.error?.message ?? probe.stderr}). Install it: apt-get install biber`);
  }
}

function runBiber(bibText: string, resolve: boolean): BiberRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'biber-oracle-'));
  try {
    const input = path.join(dir, 'input.bib');
    const output = path.join(dir, 'output.bib');
    writeFileSync(input, bibText);
    const args = ['--tool', '--output-format=bibtex', `--output-file=${output}`, ...(resolve ? ['--output-resolve'] : []), input];
    const run = spawnSync('biber', args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    let entries: BiberEntry[] = [];
    if (run.status === 0) entries = readBiberOutput(readFileSync(output, 'utf8'));
    return { status: run.status, log: `${run.stdout}${run.stderr}`, entries };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reads biber's tool-mode BibTeX: `@STRING{NAME = "v"}`, `@TYPE{key,`, `  FIELD = {v},` or `  FIELD = MACRO,`,
 * `}` and `@COMMENT{…}` blocks. Any other line fails the test, so a format change cannot pass silently.
 */
function readBiberOutput(text: string): BiberEntry[] {
  const macros = new Map<string, string>();
  const entries: BiberEntry[] = [];
  let current: BiberEntry | undefined;
  let inComment = false;
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if (inComment) {
      if (line === '}') inComment = false;
    } else if (line.trim() === '') {
      continue;
    } else if ((m = /^@STRING\{(\S+) = "(.*)"\}$/.exec(line))) {
      macros.set(m[1].toLowerCase(), m[2]);
    } else if (/^@COMMENT\{/.test(line)) {
      inComment = !line.endsWith('}');
    } else if ((m = /^@([A-Z]+)\{(.+),$/.exec(line))) {
      current = { type: m[1].toLowerCase(), key: m[2], fields: new Map() };
      entries.push(current);
    } else if (current && (m = /^ {2}([A-Z0-9_-]+) = (.*),$/.exec(line))) {
      const raw = m[2];
      const value = raw.startsWith('{') && raw.endsWith('}') ? raw.slice(1, -1) : macros.get(raw.toLowerCase());
      assert.ok(value !== undefined, `unreadable biber value: ${line}`);
      current.fields.set(m[1].toLowerCase(), value);
    } else if (line === '}' && current) {
      current = undefined;
    } else {
      assert.fail(`unexpected line in biber output: ${JSON.stringify(line)}`);
    }
  }
  return entries;
}

/** Compares already-decoded text: NFC with dotless ı/ȷ folded (decoding twice would eat a literal `$`). */
function foldDecoded(s: string): string {
  return s.normalize('NFD').replace(/ı/g, 'i').replace(/ȷ/g, 'j').normalize('NFC');
}

/** Decodes raw LaTeX (biber's output, or our raw fields) for comparison. */
function fold(s: string): string {
  return foldDecoded(latexToUnicode(s));
}

/** Splits at depth-0 occurrences of `separator`. */
function splitOutsideBraces(s: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}') depth--;
    else if (depth === 0 && s.startsWith(separator, i)) {
      parts.push(s.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** biber's "von Last, Jr, First" → [family, given, suffix], decoded. */
function biberName(name: string): [string, string, string] {
  const parts = splitOutsideBraces(name.trim(), ', ');
  if (parts.length === 1) return [fold(parts[0]), '', ''];
  if (parts.length === 2) return [fold(parts[0]), fold(parts[1]), ''];
  return [fold(parts[0]), fold(parts.slice(2).join(', ')), fold(parts[1])];
}

/** Our "von Last, First, Jr" display string → [family, given, suffix]. */
function ourName(name: string): [string, string, string] {
  const [family, given = '', suffix = ''] = name.split(', ');
  return [foldDecoded(family), foldDecoded(given), foldDecoded(suffix)];
}

function compareEntry(ours: BibEntry, theirs: BiberEntry): void {
  const where = `entry ${ours.key}`;
  assert.equal(BIBER_TYPE_ALIASES[ours.type] ?? ours.type, theirs.type, `${where}: type`);
  const info = paperInfo(ours);
  const title = theirs.fields.get('title');
  assert.equal(info.title === undefined ? undefined : foldDecoded(info.title), title === undefined ? undefined : fold(title), `${where}: title`);
  const names = theirs.fields.get('author') ?? theirs.fields.get('editor');
  const theirNames = names === undefined ? [] : splitOutsideBraces(names, ' and ').map(biberName);
  assert.deepEqual(info.authors.map(ourName), theirNames, `${where}: names`);
  const date = theirs.fields.get('date') ?? theirs.fields.get('year');
  assert.equal(info.year, date === undefined ? undefined : /^\d{4}/.exec(date)?.[0], `${where}: year`);
  const ids = theirs.fields.get('ids');
  assert.deepEqual(ours.aliases, ids === undefined ? undefined : ids.split(','), `${where}: ids`);
}

const GIVEN = ['Neel', 'Chris', 'Jos{\\\'e}', 'Fran{\\c{c}}ois', '{\\AA}sa', 'J{\\"o}rg', 'Zhi-Xuan', 'C. Daniel', 'Ren{\\\'e}e', 'Bj\\"{o}rn'];
const FAMILY = ['Nanda', 'Olah', 'M{\\"u}ller', '{\\v{S}}imon', 'Garc{\\\'\\i}a', 'Hatfield-Dodds', '{\\O}stergaard', 'Ng', 'Stra{\\ss}er', '{McDougall}'];
const PARTICLE = ['van', 'de la', 'von', 'van der', 'di'];
const WORDS = ['Sparse', 'autoencoders', '{Transformer}', 'circuits', 'caf{\\\'e}', '{\\"U}ber', '--', 'in', 'the', '\\emph{wild}', '$\\alpha$-features', '{GPT}-2', 'na{\\"\\i}ve', '\\textbf{bold}', 'R\\&D', '50\\%'];
const TYPES = ['article', 'inproceedings', 'misc', 'book', 'incollection', 'techreport', 'phdthesis', 'online'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Random but well-formed entries: the three BibTeX name forms, von particles, Jr parts, corporate names,
 * `and others`, accents in several spellings, protected case, braces or quotes, @string macros with `#`
 * concatenation, month macros, and years as numbers, braced text or BibLaTeX dates.
 */
function generateBib(count: number, seed: number): string {
  const next = seededRandom(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const chance = (p: number) => next() < p;
  const name = (): string => {
    if (chance(0.05)) return '{Anthropic Interpretability Team}';
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const particle = chance(0.2) ? pick(PARTICLE) : '';
    const suffix = chance(0.1) ? 'Jr.' : '';
    if (suffix) return `${particle ? `${particle} ` : ''}${family}, ${suffix}, ${given}`;
    if (chance(0.5)) return `${particle ? `${particle} ` : ''}${family}, ${given}`;
    return `${given} ${particle ? `${particle} ` : ''}${family}`;
  };
  const out = ['@string{venue = "Workshop on " # "Mechanistic Interpretability"}', '@string{conf = {Conference}}'];
  for (let i = 0; i < count; i++) {
    const authors = Array.from({ length: 1 + Math.floor(next() * 4) }, name);
    if (chance(0.1)) authors.push('others');
    const title = Array.from({ length: 3 + Math.floor(next() * 6) }, () => pick(WORDS)).join(' ');
    const quoted = chance(0.3);
    const fields = [
      quoted ? `title = "${title}"` : `title = {${title}}`,
      `author = {${authors.join(' and ')}}`,
      chance(0.3) ? `date = {${2000 + Math.floor(next() * 25)}-0${1 + Math.floor(next() * 9)}}` : chance(0.5) ? `year = ${2000 + Math.floor(next() * 25)}` : `year = {${2000 + Math.floor(next() * 25)}}`,
      chance(0.5) ? `month = ${pick(MONTHS)}` : '',
      chance(0.4) ? `booktitle = venue # ", " # conf` : '',
    ].filter((f) => f !== '');
    out.push(`@${pick(TYPES)}{gen${i},\n  ${fields.join(',\n  ')},\n}`);
  }
  return out.join('\n\n') + '\n';
}

describe('biber oracle', function () {
  this.timeout(120_000);

  before(requireBiber);

  for (const name of WELL_FORMED) {
    describe(name, () => {
      const text = readFileSync(path.join(FIXTURES, name), 'utf8');
      const ours = parseBibtex(text);

      it('biber reads the fixture cleanly (the fixture really is well-formed)', () => {
        const run = runBiber(text, false);
        assert.equal(run.status, 0, run.log);
        assert.doesNotMatch(run.log, /WARN|ERROR/, run.log);
        assert.deepEqual(ours.diagnostics, []);
      });

      it('same keys in the same order, same types, titles, names, years and ids', () => {
        const plain = runBiber(text, false);
        assert.deepEqual(ours.value.map((e) => e.key), plain.entries.map((e) => e.key));
        // Our entries come with crossref/xdata applied, so their display data matches biber's resolved output.
        const resolved = runBiber(text, true);
        assert.deepEqual(ours.value.map((e) => e.key), resolved.entries.map((e) => e.key));
        resolved.entries.forEach((theirs, i) => compareEntry(ours.value[i], theirs));
      });

      it('crossref and xdata inheritance yields the same fields as biber --output-resolve', () => {
        const run = runBiber(text, true);
        const byKey = new Map(ours.value.map((e) => [e.key, e]));
        let compared = 0;
        for (const theirs of run.entries) {
          const fields = byKey.get(theirs.key)?.fields ?? {};
          for (const field of COMPARED_FIELDS) {
            const theirValue = theirs.fields.get(field);
            const ourValue = fields[field];
            assert.equal(ourValue === undefined ? undefined : fold(ourValue), theirValue === undefined ? undefined : fold(theirValue), `${theirs.key}.${field}`);
            if (theirValue !== undefined) compared++;
          }
        }
        assert.ok(compared > 20, `only ${compared} field values compared`);
      });
    });
  }

  describe('generated entries (seeded)', () => {
    const text = generateBib(400, 7);
    const ours = parseBibtex(text);

    it('are well-formed for biber and for us', () => {
      const run = runBiber(text, false);
      assert.equal(run.status, 0, run.log);
      assert.deepEqual(ours.diagnostics, []);
      assert.equal(ours.value.length, 400);
    });

    it('agree with biber on keys, types, titles, names and years', () => {
      const run = runBiber(text, true);
      assert.deepEqual(run.entries.map((e) => e.key), ours.value.map((e) => e.key));
      run.entries.forEach((theirs, i) => compareEntry(ours.value[i], theirs));
    });
  });

  describe('broken.bib', () => {
    const text = readFileSync(path.join(FIXTURES, 'broken.bib'), 'utf8');
    const ours = parseBibtex(text);
    const errors = ours.diagnostics.filter((d) => d.severity === 'error');
    const clean = ours.value.filter((e) => !errors.some((d) => d.span.start >= e.span.start && d.span.start < e.span.end));

    it('biber rejects the file as a whole', () => {
      const run = runBiber(text, false);
      assert.notEqual(run.status, 0);
      assert.match(run.log, /ERROR/);
    });

    it('the entries we keep, cut out by our spans, are exactly what biber reads', () => {
      assert.deepEqual(clean.map((e) => e.key), ['good1', 'good2', 'good3', 'good4', 'good5']);
      const run = runBiber(clean.map((e) => text.slice(e.span.start, e.span.end)).join('\n\n'), false);
      assert.equal(run.status, 0, run.log);
      assert.deepEqual(run.entries.map((e) => e.key), clean.map((e) => e.key));
      run.entries.forEach((theirs, i) => compareEntry(clean[i], theirs));
    });
  });
});
