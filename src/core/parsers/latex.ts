// LaTeX citation scanner: the natbib and biblatex \cite family, starred and capitalised forms, optional
// pre/postnotes, biblatex multicites (`\cites(pre)(post)[pre][post]{a}[pre][post]{b}`) and `\nocite`.
// Comments, `\verb` and verbatim-like environments are skipped, as TeX skips them. One forward pass over char
// codes; argument scans stop at a blank line (TeX's runaway-argument limit) and are memoised when they fail,
// so the scan stays linear on any input (test/unit/latex-oracle.test.ts checks keys against pdflatex's .aux).

import type { Citation, CitationMode, CitationScan, CoreDiagnostic, ParseResult, Span } from '../model';
import { EnvironmentEnds, ForwardSearch, MAX_CITATIONS, splitLocator, tooManyCitations } from './citationText';

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const PERCENT = 37;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const COMMA = 44;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/** Citation commands (lower-case base names) and how they render. */
const CITE_COMMANDS = new Map<string, CitationMode>([
  ['cite', 'normal'],
  ['citep', 'normal'],
  ['citet', 'in-text'],
  ['citealp', 'normal'],
  ['citealt', 'in-text'],
  ['citeauthor', 'in-text'],
  ['citefullauthor', 'in-text'],
  ['citeyear', 'normal'],
  ['citeyearpar', 'normal'],
  ['citenum', 'normal'],
  ['citetitle', 'normal'],
  ['citedate', 'normal'],
  ['citeurl', 'normal'],
  ['parencite', 'normal'],
  ['textcite', 'in-text'],
  ['autocite', 'normal'],
  ['footcite', 'normal'],
  ['footcitetext', 'normal'],
  ['smartcite', 'normal'],
  ['supercite', 'normal'],
  ['fullcite', 'normal'],
  ['footfullcite', 'normal'],
  ['nocite', 'nocite'],
]);

/** biblatex multicite commands: each takes any number of `[pre][post]{keys}` groups. */
const MULTI_CITE_COMMANDS = new Map<string, CitationMode>([
  ['cites', 'normal'],
  ['parencites', 'normal'],
  ['textcites', 'in-text'],
  ['autocites', 'normal'],
  ['footcites', 'normal'],
  ['footcitetexts', 'normal'],
  ['smartcites', 'normal'],
  ['supercites', 'normal'],
]);

/** Environments whose content TeX does not read as commands. */
const VERBATIM_ENVIRONMENTS = new Set([
  'verbatim', 'verbatim*', 'Verbatim', 'Verbatim*', 'BVerbatim', 'LVerbatim', 'lstlisting', 'minted', 'comment',
  'filecontents', 'filecontents*',
]);

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

interface Argument {
  /** The argument's content, between its delimiters. */
  start: number;
  end: number;
  /** After the closing delimiter. */
  next: number;
}

class LatexScanner {
  readonly citations: Citation[] = [];
  readonly diagnostics: CoreDiagnostic[] = [];
  private groupCount = 0;
  /** Set when the citation limit is reached: the rest of the document is not scanned. */
  private stopped = false;
  /** Argument scans starting before this offset cannot close: an earlier scan ran into a blank line or the end. */
  private unclosedBefore = -1;
  private readonly search: ForwardSearch;
  private environmentEnds?: EnvironmentEnds;

  constructor(private readonly text: string) {
    this.search = new ForwardSearch(text);
  }

  /** Scans from `from` until reaching `until`; returns where it stopped (past `until` if a construct spans it). */
  scan(from = 0, until = this.text.length): number {
    const text = this.text;
    let i = from;
    while (i < until && !this.stopped) {
      const c = text.charCodeAt(i);
      if (c === PERCENT) i = this.lineEnd(i);
      else if (c === BACKSLASH) i = this.command(i);
      else i++;
    }
    return i;
  }

