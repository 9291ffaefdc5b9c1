// LineMap takes a fast path for texts without carriage returns; both paths must give the line starts and
// positions of the plain definition (`\n`, `\r\n` and a lone `\r` each end a line).
import * as assert from 'node:assert/strict';
import { LineMap } from '../../src/core/text';

/** Line starts by the definition, one character at a time. */
function referenceStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') starts.push(++i + 1);
    else if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
  }
  return starts;
}

function randomText(seed: number, alphabet: string[], length: number): string {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[next() % alphabet.length];
  return text;
}

function assertAgrees(text: string): void {
  const map = new LineMap(text);
  const starts = referenceStarts(text);
  assert.equal(map.lineCount, starts.length, JSON.stringify(text));
  for (let line = 0; line < starts.length; line++) {
    assert.equal(map.offsetAt({ line, character: 0 }), starts[line], `line ${line} of ${JSON.stringify(text)}`);
    assert.deepEqual(map.positionAt(starts[line]), { line, character: 0 });
  }
  for (let offset = 0; offset <= text.length; offset++) {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    assert.deepEqual(map.positionAt(offset), { line, character: offset - starts[line] }, `offset ${offset} of ${JSON.stringify(text)}`);
  }
}

/** The same text cut into pieces at `cuts` (empty pieces included): the map must not see the cuts. */
function assertPiecesAgree(text: string, cuts: number[]): void {
  const ends = cuts.map((c) => c % (text.length + 1)).sort((a, b) => a - b);
  const pieces = [...ends, text.length].map((end, i) => text.slice(i === 0 ? 0 : ends[i - 1], end));
  const whole = new LineMap(text);
  const split = new LineMap(pieces);
  const label = JSON.stringify(pieces);
  assert.equal(split.lineCount, whole.lineCount, label);
  for (let line = 0; line <= whole.lineCount; line++) {
    assert.equal(split.offsetAt({ line, character: 3 }), whole.offsetAt({ line, character: 3 }), label);
    if (line < whole.lineCount) assert.equal(split.lineText(line), whole.lineText(line), label);
  }
  for (let offset = -1; offset <= text.length + 1; offset++) assert.deepEqual(split.positionAt(offset), whole.positionAt(offset), label);
}

describe('LineMap', () => {
  it('agrees with the definition on edge texts', () => {
    for (const text of ['', '\n', '\n\n', 'a', 'a\n', '\na', 'a\nb\n\nc', '\r', '\r\n', '\n\r', '\r\r\n', 'a\r\nb\rc\nd', '€\n😀\nx']) assertAgrees(text);
  });

  it('agrees with the definition on generated texts, with and without carriage returns', () => {
    for (let seed = 1; seed <= 200; seed++) {
      assertAgrees(randomText(seed, ['a', 'b', ' ', '\n', 'é', '😀'], 1 + (seed % 60)));
      assertAgrees(randomText(seed, ['a', '\n', '\r', '\r\n', 'é'], 1 + (seed % 60)));
    }
  });

  it('reads a text in pieces as the same text whole, with cuts inside \\r\\n and empty pieces', () => {
    for (const text of ['', 'a\r\nb', '\r\n\r\n', 'ab\ncd\ref\r\n']) {
      for (let cut = 0; cut <= text.length; cut++) assertPiecesAgree(text, [cut, cut, text.length]);
    }
    for (let seed = 1; seed <= 200; seed++) {
      const text = randomText(seed, ['a', '\n', '\r', '\r\n', 'é', '😀'], 1 + (seed % 60));
      assertPiecesAgree(text, [seed * 7, seed * 13, seed * 31, seed]);
      assertPiecesAgree(text.replace(/\r/g, ''), [seed * 5, seed * 11]);
    }
  });

  it('is built in slices (LineMap.sliced) the same as in one go, for a text cut into its pieces at \r\n', async () => {
    // Over 256 K characters, so the text is cut into pieces, with a `\r\n` straddling the first cut.
    const text = 'x'.repeat(256 * 1024 - 1) + '\r\n' + randomText(7, ['a', '\n', '\r', '\r\n', '😀'], 300_000);
    for (const input of [text, [text.slice(0, 1000), text.slice(1000)], '', 'a\r\nb']) {
      let yields = 0;
      const sliced = await LineMap.sliced(input, async () => void yields++, 0);
      const whole = new LineMap(input);
      const full = typeof input === 'string' ? input : input.join('');
      assert.equal(sliced.lineCount, whole.lineCount);
      for (let line = 0; line < whole.lineCount; line += 97) {
        assert.equal(sliced.offsetAt({ line, character: 0 }), whole.offsetAt({ line, character: 0 }));
        assert.equal(sliced.lineText(line), whole.lineText(line));
      }
      for (let offset = 0; offset <= full.length; offset += 1009) assert.deepEqual(sliced.positionAt(offset), whole.positionAt(offset));
      if (full.length > 256 * 1024) assert.ok(yields > 0);
    }
  });
});
