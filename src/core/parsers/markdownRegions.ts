// Block structure of a Pandoc Markdown document, as far as citation scanning needs it: which runs of lines
// hold inline text (paragraphs, headings, list items, quotes) and which are code, metadata or link
// definitions. One pass over the lines plus a per-line fence table; never throws, linear except for
// unclosed fences (bounded by the number of fence lines squared, see `findFenceClose`).

import type { Span } from '../model';

/** The example labels of a document without example lists: one shared, empty map. */
export const NO_EXAMPLE_LABELS: ReadonlyMap<string, number> = new Map();

export interface MarkdownLayout {
  /** Runs of inline text in document order; code blocks, frontmatter, title blocks and link definitions are left out. */
  paragraphs: Span[];
  /**
   * Labels of example-list items (`(@good)`, `@good.`) with the offset of their first definition: pandoc
   * renders `@good` as the example's number, not as a citation.
   */
  exampleLabels: ReadonlyMap<string, number>;
  /**
   * Start of the first fence line that nothing closes, or -1. Pandoc reads such a line as text, but while
   * someone types a code block the closing fence is simply not written yet, so editors treat the rest as code.
   */
  firstUnclosedFence: number;
}

const TAB_STOP = 4;
const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const BACKTICK = 96;
const TILDE = 126;
const GT = 62;

interface Lines {
  count: number;
  start: Int32Array;
  /** End of the line's content, before its line break. */
  end: Int32Array;
  /** First character after blockquote markers and indentation. */
  content: Int32Array;
  /** Indentation column of `content`, tabs expanded to the tab stop, after blockquote markers. */
  indent: Int32Array;
  /** Fence character (backtick or tilde) opening the line, 0 if none. */
  fenceChar: Int32Array;
  fenceLen: Int32Array;
  /** Whether the line is only a fence run (so it can close a block). */
  fenceBare: Uint8Array;
  /** Blockquote depth (number of `>` markers, at most 255). */
  quote: Uint8Array;
}

/** Line tables of small documents are reused: indexing thousands of notes would otherwise allocate 7 arrays each. */
const POOLED_LINES = 1 << 16;
let linePool: Lines | undefined;

function lineArrays(count: number): Lines {
  if (linePool && linePool.start.length >= count) {
    linePool.count = count;
    return linePool;
  }
  const capacity = count <= POOLED_LINES ? Math.min(POOLED_LINES, Math.max(count, 256, (linePool?.start.length ?? 0) * 2)) : count;
  const lines: Lines = {
    count,
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
    content: new Int32Array(capacity),
    indent: new Int32Array(capacity),
    fenceChar: new Int32Array(capacity),
    fenceLen: new Int32Array(capacity),
    fenceBare: new Uint8Array(capacity),
    quote: new Uint8Array(capacity),
  };
  // Safe to share: layouts are computed synchronously and never nested.
  if (capacity <= POOLED_LINES) linePool = lines;
  return lines;
}

function splitLines(text: string): Lines {
  // Native searches find line breaks much faster than a char loop; lone CRs need the slow path.
  const hasCR = text.indexOf('\r') >= 0;
  let count = 1;
  if (hasCR) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
    }
  } else {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  }
  const lines = lineArrays(count);
  // A byte-order mark is not part of the first line (pandoc drops it, so `---` frontmatter still starts there).
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let n = 0; n < count; n++) {
    lines.start[n] = pos;
    let end: number;
    if (hasCR) {
      end = pos;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (c === LF || c === CR) break;
        end++;
      }
    } else {
      end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
    }
    lines.end[n] = end;
    describeLine(text, lines, n, pos, end);
    pos = end;
    if (text.charCodeAt(pos) === CR) pos++;
    if (text.charCodeAt(pos) === LF) pos++;
  }
  return lines;
}

