// YAML frontmatter of Markdown documents: a leading `---` line, YAML, then a `---` or `...` line.
// Parsed by the `yaml` package, never by an engine that can execute code: `---js` and friends (gray-matter's
// language openers) are reported and left alone. Flat blocks of simple scalars take a fast path that accepts
// only YAML whose meaning is unambiguous and is fuzz-checked against the package (see readSimpleYaml).
// Alias expansion is capped so a billion-laughs block is a diagnostic rather than a hang, absurd flow nesting
// is refused up front, and any exception inside the YAML library is turned into a diagnostic.
import { isMap, isScalar, parseDocument } from 'yaml';
import type { CoreDiagnostic, Frontmatter, ParseResult, Span } from '../model';
import { excessiveYamlFlowDepth, MAX_YAML_FLOW_DEPTH, withLfLineBreaks } from './yamlGuard';

/** More aliases than any real note needs; enough to stop exponential expansion early. */
const MAX_ALIAS_COUNT = 100;
const OPENER = /---[ \t]*(?:\r\n|\n|\r|$)/y;
const LANGUAGE_OPENER = /---([A-Za-z][\w+-]*)[ \t]*(?:\r\n|\n|\r|$)/y;

interface Fences {
  contentStart: number;
  contentEnd: number;
  /** End of the closing fence line including its line break. */
  blockEnd: number;
}

/** Finds the closing `---`/`...` line, scanning line by line (any line ending). */
function findClosingFence(text: string, contentStart: number): Fences | undefined {
  let lineStart = contentStart;
  const n = text.length;
  while (lineStart < n) {
    let lineEnd = lineStart;
    while (lineEnd < n) {
      const c = text.charCodeAt(lineEnd);
      if (c === 10 || c === 13) break;
      lineEnd++;
    }
    const c0 = text.charCodeAt(lineStart);
    if ((c0 === 45 || c0 === 46) && lineEnd - lineStart >= 3) {
      const line = text.slice(lineStart, lineEnd);
      if (/^(?:---|\.\.\.)[ \t]*$/.test(line)) {
        let blockEnd = lineEnd;
        if (text.charCodeAt(blockEnd) === 13) blockEnd++;
        if (text.charCodeAt(blockEnd) === 10) blockEnd++;
        return { contentStart, contentEnd: lineStart, blockEnd };
      }
    }
    if (lineEnd >= n) break;
    lineStart = lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
  }
  return undefined;
}

function clampSpan(start: number, end: number, min: number, max: number): Span {
  const s = Math.max(min, Math.min(start, max));
  return { start: s, end: Math.max(s, Math.min(end, max)) };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------
// Fast path. The yaml package costs ~60 µs even for a seven-line note, which alone would take most of the
// one-second budget for 10,000 notes. Typical note front matter is a flat mapping of simple scalars and
// one-line lists, for which YAML's meaning is unambiguous; this reader accepts exactly that subset and gives
// up (returns undefined) on anything else, which then goes to the yaml package. It reads the block in place,
// by offsets, without splitting lines or running a regular expression per line. Results, including value
// spans, are checked against the yaml package by test/unit/fuzz-frontmatter.test.ts.

const TAB = 9;
const SPACE = 32;
const HASH = 35;
const QUOTE = 34;
const APOSTROPHE = 39;
const COLON = 58;
const DASH = 45;
const LBRACKET = 91;
const RBRACKET = 93;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Keys YAML reads as something other than their text, and a key that would set an object's prototype. */
const SPECIAL_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__']);
const NULL_SCALARS = new Set(['~', 'null', 'Null', 'NULL']);
const TRUE_SCALARS = new Set(['true', 'True', 'TRUE']);
const FALSE_SCALARS = new Set(['false', 'False', 'FALSE']);
/** Anything YAML's core schema might read as a number (including `.5`, `+1`, `0x1F`, `.inf`). */
const NUMBER_LIKE = /^[-+]?(?:[0-9]|\.[0-9]|\.(?:inf|Inf|INF|nan|NaN|NAN)$)/;
const SIMPLE_INT = /^(?:0|-?[1-9][0-9]{0,14})$/;
const SIMPLE_FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/**
 * Keys notes and Pandoc documents use, as literals: a key read from the text must be looked up in V8's string
 * table before it can name a property, which a literal already is.
 */
const COMMON_KEYS = [
  'citekey', 'id', 'title', 'author', 'authors', 'year', 'date', 'tags', 'methods', 'problems', 'status', 'doi',
  'arxiv', 'url', 'venue', 'abstract', 'keywords', 'bibliography', 'references', 'aliases', 'type', 'lang',
];
const COMMON_KEYS_BY_LENGTH: string[][] = [];
for (const key of COMMON_KEYS) (COMMON_KEYS_BY_LENGTH[key.length] ??= []).push(key);

const GIVE_UP = Symbol('give up');

type Scalar = string | number | boolean | null;

/**
 * List items are gathered here and copied out at their exact length: an array grown by `push` keeps room for
 * 16 items, and an index holds the short lists of thousands of notes.
 */
const gathered: Scalar[] = [];

function isKeyStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isKeyChar(c: number): boolean {
  return isKeyStart(c) || (c >= 48 && c <= 57) || c === DASH;
}

/**
 * Whether the block holds a tab (YAML white space, which the subset rules do not model) or a lone CR (a line
 * break to the yaml package's path, which makes it LF, but not to the line rules here).
 */
function hasTabOrLoneCr(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === TAB || (c === CR && (i + 1 >= end || text.charCodeAt(i + 1) !== LF))) return true;
  }
  return false;
}

