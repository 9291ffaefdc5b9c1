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
});
