// Pandoc Markdown citation scanner. Follows pandoc's `citations` extension as pandoc itself parses it
// (test/unit/pandoc-oracle.test.ts checks against /usr/bin/pandoc): bracketed groups `[see @a, p. 3; -@b]`,
// in-text `@a` and `@a [p. 3]`, braced keys `@{…}`, and everything that hides `@` from pandoc (code,
// math, raw HTML and LaTeX, comments, link destinations, autolinks, escapes, e-mail addresses, metadata).
//
// One forward pass over char codes. Constructs that need a partner further on (code span closers, brackets,
// parens, braces) are answered from per-paragraph tables built once, so every lookup is O(1) and the scan
// stays linear on hostile input; bracketed-group attempts are additionally memoised and budgeted.

import type { CitationMode, CitationScan, CoreDiagnostic, CrossRef, ParseResult, Span } from '../model';
import {
  AsciiCharSet,
  CharSetSearch,
  crossRefKind,
  EnvironmentEnds,
  exactLength,
  ForwardSearch,
  MAX_CITATIONS,
  splitLocator,
  tooManyCitations,
} from './citationText';
import { markdownLayout, NO_EXAMPLE_LABELS } from './markdownRegions';
import { CitationPacker, PackedCitationScan } from './packedCitations';

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const DOLLAR = 36;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const DASH = 45;
const DOT = 46;
const SEMI = 59;
const LT = 60;
const GT = 62;
const AT = 64;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const CARET = 94;
const UNDERSCORE = 95;
const BACKTICK = 96;
const LBRACE = 123;
const RBRACE = 125;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/uy;
const WHITESPACE = /\s/uy;

/** Characters pandoc allows inside a key when a letter, digit or `_` follows. */
function isInternalPunctuation(c: number): boolean {
  return (
    c === 58 || c === DOT || c === 35 || c === DOLLAR || c === 37 || c === 38 || c === DASH || c === 43 ||
    c === 63 || c === LT || c === GT || c === 126 || c === 47
  );
}

function isAsciiPunctuation(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Width (1 or 2 code units) of the letter or digit at `i`, 0 if it is neither. Unicode-aware like Haskell's isAlphaNum. */
function letterOrDigitWidth(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || isAsciiLetter(c) ? 1 : 0;
  if (Number.isNaN(c)) return 0;
  LETTER_OR_DIGIT.lastIndex = i;
  if (!LETTER_OR_DIGIT.test(text)) return 0;
  return c >= 0xd800 && c <= 0xdbff ? 2 : 1;
}

function keyCharWidth(text: string, i: number): number {
  return text.charCodeAt(i) === UNDERSCORE ? 1 : letterOrDigitWidth(text, i);
}

function isWhitespaceAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c === SPACE || c === TAB || c === LF || c === CR || c === 12 || c === 11;
  WHITESPACE.lastIndex = i;
  return WHITESPACE.test(text);
}

/** Whether the code point ending just before `i` is a letter or digit. */
function letterOrDigitBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) return letterOrDigitWidth(text, i - 2) === 2;
  return letterOrDigitWidth(text, i - 1) === 1;
}

/** End of a plain key starting at `i` (pandoc's citeKey), or `i` when no key starts there. */
function plainKeyEnd(text: string, i: number, end: number): number {
  let j = i;
  const first = keyCharWidth(text, j);
  if (!first) return i;
  j += first;
  while (j < end) {
    const w = keyCharWidth(text, j);
    if (w) {
      j += w;
      continue;
    }
    const c = text.charCodeAt(j);
    if (isInternalPunctuation(c) && j + 1 < end) {
      if (keyCharWidth(text, j + 1)) {
        j++;
        continue;
      }
      // `:` and `/` may also precede a `/`, so URLs such as `@https://x.org/a` stay whole.
      if ((c === 58 || c === 47) && text.charCodeAt(j + 1) === 47) {
        j++;
        continue;
      }
    }
    break;
  }
  return j;
}

interface KeyMatch {
  /** Where the citation starts: the `@`, or the `-` of `-@`. */
  start: number;
  at: number;
  keyStart: number;
  keyEnd: number;
  /** After the closing brace of a braced key. */
  end: number;
  suppressAuthor: boolean;
}

type GroupEvent =
  | { kind: 'item'; key: KeyMatch; prefixStart: number; prefixEnd: number; suffixStart: number; suffixEnd: number }
  | { kind: 'bare'; suffixStart: number; suffixEnd: number }
  | { kind: 'intext'; key: KeyMatch }
  | { kind: 'region'; start: number; end: number };

interface GroupAttempt {
  events: GroupEvent[];
  end: number;
}

/**
 * Partner tables for the current paragraph, indexed by offset from `base`; -1 where there is no partner.
 * The buffers are reused across paragraphs (documents have thousands of short ones).
 */
interface ParagraphTables {
  base: number;
  chainBuilt: boolean;
  rawBuilt: boolean;
  bracket: Int32Array;
  paren: Int32Array;
  brace: Int32Array;
  rawBracket: Int32Array;
  /** Start positions of maximal backtick runs, by run length, in order. */
  runs?: Map<number, number[]>;
}

/**
 * Table buffers up to this size are kept for the next document. A sliced scan keeps its own tables while it
 * waits, so scans interleaved with it take fresh ones.
 */
const POOLED_TABLE_LENGTH = 1 << 20;
let tablePool: ParagraphTables | undefined;

function takeTables(): ParagraphTables {
  const pooled = tablePool;
  tablePool = undefined;
  if (pooled) return pooled;
  const none = new Int32Array(0);
  return { base: 0, chainBuilt: false, rawBuilt: false, bracket: none, paren: none, brace: none, rawBracket: none };
}

function releaseTables(tables: ParagraphTables): void {
  tables.runs = undefined;
  const largest = Math.max(tables.bracket.length, tables.paren.length, tables.brace.length, tables.rawBracket.length);
  if (largest <= POOLED_TABLE_LENGTH) tablePool = tables;
}

/** `buffer` if it holds `length` entries, else a larger one; the first `length` entries are set to -1. */
function resetBuffer(buffer: Int32Array, length: number): Int32Array {
  const result = buffer.length >= length ? buffer : new Int32Array(Math.max(length, buffer.length * 2, 256));
  result.fill(-1, 0, length);
  return result;
}