/** End of the line starting at `i`: its LF, or `end`. */
function lineEnd(text: string, i: number, end: number): number {
  const lf = text.indexOf('\n', i);
  return lf < 0 || lf > end ? end : lf;
}

/** End of a line's content: before a CRLF's CR. */
function lineContentEndOf(text: string, lineStart: number, lf: number): number {
  return lf > lineStart && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
}

function trimSpacesEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && text.charCodeAt(e - 1) === SPACE) e--;
  return e;
}

function keyAt(text: string, start: number, end: number): string {
  const candidates = COMMON_KEYS_BY_LENGTH[end - start];
  if (candidates) for (const key of candidates) if (text.startsWith(key, start)) return key;
  return text.slice(start, end);
}

/** The plain or quoted scalar text[start, end) as YAML's core schema reads it, or GIVE_UP when unsure. */
function simpleScalar(text: string, start: number, end: number, inFlow: boolean): Scalar | typeof GIVE_UP {
  if (start >= end) return GIVE_UP;
  const first = text.charCodeAt(start);
  if (first === QUOTE || first === APOSTROPHE) {
    if (end - start < 2 || text.charCodeAt(end - 1) !== first) return GIVE_UP;
    for (let i = start + 1; i < end - 1; i++) {
      const c = text.charCodeAt(i);
      if (c === first || (first === QUOTE && c === 92)) return GIVE_UP;
    }
    return text.slice(start + 1, end - 1);
  }
  if (text.charCodeAt(end - 1) === COLON) return GIVE_UP;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (i + 1 < end && ((c === COLON && next === SPACE) || (c === SPACE && next === HASH))) return GIVE_UP;
    if (inFlow && (c === LBRACKET || c === RBRACKET || c === 123 || c === 125 || c === COMMA)) return GIVE_UP;
  }
  const raw = text.slice(start, end);
  // Null and boolean words are at most five characters: longer values skip hashing a fresh string three times.
  if (raw.length <= 5) {
    if (NULL_SCALARS.has(raw)) return null;
    if (TRUE_SCALARS.has(raw)) return true;
    if (FALSE_SCALARS.has(raw)) return false;
  }
  if (first === 43 || first === DASH || first === 46 || (first >= 48 && first <= 57)) {
    if (NUMBER_LIKE.test(raw)) return SIMPLE_INT.test(raw) || SIMPLE_FLOAT.test(raw) ? Number(raw) : GIVE_UP;
  }
  // Plain scalars may start with a letter, `_`, `/`, `(`, `$`, `~` or anything beyond ASCII.
  return isKeyStart(first) || first === 47 || first === 40 || first === 36 || first === 126 || first >= 128 ? raw : GIVE_UP;
}

/** `[a, "b", 3]` on one line, items simple scalars; GIVE_UP for nesting, trailing commas, anything odd. */
function simpleFlowList(text: string, start: number, end: number): Scalar[] | typeof GIVE_UP {
  if (text.charCodeAt(end - 1) !== RBRACKET || end - start < 2) return GIVE_UP;
  const innerEnd = end - 1;
  let i = start + 1;
  if (trimSpacesEnd(text, i, innerEnd) === i) return [];
  gathered.length = 0;
  for (;;) {
    while (text.charCodeAt(i) === SPACE) i++;
    const c = text.charCodeAt(i);
    let itemEnd: number;
    if (c === QUOTE || c === APOSTROPHE) {
      let close = i + 1;
      while (close < innerEnd && text.charCodeAt(close) !== c) close++;
      if (close >= innerEnd) return GIVE_UP;
      itemEnd = close + 1;
    } else {
      itemEnd = i;
      while (itemEnd < innerEnd && text.charCodeAt(itemEnd) !== COMMA) itemEnd++;
    }
    const value = simpleScalar(text, i, trimSpacesEnd(text, i, itemEnd), true);
    if (value === GIVE_UP) return GIVE_UP;
    gathered.push(value);
    let j = itemEnd;
    while (j < innerEnd && text.charCodeAt(j) === SPACE) j++;
    if (j >= innerEnd) return gathered.slice();
    if (text.charCodeAt(j) !== COMMA) return GIVE_UP;
    // After a trailing comma the next item is empty, which gives up.
    i = j + 1;
  }
}

