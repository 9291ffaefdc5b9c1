// The piecewise BibTeX parse (parseBibtexPieces) must give exactly the one-string parse's entries, spans and
// diagnostics however its input is chunked, and its pieces must join to the text: chunk ends inside entries,
// inside multi-byte characters and inside `\r\n`, @string macros defined in one piece and used in another,
// broken entries and comments that run across many chunks.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseBibtex, parseBibtexPieces, type BibtexPiecesResult } from '../../src/core/parsers/bibtex';
import { lineBreakOf, utf8Chunks } from '../../src/core/utf8Chunks';
import { BIB_FIXTURES, generatedBib, mutatedBib } from './bib-inputs';
import { fuzzParameters } from './fuzz-config';
const encoder = new TextEncoder();

/** Parses `text` from its UTF-8 bytes, `chunkBytes` at a time, yielding at every chance (a zero slice). */
async function piecewise(text: string, chunkBytes: number, keysOnly = false): Promise<BibtexPiecesResult & { yields: number }> {
  const bytes = encoder.encode(text);
  let yields = 0;
  const result = await parseBibtexPieces(utf8Chunks(bytes, chunkBytes), { keysOnly, lineBreak: lineBreakOf(bytes) }, async () => void yields++, 0);
  return { ...result, yields };
}

/** Parses `text` handed over as the chunks between `cuts` (character offsets). */
async function cutAt(text: string, cuts: number[]): Promise<BibtexPiecesResult> {
  const ends = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks = [...ends, text.length].map((end, i) => text.slice(i === 0 ? 0 : ends[i - 1], end));
  let next = 0;
  return parseBibtexPieces(() => chunks[next++], { lineBreak: lineBreakOf(encoder.encode(text)) }, async () => {}, 0);
}

function assertSame(text: string, result: BibtexPiecesResult, keysOnly = false): void {
  assert.equal(result.pieces.join(''), text);
  assert.deepStrictEqual(result.parse, parseBibtex(text, { keysOnly }));
}

async function assertSameChunked(text: string): Promise<void> {
  for (const chunkBytes of [1, 2, 3, 5, 17, 64, 1 << 20]) {
    for (const keysOnly of [false, true]) assertSame(text, await piecewise(text, chunkBytes, keysOnly), keysOnly);
  }
}

describe('piecewise BibTeX parse', function () {
  this.timeout(120_000);

  it('equals the one-string parse on the fixtures, decoded a few bytes at a time', async () => {
    for (const text of BIB_FIXTURES) await assertSameChunked(text);
  });

  it('cuts the text into more than one piece, each ending before an entry', async () => {
    for (const chunkBytes of [1, 64]) {
      const { pieces } = await piecewise(BIB_FIXTURES[0], chunkBytes);
      assert.ok(pieces.length > 5, `only ${pieces.length} pieces from ${chunkBytes}-byte chunks`);
      for (const piece of pieces.slice(1)) assert.match(piece, /^[ \t]*@/);
    }
  });

  it('expands a macro defined in one piece where a later piece uses it', async () => {
    const filler = Array.from({ length: 50 }, (_, i) => `@misc{f${i}, note = {filler ${i}}}\n`).join('');
    const text = `@string{venue = {Journal of Ünïcode}}\n${filler}@article{late, journal = venue # { Letters}}\n`;
    const result = await piecewise(text, 16);
    assertSame(text, result);
    const late = result.parse.value.find((e) => e.key === 'late');
    assert.equal(late?.fields?.journal, 'Journal of Ünïcode Letters');
    const pieceOf = (offset: number) => result.pieces.findIndex((_, i) => result.pieces.slice(0, i + 1).join('').length > offset);
    assert.ok(pieceOf(text.indexOf('@article{late')) > pieceOf(0));
  });

  it('gives exact spans and diagnostics for broken entries and comments across chunk ends', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => `@article{k${i},\n  title = {Tïtle ${i}},\n}\n`).join('');
    for (const text of [
      `@article{open,\n  title = {never closed\n${entries}`,
      `@comment{ holds entries\n${entries}}\n${entries}`,
      `@comment{ never closed\n${entries}`,
      `@preamble{"never closed\n${entries}`,
      `${entries}@misc{q, note = "open}\n${entries}@article{k3, title = {duplicate}}\n`,
      `${entries}@article{tail, title = {cut`,
    ]) {
      for (const chunkBytes of [1, 7, 40, 333]) assertSame(text, await piecewise(text, chunkBytes));
    }
  });

  it('keeps characters split between chunks whole', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `@misc{m${i}, title = {😀 é — 中文 ${i}}}\n`).join('');
    for (const chunkBytes of [1, 2, 3, 4, 5, 6, 7]) assertSame(text, await piecewise(text, chunkBytes));
  });

  it('handles CRLF and CR-only files with chunk ends between \\r and \\n', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => `@article{k${i},\n  title = {T ${i}\n}\n`).join('');
    for (const text of [entries.replace(/\n/g, '\r\n'), entries.replace(/\n/g, '\r'), `${entries.replace(/\n/g, '\r')}\n`]) {
      for (const chunkBytes of [1, 2, 9, 50]) assertSame(text, await piecewise(text, chunkBytes));
    }
  });

  it('equals the one-string parse on generated files, however they are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(generatedBib, fc.array(fc.nat(), { maxLength: 12 }), async (text, cuts) => assertSame(text, await cutAt(text, cuts))),
      fuzzParameters(300),
    );
  });

  it('equals the one-string parse on mutated fixtures and arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBib, fc.array(fc.nat(), { maxLength: 20 }), async (text, cuts) => assertSame(text, await cutAt(text, cuts))),
      fuzzParameters(100),
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(fc.nat(), { maxLength: 20 }), async (text, cuts) => assertSame(text, await cutAt(text, cuts))),
      fuzzParameters(100),
    );
  });

  it('yields between slices, and reads empty text as no pieces', async () => {
    const text = Array.from({ length: 300 }, (_, i) => `@article{k${i}, title = {T${i}}, crossref = {k${(i * 7) % 300}}}\n`).join('');
    const { yields, parse } = await piecewise(text, 256);
    assert.ok(yields > 10, `only ${yields} yields`);
    assert.equal(parse.value[1].fields?.crossref, 'k7');
    const empty = await piecewise('', 64);
    assert.deepStrictEqual([empty.parse, empty.pieces], [{ value: [], diagnostics: [] }, []]);
  });
});
