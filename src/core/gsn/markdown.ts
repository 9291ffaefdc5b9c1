// Safety cases written as plain Markdown (the convention is documented in README.md next to this file):
// headings or list items that start with an element id and a colon, followed by attribute lines such as
// `supported by: S1, S2`. Ordinary Markdown is recognised and skipped before any real parsing happens.
import { isMap, isScalar, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { Citation, CoreDiagnostic, ParseResult, Span } from '../model';
import { parseFrontmatter } from '../parsers/frontmatter';
import { scanPandocCitations } from '../parsers/pandoc';
import { excessiveYamlFlowDepth, MAX_YAML_FLOW_DEPTH, withLfLineBreaks } from '../parsers/yamlGuard';
import { GSN_ELEMENT_TYPES, moduleNameFromPath, typeFromId } from './graph';
import type { GsnElement, GsnElementType, GsnModule, GsnRef } from './types';
import { PARSE_CODE, readModuleBlock } from './yaml';

const SAFETY_CASE_FILE = /\.gsn\.(?:md|markdown)$/i;
const MARKER = /^(?:safety-case|gsn-module)[ \t]*:/m;

const ID = String.raw`(?:CSn|CG|Sn|G|S|C|A|J)(?:\d|[-_.][A-Za-z0-9])[\w.\-]*`;
const HEADING_ELEMENT = new RegExp(String.raw`^(#{1,6})[ \t]+(${ID})[ \t]*:[ \t]*(.*)$`);
const LIST_ELEMENT = new RegExp(String.raw`^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(${ID})[ \t]*:[ \t]*(.*)$`);
const HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
// `name: value`, optionally as a nested list item and with the name emphasised (`**supported by:** S1`).
const ATTRIBUTE =
  /^([ \t]*(?:[-*+][ \t]+)?)(\*\*|__|\*|_)?(supported[ _-]?by|in[ _-]?context[ _-]?of|undeveloped|defeated[ _-]?relation|defeated|url|node[ _-]?type|type|challenges|cites)(?:\2)?[ \t]*(?::(?:\2)?[ \t]*(.*?))?[ \t]*$/i;
const TOKEN = /^[^\s,;[\]]+$/;

interface Line {
  start: number;
  end: number;
  text: string;
}

function splitLines(text: string, from: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  while (start < text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    lines.push({ start, end, text: text.slice(start, end) });
    if (end >= text.length) break;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
  return lines;
}

function indentWidth(s: string): number {
  let w = 0;
  for (const c of s) w += c === '\t' ? 4 : 1;
  return w;
}

/** Cheap test first: most Markdown files are not safety cases and must cost next to nothing. */
function looksLikeSafetyCase(text: string, uri: string): boolean {
  if (SAFETY_CASE_FILE.test(uri)) return true;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('---', start)) return false;
  // Frontmatter longer than this is not worth a look for a marker that belongs near the top anyway.
  const window = text.slice(start + 3, start + 65536);
  const close = window.search(/[\r\n](?:---|\.\.\.)[ \t]*(?:[\r\n]|$)/);
  const head = close < 0 ? window.slice(0, 4096) : window.slice(0, close);
  return MARKER.test(head);
}

interface Draft {
  element: GsnElement;
  /** Element blocks of list items end where the indentation falls back to the marker's. */
  listIndent?: number;
  /** Offsets of lines that belong to the description (for citation scanning), as [start, end) pairs. */
  textRanges: [number, number][];
}

/**
 * Refs in `supported by: S1, S2` (optionally in brackets), each with its exact span. Undefined when an
 * item is not a single token: then the line is prose that happens to start like an attribute.
 */
function refList(value: string, offset: number): GsnRef[] | undefined {
  const refs: GsnRef[] = [];
  const re = /[^,;]+/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const raw = m[0].replace(/^[\s[]+|[\s\]]+$/g, '');
    if (raw === '') continue;
    if (!TOKEN.test(raw)) return undefined;
    const start = offset + m.index + m[0].indexOf(raw);
    refs.push({ id: raw, span: { start, end: start + raw.length } });
  }
  return refs.length > 0 ? refs : undefined;
}

