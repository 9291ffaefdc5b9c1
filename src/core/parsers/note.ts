// Paper notes: Markdown whose front matter names a paper (`citekey`/`id`) or carries reading metadata
// (`tags`, `methods`, `problems`, `status`, `doi`, `arxiv`). Also reads a Pandoc document's `bibliography:`
// and inline `references:` settings. Values are taken leniently (string or list, number or string) because
// notes are hand-written.
import type { BibEntry, BibliographySettings, Frontmatter, PaperInfo, PaperNote, ParseResult, Span } from '../model';
import { exactLength } from './citationText';

const NOTE_MARKERS = ['citekey', 'id', 'tags', 'methods', 'problems', 'status', 'doi', 'arxiv'];

function scalarString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed || undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A list of strings from a YAML list or a comma-separated string; `#tag` loses its `#`. */
function stringList(value: unknown, stripHash = false): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const out: string[] = [];
  for (const item of raw) {
    let s = scalarString(item);
    if (s === undefined) continue;
    if (stripHash) s = s.replace(/^#/, '');
    if (s && !out.includes(s)) out.push(s);
  }
  return exactLength(out);
}

/** Authors as written: a list of names or `{family, given}`/`{name}` objects, or one string joined by `and`/`;`. */
function authorList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+and\s+|;/) : [];
  const out: string[] = [];
  for (const item of items) {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const o = item as Record<string, unknown>;
      const family = scalarString(o.family);
      const given = scalarString(o.given);
      const name = family ? (given ? `${family}, ${given}` : family) : (scalarString(o.name) ?? scalarString(o.literal));
      if (name) out.push(name);
    } else {
      const name = scalarString(item);
      if (name) out.push(name);
    }
  }
  return exactLength(out);
}

/** The key's own characters inside its value span (quotes excluded), for rename and diagnostics. */
function keySpanIn(text: string, span: Span | undefined, key: string): Span | undefined {
  if (!span) return undefined;
  const at = text.indexOf(key, span.start);
  if (at >= 0 && at + key.length <= span.end) return { start: at, end: at + key.length };
  return span;
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const NON_WHITESPACE = /\S/g;

/** Length of the run of `c` at `i`. */
function runLength(text: string, i: number, end: number, c: number): number {
  let j = i;
  while (j < end && text.charCodeAt(j) === c) j++;
  return j - i;
}

/**
 * First ATX (`# x`) or setext heading of the body, skipping fenced code. Read in place, character by
 * character: a note's body is walked once per analysis, and cutting out each line cost a share of indexing.
 */
function firstHeading(text: string, bodyStart: number): Span | undefined {
  let fenceChar = 0;
  let fenceLength = 0;
  let previous: Span | undefined;
  let start = bodyStart;
  while (start < text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== LF && text.charCodeAt(end) !== CR) end++;
    const next = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    const lineSpan = { start, end };
    const indent = runLength(text, start, Math.min(end, start + 4), SPACE);
    const at = start + indent;
    const c = text.charCodeAt(at);
    const fence = indent <= 3 && (c === 96 || c === 126) ? runLength(text, at, end, c) : 0;
    start = next;
    if (fenceChar) {
      if (fence >= 3 && c === fenceChar && fence >= fenceLength) fenceChar = 0;
      previous = undefined;
      continue;
    }
    if (fence >= 3) {
      fenceChar = c;
      fenceLength = fence;
      previous = undefined;
      continue;
    }
    if (indent <= 3 && c === 35) {
      const hashes = runLength(text, at, end, 35);
      const after = at + hashes;
      if (hashes <= 6 && (after === end || text.charCodeAt(after) === SPACE || text.charCodeAt(after) === TAB)) return lineSpan;
    }
    if (previous && indent <= 3 && (c === 61 || c === 45)) {
      let j = at + runLength(text, at, end, c);
      while (j < end && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB)) j++;
      if (j === end) return previous;
    }
    NON_WHITESPACE.lastIndex = lineSpan.start;
    const blank = !NON_WHITESPACE.test(text) || NON_WHITESPACE.lastIndex > end;
    previous = !blank && indent < 4 ? lineSpan : undefined;
  }
  return undefined;
}