/** The characters `scanInline` acts on (its switch cases); the rest of running text is skipped natively. */
const INLINE_CHARS = new AsciiCharSet('\\`$<@-*_[]');
/** The characters `buildChainTables` acts on. */
const CHAIN_CHARS = new AsciiCharSet('[]()\\`$<@');

const NO_LOCATOR: { locator?: string; suffix?: string } = {};

const ATTEMPT_BUDGET_FACTOR = 16;
const MAX_REGION_DEPTH = 32;

class PandocScanner {
  private readonly citations = new CitationPacker();
  readonly crossRefs: CrossRef[] = [];
  readonly diagnostics: CoreDiagnostic[] = [];
  /** Set when the citation limit is reached: the rest of the document is not scanned. */
  private stopped = false;
  private groupCount = 0;
  /** End of the key most recently read: `@a@b` holds two citations although `a` ends in a letter. */
  private lastKeyEnd = -1;
  /** The last key `scanKey` found: its `@` and its characters. */
  private scannedAt = 0;
  private scannedKeyStart = 0;
  private scannedKeyEnd = 0;
  /** End of the last closing emphasis delimiter. */
  private emphasisCloseEnd = -1;
  private paragraphEnd = 0;
  private tables: ParagraphTables = takeTables();
  /** Attempts from here to the paragraph end cannot close: a previous attempt ran out of paragraph. */
  private unclosedFrom = Infinity;
  private attemptBudget: number;
  private readonly search: ForwardSearch;
  private readonly inlineChars: CharSetSearch;
  private readonly chainChars: CharSetSearch;
  private whitespaceFinder = { from: Infinity, at: -1 };
  private backtickRunStart = -1;
  private backtickRunEnd = -1;
  private environmentEnds?: EnvironmentEnds;
  private exampleLabels: ReadonlyMap<string, number> = NO_EXAMPLE_LABELS;
  /** When set, `probeHit` records whether a citation could start at this `@` (completion context). */
  probe = -1;
  probeHit = false;

  constructor(private readonly text: string) {
    this.search = new ForwardSearch(text);
    this.inlineChars = new CharSetSearch(text, INLINE_CHARS);
    this.chainChars = new CharSetSearch(text, CHAIN_CHARS);
    this.attemptBudget = ATTEMPT_BUDGET_FACTOR * text.length + 100_000;
  }

  private paragraphs?: Span[];
  private nextParagraph = 0;
  private documentCursor = 0;

  /**
   * Scans the document's paragraphs until all are done (then true) or `deadline` (a `performance.now()` time)
   * has passed after one of them (then false; call again to go on).
   */
  scanDocument(deadline = Infinity): boolean {
    if (!this.paragraphs) {
      const layout = markdownLayout(this.text);
      this.exampleLabels = layout.exampleLabels;
      this.paragraphs = layout.paragraphs;
    }
    const paragraphs = this.paragraphs;
    while (this.nextParagraph < paragraphs.length && !this.stopped) {
      this.documentCursor = this.scanParagraph(paragraphs[this.nextParagraph++], this.documentCursor);
      if (deadline !== Infinity && this.nextParagraph < paragraphs.length && performance.now() >= deadline) return false;
    }
    this.finish();
    return true;
  }

  /**
   * Scans a paragraph from `cursor` (or its start); returns where scanning stopped, beyond the paragraph's
   * end when a comment or raw block runs on. Paragraphs must come in document order.
   */
  scanParagraph(paragraph: Span, cursor: number, exampleLabels: ReadonlyMap<string, number> = this.exampleLabels): number {
    if (paragraph.end <= cursor) return cursor;
    this.exampleLabels = exampleLabels;
    this.paragraphEnd = paragraph.end;
    const t = this.tables;
    t.base = paragraph.start;
    t.chainBuilt = false;
    t.rawBuilt = false;
    t.runs = undefined;
    this.unclosedFrom = Infinity;
    return this.scanInline(Math.max(cursor, paragraph.start), paragraph.end, 0);
  }

  /** What the scan found, in lists of their exact length. */
  result(): ParseResult<PackedCitationScan> {
    return { value: new PackedCitationScan(this.citations.finish(), exactLength(this.crossRefs)), diagnostics: this.diagnostics };
  }

  /** Hands the pooled tables back; the scanner is done. */
  finish(): void {
    releaseTables(this.tables);
  }

  // -------------------------------------------------------------------------------------------
  // Inline scanning

  /** Scans [start, end); returns where scanning stopped (beyond `end` when a comment or raw block runs on). */
  private scanInline(start: number, end: number, depth: number): number {
    const text = this.text;
    // `]` positions of links whose destination (or attribute block) must be skipped, innermost last.
    const linkCloses: number[] = [];
    const linkResumes: number[] = [];
    // Made on the first emphasis run: most paragraphs have none.
    let openEmphasis: Map<number, number> | undefined;
    let i = start;
    while (i < end && !this.stopped) {
      const c = text.charCodeAt(i);
      switch (c) {
        case BACKSLASH:
        case BACKTICK:
        case DOLLAR:
        case LT: {
          const after = this.atomEnd(i, end, depth === 0);
          if (after > end) return after;
          i = after;
          break;
        }
        case AT:
        case DASH: {
          const key = this.keyAt(i, end);
          if (!key) {
            i++;
            break;
          }
          i = this.inTextCitation(key, end);
          break;
        }
        case STAR:
        case UNDERSCORE:
          i = this.emphasisRun(i, end, (openEmphasis ??= new Map()));
          break;
        case LBRACKET: {
          i = this.openBracket(i, end, depth, linkCloses, linkResumes);
          break;
        }
        case RBRACKET: {
          // A group inside the link text may have consumed an inner `]`; drop closes already passed.
          while (linkCloses.length && linkCloses[linkCloses.length - 1] < i) {
            linkCloses.pop();
            linkResumes.pop();
          }
          if (linkCloses.length && linkCloses[linkCloses.length - 1] === i) {
            linkCloses.pop();
            i = linkResumes.pop() as number;
          } else i++;
          break;
        }
        default:
          i = Math.min(this.inlineChars.next(i + 1), end);
      }
    }
    return i;
  }