function describeLine(text: string, lines: Lines, n: number, start: number, end: number): void {
  lines.fenceChar[n] = 0;
  lines.fenceLen[n] = 0;
  lines.fenceBare[n] = 0;
  let i = start;
  let column = 0;
  let quote = 0;
  // Blockquote markers: up to three spaces, `>`, one optional space; repeated for nested quotes.
  for (;;) {
    let j = i;
    let spaces = 0;
    while (j < end && text.charCodeAt(j) === SPACE && spaces < 3) {
      j++;
      spaces++;
    }
    if (j < end && text.charCodeAt(j) === GT) {
      i = j + 1;
      if (i < end && text.charCodeAt(i) === SPACE) i++;
      column = 0;
      if (quote < 255) quote++;
    } else break;
  }
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE) column++;
    else if (c === TAB) column += TAB_STOP - (column % TAB_STOP);
    else break;
    i++;
  }
  lines.content[n] = i;
  lines.indent[n] = column;
  lines.quote[n] = quote;
  const c = text.charCodeAt(i);
  if (c === BACKTICK || c === TILDE) {
    let j = i;
    while (j < end && text.charCodeAt(j) === c) j++;
    const len = j - i;
    if (len >= 3) {
      let bare = true;
      let backtickInInfo = false;
      for (let k = j; k < end; k++) {
        const d = text.charCodeAt(k);
        if (d !== SPACE && d !== TAB) bare = false;
        if (d === BACKTICK) backtickInInfo = true;
      }
      // A backtick fence's info string may not contain backticks (it would be inline code).
      if (!(c === BACKTICK && backtickInInfo)) {
        lines.fenceChar[n] = c;
        lines.fenceLen[n] = len;
      }
      lines.fenceBare[n] = bare ? 1 : 0;
    }
  }
}

function isBlank(lines: Lines, n: number): boolean {
  return lines.content[n] >= lines.end[n];
}

function isFenceLine(text: string, lines: Lines, n: number, chars: string): boolean {
  const s = lines.start[n];
  const e = lines.end[n];
  if (e - s < 3 || text.slice(s, s + 3) !== chars) return false;
  for (let i = s + 3; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) return false;
  }
  return true;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/uy;

const ROMAN = /^(?:[ivxlcdm]+|[IVXLCDM]+)$/;

/** Pandoc's ordered-list numbers: digits, `#`, one letter, or a roman numeral. */
function isListNumber(label: string): boolean {
  if (/^[0-9]{1,9}$/.test(label) || label === '#') return true;
  return /^[A-Za-z]$/.test(label) || (label.length <= 8 && ROMAN.test(label));
}

/**
 * End of a list marker at `i` (bullet, ordered, or a definition list's `:`/`~`), before the space that
 * must follow it; 0 if there is none.
 */
function listMarkerEnd(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  let j = i;
  if (c === 42 || c === 43 || c === 45 || c === 58 || c === TILDE) j = i + 1; // * + - : ~
  else {
    const paren = c === 40;
    if (paren) j++;
    const labelStart = j;
    while (j < end && j - labelStart < 10) {
      const d = text.charCodeAt(j);
      if ((d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 35) j++;
      else break;
    }
    // The delimiter first: it rules out nearly every line of prose without cutting its first word out.
    const delim = text.charCodeAt(j);
    if (j === labelStart || !(delim === 41 || (!paren && delim === 46)) || !isListNumber(text.slice(labelStart, j))) return 0;
    j++;
  }
  if (j >= end) return j;
  const after = text.charCodeAt(j);
  return after === SPACE || after === TAB ? j : 0;
}

/** Example-list marker `(@label)`, `@label)` or `@label.` at `i`: returns [label, end] or undefined. */
function exampleMarker(text: string, i: number, end: number): [string, number] | undefined {
  let j = i;
  const paren = text.charCodeAt(j) === 40;
  if (paren) j++;
  if (text.charCodeAt(j) !== 64) return undefined;
  j++;
  const labelStart = j;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c === 95 || c === 45 || (c < 128 && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)))) {
      j++;
      continue;
    }
    if (c >= 128) {
      LETTER_OR_DIGIT.lastIndex = j;
      if (LETTER_OR_DIGIT.test(text)) {
        j += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
        continue;
      }
    }
    break;
  }
  const label = text.slice(labelStart, j);
  const delim = text.charCodeAt(j);
  if (!(delim === 41 || (!paren && delim === 46))) return undefined;
  j++;
  if (j < end && text.charCodeAt(j) !== SPACE && text.charCodeAt(j) !== TAB) return undefined;
  return [label, j];
}