  /** Handles the control sequence at `i`; returns where scanning continues. */
  private command(i: number): number {
    const text = this.text;
    let j = i + 1;
    if (!isLetter(text.charCodeAt(j))) return i + 2; // control symbol such as `\%`, `\\`, `\{`
    while (isLetter(text.charCodeAt(j))) j++;
    const name = text.slice(i + 1, j);
    if (name === 'verb' || name === 'lstinline') return this.inlineVerbatim(j);
    if (name === 'begin') return this.environment(j);
    const starred = text.charCodeAt(j) === STAR;
    const base = name.charCodeAt(0) <= 90 ? name[0].toLowerCase() + name.slice(1) : name;
    const single = CITE_COMMANDS.get(base);
    const multi = single ? undefined : MULTI_CITE_COMMANDS.get(base);
    if (!single && !multi) return j;
    const commandName = starred ? `${name}*` : name;
    const argsStart = starred ? j + 1 : j;
    return single
      ? this.citeCommand(i, argsStart, commandName, single)
      : this.multiCiteCommand(i, argsStart, commandName, multi as CitationMode);
  }

  /** `\cite[pre][post]{keys}`. */
  private citeCommand(start: number, at: number, command: string, mode: CitationMode): number {
    const optional: Argument[] = [];
    let j = at;
    // \nocite takes no notes: in `\nocite[x]{a}` TeX reads `[` as the key list.
    while (optional.length < 2 && mode !== 'nocite') {
      const k = this.skipSpace(j);
      if (this.text.charCodeAt(k) !== LBRACKET) break;
      const arg = this.delimited(k, LBRACKET, RBRACKET);
      if (!arg) return this.unclosed(start, k, command);
      optional.push(arg);
      j = arg.next;
    }
    const k = this.skipSpace(j);
    if (this.text.charCodeAt(k) !== LBRACE) {
      this.diagnostics.push({
        span: { start, end: j },
        severity: 'warning',
        code: 'latex-cite-syntax',
        message: `\\${command} has no {key} argument.`,
      });
      return j;
    }
    const keys = this.delimited(k, LBRACE, RBRACE);
    if (!keys) return this.unclosed(start, k, command);
    // One optional argument is the postnote; two are prenote and postnote.
    const pre = optional.length === 2 ? optional[0] : undefined;
    const post = optional.length === 2 ? optional[1] : optional[0];
    const groupSpan = { start, end: keys.next };
    this.addKeys(keys, { command, mode, groupSpan, group: this.groupCount, pre, post });
    if (this.citations.length && this.citations[this.citations.length - 1].group === this.groupCount) this.groupCount++;
    return keys.next;
  }

  /** `\cites(pre)(post)[pre][post]{a}[pre][post]{b}…`. */
  private multiCiteCommand(start: number, at: number, command: string, mode: CitationMode): number {
    const text = this.text;
    let j = at;
    // Global pre- and postnotes in parentheses apply to the whole list; they name no keys.
    for (let n = 0; n < 2; n++) {
      const k = this.skipSpace(j);
      if (text.charCodeAt(k) !== LPAREN) break;
      const arg = this.delimited(k, LPAREN, RPAREN);
      if (!arg) return this.unclosed(start, k, command);
      j = arg.next;
    }
    const pieces: { pre?: Argument; post?: Argument; keys: Argument }[] = [];
    for (;;) {
      const optional: Argument[] = [];
      let k = this.skipSpace(j);
      while (optional.length < 2 && text.charCodeAt(k) === LBRACKET) {
        const arg = this.delimited(k, LBRACKET, RBRACKET);
        if (!arg) return this.unclosed(start, k, command);
        optional.push(arg);
        k = this.skipSpace(arg.next);
      }
      if (text.charCodeAt(k) !== LBRACE) {
        if (optional.length) j = optional[optional.length - 1].next;
        break;
      }
      const keys = this.delimited(k, LBRACE, RBRACE);
      if (!keys) return this.unclosed(start, k, command);
      pieces.push({
        pre: optional.length === 2 ? optional[0] : undefined,
        post: optional.length === 2 ? optional[1] : optional[0],
        keys,
      });
      j = keys.next;
    }
    if (!pieces.length) {
      this.diagnostics.push({
        span: { start, end: j },
        severity: 'warning',
        code: 'latex-cite-syntax',
        message: `\\${command} has no {key} argument.`,
      });
      return j;
    }
    const groupSpan = { start, end: j };
    const group = this.groupCount;
    for (const piece of pieces) this.addKeys(piece.keys, { command, mode, groupSpan, group, pre: piece.pre, post: piece.post });
    if (this.citations.length && this.citations[this.citations.length - 1].group === group) this.groupCount++;
    return j;
  }

