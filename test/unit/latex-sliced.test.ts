// The sliced LaTeX scan (scanLatexCitationsSliced) must give exactly the one-call scan's result wherever its
// stretches end: on the fixtures, on all of them in one document repeated past many stretches, on mutations
// that open comments, verbatim and unclosed arguments across stretch ends, and when the citation limit stops it.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeDocument, analyzeDocumentSliced, contributionsOf } from '../../src/core/index/analyze';
import { defaultParsers } from '../../src/core/index/defaultParsers';
import { MAX_CITATIONS } from '../../src/core/parsers/citationText';
import { scanLatexCitations, scanLatexCitationsSliced } from '../../src/core/parsers/latex';
import { defaultConfig } from '../../src/core/workspace';
import { fuzzParameters } from './fuzz-config';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/latex');
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.tex')).sort().map((name) => readFileSync(path.join(FIXTURES, name), 'utf8'));
/** About 1.3 MB: some 80 stretches of 16 KB. */
const combined = Array.from({ length: 400 }, () => fixtures.join('\n\n')).join('\n');
/** About 130 KB: eight stretches, small enough to mutate many times. */
const medium = combined.slice(0, combined.length / 10);

/** The sliced scan with every slice over at once: it yields after every stretch. */
async function sliced(text: string): Promise<{ result: ReturnType<typeof scanLatexCitations>; yields: number }> {
  let yields = 0;
  const result = await scanLatexCitationsSliced(text, async () => void yields++, 0);
  return { result, yields };
}

describe('sliced LaTeX scan', function () {
  this.timeout(60_000);

  it('equals the one-call scan on every fixture and on all of them repeated in one long document', async () => {
    assert.ok(fixtures.length >= 2);
    for (const text of [...fixtures, combined]) assert.deepStrictEqual((await sliced(text)).result, scanLatexCitations(text));
  });

  it('yields between stretches, and the citations span the whole document', async () => {
    const { result, yields } = await sliced(combined);
    assert.ok(yields >= Math.floor(combined.length / (16 * 1024)) - 1 && yields > 10, `${yields} yields`);
    const citations = result.value.citations;
    assert.ok(citations.length > 100);
    assert.ok(citations[citations.length - 1].span.start > combined.length * 0.9);
  });

  it('equals the one-call scan on mutated documents', async () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.nat({ max: 30 }),
      fc.constantFrom('\n\n', '%', '\\cite{', '\\cites(', '[', '}', '{', '\\verb|', '\\begin{verbatim}', '\\end{verbatim}', '\\nocite{*}', '\\\\'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async (edits) => {
        let text = medium;
        for (const [at, length, token] of edits) {
          const p = at % (text.length + 1);
          text = text.slice(0, p) + token + text.slice(p + length);
        }
        assert.deepStrictEqual((await sliced(text)).result, scanLatexCitations(text));
      }),
      fuzzParameters(40),
    );
  });

  it('stops where the one-call scan stops at the citation limit', async () => {
    const text = '\\cite{a,b,c,d,e,f,g,h,i,j}\n'.repeat(MAX_CITATIONS / 10 + 50);
    const whole = scanLatexCitations(text);
    assert.equal(whole.value.citations.length, MAX_CITATIONS);
    assert.deepStrictEqual((await sliced(text)).result, whole);
  });

  it('is what the index uses to analyse a large .tex file: same analysis as in one call, with yields', async () => {
    let yields = 0;
    const yieldNow = async () => void yields++;
    const uri = 'mem:///ws/paper.tex';
    const analysis = await analyzeDocumentSliced(uri, 'latex', combined, combined.length, defaultConfig, defaultParsers, yieldNow, 0);
    const whole = analyzeDocument(uri, 'latex', combined, combined.length, defaultConfig, defaultParsers);
    // The sliced analysis also carries the distinct cited keys it gathered in slices (what contributionsOf derives).
    assert.deepStrictEqual(analysis.citedKeys, contributionsOf(whole).citedKeys);
    whole.citedKeys = analysis.citedKeys;
    assert.deepStrictEqual(analysis, whole);
    assert.ok(yields > 10);
  });

  it('finishes at once on empty text', async () => {
    const { result, yields } = await sliced('');
    assert.deepStrictEqual(result, scanLatexCitations(''));
    assert.equal(yields, 0);
  });
});
