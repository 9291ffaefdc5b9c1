// Pandoc is the reference reader for Markdown citations. For every fixture in test/fixtures/pandoc-oracle, this
// runs `pandoc -f markdown -t json`, collects the `citationId`s of the `Cite` nodes in document order and checks
// that scanPandocCitations finds the same keys in the same order with the same modes.
//
// What is left out of pandoc's side, and why:
// - cross-reference labels (`fig-…`, `tbl:…`, …): without a crossref filter pandoc reads them as citations; we
//   report them as cross-references instead, and check that separately;
// - the `*` wildcard of `@*`: it is a `nocite` instruction, not a key.
// Document order: a Cite inside a citation's prefix comes before that citation, inside its suffix after it.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CitationMode } from '../../src/core/model';
import { scanPandocCitations } from '../../src/core/parsers/pandoc';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/pandoc-oracle');
const PANDOC = '/usr/bin/pandoc';
const CROSS_REF = /^(fig|tbl|sec|eq|lst)[-:]/;

const PANDOC_MODE: Record<string, CitationMode> = {
  AuthorInText: 'in-text',
  NormalCitation: 'normal',
  SuppressAuthor: 'suppress-author',
};

interface PandocCitation {
  citationId: string;
  citationMode: { t: string };
  citationPrefix: unknown[];
  citationSuffix: unknown[];
}

