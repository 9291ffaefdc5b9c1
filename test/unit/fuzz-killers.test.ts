// One table: every known killer input × every parser (and the whole index pipeline, which decodes raw bytes
// with its own UTF-8 decoder). Each cell asserts that nothing throws, that every span the parser reports lies
// inside the document, and that the input finishes within a generous sanity bound — catastrophic regex
// backtracking or quadratic rescans take minutes on these inputs, linear work takes well under the bound.
// Speed targets belong in the benchmark. A fast-check property then mutates the killers (fixed seed in CI).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCorpus } from '../../src/core/corpus/corpus';
import { checkSafetyCases } from '../../src/core/gsn/check';
import { parseMarkdownSafetyCase } from '../../src/core/gsn/markdown';
import { parseGsnYaml } from '../../src/core/gsn/yaml';
import { defaultParsers } from '../../src/core/index/defaultParsers';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryFs } from '../../src/core/memoryFs';
import { paperInfo, parseBibtex } from '../../src/core/parsers/bibtex';
import { parseCslItems, parseCslJson, parseCslYaml } from '../../src/core/parsers/csl';
import { parseFrontmatter } from '../../src/core/parsers/frontmatter';
import { scanLatexCitations } from '../../src/core/parsers/latex';
import { parseBibliographySettings, parseNote } from '../../src/core/parsers/note';
import { scanPandocCitations } from '../../src/core/parsers/pandoc';
import { defaultConfig, type Logger } from '../../src/core/workspace';
import { fuzzParameters, LONG_FUZZ } from './fuzz-config';
import { CHILD_PARSERS, type ChildInput } from './fuzz-killers-child';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
const MB = 1024 * 1024;
const TEN_MB = 10 * MB;

/**
 * Sanity bound: 2 s per input plus 1 s per MB, stretched by how oversubscribed the CPUs are (other test
 * processes share CI machines). Quadratic work on these inputs takes minutes, so the bound still catches it.
 */
function boundMs(length: number): number {
  const oversubscribed = Math.max(1, os.loadavg()[0] / os.cpus().length);
  return (2000 + 1000 * (length / MB)) * oversubscribed;
}

// ---------------------------------------------------------------------------------------------
// Inputs

const fixture = (relative: string): string => readFileSync(path.join(FIXTURES, relative), 'utf8');
const hostile = readdirSync(path.join(FIXTURES, 'hostile'))
  .filter((name) => name !== 'README.md' && statSync(path.join(FIXTURES, 'hostile', name)).isFile())
  .sort()
  .map((name) => ({ name: `hostile/${name}`, text: fixture(`hostile/${name}`) }));

/** Real documents of every format; their line ends are rewritten and their bytes broken below. */
const REAL = [
  'workspace/review.md',
  'workspace/refs.bib',
  'workspace/notes/elhage2022toy.md',
  'workspace/drafts/draft.tex',
  'workspace/csl/references.json',
  'csl/refs.yaml',
  'gsn/evaluation.gsn.yaml',
  'gsn/deception-probes.gsn.md',
  'bib/rich.bib',
].map((name) => ({ name, text: fixture(name) }));

const withLineEnds = (text: string, eol: string): string => text.replace(/\r\n|\r|\n/g, eol);

