// View models: the plain JSON the host builds (src/core/views) and the page renders (webview/).
// Everything here crosses postMessage, so it is data only — no functions, no class instances, no HTML strings
// except the sanitized note tree, which is a structure the page rebuilds element by element.

/** A place in the workspace the editor can open: a note, a bibliography entry or one citation. */
export interface SourceLocation {
  kind: 'note' | 'entry' | 'citation';
  uri: string;
  /** UTF-16 offset into the document. */
  offset: number;
}

/** The citation line split around the citation, so the page can mark it without parsing anything. */
export interface ContextLine {
  before: string;
  match: string;
  after: string;
}

/** One row of any list: uniform so every list, however long, shares one virtualized renderer. */
export interface ListItem {
  label: string;
  /** Secondary text: authors and year, `path:line`, a status. */
  detail?: string;
  context?: ContextLine;
  /** Where activating the row jumps in the editor. */
  location?: SourceLocation;
  /** A paper the row can open in the Paper panel. */
  paperKey?: string;
}

/** The start of a list plus its size; the page asks for the rest by `id` (see `requestList`). */
export interface ListPreview {
  id: string;
  total: number;
  items: ListItem[];
}

export interface Named {
  id: string;
  label: string;
}

// ---------------------------------------------------------------------------------------------
// Open problems

export interface ProblemGroupView {
  id: string;
  label: string;
  problems: ProblemView[];
}

export interface ProblemView {
  id: string;
  title: string;
  group: string;
  summary: string;
  sourcePapers: ListItem[];
  methods: Named[];
  /** Notes whose frontmatter `problems:` names this problem. */
  notes: ListPreview;
  /** Citations in the workspace of papers linked to this problem (corpus links and tagged notes). */
  claims: ListPreview;
  /** Nothing in the workspace touches this problem. */
  gap: boolean;
}

export interface ProblemsView {
  groups: ProblemGroupView[];
  totals: { problems: number; gaps: number; notes: number; claims: number };
}

// ---------------------------------------------------------------------------------------------
// Methods

export interface MethodView {
  id: string;
  name: string;
  aliases: string[];
  decomposes: 'activations' | 'parameters' | 'neither';
  summary: string;
  strengths: string[];
  limits: string[];
  keyPapers: ListItem[];
  problems: Named[];
  notes: ListPreview;
}

export interface MatrixCell {
  /** The corpus links the method to the problem. */
  linked: boolean;
  /** Workspace notes tagged with both. */
  notes: number;
}

export interface MethodsView {
  methods: MethodView[];
  matrix: { problems: Named[]; rows: { method: Named; cells: MatrixCell[] }[] };
}

// ---------------------------------------------------------------------------------------------
// Paper

/** A sanitized Markdown tree. The page rebuilds it with createElement/textContent and re-checks every tag. */
export type SafeNode = { text: string } | { tag: string; attrs: Record<string, string>; children: SafeNode[] };

export interface PaperNoteView {
  label: string;
  location: SourceLocation;
  status?: string;
  tags: string[];
  body: SafeNode[];
}

export interface PaperView {
  key: string;
  /** Whether the key resolves anywhere (workspace or corpus). */
  known: boolean;
  title: string;
  authors: string[];
  year?: string;
  venue?: string;
  doi?: string;
  url?: string;
  arxiv?: string;
  abstract?: string;
  /** The corpus summary in our own words. */
  summary?: string;
  entries: ListItem[];
  notes: PaperNoteView[];
  methods: Named[];
  problems: Named[];
  citations: ListPreview;
  citedBy: ListPreview;
  cites: ListPreview;
}

// ---------------------------------------------------------------------------------------------
// Review dashboard

export interface DashboardStat {
  id: string;
  label: string;
  value: number;
  /** The list behind the number (`ListPreview.id`), when there is one. */
  list?: string;
}

export interface YearBar {
  year: string;
  count: number;
  list: string;
}

export interface CoverageRow {
  id: string;
  label: string;
  notes: number;
  citations: number;
  list: string;
}

export interface DashboardView {
  stats: DashboardStat[];
  years: YearBar[];
  problems: { covered: number; total: number; rows: CoverageRow[] };
  methods: { covered: number; total: number; rows: CoverageRow[] };
}
