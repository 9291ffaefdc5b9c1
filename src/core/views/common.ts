// Shared pieces of the view-model builders: one pass over the index, list registries, row builders.
import { findMethod, findProblem } from '../corpus/corpus';
import type { CorpusData } from '../corpus/types';
import type { CitationSite, IndexedDocument, ReviewIndex } from '../index/types';
import type { BibEntry, Citation, PaperInfo, PaperNote } from '../model';
import type { ContextLine, ListItem, ListPreview, SourceLocation } from '../../protocol/viewModels';

/** The part of the index the views read; tests pass small fakes. */
export type ViewIndex = Pick<ReviewIndex, 'documents' | 'document' | 'resolve' | 'citationsOf' | 'unresolved' | 'corpus'>;

export interface ViewOptions {
  /** How a URI is shown to the user; the editor passes `workspace.asRelativePath`. */
  displayPath?: (uri: string) => string;
  /** Rows sent with a model; the rest of a list travels on request. */
  previewSize?: number;
}

export const DEFAULT_PREVIEW = 20;

/** Full lists behind the previews of one model, built only when the page asks. */
export type ListRegistry = Map<string, () => ListItem[]>;

export interface BuiltView<T> {
  model: T;
  lists: ListRegistry;
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

/** Registers `rows` under `id` and returns its preview; `toItem` runs only for the rows actually sent. */
export function preview<T>(
  lists: ListRegistry,
  id: string,
  rows: readonly T[],
  toItem: (row: T) => ListItem,
  size: number,
): ListPreview {
  lists.set(id, () => rows.map(toItem));
  return { id, total: rows.length, items: rows.slice(0, size).map(toItem) };
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

export interface WorkspaceScan {
  notes: NoteHit[];
  notesByKey: Map<string, NoteHit[]>;
  /** Every citation, in document order within each document. */
  citations: CitationHit[];
  citationsByKey: Map<string, CitationHit[]>;
  /** Keys defined by bibliography files and inline references (first definition of each). */
  entries: Map<string, { uri: string; entry: BibEntry }>;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function scanWorkspace(index: ViewIndex): WorkspaceScan {
  const scan: WorkspaceScan = { notes: [], notesByKey: new Map(), citations: [], citationsByKey: new Map(), entries: new Map() };
  const docs = [...index.documents()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  for (const doc of docs) {
    if (doc.note) {
      const hit = { uri: doc.uri, note: doc.note };
      scan.notes.push(hit);
      if (doc.note.citekey) pushTo(scan.notesByKey, doc.note.citekey, hit);
    }
    for (const citation of doc.citations) {
      const hit = { doc, site: { uri: doc.uri, citation } };
      scan.citations.push(hit);
      pushTo(scan.citationsByKey, citation.key, hit);
    }
    for (const entry of doc.entries) {
      if (!scan.entries.has(entry.key)) scan.entries.set(entry.key, { uri: doc.uri, entry });
    }
  }
  return scan;
}

// Matching frontmatter values (`problems: [scalability]`, `methods: [SAE]`) to corpus ids, the same way
// the rest of the product does (ids, bare slugs, names and aliases).

export function problemResolver(corpus: CorpusData): (value: string) => string | undefined {
  return (value) => findProblem(corpus, value)?.id;
}

export function methodResolver(corpus: CorpusData): (value: string) => string | undefined {
  return (value) => findMethod(corpus, value)?.id;
}

export function compareLocations(a: CitationHit, b: CitationHit): number {
  if (a.site.uri !== b.site.uri) return a.site.uri < b.site.uri ? -1 : 1;
  return a.site.citation.span.start - b.site.citation.span.start;
}
