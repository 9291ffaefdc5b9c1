// Helpers shared by the Pandoc and LaTeX citation scanners (and the note reader): prefix/locator/suffix
// splitting, cross-reference labels, the per-document citation limit and exact-length result lists.
import type { CoreDiagnostic, Span } from '../model';

/**
 * Citations kept per document. A long review has a few thousand; past this the input is generated or hostile
 * and every further citation only costs the editor memory (a 10 MB line of `@a` would hold five million).
 */
export const MAX_CITATIONS = 200_000;

/**
 * The one empty list every parse result with nothing in it shares: the index holds several lists per note and
 * most are empty. Frozen, so a caller that tried to fill it would fail loudly instead of filling everyone's.
 */
export const EMPTY_LIST: never[] = Object.freeze([]) as never[];

/**
 * The items at their exact length: an array grown by `push` keeps spare room (16 items for a short list), and
 * the index holds the short lists of thousands of notes.
 */
export function exactLength<T>(items: T[]): T[] {
  return items.length === 0 ? EMPTY_LIST : items.slice();
}

export function tooManyCitations(span: Span): CoreDiagnostic {
  return {
    span,
    severity: 'warning',
    code: 'too-many-citations',
    message: `More than ${MAX_CITATIONS} citations: the rest of the document is not analysed.`,
  };
}

/**
 * Locator terms citeproc recognises in a suffix (English locale, long and short forms, singular and plural).
 * Longest first so `pp.` wins over `p.` and `chapter` over `chap.`.
 */
const LOCATOR_TERMS = [
  'paragraphs', 'paragraph', 'sections', 'section', 'chapters', 'chapter', 'columns', 'column', 'figures', 'figure',
  'volumes', 'volume', 'numbers', 'number', 'verses', 'verse', 'folios', 'folio', 'books', 'book', 'lines', 'line',
  'notes', 'note', 'pages', 'page', 'parts', 'part', 'opera', 'opus', 'sub verbis', 'sub verbo',
  'paras.', 'para.', 'chaps.', 'chap.', 'secs.', 'sec.', 'figs.', 'fig.', 'vols.', 'vol.', 'cols.', 'col.',
  'fols.', 'fol.', 'nos.', 'no.', 'bks.', 'bk.', 'pts.', 'pt.', 'opp.', 'op.', 's.vv.', 's.v.', 'vv.', 'v.',
  'nn.', 'n.', 'll.', 'l.', 'pp.', 'p.', '§§', '§', '¶¶', '¶',
];

/** Terms by first character, so most suffixes are rejected with one lookup. */
const TERMS_BY_FIRST = new Map<string, string[]>();
for (const term of LOCATOR_TERMS) {
  const list = TERMS_BY_FIRST.get(term[0]) ?? [];
  list.push(term);
  TERMS_BY_FIRST.set(term[0], list);
}

function isLocatorValueChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 45 || // -
    c === 0x2013 || // en dash
    c === 0x2014 ||
    c === 58 || // :
    c === 46 || // .
    c === 38 || // &
    c === 126 // ~ (a LaTeX tie inside a page range)
  );
}

/** End of a locator value starting at `i`: `33-35`, `xii`, `3, 5`, `4.2`; `i` itself when there is none. */
function locatorValueEnd(s: string, i: number): number {
  let j = i;
  if (j >= s.length || !isLocatorValueChar(s.charCodeAt(j)) || s.charCodeAt(j) === 45) return i;
  for (;;) {
    while (j < s.length && isLocatorValueChar(s.charCodeAt(j))) j++;
    // A comma continues the value only when another number follows: `pp. 3, 5` but not `p. 3, and passim`.
    let k = j;
    if (s.charCodeAt(k) === 44) {
      k++;
      while (s.charCodeAt(k) === 32) k++;
      const d = s.charCodeAt(k);
      if (d >= 48 && d <= 57) {
        j = k;
        continue;
      }
    }
    break;
  }
  // A value never ends in punctuation that belongs to the sentence.
  while (j > i && (s.charCodeAt(j - 1) === 46 || s.charCodeAt(j - 1) === 58)) j--;
  return j;
}

/** Splits what follows a key (`, pp. 33-35, and passim`) into locator (`pp. 33-35`) and suffix (`and passim`). */
export function splitLocator(raw: string): { locator?: string; suffix?: string } {
  let s = raw.trim();
  if (s.startsWith(',')) s = s.slice(1).trimStart();
  if (!s) return {};
  const lower = s.slice(0, 12).toLowerCase();
  for (const term of TERMS_BY_FIRST.get(lower[0]) ?? []) {
    if (!lower.startsWith(term)) continue;
    let i = term.length;
    const last = term.charCodeAt(term.length - 1);
    // A word term must end the word (`page` but not `pages…` handled by order, nor `pageant`).
    if (last !== 46 && i < s.length && /[A-Za-z]/.test(s[i])) continue;
    while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 126 || s.charCodeAt(i) === 0xa0)) i++;
    const end = locatorValueEnd(s, i);
    if (end === i) continue;
    return withRest(s.slice(0, end), s.slice(end));
  }
  // citeproc reads a bare leading number as a page locator.
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const end = locatorValueEnd(s, 0);
    return withRest(s.slice(0, end), s.slice(end));
  }
  return { suffix: s };
}