function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return true;
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  return undefined;
}

export function parseMarkdownSafetyCase(text: string, uri: string): ParseResult<GsnModule | undefined> {
  if (!looksLikeSafetyCase(text, uri)) return { value: undefined, diagnostics: [] };
  const diagnostics: CoreDiagnostic[] = [];
  try {
    return { value: parseBody(text, uri, diagnostics), diagnostics };
  } catch (e) {
    diagnostics.push({
      span: { start: 0, end: 0 },
      severity: 'error',
      code: PARSE_CODE,
      message: `Failed to read the safety case: ${e instanceof Error ? e.message : String(e)}`,
    });
    return { value: undefined, diagnostics };
  }
}

function parseBody(text: string, uri: string, diagnostics: CoreDiagnostic[]): GsnModule | undefined {
  const fm = parseFrontmatter(text);
  diagnostics.push(...fm.diagnostics);
  const data = fm.value?.data ?? {};
  const marked = data['safety-case'] === true || data['gsn-module'] !== undefined;
  if (!marked && !SAFETY_CASE_FILE.test(uri)) return undefined;

  const module: GsnModule = { uri, format: 'markdown', name: moduleNameFromPath(uri), uses: [], extends: [], elements: [] };
  const declared = data['gsn-module'];
  if (fm.value && typeof declared === 'string') {
    module.name = declared;
    module.nameSpan = fm.value.valueSpans['gsn-module'];
  } else if (fm.value && declared !== undefined && declared !== null) {
    readModuleFrontmatter(text, fm.value.contentSpan, module, diagnostics);
  }

  const drafts: Draft[] = [];
  let current: Draft | undefined;
  let fence: string | undefined;
  let inComment = false;
  const lines = splitLines(text, fm.value ? fm.value.span.end : 0);
  for (const line of lines) {
    // Commented-out parts of an argument (`<!-- … -->` blocks) are not part of it.
    if (inComment) {
      if (line.text.includes('-->')) inComment = false;
      continue;
    }
    if (fence === undefined && /^ {0,3}<!--/.test(line.text)) {
      inComment = !line.text.slice(line.text.indexOf('<!--') + 4).includes('-->');
      continue;
    }
    const fenceMatch = FENCE.exec(line.text);
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length && /^\s*$/.test(line.text.slice(fenceMatch[0].length))) fence = undefined;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      continue;
    }
    const heading = HEADING_ELEMENT.exec(line.text);
    const item = heading ? undefined : LIST_ELEMENT.exec(line.text);
    if (heading || item) {
      const m = (heading ?? item) as RegExpExecArray;
      const id = m[2];
      const idStart = line.start + line.text.indexOf(id, m[1].length);
      let body = m[3];
      if (heading) body = body.replace(/[ \t]+#+[ \t]*$/, '').trimEnd();
      else body = body.trimEnd();
      const textStart = line.start + m[0].length - m[3].length;
      const element: GsnElement = {
        id,
        idSpan: { start: idStart, end: idStart + id.length },
        span: { start: line.start, end: line.end },
        type: typeFromId(id),
        text: body,
        supportedBy: [],
        inContextOf: [],
        undeveloped: false,
        citations: [],
        defeated: false,
        extra: {},
      };
      if (body !== '') element.textSpan = { start: textStart, end: textStart + body.length };
      current = { element, textRanges: body === '' ? [] : [[textStart, textStart + body.length]] };
      if (item) current.listIndent = indentWidth(m[1]);
      drafts.push(current);
      continue;
    }
    if (!current) continue;
    if (HEADING.test(line.text)) {
      current = undefined;
      continue;
    }
    const blank = line.text.trim() === '';
    if (current.listIndent !== undefined && !blank) {
      const indent = indentWidth(/^[ \t]*/.exec(line.text)?.[0] ?? '');
      if (indent <= current.listIndent) {
        current = undefined;
        continue;
      }
    }
    if (blank) continue;
    const attr = ATTRIBUTE.exec(line.text);
    if (attr && applyAttribute(current, attr, line, diagnostics)) {
      current.element.span = { start: current.element.span.start, end: line.end };
      continue;
    }
    const content = line.text.trim();
    current.element.text = current.element.text === '' ? content : `${current.element.text}\n${content}`;
    const lead = line.text.length - line.text.trimStart().length;
    current.textRanges.push([line.start + lead, line.start + lead + content.length]);
    current.element.span = { start: current.element.span.start, end: line.end };
  }

  const seen = new Set<string>();
  for (const draft of drafts) {
    const element = draft.element;
    // Text citations come first; the `cites:` groups are numbered after them.
    const citations = citationsIn(text, draft.textRanges, diagnostics);
    const groups = groupCount(citations);
    element.citations = [...citations, ...element.citations.map((c) => ({ ...c, group: c.group + groups }))];
    if (seen.has(element.id)) {
      diagnostics.push({
        span: element.idSpan,
        severity: 'error',
        code: PARSE_CODE,
        message: `Element ${element.id} is defined twice; only the first definition counts.`,
      });
      continue;
    }
    seen.add(element.id);
    module.elements.push(element);
  }
  return module;
}

