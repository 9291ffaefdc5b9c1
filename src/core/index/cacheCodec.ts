// The persisted parse cache: the payload section, then a one-line JSON header after the last newline (written
// last so the blob is built in one buffer without a final copy). Each header row holds a
// document's contributions to the reverse maps (small, read at start) and where its payload lies: the full
// analysis as compact JSON arrays, decoded only when the document is first used. A warm start therefore
// parses only the header. Rows are looked up by uri and used only when the file's content hash still
// matches. Anything unexpected means "no cache", never an error. Checksums catch what JSON parsing would not:
// a bit flip inside a string or a number. The header carries one over its rows; each row carries one over its
// payload, checked when the payload is decoded (a mismatch makes the index re-analyse that file). A row may also
// carry the file's stamp (size, times, when it was read), which lets a warm start skip reading unchanged files.
import { hashBytes } from '../hash';
import type { BibEntry, CoreDiagnostic } from '../model';
import { PackedCitations, type CitationsRow } from '../parsers/packedCitations';
import { citationCount, citationsRowOf, type Analysis, type Contributions } from './analyze';
import type { DocumentKind } from './types';

/** Bump whenever the shape of `Analysis` or of this encoding changes. */
export const CACHE_SCHEMA = 8;
export const CACHE_KEY = 'interp-review.index';

/** A file's stat when the bytes behind a row's hash were read, and the wall-clock time just before that stat. */
export interface FileStamp {
  size: number;
  mtime: number;
  ctime?: number;
  readAt: number;
}

export interface CacheRow {
  hash: string;
  kind: DocumentKind;
  reduced?: Analysis['reduced'];
  contributions: Contributions;
  payload: Payload;
  stamp?: FileStamp;
}

/**
 * An analysis encoded by `encodePayload`: as text, still as bytes inside a cache blob, or (when saving) an
 * analysis to encode just in time with a size estimate, so 10k payload strings never exist at once.
 */
export type Payload = string | { blob: Uint8Array; start: number; end: number; checksum: string } | { analysis: Analysis };

/** A generous guess of a payload's encoded size, for sizing the cache buffer in one allocation. */
function estimateSize(a: Analysis): number {
  const frontmatter = a.frontmatter ? (a.frontmatter.contentSpan.end - a.frontmatter.contentSpan.start) * 4 : 0;
  return 200 + frontmatter + citationCount(a) * 40 + a.entries.length * 120 + a.diagnostics.length * 160 + (a.safetyCase ? 20000 : 0);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

type Opt<T> = T | null;
type EntryRow = [string, string, BibEntry['format'], number, number, number, number, Opt<string[]>,
  Opt<Record<string, string>>, Opt<BibEntry['info']>];
type DiagnosticRow = [number, number, CoreDiagnostic['severity'], string, string];
type CrossRefRow = [string, string, number, number];
type Rest = Pick<Analysis, 'frontmatter' | 'note' | 'safetyCase'> & { bibliographyFiles?: { path: string; span: { start: number; end: number } }[] };
type AnalysisRow = [Analysis['kind'], Opt<NonNullable<Analysis['reduced']>>, CitationsRow, CrossRefRow[], EntryRow[], DiagnosticRow[], Rest];

/** BibTeX field values are not stored (`withFields` false): they are most of a bibliography's size and are
 *  re-parsed from the file on first use, which is cheaper than deserializing them on every start. */
const encodeEntry = (e: BibEntry, withFields: boolean): EntryRow => [e.key, e.type, e.format, e.span.start, e.span.end,
  e.keySpan.start, e.keySpan.end, e.aliases ?? null, withFields ? e.fields ?? null : null, e.info ?? null];

function decodeEntry(r: EntryRow): BibEntry {
  const e: BibEntry = { key: r[0], type: r[1], format: r[2], span: { start: r[3], end: r[4] }, keySpan: { start: r[5], end: r[6] } };
  if (r[7] !== null) e.aliases = r[7];
  if (r[8] !== null) e.fields = r[8];
  if (r[9] !== null) e.info = r[9];
  return e;
}

/** Array items encoded per piece: a few milliseconds of JSON each. */
const PIECE_ITEMS = 2000;

/**
 * `stringify(items.map(encode))` in pieces of `pieceItems` items; each item is encoded only when its piece is.
 * `stringify` must write an array as `[…]` with its items separated by commas, as JSON does.
 */
function* arrayPieces<T>(
  items: readonly T[],
  encode: (item: T) => unknown = (item) => item,
  { stringify = JSON.stringify, pieceItems = PIECE_ITEMS }: { stringify?: (value: unknown) => string; pieceItems?: number } = {},
): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  for (let i = 0; i < items.length; i += pieceItems) {
    const json = stringify(items.slice(i, i + pieceItems).map(encode));
    // Each chunk's own brackets are dropped; the first and last pieces carry the array's.
    yield (i === 0 ? '[' : ',') + json.slice(1, -1) + (i + pieceItems >= items.length ? ']' : '');
  }
}