function withRest(locator: string, rest: string): { locator: string; suffix?: string } {
  const suffix = rest.replace(/^[\s,;]+/, '').trimEnd();
  return suffix ? { locator, suffix } : { locator };
}

const CROSS_REF_KINDS = ['fig', 'tbl', 'sec', 'eq', 'lst'];

/** The cross-reference kind of a label (`fig-plot` → `fig`, `tbl:x` → `tbl`), or undefined for a citation key. */
export function crossRefKind(label: string): string | undefined {
  // Every kind is two or three letters long, so a label without `-` or `:` right after those is a key: most are.
  const at2 = label.charCodeAt(2);
  const at3 = label.charCodeAt(3);
  if (at2 !== 45 && at2 !== 58 && at3 !== 45 && at3 !== 58) return undefined;
  for (const kind of CROSS_REF_KINDS) {
    if (label.length > kind.length + 1 && label.startsWith(kind)) {
      const sep = label.charCodeAt(kind.length);
      if (sep === 45 || sep === 58) return kind;
    }
  }
  return undefined;
}

/**
 * Positions of every `\end{name}` in a text, by name, found in one pass. Looking each environment's end up
 * here keeps documents with thousands of distinct (or unclosed) environments linear.
 */
export class EnvironmentEnds {
  private readonly byName = new Map<string, number[]>();

  constructor(text: string) {
    for (let i = text.indexOf('\\end{'); i >= 0; i = text.indexOf('\\end{', i + 5)) {
      const close = text.indexOf('}', i + 5);
      if (close < 0) break;
      const name = text.slice(i + 5, close);
      const list = this.byName.get(name);
      if (list) list.push(i);
      else this.byName.set(name, [i]);
    }
  }

  /** Offset of the first `\end{name}` at or after `from`, or -1. */
  next(name: string, from: number): number {
    const list = this.byName.get(name);
    if (!list) return -1;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length ? list[lo] : -1;
  }
}

/**
 * Forward searches in one text, memoised per needle: a scanner only moves forward, so an answer holds until
 * the scan passes it, which keeps documents with thousands of unclosed openers linear.
 */
export class ForwardSearch {
  // Made on the first search: a scanner per note, most of which never search, each made one before.
  private memo?: Map<string, { from: number; at: number }>;

  constructor(private readonly text: string) {}

  /** `text.indexOf(needle, from)`. */
  indexOf(needle: string, from: number): number {
    const cached = this.recall(needle, from);
    return cached ?? this.remember(needle, from, this.text.indexOf(needle, from));
  }

  /** Offset of `needle` at or after `from` ignoring case, or -1. */
  indexOfCaseless(needle: string, from: number): number {
    const key = `i:${needle}`;
    const cached = this.recall(key, from);
    if (cached !== undefined) return cached;
    const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'gi');
    pattern.lastIndex = from;
    return this.remember(key, from, pattern.exec(this.text)?.index ?? -1);
  }

  private recall(key: string, from: number): number | undefined {
    const cached = this.memo?.get(key);
    return cached && cached.from <= from && (cached.at >= from || cached.at < 0) ? cached.at : undefined;
  }

  private remember(key: string, from: number, at: number): number {
    (this.memo ??= new Map()).set(key, { from, at });
    return at;
  }
}

/** A set of ASCII characters a scanner acts on; every other character it steps over. */
export class AsciiCharSet {
  readonly members = new Uint8Array(128);
  /** Finds the next member natively: several times faster than a char-code loop over plain prose. */
  readonly pattern: RegExp;

  constructor(chars: string) {
    for (let i = 0; i < chars.length; i++) this.members[chars.charCodeAt(i)] = 1;
    this.pattern = new RegExp(`[${chars.replace(/[\\\]^-]/g, '\\$&')}]`, 'g');
  }
}

/** Characters looked at one by one before a native search: dense runs of members then cost no call each. */
const DIRECT_LOOKAHEAD = 4;

/**
 * The next offset of a character of `set` in one text, memoised like ForwardSearch so that scans of many
 * short spans stay linear when members are rare or absent.
 */
export class CharSetSearch {
  private memoFrom = Infinity;
  private memoAt = 0;

  constructor(
    private readonly text: string,
    private readonly set: AsciiCharSet,
  ) {}

  /** First offset at or after `from` holding a member of the set, or the text's length when none does. */
  next(from: number): number {
    const text = this.text;
    const members = this.set.members;
    const direct = Math.min(from + DIRECT_LOOKAHEAD, text.length);
    for (let i = from; i < direct; i++) {
      const c = text.charCodeAt(i);
      if (c < 128 && members[c] === 1) return i;
    }
    if (direct >= text.length) return text.length;
    if (this.memoFrom <= direct && direct <= this.memoAt) return this.memoAt;
    // The pattern is shared by every search over the set; its lastIndex is set and read right here.
    const pattern = this.set.pattern;
    pattern.lastIndex = direct;
    const at = pattern.test(text) ? pattern.lastIndex - 1 : text.length;
    this.memoFrom = direct;
    this.memoAt = at;
    return at;
  }
}