function groupCount(citations: Citation[]): number {
  return citations.reduce((max, c) => Math.max(max, c.group + 1), 0);
}

/**
 * Pandoc citations in an element's description lines. The lines are scanned joined without their
 * indentation (indented lines would otherwise read as code blocks) and spans are mapped back per line.
 */
function citationsIn(text: string, ranges: [number, number][], diagnostics: CoreDiagnostic[]): Citation[] {
  if (!ranges.some(([s, e]) => text.slice(s, e).includes('@'))) return [];
  const starts: number[] = [];
  let joinedLength = 0;
  for (const [s, e] of ranges) {
    starts.push(joinedLength);
    joinedLength += e - s + 1;
  }
  const joined = ranges.map(([s, e]) => text.slice(s, e)).join('\n');
  const toDocument = (offset: number): number => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    const [s, e] = ranges[line];
    return Math.min(s + (offset - starts[line]), e);
  };
  const map = (span: Span): Span => {
    const start = toDocument(span.start);
    return { start, end: Math.max(start, toDocument(span.end)) };
  };
  const scan = scanPandocCitations(joined);
  for (const d of scan.diagnostics) diagnostics.push({ ...d, span: map(d.span) });
  return scan.value.citations.map((c) => ({ ...c, keySpan: map(c.keySpan), span: map(c.span), groupSpan: map(c.groupSpan) }));
}