  /** Splits `{a, b,% comment\n c}` into keys; the prenote goes to the first key, the postnote to the last. */
  private addKeys(
    keys: Argument,
    context: { command: string; mode: CitationMode; groupSpan: Span; group: number; pre?: Argument; post?: Argument },
  ): void {
    const text = this.text;
    const found: Span[] = [];
    let tokenStart = -1;
    let tokenEnd = -1;
    let depth = 0;
    const flush = () => {
      if (tokenStart >= 0) found.push({ start: tokenStart, end: tokenEnd });
      tokenStart = -1;
    };
    for (let i = keys.start; i < keys.end; i++) {
      const c = text.charCodeAt(i);
      if (c === PERCENT && text.charCodeAt(i - 1) !== BACKSLASH) {
        i = this.lineEnd(i) - 1;
        continue;
      }
      if (c === LBRACE) depth++;
      else if (c === RBRACE) depth--;
      if (c === COMMA && depth === 0) {
        flush();
        continue;
      }
      if (isSpace(c)) continue;
      if (tokenStart < 0) tokenStart = i;
      tokenEnd = i + 1;
    }
    flush();
    const pre = context.pre && this.noteText(context.pre);
    const post = context.post && this.noteText(context.post);
    const usable = found.filter((span) => !(context.mode === 'nocite' && text.slice(span.start, span.end) === '*'));
    usable.forEach((keySpan, index) => {
      if (this.stopped) return;
      if (this.citations.length >= MAX_CITATIONS) {
        this.stopped = true;
        this.diagnostics.push(tooManyCitations(keySpan));
        return;
      }
      const citation: Citation = {
        key: text.slice(keySpan.start, keySpan.end),
        keySpan,
        span: keySpan,
        syntax: 'latex',
        mode: context.mode,
        group: context.group,
        groupSpan: context.groupSpan,
        command: context.command,
      };
      if (index === 0 && pre) citation.prefix = pre;
      if (index === usable.length - 1 && post) {
        const { locator, suffix } = splitLocator(post);
        if (locator) citation.locator = locator;
        if (suffix) citation.suffix = suffix;
      }
      this.citations.push(citation);
    });
  }

  private noteText(arg: Argument): string | undefined {
    const note = this.text.slice(arg.start, arg.end).trim();
    return note || undefined;
  }