/**
 * The subset reader over the YAML in text[start, end): data and value spans (offsets into `text`), or
 * undefined to defer to the yaml package.
 */
export function readSimpleYaml(
  text: string,
  start = 0,
  end = text.length,
): { data: Record<string, unknown>; valueSpans: Record<string, Span> } | undefined {
  if (hasTabOrLoneCr(text, start, end)) return undefined;
  const data: Record<string, unknown> = {};
  const valueSpans: Record<string, Span> = {};
  let next = start;
  while (next < end) {
    const lineStart = next;
    const lf = lineEnd(text, lineStart, end);
    const lineContentEnd = lineContentEndOf(text, lineStart, lf);
    next = lf + 1;
    if (lineContentEnd === lineStart) continue;
    const first = text.charCodeAt(lineStart);
    if (first === HASH) continue;
    // `key:` at the line start; a key that YAML would read differently, or repeats, is left to the package, and
    // so is an indented line (a value continued or nested).
    if (!isKeyStart(first)) return undefined;
    let colon = lineStart + 1;
    while (colon < lineContentEnd && isKeyChar(text.charCodeAt(colon))) colon++;
    if (colon >= lineContentEnd || text.charCodeAt(colon) !== COLON) return undefined;
    const key = keyAt(text, lineStart, colon);
    if (SPECIAL_KEYS.has(key) || key in data) return undefined;
    if (colon + 1 === lineContentEnd) {
      // `key:` alone: a block list of simple scalars follows, or the value is null.
      gathered.length = 0;
      let indent = -1;
      let listStart = -1;
      let listEnd = -1;
      while (next < end) {
        const itemLf = lineEnd(text, next, end);
        const itemContentEnd = lineContentEndOf(text, next, itemLf);
        let dash = next;
        while (dash < itemContentEnd && text.charCodeAt(dash) === SPACE) dash++;
        if (text.charCodeAt(dash) !== DASH || dash + 1 >= itemContentEnd || text.charCodeAt(dash + 1) !== SPACE) break;
        if (indent >= 0 && dash - next !== indent) break;
        indent = dash - next;
        let valueStart = dash + 1;
        while (text.charCodeAt(valueStart) === SPACE && valueStart < itemContentEnd) valueStart++;
        const value = simpleScalar(text, valueStart, trimSpacesEnd(text, valueStart, itemContentEnd), false);
        if (value === GIVE_UP) return undefined;
        gathered.push(value);
        if (listStart < 0) listStart = dash;
        listEnd = Math.min(itemLf + 1, end);
        next = itemLf + 1;
      }
      if (gathered.length === 0) {
        data[key] = null;
        valueSpans[key] = { start: colon + 1, end: colon + 1 };
      } else {
        data[key] = gathered.slice();
        valueSpans[key] = { start: listStart, end: listEnd };
      }
      continue;
    }
    if (text.charCodeAt(colon + 1) !== SPACE) return undefined;
    let valueStart = colon + 2;
    while (valueStart < lineContentEnd && text.charCodeAt(valueStart) === SPACE) valueStart++;
    const valueEnd = trimSpacesEnd(text, valueStart, lineContentEnd);
    if (valueEnd === valueStart) return undefined;
    const value =
      text.charCodeAt(valueStart) === LBRACKET ? simpleFlowList(text, valueStart, valueEnd) : simpleScalar(text, valueStart, valueEnd, false);
    if (value === GIVE_UP) return undefined;
    data[key] = value;
    valueSpans[key] = { start: valueStart, end: valueEnd };
  }
  return { data, valueSpans };
}

