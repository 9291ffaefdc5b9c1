// Shared pieces of the view-model builders: one pass over the index, list registries, row builders.
import { findMethod, findProblem } from '../corpus/corpus';
import type { CorpusData } from '../corpus/types';
import type { CitationSite, IndexedDocument, ReviewIndex } from '../index/types';
import type { BibEntry, Citation, PaperInfo, PaperNote } from '../model';
import type { ContextLine, ListItem, ListPreview, SourceLocation } from '../../protocol/viewModels';

/** The part of the index the views read; tests pass small fakes. */
export type ViewIndex = Pick<ReviewIndex, 'documents' | 'document' | 'resolve' | 'citationsOf' | 'corpus'>;

export interface ViewOptions {
  /** How a URI is shown to the user; the editor passes `workspace.asRelativePath`. */
  displayPath?: (uri: string) => string;
  /** Rows sent with a model; the rest of a list travels on request. */
  previewSize?: number;
}

export const DEFAULT_PREVIEW = 20;

/**
 * A list behind a preview, read page by page: the page asks for the rows it is about to show, so a list of
 * 100,000 citations never crosses postMessage whole and rows are built only when seen.
 */
export interface ListSource {
  readonly total: number;
  /** Rows `start` (inclusive) to `end` (exclusive), clamped to the list. */
  slice(start: number, end: number): ListItem[];
}

/** The lists of one model, by `ListPreview.id`. */
export type ListRegistry = Map<string, ListSource>;

export interface BuiltView<T> {
  model: T;
  lists: ListRegistry;
}

/** A list over `rows()` (re-iterated per page, so it may be a lazy generator); `toItem` runs per shown row. */
export function listSource<T>(total: number, rows: () => Iterable<T>, toItem: (row: T) => ListItem): ListSource {
  return {
    total,
    slice(start, end) {
      const out: ListItem[] = [];
      // A page past the end returns at once instead of walking every row (rows may be every citation).
      if (start >= Math.min(end, total)) return out;
      let index = 0;
      for (const row of rows()) {
        if (index >= end) break;
        if (index >= start) out.push(toItem(row));
        index++;
      }
      return out;
    },
  };
}

export function arraySource<T>(rows: readonly T[], toItem: (row: T) => ListItem): ListSource {
  return { total: rows.length, slice: (start, end) => rows.slice(Math.max(0, start), Math.max(0, end)).map(toItem) };
}

/** Registers `source` under `id` and returns its first `size` rows. */
export function preview(lists: ListRegistry, id: string, source: ListSource, size: number): ListPreview {
  lists.set(id, source);
  return { id, total: source.total, items: source.slice(0, size) };
}

