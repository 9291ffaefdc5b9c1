// CSL-JSON and CSL-YAML bibliographies (what Zotero/Better BibTeX and Pandoc write). JSON goes through a
// small tolerant scanner of our own so every item and `id` has an exact span and a syntax error costs only
// what follows it; YAML uses the `yaml` package's node ranges.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { BibEntry, CoreDiagnostic, EntryFormat, PaperInfo, ParseResult, Span } from '../model';
import { arxivFromEprint, arxivFromText, normalizeDoi } from './bibIdentifiers';
import { excessiveYamlFlowDepth, MAX_YAML_FLOW_DEPTH, withLfLineBreaks } from './yamlGuard';

// ---------------------------------------------------------------------------------------------
// Item → entry

type CslItem = Record<string, unknown>;

function isRecord(value: unknown): value is CslItem {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return text(value[0]);
  return undefined;
}

/** CSL rich text allows a few HTML-like tags (`<i>`, `<span class="nocase">`); readers want the words. */
function stripMarkup(s: string): string {
  // The tests are cheap scans; the replacements allocate, and abstracts make up most of a big file.
  if (s.includes('<')) s = s.replace(/<\/?(?:i|b|sup|sub|sc|span)(?:\s[^>]*)?>/gi, '');
  if (/[\t\n\r\f\v]| {2}/.test(s)) s = s.replace(/\s+/g, ' ');
  return s.trim();
}

function formatCslName(name: unknown): string | undefined {
  if (typeof name === 'string') return text(name);
  if (!isRecord(name)) return undefined;
  const literal = text(name.literal);
  if (literal) return literal;
  const family = [text(name['dropping-particle']), text(name['non-dropping-particle']), text(name.family)]
    .filter((p): p is string => p !== undefined)
    .join(' ');
  const given = text(name.given);
  const suffix = text(name.suffix);
  if (!family) return given;
  let out = given ? `${family}, ${given}` : family;
  if (suffix) out += `, ${suffix}`;
  return out;
}

function names(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map(formatCslName).filter((n): n is string => n !== undefined);
}

/**
 * The year of a CSL date: `{date-parts: [[2020, 5]]}`, `{literal: "Spring 2020"}`, `{raw: …}`, an EDTF
 * string `2020-05-01`, a bare number, or old Pandoc YAML `[{year: 2020}]`.
 */
function yearOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return (/(?:^|\D)(\d{4})(?!\d)/.exec(value)?.[1] ?? /-?\d{1,4}/.exec(value)?.[0]);
  if (Array.isArray(value)) return yearOf(value[0]);
  if (!isRecord(value)) return undefined;
  const parts = value['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0]) && parts[0].length > 0) {
    const year = parts[0][0];
    if (typeof year === 'number' || (typeof year === 'string' && year.trim() !== '')) return String(year).trim();
  }
  if (value.year !== undefined) return yearOf(value.year);
  const literal = text(value.literal) ?? text(value.raw);
  return literal === undefined ? undefined : (/\d{4}/.exec(literal)?.[0] ?? literal);
}

function keywordsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value.map(text) : (text(value)?.split(/[,;]/) ?? []);
  return list.map((k) => k?.trim()).filter((k): k is string => !!k);
}

/** Display metadata from a CSL item. */
export function cslInfo(item: Record<string, unknown>): PaperInfo {
  const info: PaperInfo = { authors: names(item.author), keywords: keywordsOf(item.keyword ?? item.keywords) };
  if (info.authors.length === 0) info.authors = names(item.editor);
  const title = text(item.title);
  if (title) info.title = stripMarkup(title);
  const year = yearOf(item.issued);
  if (year) info.year = year;
  const venue = text(item['container-title']) ?? text(item['collection-title']) ?? text(item['event-title']) ?? text(item.event) ?? text(item.publisher);
  if (venue) info.venue = stripMarkup(venue);
  const doi = text(item.DOI) ?? text(item.doi);
  if (doi && normalizeDoi(doi)) info.doi = normalizeDoi(doi);
  const url = text(item.URL) ?? text(item.url);
  if (url) info.url = url;
  const archive = text(item.archive) ?? text(item.publisher);
  const arxiv =
    (archive && /^arxiv$/i.test(archive) ? arxivFromEprint(text(item.archive_location) ?? text(item.number) ?? '') : undefined) ??
    (url ? arxivFromText('url', url) : undefined) ??
    (info.doi ? arxivFromText('doi', info.doi) : undefined);
  if (arxiv) info.arxiv = arxiv;
  const abstract = text(item.abstract);
  if (abstract) info.abstract = stripMarkup(abstract);
  return info;
}

