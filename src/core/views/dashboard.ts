// The Review dashboard: counts over the whole workspace, each with the list behind it.
import type { CoverageRow, DashboardStat, DashboardView, ListItem, YearBar } from '../../protocol/viewModels';
import {
  citationItem,
  defaultDisplayPath,
  entryLocation,
  noteItem,
  noteLocation,
  paperItem,
  scanWorkspace,
  type BuiltView,
  type CitationHit,
  type ListRegistry,
  type ViewIndex,
  type ViewOptions,
  type WorkspaceScan,
} from './common';
import { methodLinkage, problemLinkage, type Linkage } from './linkage';

const UNKNOWN_YEAR = 'n.d.';

export function buildDashboardView(
  index: ViewIndex,
  options: ViewOptions = {},
  scan: WorkspaceScan = scanWorkspace(index),
  problems: Linkage = problemLinkage(index.corpus, scan),
  methods: Linkage = methodLinkage(index.corpus, scan),
): BuiltView<DashboardView> {
  const displayPath = options.displayPath ?? defaultDisplayPath;
  const lists: ListRegistry = new Map();
  const register = (id: string, build: () => ListItem[]): string => {
    lists.set(id, build);
    return id;
  };
  const citationRow = (hit: CitationHit): ListItem => citationItem(hit.doc, hit.site, displayPath);
  const firstSite = (hits: readonly CitationHit[]): string => {
    const hit = hits[0];
    const line = hit.doc.lineMap.positionAt(hit.site.citation.span.start).line + 1;
    return `${hits.length} citation${hits.length === 1 ? '' : 's'} · first ${displayPath(hit.site.uri)}:${line}`;
  };
  const keyRow = (key: string, hits: readonly CitationHit[], label?: string): ListItem => ({
    label: label ?? key,
    detail: firstSite(hits),
    location: { kind: 'citation', uri: hits[0].site.uri, offset: hits[0].site.citation.keySpan.start },
    paperKey: key,
  });

  // Papers the workspace itself defines: bibliography entries and notes.
  const workspacePapers = new Map<string, ListItem>();
  for (const [key, { uri, entry }] of scan.entries) {
    workspacePapers.set(key, { label: key, location: entryLocation(uri, entry), paperKey: key });
  }
  for (const hit of scan.notes) {
    const key = hit.note.citekey;
    if (key && !workspacePapers.has(key)) {
      workspacePapers.set(key, { label: key, location: noteLocation(hit.uri, hit.note), paperKey: key });
    }
  }

  // One resolution per distinct cited key, seen from its first citing document.
  const unresolvedKeys = new Set(index.unresolved().map((site) => site.citation.key));
  const citedResolved: { key: string; hits: CitationHit[]; title?: string; year: string }[] = [];
  const unresolved: { key: string; hits: CitationHit[] }[] = [];
  for (const [key, hits] of scan.citationsByKey) {
    if (unresolvedKeys.has(key)) {
      unresolved.push({ key, hits });
      continue;
    }
    const paper = index.resolve(key, hits[0].site.uri);
    if (!paper) {
      unresolved.push({ key, hits });
      continue;
    }
    citedResolved.push({ key, hits, title: paper.info.title, year: paper.info.year?.match(/\d{4}/)?.[0] ?? UNKNOWN_YEAR });
  }
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  unresolved.sort(byKey);
  citedResolved.sort(byKey);
  const citedWithoutNote = citedResolved.filter(({ key, hits }) => {
    if (scan.notesByKey.has(key)) return false;
    return !index.resolve(key, hits[0].site.uri)?.notes.length;
  });
  const notesNeverCited = scan.notes.filter((hit) => !hit.note.citekey || !scan.citationsByKey.has(hit.note.citekey));

  const stats: DashboardStat[] = [
    { id: 'notes', label: 'Notes', value: scan.notes.length, list: register('dashboard:notes', () => scan.notes.map((hit) => noteItem(hit, displayPath))) },
    {
      id: 'papers',
      label: 'Papers in workspace',
      value: workspacePapers.size,
      list: register('dashboard:papers', () =>
        [...workspacePapers.entries()].map(([key, item]) => {
          const info = index.resolve(key)?.info;
          return { ...paperItem(key, info), location: item.location };
        }),
      ),
    },
    { id: 'citations', label: 'Citations', value: scan.citations.length, list: register('dashboard:citations', () => scan.citations.map(citationRow)) },
    { id: 'cited', label: 'Distinct papers cited', value: citedResolved.length, list: register('dashboard:cited', () => citedResolved.map(({ key, hits, title }) => keyRow(key, hits, title))) },
    { id: 'unresolved', label: 'Unresolved keys', value: unresolved.length, list: register('dashboard:unresolved', () => unresolved.map(({ key, hits }) => keyRow(key, hits))) },
    {
      id: 'citedWithoutNote',
      label: 'Cited without a note',
      value: citedWithoutNote.length,
      list: register('dashboard:citedWithoutNote', () => citedWithoutNote.map(({ key, hits, title }) => keyRow(key, hits, title))),
    },
    {
      id: 'notesNeverCited',
      label: 'Notes never cited',
      value: notesNeverCited.length,
      list: register('dashboard:notesNeverCited', () => notesNeverCited.map((hit) => noteItem(hit, displayPath))),
    },
  ];

  const yearGroups = new Map<string, typeof citedResolved>();
  for (const paper of citedResolved) {
    const group = yearGroups.get(paper.year);
    if (group) group.push(paper);
    else yearGroups.set(paper.year, [paper]);
  }
  const years: YearBar[] = [...yearGroups.entries()]
    .sort(([a], [b]) => (a === UNKNOWN_YEAR ? 1 : b === UNKNOWN_YEAR ? -1 : a.localeCompare(b)))
    .map(([year, papers]) => ({
      year,
      count: papers.length,
      list: register(`dashboard:year:${year}`, () => papers.map(({ key, hits, title }) => keyRow(key, hits, title))),
    }));

  const coverage = (kind: 'problem' | 'method', items: readonly { id: string; label: string }[], linkage: Linkage) => {
    const rows: CoverageRow[] = items.map(({ id, label }) => {
      const notes = linkage.notes.get(id) ?? [];
      const claims = linkage.claims.get(id) ?? [];
      return {
        id,
        label,
        notes: notes.length,
        citations: claims.length,
        list: register(`dashboard:${kind}:${id}`, () => [...notes.map((hit) => noteItem(hit, displayPath)), ...claims.map(citationRow)]),
      };
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