/** A reference link definition `[label]: destination` (footnote definitions `[^1]:` hold text and are not). */
function isLinkDefinition(text: string, i: number, end: number): boolean {
  if (text.charCodeAt(i) !== 91 || text.charCodeAt(i + 1) === 94) return false;
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    // pandoc reads `[@key]: …` as a citation, not a definition.
    if (c === 64 || c === 91) return false;
    if (c === 92) j++;
    else if (c === 93) return j > i + 1 && text.charCodeAt(j + 1) === 58;
  }
  return false;
}

type ListKind = 'bullet' | 'ordered' | 'example' | 'definition';

/** A setext heading underline: only `=` or only `-` characters, indented at most three spaces. */
function isSetextUnderline(text: string, lines: Lines, n: number): boolean {
  const start = lines.content[n];
  const end = lines.end[n];
  if (lines.indent[n] >= TAB_STOP || start >= end) return false;
  const c = text.charCodeAt(start);
  if (c !== 61 && c !== 45) return false;
  let i = start;
  while (i < end && text.charCodeAt(i) === c) i++;
  while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  return i === end;
}

function isAtxHeading(text: string, i: number, end: number): boolean {
  let j = i;
  while (j < end && text.charCodeAt(j) === 35 && j - i < 7) j++;
  const level = j - i;
  return level >= 1 && level <= 6 && (j === end || text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB);
}