/** Turns located CSL items into entries; reports items without `id` and duplicate ids. */
class EntryCollector {
  readonly entries: BibEntry[] = [];
  private readonly seen = new Map<string, Span>();

  constructor(
    private readonly format: EntryFormat,
    private readonly diagnostics: CoreDiagnostic[],
  ) {}

  add(item: unknown, span: Span, idSpan: Span | undefined): void {
    if (!isRecord(item)) {
      this.report(span, 'A CSL item must be an object with an id.');
      return;
    }
    const rawId = item.id;
    const key = typeof rawId === 'string' ? rawId.trim() : typeof rawId === 'number' ? String(rawId) : '';
    if (key === '') {
      this.report({ start: span.start, end: Math.min(span.end, span.start + 1) }, 'This CSL item has no id.');
      return;
    }
    const keySpan = idSpan ?? span;
    const first = this.seen.get(key);
    if (first) {
      this.diagnostics.push({
        span: keySpan,
        severity: 'warning',
        code: 'duplicate-key',
        message: `Duplicate id '${key}' (first defined at offset ${first.start}); this item is ignored.`,
      });
      return;
    }
    this.seen.set(key, keySpan);
    const type = typeof item.type === 'string' && item.type.trim() !== '' ? item.type.trim().toLowerCase() : 'document';
    this.entries.push({ key, type, format: this.format, span, keySpan, info: cslInfo(item) });
  }

  report(span: Span, message: string): void {
    this.diagnostics.push({ span, severity: 'error', code: 'bib-syntax', message });
  }
}

/**
 * Entries from already-parsed CSL items (e.g. a Markdown frontmatter's inline `references:` read as plain
 * data). Positions are unknown there, so every entry gets `span` as both span and key span.
 */
