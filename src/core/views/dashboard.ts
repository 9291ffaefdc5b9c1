// The Review dashboard: counts over the whole workspace, each with the list behind it.
import type { CoverageRow, DashboardStat, DashboardView, ListItem, SourceLocation, YearBar } from '../../protocol/viewModels';
import {
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
  type KeyStats,
  type ListRegistry,
  type ListSource,
  type NoteHit,
  type ViewIndex,
  type ViewOptions,
  type WorkspaceScan,
} from './common';
import { methodLinkage, problemLinkage, type Linkage } from './linkage';

const UNKNOWN_YEAR = 'n.d.';

interface CitedKey {
  key: string;
  stats: KeyStats;
}

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
  const yearOf = ({ key, stats }: CitedKey): string => {
    const entry = scan.entries.get(key)?.entry;
    const raw =
      entry?.info?.year ?? entry?.fields?.year ?? entry?.fields?.date ?? scan.notesByKey.get(key)?.[0].note.info.year ?? corpusYear.get(key) ??
      index.resolve(key, stats.firstDoc.uri)?.info.year;
    return raw?.match(/\d{4}/)?.[0] ?? UNKNOWN_YEAR;
  };
  const citationRow = (hit: CitationHit): ListItem => citationItem(hit.doc, hit.site, displayPath);
  const keyRow = ({ key, stats }: CitedKey): ListItem => {
    const line = stats.firstDoc.lineMap.positionAt(stats.firstCitation.span.start).line + 1;
    const title = index.resolve(key, stats.firstDoc.uri)?.info.title;
    return {
      label: title || key,
      detail: `@${key} · ${stats.count} citation${stats.count === 1 ? '' : 's'} · first ${displayPath(stats.firstDoc.uri)}:${line}`,
      location: { kind: 'citation', uri: stats.firstDoc.uri, offset: stats.firstCitation.keySpan.start },
      paperKey: key,
    };
  };

  // Papers the workspace itself defines: bibliography entries, then notes without one. Counted now, listed
  // (20,000 rows in a big bibliography) only when asked.
  const noteOnlyKeys = new Set<string>();
  for (const hit of scan.notes) {
    const key = hit.note.citekey;
    if (key && !scan.entries.has(key)) noteOnlyKeys.add(key);
  }
  let papers: [string, SourceLocation][] | undefined;
  const workspacePapers = (): [string, SourceLocation][] =>
    (papers ??= [
      ...[...scan.entries].map(([key, { uri, entry }]): [string, SourceLocation] => [key, entryLocation(uri, entry)]),
      ...[...noteOnlyKeys].map((key): [string, SourceLocation] => {
        const hit = scan.notesByKey.get(key)![0];
        return [key, noteLocation(hit.uri, hit.note)];
      }),
    ]);

  const cited: CitedKey[] = [];
  const unresolved: CitedKey[] = [];
  for (const [key, stats] of scan.citedKeys) (stats.unresolved ? unresolved : cited).push({ key, stats });
  // Lists show keys alphabetically; sorting 20,000 keys waits until someone opens the list.
  const byKey = (rows: CitedKey[]): ListSource => {
    let sorted: ListSource | undefined;
    const sort = () => arraySource([...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), keyRow);
    return { total: rows.length, slice: (start, end) => (sorted ??= sort()).slice(start, end) };
  };
  // A key cited through an alias has its note under the main key; only those few need the index.
  const hasNote = ({ key, stats }: CitedKey): boolean =>
    scan.notesByKey.has(key) || (!scan.entries.has(key) && !corpusYear.has(key) && (index.resolve(key, stats.firstDoc.uri)?.notes.length ?? 0) > 0);
  const citedWithoutNote = cited.filter((paper) => !hasNote(paper));
  const notesNeverCited = scan.notes.filter((hit) => !hit.note.citekey || !scan.citedKeys.has(hit.note.citekey));

  const stats: DashboardStat[] = [
    { id: 'notes', label: 'Notes', value: scan.notes.length, list: register('dashboard:notes', arraySource(scan.notes, (hit) => noteItem(hit, displayPath))) },
    {
      id: 'papers',
      label: 'Papers in workspace',
      value: scan.entries.size + noteOnlyKeys.size,
      list: register('dashboard:papers', {
        total: scan.entries.size + noteOnlyKeys.size,
        slice: (start, end) => workspacePapers().slice(start, end).map(([key, location]) => paperItem(key, index.resolve(key)?.info, location)),
      }),
    },
    {
      id: 'citations',
      label: 'Citations',
      value: scan.citationCount,
      list: register('dashboard:citations', listSource(scan.citationCount, () => citationHits(scan), citationRow)),
    },
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
      value: notesNeverCited.length,
      list: register('dashboard:notesNeverCited', arraySource(notesNeverCited, (hit) => noteItem(hit, displayPath))),
    },
  ];

  const yearGroups = new Map<string, CitedKey[]>();
  for (const paper of cited) {
    const year = yearOf(paper);
    const group = yearGroups.get(year);
    if (group) group.push(paper);
    else yearGroups.set(year, [paper]);
  }
  const years: YearBar[] = [...yearGroups.entries()]
    .sort(([a], [b]) => (a === UNKNOWN_YEAR ? 1 : b === UNKNOWN_YEAR ? -1 : a.localeCompare(b)))
    .map(([year, papers]) => ({ year, count: papers.length, list: register(`dashboard:year:${year}`, byKey(papers)) }));

  const coverage = (kind: 'problem' | 'method', items: readonly { id: string; label: string }[], linkage: Linkage) => {
    const rows: CoverageRow[] = items.map(({ id, label }) => {
      const notes = linkage.notes.get(id) ?? [];
      const keys = linkage.keys.get(id) ?? new Set<string>();
      let claims = 0;
      for (const key of keys) claims += scan.citedKeys.get(key)?.count ?? 0;
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
