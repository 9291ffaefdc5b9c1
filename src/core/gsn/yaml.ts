// gsn2x YAML safety cases: a mapping of element id → attributes plus an optional `module` block.
// Whatever gsn2x rejects while reading (YAML syntax, duplicate keys, a top level that is not a mapping,
// an attribute of the wrong type) is a `gsn-parse` error here, at the offending node; the rest of the
// file is still read so the editor keeps working on a half-typed document.
import { isAlias, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode, Scalar, YAMLMap } from 'yaml';
import { scanPandocCitations } from '../parsers/pandoc';
import type { Citation, CoreDiagnostic, ParseResult, Span } from '../model';
import { excessiveYamlFlowDepth, MAX_YAML_FLOW_DEPTH, withLfLineBreaks } from '../parsers/yamlGuard';
import { GSN_ELEMENT_TYPES, moduleNameFromPath, typeFromId } from './graph';
import type { GsnElement, GsnElementType, GsnModule, GsnRef } from './types';

/** Far more aliases than a safety case needs; stops exponential alias expansion early. */
const MAX_ALIAS_COUNT = 100;

/** Attributes gsn2x itself interprets on an element; anything else is kept as a layer in `extra`. */
const ELEMENT_KEYS = new Set([
  'text',
  'inContextOf',
  'supportedBy',
  'challenges',
  'undeveloped',
  'defeated',
  'defeatedRelation',
  'classes',
  'url',
  'rankIncrement',
  'horizontalIndex',
  'nodeType',
  'charWrap',
  'acp',
]);

const KEY_BY_LOWER = new Map([...ELEMENT_KEYS].map((k) => [k.toLowerCase(), k]));

export const PARSE_CODE = 'gsn-parse';

type Diags = CoreDiagnostic[];

interface Ctx {
  text: string;
  doc: Document;
}

function spanOf(node: YamlNode | null | undefined, fallback: Span): Span {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : fallback;
}

/** The characters of a scalar's value: quotes excluded for quoted scalars. */
function innerSpan(node: YamlNode, fallback: Span): Span {
  const span = spanOf(node, fallback);
  if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && span.end - span.start >= 2) {
    return { start: span.start + 1, end: span.end - 1 };
  }
  return span;
}

function parseError(diags: Diags, span: Span, message: string): void {
  diags.push({ span, severity: 'error', code: PARSE_CODE, message });
}

function deref(ctx: Ctx, node: unknown): YamlNode | null {
  if (isAlias(node)) return (node.resolve(ctx.doc) as YamlNode | undefined) ?? null;
  return (node as YamlNode | null) ?? null;
}

