// A sliced analysis gathers a large document's distinct cited keys in slices; what it contributes to the index
// must be exactly what the one-call analysis contributes.
import * as assert from 'node:assert/strict';
import { analyzeDocument, analyzeDocumentSliced, contributionsOf, type DocumentParsers } from '../../src/core/index/analyze';
import { defaultParsers } from '../../src/core/index/defaultParsers';
import { defaultConfig } from '../../src/core/workspace';

describe('sliced analysis: cited keys', () => {
  it('contributes the same keys in the same order as the one-call analysis, and yields after the scan too', async () => {
    const paragraphs = Array.from({ length: 3000 }, (_, i) => `Claim ${i} cites [@k${(i * 7) % 1300}; @k${i % 977}] and @K${i % 5}.\n\n`);
    const markdown = `---\ntitle: Review\n---\n${paragraphs.join('')}`;
    const latex = paragraphs.map((_, i) => `Claim ${i} \\cite{k${(i * 7) % 1300},k${i % 977}}.\n\n`).join('');
    for (const [kind, text] of [['markdown', markdown], ['latex', latex]] as const) {
      let scanned = false;
      let yieldsAfterScan = 0;
      const parsers: DocumentParsers = {
        ...defaultParsers,
        scanPandocCitationsSliced: (t, y, ms) => defaultParsers.scanPandocCitationsSliced!(t, y, ms).finally(() => (scanned = true)),
        scanLatexCitationsSliced: (t, y, ms) => defaultParsers.scanLatexCitationsSliced!(t, y, ms).finally(() => (scanned = true)),
      };
      const sliced = await analyzeDocumentSliced('mem:///r', kind, text, text.length, defaultConfig, parsers, async () => void (scanned && yieldsAfterScan++), 0);
      const whole = analyzeDocument('mem:///r', kind, text, text.length, defaultConfig, defaultParsers);
      assert.ok(sliced.citedKeys && sliced.citedKeys.length > 1000, `${kind}: ${sliced.citedKeys?.length} keys gathered in slices`);
      assert.deepEqual(contributionsOf(sliced), contributionsOf(whole));
      assert.ok(yieldsAfterScan >= 4, `${kind}: ${yieldsAfterScan} yields after the scan`);
    }
  });
});