  /** Handles `[` in running text: link or span (text scanned, destination skipped), citation group, or literal. */
  private openBracket(i: number, end: number, depth: number, linkCloses: number[], linkResumes: number[]): number {
    const text = this.text;
    // Footnote references `[^1]` and inline notes `^[…]` hold ordinary text.
    if (text.charCodeAt(i + 1) === CARET || (text.charCodeAt(i - 1) === CARET && text.charCodeAt(i - 2) !== BACKSLASH)) {
      return i + 1;
    }
    const close = this.matchBracket(i);
    if (close >= 0 && close < end) {
      const next = text.charCodeAt(close + 1);
      const skipTo = this.linkTailEnd(close, end);
      if (skipTo > 0) {
        linkCloses.push(close);
        linkResumes.push(skipTo);
        return i + 1;
      }
      // `[@a][ref]`, `[@a](` or `[@a]{`: pandoc tries a link or span here, so the group is no citation.
      if (next === LBRACKET || next === LPAREN || next === LBRACE) return i + 1;
    }
    const attempt = this.attemptGroup(i, end, false);
    if (!attempt) return i + 1;
    this.emitGroup(attempt, undefined, i, depth);
    return attempt.end;
  }

  /** After the `]` at `close`: end of a link destination `(…)` or attribute block `{…}`, or 0 if neither. */
  private linkTailEnd(close: number, end: number): number {
    const next = this.text.charCodeAt(close + 1);
    if (next === LPAREN) {
      const paren = this.matchParen(close + 1);
      return paren >= 0 && paren < end ? paren + 1 : 0;
    }
    if (next === LBRACE) {
      const brace = this.matchBrace(close + 1);
      return brace >= 0 && brace < end ? brace + 1 : 0;
    }
    return 0;
  }

  /** `@key` in running text, with pandoc's optional `[locator]` or `[@more]` right after it. */
  private inTextCitation(key: KeyMatch, end: number): number {
    const text = this.text;
    const example = this.exampleDefinition(key);
    if (example >= 0 && example < key.at) return key.end;
    const j = this.skipSpaceNewline(key.end, end);
    if (text.charCodeAt(j) === LBRACKET && text.charCodeAt(j + 1) !== CARET) {
      const more = this.attemptGroup(j, end, false) ?? this.attemptGroup(j, end, true);
      if (more) {
        this.emitGroup(more, key, key.at, 0);
        return more.end;
      }
    }
    if (example < 0) this.addCitation(key, 'in-text', key.at, key.end, -1, key.at, key.end);
    return key.end;
  }

  /**
   * Where the example-list item named like this key is first defined, or -1. Pandoc reads `@label` after
   * that item as a reference to it, never as a citation; before it, only a bare `@label` becomes the
   * item's number (`@label [p. 3]` stays a citation).
   */
  private exampleDefinition(key: KeyMatch): number {
    if (!this.exampleLabels.size) return -1;
    return this.exampleLabels.get(this.text.slice(key.keyStart, key.keyEnd)) ?? -1;
  }

  /**
   * A key starting at `i` (`@key`, `-@key`, `@{key}`) that pandoc accepts here: not right after a word
   * (e-mail addresses) unless that word was itself a key.
   */
  private keyAt(i: number, end: number): KeyMatch | undefined {
    const after = this.scanKey(i, end);
    if (after < 0) return undefined;
    const at = this.scannedAt;
    return { start: i, at, keyStart: this.scannedKeyStart, keyEnd: this.scannedKeyEnd, end: after, suppressAuthor: at !== i };
  }

  /**
   * `keyAt` without the match object, for passes that only skip keys: where the key ends (after a braced key's
   * `}`), or -1; the `@` and the key's characters are left in the `scanned…` fields.
   */
  private scanKey(i: number, end: number): number {
    const text = this.text;
    let at = i;
    if (text.charCodeAt(i) === DASH) {
      at = i + 1;
      if (text.charCodeAt(at) !== AT) return -1;
    }
    if (i !== this.lastKeyEnd) {
      if (i === this.emphasisCloseEnd || letterOrDigitBefore(text, i)) return this.notAfterWord(i);
      // Dots right before join the preceding word in pandoc's reader (`x.@a`, `..@a`) unless they form
      // ellipses (`...@a`) or are escaped (`\.@a`).
      if (text.charCodeAt(i - 1) === DOT) {
        let dots = 0;
        while (i - dots - 1 >= 0 && text.charCodeAt(i - dots - 1) === DOT) dots++;
        if (text.charCodeAt(i - dots - 1) === BACKSLASH) dots--;
        if (dots % 3 !== 0) return this.notAfterWord(i);
      }
    }
    if (at === this.probe) this.probeHit = true;
    let keyStart = at + 1;
    let keyEnd: number;
    let after: number;
    if (text.charCodeAt(keyStart) === LBRACE) {
      const close = this.matchBrace(keyStart);
      if (close < 0 || close >= end || close === keyStart + 1) return -1;
      if (this.nextWhitespace(keyStart) < close) return -1;
      keyStart++;
      keyEnd = close;
      after = close + 1;
    } else {
      keyEnd = plainKeyEnd(text, keyStart, end);
      if (keyEnd === keyStart) return -1;
      after = keyEnd;
    }
    this.lastKeyEnd = after;
    this.scannedAt = at;
    this.scannedKeyStart = keyStart;
    this.scannedKeyEnd = keyEnd;
    return after;
  }

  /**
   * `@` right after a word is no citation, but pandoc still reads `@label` there as an example reference
   * (letters, digits, `_`, `-`), after which the next `@` is not after a word again (`a@b@c` cites `c`).
   */
  private notAfterWord(i: number): -1 {
    const text = this.text;
    if (text.charCodeAt(i) !== AT) return -1;
    let j = i + 1;
    for (;;) {
      const c = text.charCodeAt(j);
      const w = c === DASH || c === UNDERSCORE ? 1 : letterOrDigitWidth(text, j);
      if (!w) break;
      j += w;
    }
    if (j > i + 1) this.lastKeyEnd = j;
    return -1;
  }