function billionLaughs(levels: number, indent = ''): string {
  const lines = [`${indent}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i <= levels; i++) lines.push(`${indent}l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

/** Block YAML nested `depth` levels deep: `a:\n  a:\n    a: …`. */
function deepBlockYaml(depth: number): string {
  const lines: string[] = [];
  for (let i = 0; i < depth; i++) lines.push(`${'  '.repeat(i)}a:`);
  lines.push(`${'  '.repeat(depth)}@leaf`);
  return lines.join('\n');
}

/** A byte sequence with every class of malformed UTF-8 around citation-shaped text. */
function invalidUtf8(base: string): Uint8Array {
  const bad = [
    [0xff], [0xfe], [0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80, 0x80], [0xf0, 0x9f, 0x98],
  ];
  const encoded = new TextEncoder().encode(base);
  const out: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    out.push(encoded[i]);
    if (i % 23 === 7) out.push(...bad[i % bad.length]);
  }
  return Uint8Array.from(out);
}

/** Kinds of killer: text every parser reads as is, or raw bytes (the index gets the bytes, parsers the decoding). */
type Killer = { name: string; make: () => string | Uint8Array };

const KILLERS: Killer[] = [
  { name: '"@%"', make: () => '@%' },
  { name: '"@%" repeated to 1 MB', make: () => '@%'.repeat(MB / 2) },
  { name: '"[@" repeated to 1 MB (unterminated groups)', make: () => '[@'.repeat(MB / 2) },
  { name: '"[-@a; " repeated, never closed', make: () => '[-@a; '.repeat(100_000) },
  { name: 'unterminated BibTeX braces', make: () => `@article{k, title = {${'{'.repeat(100_000)}` },
  { name: 'unterminated \\cite{ with 100,000 keys', make: () => `\\cite{${'a,'.repeat(100_000)}` },
  { name: '1 MB of "{"', make: () => '{'.repeat(MB) },
  { name: 'unclosed frontmatter fence and string', make: () => `---\ntitle: "${'x'.repeat(100_000)}\ncitekey: [@a` },
  { name: 'billion laughs (bare YAML)', make: () => billionLaughs(9) },
  { name: 'billion laughs (frontmatter)', make: () => `---\n${billionLaughs(9)}\ntags: *l9\nreferences: *l9\n---\n[@a]\n` },
  { name: 'billion laughs (CSL-YAML references)', make: () => `${billionLaughs(9)}\nreferences:\n  - id: k\n    title: *l9\n    author: *l9\n` },
  { name: 'billion laughs (gsn2x)', make: () => `${billionLaughs(9)}\nG1:\n  text: *l9\n  supportedBy: *l9\n` },
  { name: '---javascript frontmatter', make: () => '---javascript\n(globalThis.__interpReviewFrontmatterEvaluated = true, {citekey: "pwned"})\n---\n[@a]\n' },
  { name: '---js / ---coffee frontmatter', make: () => '---js\nglobalThis.__interpReviewFrontmatterEvaluated = true\n---\n---coffee\nglobalThis.__interpReviewFrontmatterEvaluated = true\n---\n' },
  { name: '2,000-deep brackets around a citation', make: () => `${'['.repeat(2000)}@a${']'.repeat(2000)}` },
  { name: '2,000-deep braces in a BibTeX value', make: () => `@misc{k, title = ${'{'.repeat(2000)}x${'}'.repeat(2000)}}\n@misc{after, title={t}}` },
  { name: '2,000-deep JSON arrays and objects', make: () => `${'['.repeat(2000)}{"id":"k"}${']'.repeat(2000)}\n${'{"a":'.repeat(2000)}` },
  { name: '2,000-deep YAML flow and block nesting', make: () => `references: ${'['.repeat(2000)}\n${deepBlockYaml(2000)}` },
  { name: '2,000-deep block quotes and lists', make: () => `${'> '.repeat(2000)}[@a]\n\n${Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- [@k${i}]`).join('\n')}` },
  { name: '2,000-deep gsn2x chain', make: () => Array.from({ length: 2000 }, (_, i) => `G${i}:\n  text: Claim [@k${i}]\n  supportedBy: [G${i + 1}]`).join('\n') },
  { name: '2,000-deep \\cite nesting', make: () => `${'\\cite{'.repeat(2000)}a${'}'.repeat(2000)}` },
  { name: '10 MB single line of citation syntax', make: () => 'see [@k1, p. 3; -@k2] \\citep[x]{k3,k4} {@k5} `@c` $@m$ <!-- @h --> '.repeat(Math.ceil(TEN_MB / 72)).slice(0, TEN_MB) },
  { name: '10 MB single line inside one BibTeX value', make: () => `@misc{k, title = {${'x'.repeat(TEN_MB)}}}` },
  { name: '10 MB single-line JSON string', make: () => `[{"id": "k", "title": "${'x\\"'.repeat(TEN_MB / 3)}"}]` },
  { name: '10 MB single-line YAML scalar', make: () => `---\ncitekey: k\ntitle: ${'x'.repeat(TEN_MB)}\n---\n` },
  { name: 'NUL bytes through real text', make: () => REAL.map((r) => r.text.replace(/ /g, '\u0000')).join('\u0000') },
  { name: '1 MB of NUL', make: () => '\u0000'.repeat(MB) },
  { name: 'lone surrogates around keys', make: () => '\uD800[@\uDC00a; @b\uD800] \\cite{\uDFFFk} @misc{\uD800k, title={\uDC00}}\n- id: "\uD800"\n' },
  { name: 'invalid UTF-8 through real text', make: () => invalidUtf8(REAL.map((r) => r.text).join('\n')) },
  { name: 'invalid UTF-8 after a byte-order mark', make: () => Uint8Array.from([0xef, 0xbb, 0xbf, 0xff, ...new TextEncoder().encode('---\ncitekey: k\n---\n[@k]'), 0xc3]) },
  ...hostile.map((h) => ({ name: h.name, make: () => h.text })),
  ...REAL.map((r) => ({ name: `${r.name} with CRLF`, make: () => withLineEnds(r.text, '\r\n') })),
  ...REAL.map((r) => ({ name: `${r.name} with lone CR`, make: () => withLineEnds(r.text, '\r') })),
];

// ---------------------------------------------------------------------------------------------
// Parsers and invariants

/** Every `{start, end}` object anywhere in a result (iterative: results may be 2,000 levels deep). */
function spansIn(value: unknown): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object' || seen.has(item)) continue;
    seen.add(item);
    const record = item as Record<string, unknown>;
    if (typeof record.start === 'number' && typeof record.end === 'number') found.push(record as { start: number; end: number });
    if (item instanceof Map) for (const v of item.values()) stack.push(v);
    else for (const key of Object.keys(record)) stack.push(record[key]);
  }
  return found;
}