/**
 * An analysis as `AnalysisRow` JSON, in pieces that concatenate to `JSON.stringify` of the whole row, so a
 * 20,000-entry bibliography or a 40,000-citation review is encoded over several event-loop turns.
 */
function* analysisPieces(a: Analysis): Generator<string> {
  const rest: Rest = {};
  if (a.frontmatter) rest.frontmatter = a.frontmatter;
  if (a.note) rest.note = a.note;
  if (a.safetyCase) rest.safetyCase = a.safetyCase;
  if (a.bibliography) rest.bibliographyFiles = a.bibliography.files;
  const [keys, nums, extras] = citationsRowOf(a);
  yield `[${JSON.stringify(a.kind)},${JSON.stringify(a.reduced ?? null)},[`;
  yield* arrayPieces(keys);
  yield ',';
  yield* arrayPieces(nums);
  yield ',';
  yield* arrayPieces(extras);
  yield '],';
  yield* arrayPieces(a.crossRefs, (x) => [x.label, x.kind, x.span.start, x.span.end] satisfies CrossRefRow);
  yield ',';
  const withFields = a.kind !== 'bibtex';
  yield* arrayPieces(a.entries, (e) => encodeEntry(e, withFields));
  yield ',';
  yield* arrayPieces(a.diagnostics, (d) => [d.span.start, d.span.end, d.severity, d.code, d.message] satisfies DiagnosticRow);
  yield `,${JSON.stringify(rest)}]`;
}

function decodeAnalysis(r: AnalysisRow): Analysis {
  const a: Analysis = {
    kind: r[0],
    citations: PackedCitations.fromRow(r[2]).unpack(),
    crossRefs: r[3].map((x) => ({ label: x[0], kind: x[1], span: { start: x[2], end: x[3] } })),
    entries: r[4].map(decodeEntry),
    diagnostics: r[5].map((d) => ({ span: { start: d[0], end: d[1] }, severity: d[2], code: d[3], message: d[4] })),
  };
  if (r[1] !== null) a.reduced = r[1];
  if (a.kind === 'bibtex' && a.reduced !== 'keys-only') a.fieldsDeferred = true;
  const rest = r[6];
  if (rest.frontmatter) a.frontmatter = rest.frontmatter;
  if (rest.note) a.note = rest.note;
  if (rest.safetyCase) a.safetyCase = rest.safetyCase;
  // Inline references are the document's entries; storing them once keeps them the same objects.
  if (rest.bibliographyFiles) a.bibliography = { files: rest.bibliographyFiles, references: a.entries };
  return a;
}

export function encodePayload(analysis: Analysis): string {
  return [...analysisPieces(analysis)].join('');
}

/** Throws on a malformed or damaged payload; the index then re-analyses the file. */
export function decodePayload(payload: Payload): Analysis {
  if (typeof payload === 'string') return decodeAnalysis(JSON.parse(payload) as AnalysisRow);
  if ('analysis' in payload) return payload.analysis;
  const bytes = payload.blob.subarray(payload.start, payload.end);
  if (hashBytes(bytes) !== payload.checksum) throw new Error('checksum mismatch');
  return decodeAnalysis(JSON.parse(utf8.decode(bytes)) as AnalysisRow);
}

