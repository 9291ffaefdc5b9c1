// The persisted parse cache: one blob of compact JSON arrays (no property names for the bulky records), so a
// 20k-entry bibliography deserializes with a single fast `JSON.parse`. Rows are looked up by uri and used
// only when the file's content hash still matches. Anything unexpected means "no cache", never an error.
import type { BibEntry, Citation, CoreDiagnostic } from '../model';
import type { Analysis } from './analyze';

/** Bump whenever the shape of `Analysis` or of this encoding changes. */
export const CACHE_SCHEMA = 1;
export const CACHE_KEY = 'interp-review.index';

export interface CacheRow {
  hash: string;
  analysis: Analysis;
}

type Opt<T> = T | null;
type CitationRow = [string, number, number, number, number, Citation['syntax'], Citation['mode'], number, number, number,
  Opt<string>, Opt<string>, Opt<string>, Opt<string>];
type EntryRow = [string, string, BibEntry['format'], number, number, number, number, Opt<string[]>,
  Opt<Record<string, string>>, Opt<BibEntry['info']>];
type DiagnosticRow = [number, number, CoreDiagnostic['severity'], string, string];
type CrossRefRow = [string, string, number, number];
type Rest = Pick<Analysis, 'frontmatter' | 'note' | 'safetyCase'> & { bibliographyFiles?: { path: string; span: { start: number; end: number } }[] };
type AnalysisRow = [Analysis['kind'], Opt<NonNullable<Analysis['reduced']>>, CitationRow[], CrossRefRow[], EntryRow[], DiagnosticRow[], Rest];

const encodeCitation = (c: Citation): CitationRow => [c.key, c.keySpan.start, c.keySpan.end, c.span.start, c.span.end,
  c.syntax, c.mode, c.group, c.groupSpan.start, c.groupSpan.end, c.prefix ?? null, c.locator ?? null, c.suffix ?? null,
  c.command ?? null];

function decodeCitation(r: CitationRow): Citation {
  const c: Citation = { key: r[0], keySpan: { start: r[1], end: r[2] }, span: { start: r[3], end: r[4] }, syntax: r[5],
    mode: r[6], group: r[7], groupSpan: { start: r[8], end: r[9] } };
  if (r[10] !== null) c.prefix = r[10];
  if (r[11] !== null) c.locator = r[11];
  if (r[12] !== null) c.suffix = r[12];
  if (r[13] !== null) c.command = r[13];
  return c;
}

const encodeEntry = (e: BibEntry): EntryRow => [e.key, e.type, e.format, e.span.start, e.span.end, e.keySpan.start,
  e.keySpan.end, e.aliases ?? null, e.fields ?? null, e.info ?? null];

function decodeEntry(r: EntryRow): BibEntry {
  const e: BibEntry = { key: r[0], type: r[1], format: r[2], span: { start: r[3], end: r[4] }, keySpan: { start: r[5], end: r[6] } };
  if (r[7] !== null) e.aliases = r[7];
  if (r[8] !== null) e.fields = r[8];
  if (r[9] !== null) e.info = r[9];
  return e;
}

function encodeAnalysis(a: Analysis): AnalysisRow {
  const rest: Rest = {};
  if (a.frontmatter) rest.frontmatter = a.frontmatter;
  if (a.note) rest.note = a.note;
  if (a.safetyCase) rest.safetyCase = a.safetyCase;
  if (a.bibliography) rest.bibliographyFiles = a.bibliography.files;
  return [a.kind, a.reduced ?? null, a.citations.map(encodeCitation), a.crossRefs.map((x) => [x.label, x.kind, x.span.start, x.span.end]),
    a.entries.map(encodeEntry), a.diagnostics.map((d) => [d.span.start, d.span.end, d.severity, d.code, d.message]), rest];
}

function decodeAnalysis(r: AnalysisRow): Analysis {
  const a: Analysis = {
    kind: r[0],
    citations: r[2].map(decodeCitation),
    crossRefs: r[3].map((x) => ({ label: x[0], kind: x[1], span: { start: x[2], end: x[3] } })),
    entries: r[4].map(decodeEntry),
    diagnostics: r[5].map((d) => ({ span: { start: d[0], end: d[1] }, severity: d[2], code: d[3], message: d[4] })),
  };
  if (r[1] !== null) a.reduced = r[1];
  const rest = r[6];
  if (rest.frontmatter) a.frontmatter = rest.frontmatter;
  if (rest.note) a.note = rest.note;
  if (rest.safetyCase) a.safetyCase = rest.safetyCase;
  // Inline references are the document's entries; storing them once keeps them the same objects.
  if (rest.bibliographyFiles) a.bibliography = { files: rest.bibliographyFiles, references: a.entries };
  return a;
}

/** Serializes rows keyed by uri; `fingerprint` names the settings the analyses depend on. */
export function encodeCache(rows: Map<string, CacheRow>, fingerprint: string): Uint8Array {
  const out: [string, string, AnalysisRow][] = [];
  for (const [uri, row] of rows) out.push([uri, row.hash, encodeAnalysis(row.analysis)]);
  return new TextEncoder().encode(JSON.stringify({ schema: CACHE_SCHEMA, fingerprint, rows: out }));
}

/** Rows from a blob, or a reason the blob cannot be used. */
export function decodeCache(bytes: Uint8Array, fingerprint: string): Map<string, CacheRow> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return `corrupt (${e instanceof Error ? e.message : String(e)})`;
  }
  const blob = parsed as { schema?: unknown; fingerprint?: unknown; rows?: unknown };
  if (!blob || typeof blob !== 'object') return 'corrupt (not an object)';
  if (blob.schema !== CACHE_SCHEMA) return `schema ${String(blob.schema)} is not ${CACHE_SCHEMA}`;
  if (blob.fingerprint !== fingerprint) return 'settings changed';
  if (!Array.isArray(blob.rows)) return 'corrupt (no rows)';
  const rows = new Map<string, CacheRow>();
  try {
    for (const [uri, hash, analysis] of blob.rows as [string, string, AnalysisRow][]) {
      if (typeof uri !== 'string' || typeof hash !== 'string') return 'corrupt (bad row)';
      rows.set(uri, { hash, analysis: decodeAnalysis(analysis) });
    }
  } catch (e) {
    return `corrupt (${e instanceof Error ? e.message : String(e)})`;
  }
  return rows;
}