  /**
   * Tracks `*`/`_` emphasis in running text: pandoc treats the end of emphasis like the end of a word,
   * so `*a*@b` is no citation while `a*@b` is.
   */
  private emphasisRun(i: number, end: number, open: Map<number, number>): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    let j = i;
    while (j < end && text.charCodeAt(j) === c) j++;
    const before = i > 0 && !isWhitespaceAt(text, i - 1);
    const count = open.get(c) ?? 0;
    if (before && count > 0) {
      open.set(c, count - 1);
      this.emphasisCloseEnd = j;
    } else if (j < end && !isWhitespaceAt(text, j) && !(c === UNDERSCORE && letterOrDigitBefore(text, i))) {
      open.set(c, count + 1);
    }
    return j;
  }

  // -------------------------------------------------------------------------------------------
  // Bracketed groups

  /**
   * Tries pandoc's `[prefix @key suffix; …]` at `open`. With `bare`, the first item is only a suffix
   * (the `[p. 3]` of `@a [p. 3]`). Returns the group's items and nested pieces in document order.
   */
  private attemptGroup(open: number, end: number, bare: boolean): GroupAttempt | undefined {
    if (open >= this.unclosedFrom || this.attemptBudget <= 0) return undefined;
    const text = this.text;
    const savedLastKeyEnd = this.lastKeyEnd;
    const events: GroupEvent[] = [];
    let i = bare ? open + 1 : this.skipSpaceNewline(open + 1, end);
    let first = true;
    const fail = (reachedEnd: boolean): undefined => {
      this.attemptBudget -= i - open;
      // A scan that walked to the paragraph end without a closing `]` proves later attempts fail too, unless
      // it stepped over nested brackets (an attempt starting inside one sees their `]`).
      if (reachedEnd && end === this.paragraphEnd && !events.some((e) => e.kind === 'region')) {
        this.unclosedFrom = Math.min(this.unclosedFrom, open);
      }
      this.lastKeyEnd = savedLastKeyEnd;
      return undefined;
    };
    for (;;) {
      let keyMatch: KeyMatch | undefined;
      const prefixStart = i;
      if (!(bare && first)) {
        // Prefix: inline text up to the key; a `]` first means this is no citation group.
        for (;;) {
          if (i >= end) return fail(true);
          const c = text.charCodeAt(i);
          if (c === RBRACKET) {
            // Pandoc ends a prefix at `]` and still accepts a key right after it: `[x]@a]`.
            const d = text.charCodeAt(i + 1);
            if ((d === AT || d === DASH) && this.peekKey(i + 1, end)) {
              keyMatch = this.keyAt(i + 1, end);
              break;
            }
            return fail(false);
          }
          if (c === SEMI) {
            const k = this.skipSpaceNewline(i + 1, end);
            const ch = text.charCodeAt(k);
            if ((ch === AT || ch === DASH) && this.peekKey(k, end)) return fail(false);
            i++;
            continue;
          }
          if (c === AT || c === DASH) {
            keyMatch = this.keyAt(i, end);
            if (keyMatch) break;
            i++;
            continue;
          }
          const next = this.skipPiece(i, end, events);
          if (next < 0) return fail(true);
          i = next;
        }
      }
      const prefixEnd = keyMatch ? keyMatch.start : i;
      const suffixStart = keyMatch ? keyMatch.end : i;
      // The item precedes the in-text citations of its suffix; its suffix end is filled in below.
      const item: GroupEvent = keyMatch
        ? { kind: 'item', key: keyMatch, prefixStart, prefixEnd, suffixStart, suffixEnd: suffixStart }
        : { kind: 'bare', suffixStart, suffixEnd: suffixStart };
      events.push(item);
      i = suffixStart;
      // Suffix: inline text up to `;` or `]`; bare keys inside it are in-text citations of their own.
      for (;;) {
        if (i >= end) return fail(true);
        const c = text.charCodeAt(i);
        if (c === SEMI || c === RBRACKET) break;
        if (c === AT || c === DASH) {
          const inner = this.keyAt(i, end);
          if (inner) {
            events.push({ kind: 'intext', key: inner });
            i = inner.end;
          } else i++;
          continue;
        }
        const next = this.skipPiece(i, end, events);
        if (next < 0) return fail(true);
        i = next;
      }
      item.suffixEnd = i;
      first = false;
      if (text.charCodeAt(i) === SEMI) {
        i = this.skipSpaceNewline(i + 1, end);
        continue;
      }
      const follow = text.charCodeAt(i + 1);
      if (follow === LBRACKET || follow === LPAREN || (!bare && follow === LBRACE)) return fail(false);
      return { events, end: i + 1 };
    }
  }

  /** Whether a key starts at `i`, without side effects. */
  private peekKey(i: number, end: number): boolean {
    const saved = this.lastKeyEnd;
    const savedProbe = this.probeHit;
    const found = this.scanKey(i, end) >= 0;
    this.lastKeyEnd = saved;
    this.probeHit = savedProbe;
    return found;
  }

  /**
   * Steps over one piece of prefix/suffix text at `i`: an atom, a nested bracket (recorded as a region to
   * scan if the group succeeds), or one character. Returns -1 when an atom runs past the paragraph.
   */
  private skipPiece(i: number, end: number, events: GroupEvent[]): number {
    const c = this.text.charCodeAt(i);
    if (c === LBRACKET) {
      const close = this.matchBracket(i);
      if (close < 0 || close >= end) return i + 1;
      const tail = this.linkTailEnd(close, end);
      if (tail > 0) {
        events.push({ kind: 'region', start: i + 1, end: close });
        return tail;
      }
      events.push({ kind: 'region', start: i, end: close + 1 });
      return close + 1;
    }
    if (c === BACKSLASH || c === BACKTICK || c === DOLLAR || c === LT) {
      const after = this.atomEnd(i, end, false);
      return after > end ? -1 : after;
    }
    return i + 1;
  }

  private emitGroup(attempt: GroupAttempt, inText: KeyMatch | undefined, groupStart: number, depth: number): void {
    const text = this.text;
    const groupEnd = attempt.end;
    const events = attempt.events;
    const firstBare = events.length && events[0].kind === 'bare' ? events[0] : undefined;
    // Group numbers are handed out on the first real citation, so cross-reference-only groups take none.
    let group = -1;
    if (inText) {
      const rest = firstBare ? text.slice(firstBare.suffixStart, firstBare.suffixEnd) : undefined;
      // `@a [p. 3]`: the citation spans the whole group; a bare `@a` before a group spans itself.
      const start = firstBare ? groupStart : inText.at;
      const end = firstBare ? groupEnd : inText.end;
      group = this.addCitation(inText, 'in-text', start, end, group, groupStart, groupEnd, undefined, rest);
    }
    for (const event of events) {
      if (event.kind === 'item') {
        const key = event.key;
        const prefix = text.slice(event.prefixStart, event.prefixEnd).trim();
        const mode = key.suppressAuthor ? 'suppress-author' : 'normal';
        const rest = text.slice(event.suffixStart, event.suffixEnd);
        group = this.addCitation(key, mode, key.start, trimEndOffset(text, key.end, event.suffixEnd), group, groupStart, groupEnd, prefix, rest);
      } else if (event.kind === 'intext' && this.exampleDefinition(event.key) < 0) {
        this.addCitation(event.key, 'in-text', event.key.at, event.key.end, -1, event.key.at, event.key.end);
      } else if (event.kind === 'region' && depth < MAX_REGION_DEPTH) {
        this.scanInline(event.start, event.end, depth + 1);
      }
    }
  }

  /** Records a citation (or a cross-reference) and returns the group number now in use (-1 if none yet). */
  private addCitation(
    key: KeyMatch,
    mode: CitationMode,
    start: number,
    end: number,
    group: number,
    groupStart: number,
    groupEnd: number,
    prefix?: string,
    rest?: string,
  ): number {
    const label = this.text.slice(key.keyStart, key.keyEnd);
    const kind = crossRefKind(label);
    if (kind) {
      this.crossRefs.push({ label, kind, span: { start: key.at, end: key.end } });
      return group;
    }
    if (this.citations.length >= MAX_CITATIONS) {
      this.stopped = true;
      this.diagnostics.push(tooManyCitations({ start, end }));
      return group;
    }
    const index = group >= 0 ? group : this.groupCount++;
    const { locator, suffix } = rest ? splitLocator(rest) : NO_LOCATOR;
    // Empty parts are left out, as a citation written without them has none.
    this.citations.add(label, key.keyStart, key.keyEnd, start, end, groupStart, groupEnd, index, 'pandoc', mode, prefix || undefined, locator || undefined, suffix || undefined);
    return index;
  }

  // -------------------------------------------------------------------------------------------
  // Atoms: stretches pandoc reads as one inline, inside which `@` is not a citation.

  /**
   * End of the atom at `i` (escape, raw LaTeX, code span, math, comment, raw HTML, autolink), or `i + 1`
   * when the character is literal. Only in running text (`long`) may comments and raw blocks run past `end`.
   */
  private atomEnd(i: number, end: number, long: boolean): number {
    switch (this.text.charCodeAt(i)) {
      case BACKSLASH:
        return this.backslashEnd(i, end, long);
      case BACKTICK:
        return this.codeSpanEnd(i, end);
      case DOLLAR:
        return this.mathEnd(i, end);
      case LT:
        return this.angleEnd(i, end, long);
      default:
        return i + 1;
    }
  }

  private backslashEnd(i: number, end: number, long: boolean): number {
    const text = this.text;
    const c = text.charCodeAt(i + 1);
    if (i + 1 < end && isAsciiPunctuation(c)) return i + 2;
    if (!isAsciiLetter(c)) return i + 1;
    let j = i + 1;
    while (j < end && isAsciiLetter(text.charCodeAt(j))) j++;
    const name = text.slice(i + 1, j);
    if (name === 'begin' && text.charCodeAt(j) === LBRACE) {
      const close = this.matchBrace(j);
      if (close > j + 1 && close < end) {
        const env = text.slice(j + 1, close);
        this.environmentEnds ??= new EnvironmentEnds(text);
        const endAt = this.environmentEnds.next(env, close + 1);
        if (endAt >= 0 && (long || endAt < end)) return endAt + env.length + 6;
      }
    }
    if (text.charCodeAt(j) === STAR) j++;
    let k = j;
    while (k < end && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB)) k++;
    // Raw LaTeX: a command with arguments hides them from Markdown (`\emph{@a}`), a bare one does not.
    let argsEnd = j;
    for (;;) {
      const d = text.charCodeAt(k);
      const close = d === LBRACE ? this.matchBrace(k) : d === LBRACKET ? this.matchRawBracket(k) : -1;
      if (close < 0 || close >= end) break;
      argsEnd = k = close + 1;
    }
    return argsEnd;
  }

  /** Pandoc's code span: a backtick run closed by the next run of the same length in the paragraph. */
  private codeSpanEnd(i: number, end: number): number {
    const text = this.text;
    let j: number;
    // Retries walk through one long run a backtick at a time; its end is remembered, not recounted.
    if (i > this.backtickRunStart && i < this.backtickRunEnd) j = this.backtickRunEnd;
    else {
      j = i;
      while (j < end && text.charCodeAt(j) === BACKTICK) j++;
      this.backtickRunStart = i;
      this.backtickRunEnd = j;
    }
    const len = j - i;
    const close = this.nextBacktickRun(len, j);
    // Without a closer pandoc reads one literal backtick and retries with the shorter run after it.
    return close >= 0 && close < end ? close + len : i + 1;
  }

  /** Pandoc's `$…$` (no space inside the delimiters, no digit after) and `$$…$$`. */
  private mathEnd(i: number, end: number): number {
    const text = this.text;
    if (text.charCodeAt(i + 1) === DOLLAR) {
      const close = this.search.indexOf('$$', i + 2);
      if (close >= 0 && close + 2 <= end) return close + 2;
    }
    let j = i + 1;
    if (j >= end || isWhitespaceAt(text, j)) return i + 1;
    // The first character is content even when it is a `$` (`$$x$` is math "$x").
    j += text.charCodeAt(j) === BACKSLASH ? 2 : 1;
    while (j < end) {
      const c = text.charCodeAt(j);
      if (c === DOLLAR) {
        const d = text.charCodeAt(j + 1);
        return d >= 48 && d <= 57 ? i + 1 : j + 1;
      }
      if (c === BACKSLASH) j += 2;
      else if (c === SPACE || c === TAB || c === LF || c === CR) {
        while (j < end && isWhitespaceAt(text, j)) j++;
        if (text.charCodeAt(j) === DOLLAR) return i + 1;
      } else j++;
    }
    return i + 1;
  }

  private angleEnd(i: number, end: number, long: boolean): number {
    const text = this.text;
    if (text.startsWith('<!--', i)) {
      // `<!-->` and `<!--->` are complete (empty) comments in HTML.
      if (text.charCodeAt(i + 4) === GT) return i + 5;
      if (text.startsWith('->', i + 4)) return i + 6;
      const close = this.search.indexOf('-->', i + 4);
      if (close >= 0 && (long || close + 3 <= end)) return close + 3;
      return i + 1;
    }
    const auto = this.autolinkEnd(i, end);
    if (auto > 0) return auto;
    const tag = this.tagEnd(i, end);
    if (tag < 0) return i + 1;
    // Raw text elements keep their content away from Markdown.
    const name = this.rawTextElement(i);
    if (name) {
      const close = this.search.indexOfCaseless(`</${name}`, tag);
      if (close >= 0 && (long || close < end)) {
        const gt = this.search.indexOf('>', close);
        if (gt >= 0 && (long || gt < end)) return gt + 1;
      }
    }
    return tag;
  }

  private rawTextElement(i: number): string | undefined {
    for (const name of ['pre', 'script', 'style', 'textarea']) {
      if (this.text.substr(i + 1, name.length).toLowerCase() === name) {
        const after = this.text.charCodeAt(i + 1 + name.length);
        if (after === GT || after === SPACE || after === TAB || after === LF || after === CR || after === 47) return name;
      }
    }
    return undefined;
  }

  /** `<scheme:…>` or `<user@host>`; 0 if neither. */
  private autolinkEnd(i: number, end: number): number {
    const text = this.text;
    let j = i + 1;
    if (isAsciiLetter(text.charCodeAt(j))) {
      while (j < end && j - i <= 33) {
        const c = text.charCodeAt(j);
        if (isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === DOT || c === DASH) j++;
        else break;
      }
      if (text.charCodeAt(j) === 58 && j - i >= 3) {
        for (let k = j + 1; k < end; k++) {
          const c = text.charCodeAt(k);
          if (c === GT) return k + 1;
          if (c <= SPACE || c === LT) break;
        }
      }
    }
    // E-mail autolink: a local part, `@`, a domain.
    j = i + 1;
    while (j < end) {
      const c = text.charCodeAt(j);
      if (isAsciiLetter(c) || (c >= 48 && c <= 57) || (c !== AT && c !== LT && c !== GT && c > SPACE && c < 127 && c !== 40 && c !== 41 && c !== 44 && c !== 58 && c !== 59 && c !== 91 && c !== 92 && c !== 93 && c !== 34)) j++;
      else break;
    }
    if (j === i + 1 || text.charCodeAt(j) !== AT) return 0;
    let k = j + 1;
    while (k < end) {
      const c = text.charCodeAt(k);
      if (isAsciiLetter(c) || (c >= 48 && c <= 57) || c === DOT || c === DASH) k++;
      else break;
    }
    return k > j + 1 && text.charCodeAt(k) === GT ? k + 1 : 0;
  }

  /** End of an HTML open/close tag at `i` (attributes may span lines, not paragraphs), or -1. */
  private tagEnd(i: number, end: number): number {
    const text = this.text;
    let j = i + 1;
    const closing = text.charCodeAt(j) === 47;
    if (closing) j++;
    if (!isAsciiLetter(text.charCodeAt(j))) return -1;
    // Names are read as leniently as pandoc's HTML tokenizer does: anything up to space, `/`, `>` or `=`.
    j = this.htmlNameEnd(j, end);
    for (;;) {
      let spaced = false;
      while (j < end && isWhitespaceAt(text, j)) {
        j++;
        spaced = true;
      }
      if (j >= end) return -1;
      const c = text.charCodeAt(j);
      if (c === GT) return j + 1;
      if (c === 47 && text.charCodeAt(j + 1) === GT && !closing) return j + 2;
      if (closing || !spaced) return -1;
      // Attribute name, then an optional value.
      if (c === 34 || c === 39 || c === 61) return -1;
      j = this.htmlNameEnd(j, end);
      let k = j;
      while (k < end && isWhitespaceAt(text, k)) k++;
      if (text.charCodeAt(k) !== 61) continue;
      k++;
      while (k < end && isWhitespaceAt(text, k)) k++;
      const q = text.charCodeAt(k);
      if (q === 34 || q === 39) {
        const close = this.search.indexOf(q === 34 ? '"' : "'", k + 1);
        if (close < 0 || close >= end) return -1;
        j = close + 1;
      } else {
        const valueStart = k;
        while (k < end) {
          const d = text.charCodeAt(k);
          if (d <= SPACE || d === 34 || d === 39 || d === 61 || d === LT || d === GT || d === BACKTICK) break;
          k++;
        }
        if (k === valueStart) return -1;
        j = k;
      }
    }
  }

  private htmlNameEnd(i: number, end: number): number {
    const text = this.text;
    let j = i;
    while (j < end) {
      const c = text.charCodeAt(j);
      if (c === GT || c === 47 || c === 61 || c === 34 || c === 39 || c === LT || isWhitespaceAt(text, j)) break;
      j++;
    }
    return j;
  }

  // -------------------------------------------------------------------------------------------
  // Lookups: memoised forward searches and per-paragraph partner tables

  private nextWhitespace(from: number): number {
    const cached = this.whitespaceFinder;
    if (cached.from <= from && (cached.at >= from || cached.at < 0)) return cached.at < 0 ? Infinity : cached.at;
    const pattern = /\s/gu;
    pattern.lastIndex = from;
    const m = pattern.exec(this.text);
    this.whitespaceFinder = { from, at: m ? m.index : -1 };
    return m ? m.index : Infinity;
  }

  /** Spaces and tabs, at most one line break, more spaces; never a blank line (pandoc's `spnl`). */
  private skipSpaceNewline(i: number, end: number): number {
    const text = this.text;
    let j = i;
    while (j < end && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB)) j++;
    let k = j;
    if (text.charCodeAt(k) === CR) k++;
    if (text.charCodeAt(k) === LF || (k > j && text.charCodeAt(k - 1) === CR)) {
      if (text.charCodeAt(k) === LF) k++;
      let m = k;
      while (m < end && (text.charCodeAt(m) === SPACE || text.charCodeAt(m) === TAB)) m++;
      const c = text.charCodeAt(m);
      if (m < end && c !== LF && c !== CR) return m;
      return j;
    }
    return j;
  }

  private nextBacktickRun(len: number, from: number): number {
    const starts = this.backtickRuns().get(len);
    if (!starts) return -1;
    // Lookups are not monotone (group attempts look ahead, then scanning resumes behind them).
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < starts.length ? starts[lo] : -1;
  }

  private backtickRuns(): Map<number, number[]> {
    const t = this.tables;
    if (t.runs) return t.runs;
    const runs = new Map<number, number[]>();
    const text = this.text;
    for (let i = t.base; i < this.paragraphEnd; i++) {
      if (text.charCodeAt(i) !== BACKTICK) continue;
      let j = i;
      while (j < this.paragraphEnd && text.charCodeAt(j) === BACKTICK) j++;
      let starts = runs.get(j - i);
      if (!starts) runs.set(j - i, (starts = []));
      starts.push(i);
      i = j - 1;
    }
    t.runs = runs;
    return runs;
  }

  private matchBracket(i: number): number {
    if (!this.tables.chainBuilt && i >= this.tables.base) {
      const close = this.plainClose(i);
      if (close >= 0) return close;
    }
    this.buildChainTables();
    return this.partner(this.tables.bracket, i);
  }

  /**
   * The `]` closing the `[` at `i` when nothing before it in the paragraph could give it another partner (another
   * bracket, an atom's start or a braced key), else -1. Most brackets in prose close that way, and are then matched
   * without building the paragraph's tables. Scanned segments never overlap, so this stays linear.
   */
  private plainClose(i: number): number {
    const text = this.text;
    for (let k = i + 1; k < this.paragraphEnd; k++) {
      switch (text.charCodeAt(k)) {
        case RBRACKET:
          return k;
        case LBRACKET:
        case BACKSLASH:
        case BACKTICK:
        case DOLLAR:
        case LT:
        case LBRACE:
          return -1;
      }
    }
    return -1;
  }

  private matchParen(i: number): number {
    this.buildChainTables();
    return this.partner(this.tables.paren, i);
  }

  private matchBrace(i: number): number {
    this.buildRawTables();
    return this.partner(this.tables.brace, i);
  }

  private matchRawBracket(i: number): number {
    this.buildRawTables();
    return this.partner(this.tables.rawBracket, i);
  }

  private partner(table: Int32Array, i: number): number {
    const offset = i - this.tables.base;
    if (offset < 0 || i >= this.paragraphEnd) return -1;
    return table[offset];
  }

  /** Brackets and parens of Markdown text, matched outside atoms (`` `]` ``, `$]$`, `\]` do not count). */
  private buildChainTables(): void {
    const t = this.tables;
    if (t.chainBuilt) return;
    t.chainBuilt = true;
    const length = Math.max(0, this.paragraphEnd - t.base);
    const bracket = (t.bracket = resetBuffer(t.bracket, length));
    const paren = (t.paren = resetBuffer(t.paren, length));
    const text = this.text;
    const end = this.paragraphEnd;
    const brackets: number[] = [];
    const parens: number[] = [];
    const savedLastKeyEnd = this.lastKeyEnd;
    const savedProbe = this.probeHit;
    let i = t.base;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === LBRACKET) brackets.push(i);
      else if (c === RBRACKET) {
        const open = brackets.pop();
        if (open !== undefined) {
          bracket[open - t.base] = i;
          bracket[i - t.base] = open;
        }
      } else if (c === LPAREN) parens.push(i);
      else if (c === RPAREN) {
        const open = parens.pop();
        if (open !== undefined) {
          paren[open - t.base] = i;
          paren[i - t.base] = open;
        }
      } else if (c === BACKSLASH || c === BACKTICK || c === DOLLAR || c === LT) {
        i = Math.min(this.atomEnd(i, end, false), end);
        continue;
      } else if (c === AT) {
        // Keys are atoms too: `@a<b>` is the key `a<b`, not a tag.
        const keyEnd = this.scanKey(i, end);
        if (keyEnd >= 0) {
          i = keyEnd;
          continue;
        }
      }
      i = Math.min(this.chainChars.next(i + 1), end);
    }
    this.lastKeyEnd = savedLastKeyEnd;
    this.probeHit = savedProbe;
  }

  /** Braces and brackets matched character by character (LaTeX arguments, braced keys, attributes). */
  private buildRawTables(): void {
    const t = this.tables;
    if (t.rawBuilt) return;
    t.rawBuilt = true;
    const length = Math.max(0, this.paragraphEnd - t.base);
    const brace = (t.brace = resetBuffer(t.brace, length));
    const rawBracket = (t.rawBracket = resetBuffer(t.rawBracket, length));
    const text = this.text;
    const braces: number[] = [];
    const brackets: number[] = [];
    for (let i = t.base; i < this.paragraphEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === LBRACE) braces.push(i);
      else if (c === RBRACE) {
        const open = braces.pop();
        if (open !== undefined) brace[open - t.base] = i;
      } else if (c === LBRACKET) brackets.push(i);
      else if (c === RBRACKET) {
        const open = brackets.pop();
        if (open !== undefined) rawBracket[open - t.base] = i;
      }
    }
  }
}

