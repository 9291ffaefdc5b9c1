// BibTeX/BibLaTeX scanner. One pass over char codes; values are sliced once; LaTeX is decoded lazily in
// `paperInfo` because most entries are never displayed. Errors are local: a broken entry yields a diagnostic
// at the exact problem and scanning resumes at the next entry, so one typo never hides a whole file.
//
// Recovery rule: inside an entry, a line whose first non-blank text is `@type{` or `@type(` starts a new
// entry — an unclosed brace or quote before it is reported and the scan resumes there.
import type { BibEntry, CoreDiagnostic, PaperInfo, ParseResult } from '../model';
import { lineBreakOf } from '../utf8Chunks';
import { arxivFromEprint, arxivFromText, normalizeDoi, plainIdentifier } from './bibIdentifiers';
import { latexToUnicode } from './latexToUnicode';
import { formatName, parseBibtexNames } from './names';

export interface BibtexOptions {
  /** Find keys, aliases and spans only; `fields` stay undefined. For very large files. */
  keysOnly?: boolean;
}

const AT = 64;
const LBRACE = 123;
const RBRACE = 125;
const LPAREN = 40;
const RPAREN = 41;
const QUOTE = 34;
const COMMA = 44;
const EQUALS = 61;
const HASH = 35;
const PERCENT = 37;
const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Characters allowed in entry types, field names and macro names (BibTeX excludes `"#%'(),={}` and blanks). */
const NAME_CHAR = new Uint8Array(128);
for (let c = 33; c < 127; c++) NAME_CHAR[c] = 1;
for (const ch of '"#%\'(),={}@\\') NAME_CHAR[ch.charCodeAt(0)] = 0;