function assertSpansInside(text: string, result: unknown, where: string): void {
  for (const span of spansIn(result)) {
    assert.ok(
      Number.isInteger(span.start) && Number.isInteger(span.end) && 0 <= span.start && span.start <= span.end && span.end <= text.length,
      `${where}: span ${span.start}..${span.end} outside 0..${text.length}`,
    );
  }
}

const PARSERS: { name: string; run: (text: string) => unknown }[] = [
  { name: 'Pandoc citations', run: scanPandocCitations },
  { name: 'LaTeX citations', run: scanLatexCitations },
  {
    name: 'BibTeX (+ decoded metadata)',
    run: (text) => {
      const result = parseBibtex(text);
      // Decoding is lazy in the product; the first 200 entries are decoded here as a hover would.
      for (const entry of result.value.slice(0, 200)) paperInfo(entry);
      return result;
    },
  },
  { name: 'BibTeX keys only', run: (text) => parseBibtex(text, { keysOnly: true }) },
  { name: 'CSL-JSON', run: parseCslJson },
  { name: 'CSL-YAML', run: parseCslYaml },
  {
    name: 'frontmatter + note + bibliography settings',
    run: (text) => {
      const fm = parseFrontmatter(text);
      const note = parseNote(text, fm.value);
      const settings = parseBibliographySettings(text, fm.value, parseCslItems);
      return [fm, note, settings];
    },
  },
  {
    name: 'gsn2x YAML (+ checks)',
    run: (text) => {
      const parsed = parseGsnYaml(text, 'mem:///ws/case.gsn.yaml');
      const checks = parsed.value ? [...checkSafetyCases([parsed.value], { resolve: () => undefined }).values()] : [];
      return [parsed, checks];
    },
  },
  { name: 'Markdown safety case', run: (text) => parseMarkdownSafetyCase(text, 'mem:///ws/case.gsn.md') },
];

/** The file names the index pipeline reads a killer under: one per document kind. */
const INDEX_FILES = ['doc.md', 'doc.tex', 'refs.bib', 'refs.json', 'refs.yaml', 'case.gsn.yaml', 'case.gsn.md'];
const corpus = loadCorpus();

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (m) => errors.push(m) };
}

/** The whole pipeline on raw bytes: read, decode with the index's decoder, classify, analyse, cross-file answers. */
async function runIndex(content: string | Uint8Array): Promise<void> {
  const fs = new MemoryFs(['mem:///ws']);
  for (const name of INDEX_FILES) fs.write(`mem:///ws/${name}`, content);
  const logger = recordingLogger();
  const index = new WorkspaceIndex({ fs, config: defaultConfig, logger, parsers: defaultParsers, corpus });
  try {
    await index.start();
    await index.ready();
    for (const doc of index.documents()) {
      const text = (doc as unknown as { text: string }).text;
      assertSpansInside(text, [doc.citations, doc.crossRefs, doc.entries, doc.frontmatter, doc.note, doc.bibliography, doc.safetyCase], doc.uri);
      assertSpansInside(text, index.diagnostics(doc.uri), `${doc.uri} diagnostics`);
      for (const citation of doc.citations.slice(0, 50)) index.resolve(citation.key, doc.uri);
    }
    index.unresolved();
    // The index turns a parser exception into an `internal-error` diagnostic and a log line; here that is a failure.
    assert.deepEqual(logger.errors, []);
  } finally {
    index.dispose();
  }
}

const decodeLikeTheIndex = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: false }).decode(bytes);

// ---------------------------------------------------------------------------------------------

