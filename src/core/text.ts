// Offset ↔ line/character conversion, built once per text.
import { forEachChunkSliced } from './timeSlice';

/** Index of the last of the ascending `sorted` at or before `at` (0 when none is). */
export function lastAtOrBefore(sorted: ArrayLike<number>, at: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

/** The first character code of the pieces after piece `k`, NaN when they are all empty. */
function firstCharAfter(pieces: readonly string[], k: number): number {
  for (let j = k + 1; j < pieces.length; j++) if (pieces[j].length > 0) return pieces[j].charCodeAt(0);
  return NaN;
}

/**
 * Appends the starts of the lines that begin in `pieces[k]` (whose first character is at `base`) to `starts`.
 * `\n`, `\r\n` and a lone `\r` all end a line, as in VS Code.
 */
function addLineStarts(pieces: readonly string[], k: number, base: number, starts: number[]): void {
  const piece = pieces[k];
  if (!piece.includes('\r')) {
    // The native search is several times faster than a character loop: a 30 MB bibliography's map took
    // 60-85 ms in the extension host, one uninterrupted block.
    for (let i = piece.indexOf('\n'); i >= 0; i = piece.indexOf('\n', i + 1)) starts.push(base + i + 1);
    return;
  }
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c === 10) starts.push(base + i + 1);
    // A `\r` ending a piece whose next piece starts with `\n` is half of one `\r\n`: the `\n` ends the line.
    else if (c === 13 && (i + 1 < piece.length ? piece.charCodeAt(i + 1) : firstCharAfter(pieces, k)) !== 10) {
      starts.push(base + i + 1);
    }
  }
}

/** A large text's line map is built in pieces of this many characters by `LineMap.sliced`. */
const SLICED_PIECE = 256 * 1024;

/**
 * Line starts of a text; `\n`, `\r\n` and a lone `\r` all end a line, as in VS Code. The text may come as
 * pieces (a large bibliography parsed piece by piece), which are never joined into one string.
 */
export class LineMap {
  private readonly starts: number[];
  private readonly pieces: readonly string[];
  /** Offset of each piece's first character in the whole text. */
  private readonly pieceStarts: number[];
  private readonly length: number;

  /** `starts`: the line starts of exactly this text, when `LineMap.sliced` has already found them. */
  constructor(text: string | readonly string[], starts?: number[]) {
    const pieces = typeof text === 'string' ? [text] : text;
    const pieceStarts: number[] = [];
    let base = 0;
    for (const piece of pieces) {
      pieceStarts.push(base);
      base += piece.length;
    }
    if (!starts) {
      starts = [0];
      for (let k = 0; k < pieces.length; k++) addLineStarts(pieces, k, pieceStarts[k], starts);
    }
    this.starts = starts;
    this.pieces = pieces;
    this.pieceStarts = pieceStarts;
    this.length = base;
  }

  /**
   * The line map of a large text, built a piece at a time with `yieldNow` awaited whenever `sliceMs` have passed:
   * a 5 MB review's map took 64 ms in one block in the extension host, on the first code lens after a rebuild.
   */
  static async sliced(text: string | readonly string[], yieldNow: () => Promise<void>, sliceMs: number): Promise<LineMap> {
    const pieces: readonly string[] = typeof text !== 'string' ? text
      : Array.from({ length: Math.max(1, Math.ceil(text.length / SLICED_PIECE)) }, (_, k) => text.slice(k * SLICED_PIECE, (k + 1) * SLICED_PIECE));
    const starts = [0];
    let base = 0;
    const addPiece = (k: number) => {
      addLineStarts(pieces, k, base, starts);
      base += pieces[k].length;
    };
    await forEachChunkSliced(pieces.length, 1, addPiece, yieldNow, sliceMs);
    return new LineMap(pieces, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    const line = lastAtOrBefore(this.starts, clamped);
    return { line, character: clamped - this.starts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.length;
    const start = this.starts[position.line];
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  /** The text of a 0-based line without its line ending. */
  lineText(line: number): string {
    const start = this.starts[line] ?? this.length;
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.length;
    return this.slice(start, next).replace(/\r?\n$|\r$/, '');
  }

  /** The text from `start` to `end`, from whichever pieces hold it. */
  private slice(start: number, end: number): string {
    const pieceStarts = this.pieceStarts;
    let text = '';
    for (let k = lastAtOrBefore(pieceStarts, start); k < this.pieces.length && pieceStarts[k] < end; k++) {
      text += this.pieces[k].slice(Math.max(0, start - pieceStarts[k]), end - pieceStarts[k]);
    }
    return text;
  }
}