function isNameChar(c: number): boolean {
  return c < 128 ? NAME_CHAR[c] === 1 : c !== 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === NL || c === CR;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** BibLaTeX's month macros expand to numbers (what biber does), so `month = jan` reads as `1`. */
const MONTH_MACROS: [string, string][] = [
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec',
].map((m, i) => [m, String(i + 1)]);

export type LineBreak = '\n' | '\r';

/** Why a value or entry scan stopped early. */
const enum Stop {
  /** Normal end. */
  None,
  /** A new entry starts on a following line; resume there. */
  NewEntry,
  /** Text ended. */
  Eof,
  /** A `}` at depth 0 inside a quoted value: the quote is unclosed and that brace closes the entry. */
  Closed,
}

/**
 * The scanner reads one buffer at a time: the whole text, or for text that arrives in pieces (parseBibtexPieces),
 * the text from where the last buffer stopped up to a `limit` cut before an entry, plus that entry's head. Spans
 * are global offsets (`base` + buffer index); macros, keys and diagnostics carry over from buffer to buffer.
 */
class BibtexScanner {
  private pos = 0;
  private text = '';
  private len = 0;
  /** Global offset of the buffer's first character. */
  private base = 0;
  /** The buffer's scan ends here; the text after it (an entry's head) is there for lookahead only. */
  private limit = 0;
  /** Whether the buffer runs to the end of the input. */
  private final = true;
  /**
   * Set when an entry or comment ran to the end of a buffer that is not the last: what it means depends on text
   * not yet seen. `pos` is then its `@` and nothing of it was recorded; it is scanned again with more text.
   */
  needMore = false;
  private readonly macros = new Map<string, string>(MONTH_MACROS);
  /** Each entry by its key (a duplicate key's later entries are left out, as from `entries`). */
  readonly byKey = new Map<string, BibEntry>();
  readonly entries: BibEntry[] = [];
  readonly diagnostics: CoreDiagnostic[] = [];
  /** Set by the value scanners: where a value or entry stopped and why. */
  private stop: Stop = Stop.None;

  constructor(
    private readonly keysOnly: boolean,
    /** Line break searched for by findValueClose: `\n`, or `\r` in old Mac files without any `\n`. */
    private readonly lineBreak: LineBreak,
  ) {}

  /** Starts on the next buffer (see the class comment); the previous one must be done. */
  load(text: string, base: number, limit: number, final: boolean): void {
    this.text = text;
    this.len = text.length;
    this.base = base;
    this.limit = limit;
    this.final = final;
    this.pos = 0;
    this.needMore = false;
    this.openFrom = this.shutFrom = this.breakFrom = 0;
    this.openAt = this.shutAt = this.breakAt = -1;
  }

  /** Whether the scan between entries is at the start of a line (kept across `scan` calls). */
  private atLineStart = true;

  /** Buffer index where the scan of this buffer stopped (for good once `done`). */
  get position(): number {
    return this.pos;
  }

  get done(): boolean {
    return this.needMore || this.pos >= this.limit;
  }

  /**
   * Scans until the text ends or `deadline` (a `performance.now()` time) has passed, checked after each entry
   * and every 64K characters between entries; at least one entry is read per call, so a scan always advances.
   */
  scan(deadline = Infinity): void {
    const text = this.text;
    const limit = this.limit;
    let atLineStart = this.atLineStart;
    let sinceCheck = 0;
    while (this.pos < limit) {
      const c = text.charCodeAt(this.pos);
      if (c === NL || c === CR) {
        atLineStart = true;
        this.pos++;
      } else if (c === PERCENT) {
        // A `%` line outside entries is a comment (biber ignores `% @article{…}`).
        const nl = this.nextLineBreak(this.pos);
        this.pos = nl;
      } else if (c === AT) {
        this.entryAt(this.pos, atLineStart);
        if (this.needMore) break;
        atLineStart = false;
        sinceCheck = 0;
        if (deadline !== Infinity && performance.now() >= deadline) break;
      } else {
        if (c !== SPACE && c !== TAB) atLineStart = false;
        this.pos++;
      }
      if (++sinceCheck === 0x10000) {
        sinceCheck = 0;
        if (deadline !== Infinity && performance.now() >= deadline) break;
      }
    }
    this.atLineStart = atLineStart;
  }

  private nextLineBreak(from: number): number {
    const text = this.text;
    for (let i = from; i < this.len; i++) {
      const c = text.charCodeAt(i);
      if (c === NL || c === CR) return i;
    }
    return this.len;
  }

  private report(start: number, end: number, message: string, code = 'bib-syntax', severity: CoreDiagnostic['severity'] = 'error'): void {
    const base = this.base;
    this.diagnostics.push({ span: { start: base + start, end: base + Math.max(end, start) }, severity, code, message });
  }

  private skipBlanks(p: number): number {
    const text = this.text;
    while (p < this.len && isBlank(text.charCodeAt(p))) p++;
    return p;
  }

  private skipName(p: number): number {
    const text = this.text;
    while (p < this.len && isNameChar(text.charCodeAt(p))) p++;
    return p;
  }

  /** True when `@` at `at` is followed by a type name and an opening delimiter. */
  private looksLikeEntry(at: number): boolean {
    const text = this.text;
    let p = at + 1;
    while (p < this.len && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p++;
    const nameEnd = this.skipName(p);
    if (nameEnd === p) return false;
    p = this.skipBlanks(nameEnd);
    const c = text.charCodeAt(p);
    return c === LBRACE || c === LPAREN;
  }

  /** After a line break at `nl`: does the next line start (after blanks) with `@type{`? */
  private newEntryFollows(nl: number): boolean {
    const text = this.text;
    let p = nl + 1;
    while (p < this.len && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p++;
    return text.charCodeAt(p) === AT && this.looksLikeEntry(p);
  }

  /** Handles the `@` at `at`; leaves `pos` after whatever it consumed. */
  private entryAt(at: number, atLineStart: boolean): void {
    const text = this.text;
    let p = at + 1;
    while (p < this.len && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p++;
    const typeStart = p;
    const typeEnd = this.skipName(p);
    if (typeEnd === typeStart) {
      // `@` in free text (an e-mail address in a comment) is harmless unless it opens a line.
      if (atLineStart) this.report(at, at + 1, "Expected an entry type after '@'.");
      this.pos = at + 1;
      return;
    }
    const open = this.skipBlanks(typeEnd);
    const openChar = text.charCodeAt(open);
    if (openChar !== LBRACE && openChar !== LPAREN) {
      if (atLineStart) this.report(at, typeEnd, `Expected '{' after '@${text.slice(typeStart, typeEnd)}'.`);
      this.pos = typeEnd;
      return;
    }
    const type = text.slice(typeStart, typeEnd).toLowerCase();
    const close = openChar === LBRACE ? RBRACE : RPAREN;
    if (type === 'comment') this.skipComment(at, open, close);
    else if (type === 'preamble') this.skipPreamble(at, open, close);
    else if (type === 'string') this.parseEntry(at, open, close, type, true);
    else this.parseEntry(at, open, close, type, false);
  }

  /** Set once an @comment ran to the end of the text unclosed: the braces after it cannot be trusted. */
  private commentsUnbalanced = false;

  /**
   * `@comment{…}`: balanced braces, no recovery (commented-out entries may sit inside). Once one comment
   * is unclosed, later ones only lose their keyword (classic BibTeX's rule), so a file of unclosed
   * comments is not rescanned to its end for each of them.
   */
  private skipComment(at: number, open: number, close: number): void {
    const end = this.commentsUnbalanced ? -1 : this.findBalancedClose(open + 1, close, false);
    if (end >= 0) {
      this.pos = end + 1;
      return;
    }
    // Its close may lie in text not yet seen (a comment may hold whole entries, so no cut stops it).
    if (this.waitForMore(at)) return;
    if (!this.commentsUnbalanced) this.report(at, open + 1, 'This @comment is never closed; only its keyword is ignored.');
    this.commentsUnbalanced = true;
    this.pos = open + 1;
  }

  private skipPreamble(at: number, open: number, close: number): void {
    const end = this.findBalancedClose(open + 1, close, true);
    if (end < 0 && this.stop === Stop.Eof && this.waitForMore(at)) return;
    if (end < 0) {
      this.report(at, open + 1, 'This @preamble is never closed.');
      this.pos = this.stop === Stop.NewEntry ? this.stopAt : this.stop === Stop.Closed ? this.stopAt + 1 : this.len;
    } else this.pos = end + 1;
  }

  /** In a buffer that is not the last: gives up the construct at `at` to scan it again with more text. */
  private waitForMore(at: number): boolean {
    if (this.final) return false;
    this.needMore = true;
    this.pos = at;
    return true;
  }

  /** Where the last `Stop.NewEntry` was detected (index of the line break before the new entry). */
  private stopAt = 0;

  /**
   * Index of the delimiter `close` at brace depth 0 from `p`, or -1 (then `stop`/`stopAt` tell why). BibTeX
   * counts every brace, escaped or not, so no escape handling here.
   */
  private findBalancedClose(p: number, close: number, recover: boolean): number {
    const text = this.text;
    const len = this.len;
    let depth = 0;
    for (; p < len; p++) {
      const c = text.charCodeAt(p);
      if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        if (depth === 0) {
          if (close === RBRACE) return p;
          this.stop = Stop.Closed;
          this.stopAt = p;
          return -1;
        }
        depth--;
      } else if (c === close && depth === 0) return p;
      else if (recover && (c === NL || c === CR) && this.newEntryFollows(p)) {
        this.stop = Stop.NewEntry;
        this.stopAt = p;
        return -1;
      }
    }
    this.stop = Stop.Eof;
    return -1;
  }

  // Next-occurrence caches for findValueClose: the first `{`, `}` and line break at or after `…From`.
  private openFrom = 0;
  private openAt = -1;
  private shutFrom = 0;
  private shutAt = -1;
  private breakFrom = 0;
  private breakAt = -1;

  private nextOpen(p: number): number {
    if (this.openFrom <= p && this.openAt >= p) return this.openAt;
    const i = this.text.indexOf('{', p);
    this.openFrom = p;
    return (this.openAt = i < 0 ? this.len : i);
  }

  private nextShut(p: number): number {
    if (this.shutFrom <= p && this.shutAt >= p) return this.shutAt;
    const i = this.text.indexOf('}', p);
    this.shutFrom = p;
    return (this.shutAt = i < 0 ? this.len : i);
  }

  private nextBreak(p: number): number {
    if (this.breakFrom <= p && this.breakAt >= p) return this.breakAt;
    const i = this.text.indexOf(this.lineBreak, p);
    this.breakFrom = p;
    return (this.breakAt = i < 0 ? this.len : i);
  }

  /**
   * findBalancedClose for `{…}` values — the hot path (abstracts are most of a .bib file). It jumps between
   * braces and line breaks with native indexOf instead of visiting every character; the caches keep a
   * one-line file with thousands of values linear.
   */
  private findValueClose(p: number): number {
    const len = this.len;
    let depth = 0;
    let open = this.nextOpen(p);
    let shut = this.nextShut(p);
    let lineBreak = this.nextBreak(p);
    for (;;) {
      if (shut < open && shut < lineBreak) {
        if (depth === 0) return shut;
        depth--;
        shut = this.nextShut(shut + 1);
      } else if (open < lineBreak) {
        depth++;
        open = this.nextOpen(open + 1);
      } else if (lineBreak < len) {
        if (this.newEntryFollows(lineBreak)) {
          this.stop = Stop.NewEntry;
          this.stopAt = lineBreak;
          return -1;
        }
        lineBreak = this.nextBreak(lineBreak + 1);
      } else {
        this.stop = Stop.Eof;
        return -1;
      }
    }
  }

  private parseEntry(at: number, open: number, close: number, type: string, isString: boolean): void {
    const text = this.text;
    const len = this.len;
    const diagnosticsBefore = this.diagnostics.length;
    let key = '';
    let keyStart = open + 1;
    let keyEnd = open + 1;
    let p = this.skipBlanks(open + 1);
    // `@article{` followed by the next entry: nothing here; the field loop reports the missing close.
    const empty = text.charCodeAt(p) === AT && this.looksLikeEntry(p);
    if (!isString && !empty) {
      keyStart = p;
      while (p < len) {
        const c = text.charCodeAt(p);
        if (isBlank(c) || c === COMMA || c === LBRACE || c === RBRACE || c === EQUALS || c === QUOTE || c === HASH || c === PERCENT || c === close) break;
        p++;
      }
      keyEnd = p;
      p = this.skipBlanks(p);
      const next = text.charCodeAt(p);
      if (next === EQUALS || keyEnd === keyStart) {
        // `@article{title = …` or `@article{, …`: fields without a key.
        this.report(at, open + 1, `This @${type} entry has no key.`);
        p = next === EQUALS ? keyStart : p;
        keyStart = keyEnd = open + 1;
        if (text.charCodeAt(p) === COMMA) p++;
      } else {
        key = text.slice(keyStart, keyEnd);
        if (next === COMMA) p++;
        else if (next !== close && p < len && !(next === AT && this.looksLikeEntry(p))) {
          this.report(p, p + 1, `Expected ',' after the key '${key}'.`);
        }
      }
    }

    const want = !this.keysOnly || isString;
    const fields: Record<string, string> | undefined = want ? {} : undefined;
    let aliases: string[] | undefined;
    let end = -1; // index after the closing delimiter, when the entry closes properly
    let resumeAt = len;
    // Whether a diagnostic already explains why the entry ends early.
    let reported = false;

    // After a syntax error: the position to read the next field from, or -1 when the entry is over (it closed,
    // or a new entry starts, which the recovery itself explains).
    const recover = (from: number): number => {
      const r = this.recoverInEntry(from, close);
      if (r.closed) end = r.pos;
      else if (r.newEntry) {
        resumeAt = r.pos;
        reported = true;
      } else return r.pos;
      return -1;
    };

    fieldLoop: while (true) {
      p = this.skipBlanks(p);
      if (p >= len) break;
      let c = text.charCodeAt(p);
      if (c === close) {
        end = p + 1;
        break;
      }
      if (c === COMMA) {
        p++;
        continue;
      }
      if (c === AT && this.looksLikeEntry(p)) {
        resumeAt = p;
        break;
      }
      if (c === PERCENT) {
        // Comment lines between fields are common in hand-edited files; biber accepts them.
        p = this.nextLineBreak(p);
        continue;
      }
      if (!isNameChar(c)) {
        this.report(p, p + 1, `Expected a field name, found '${text[p]}'.`);
        p = recover(p);
        if (p < 0) break;
        continue;
      }
      const nameStart = p;
      const nameEnd = this.skipName(p);
      p = this.skipBlanks(nameEnd);
      if (text.charCodeAt(p) !== EQUALS) {
        this.report(nameStart, nameEnd, `Expected '=' after the field name '${text.slice(nameStart, nameEnd)}'.`);
        p = recover(p);
        if (p < 0) break;
        continue;
      }
      const name = text.slice(nameStart, nameEnd).toLowerCase();
      p = this.skipBlanks(p + 1);
      const wantValue = want || name === 'ids';
      const value = this.parseValue(p, name, wantValue);
      if (value === undefined && this.stop !== Stop.None) {
        // An unclosed value: reported by parseValue; the entry ends where the scan stopped.
        reported = true;
        if (this.stop === Stop.Closed) end = this.stopAt + 1;
        else resumeAt = this.stop === Stop.NewEntry ? this.stopAt : len;
        break;
      }
      p = this.pos;
      if (value !== undefined && !(value === '' && this.undefinedMacroSeen)) {
        if (name === 'ids' && !isString) aliases = splitKeyList(value);
        if (fields) {
          if (Object.hasOwn(fields, name)) {
            this.report(nameStart, nameEnd, `Duplicate field '${name}'; the last value is used.`, 'bib-duplicate-field', 'warning');
          }
          setField(fields, name, value);
        }
      } else if (this.valueFailed) {
        this.valueFailed = false;
        p = recover(p);
        if (p < 0) break;
        continue;
      }
      p = this.skipBlanks(p);
      c = text.charCodeAt(p);
      if (c === COMMA) {
        p++;
        continue;
      }
      if (c === close) {
        end = p + 1;
        break;
      }
      if (p >= len) break;
      if (c === AT && this.looksLikeEntry(p)) {
        resumeAt = p;
        break;
      }
      if (isNameChar(c)) {
        // `title = {x} author = {y}`: report the missing comma and read on.
        this.report(p, p + 1, "Expected ',' between fields.");
        continue fieldLoop;
      }
      this.report(p, p + 1, `Expected ',' or '${String.fromCharCode(close)}' after the value of '${name}', found '${text[p]}'.`);
      p = recover(p);
      if (p < 0) break;
    }

    if (end < 0 && resumeAt >= len && this.waitForMore(at)) {
      this.diagnostics.length = diagnosticsBefore;
      return;
    }
    let entryEnd: number;
    if (end >= 0) {
      entryEnd = end;
      this.pos = end;
      this.checkEarlyClose(end);
    } else {
      entryEnd = trimEndBlanks(text, resumeAt, at);
      if (!reported) {
        this.report(at, open + 1, `This @${type} entry is never closed (missing '${String.fromCharCode(close)}').`);
      }
      this.pos = resumeAt;
    }

    if (isString) {
      if (fields) for (const name of Object.keys(fields)) this.macros.set(name, fields[name]);
      return;
    }
    if (key === '') return;
    const existing = this.byKey.get(key);
    if (existing) {
      this.report(keyStart, keyEnd, `Duplicate key '${key}' (first defined at offset ${existing.keySpan.start}); this entry is ignored.`, 'duplicate-key', 'warning');
      return;
    }
    const base = this.base;
    const entry: BibEntry = { key, type, format: 'bibtex', span: { start: base + at, end: base + entryEnd }, keySpan: { start: base + keyStart, end: base + keyEnd }, fields };
    if (aliases && aliases.length) entry.aliases = aliases;
    this.byKey.set(key, entry);
    this.entries.push(entry);
  }

  /** `title = {x}},\n author = …`: an extra `}` closed the entry early; the rest would silently vanish. */
  private checkEarlyClose(end: number): void {
    const text = this.text;
    let p = end;
    while (p < this.len && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p++;
    if (text.charCodeAt(p) !== COMMA) return;
    const q = this.skipBlanks(p + 1);
    const nameEnd = this.skipName(q);
    if (nameEnd > q && text.charCodeAt(this.skipBlanks(nameEnd)) === EQUALS) {
      this.report(end - 1, end, 'This closing brace ends the entry early; the fields after it are lost (extra \'}\'?).');
    }
  }

  /**
   * After a syntax error inside an entry: skip to the next depth-0 comma (more fields follow), the entry's
   * closing delimiter, or the start of a new entry (at depth 0, or on a new line at any depth).
   */
  private recoverInEntry(p: number, close: number): { pos: number; closed: boolean; newEntry: boolean } {
    const text = this.text;
    // The error may sit right on the next entry (`title` cut off before `@book{…` on the next line).
    if (text.charCodeAt(p) === AT && this.looksLikeEntry(p)) return { pos: p, closed: false, newEntry: true };
    let depth = 0;
    for (; p < this.len; p++) {
      const c = text.charCodeAt(p);
      if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        if (depth === 0 && close === RBRACE) return { pos: p + 1, closed: true, newEntry: false };
        depth = Math.max(0, depth - 1);
      } else if (depth === 0 && c === close) return { pos: p + 1, closed: true, newEntry: false };
      else if (depth === 0 && c === COMMA) return { pos: p + 1, closed: false, newEntry: false };
      else if (depth === 0 && c === AT && this.looksLikeEntry(p)) return { pos: p, closed: false, newEntry: true };
      else if ((c === NL || c === CR) && this.newEntryFollows(p)) {
        return { pos: this.skipBlanks(p), closed: false, newEntry: true };
      }
    }
    return { pos: this.len, closed: false, newEntry: false };
  }

  /** Set when the last value referred to an undefined macro. */
  private undefinedMacroSeen = false;

  /** Set when parseValue found no value at all (a syntax error that recoverInEntry should handle). */
  private valueFailed = false;

  /**
   * Reads `part # part # …` from `p`. Returns the expanded value (or undefined when `want` is false or the
   * value is broken) and leaves `pos` after it. An unclosed brace/quote sets `stop` and reports itself.
   */
  private parseValue(p: number, fieldName: string, want: boolean): string | undefined {
    const text = this.text;
    this.stop = Stop.None;
    this.valueFailed = false;
    this.undefinedMacroSeen = false;
    let value: string | undefined;
    let parts: string[] | undefined;
    while (true) {
      const c = text.charCodeAt(p);
      let part: string | undefined;
      if (c === LBRACE || c === QUOTE) {
        const end = c === LBRACE ? this.findValueClose(p + 1) : this.findQuoteClose(p + 1);
        if (end < 0) {
          const what = c === LBRACE ? "'{'" : 'quote';
          this.report(p, p + 1, `Unbalanced braces in '${fieldName}': this ${what} is never closed (or a '}' inside is missing).`);
          if (this.stop === Stop.None) this.stop = Stop.Eof;
          return undefined;
        }
        if (want) part = text.slice(p + 1, end);
        p = end + 1;
      } else if (isDigit(c)) {
        const start = p;
        while (p < this.len && isDigit(text.charCodeAt(p))) p++;
        if (want) part = text.slice(start, p);
      } else if (isNameChar(c)) {
        const start = p;
        p = this.skipName(p);
        if (want) {
          const name = text.slice(start, p).toLowerCase();
          part = this.macros.get(name);
          if (part === undefined) {
            // Like biber, a value made only of undefined macros leaves the field out.
            this.undefinedMacroSeen = true;
            this.report(start, p, `Undefined macro '${text.slice(start, p)}'.`, 'bib-undefined-macro', 'warning');
            part = '';
          }
        }
      } else {
        const found = p >= this.len ? 'the end of the file' : `'${text[p]}'`;
        this.report(p, Math.min(p + 1, this.len), `Expected a value for '${fieldName}' ({…}, "…", a number or a macro), found ${found}.`);
        this.valueFailed = true;
        this.pos = p;
        return undefined;
      }
      if (part !== undefined) {
        if (value === undefined) value = part;
        else (parts ??= [value]).push(part);
      }
      const after = this.skipBlanks(p);
      if (text.charCodeAt(after) !== HASH) break;
      p = this.skipBlanks(after + 1);
    }
    this.pos = p;
    return parts ? parts.join('') : value;
  }

  /** Index of the closing `"` at brace depth 0 from `p`, or -1 (with `stop` set). */
  private findQuoteClose(p: number): number {
    const text = this.text;
    const len = this.len;
    let depth = 0;
    for (; p < len; p++) {
      const c = text.charCodeAt(p);
      if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        if (depth === 0) {
          // A `}` before the closing quote: the quote was never closed and this brace ends the entry.
          this.stop = Stop.Closed;
          this.stopAt = p;
          return -1;
        }
        depth--;
      } else if (c === QUOTE && depth === 0) return p;
      else if ((c === NL || c === CR) && this.newEntryFollows(p)) {
        this.stop = Stop.NewEntry;
        this.stopAt = p;
        return -1;
      }
    }
    this.stop = Stop.Eof;
    return -1;
  }
}

function trimEndBlanks(text: string, end: number, floor: number): number {
  while (end > floor && isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

function splitKeyList(value: string): string[] {
  return value
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

/** Plain assignment would let a field called `__proto__` replace the object's prototype. */
function setField(fields: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  else fields[name] = value;
}

// ---------------------------------------------------------------------------------------------
// crossref / xdata inheritance

/** Fields never inherited (BibLaTeX's `\DefaultInheritance` exclusions). */
const NOT_INHERITED = new Set([
  'ids', 'crossref', 'xref', 'xdata', 'entryset', 'entrysubtype', 'execute', 'label', 'options', 'presort',
  'related', 'relatedoptions', 'relatedstring', 'relatedtype', 'shorthand', 'shorthandintro', 'sortkey',
]);

type TitleMapping = Record<string, string | null>;
const TITLE_TO_MAIN: TitleMapping = {
  title: 'maintitle', subtitle: 'mainsubtitle', titleaddon: 'maintitleaddon',
  shorttitle: null, sorttitle: null, indextitle: null, indexsorttitle: null,
};
const TITLE_TO_BOOK: TitleMapping = {
  title: 'booktitle', subtitle: 'booksubtitle', titleaddon: 'booktitleaddon',
  shorttitle: null, sorttitle: null, indextitle: null, indexsorttitle: null,
};
const TITLE_TO_JOURNAL: TitleMapping = {
  title: 'journaltitle', subtitle: 'journalsubtitle', titleaddon: 'journaltitleaddon',
  shorttitle: null, sorttitle: null, indextitle: null, indexsorttitle: null,
};

const IN_BOOK = new Set(['inbook', 'bookinbook', 'suppbook']);
const IN_COLLECTION = new Set(['incollection', 'inreference', 'suppcollection']);
const BOOKLIKE = new Set(['book', 'collection', 'reference', 'proceedings']);

/** BibLaTeX's default field mapping from a parent type to a child type (biblatex.def), for titles. */
function titleMapping(parentType: string, childType: string): TitleMapping | undefined {
  if (parentType.startsWith('mv')) return TITLE_TO_MAIN;
  if (parentType === 'book' && IN_BOOK.has(childType)) return TITLE_TO_BOOK;
  if ((parentType === 'collection' || parentType === 'reference') && IN_COLLECTION.has(childType)) return TITLE_TO_BOOK;
  if (parentType === 'proceedings' && childType === 'inproceedings') return TITLE_TO_BOOK;
  if (parentType === 'periodical' && (childType === 'article' || childType === 'suppperiodical')) return TITLE_TO_JOURNAL;
  // Classic BibTeX pairs (`@incollection` with `crossref` to a `@book`) get the book title as booktitle too.
  if (BOOKLIKE.has(parentType) && childType.startsWith('in')) return TITLE_TO_BOOK;
  return undefined;
}

/**
 * Copies parent fields the child lacks (child wins), then the child's `xdata` fields, then `crossref`. Works
 * through the entries in order and can stop at a deadline between two of them and carry on later.
 */
class InheritanceResolver {
  private readonly resolved = new Set<BibEntry>();
  private readonly resolving = new Set<BibEntry>();
  private next = 0;

  /** `byKey` is the scanner's own map: building another for 20,000 entries took 44 ms in one block in the host. */
  constructor(
    private readonly entries: BibEntry[],
    private readonly byKey: ReadonlyMap<string, BibEntry>,
  ) {}

  get done(): boolean {
    return this.next >= this.entries.length;
  }

  /** Resolves entries until all are done or `deadline` (a `performance.now()` time) has passed. */
  run(deadline = Infinity): void {
    const entries = this.entries;
    while (this.next < entries.length) {
      this.resolve(entries[this.next++]);
      if (deadline !== Infinity && (this.next & 255) === 0 && performance.now() >= deadline) return;
    }
  }

  private resolve(entry: BibEntry): void {
    const fields = entry.fields;
    // Most entries inherit nothing: nothing to remember about them either.
    if (!fields || (fields.crossref === undefined && fields.xdata === undefined)) return;
    if (this.resolved.has(entry) || this.resolving.has(entry)) return;
    this.resolving.add(entry);
    if (fields.xdata !== undefined) {
      for (const key of splitKeyList(fields.xdata)) {
        const source = this.byKey.get(key);
        if (!source?.fields || source === entry) continue;
        this.resolve(source);
        inherit(fields, source.fields, undefined);
      }
    }
    if (fields.crossref !== undefined) {
      const parent = this.byKey.get(fields.crossref.trim());
      if (parent?.fields && parent !== entry) {
        this.resolve(parent);
        inherit(fields, parent.fields, titleMapping(parent.type, entry.type));
      }
    }
    this.resolving.delete(entry);
    this.resolved.add(entry);
  }
}

/** A child with its own date keeps it whole: no parent `year` next to the child's `date`, or vice versa. */
const DATE_PARTS = ['date', 'year', 'month'];

function inherit(child: Record<string, string>, parent: Record<string, string>, mapping: TitleMapping | undefined): void {
  const childHasDate = DATE_PARTS.some((name) => Object.hasOwn(child, name));
  for (const name of Object.keys(parent)) {
    if (NOT_INHERITED.has(name) || (childHasDate && DATE_PARTS.includes(name))) continue;
    let target: string | null = name;
    if (mapping && Object.hasOwn(mapping, name)) target = mapping[name];
    if (target !== null && !Object.hasOwn(child, target)) setField(child, target, parent[name]);
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Parses BibTeX/BibLaTeX text. Never throws. Entries keep their raw field values (macros expanded,
 * `#` concatenated, outer delimiters removed, LaTeX not decoded, whitespace as written); `crossref` and
 * `xdata` fields are inherited. Duplicate keys keep the first entry.
 */
export function parseBibtex(text: string, options?: BibtexOptions): ParseResult<BibEntry[]> {
  const parse = new BibtexParse(text, options);
  parse.step(Infinity);
  return parse.result();
}

/**
 * `parseBibtex` in time-boxed steps, for files too large to parse in one go without stalling the caller's
 * event loop. The result is exactly `parseBibtex`'s: the scan and the inheritance pass pause between entries.
 */
export class BibtexParse {
  private readonly scanner: BibtexScanner;
  private resolver?: InheritanceResolver;

  constructor(
    text: string,
    private readonly options?: BibtexOptions,
  ) {
    this.scanner = new BibtexScanner(options?.keysOnly === true, lineBreakOf(text));
    this.scanner.load(text, 0, text.length, true);
  }

  /** Works for about `budgetMs` (at least one entry); true once the parse is complete. */
  step(budgetMs: number): boolean {
    const deadline = budgetMs === Infinity ? Infinity : performance.now() + budgetMs;
    if (!this.scanner.done) {
      this.scanner.scan(deadline);
      if (!this.scanner.done) return false;
    }
    if (this.options?.keysOnly === true) return true;
    this.resolver ??= new InheritanceResolver(this.scanner.entries, this.scanner.byKey);
    this.resolver.run(deadline);
    return this.resolver.done;
  }

  /** The parse so far; complete once `step` has returned true. */
  result(): ParseResult<BibEntry[]> {
    return { value: this.scanner.entries, diagnostics: this.scanner.diagnostics };
  }
}

/**
 * `parseBibtex` that awaits `yieldNow` whenever it has worked for `sliceMs`, so the event loop (an editor's
 * extension host) stays responsive during a 30 MB file. The caller decides how to yield; the parser stays
 * free of any environment's scheduling API.
 */
export async function parseBibtexSliced(
  text: string,
  options: BibtexOptions | undefined,
  yieldNow: () => Promise<void>,
  sliceMs = 8,
): Promise<ParseResult<BibEntry[]>> {
  const parse = new BibtexParse(text, options);
  while (!parse.step(sliceMs)) await yieldNow();
  return parse.result();
}

/** Text before the start of a chunk searched along with it for an entry's head that straddles two chunks. */
const HEAD_CONTEXT = 256;

/**
 * Start of the last line in `text` that opens an entry (blanks, then `@type{` or `@type(` wholly inside `text`)
 * right after a `lineBreak`; 0 when there is none. Every scan that could run past such a line stops at it
 * (values, recovery and unclosed constructs all check for a new entry after each line break), comments aside,
 * so a buffer cut there parses as the whole text does.
 */
function lastEntryLineStart(text: string, lineBreak: LineBreak): number {
  for (let at = text.lastIndexOf('@'); at > 0; at = text.lastIndexOf('@', at - 1)) {
    let p = at - 1;
    while (p >= 0 && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p--;
    if (p < 0 || text[p] !== lineBreak) continue;
    let q = at + 1;
    while (q < text.length && (text.charCodeAt(q) === SPACE || text.charCodeAt(q) === TAB)) q++;
    const nameStart = q;
    while (q < text.length && isNameChar(text.charCodeAt(q))) q++;
    if (q === nameStart) continue;
    while (q < text.length && isBlank(text.charCodeAt(q))) q++;
    const c = text.charCodeAt(q);
    if (c === LBRACE || c === LPAREN) return p + 1;
  }
  return 0;
}

/** What parseBibtexPieces returns: the parse, and the text as the pieces it was scanned in. */
export interface BibtexPiecesResult {
  parse: ParseResult<BibEntry[]>;
  /** Their concatenation is the whole text, which the spans index; each piece ends before an entry. */
  pieces: string[];
}

/**
 * `parseBibtexSliced` over text that arrives in chunks (a large file decoded a chunk at a time), so it never
 * needs the text as one string: joining a 30 MB file's decoded chunks is one 60 MB copy, up to 250 ms in an
 * extension host. `nextChunk` gives the text's next chunk, undefined at its end; `lineBreak` is `\r` only when
 * the whole text has `\r` and no `\n` (what `parseBibtex` finds out from the whole text). The result, spans
 * included, is exactly `parseBibtex`'s on the chunks joined.
 */
export async function parseBibtexPieces(
  nextChunk: () => string | undefined,
  options: BibtexOptions & { lineBreak: LineBreak },
  yieldNow: () => Promise<void>,
  sliceMs = 8,
): Promise<BibtexPiecesResult> {
  const scanner = new BibtexScanner(options.keysOnly === true, options.lineBreak);
  const pieces: string[] = [];
  let deadline = performance.now() + sliceMs;
  const pauseIfOver = async () => {
    if (performance.now() < deadline) return;
    await yieldNow();
    deadline = performance.now() + sliceMs;
  };
  // Text not yet scanned, from global offset `restBase`; `cut` is the last entry line start found in it.
  let rest = '';
  let restBase = 0;
  let ended = false;
  // After an entry needed more text than its buffer held, the next buffer is at least this long.
  let wanted = 0;
  for (;;) {
    let cut = 0;
    let before = rest.slice(-HEAD_CONTEXT);
    while (!ended && (cut === 0 || rest.length < wanted)) {
      const chunk = nextChunk();
      if (chunk === undefined) {
        ended = true;
        break;
      }
      // Only the new chunk is searched, so a file without cuts stays linear; a head that straddles the chunk's
      // start is looked for in a small window around it, so the chunk itself is never copied for the search.
      const inChunk = lastEntryLineStart(chunk, options.lineBreak);
      const straddling = inChunk > 0 ? 0 : lastEntryLineStart(before + chunk.slice(0, HEAD_CONTEXT), options.lineBreak);
      if (inChunk > 0) cut = rest.length + inChunk;
      else if (straddling > 0) cut = rest.length - before.length + straddling;
      before = chunk.length >= HEAD_CONTEXT ? chunk.slice(-HEAD_CONTEXT) : (before + chunk).slice(-HEAD_CONTEXT);
      rest += chunk;
      await pauseIfOver();
    }
    scanner.load(rest, restBase, ended ? rest.length : cut, ended);
    for (;;) {
      scanner.scan(deadline);
      if (scanner.done) break;
      await pauseIfOver();
    }
    const used = scanner.position;
    if (used > 0) pieces.push(rest.slice(0, used));
    rest = rest.slice(used);
    restBase += used;
    if (!scanner.needMore) {
      if (ended) break;
      wanted = 0;
    } else wanted = 2 * rest.length;
    await pauseIfOver();
  }
  if (options.keysOnly !== true) {
    const resolver = new InheritanceResolver(scanner.entries, scanner.byKey);
    for (;;) {
      resolver.run(deadline);
      if (resolver.done) break;
      await pauseIfOver();
    }
  }
  return { parse: { value: scanner.entries, diagnostics: scanner.diagnostics }, pieces };
}

const infoCache = new WeakMap<BibEntry, PaperInfo>();

/** Display metadata of an entry, decoded on first use and memoised per entry object. */
export function paperInfo(entry: BibEntry): PaperInfo {
  if (entry.info) return entry.info;
  let info = infoCache.get(entry);
  if (!info) {
    info = decodeInfo(entry.fields ?? {});
    infoCache.set(entry, info);
  }
  return info;
}

function field(fields: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

function decoded(fields: Record<string, string>, ...names: string[]): string | undefined {
  for (const name of names) {
    const raw = field(fields, name);
    if (raw === undefined) continue;
    const value = latexToUnicode(raw);
    if (value !== '') return value;
  }
  return undefined;
}

function decodeInfo(fields: Record<string, string>): PaperInfo {
  const info: PaperInfo = { authors: [], keywords: [] };
  const title = decoded(fields, 'title');
  if (title !== undefined) info.title = title;
  const names = field(fields, 'author') ?? field(fields, 'editor');
  if (names !== undefined) info.authors = parseBibtexNames(names).map(formatName).filter((n) => n !== '');

  const year = yearOf(field(fields, 'year')) ?? yearOf(field(fields, 'date'));
  if (year !== undefined) info.year = year;

  const eprint = field(fields, 'eprint');
  const eprintType = (field(fields, 'eprinttype') ?? field(fields, 'archiveprefix'))?.trim();
  const venue =
    decoded(fields, 'journaltitle', 'journal', 'booktitle', 'publisher', 'institution', 'school', 'organization') ??
    (eprint !== undefined && eprintType ? `${plainIdentifier(eprintType)}:${plainIdentifier(eprint)}` : undefined);
  if (venue !== undefined) info.venue = venue;

  const doi = field(fields, 'doi');
  if (doi !== undefined && normalizeDoi(doi) !== '') info.doi = normalizeDoi(doi);
  const url = field(fields, 'url');
  if (url !== undefined && plainIdentifier(url) !== '') info.url = plainIdentifier(url);

  let arxiv: string | undefined;
  if (eprint !== undefined && (eprintType === undefined ? true : /^\{?arxiv\}?$/i.test(eprintType))) {
    arxiv = arxivFromEprint(eprint);
  }
  arxiv ??= (info.url && arxivFromText('url', info.url)) || (info.doi && arxivFromText('doi', info.doi)) || undefined;
  if (arxiv === undefined) {
    for (const name of ['journal', 'journaltitle', 'note', 'howpublished']) {
      const text = field(fields, name);
      arxiv = text === undefined ? undefined : arxivFromText('text', text);
      if (arxiv) break;
    }
  }
  if (arxiv) info.arxiv = arxiv;

  const abstract = decoded(fields, 'abstract');
  if (abstract !== undefined) info.abstract = abstract;
  const keywords = field(fields, 'keywords');
  if (keywords !== undefined) {
    info.keywords = keywords
      .split(/[,;]/)
      .map((k) => latexToUnicode(k))
      .filter((k) => k !== '');
  }
  return info;
}

/** `2020`, `{2020}`, `2020-05-03`, `2020/2021` → `2020`; other text is returned decoded. */
function yearOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const match = /(?:^|[^\d])(\d{4})(?!\d)/.exec(raw);
  if (match) return match[1];
  const text = latexToUnicode(raw);
  return text === '' ? undefined : text;
}