function headingText(text: string, span: Span): string | undefined {
  const line = text.slice(span.start, span.end);
  const t = line.replace(/^ {0,3}#{1,6}[ \t]*/, '').replace(/[ \t]+#+[ \t]*$/, '').trim();
  return t || undefined;
}

/**
 * The paper note a document's front matter describes, or undefined when the front matter carries no note
 * fields (a review with just `title:`/`author:` is not a note).
 */
export function parseNote(text: string, frontmatter: Frontmatter | undefined): PaperNote | undefined {
  const data = frontmatter?.data;
  if (!frontmatter || !data) return undefined;
  if (!NOTE_MARKERS.some((k) => data[k] !== undefined && data[k] !== null)) return undefined;
  const bodyStart = frontmatter.span.end;
  const titleSpan = firstHeading(text, bodyStart);

  const citekeyField = scalarString(data.citekey) !== undefined ? 'citekey' : scalarString(data.id) !== undefined ? 'id' : undefined;
  const citekey = citekeyField ? scalarString(data[citekeyField]) : undefined;
  // Only the fields that have a value, added in this order (deleting the others would leave the object in
  // slow dictionary mode).
  const info = {} as PaperInfo;
  const title = scalarString(data.title) ?? (titleSpan ? headingText(text, titleSpan) : undefined);
  if (title !== undefined) info.title = title;
  info.authors = authorList(data.authors ?? data.author);
  const year = scalarString(data.year) ?? scalarString(data.date)?.slice(0, 4);
  if (year !== undefined) info.year = year;
  const venue = scalarString(data.venue);
  if (venue !== undefined) info.venue = venue;
  const doi = scalarString(data.doi);
  if (doi !== undefined) info.doi = doi;
  const url = scalarString(data.url);
  if (url !== undefined) info.url = url;
  const arxiv = scalarString(data.arxiv);
  if (arxiv !== undefined) info.arxiv = arxiv;
  const abstract = scalarString(data.abstract);
  if (abstract !== undefined) info.abstract = abstract;
  info.keywords = stringList(data.keywords);

  const note: PaperNote = {
    info,
    tags: stringList(data.tags, true),
    methods: stringList(data.methods),
    problems: stringList(data.problems),
    bodyStart,
  };
  if (citekey !== undefined && citekeyField) {
    note.citekey = citekey;
    const span = keySpanIn(text, frontmatter.valueSpans[citekeyField], citekey);
    if (span) note.citekeySpan = span;
  }
  const status = scalarString(data.status);
  if (status !== undefined) note.status = status;
  if (titleSpan) note.titleSpan = titleSpan;
  return note;
}

/** Turns inline CSL `references:` items into entries (the CSL parser's `parseCslItems`). */
export type InlineReferenceReader = (items: readonly unknown[], options: { span: Span }) => ParseResult<BibEntry[]>;

/**
 * A Pandoc document's `bibliography:` (string or list, paths relative to the document) and inline
 * `references:`; undefined when it has neither.
 */
export function parseBibliographySettings(
  text: string,
  frontmatter: Frontmatter | undefined,
  readReferences: InlineReferenceReader,
): ParseResult<BibliographySettings | undefined> {
  const data = frontmatter?.data;
  if (!frontmatter || !data) return { value: undefined, diagnostics: [] };
  const files: BibliographySettings['files'] = [];
  const span = frontmatter.valueSpans.bibliography;
  const paths = typeof data.bibliography === 'string' ? [data.bibliography] : stringList(data.bibliography);
  let searchFrom = span?.start ?? frontmatter.contentSpan.start;
  for (const raw of paths) {
    const path = raw.trim();
    if (!path) continue;
    // Locate each path in order inside the value so list items get their own span.
    const at = span ? text.indexOf(path, searchFrom) : -1;
    const pathSpan = at >= 0 && span && at + path.length <= span.end ? { start: at, end: at + path.length } : span;
    if (at >= 0) searchFrom = at + path.length;
    files.push({ path, span: pathSpan ?? frontmatter.contentSpan });
  }
  const references = Array.isArray(data.references)
    ? readReferences(data.references, { span: frontmatter.valueSpans.references ?? frontmatter.contentSpan })
    : { value: [], diagnostics: [] };
  if (files.length === 0 && references.value.length === 0) return { value: undefined, diagnostics: references.diagnostics };
  return { value: { files, references: references.value }, diagnostics: references.diagnostics };
}
