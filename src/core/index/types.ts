// What the workspace index answers. Editor adapters, panels and the CLI read only through this contract.
import type { CorpusData, CorpusPaper } from '../corpus/types';
import type { GsnModule } from '../gsn/types';
import type {
  BibEntry,
  BibliographySettings,
  Citation,
  CoreDiagnostic,
  CrossRef,
  FrontmatterBlock,
  PaperInfo,
  PaperNote,
} from '../model';
import type { LineMap } from '../text';
import type { Disposable } from '../workspace';

export type DocumentKind = 'markdown' | 'latex' | 'bibtex' | 'csl-json' | 'csl-yaml' | 'gsn' | 'other';

export interface IndexedDocument {
  uri: string;
  kind: DocumentKind;
  /** Content hash of the text this entry was built from. */
  hash: string;
  lineMap: LineMap;
  citations: Citation[];
  /** The distinct keys of `citations`, in first-occurrence order: for a pass over every document that needs no more. */
  citedKeys: readonly string[];
  crossRefs: CrossRef[];
  /** Entries defined here: a bibliography file's entries or a document's inline `references:`. */
  entries: BibEntry[];
  frontmatter?: FrontmatterBlock;
  /** Present when the frontmatter names a paper (`citekey`/`id`) or carries note fields. */
  note?: PaperNote;
  /** Present when the frontmatter names `bibliography:` files or inline `references:`. */
  bibliography?: BibliographySettings;
  safetyCase?: GsnModule;
  /** Parse diagnostics of this file (syntax, frontmatter, malformed entries). */
  diagnostics: CoreDiagnostic[];
  /** Set when the file was over a size limit and only partly analysed. */
  reduced?: 'keys-only' | 'no-links';
}

export interface EntrySite {
  uri: string;
  entry: BibEntry;
}

export interface NoteSite {
  uri: string;
  note: PaperNote;
}

export interface CitationSite {
  uri: string;
  citation: Citation;
}

/** Everything known about one key, merged across bibliographies, notes and the corpus. */
export interface ResolvedPaper {
  key: string;
  /** Definitions in workspace bibliographies, CSL files and inline references (more than one = duplicate). */
  entries: EntrySite[];
  notes: NoteSite[];
  corpus?: CorpusPaper;
  /** Merged display metadata: the user's bib entry first, then the note, then the corpus. */
  info: PaperInfo;
}

export interface IndexChange {
  /** Documents whose contributions changed; empty after a full rebuild means "everything". */
  uris: string[];
  full: boolean;
}

export interface IndexProgress {
  done: number;
  total: number;
}

export interface ReviewIndex {
  /** Fires after every update (batched). */
  onDidChange(listener: (change: IndexChange) => void): Disposable;
  onProgress(listener: (progress: IndexProgress) => void): Disposable;
  readonly indexing: boolean;
  /** Resolves when the initial build (or the current rebuild) has finished. */
  ready(): Promise<void>;

  document(uri: string): IndexedDocument | undefined;
  documents(): IterableIterator<IndexedDocument>;

  /** The paper a key names, seen from a document (its `bibliography:` settings apply); undefined if unknown. */
  resolve(key: string, fromUri?: string): ResolvedPaper | undefined;
  /** Every known key: workspace entries, aliases, notes, and corpus papers when enabled. */
  keys(): IterableIterator<string>;
  /** Every citation of a key across the workspace, in uri then document order. */
  citationsOf(key: string): CitationSite[];
  /** Citations whose key resolves nowhere. */
  unresolved(): CitationSite[];
  /** Known keys closest to an unknown one, best first. */
  suggest(key: string, limit?: number): string[];
  /** Notes whose frontmatter `tags`/`methods`/`problems` contains the value. */
  notesBy(field: 'tags' | 'methods' | 'problems', value: string): NoteSite[];

  /** Parse and semantic diagnostics (unresolved keys, duplicates, notes without bib entry, safety-case checks). */
  diagnostics(uri: string): CoreDiagnostic[];
  /** `diagnostics` computed in time slices, so a document with thousands of citations does not block the thread. */
  diagnosticsSoon(uri: string): Promise<CoreDiagnostic[]>;
  /** Diagnostics for every document that has any. */
  allDiagnostics(): Map<string, CoreDiagnostic[]>;

  readonly corpus: CorpusData;

  /** Unsaved editor text overrides the disk content of `uri`; `undefined` drops the override. */
  setOverlay(uri: string, text: string | undefined): void;
  /** Re-read everything from the workspace. */
  reindex(): Promise<void>;
  dispose(): void;
}