function isNull(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

function stringValue(node: YamlNode | null): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function describe(node: YamlNode | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : `${typeof node.value} ${JSON.stringify(node.value)}`;
  return 'an unsupported node';
}

/** A string or a list of strings (gsn2x's "string or list of strings"), each with its span. */
function readRefs(ctx: Ctx, value: unknown, where: Span, attr: string, diags: Diags): GsnRef[] | undefined {
  const node = deref(ctx, value);
  const single = stringValue(node);
  if (single !== undefined) return [{ id: single, span: innerSpan(value as YamlNode, where) }];
  if (isSeq(node)) {
    const refs: GsnRef[] = [];
    for (const item of node.items) {
      const target = deref(ctx, item);
      const id = stringValue(target);
      if (id === undefined) {
        parseError(diags, spanOf(item as YamlNode, where), `${attr}: expected a string, found ${describe(target)}.`);
        return undefined;
      }
      refs.push({ id, span: innerSpan(item as YamlNode, where) });
    }
    return refs;
  }
  parseError(diags, spanOf(value as YamlNode, where), `${attr}: expected a string or a list of strings, found ${describe(node)}.`);
  return undefined;
}

function readStringList(ctx: Ctx, value: unknown, where: Span, attr: string, diags: Diags): GsnRef[] | undefined {
  const node = deref(ctx, value);
  if (!isSeq(node)) {
    parseError(diags, spanOf(value as YamlNode, where), `${attr}: expected a list of strings, found ${describe(node)}.`);
    return undefined;
  }
  return readRefs(ctx, value, where, attr, diags);
}

function isUnsignedInt(node: YamlNode | null, max: number): boolean {
  if (!isScalar(node) || typeof node.value !== 'number') return false;
  const source = node.source ?? '';
  return Number.isSafeInteger(node.value) && node.value >= 0 && node.value <= max && !/[.eE]/.test(source);
}

function isSignedInt32(node: YamlNode | null): boolean {
  if (!isScalar(node) || typeof node.value !== 'number') return false;
  return Number.isSafeInteger(node.value) && node.value >= -(2 ** 31) && node.value < 2 ** 31 && !/[.eE]/.test(node.source ?? '');
}

const U32_MAX = 2 ** 32 - 1;

/** `horizontalIndex: {relative: -1}`, `{absolute: 0 | last}` or the tagged `!relative 2` / `!absolute last`. */
function horizontalIndexError(ctx: Ctx, value: unknown): string | undefined {
  const node = deref(ctx, value);
  if (isScalar(node) && (node.tag === '!relative' || node.tag === '!absolute')) {
    const raw = String(node.value).trim();
    if (node.tag === '!relative') return /^[+-]?\d+$/.test(raw) && Math.abs(Number(raw)) < 2 ** 31 ? undefined : 'relative index must be an integer';
    return raw === 'last' || (/^\+?\d+$/.test(raw) && Number(raw) <= U32_MAX) ? undefined : 'absolute index must be a non-negative integer or "last"';
  }
  if (!isMap(node) || node.items.length !== 1) return 'expected `relative: <integer>` or `absolute: <integer> | last`';
  const pair = node.items[0];
  const key = stringValue(deref(ctx, pair.key));
  const inner = deref(ctx, pair.value);
  if (key === 'relative') return isSignedInt32(inner) ? undefined : 'relative index must be an integer';
  if (key === 'absolute') {
    const s = stringValue(inner);
    if (isUnsignedInt(inner, U32_MAX) || s === 'last' || (s !== undefined && /^\+?\d+$/.test(s) && Number(s) <= U32_MAX)) return undefined;
    return 'absolute index must be a non-negative integer or "last"';
  }
  return 'expected `relative` or `absolute`';
}

/** Source length of a double-quoted escape starting at `at` (the backslash). */
function escapeLength(text: string, at: number): number {
  const kind = text[at + 1];
  if (kind === 'x') return 4;
  if (kind === 'u') return 6;
  if (kind === 'U') return 10;
  return 2;
}

/**
 * Maps each character of a scalar's value to its offset in the source, so citations get exact spans.
 * Characters are matched in order; line breaks may fold into spaces and indentation is skipped. In
 * double-quoted scalars an escape is consumed as a unit and its output maps to the backslash, which
 * keeps the walk linear however many escapes there are.
 */
function alignValue(value: string, text: string, start: number, end: number, doubleQuoted: boolean): number[] {
  const offsets = new Array<number>(value.length);
  let j = start;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    let k = j;
    while (k < end && text[k] !== c && !(c === ' ' && (text[k] === '\n' || text[k] === '\r'))) {
      if (doubleQuoted && text[k] === '\\') break;
      k++;
    }
    if (k >= end) {
      offsets[i] = Math.min(j, end);
      continue;
    }
    if (doubleQuoted && text[k] === '\\' && (text[k + 1] === '\n' || text[k + 1] === '\r')) {
      // An escaped line break produces nothing: skip it and place the same character again.
      j = k + (text[k + 1] === '\r' && text[k + 2] === '\n' ? 3 : 2);
      i--;
      continue;
    }
    offsets[i] = k;
    if (doubleQuoted && text[k] === '\\') {
      const length = escapeLength(text, k);
      // A `\U` escape may produce a surrogate pair: both halves map to the escape.
      if (length === 10 && i + 1 < value.length && /[\uDC00-\uDFFF]/.test(value[i + 1])) offsets[++i] = k;
      j = k + length;
    } else {
      j = k + 1;
    }
  }
  return offsets;
}

