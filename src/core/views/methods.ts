// The Methods panel: every corpus method with its seeds' strengths and limits, the user's notes on it, and
// a methods × open problems matrix.
import type { MatrixCell, MethodsView, MethodView } from '../../protocol/viewModels';
import {
  arraySource,
  DEFAULT_PREVIEW,
  defaultDisplayPath,
  noteItem,
  paperItem,
  preview,
  scanWorkspace,
  type BuiltView,
  type ListRegistry,
  type ViewIndex,
  type ViewOptions,
  type WorkspaceScan,
} from './common';
import { methodLinkage, problemLinkage, type Linkage } from './linkage';

export function buildMethodsView(
  index: ViewIndex,
  options: ViewOptions = {},
  scan: WorkspaceScan = scanWorkspace(index, { keys: false }),
  methods: Linkage = methodLinkage(index, scan),
  problems: Linkage = problemLinkage(index, scan),
): BuiltView<MethodsView> {
  const displayPath = options.displayPath ?? defaultDisplayPath;
  const size = options.previewSize ?? DEFAULT_PREVIEW;
  const corpus = index.corpus;
  const lists: ListRegistry = new Map();
  const papersById = new Map(corpus.papers.map((p) => [p.id, p]));
  const problemsById = new Map(corpus.problems.map((p) => [p.id, p]));

  const linked = (methodId: string, problemId: string): boolean =>
    (corpus.methods.find((m) => m.id === methodId)?.problems.includes(problemId) ?? false) ||
    (problemsById.get(problemId)?.methods.includes(methodId) ?? false);

  const methodViews: MethodView[] = corpus.methods.map((method) => {
    const notes = methods.notes.get(method.id) ?? [];
    const problemIds = new Set(method.problems);
    for (const problem of corpus.problems) if (problem.methods.includes(method.id)) problemIds.add(problem.id);
    return {
      id: method.id,
      name: method.name,
      aliases: method.aliases,
      decomposes: method.decomposes,
      summary: method.summary,
      strengths: method.strengths,
      limits: method.limits,
      keyPapers: method.papers.flatMap((id) => {
        const paper = papersById.get(id);
        return paper ? [paperItem(paper.key, { title: paper.title, authors: paper.authors, year: String(paper.year) })] : [];
      }),
      problems: [...problemIds].flatMap((id) => {
        const problem = problemsById.get(id);
        return problem ? [{ id, label: problem.title }] : [];
      }),
      notes: preview(lists, `method:${method.id}:notes`, arraySource(notes, (hit) => noteItem(hit, displayPath)), size),
    };
  });

  // Notes tagged with both a method and a problem, counted note by note (each note names a few of each)
  // rather than by intersecting every method's notes with every problem's.
  const problemColumn = new Map(corpus.problems.map((p, column) => [p.id, column]));
  const columnsOfNote = new Map<string, number[]>();
  for (const [problemId, hits] of problems.notes) {
    const column = problemColumn.get(problemId);
    if (column === undefined) continue;
    for (const hit of hits) {
      const columns = columnsOfNote.get(hit.uri);
      if (columns) columns.push(column);
      else columnsOfNote.set(hit.uri, [column]);
    }
  }
  const rows = corpus.methods.map((method) => {
    const both = new Array<number>(corpus.problems.length).fill(0);
    for (const hit of methods.notes.get(method.id) ?? []) for (const column of columnsOfNote.get(hit.uri) ?? []) both[column]++;
    const cells: MatrixCell[] = corpus.problems.map((problem, column) => ({ linked: linked(method.id, problem.id), notes: both[column] }));
    return { method: { id: method.id, label: method.name }, cells };
  });

  return {
    model: {
      methods: methodViews,
      matrix: { problems: corpus.problems.map((p) => ({ id: p.id, label: p.title })), rows },
    },
    lists,
  };
}