export function parseCslItems(items: readonly unknown[], options: { span: Span; format?: EntryFormat }): ParseResult<BibEntry[]> {
  const diagnostics: CoreDiagnostic[] = [];
  const collector = new EntryCollector(options.format ?? 'inline', diagnostics);
  for (const item of items) collector.add(item, options.span, undefined);
  return { value: collector.entries, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// JSON

class JsonSyntaxError {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly message: string,
  ) {}
}

/**
 * The first occurrence of a character at or after a position, memoised: scans move forward, so each
 * stretch of text is searched (natively, by indexOf) about once.
 */
class NextIndex {
  private searchedFrom = 0;
  private found = -1;

  constructor(
    private readonly src: string,
    private readonly ch: string,
  ) {}

  /** Index of the first `ch` at or after `p`, or the text length. */
  from(p: number): number {
    if (this.searchedFrom > p || this.found < p) {
      const i = this.src.indexOf(this.ch, p);
      this.searchedFrom = p;
      this.found = i < 0 ? this.src.length : i;
    }
    return this.found;
  }
}

/** Deeper nesting than any CSL item needs; stops stack exhaustion on hostile input. */
const MAX_JSON_DEPTH = 200;

/**
 * A strict-JSON reader that records where things are. Throws JsonSyntaxError at the first error; the
 * caller keeps whatever items were complete by then.
 */
class JsonScanner {
  pos = 0;
  /** Span of the `id` value (inside quotes) of the most recently finished item-level object. */
  idSpan: Span | undefined;

  constructor(private readonly src: string) {
    this.quotes = new NextIndex(src, '"');
    this.escapes = new NextIndex(src, '\\');
    this.newlines = new NextIndex(src, '\n');
    this.returns = new NextIndex(src, '\r');
  }

  fail(message: string, start = this.pos, end = start + 1): never {
    throw new JsonSyntaxError(start, Math.min(end, Math.max(this.src.length, start)), message);
  }

  skipBlanks(): void {
    const src = this.src;
    let p = this.pos;
    for (;;) {
      const c = src.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) p++;
      else break;
    }
    this.pos = p;
  }

  describe(): string {
    return this.pos >= this.src.length ? 'the end of the file' : `'${this.src[this.pos]}'`;
  }

  /** Parses one value; `itemLevel` marks objects whose `id` span should be recorded. */
  value(depth: number, itemLevel: boolean): unknown {
    if (depth > MAX_JSON_DEPTH) this.fail('Nesting is too deep.');
    this.skipBlanks();
    const c = this.src.charCodeAt(this.pos);
    if (c === 123) return this.object(depth, itemLevel);
    if (c === 91) return this.array(depth);
    if (c === 34) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.src.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail(`Expected a JSON value, found ${this.describe()}.`);
  }

  object(depth: number, itemLevel: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let idSpan: Span | undefined;
    this.pos++;
    this.skipBlanks();
    if (this.src.charCodeAt(this.pos) === 125) {
      this.pos++;
      if (itemLevel) this.idSpan = undefined;
      return out;
    }
    for (;;) {
      this.skipBlanks();
      if (this.src.charCodeAt(this.pos) !== 34) this.fail(`Expected a property name in double quotes, found ${this.describe()}.`);
      const name = this.string();
      this.skipBlanks();
      if (this.src.charCodeAt(this.pos) !== 58) this.fail(`Expected ':' after the property name, found ${this.describe()}.`);
      this.pos++;
      this.skipBlanks();
      const valueStart = this.pos;
      const value = this.value(depth + 1, false);
      if (itemLevel && name === 'id') {
        const quoted = this.src.charCodeAt(valueStart) === 34;
        idSpan = quoted ? { start: valueStart + 1, end: this.pos - 1 } : { start: valueStart, end: this.pos };
      }
      if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      else out[name] = value;
      this.skipBlanks();
      const c = this.src.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 125) {
        this.pos++;
        break;
      }
      this.fail(`Expected ',' or '}' in an object, found ${this.describe()}.`);
    }
    if (itemLevel) this.idSpan = idSpan;
    return out;
  }

  array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipBlanks();
    if (this.src.charCodeAt(this.pos) === 93) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1, false));
      this.skipBlanks();
      const c = this.src.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 93) {
        this.pos++;
        return out;
      }
      this.fail(`Expected ',' or ']' in an array, found ${this.describe()}.`);
    }
  }

  private readonly quotes: NextIndex;
  private readonly escapes: NextIndex;
  private readonly newlines: NextIndex;
  private readonly returns: NextIndex;

  string(): string {
    const src = this.src;
    const start = this.pos;
    const close = this.quotes.from(start + 1);
    if (this.escapes.from(start + 1) > close && close < src.length) {
      // No escapes: one slice. A raw line break inside means the closing quote is missing.
      if (this.newlines.from(start + 1) < close || this.returns.from(start + 1) < close) this.fail('Unterminated string.', start, start + 1);
      this.pos = close + 1;
      return src.slice(start + 1, close);
    }
    let p = start + 1;
    for (;;) {
      const c = src.charCodeAt(p);
      if (c === 34) break;
      if (c === 92) {
        p += 2;
        continue;
      }
      // A raw line break (or the end) means the closing quote is missing: blame the opening one.
      if (c === 10 || c === 13 || p >= src.length) this.fail('Unterminated string.', start, start + 1);
      p++;
    }
    this.pos = p + 1;
    try {
      return JSON.parse(src.slice(start, p + 1)) as string;
    } catch {
      return this.fail('Invalid escape sequence in string.', start, p + 1);
    }
  }

  number(): number {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    match.lastIndex = this.pos;
    const m = match.exec(this.src);
    if (!m) return this.fail(`Invalid number.`);
    this.pos += m[0].length;
    return Number(m[0]);
  }
}