function mapSpan(span: Span, offsets: number[], fallback: Span): Span {
  if (offsets.length === 0 || span.end <= span.start) return fallback;
  const start = offsets[Math.min(span.start, offsets.length - 1)];
  const end = offsets[Math.min(span.end - 1, offsets.length - 1)] + 1;
  return end > start ? { start, end } : fallback;
}

/** Pandoc citations in an element's text, with spans in the YAML file. */
function citationsInText(ctx: Ctx, value: string, node: YamlNode, diags: Diags): Citation[] {
  if (!value.includes('@')) return [];
  const span = spanOf(node, { start: 0, end: 0 });
  const scan = scanPandocCitations(value);
  const offsets = alignValue(value, ctx.text, span.start, span.end, isScalar(node) && node.type === 'QUOTE_DOUBLE');
  for (const d of scan.diagnostics) diags.push({ ...d, span: mapSpan(d.span, offsets, span) });
  return scan.value.citations.map((c) => ({
    ...c,
    keySpan: mapSpan(c.keySpan, offsets, span),
    span: mapSpan(c.span, offsets, span),
    groupSpan: mapSpan(c.groupSpan, offsets, span),
  }));
}

/** Our `cites:` extension: a key or list of keys (a leading `@` is allowed), shown as `nocite` citations. */
function citesList(ctx: Ctx, value: unknown, where: Span, firstGroup: number, diags: Diags): Citation[] {
  const local: Diags = [];
  const refs = readRefs(ctx, value, where, 'cites', local);
  if (!refs) {
    for (const d of local) diags.push({ ...d, severity: 'warning', code: 'gsn-cites' });
    return [];
  }
  const groupSpan = spanOf(value as YamlNode, where);
  const out: Citation[] = [];
  for (const ref of refs) {
    const at = ref.id.startsWith('@') ? 1 : 0;
    const key = ref.id.slice(at).trim();
    if (key === '') continue;
    const lead = ref.id.length - ref.id.slice(at).trimStart().length;
    const keySpan = { start: ref.span.start + lead, end: ref.span.start + lead + key.length };
    out.push({ key, keySpan, span: ref.span, syntax: 'pandoc', mode: 'nocite', group: firstGroup, groupSpan });
  }
  return out;
}

