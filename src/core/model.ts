// The domain model shared by parsers, the index, the CLI and the editor adapters.
// Positions are UTF-16 offsets into the document text (what JS strings and VS Code use);
// `LineMap` (text.ts) turns them into line/character pairs at the edge.

/** Half-open range of UTF-16 offsets: `start` inclusive, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface CoreDiagnostic {
  span: Span;
  severity: Severity;
  /** Stable rule id, e.g. `unresolved-citation`, `bib-syntax`, `gsn-C04`. Severities are configurable by it. */
  code: string;
  message: string;
}

/** Anything a parser returns: a value plus diagnostics. Parsers never throw. */
export interface ParseResult<T> {
  value: T;
  diagnostics: CoreDiagnostic[];
}

// ---------------------------------------------------------------------------------------------
// Citations in prose

export type CitationSyntax = 'pandoc' | 'latex';

/**
 * How a citation renders. Pandoc: `normal` = `[@a]`, `suppress-author` = `[-@a]`, `in-text` = `@a`.
 * LaTeX: `in-text` for \citet/\textcite-like commands, `nocite` for \nocite, otherwise `normal`.
 */
export type CitationMode = 'normal' | 'suppress-author' | 'in-text' | 'nocite';

export interface Citation {
  key: string;
  /** The key's own characters (without `@`, braces or `\cite{`). Hover, rename and diagnostics use this. */
  keySpan: Span;
  /** The whole citation item: `@key` plus its locator/suffix inside a group, or the bare `@key`. */
  span: Span;
  syntax: CitationSyntax;
  mode: CitationMode;
  /** Index of the group (bracketed Pandoc citation or one LaTeX command) within the document, 0-based. */
  group: number;
  /** The whole group: `[see @a, p. 3; @b]`, `@a [p. 3]`, or `\citep[p.~3]{a,b}`. */
  groupSpan: Span;
  prefix?: string;
  locator?: string;
  suffix?: string;
  /** LaTeX command name without backslash, e.g. `citep`, `parencite*`. */
  command?: string;
}

/** Pandoc-crossref / Quarto cross-references such as `@fig-plot`, `@tbl:x`, `[@sec-intro]`. Never citations. */
export interface CrossRef {
  label: string;
  /** `fig`, `tbl`, `sec`, `eq`, `lst` … (the prefix before `-` or `:`). */
  kind: string;
  span: Span;
}

export interface CitationScan {
  citations: Citation[];
  crossRefs: CrossRef[];
}

// ---------------------------------------------------------------------------------------------
// Bibliography entries

export type EntryFormat = 'bibtex' | 'csl-json' | 'csl-yaml' | 'inline' | 'note' | 'corpus';

/** Display-ready metadata, LaTeX decoded to Unicode, case-protecting braces removed. */
export interface PaperInfo {
  title?: string;
  /** "Family, Given" strings in order; institutional names as written. */
  authors: string[];
  year?: string;
  venue?: string;
  doi?: string;
  url?: string;
  arxiv?: string;
  abstract?: string;
  keywords: string[];
}

export interface BibEntry {
  key: string;
  /** Entry type lower-cased: `article`, `inproceedings`, CSL `paper-conference`, … */
  type: string;
  format: EntryFormat;
  /** The whole entry in its file. */
  span: Span;
  /** The key in its file (the rename target). */
  keySpan: Span;
  /** Alternative keys (BibLaTeX `ids`) under which the entry also resolves. */
  aliases?: string[];
  /** BibTeX only: lower-cased field name → value after @string expansion and `#` concatenation,
   *  LaTeX not yet decoded. Decoding is lazy (see bibtex.ts `paperInfo`) because most entries are never shown. */
  fields?: Record<string, string>;
  /** Already-decoded metadata (CSL, notes, corpus); BibTeX entries fill it lazily. */
  info?: PaperInfo;
}

// ---------------------------------------------------------------------------------------------
// Paper notes (Markdown with YAML frontmatter)

export interface Frontmatter {
  /** Parsed YAML mapping, or undefined when there is no frontmatter or it is not a mapping. */
  data?: Record<string, unknown>;
  /** The whole block including the `---` fences. */
  span: Span;
  /** The YAML text between the fences. */
  contentSpan: Span;
  /** Location of each top-level key's value, for precise diagnostics and rename. */
  valueSpans: Record<string, Span>;
}

/**
 * Where a document's frontmatter block lies: what the index keeps of it. The parsed mapping already lives on in
 * the note and bibliography settings; keeping it and its value spans too doubled the objects held per note.
 */
export type FrontmatterBlock = Pick<Frontmatter, 'span' | 'contentSpan'>;

export interface PaperNote {
  /** The key the note is about (`citekey` or `id`), if any. */
  citekey?: string;
  citekeySpan?: Span;
  info: PaperInfo;
  tags: string[];
  methods: string[];
  problems: string[];
  /** Reading/assessment status, e.g. `read`, `to-read`, `retracted`, `contested`. */
  status?: string;
  /** Offset where the body (the user's own notes) starts. */
  bodyStart: number;
  /** Span of the first heading in the body, if any (code lens anchors here). */
  titleSpan?: Span;
}

/** What a Pandoc document's frontmatter says about its bibliography. */
export interface BibliographySettings {
  /** Paths as written, relative to the document. */
  files: { path: string; span: Span }[];
  /** Inline `references:` entries. */
  references: BibEntry[];
}