function trimEndOffset(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && isWhitespaceAt(text, e - 1)) e--;
  return e;
}

/** Every Pandoc citation and cross-reference in a Markdown document, in document order. Never throws. */
export function scanPandocCitations(text: string): ParseResult<CitationScan> {
  const scanner = new PandocScanner(text);
  scanner.scanDocument();
  return scanner.result();
}

/**
 * `scanPandocCitations` for large documents: awaits `yieldNow` whenever it has worked for `sliceMs` (checked
 * between paragraphs), so the caller's event loop keeps running. Same result as the one-call scan.
 */
export async function scanPandocCitationsSliced(text: string, yieldNow: () => Promise<void>, sliceMs = 8): Promise<ParseResult<CitationScan>> {
  const scanner = new PandocScanner(text);
  while (!scanner.scanDocument(performance.now() + sliceMs)) await yieldNow();
  return scanner.result();
}

/**
 * The partial key being typed at `offset` after an `@` (for completion), or undefined where pandoc would
 * not read a citation: e-mail addresses, code, math, comments, raw HTML, link destinations, frontmatter.
 */
export function citationPrefixAt(text: string, offset: number): { start: number; prefix: string } | undefined {
  if (offset < 1 || offset > text.length) return undefined;
  let at = offset;
  let braced = false;
  // Walk back over key characters to the `@` (bounded: keys are short, documents may not be).
  const limit = Math.max(0, offset - 512);
  while (at > limit) {
    const c = text.charCodeAt(at - 1);
    if (c === AT) break;
    if (c === LBRACE && text.charCodeAt(at - 2) === AT) {
      braced = true;
      at -= 1;
      break;
    }
    if (keyCharWidth(text, at - 1) || isInternalPunctuation(c)) at--;
    else if (c >= 0xdc00 && c <= 0xdfff && at >= 2 && letterOrDigitWidth(text, at - 2) === 2) at -= 2;
    else return undefined;
  }
  if (text.charCodeAt(at - 1) !== AT) return undefined;
  const atPos = at - 1;
  const start = braced ? atPos + 2 : atPos + 1;
  const prefix = text.slice(start, offset);
  // The typed prefix must be a key pandoc would accept (trailing punctuation such as `@a.` ends it).
  if (prefix && !braced && plainKeyEnd(text, start, offset) !== offset) {
    const last = text.charCodeAt(offset - 1);
    if (!isInternalPunctuation(last) || plainKeyEnd(text, start, offset - 1) !== offset - 1) return undefined;
  }
  const context = prefixContext(text);
  if (context.firstUnclosedFence >= 0 && atPos > context.firstUnclosedFence) return undefined;
  const index = paragraphIndexAt(context.paragraphs, atPos);
  if (index < 0) return undefined;
  const paragraph = context.paragraphs[index];
  const cursor = resumeBefore(context, index);
  if (cursor > atPos) return undefined;
  // Complete a probe key so the scanner sees `@` followed by a key even when nothing is typed yet. Only this
  // paragraph is scanned, in a copy of it (copying a 5 MB text costs more than the scan): offsets move by
  // the window's start, and after the cursor by the probe's length. A paragraph whose comment or raw block
  // runs on needs the text after it to find the closer, so its window runs to the end.
  const probe = braced ? 'x}' : 'x';
  const windowStart = paragraph.start;
  const windowEnd = context.runOnFrom.includes(index) ? text.length : paragraph.end;
  const local = (p: number): number => (p >= offset ? p + probe.length : p) - windowStart;
  const labels = new Map([...context.exampleLabels].map(([label, p]) => [label, local(p)]));
  const scanner = new PandocScanner(text.slice(windowStart, offset) + probe + text.slice(offset, windowEnd));
  scanner.probe = local(atPos);
  scanner.scanParagraph({ start: 0, end: local(paragraph.end) }, local(cursor), labels);
  scanner.finish();
  return scanner.probeHit ? { start, prefix } : undefined;
}