  /**
   * The argument opening at `open`, balanced in braces (TeX groups) and in its own delimiters, skipping
   * comments; undefined if a blank line or the end of text comes first.
   */
  private delimited(open: number, left: number, right: number): Argument | undefined {
    if (open < this.unclosedBefore) return undefined;
    const text = this.text;
    let braces = 0;
    let depth = 0;
    let i = open + 1;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === PERCENT) {
        i = this.lineEnd(i);
        continue;
      }
      if (c === LF || c === CR) {
        // A blank line is \par, which ends any argument of a citation command with an error.
        let k = i + 1;
        if (c === CR && text.charCodeAt(k) === LF) k++;
        while (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB) k++;
        const d = text.charCodeAt(k);
        if (d === LF || d === CR) break;
        i = k;
        continue;
      }
      if (c === LBRACE) braces++;
      else if (c === RBRACE) {
        if (braces === 0 && left === LBRACE) return { start: open + 1, end: i, next: i + 1 };
        braces--;
        if (braces < 0) break;
      } else if (braces === 0 && left !== LBRACE) {
        if (c === left) depth++;
        else if (c === right) {
          if (depth === 0) return { start: open + 1, end: i, next: i + 1 };
          depth--;
        }
      }
      i++;
    }
    this.unclosedBefore = Math.max(this.unclosedBefore, i);
    return undefined;
  }

  private unclosed(start: number, open: number, command: string): number {
    this.diagnostics.push({
      span: { start, end: open + 1 },
      severity: 'warning',
      code: 'latex-cite-syntax',
      message: `The argument of \\${command} is not closed before the end of the paragraph.`,
    });
    return open + 1;
  }

  /** TeX skips spaces and one line break after a command name and between arguments. */
  private skipSpace(i: number): number {
    const text = this.text;
    let j = i;
    let breaks = 0;
    for (;;) {
      const c = text.charCodeAt(j);
      if (c === SPACE || c === TAB) j++;
      else if ((c === LF || c === CR) && breaks === 0) {
        breaks++;
        j += c === CR && text.charCodeAt(j + 1) === LF ? 2 : 1;
      } else if (c === PERCENT) {
        // A comment ends the line without a space: `\cite%\n{a}` still has its argument.
        j = this.lineEnd(j);
        const e = text.charCodeAt(j);
        j += e === CR && text.charCodeAt(j + 1) === LF ? 2 : e === LF || e === CR ? 1 : 0;
      } else return j;
    }
  }

  /** Offset of the line break ending the line that contains `i` (or the text length). */
  private lineEnd(i: number): number {
    const text = this.text;
    let j = i;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === LF || c === CR) return j;
      j++;
    }
    return j;
  }

  /** `\verb|…|`, `\verb*|…|`, `\lstinline|…|` or `\lstinline{…}`: the delimited text is skipped. */
  private inlineVerbatim(i: number): number {
    const text = this.text;
    let j = i;
    if (text.charCodeAt(j) === STAR) j++;
    if (text.charCodeAt(j) === LBRACKET) {
      const options = this.delimited(j, LBRACKET, RBRACKET);
      if (options) j = options.next;
    }
    const delimiter = text.charCodeAt(j);
    if (Number.isNaN(delimiter) || isSpace(delimiter) || isLetter(delimiter)) return j;
    const close = delimiter === LBRACE ? RBRACE : delimiter;
    for (let k = j + 1; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === close) return k + 1;
      // `\verb` cannot span lines.
      if (c === LF || c === CR) return k;
    }
    return text.length;
  }

  /** `\begin{name}`: verbatim-like environments are skipped up to their `\end{name}`. */
  private environment(i: number): number {
    return this.environmentEnd(i).end;
  }

  /** Where scanning continues after `\begin` (whose name ends before `i`), and whether that skipped verbatim text. */
  environmentEnd(i: number): { end: number; verbatim: boolean } {
    const text = this.text;
    const j = this.skipSpace(i);
    if (text.charCodeAt(j) !== LBRACE) return { end: i, verbatim: false };
    const close = this.search.indexOf('}', j + 1);
    if (close < 0 || close - j > 64) return { end: i, verbatim: false };
    const name = text.slice(j + 1, close);
    if (!VERBATIM_ENVIRONMENTS.has(name)) return { end: close + 1, verbatim: false };
    this.environmentEnds ??= new EnvironmentEnds(text);
    const endAt = this.environmentEnds.next(name, close + 1);
    return { end: endAt < 0 ? text.length : endAt + name.length + 6, verbatim: true };
  }
}

/** Every LaTeX citation in a document, in document order, with diagnostics for malformed commands. Never throws. */
export function scanLatexCitations(text: string): ParseResult<CitationScan> {
  const scanner = new LatexScanner(text);
  scanner.scan();
  return { value: { citations: scanner.citations, crossRefs: [] }, diagnostics: scanner.diagnostics };
}

/** Characters scanned between two looks at the clock by the sliced scan. */
const SLICE_CHARS = 16 * 1024;

/**
 * `scanLatexCitations` in `sliceMs` time slices with `yieldNow` awaited between them (for multi-megabyte
 * documents). The scanner resumes exactly where a stretch ended, so the result is the one-call scan's.
 */
