// The sliced Pandoc scan (scanPandocCitationsSliced) must give exactly the one-call scan's result when cut after
// every paragraph: on the oracle fixtures, on all of them in one document, and on mutations of it.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { markdownLayout } from '../../src/core/parsers/markdownRegions';
import { scanPandocCitations, scanPandocCitationsSliced } from '../../src/core/parsers/pandoc';
import { fuzzParameters } from './fuzz-config';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/pandoc-oracle');
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.md')).sort().map((name) => readFileSync(path.join(FIXTURES, name), 'utf8'));
/** Every fixture after the first loses its front matter by being mid-document; the mix is what matters here. */
const combined = fixtures.join('\n\n');

/** What a scan found (its packed numbers may sit anywhere in the shared slabs). */
function found(result: ReturnType<typeof scanPandocCitations>) {
  return { citations: result.value.citations, crossRefs: result.value.crossRefs, diagnostics: result.diagnostics };
}

async function sliced(text: string): Promise<{ result: ReturnType<typeof scanPandocCitations>; yields: number }> {
  let yields = 0;
  const result = await scanPandocCitationsSliced(text, async () => void yields++, 0);
  return { result, yields };
}

describe('sliced Pandoc scan', function () {
  this.timeout(60_000);

  it('equals the one-call scan on every oracle fixture and on all of them in one document', async () => {
    assert.ok(fixtures.length >= 15);
    for (const text of [...fixtures, combined]) assert.deepStrictEqual(found((await sliced(text)).result), found(scanPandocCitations(text)));
  });

  it('yields after each paragraph when out of time, and the citations span the whole document', async () => {
    const { result, yields } = await sliced(combined);
    // A yield between every two paragraphs: none after the last, which finishes the scan.
    assert.equal(yields, markdownLayout(combined).paragraphs.length - 1);
    assert.ok(yields > 40);
    const citations = result.value.citations;
    assert.ok(citations.length > 100);
    assert.ok(citations[citations.length - 1].span.start > combined.length / 2);
  });

  it('equals the one-call scan on mutated documents', async () => {
    const edit = fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.constantFrom('\n\n', '```\n', '[@', ']', '@', '<!--', '-->', '`', '$', '\n    ', '---\n'));
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async (edits) => {
        let text = combined;
        for (const [at, length, token] of edits) {
          const p = at % (text.length + 1);
          text = text.slice(0, p) + token + text.slice(p + length);
        }
        assert.deepStrictEqual(found((await sliced(text)).result), found(scanPandocCitations(text)));
      }),
      fuzzParameters(40),
    );
  });

  it('finishes at once on empty text', async () => {
    const { result, yields } = await sliced('');
    assert.deepStrictEqual(found(result), found(scanPandocCitations('')));
    assert.equal(yields, 0);
  });
});