/**
 * Where the item after a syntax error starts: the next line indented exactly like the first item's `{`
 * (pretty-printed exports put every item at the same indentation and nested objects deeper). -1 if none.
 */
function nextItemStart(text: string, itemIndent: string | undefined, from: number): number {
  if (itemIndent === undefined) return -1;
  const marker = `${itemIndent}{`;
  for (let found = text.indexOf(marker, from); found >= 0; found = text.indexOf(marker, found + 1)) {
    const before = text.charCodeAt(found - 1);
    if (before === 10 || before === 13) return found + marker.length - 1;
  }
  return -1;
}

/** The blanks before `pos` when `pos` is the first non-blank character of its line (any line ending). */
function lineIndentBefore(text: string, pos: number): string | undefined {
  let p = pos;
  while (p > 0 && (text.charCodeAt(p - 1) === 32 || text.charCodeAt(p - 1) === 9)) p--;
  const before = text.charCodeAt(p - 1);
  return p > 0 && (before === 10 || before === 13) ? text.slice(p, pos) : undefined;
}

/**
 * Parses a CSL-JSON bibliography: an array of items (or a single item object). Never throws. A syntax
 * error yields one diagnostic at its location; the items before it are kept, and in pretty-printed files
 * scanning resumes at the next item, so one broken item costs only itself.
 */