export function markdownLayout(text: string): MarkdownLayout {
  const lines = splitLines(text);
  const paragraphs: Span[] = [];
  // Made on the first example label: most documents have none, and a Map per document added up over a cold index.
  let exampleLabels: Map<string, number> | undefined;
  // Smallest fence length, for backticks and for tildes, known to have no closing fence further down (see
  // findFenceClose).
  let unclosedBacktickFence = Infinity;
  let unclosedTildeFence = Infinity;

  const findFenceClose = (open: number): number => {
    const c = lines.fenceChar[open];
    const len = lines.fenceLen[open];
    if (len >= (c === BACKTICK ? unclosedBacktickFence : unclosedTildeFence)) return -1;
    for (let n = open + 1; n < lines.count; n++) {
      if (lines.fenceChar[n] === c && lines.fenceLen[n] >= len && lines.fenceBare[n]) return n;
    }
    if (c === BACKTICK) unclosedBacktickFence = len;
    else unclosedTildeFence = len;
    return -1;
  };

  let n = 0;
  // YAML frontmatter: `---` on the first line, not followed by a blank line, closed by `---` or `...`.
  if (lines.count > 1 && isFenceLine(text, lines, 0, '---') && !isBlank(lines, 1)) {
    for (let k = 1; k < lines.count; k++) {
      if (isFenceLine(text, lines, k, '---') || isFenceLine(text, lines, k, '...')) {
        n = k + 1;
        break;
      }
    }
  } else if (text.charCodeAt(0) === 37) {
    // Pandoc title block: `%` lines (and their indented continuations) are metadata.
    while (n < lines.count && !isBlank(lines, n)) {
      const first = text.charCodeAt(lines.start[n]);
      if (first !== 37 && first !== SPACE && first !== TAB) break;
      n++;
    }
  }

  let paraStart = -1;
  let paraEnd = -1;
  const closeParagraph = () => {
    if (paraStart >= 0) paragraphs.push({ start: paraStart, end: paraEnd });
    paraStart = -1;
  };
  const addText = (start: number, end: number) => {
    if (paraStart < 0) paraStart = start;
    paraEnd = end;
  };

  let firstUnclosedFence = -1;
  let previousBlank = true;
  let inList = false;
  let listKind: ListKind = 'bullet';
  let listQuote = 0;
  let listContentColumn = 0;
  for (; n < lines.count; n++) {
    const start = lines.start[n];
    const end = lines.end[n];
    const content = lines.content[n];
    const indent = lines.indent[n];
    if (content >= end) {
      closeParagraph();
      previousBlank = true;
      continue;
    }
    const blockStart = previousBlank || paraStart < 0;
    // A list ends at an unindented paragraph after a blank line, or with the blockquote it was opened in.
    if (inList && previousBlank && indent < listContentColumn && indent < TAB_STOP && !listMarkerEnd(text, content, end)) {
      inList = false;
    }
    if (inList && previousBlank && lines.quote[n] < listQuote) inList = false;
    const codeIndent = (inList ? listContentColumn : 0) + TAB_STOP;
    if (blockStart && indent >= codeIndent) {
      // Indented code runs until a non-blank line indented less than the code indentation.
      closeParagraph();
      let k = n + 1;
      while (k < lines.count && (isBlank(lines, k) || lines.indent[k] >= codeIndent)) k++;
      n = k - 1;
      previousBlank = isBlank(lines, n);
      continue;
    }
    if (lines.fenceChar[n]) {
      const close = findFenceClose(n);
      if (close >= 0) {
        closeParagraph();
        n = close;
        previousBlank = false;
        continue;
      }
      if (firstUnclosedFence < 0) firstUnclosedFence = start;
    }
    if (blockStart && indent < TAB_STOP && isLinkDefinition(text, content, end)) {
      closeParagraph();
      previousBlank = false;
      continue;
    }
    let textStart = start;
    const first = text.charCodeAt(content);
    const markerEnd = indent < TAB_STOP || inList ? listMarkerEnd(text, content, end) : 0;
    const example = indent < TAB_STOP || inList ? exampleMarker(text, content, end) : undefined;
    const kind: ListKind | undefined = example
      ? 'example'
      : !markerEnd
        ? undefined
        : first === 42 || first === 43 || first === 45
          ? 'bullet'
          : first === 58 || first === TILDE
            ? 'definition'
            : 'ordered';
    // Inside a list item's paragraph any list marker starts a (nested) item; definitions only hold text.
    const itemStarts = kind !== undefined && (blockStart || kind === 'definition' || (inList && listKind !== 'definition'));
    // pandoc tries bullet lists before headings and headings before every other list.
    if (
      blockStart &&
      indent < TAB_STOP &&
      // Bullet items are read before headings, other lists after them, but an ongoing list takes its next item.
      !(itemStarts && (kind === 'bullet' || inList)) &&
      n + 1 < lines.count &&
      // A lazy line (outside the quote the text is in) cannot underline it.
      lines.quote[n + 1] === lines.quote[n] &&
      isSetextUnderline(text, lines, n + 1)
    ) {
      closeParagraph();
      addText(start, end);
      closeParagraph();
      n++;
      inList = false;
      previousBlank = false;
      continue;
    }
    if (itemStarts) {
      closeParagraph();
      inList = true;
      listKind = kind;
      listQuote = lines.quote[n];
      if (example) {
        exampleLabels ??= new Map();
        if (!exampleLabels.has(example[0])) exampleLabels.set(example[0], content);
        textStart = example[1];
        listContentColumn = indent + (example[1] - content) + 1;
      } else {
        // Markers can nest on one line (`- 1. text`); the innermost item decides the content column.
        let markerStart = content;
        let marker = markerEnd;
        let column = indent;
        for (;;) {
          let after = marker;
          while (after < end && (text.charCodeAt(after) === SPACE || text.charCodeAt(after) === TAB)) after++;
          const gap = after - marker;
          column += marker - markerStart + (gap >= 1 && gap <= 4 && after < end ? gap : 1);
          const nested = after < end && gap >= 1 && gap <= 4 ? listMarkerEnd(text, after, end) : 0;
          if (!nested || text.charCodeAt(after) === 58 || text.charCodeAt(after) === TILDE) break;
          markerStart = after;
          marker = nested;
        }
        listContentColumn = column;
      }
    }
    if (isAtxHeading(text, content, end)) {
      // A heading is one line of inline text; it never continues into the next line.
      closeParagraph();
      addText(textStart, end);
      closeParagraph();
    } else addText(textStart, end);
    previousBlank = false;
  }
  closeParagraph();
  return { paragraphs, exampleLabels: exampleLabels ?? NO_EXAMPLE_LABELS, firstUnclosedFence };
}
