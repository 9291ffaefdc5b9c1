// The Open problems panel: every corpus problem by group, with what the workspace has on it.
import type { ProblemGroup } from '../corpus/types';
import type { ProblemGroupView, ProblemsView, ProblemView } from '../../protocol/viewModels';
import {
  arraySource,
  citationHits,
  citationItem,
  DEFAULT_PREVIEW,
  defaultDisplayPath,
  noteItem,
  listSource,
  paperItem,
  preview,
  scanWorkspace,
  type BuiltView,
  type CitationHit,
  type ListRegistry,
  type ViewIndex,
  type ViewOptions,
  type WorkspaceScan,
} from './common';
import { collectClaims, problemLinkage, type Linkage } from './linkage';

export const problemGroupLabels: Record<ProblemGroup, string> = {
  'methods-foundations': 'Methods and foundations',
  'applications-goals': 'Applications and goals',
  'socio-technical': 'Socio-technical',
};

export function buildProblemsView(
  index: ViewIndex,
  options: ViewOptions = {},
  scan: WorkspaceScan = scanWorkspace(index, { keys: false }),
  linkage: Linkage = problemLinkage(index, scan),
): BuiltView<ProblemsView> {
  const displayPath = options.displayPath ?? defaultDisplayPath;
  const size = options.previewSize ?? DEFAULT_PREVIEW;
  const corpus = index.corpus;
  const lists: ListRegistry = new Map();
  const papersById = new Map(corpus.papers.map((p) => [p.id, p]));
  const methodsById = new Map(corpus.methods.map((m) => [m.id, m]));

  const claims = collectClaims(linkage, scan, size);
  const groups = new Map<string, ProblemGroupView>();
  for (const group of Object.keys(problemGroupLabels) as ProblemGroup[]) {
    groups.set(group, { id: group, label: problemGroupLabels[group], problems: [] });
  }
  const totals = { problems: 0, gaps: 0, notes: 0, claims: 0 };

  for (const problem of corpus.problems) {
    const notes = linkage.notes.get(problem.id) ?? [];
    const claimKeys = linkage.keys.get(problem.id) ?? new Set<string>();
    const { count: claimCount, first } = claims.get(problem.id) ?? { count: 0, first: [] };
    const claimId = `problem:${problem.id}:claims`;
    const claimItem = (hit: CitationHit) => citationItem(hit.doc, hit.site, displayPath);
    lists.set(claimId, listSource(claimCount, () => citationHits(scan, claimKeys), claimItem));
    const methodIds = new Set(problem.methods);
    for (const method of corpus.methods) if (method.problems.includes(problem.id)) methodIds.add(method.id);
    const view: ProblemView = {
      id: problem.id,
      title: problem.title,
      group: problem.group,
      summary: problem.summary,
      sourcePapers: problem.papers.flatMap((id) => {
        const paper = papersById.get(id);
        return paper ? [paperItem(paper.key, { title: paper.title, authors: paper.authors, year: String(paper.year) })] : [];
      }),
      methods: [...methodIds].flatMap((id) => {
        const method = methodsById.get(id);
        return method ? [{ id, label: method.name }] : [];
      }),
      notes: preview(lists, `problem:${problem.id}:notes`, arraySource(notes, (hit) => noteItem(hit, displayPath)), size),
      claims: { id: claimId, total: claimCount, items: first.map(claimItem) },
      gap: notes.length === 0 && claimCount === 0,
    };
    let group = groups.get(problem.group);
    if (!group) {
      group = { id: problem.group, label: problem.group, problems: [] };
      groups.set(problem.group, group);
    }
    group.problems.push(view);
    totals.problems++;
    if (view.gap) totals.gaps++;
    totals.notes += notes.length;
    totals.claims += claimCount;
  }

  return { model: { groups: [...groups.values()].filter((g) => g.problems.length > 0), totals }, lists };
}