export function parseCslJson(text: string): ParseResult<BibEntry[]> {
  const diagnostics: CoreDiagnostic[] = [];
  const collector = new EntryCollector('csl-json', diagnostics);
  const scanner = new JsonScanner(text);
  let itemIndent: string | undefined;
  const reportError = (error: unknown): number => {
    // Anything but a JsonSyntaxError would be our bug; it still must not take indexing down with it.
    const problem = error instanceof JsonSyntaxError ? error : new JsonSyntaxError(scanner.pos, scanner.pos + 1, String(error));
    const end = Math.min(Math.max(problem.end, problem.start), text.length);
    const start = Math.min(problem.start, end);
    diagnostics.push({ span: { start, end }, severity: 'error', code: 'bib-syntax', message: problem.message });
    return start;
  };
  scanner.skipBlanks();
  const first = text.charCodeAt(scanner.pos);
  if (first === 91) {
    scanner.pos++;
    scanner.skipBlanks();
    let closed = text.charCodeAt(scanner.pos) === 93;
    if (closed) scanner.pos++;
    while (!closed) {
      try {
        scanner.skipBlanks();
        const start = scanner.pos;
        itemIndent ??= lineIndentBefore(text, start);
        const item = scanner.value(1, true);
        collector.add(item, { start, end: scanner.pos }, isRecord(item) ? scanner.idSpan : undefined);
        scanner.skipBlanks();
        const next = text.charCodeAt(scanner.pos);
        if (next === 44) scanner.pos++;
        else if (next === 93) {
          scanner.pos++;
          closed = true;
        } else scanner.fail(`Expected ',' or ']' after an item, found ${scanner.describe()}.`);
      } catch (error) {
        const resume = nextItemStart(text, itemIndent, reportError(error) + 1);
        if (resume < 0) return { value: collector.entries, diagnostics };
        scanner.pos = resume;
      }
    }
  } else {
    try {
      if (first === 123) {
        const start = scanner.pos;
        const item = scanner.value(1, true);
        collector.add(item, { start, end: scanner.pos }, scanner.idSpan);
      } else if (scanner.pos < text.length) {
        scanner.fail(`Expected a CSL-JSON array of items, found ${scanner.describe()}.`);
      }
    } catch (error) {
      reportError(error);
      return { value: collector.entries, diagnostics };
    }
  }
  scanner.skipBlanks();
  if (scanner.pos < text.length) {
    reportError(new JsonSyntaxError(scanner.pos, scanner.pos + 1, `Unexpected text after the bibliography: ${scanner.describe()}.`));
  }
  return { value: collector.entries, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// YAML

/** Anchors/aliases are legal YAML, but an alias bomb must not expand into gigabytes. */
const MAX_ALIAS_COUNT = 100;

/** A node's span without the line breaks and blanks YAML counts into a block's range. */
function rangeSpan(text: string, node: { range?: [number, number, number] | null }): Span | undefined {
  if (!node.range) return undefined;
  const start = node.range[0];
  let end = node.range[1];
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/** The `id` value's span, inside quotes for quoted scalars. */
function yamlIdSpan(text: string, item: YamlNode): Span | undefined {
  if (!isMap(item)) return undefined;
  for (const pair of item.items) {
    if (!isScalar(pair.key) || pair.key.value !== 'id' || !isScalar(pair.value)) continue;
    const span = rangeSpan(text, pair.value);
    if (!span) return undefined;
    const quoted = pair.value.type === 'QUOTE_DOUBLE' || pair.value.type === 'QUOTE_SINGLE';
    return quoted ? { start: span.start + 1, end: Math.max(span.start + 1, span.end - 1) } : span;
  }
  return undefined;
}

function yamlToJs(node: YamlNode, doc: Document): { value?: unknown; error?: string } {
  try {
    return { value: node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Parses CSL-YAML: a top-level list of items, or a mapping with a `references:` list (Pandoc's form, which
 * is also what a Markdown frontmatter holds). Never throws; YAML errors become diagnostics and every item
 * that still reads as a mapping is kept.
 */
export function parseCslYaml(text: string): ParseResult<BibEntry[]> {
  const diagnostics: CoreDiagnostic[] = [];
  const collector = new EntryCollector('csl-yaml', diagnostics);
  const tooDeep = excessiveYamlFlowDepth(text);
  if (tooDeep >= 0) {
    collector.report(
      { start: tooDeep, end: tooDeep + 1 },
      `This YAML nests lists or mappings more than ${MAX_YAML_FLOW_DEPTH} levels deep; it is not read.`,
    );
    return { value: [], diagnostics };
  }
  let doc: Document;
  try {
    // `logLevel: 'error'` keeps the yaml package from printing warnings to the extension host's console.
    doc = parseDocument(withLfLineBreaks(text), { prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  } catch (error) {
    collector.report({ start: 0, end: Math.min(1, text.length) }, `Unreadable YAML: ${error instanceof Error ? error.message : String(error)}`);
    return { value: [], diagnostics };
  }
  for (const problem of [...doc.errors, ...doc.warnings]) {
    // The yaml package may point one past the end for errors at the end of the text.
    const start = Math.min(problem.pos[0], text.length);
    const end = Math.min(Math.max(problem.pos[1], start), text.length);
    diagnostics.push({
      span: { start, end },
      severity: problem.name === 'YAMLWarning' ? 'warning' : 'error',
      code: 'bib-syntax',
      message: problem.message.split('\n')[0],
    });
  }
  let list: unknown = doc.contents;
  if (isMap(list)) {
    const references = list.items.find((pair) => isScalar(pair.key) && pair.key.value === 'references');
    list = references?.value;
    if (list === undefined || list === null) return { value: [], diagnostics };
  }
  if (list === null || list === undefined) return { value: [], diagnostics };
  if (!isSeq(list)) {
    const span = rangeSpan(text, list as YamlNode) ?? { start: 0, end: 0 };
    collector.report(span, 'Expected a list of CSL items (or a mapping with a references: list).');
    return { value: collector.entries, diagnostics };
  }
  for (const node of list.items) {
    if (!node || typeof node !== 'object') continue;
    const itemNode = node as YamlNode;
    const span = rangeSpan(text, itemNode);
    if (!span) continue;
    const target = isAlias(itemNode) ? itemNode.resolve(doc) : itemNode;
    const { value, error } = yamlToJs(itemNode, doc);
    if (error !== undefined) {
      collector.report(span, `Cannot read this item: ${error}`);
      continue;
    }
    collector.add(value, span, target && !isAlias(itemNode) ? yamlIdSpan(text, target) : undefined);
  }
  return { value: collector.entries, diagnostics };
}