export function defaultDisplayPath(uri: string): string {
  const path = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const segments = path.split('/').filter(Boolean);
  const tail = segments.slice(-2).join('/');
  try {
    return decodeURIComponent(tail);
  } catch {
    return tail;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

const CONTEXT_CHARS = 90;

/** The line of `doc` holding `citation`, cut to a readable width around it. */
export function contextLine(doc: IndexedDocument, citation: Citation): { line: number; context: ContextLine } {
  const start = doc.lineMap.positionAt(citation.span.start);
  const text = doc.lineMap.lineText(start.line);
  const from = start.character;
  const end = doc.lineMap.positionAt(citation.span.end);
  const to = end.line === start.line ? end.character : text.length;
  const beforeStart = Math.max(0, from - CONTEXT_CHARS);
  const afterEnd = Math.min(text.length, to + CONTEXT_CHARS);
  return {
    line: start.line,
    context: {
      before: (beforeStart > 0 ? '…' : '') + text.slice(beforeStart, from).trimStart(),
      match: text.slice(from, to),
      after: text.slice(to, afterEnd).trimEnd() + (afterEnd < text.length ? '…' : ''),
    },
  };
}

export function citationItem(doc: IndexedDocument | undefined, site: CitationSite, displayPath: (uri: string) => string): ListItem {
  const location: SourceLocation = { kind: 'citation', uri: site.uri, offset: site.citation.keySpan.start };
  if (!doc) return { label: site.citation.key, detail: displayPath(site.uri), location, paperKey: site.citation.key };
  const { line, context } = contextLine(doc, site.citation);
  return {
    label: site.citation.key,
    detail: `${displayPath(site.uri)}:${line + 1}`,
    context,
    location,
    paperKey: site.citation.key,
  };
}

export function authorsShort(authors: readonly string[]): string {
  if (authors.length === 0) return '';
  const family = (name: string) => name.split(',')[0].trim();
  if (authors.length === 1) return family(authors[0]);
  if (authors.length === 2) return `${family(authors[0])} & ${family(authors[1])}`;
  return `${family(authors[0])} et al.`;
}

export function paperDetail(key: string, info: Partial<PaperInfo> | undefined): string {
  const parts = [authorsShort(info?.authors ?? []), info?.year ?? '', `@${key}`].filter(Boolean);
  return parts.join(' · ');
}

export function paperItem(key: string, info: Partial<PaperInfo> | undefined, location?: SourceLocation): ListItem {
  const item: ListItem = { label: info?.title || key, detail: paperDetail(key, info), paperKey: key };
  if (location) item.location = location;
  return item;
}

export function noteLocation(uri: string, note: PaperNote): SourceLocation {
  return { kind: 'note', uri, offset: note.titleSpan?.start ?? note.citekeySpan?.start ?? 0 };
}

export function entryLocation(uri: string, entry: BibEntry): SourceLocation {
  return { kind: 'entry', uri, offset: entry.keySpan.start };
}

export function noteItem(site: NoteHit, displayPath: (uri: string) => string): ListItem {
  const { note, uri } = site;
  const detail = [displayPath(uri), note.status ?? ''].filter(Boolean).join(' · ');
  const item: ListItem = { label: note.info.title || note.citekey || displayPath(uri), detail, location: noteLocation(uri, note) };
  if (note.citekey) item.paperKey = note.citekey;
  return item;
}

// ---------------------------------------------------------------------------------------------
// One pass over the workspace

export interface NoteHit {
  uri: string;
  note: PaperNote;
}

export interface CitationHit {
  doc: IndexedDocument;
  site: CitationSite;
}

/** The entry files one document resolves against, or `everywhere` for documents without `bibliography:`. */
export type Scope = ReadonlySet<string> | typeof everywhere;
const everywhere = Symbol('everywhere');

/**
 * Everything the workspace says about one key, gathered in the one pass: a citation finds its key's
 * definitions, notes and counts with a single map lookup and touches this one object, and later questions
 * are field reads.
 */
export class KeyRecord {
  /** The first entry with this key in a bibliography file or inline references (aliases excluded). */
  entry: { uri: string; entry: BibEntry } | undefined = undefined;
  /** Every file defining the key or an alias of that name (BibLaTeX `ids`). */
  files: string[] | undefined = undefined;
  /** Notes whose `citekey` is the key. */
  notes: NoteHit[] | undefined = undefined;
  /** Citations of the key across the workspace. */
  count = 0;
  /** The first citation, in uri then document order; set when the key is cited. */
  first: { doc: IndexedDocument; citation: Citation } | undefined = undefined;
  /** Some citation of the key resolves nowhere (from the document it is in). */
  unresolved = false;
  /** The scope the key's resolution was last checked in: each key is checked once per scope, not per citation. */
  checkedIn: Scope | undefined = undefined;
  /** Whether a note or the corpus defines the key (asked of the index once, when an entry does not resolve it). */
  resolvesWithoutEntries: boolean | undefined = undefined;
  constructor(readonly key: string) {}
}

/**
 * What the views need from one pass over the index. Citations are counted per key rather than copied: a
 * workspace may hold 100,000+ of them, and lists walk `docs` lazily instead (see `citationHits`).
 */
export interface WorkspaceScan {
  /** Every document, by uri. */
  docs: IndexedDocument[];
  notes: NoteHit[];
  /** Every key defined, given a note or cited. */
  keys: Map<string, KeyRecord>;
  citationCount: number;
  /** Files that define entries, each with one key it defines (to probe a document's bibliography scope). */
  entryFiles: Map<string, string>;
}

/**
 * One pass over the documents. `keys: false` gathers only documents and notes, leaving `keys`, `entryFiles`
 * and `citationCount` empty, for views that never look a key up: the records cost one object per entry of a
 * 20,000-entry bibliography, and counting touches every citation in the workspace.
 */
export function scanWorkspace(index: ViewIndex, options: { keys?: boolean } = {}): WorkspaceScan {
  const withKeys = options.keys ?? true;
  const docs = [...index.documents()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  const scan: WorkspaceScan = { docs, notes: [], keys: new Map(), citationCount: 0, entryFiles: new Map() };
  const addFile = (record: KeyRecord, uri: string) => {
    if (!record.files) record.files = [uri];
    else if (!record.files.includes(uri)) record.files.push(uri);
  };
  for (const doc of docs) {
    const note = doc.note;
    if (note) {
      const hit = { uri: doc.uri, note };
      scan.notes.push(hit);
      if (note.citekey && withKeys) (recordOf(scan, note.citekey).notes ??= []).push(hit);
    }
    if (!withKeys) continue;
    const entries = doc.entries;
    if (entries.length > 0) scan.entryFiles.set(doc.uri, entries[0].key);
    for (const entry of entries) {
      const record = recordOf(scan, entry.key);
      record.entry ??= { uri: doc.uri, entry };
      addFile(record, doc.uri);
      for (const alias of entry.aliases ?? []) addFile(recordOf(scan, alias), doc.uri);
    }
  }
  if (withKeys) countCitations(index, scan);
  return scan;
}

function recordOf(scan: WorkspaceScan, key: string): KeyRecord {
  let record = scan.keys.get(key);
  if (!record) {
    record = new KeyRecord(key);
    scan.keys.set(key, record);
  }
  return record;
}

/**
 * Counts citations per key and marks keys with a citation that resolves nowhere, agreeing with
 * `index.unresolved()` without asking the index about each of 100,000+ citations. A key resolves through a
 * note or the corpus from anywhere, and through an entry from any document without `bibliography:` settings;
 * a document with them sees only the entry files in its scope, which one probe per entry file finds out.
 */
function countCitations(index: ViewIndex, scan: WorkspaceScan): void {
  /** Documents listing the same bibliographies share one scope object, so a key is checked once for all of them. */
  const scopes = new Map<string, ReadonlySet<string>>();
  for (const doc of scan.docs) {
    const citations = doc.citations;
    if (citations.length === 0) continue;
    scan.citationCount += citations.length;
    const scope = doc.bibliography === undefined ? everywhere : sharedScope(scopes, entryFilesInScope(index, scan, doc.uri));
    for (const citation of citations) {
      const record = recordOf(scan, citation.key);
      if (record.count++ === 0) record.first = { doc, citation };
      if (record.checkedIn === scope || record.unresolved) continue;
      record.checkedIn = scope;
      const files = record.files;
      const byEntry = files !== undefined && (scope === everywhere || files.some((file) => scope.has(file)));
      if (byEntry) continue;
      record.resolvesWithoutEntries ??= record.notes !== undefined || index.resolve(record.key)?.corpus !== undefined;
      if (!record.resolvesWithoutEntries) record.unresolved = true;
    }
  }
}

function sharedScope(scopes: Map<string, ReadonlySet<string>>, files: ReadonlySet<string>): ReadonlySet<string> {
  const id = [...files].sort().join('\n');
  let scope = scopes.get(id);
  if (!scope) {
    scope = files;
    scopes.set(id, scope);
  }
  return scope;
}

/** The entry files a document with `bibliography:` settings resolves against, probed through the index. */
function entryFilesInScope(index: ViewIndex, scan: WorkspaceScan, uri: string): Set<string> {
  const scope = new Set<string>();
  for (const [file, key] of scan.entryFiles) {
    if (index.resolve(key, uri)?.entries.some((site) => site.uri === file)) scope.add(file);
  }
  return scope;
}

/** Citations in uri then document order, optionally only those of `keys`; lazy, so a page costs one walk. */
export function* citationHits(scan: WorkspaceScan, keys?: ReadonlySet<string>): Generator<CitationHit> {
  for (const doc of scan.docs) {
    for (const citation of doc.citations) {
      if (!keys || keys.has(citation.key)) yield { doc, site: { uri: doc.uri, citation } };
    }
  }
}

/** Every citation in uri then document order; a page skips whole documents on their way to `start`. */
export function allCitationsSource(scan: WorkspaceScan, toItem: (hit: CitationHit) => ListItem): ListSource {
  return {
    total: scan.citationCount,
    slice(start, end) {
      const out: ListItem[] = [];
      let offset = 0;
      for (const doc of scan.docs) {
        if (offset >= end) break;
        const citations = doc.citations;
        for (let i = Math.max(0, start - offset); i < citations.length && offset + i < end; i++) {
          out.push(toItem({ doc, site: { uri: doc.uri, citation: citations[i] } }));
        }
        offset += citations.length;
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Matching frontmatter values (`problems: [scalability]`, `methods: [SAE]`) to corpus ids, the same way
// the rest of the product does (ids, bare slugs, names and aliases).

/** Notes repeat the same few values thousands of times; each distinct spelling is matched once. */
function memo(find: (value: string) => string | undefined): (value: string) => string | undefined {
  const seen = new Map<string, string | undefined>();
  return (value) => {
    if (!seen.has(value)) seen.set(value, find(value));
    return seen.get(value);
  };
}

export function problemResolver(corpus: CorpusData): (value: string) => string | undefined {
  return memo((value) => findProblem(corpus, value)?.id);
}

export function methodResolver(corpus: CorpusData): (value: string) => string | undefined {
  return memo((value) => findMethod(corpus, value)?.id);
}