/** What completion needs to know about a text's blocks, computed once per text. */
interface PrefixContext {
  text: string;
  paragraphs: Span[];
  exampleLabels: ReadonlyMap<string, number>;
  firstUnclosedFence: number;
  /** Paragraph indices, ascending, whose comment or raw block runs on past their end… */
  runOnFrom: number[];
  /** …and where scanning resumes after each. */
  runOnTo: number[];
}

/** The last text asked about: completion and hover ask many times about one text. */
let lastContext: PrefixContext | undefined;

/** The only constructs whose skipping can run past a paragraph's end (see `atomEnd`); a superset is fine. */
const RUN_ON_START = /<!--|<(?:pre|script|style|textarea)[\s>/]|\\begin\{/gi;

function prefixContext(text: string): PrefixContext {
  if (lastContext?.text === text) return lastContext;
  const layout = markdownLayout(text);
  const { paragraphs } = layout;
  const runOnFrom: number[] = [];
  const runOnTo: number[] = [];
  // Only paragraphs holding a run-on candidate are scanned, in order, each from where the previous stopped.
  const scanner = new PandocScanner(text);
  let cursor = 0;
  RUN_ON_START.lastIndex = 0;
  for (let m = RUN_ON_START.exec(text); m; m = RUN_ON_START.exec(text)) {
    const index = paragraphIndexAt(paragraphs, m.index);
    if (index < 0 || m.index < cursor) continue;
    const paragraph = paragraphs[index];
    const after = scanner.scanParagraph(paragraph, cursor, layout.exampleLabels);
    if (after > paragraph.end) {
      runOnFrom.push(index);
      runOnTo.push(after);
    }
    cursor = Math.max(after, paragraph.end);
    RUN_ON_START.lastIndex = Math.max(cursor, m.index + 1);
  }
  scanner.finish();
  lastContext = { text, paragraphs, exampleLabels: layout.exampleLabels, firstUnclosedFence: layout.firstUnclosedFence, runOnFrom, runOnTo };
  return lastContext;
}

/** Index of the paragraph holding `pos`, or -1 (code, metadata, between paragraphs). */
function paragraphIndexAt(paragraphs: Span[], pos: number): number {
  let lo = 0;
  let hi = paragraphs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (paragraphs[mid].start <= pos) lo = mid;
    else hi = mid - 1;
  }
  const found = paragraphs[lo];
  return found && found.start <= pos && pos < found.end ? lo : -1;
}

/** Where scanning of paragraph `index` starts: its start, or later when an earlier run-on reaches into it. */
function resumeBefore(context: PrefixContext, index: number): number {
  const { runOnFrom, runOnTo } = context;
  let lo = 0;
  let hi = runOnFrom.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runOnFrom[mid] < index) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? runOnTo[lo - 1] : 0;
}