describe('killer inputs × every parser', function () {
  // The per-cell sanity bound is asserted below; mocha's timeout only stops a runaway cell.
  this.timeout(120_000);

  after(() => {
    assert.equal((globalThis as Record<string, unknown>).__interpReviewFrontmatterEvaluated, undefined, 'front matter was evaluated as code');
  });

  for (const killer of KILLERS) {
    describe(killer.name, () => {
      let content: string | Uint8Array;
      let text: string;
      before(() => {
        content = killer.make();
        text = typeof content === 'string' ? content : decodeLikeTheIndex(content);
      });
      after(() => {
        content = text = '';
      });

      for (const parser of PARSERS) {
        it(parser.name, () => {
          const started = performance.now();
          const result = parser.run(text);
          const elapsed = performance.now() - started;
          assertSpansInside(text, result, parser.name);
          assert.ok(elapsed < boundMs(text.length), `${parser.name} took ${elapsed.toFixed(0)} ms on ${text.length} chars`);
        });
      }

      it('index pipeline (bytes → decoder → every document kind)', async () => {
        const started = performance.now();
        await runIndex(content);
        const elapsed = performance.now() - started;
        assert.ok(elapsed < INDEX_FILES.length * boundMs(text.length), `index took ${elapsed.toFixed(0)} ms`);
      });
    });
  }

  it('line ends do not change what the citation and bibliography parsers find', () => {
    const keysOf = (text: string) =>
      JSON.stringify([
        scanPandocCitations(text).value.citations.map((c) => c.key),
        scanLatexCitations(text).value.citations.map((c) => c.key),
        parseBibtex(text).value.map((e) => [e.key, paperInfo(e).title]),
        parseCslYaml(text).value.map((e) => e.key),
        parseFrontmatter(text).value?.data ?? null,
      ]);
    for (const real of REAL) {
      const lf = keysOf(withLineEnds(real.text, '\n'));
      assert.equal(keysOf(withLineEnds(real.text, '\r\n')), lf, `${real.name}: CRLF`);
      assert.equal(keysOf(withLineEnds(real.text, '\r')), lf, `${real.name}: lone CR`);
    }
  });
});

describe('killers that could hang or abort the process, each in a child process', function () {
  this.timeout(120_000);
  const CHILD = path.join(__dirname, 'fuzz-killers-child.js');
  // Deep flow collections: the yaml package recurses per level (stack overflow is caught, but it is slow), and
  // collection-valued keys are stringified level by level, which is polynomial in the depth.
  const INPUTS: { name: string; input: ChildInput }[] = [
    { name: '500 nested "{" in front matter', input: { prefix: '---\n', unit: '{', count: 500, suffix: '\n---\n' } },
    { name: '500 nested "? {" complex keys in front matter', input: { prefix: '---\n', unit: '? {', count: 500, suffix: '\n---\n' } },
    { name: '256k nested "{" (stack-depth attack)', input: { prefix: '', unit: '{', count: 256_000, suffix: '' } },
    { name: '256k nested "[" (stack-depth attack)', input: { prefix: '', unit: '[', count: 256_000, suffix: '' } },
  ];
  for (const { name, input } of INPUTS) {
    for (const parser of CHILD_PARSERS) {
      const text = input.prefix + input.suffix;
      it(`${parser}: ${name}`, () => {
        const limit = Math.round(boundMs(text.length + input.unit.length * input.count));
        const run = spawnSync(process.execPath, [CHILD, parser, JSON.stringify(input)], { timeout: limit, encoding: 'utf8' });
        assert.ok(!run.error, `did not finish within ${Math.round(limit)} ms (${run.error?.message})`);
        assert.equal(run.signal, null, `killed by ${run.signal}: ${run.stderr.slice(-500)}`);
        assert.equal(run.status, 0, `exited ${run.status}: ${run.stderr.slice(-500)}`);
      });
    }
  }
});

describe('fuzz: mutated killers and real documents × every parser', function () {
  this.timeout(LONG_FUZZ ? 0 : 60_000);
  // Small killers only: the 10 MB ones would make each run slow without exploring anything new.
  const seeds = [
    '@%', '[@', '[-@a; ', '@article{k, title = {', '\\cite{a,', '---\nx: &a [1]\ny: *a\n---\n', '---javascript\n1\n---\n',
    `${'['.repeat(50)}@a${']'.repeat(50)}`, billionLaughs(3), ...REAL.map((r) => r.text), ...hostile.map((h) => h.text),
  ];
  const unit = fc.oneof(
    fc.constantFrom('@', '%', '[', ']', '{', '}', ';', '-', '\\', '`', '$', '\n', '\r', '\r\n', '\u0000', '\uD800', '\uDC00', '---', '&a', '*a', ': ', '- ', '"', '#'),
    fc.string({ maxLength: 3 }),
  );
  const mutation = fc.record({ at: fc.nat(), cut: fc.nat({ max: 40 }), insert: fc.array(unit, { maxLength: 8 }).map((parts) => parts.join('')) });
  const input = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 6 })).map(([base, edits]) => {
    let out = base;
    for (const e of edits) {
      const at = e.at % (out.length + 1);
      out = out.slice(0, at) + e.insert + out.slice(at + e.cut);
    }
    return out;
  });

  for (const parser of PARSERS) {
    it(parser.name, () => {
      fc.assert(
        fc.property(input, (text) => {
          assertSpansInside(text, parser.run(text), parser.name);
        }),
        fuzzParameters(150),
      );
    });
  }
});