function toJsSafe(ctx: Ctx, value: unknown, where: Span, diags: Diags): unknown {
  const node = value as YamlNode | null;
  if (node === null || node === undefined) return null;
  try {
    return node.toJS(ctx.doc, { maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    parseError(diags, spanOf(node, where), e instanceof Error ? e.message : String(e));
    return undefined;
  }
}

function readElement(ctx: Ctx, id: string, idSpan: Span, span: Span, value: unknown, diags: Diags): GsnElement {
  const element: GsnElement = {
    id,
    idSpan,
    span,
    type: typeFromId(id),
    text: '',
    supportedBy: [],
    inContextOf: [],
    undeveloped: false,
    citations: [],
    defeated: false,
    extra: {},
  };
  const body = deref(ctx, value);
  if (isNull(body)) return element;
  if (!isMap(body)) {
    parseError(diags, spanOf(value as YamlNode, idSpan), `Element ${id}: expected a mapping of attributes, found ${describe(body)}.`);
    return element;
  }
  let citesValue: unknown;
  let citesSpan = idSpan;
  for (const pair of (body as YAMLMap).items) {
    const keyNode = deref(ctx, pair.key);
    const keySpan = spanOf(pair.key as YamlNode, idSpan);
    const key = isScalar(keyNode) && keyNode.value !== null ? String(keyNode.value) : undefined;
    if (key === undefined) {
      parseError(diags, keySpan, `Element ${id}: attribute names must be strings.`);
      continue;
    }
    const v = pair.value;
    const node = deref(ctx, v);
    const where = spanOf(v as YamlNode, keySpan);
    const wrongType = (expected: string) =>
      parseError(diags, where, `Element ${id}: ${key} must be ${expected}, found ${describe(node)}.`);
    switch (key) {
      case 'text': {
        const s = stringValue(node);
        if (s === undefined) wrongType('a string');
        else {
          element.text = s;
          element.textSpan = spanOf(v as YamlNode, where);
          element.citations.push(...citationsInText(ctx, s, v as YamlNode, diags));
        }
        break;
      }
      case 'supportedBy':
      case 'inContextOf': {
        const refs = readRefs(ctx, v, keySpan, key, diags);
        if (refs) element[key] = refs;
        break;
      }
      case 'defeatedRelation': {
        const refs = readRefs(ctx, v, keySpan, key, diags);
        if (refs) element.defeatedRelation = refs;
        break;
      }
      case 'challenges': {
        const s = stringValue(node);
        if (s === undefined) {
          wrongType('a string (an element, or a relation `X -> Y`)');
          break;
        }
        const inner = innerSpan(v as YamlNode, where);
        const arrow = s.indexOf('->');
        const exact = ctx.text.slice(inner.start, inner.end) === s;
        const part = (from: number, to: number): GsnRef => {
          const raw = s.slice(from, to);
          const lead = raw.length - raw.trimStart().length;
          const idText = raw.trim();
          const start = inner.start + from + lead;
          return { id: idText, span: exact ? { start, end: start + idText.length } : inner };
        };
        if (arrow < 0) element.challenges = { id: s, span: inner };
        else element.challengesRelation = { from: part(0, arrow), to: part(arrow + 2, s.length), span: inner };
        break;
      }
      case 'undeveloped':
      case 'defeated':
        if (isScalar(node) && typeof node.value === 'boolean') element[key] = node.value;
        else wrongType('true or false');
        break;
      case 'url':
        if (isNull(node)) break;
        if (stringValue(node) === undefined) wrongType('a string');
        else element.url = stringValue(node);
        break;
      case 'nodeType': {
        if (isNull(node)) break;
        const s = stringValue(node);
        if (s === undefined || !GSN_ELEMENT_TYPES.includes(s as GsnElementType)) {
          wrongType(`one of ${GSN_ELEMENT_TYPES.join(', ')}`);
          break;
        }
        element.nodeType = s;
        element.nodeTypeSpan = innerSpan(v as YamlNode, where);
        element.type = s as GsnElementType;
        break;
      }
      case 'classes': {
        const refs = readStringList(ctx, v, keySpan, key, diags);
        if (refs) element.extra.classes = refs.map((r) => r.id);
        break;
      }
      case 'rankIncrement':
      case 'charWrap':
        if (isNull(node)) break;
        if (!isUnsignedInt(node, key === 'charWrap' ? U32_MAX : Number.MAX_SAFE_INTEGER)) wrongType('a non-negative integer');
        else element.extra[key] = (node as Scalar).value;
        break;
      case 'horizontalIndex': {
        if (isNull(node)) break;
        const problem = horizontalIndexError(ctx, v);
        if (problem) parseError(diags, where, `Element ${id}: horizontalIndex: ${problem}.`);
        else element.extra.horizontalIndex = toJsSafe(ctx, v, where, diags);
        break;
      }
      case 'acp': {
        if (!isMap(node)) {
          wrongType('a mapping of assurance claim point names to element ids');
          break;
        }
        const points: { name: string; refs: GsnRef[] }[] = [];
        for (const item of node.items) {
          const name = deref(ctx, item.key);
          const refs = readRefs(ctx, item.value, spanOf(item.key as YamlNode, where), `acp ${String(isScalar(name) ? name.value : '')}`, diags);
          if (refs && isScalar(name)) points.push({ name: String(name.value), refs });
        }
        element.acp = points;
        break;
      }
      default: {
        const known = KEY_BY_LOWER.get(key.toLowerCase());
        if (known !== undefined) {
          diags.push({
            span: keySpan,
            severity: 'warning',
            code: 'gsn-attribute-name',
            message: `Element ${id}: '${key}' is not a gsn2x attribute (kept as a layer); did you mean '${known}'?`,
          });
        }
        const js = toJsSafe(ctx, v, where, diags);
        if (js !== undefined) element.extra[key] = js;
        if (key === 'cites') {
          citesValue = v;
          citesSpan = keySpan;
        }
      }
    }
  }
  if (citesValue !== undefined) {
    const groups = element.citations.reduce((max, c) => Math.max(max, c.group + 1), 0);
    element.citations.push(...citesList(ctx, citesValue, citesSpan, groups, diags));
  }
  return element;
}

export interface ModuleInfo {
  name: string;
  nameSpan: Span;
  brief?: string;
  uses: GsnRef[];
  extends: GsnModule['extends'];
}

/** The `module` block; any problem means gsn2x would not take it as module information. */
function readModule(ctx: Ctx, value: unknown, where: Span, diags: Diags): ModuleInfo | undefined {
  const body = deref(ctx, value);
  if (!isMap(body)) {
    parseError(diags, spanOf(value as YamlNode, where), `module: expected a mapping, found ${describe(body)}.`);
    return undefined;
  }
  const info: ModuleInfo = { name: '', nameSpan: where, uses: [], extends: [] };
  let hasName = false;
  for (const pair of body.items) {
    const key = stringValue(deref(ctx, pair.key));
    const keySpan = spanOf(pair.key as YamlNode, where);
    const node = deref(ctx, pair.value);
    const at = spanOf(pair.value as YamlNode, keySpan);
    switch (key) {
      case 'name': {
        const s = stringValue(node);
        if (s === undefined) parseError(diags, at, `module: name must be a string, found ${describe(node)}.`);
        else {
          info.name = s;
          info.nameSpan = innerSpan(pair.value as YamlNode, at);
          hasName = true;
        }
        break;
      }
      case 'brief':
        if (!isNull(node) && stringValue(node) === undefined) parseError(diags, at, `module: brief must be a string, found ${describe(node)}.`);
        else info.brief = stringValue(node);
        break;
      case 'uses': {
        const refs = readStringList(ctx, pair.value, keySpan, 'module.uses', diags);
        if (refs) info.uses = refs;
        break;
      }
      case 'stylesheets':
        readStringList(ctx, pair.value, keySpan, 'module.stylesheets', diags);
        break;
      case 'rankIncrement':
      case 'charWrap':
        if (!isNull(node) && !isUnsignedInt(node, key === 'charWrap' ? U32_MAX : Number.MAX_SAFE_INTEGER)) {
          parseError(diags, at, `module: ${key} must be a non-negative integer, found ${describe(node)}.`);
        }
        break;
      case 'horizontalIndex': {
        const problem = isNull(node) ? undefined : horizontalIndexError(ctx, pair.value);
        if (problem) parseError(diags, at, `module: horizontalIndex: ${problem}.`);
        break;
      }
      case 'extends':
        readExtends(ctx, pair.value, at, info, diags);
        break;
      default:
        break;
    }
  }
  if (!hasName) {
    parseError(diags, where, 'module: `name` is missing.');
    return undefined;
  }
  return info;
}

function readExtends(ctx: Ctx, value: unknown, where: Span, info: ModuleInfo, diags: Diags): void {
  const list = deref(ctx, value);
  if (!isSeq(list)) {
    parseError(diags, where, `module: extends must be a list, found ${describe(list)}.`);
    return;
  }
  for (const item of list.items) {
    const entry = deref(ctx, item);
    const span = spanOf(item as YamlNode, where);
    if (!isMap(entry)) {
      parseError(diags, span, `module: each extends entry must be a mapping with module and develops, found ${describe(entry)}.`);
      continue;
    }
    const moduleValue = entry.items.find((p) => stringValue(deref(ctx, p.key)) === 'module');
    const developsValue = entry.items.find((p) => stringValue(deref(ctx, p.key)) === 'develops');
    const moduleName = stringValue(deref(ctx, moduleValue?.value));
    const develops = deref(ctx, developsValue?.value);
    if (moduleName === undefined) {
      parseError(diags, moduleValue ? spanOf(moduleValue.value as YamlNode, span) : span, 'module: extends entry needs `module: <name>`.');
      continue;
    }
    if (!isMap(develops)) {
      parseError(diags, developsValue ? spanOf(developsValue.value as YamlNode, span) : span, 'module: extends entry needs `develops: {<element>: [<elements>]}`.');
      continue;
    }
    const developRefs: { foreign: GsnRef; local: GsnRef[] }[] = [];
    const record: Record<string, string[]> = {};
    let ok = true;
    for (const dev of develops.items) {
      const foreignNode = deref(ctx, dev.key);
      const foreignSpan = spanOf(dev.key as YamlNode, span);
      const foreign = isScalar(foreignNode) && foreignNode.value !== null ? String(foreignNode.value) : undefined;
      const local = foreign === undefined ? undefined : readStringList(ctx, dev.value, foreignSpan, `develops ${foreign}`, diags);
      if (foreign === undefined || !local) {
        if (foreign === undefined) parseError(diags, foreignSpan, 'module: develops keys must be element ids.');
        ok = false;
        continue;
      }
      record[foreign] = local.map((r) => r.id);
      developRefs.push({ foreign: { id: foreign, span: innerSpan(dev.key as YamlNode, foreignSpan) }, local });
    }
    if (!ok) continue;
    info.extends.push({
      module: moduleName,
      develops: record,
      span,
      moduleSpan: innerSpan(moduleValue?.value as YamlNode, span),
      developRefs,
    });
  }
}

/**
 * Reads a gsn2x `module` block from an already parsed YAML document (Markdown frontmatter uses the same
 * block under `gsn-module:`). `text` is the source the document's ranges point into.
 */
export function readModuleBlock(text: string, doc: Document, value: unknown, where: Span): ParseResult<ModuleInfo | undefined> {
  const diagnostics: Diags = [];
  return { value: readModule({ text, doc }, value, where, diagnostics), diagnostics };
}

/**
 * gsn2x reads YAML with uniform indentation required: the first indented mapping key fixes the step,
 * and every key that starts a line must be indented by a multiple of it (block scalars are exempt).
 */
function checkUniformIndent(text: string, doc: Document, diags: Diags): void {
  const keyStarts: number[] = [];
  visit(doc, {
    Map(_, map) {
      if (map.flow) return;
      for (const pair of map.items) {
        const range = (pair.key as YamlNode | null)?.range;
        if (range) keyStarts.push(range[0]);
      }
    },
  });
  keyStarts.sort((a, b) => a - b);
  let step = 0;
  for (const start of keyStarts) {
    let lineStart = start;
    while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
    const indent = start - lineStart;
    // Keys after `- ` or `? ` on their line are not indentation.
    if (indent === 0 || !/^ *$/.test(text.slice(lineStart, start))) continue;
    if (step === 0) step = indent;
    else if (indent % step !== 0) {
      parseError(diags, { start: lineStart, end: start }, `Indentation of ${indent} spaces is not a multiple of ${step}, the indentation this file starts with.`);
      return;
    }
  }
}

/** Keys equal to an earlier key of the same mapping, as the yaml package's `uniqueKeys` compares them (scalar values). */
function reportDuplicateKeys(doc: Document, diags: Diags): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        // NaN equals nothing under the package's `===`, so `.nan` keys never collide.
        if (!isScalar(key) || Number.isNaN(key.value)) continue;
        if (!seen.has(key.value)) seen.add(key.value);
        else if (key.range) parseError(diags, { start: key.range[0], end: key.range[1] }, 'Map keys must be unique');
      }
    },
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Reads a gsn2x YAML file. Undefined when the top level is not a mapping (gsn2x rejects the file). */
export function parseGsnYaml(text: string, uri: string): ParseResult<GsnModule | undefined> {
  const diagnostics: CoreDiagnostic[] = [];
  try {
    return { value: parseInto(text, uri, diagnostics), diagnostics };
  } catch (e) {
    // The YAML library should not throw on any input; if it ever does, the file is reported, not the editor.
    parseError(diagnostics, { start: 0, end: Math.min(text.length, 1) }, `Failed to parse YAML: ${e instanceof Error ? e.message : String(e)}`);
    return { value: undefined, diagnostics };
  }
}