export async function scanLatexCitationsSliced(text: string, yieldNow: () => Promise<void>, sliceMs = 8): Promise<ParseResult<CitationScan>> {
  const scanner = new LatexScanner(text);
  let deadline = performance.now() + sliceMs;
  for (let at = 0; at < text.length; ) {
    const until = Math.min(text.length, at + SLICE_CHARS);
    at = scanner.scan(at, until);
    // Short of the stretch's end only when the citation limit stopped the scan.
    if (at < until) break;
    if (at < text.length && performance.now() >= deadline) {
      await yieldNow();
      deadline = performance.now() + sliceMs;
    }
  }
  return { value: { citations: scanner.citations, crossRefs: [] }, diagnostics: scanner.diagnostics };
}

/**
 * Inside the braces of a citation command at `offset`: the partial key after the last comma (for completion).
 * Undefined outside cite commands' key lists, in comments and in verbatim text (an unclosed verbatim
 * environment runs to the end). Only the paragraph up to `offset` is scanned: nothing but verbatim text
 * carries TeX's reading across a blank line, and the verbatim regions of a text are found once and kept.
 */
export function latexCitePrefixAt(text: string, offset: number): { start: number; prefix: string } | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const regions = verbatimRegions(text);
  // The verbatim regions starting before the offset; inside the last one there is no citation.
  let lo = 0;
  let hi = regions.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (regions.starts[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && regions.ends[lo - 1] > offset) return undefined;
  // Scan from the paragraph's start; blank lines inside verbatim text do not end it (a runaway argument
  // before a verbatim block still swallows what follows it).
  let from = paragraphStartBefore(text, offset, lo > 0 ? regions.ends[lo - 1] : 0);
  while (lo > 0 && from === regions.ends[lo - 1]) {
    lo--;
    from = paragraphStartBefore(text, regions.starts[lo], lo > 0 ? regions.ends[lo - 1] : 0);
  }
  // Complete the key being typed and close the list, then ask the scanner whether that key is read.
  const probe = new LatexScanner(`${text.slice(from, offset)}x}`);
  probe.scan();
  const last = probe.citations[probe.citations.length - 1];
  if (!last || last.keySpan.end !== offset - from + 1) return undefined;
  return { start: from + last.keySpan.start, prefix: text.slice(from + last.keySpan.start, offset) };
}

/** Verbatim environments of a text (as the scanner skips them), in order; `ends` may be the text length. */
interface VerbatimRegions {
  text: string;
  starts: number[];
  ends: number[];
}

/** The last text asked about: completion asks many times about one text. */
let lastRegions: VerbatimRegions | undefined;

function verbatimRegions(text: string): VerbatimRegions {
  if (lastRegions?.text === text) return lastRegions;
  const regions: VerbatimRegions = { text, starts: [], ends: [] };
  const scanner = new LatexScanner(text);
  // Each `\begin` is checked by scanning its paragraph up to it (a comment or `\verb` may hide it); the scan
  // never goes back, so this stays linear.
  let pos = 0;
  for (let at = text.indexOf('\\begin', 0); at >= 0; at = text.indexOf('\\begin', Math.max(pos, at + 1))) {
    if (at < pos || isLetter(text.charCodeAt(at + 6))) continue;
    pos = scanner.scan(paragraphStartBefore(text, at, pos), at);
    if (pos !== at) continue;
    const { end, verbatim } = scanner.environmentEnd(at + 6);
    pos = end;
    if (verbatim) {
      regions.starts.push(at);
      regions.ends.push(end);
    }
  }
  lastRegions = regions;
  return regions;
}

/** Start of the blank line nearest before `offset` (TeX's paragraph break), or `floor` if none is after it. */
function paragraphStartBefore(text: string, offset: number, floor: number): number {
  let sawBreak = false;
  let blank = false;
  for (let i = offset - 1; i >= floor; i--) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) {
      if (sawBreak && blank) return i + 1;
      sawBreak = true;
      blank = true;
      if (c === LF && i - 1 >= floor && text.charCodeAt(i - 1) === CR) i--;
    } else if (c !== SPACE && c !== TAB) blank = false;
  }
  return floor;
}