/** Applies an attribute line; false when the line is prose after all (its value does not fit). */
function applyAttribute(draft: Draft, attr: RegExpExecArray, line: Line, diagnostics: CoreDiagnostic[]): boolean {
  const element = draft.element;
  const written = attr[3];
  const name = written.toLowerCase().replace(/[ _-]/g, '');
  const value = attr[4] === undefined || attr[4] === '' ? undefined : attr[4];
  const keyStart = line.start + attr[1].length + (attr[2]?.length ?? 0);
  const valueOffset = value === undefined ? line.end : line.start + line.text.lastIndexOf(value);
  const valueSpan = { start: valueOffset, end: valueOffset + (value?.length ?? 0) };
  switch (name) {
    case 'supportedby':
    case 'incontextof':
    case 'defeatedrelation': {
      const refs = value === undefined ? undefined : refList(value, valueOffset);
      if (!refs) return false;
      if (name === 'supportedby') element.supportedBy.push(...refs);
      else if (name === 'incontextof') element.inContextOf.push(...refs);
      else element.defeatedRelation = [...(element.defeatedRelation ?? []), ...refs];
      return true;
    }
    case 'undeveloped':
    case 'defeated': {
      const flag = parseBool(value);
      if (flag === undefined) return false;
      element[name] = flag;
      return true;
    }
    case 'url':
      if (value === undefined || !TOKEN.test(value.replace(/[,;[\]]/g, ''))) return false;
      element.url = value;
      return true;
    case 'type':
    case 'nodetype': {
      const type = GSN_ELEMENT_TYPES.find((t) => t.toLowerCase() === (value ?? '').replace(/[ _-]/g, '').toLowerCase());
      if (!type) {
        // `type:` is also an ordinary word at the start of a sentence; `node type:` is unmistakable.
        if (name === 'type') return false;
        diagnostics.push({
          span: value ? valueSpan : { start: keyStart, end: keyStart + written.length },
          severity: 'error',
          code: PARSE_CODE,
          message: `Element ${element.id}: node type must be one of ${GSN_ELEMENT_TYPES.join(', ')}.`,
        });
        return true;
      }
      element.nodeType = type;
      element.nodeTypeSpan = valueSpan;
      element.type = type as GsnElementType;
      return true;
    }
    case 'challenges': {
      const v = value ?? '';
      const arrow = v.indexOf('->');
      const part = (from: number, to: number): GsnRef | undefined => {
        const raw = v.slice(from, to);
        const id = raw.trim();
        if (!TOKEN.test(id)) return undefined;
        const start = valueOffset + from + (raw.length - raw.trimStart().length);
        return { id, span: { start, end: start + id.length } };
      };
      if (arrow < 0) {
        const target = part(0, v.length);
        if (!target) return false;
        element.challenges = target;
        return true;
      }
      const from = part(0, arrow);
      const to = part(arrow + 2, v.length);
      if (!from || !to) return false;
      element.challengesRelation = { from, to, span: valueSpan };
      return true;
    }
    case 'cites': {
      const keys: Citation[] = [];
      const group = groupCount(element.citations);
      const re = /[^\s,;]+/g;
      for (let m = value === undefined ? null : re.exec(value); m; m = re.exec(value as string)) {
        const at = m[0].startsWith('@') ? 1 : 0;
        const key = m[0].slice(at);
        if (key === '') continue;
        const start = valueOffset + m.index;
        keys.push({
          key,
          keySpan: { start: start + at, end: start + m[0].length },
          span: { start, end: start + m[0].length },
          syntax: 'pandoc',
          mode: 'nocite',
          group,
          groupSpan: valueSpan,
        });
      }
      if (keys.length === 0) return false;
      element.citations.push(...keys);
      element.extra.cites = element.citations.filter((c) => c.mode === 'nocite').map((c) => c.key);
      return true;
    }
  }
  return false;
}

/** `gsn-module:` given as a gsn2x module block (name, brief, uses, extends). */
function readModuleFrontmatter(text: string, content: Span, module: GsnModule, diagnostics: CoreDiagnostic[]): void {
  // Newlines in place of everything before the block keep the YAML library's ranges file-relative; a lone CR
  // becomes LF because the library does not take it as a line break.
  const source = '\n'.repeat(content.start) + withLfLineBreaks(text.slice(content.start, content.end));
  const tooDeep = excessiveYamlFlowDepth(source);
  if (tooDeep >= 0) {
    diagnostics.push({
      span: { start: tooDeep, end: tooDeep + 1 },
      severity: 'error',
      code: PARSE_CODE,
      message: `gsn-module: lists or mappings nest more than ${MAX_YAML_FLOW_DEPTH} levels deep; the block is not read.`,
    });
    return;
  }
  const doc = parseDocument(source, { prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (!isMap(doc.contents)) return;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'gsn-module');
  if (!pair) return;
  const range = (pair.key as YamlNode).range;
  const where = range ? { start: range[0], end: range[1] } : content;
  const result = readModuleBlock(source, doc, pair.value, where);
  diagnostics.push(...result.diagnostics);
  const info = result.value;
  if (!info) return;
  module.name = info.name;
  module.nameSpan = info.nameSpan;
  if (info.brief !== undefined) module.brief = info.brief;
  module.uses = info.uses;
  module.extends = info.extends;
}