function collectCites(node: unknown, out: PandocCitation[]): void {
  if (Array.isArray(node)) {
    for (const child of node) collectCites(child, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const element = node as { t?: string; c?: unknown };
  if (element.t === 'Cite') {
    // The Cite's own content is the source text again; the structure is in the citation list.
    const [citations] = element.c as [PandocCitation[], unknown];
    for (const citation of citations) {
      collectCites(citation.citationPrefix, out);
      out.push(citation);
      collectCites(citation.citationSuffix, out);
    }
    return;
  }
  for (const value of Object.values(element)) collectCites(value, out);
}

/** Pandoc's citations of a file (`{ file }`) or of text given on standard input (`{ text }`). */
function pandocCitations(source: { file: string } | { text: string }): PandocCitation[] {
  const args = ['-f', 'markdown', '-t', 'json', ...('file' in source ? [source.file] : [])];
  const input = 'text' in source ? source.text : undefined;
  const json = execFileSync(PANDOC, args, { encoding: 'utf8', maxBuffer: 64 << 20, input });
  const doc = JSON.parse(json) as { blocks: unknown[] };
  const out: PandocCitation[] = [];
  // Only the body: metadata strings are Markdown too, but frontmatter is never scanned for citations.
  collectCites(doc.blocks, out);
  return out;
}

const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.md')).sort();

describe('Pandoc oracle: citation keys agree with pandoc', () => {
  before(function () {
    const probe = spawnSync(PANDOC, ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error(`${PANDOC} is required for the oracle tests (install Debian's "pandoc" package): ${probe.error?.message ?? probe.stderr}`);
    }
  });

  it('has a corpus of at least 15 documents', () => {
    assert.ok(fixtures.length >= 15, `only ${fixtures.length} fixtures in ${FIXTURES}`);
  });

  for (const name of fixtures) {
    it(name, () => {
      const file = path.join(FIXTURES, name);
      const text = readFileSync(file, 'utf8');
      const { expected, expectedCrossRefs } = compare(text, pandocCitations({ file }));
      assert.ok(expected.length > 0 || expectedCrossRefs.length > 0, 'a fixture must contain citations to compare');
    });
  }

  // Generated documents: realistic sentences and blocks mixing every citation form with the constructs that
  // hide `@` (code, math, comments, HTML, links, e-mail addresses), so combinations no fixture spells out are
  // checked too. A fixed seed keeps the documents (and pandoc's answers) the same from run to run.
  it('agrees on generated documents', function () {
    this.timeout(120_000);
    const key = fc.constantFrom('doe2020', 'smith:2019', 'olah2020zoom', 'a.b', 'x_y', 'Müller2021', '中文', 'fig-plot', 'sec:intro', '{https://x.org/a?b}');
    const citation = fc.oneof(
      key.map((k) => `[@${k}]`),
      fc.tuple(key, fc.nat({ max: 99 })).map(([k, p]) => `[see @${k}, p. ${p}]`),
      fc.tuple(key, key).map(([a, b]) => `[@${a}; -@${b}, chap. 2]`),
      key.map((k) => `@${k}`),
      key.map((k) => `@${k} [p. 3]`),
      fc.tuple(key, key).map(([a, b]) => `@${a} [@${b}]`),
      fc.tuple(key, key).map(([a, b]) => `[@${a}, and also @${b}]`),
    );
    const word = fc.constantFrom(
      'the', 'model', 'features', 'a@b.org', 'x.', 'e.g.', '(see', 'this)', '"quoted"', '*emph*', '**bold**', '`code @x`',
      '$x@y$', '[link](http://a.org/@z)', '<!-- @hidden -->', '\\@esc', 'https://t.co/@h', '...', 'U.S.', '$5', '[^1]',
      '^[note @nn]', '<span title="@t">s</span>', '[bracket]', 'co-author', '{.cls}', '\\emph{@e}', '_under_',
      '![alt @img](x.png)', '<https://x.org/@auto>', '[ref][]', '1.5', '(p. 3)', '--', '\\[', ']', ';', '-@', '@',
    );
    // Sentences wrap once at most, as an editor would: lines hold words, not a lone `--` or `x.`.
    const sentence = fc
      .array(fc.oneof({ weight: 1, arbitrary: citation }, { weight: 3, arbitrary: word }), { minLength: 3, maxLength: 14 })
      .chain((parts) =>
        fc.nat({ max: parts.length * 2 }).map((wrap) => {
          const line = parts.slice(0, wrap).join(' ');
          const rest = parts.slice(wrap).join(' ');
          return wrap > 1 && wrap < parts.length - 1 ? `${line}\n${rest}.` : `${parts.join(' ')}.`;
        }),
      );
    const block = fc.oneof(
      sentence,
      sentence.map((s) => `# ${s.replace(/\n/g, ' ')}`),
      fc.tuple(sentence, sentence).map(([a, b]) => `- ${a}\n- ${b}`),
      fc.tuple(sentence, sentence).map(([a, b]) => `1. ${a}\n\n    ${b}`),
      fc.tuple(sentence, sentence).map(([a, b]) => `> ${a}\n> ${b}`),
      sentence.map((s) => `\`\`\`\n${s}\n\`\`\``),
      sentence.map((s) => `    ${s.replace(/\n/g, ' ')}`),
      sentence.map((s) => `<!--\n${s}\n-->`),
      sentence.map((s) => `Term\n:   ${s}`),
      sentence.map((s) => `(@ex) ${s}`),
      sentence.map((s) => `${s.replace(/\n/g, ' ')}\n---`),
      sentence.map((s) => `~~~ {.python}\n${s}\n~~~`),
      sentence.map((s) => `| a | b |\n|---|---|\n| ${s.replace(/\n/g, ' ')} | x |`),
      sentence.map((s) => `<div>\n\n${s}\n\n</div>`),
      sentence.map((s) => `$$\n${s}\n$$`),
      fc.tuple(sentence, sentence).map(([a, b]) => `- ${a}\n\n      ${b}`),
      fc.tuple(sentence, sentence).map(([a, b]) => `> ${a}\n>\n>     ${b}`),
    );
    const documentText = fc.array(block, { minLength: 1, maxLength: 5 }).map((blocks) => `${blocks.join('\n\n')}\n`);
    fc.assert(
      fc.property(documentText, (text) => {
        compare(text, pandocCitations({ text }));
      }),
      { seed: 424242, numRuns: 100 },
    );
  });
});

/** Asserts that our scan of `text` matches pandoc's citations; returns what pandoc expects. */
function compare(text: string, reference: PandocCitation[]) {
  const expected = reference
    .filter((c) => !CROSS_REF.test(c.citationId) && c.citationId !== '*')
    .map((c) => `${c.citationId} (${PANDOC_MODE[c.citationMode.t]})`);
  const expectedCrossRefs = reference.filter((c) => CROSS_REF.test(c.citationId)).map((c) => c.citationId);
  const scan = scanPandocCitations(text).value;
  assert.deepEqual(scan.citations.map((c) => `${c.key} (${c.mode})`), expected);
  assert.deepEqual(scan.crossRefs.map((r) => r.label), expectedCrossRefs);
  return { expected, expectedCrossRefs };
}