export function parseFrontmatter(text: string): ParseResult<Frontmatter | undefined> {
  const diagnostics: CoreDiagnostic[] = [];
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  OPENER.lastIndex = bom;
  const opener = OPENER.exec(text);
  if (!opener) {
    LANGUAGE_OPENER.lastIndex = bom;
    const lang = LANGUAGE_OPENER.exec(text);
    if (lang) {
      diagnostics.push({
        span: { start: bom, end: bom + 3 + lang[1].length },
        severity: 'info',
        code: 'frontmatter-language',
        message: `'---${lang[1]}' front matter is not read: only YAML front matter is supported, and code in it is never executed.`,
      });
    }
    return { value: undefined, diagnostics };
  }
  const contentStart = bom + opener[0].length;
  // `---` as the very last line is a thematic break, not an unterminated block.
  if (contentStart >= text.length) return { value: undefined, diagnostics };
  const fences = findClosingFence(text, contentStart);
  if (!fences) {
    // A `---` followed by a blank line is a thematic break (Pandoc's rule), not a broken block.
    if (/^[ \t]*(?:\r\n|\n|\r|$)/.test(text.slice(contentStart, contentStart + 80))) return { value: undefined, diagnostics };
    diagnostics.push({
      span: { start: bom, end: bom + 3 },
      severity: 'warning',
      code: 'frontmatter-unclosed',
      message: "Front matter starts with '---' but has no closing '---' or '...' line; it is not read.",
    });
    return { value: undefined, diagnostics };
  }
  const { contentEnd, blockEnd } = fences;
  const span = { start: bom, end: blockEnd };
  const contentSpan = { start: contentStart, end: contentEnd };
  // The subset reader needs no nesting guard: it accepts no nesting at all.
  const simple = readSimpleYaml(text, contentStart, contentEnd);
  if (simple) return { value: { span, contentSpan, valueSpans: simple.valueSpans, data: simple.data }, diagnostics };

  // The yaml package does not treat a lone CR as a line break; making it LF keeps every offset.
  const yamlText = text.slice(contentStart, contentEnd).replace(/\r(?!\n)/g, '\n');
  const frontmatter: Frontmatter = { span, contentSpan, valueSpans: {} };
  const at = (start: number, end: number): Span =>
    clampSpan(contentStart + start, contentStart + end, contentStart, contentEnd);

  const tooDeep = excessiveYamlFlowDepth(withLfLineBreaks(yamlText));
  if (tooDeep >= 0) {
    diagnostics.push({
      span: at(tooDeep, tooDeep + 1),
      severity: 'error',
      code: 'frontmatter-too-deep',
      message: `Front matter nests lists or mappings more than ${MAX_YAML_FLOW_DEPTH} levels deep; it is not read.`,
    });
    return { value: frontmatter, diagnostics };
  }

  try {
    // logLevel 'error': the library's own warnings would go to process.emitWarning, i.e. the host's log.
    const doc = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
    for (const error of doc.errors) {
      const [start, end] = error.pos;
      const duplicate = error.code === 'DUPLICATE_KEY';
      diagnostics.push({
        span: at(start, Math.max(end, start + 1)),
        severity: 'error',
        code: duplicate ? 'frontmatter-duplicate-key' : 'frontmatter-yaml',
        message: duplicate ? 'Duplicate key in front matter.' : `Front matter YAML: ${firstLine(error.message)}`,
      });
    }
    for (const warning of doc.warnings) {
      const [start, end] = warning.pos;
      diagnostics.push({
        span: at(start, Math.max(end, start + 1)),
        severity: 'warning',
        code: 'frontmatter-yaml',
        message: `Front matter YAML: ${firstLine(warning.message)}`,
      });
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      frontmatter.data = {};
    } else if (isMap(contents)) {
      for (const pair of contents.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined || key in frontmatter.valueSpans) continue;
        const range = (pair.value as { range?: [number, number, number] } | null)?.range;
        if (range) frontmatter.valueSpans[key] = at(range[0], range[1]);
      }
      // Even after errors the composed mapping is kept: one bad line should not hide the note's citekey.
      const data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
      if (data && typeof data === 'object' && !Array.isArray(data)) frontmatter.data = data as Record<string, unknown>;
    } else {
      diagnostics.push({
        span: { start: contentStart, end: contentEnd },
        severity: 'warning',
        code: 'frontmatter-not-mapping',
        message: 'Front matter should be a YAML mapping of keys to values.',
      });
    }
  } catch (e) {
    // toJS throws on excessive aliasing; the composer can overflow the stack on absurd nesting.
    const aliasAttack = /alias/i.test(errorMessage(e));
    diagnostics.push({
      span: { start: contentStart, end: contentEnd },
      severity: 'error',
      code: aliasAttack ? 'frontmatter-aliases' : 'frontmatter-yaml',
      message: aliasAttack
        ? `Front matter expands too many YAML aliases (limit ${MAX_ALIAS_COUNT}); it is not read.`
        : `Front matter could not be read: ${firstLine(errorMessage(e))}`,
    });
    frontmatter.data = undefined;
  }
  return { value: frontmatter, diagnostics };
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl >= 0 ? message.slice(0, nl) : message;
}