function parseInto(original: string, uri: string, diags: Diags): GsnModule | undefined {
  // The yaml package does not take a lone CR as a line break; gsn2x does. Making it LF keeps every offset.
  const text = withLfLineBreaks(original);
  const tooDeep = excessiveYamlFlowDepth(text);
  if (tooDeep >= 0) {
    // No gsn2x attribute nests anywhere near this deep: the file is reported unreadable (a parse error, as
    // for any YAML gsn2x cannot read) instead of spending seconds in the parser's error recovery.
    parseError(diags, { start: tooDeep, end: tooDeep + 1 }, `Lists or mappings nest more than ${MAX_YAML_FLOW_DEPTH} levels deep; the file is not read.`);
    return undefined;
  }
  // Duplicate keys are found below in linear time; the package's own check compares every key of a mapping
  // with every earlier one, which dominated reading files with a few thousand elements.
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  const syntax: Diags = [];
  for (const error of doc.errors) {
    const start = Math.max(0, Math.min(error.pos[0], text.length));
    const end = Math.max(start, Math.min(error.pos[1], text.length));
    parseError(syntax, { start, end }, firstLine(error.message));
  }
  reportDuplicateKeys(doc, syntax);
  diags.push(...syntax.sort((a, b) => a.span.start - b.span.start));
  checkUniformIndent(text, doc, diags);
  const ctx: Ctx = { text, doc };
  const module: GsnModule = { uri, format: 'yaml', name: moduleNameFromPath(uri), uses: [], extends: [], elements: [] };
  const root = doc.contents as YamlNode | null;
  if (isNull(root)) return module;
  if (!isMap(root)) {
    parseError(diags, spanOf(root, { start: 0, end: 0 }), `Expected a mapping of element ids to elements at the top level, found ${describe(root)}.`);
    return undefined;
  }
  for (const pair of root.items) {
    const keyNode = deref(ctx, pair.key);
    const keySpan = spanOf(pair.key as YamlNode, { start: 0, end: 0 });
    if (!isScalar(keyNode) || keyNode.value === null) {
      parseError(diags, keySpan, 'Element ids must be strings.');
      continue;
    }
    const id = typeof keyNode.value === 'string' ? keyNode.value : (keyNode.source ?? String(keyNode.value));
    const valueRange = (pair.value as YamlNode | null)?.range;
    const span = { start: keySpan.start, end: valueRange ? valueRange[1] : keySpan.end };
    if (id === 'module') {
      const moduleDiags: Diags = [];
      const info = readModule(ctx, pair.value, keySpan, moduleDiags);
      if (info) {
        module.name = info.name;
        module.nameSpan = info.nameSpan;
        if (info.brief !== undefined) module.brief = info.brief;
        module.uses = info.uses;
        module.extends = info.extends;
        continue;
      }
      // gsn2x falls back to reading the block as an element, then drops it: the file gets a path-derived name.
      const elementDiags: Diags = [];
      readElement(ctx, id, innerSpan(pair.key as YamlNode, keySpan), span, pair.value, elementDiags);
      if (elementDiags.some((d) => d.code === PARSE_CODE)) diags.push(...moduleDiags);
      else {
        diags.push({
          span: keySpan,
          severity: 'warning',
          code: 'gsn-module-ignored',
          message: `The module block is ignored (${moduleDiags[0]?.message ?? 'invalid'}); the module is named ${module.name} after its path.`,
        });
      }
      continue;
    }
    module.elements.push(readElement(ctx, id, innerSpan(pair.key as YamlNode, keySpan), span, pair.value, diags));
  }
  return module;
}
