// The Review dashboard: counts over the whole workspace, each with the list behind it.
import type { CoverageRow, DashboardStat, DashboardView, ListItem, SourceLocation, YearBar } from '../../protocol/viewModels';
import {
  allCitationsSource,
  arraySource,
  citationHits,
  citationItem,
  defaultDisplayPath,
  entryLocation,
  listSource,
  noteItem,
  noteLocation,
  paperItem,
  scanWorkspace,
  type BuiltView,
  type CitationHit,
  type KeyRecord,
  type ListRegistry,
  type ListSource,
  type NoteHit,
  type ViewIndex,
  type ViewOptions,
  type WorkspaceScan,
} from './common';
import { methodLinkage, problemLinkage, type Linkage } from './linkage';

const UNKNOWN_YEAR = 'n.d.';

/** A key the workspace cites, with its first citation. */
interface CitedKey {
  record: KeyRecord;
  first: NonNullable<KeyRecord['first']>;
}

/**
 * Numbers first, lists on request: the counts come from one pass over the keys the scan gathered, and each
 * list (20,000 rows in a big bibliography) is built, sorted and sliced only when the page asks for a page of it.
 */
export function buildDashboardView(
  index: ViewIndex,
  options: ViewOptions = {},
  scan: WorkspaceScan = scanWorkspace(index),
  problems: Linkage = problemLinkage(index, scan),
  methods: Linkage = methodLinkage(index, scan),
): BuiltView<DashboardView> {
  const displayPath = options.displayPath ?? defaultDisplayPath;
  const lists: ListRegistry = new Map();
  const register = (id: string, source: ListSource): string => {
    lists.set(id, source);
    return id;
  };
  const corpusYear = new Map(index.corpus.papers.map((p) => [p.key, String(p.year)]));

  // Titles and years are looked up where the index's merged metadata would find them first (bibliography
  // entry, then note, then corpus) without merging: resolving 20,000 keys just for a chart is too slow.
  const yearOf = ({ record, first }: CitedKey): string => {
    const entry = record.entry?.entry;
    const raw =
      entry?.info?.year ?? entry?.fields?.year ?? entry?.fields?.date ?? record.notes?.[0].note.info.year ?? corpusYear.get(record.key) ??
      index.resolve(record.key, first.doc.uri)?.info.year;
    return raw?.match(/\d{4}/)?.[0] ?? UNKNOWN_YEAR;
  };
  const citationRow = (hit: CitationHit): ListItem => citationItem(hit.doc, hit.site, displayPath);
  const keyRow = ({ record: { key, count }, first: { doc, citation } }: CitedKey): ListItem => {
    const line = doc.lineMap.positionAt(citation.span.start).line + 1;
    const title = index.resolve(key, doc.uri)?.info.title;
    return {
      label: title || key,
      detail: `@${key} · ${count} citation${count === 1 ? '' : 's'} · first ${displayPath(doc.uri)}:${line}`,
      location: { kind: 'citation', uri: doc.uri, offset: citation.keySpan.start },
      paperKey: key,
    };
  };
  // Lists show keys alphabetically; sorting 20,000 keys waits until someone opens the list.
  const byKey = (rows: CitedKey[]): ListSource => {
    let sorted: ListSource | undefined;
    const sort = () => arraySource([...rows].sort((a, b) => (a.record.key < b.record.key ? -1 : a.record.key > b.record.key ? 1 : 0)), keyRow);
    return { total: rows.length, slice: (start, end) => (sorted ??= sort()).slice(start, end) };
  };
  // A key cited through an alias has its note under the main key; only those few need the index.
  const hasNote = ({ record, first }: CitedKey): boolean =>
    record.notes !== undefined ||
    (record.entry === undefined && !corpusYear.has(record.key) && (index.resolve(record.key, first.doc.uri)?.notes.length ?? 0) > 0);

  // The one pass over keys: papers the workspace defines (bibliography entries, then notes without one),
  // cited and unresolved keys, cited papers per year, and how many notes nobody cites.
  let workspacePaperCount = 0;
  let notesNeverCitedCount = 0;
  const cited: CitedKey[] = [];
  const unresolved: CitedKey[] = [];
  const citedWithoutNote: CitedKey[] = [];
  const yearGroups = new Map<string, CitedKey[]>();
  for (const record of scan.keys.values()) {
    if (record.entry || record.notes) workspacePaperCount++;
    const first = record.first;
    if (!first) {
      notesNeverCitedCount += record.notes?.length ?? 0;
      continue;
    }
    const paper = { record, first };
    if (record.unresolved) {
      unresolved.push(paper);
      continue;
    }
    cited.push(paper);
    if (!hasNote(paper)) citedWithoutNote.push(paper);
    const year = yearOf(paper);
    const group = yearGroups.get(year);
    if (group) group.push(paper);
    else yearGroups.set(year, [paper]);
  }
  for (const hit of scan.notes) if (!hit.note.citekey) notesNeverCitedCount++;

  // In the order of the scan: entries by file, then notes without an entry.
  const workspacePapers = (): [string, SourceLocation][] => {
    const papers: [string, SourceLocation][] = [];
    for (const doc of scan.docs) {
      for (const entry of doc.entries) if (scan.keys.get(entry.key)?.entry?.entry === entry) papers.push([entry.key, entryLocation(doc.uri, entry)]);
    }
    const noteOnly = new Set<string>();
    for (const hit of scan.notes) {
      const key = hit.note.citekey;
      if (key && !scan.keys.get(key)?.entry && !noteOnly.has(key)) {
        noteOnly.add(key);
        papers.push([key, noteLocation(hit.uri, hit.note)]);
      }
    }
    return papers;
  };
  let papers: [string, SourceLocation][] | undefined;
  let neverCited: NoteHit[] | undefined;
  const notesNeverCited = (): NoteHit[] => (neverCited ??= scan.notes.filter((hit) => !hit.note.citekey || !scan.keys.get(hit.note.citekey)?.first));

  const stats: DashboardStat[] = [
    { id: 'notes', label: 'Notes', value: scan.notes.length, list: register('dashboard:notes', arraySource(scan.notes, (hit) => noteItem(hit, displayPath))) },
    {
      id: 'papers',
      label: 'Papers in workspace',
      value: workspacePaperCount,
      list: register('dashboard:papers', {
        total: workspacePaperCount,
        slice: (start, end) => (papers ??= workspacePapers()).slice(start, end).map(([key, location]) => paperItem(key, index.resolve(key)?.info, location)),
      }),
    },
    { id: 'citations', label: 'Citations', value: scan.citationCount, list: register('dashboard:citations', allCitationsSource(scan, citationRow)) },
    { id: 'cited', label: 'Distinct papers cited', value: cited.length, list: register('dashboard:cited', byKey(cited)) },
    { id: 'unresolved', label: 'Unresolved keys', value: unresolved.length, list: register('dashboard:unresolved', byKey(unresolved)) },
    {
      id: 'citedWithoutNote',
      label: 'Cited without a note',
      value: citedWithoutNote.length,
      list: register('dashboard:citedWithoutNote', byKey(citedWithoutNote)),
    },
    {
      id: 'notesNeverCited',
      label: 'Notes never cited',
      value: notesNeverCitedCount,
      list: register('dashboard:notesNeverCited', {
        total: notesNeverCitedCount,
        slice: (start, end) => notesNeverCited().slice(Math.max(0, start), Math.max(0, end)).map((hit) => noteItem(hit, displayPath)),
      }),
    },
  ];

  const years: YearBar[] = [...yearGroups.entries()]
    .sort(([a], [b]) => (a === UNKNOWN_YEAR ? 1 : b === UNKNOWN_YEAR ? -1 : a.localeCompare(b)))
    .map(([year, papers]) => ({ year, count: papers.length, list: register(`dashboard:year:${year}`, byKey(papers)) }));

  const coverage = (kind: 'problem' | 'method', items: readonly { id: string; label: string }[], linkage: Linkage) => {
    const rows: CoverageRow[] = items.map(({ id, label }) => {
      const notes = linkage.notes.get(id) ?? [];
      const keys = linkage.keys.get(id) ?? new Set<string>();
      let claims = 0;
      for (const key of keys) claims += scan.keys.get(key)?.count ?? 0;
      function* rows(): Generator<NoteHit | CitationHit> {
        yield* notes;
        yield* citationHits(scan, keys);
      }
      const toItem = (row: NoteHit | CitationHit) => ('note' in row ? noteItem(row, displayPath) : citationRow(row));
      return { id, label, notes: notes.length, citations: claims, list: register(`dashboard:${kind}:${id}`, listSource(notes.length + claims, rows, toItem)) };
    });
    return { covered: rows.filter((row) => row.notes + row.citations > 0).length, total: rows.length, rows };
  };

  return {
    model: {
      stats,
      years,
      problems: coverage('problem', index.corpus.problems.map((p) => ({ id: p.id, label: p.title })), problems),
      methods: coverage('method', index.corpus.methods.map((m) => ({ id: m.id, label: m.name })), methods),
    },
    lists,
  };
}