/** JSON with every non-ASCII character escaped: decoding pure ASCII bytes takes the decoder's fast path. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/**
 * Appends bytes to a buffer sized up front from an estimate (growing only when text turns out to be
 * non-ASCII-heavy): repeated doubling would leave several dead copies of a 25 MB blob for the GC.
 */
class ByteSink {
  private buffer: Uint8Array;
  length = 0;
  private readonly encoder = new TextEncoder();

  constructor(estimate: number) {
    this.buffer = new Uint8Array(Math.max(1024, estimate));
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.length + extra, Math.floor(this.buffer.length * 1.25)));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  text(text: string): void {
    let result = this.encoder.encodeInto(text, this.buffer.subarray(this.length));
    if (result.read < text.length) {
      // UTF-8 needs at most 3 bytes per UTF-16 unit.
      this.reserve(text.length * 3);
      result = this.encoder.encodeInto(text, this.buffer.subarray(this.length));
    }
    this.length += result.written;
  }

  /** Overwrites bytes already written at `at` with ASCII `text` of the same length. */
  patch(at: number, text: string): void {
    this.encoder.encodeInto(text, this.buffer.subarray(at, at + text.length));
  }

  written(start: number): Uint8Array {
    return this.buffer.subarray(start, this.length);
  }

  result(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** Payload bytes written between two pauses of a large payload's encoding. */
const PAUSE_BYTES = 64 * 1024;
/** Header rows encoded per piece. */
const HEADER_PIECE_ROWS = 500;

/**
 * Serializes rows keyed by uri; `fingerprint` names the settings the analyses depend on. A generator that
 * pauses after each row, after each piece of a large payload and of the header, so the index can spread a
 * large save over many event-loop turns.
 */
export function* encodeCacheSteps(rows: Map<string, CacheRow>, fingerprint: string): Generator<void, Uint8Array> {
  let estimate = 0;
  for (const [uri, row] of rows) {
    const p = row.payload;
    estimate += (typeof p === 'string' ? p.length : 'analysis' in p ? estimateSize(p.analysis) : p.end - p.start) + uri.length + 100;
    estimate += row.contributions.citedKeys.length * 16 + row.contributions.definedKeys.length * 16;
  }
  const sink = new ByteSink(Math.ceil(estimate * 1.2));
  const header: unknown[] = [];
  for (const [uri, row] of rows) {
    const start = sink.length;
    // A payload still in an old blob is copied as bytes, never decoded and re-encoded.
    const p = row.payload;
    let checksum: string;
    if (typeof p === 'object' && 'blob' in p) {
      sink.bytes(p.blob.subarray(p.start, p.end));
      checksum = p.checksum;
    } else if (typeof p === 'string') {
      sink.text(p);
      checksum = hashBytes(sink.written(start));
    } else {
      // Pauses inside a payload only once it has grown large: a small note's dozen pieces are written in one go.
      let pauseAt = start + PAUSE_BYTES;
      for (const piece of analysisPieces(p.analysis)) {
        sink.text(piece);
        if (sink.length >= pauseAt) {
          pauseAt = sink.length + PAUSE_BYTES;
          yield;
        }
      }
      checksum = hashBytes(sink.written(start));
    }
    const t = row.stamp;
    header.push([uri, row.hash, row.kind, row.reduced ?? null, row.contributions, start, sink.length, checksum,
      t ? t.size : null, t ? t.mtime : null, t?.ctime ?? null, t ? t.readAt : null]);
    yield;
  }
  // The rows go last, so the reader finds their text (to check it) right after the fixed-form fields. Their
  // checksum precedes them: a placeholder of its fixed length is written first and filled in once they are.
  const placeholder = '0'.repeat(16);
  sink.text(`\n{"schema":${CACHE_SCHEMA},"fingerprint":${JSON.stringify(fingerprint)},"checksum":"`);
  const checksumAt = sink.length;
  sink.text(`${placeholder}",${ROWS_FIELD}`);
  const rowsStart = sink.length;
  // asciiJson keeps the header pure ASCII, which the patch and the reader's byte offsets rely on.
  for (const piece of arrayPieces(header, undefined, { stringify: asciiJson, pieceItems: HEADER_PIECE_ROWS })) {
    sink.text(piece);
    yield;
  }
  sink.patch(checksumAt, hashBytes(sink.written(rowsStart)));
  sink.text('}');
  return sink.result();
}

export function encodeCache(rows: Map<string, CacheRow>, fingerprint: string): Uint8Array {
  const steps = encodeCacheSteps(rows, fingerprint);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

function validContributions(c: unknown): c is Contributions {
  const x = c as Contributions;
  return !!x && typeof x === 'object' && isStringArray(x.definedKeys) && isStringArray(x.citedKeys) &&
    (x.noteKey === undefined || typeof x.noteKey === 'string') &&
    (x.facets === undefined || (isStringArray(x.facets.tags) && isStringArray(x.facets.methods) && isStringArray(x.facets.problems))) &&
    (x.bibliographyFiles === undefined || isStringArray(x.bibliographyFiles));
}

const ROWS_FIELD = '"rows":';

/** Rows from a blob, or a reason the blob cannot be used. Payloads stay in the blob until used. */
export function decodeCache(bytes: Uint8Array, fingerprint: string): Map<string, CacheRow> | string {
  const newline = bytes.lastIndexOf(10);
  if (newline < 0) return 'corrupt (no header)';
  let parsed: unknown;
  const headerText = utf8.decode(bytes.subarray(newline + 1));
  try {
    parsed = JSON.parse(headerText);
  } catch (e) {
    return `corrupt (${e instanceof Error ? e.message : String(e)})`;
  }
  const blob = parsed as { schema?: unknown; fingerprint?: unknown; checksum?: unknown; rows?: unknown };
  if (!blob || typeof blob !== 'object') return 'corrupt (not an object)';
  if (blob.schema !== CACHE_SCHEMA) return `schema ${String(blob.schema)} is not ${CACHE_SCHEMA}`;
  if (blob.fingerprint !== fingerprint) return 'settings changed';
  if (!Array.isArray(blob.rows)) return 'corrupt (no rows)';
  // The writer escapes every non-ASCII character, so character offsets in the header are byte offsets and the
  // rows' bytes are hashed where they lie instead of being encoded again.
  const headerBytes = bytes.subarray(newline + 1);
  const rowsAt = headerText.indexOf(ROWS_FIELD);
  if (rowsAt < 0 || headerText.length !== headerBytes.length ||
    hashBytes(headerBytes.subarray(rowsAt + ROWS_FIELD.length, headerBytes.length - 1)) !== blob.checksum) {
    return 'corrupt (header checksum mismatch)';
  }
  const payloads = bytes.subarray(0, newline);
  const rows = new Map<string, CacheRow>();
  for (const row of blob.rows as unknown[]) {
    if (!Array.isArray(row) || row.length !== 12) return 'corrupt (bad row)';
    const [uri, hash, kind, reduced, contributions, start, end, checksum, size, mtime, ctime, readAt] = row as unknown[];
    if (typeof uri !== 'string' || typeof hash !== 'string' || typeof kind !== 'string' || typeof checksum !== 'string' || !validContributions(contributions) ||
      typeof start !== 'number' || typeof end !== 'number' || !(start >= 0 && start <= end && end <= payloads.length)) {
      return 'corrupt (bad row)';
    }
    const decoded: CacheRow = { hash, kind: kind as DocumentKind, contributions, payload: { blob: payloads, start, end, checksum } };
    if (reduced === 'keys-only' || reduced === 'no-links') decoded.reduced = reduced;
    // A stamp that is not entirely well-formed is dropped: the file is then read and hashed as without one.
    if (typeof size === 'number' && typeof mtime === 'number' && typeof readAt === 'number' && (ctime === null || typeof ctime === 'number')) {
      decoded.stamp = ctime === null ? { size, mtime, readAt } : { size, mtime, ctime, readAt };
    }
    rows.set(uri, decoded);
  }
  return rows;
}
