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
// up (returns undefined) on anything else, which then goes to the yaml package. Results, including value
// spans, are checked against the yaml package by test/unit/fuzz-frontmatter.test.ts.

const SIMPLE_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?:( +)(.*))?$/;
const BLOCK_ITEM = /^( *)- +(.*)$/;
const SPECIAL_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|__proto__)$/;
const NULL_SCALAR = /^(?:~|null|Null|NULL)$/;
const BOOL_SCALAR = /^(?:true|True|TRUE|false|False|FALSE)$/;
/** Anything YAML's core schema might read as a number (including `.5`, `+1`, `0x1F`, `.inf`). */
const NUMBER_LIKE = /^[-+]?(?:[0-9]|\.[0-9]|\.(?:inf|Inf|INF|nan|NaN|NAN)$)/;
const SIMPLE_INT = /^(?:0|-?[1-9][0-9]{0,14})$/;
const SIMPLE_FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
const PLAIN_START = /^[A-Za-z_/($\u0080-\uffff]/;
const CONTROL = /[\x00-\x1f\x7f\ufeff]/;
const GIVE_UP = Symbol('give up');

type Scalar = string | number | boolean | null;

/** A plain or quoted scalar as YAML's core schema reads it, or GIVE_UP when unsure. */
function simpleScalar(raw: string, inFlow: boolean): Scalar | typeof GIVE_UP {
  if (!raw || CONTROL.test(raw)) return GIVE_UP;
  const first = raw[0];
  if (first === '"') return /^"[^"\\]*"$/.test(raw) ? raw.slice(1, -1) : GIVE_UP;
  if (first === "'") return /^'[^']*'$/.test(raw) ? raw.slice(1, -1) : GIVE_UP;
  if (raw.includes(': ') || raw.endsWith(':') || raw.includes(' #') || (inFlow && /[[\]{},]/.test(raw))) return GIVE_UP;
  if (NULL_SCALAR.test(raw)) return null;
  if (BOOL_SCALAR.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  if (NUMBER_LIKE.test(raw)) return SIMPLE_INT.test(raw) || SIMPLE_FLOAT.test(raw) ? Number(raw) : GIVE_UP;
  return PLAIN_START.test(first) || first === '~' ? raw : GIVE_UP;
}

/** `[a, "b", 3]` on one line, items simple scalars; GIVE_UP for nesting, trailing commas, anything odd. */
function simpleFlowList(raw: string): Scalar[] | typeof GIVE_UP {
  if (!raw.endsWith(']')) return GIVE_UP;
  const inner = raw.slice(1, -1);
  if (inner.trim() === '') return [];
  const items: Scalar[] = [];
  let i = 0;
  while (i <= inner.length) {
    while (inner[i] === ' ') i++;
    let end: number;
    if (inner[i] === '"' || inner[i] === "'") {
      const close = inner.indexOf(inner[i], i + 1);
      if (close < 0) return GIVE_UP;
      end = close + 1;
    } else {
      end = inner.indexOf(',', i);
      if (end < 0) end = inner.length;
    }
    const value = simpleScalar(inner.slice(i, end).trimEnd(), true);
    if (value === GIVE_UP) return GIVE_UP;
    items.push(value);
    let j = end;
    while (inner[j] === ' ') j++;
    if (j >= inner.length) break;
    if (inner[j] !== ',') return GIVE_UP;
    i = j + 1;
    if (inner.slice(i).trim() === '') return GIVE_UP;
  }
  return items;
}

/** The subset reader: data and value spans (relative to `yaml`), or undefined to defer to the yaml package. */
export function readSimpleYaml(yaml: string): { data: Record<string, unknown>; valueSpans: Record<string, Span> } | undefined {
  if (yaml.includes('\t') || /\r(?!\n)/.test(yaml)) return undefined;
  const data: Record<string, unknown> = {};
  const valueSpans: Record<string, Span> = {};
  const lines = yaml.split('\n');
  let offset = 0;
  let i = 0;
  // A following line that is indented would continue the value (multi-line scalar or nested block).
  const continues = () => i < lines.length && lines[i].startsWith(' ') && lines[i].trim() !== '';
  while (i < lines.length) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    const lineStart = offset;
    offset += lines[i].length + 1;
    i++;
    if (line.trim() === '' || line.startsWith('#')) {
      if (line !== '' && !line.startsWith('#')) return undefined;
      continue;
    }
    const m = SIMPLE_KEY.exec(line);
    if (!m) return undefined;
    const key = m[1];
    if (SPECIAL_KEY.test(key) || key in data) return undefined;
    const colon = lineStart + key.length;
    if (m[2] === undefined) {
      // `key:` alone: a block list of simple scalars follows, or the value is null.
      const items: Scalar[] = [];
      let indent: string | undefined;
      let start = -1;
      let end = -1;
      while (i < lines.length) {
        const item = BLOCK_ITEM.exec(lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i]);
        if (!item || (indent !== undefined && item[1] !== indent)) break;
        indent = item[1];
        const value = simpleScalar(item[2].trimEnd(), false);
        if (value === GIVE_UP) return undefined;
        items.push(value);
        if (start < 0) start = offset + indent.length;
        end = offset + lines[i].length + 1;
        offset = end;
        i++;
      }
      if (continues()) return undefined;
      if (items.length === 0) {
        data[key] = null;
        valueSpans[key] = { start: colon + 1, end: colon + 1 };
      } else {
        data[key] = items;
        valueSpans[key] = { start, end: Math.min(end, yaml.length) };
      }
      continue;
    }
    const raw = m[3].trimEnd();
    if (raw === '') return undefined;
    const value = raw[0] === '[' ? simpleFlowList(raw) : simpleScalar(raw, false);
    if (value === GIVE_UP) return undefined;
    if (continues()) return undefined;
    const start = colon + 1 + m[2].length;
    data[key] = value;
    valueSpans[key] = { start, end: start + raw.length };
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
  // The yaml package does not treat a lone CR as a line break; making it LF keeps every offset.
  const yamlText = text.slice(contentStart, contentEnd).replace(/\r(?!\n)/g, '\n');
  const frontmatter: Frontmatter = {
    span: { start: bom, end: blockEnd },
    contentSpan: { start: contentStart, end: contentEnd },
    valueSpans: {},
  };
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

  const simple = readSimpleYaml(yamlText);
  if (simple) {
    frontmatter.data = simple.data;
    for (const [key, span] of Object.entries(simple.valueSpans)) frontmatter.valueSpans[key] = at(span.start, span.end);
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
