// The small interfaces through which the core talks to the outside world. VS Code (workspace.fs, any
// URI scheme), the CLI (Node fs) and the unit tests (in memory) each provide their own implementation.

export interface Disposable {
  dispose(): void;
}

export interface FileStat {
  size: number;
  /** Modification time in ms since the epoch. */
  mtime: number;
  /**
   * Status-change time in ms, where the platform has one: it moves on every write, rename onto the file or
   * `touch`, even when a tool sets `mtime` back (rsync -t, tar, `touch -d`). Absent elsewhere.
   */
  ctime?: number;
}

export type FileChangeType = 'created' | 'changed' | 'deleted';

export interface FileChange {
  type: FileChangeType;
  uri: string;
}

/** Files are named by URI strings (`file:///…`, `vscode-vfs://…`, `mem:///…`). */
export interface WorkspaceFs {
  /** Workspace folder URIs, without trailing slash. */
  roots(): readonly string[];
  /**
   * Every file under the roots whose root-relative path matches one of `include` and none of `exclude`
   * (glob syntax of glob.ts). Implementations may use a faster native search.
   */
  list(include: readonly string[], exclude: readonly string[]): Promise<string[]>;
  /** Rejects when the file cannot be read. */
  read(uri: string): Promise<Uint8Array>;
  /**
   * Optional synchronous read. Where present, a warm start takes files whose stat is unchanged from the cache
   * without reading them, and the index reads their text through this on first use (its documents promise
   * synchronous text). Throws when the file cannot be read.
   */
  readSync?(uri: string): Uint8Array;
  /** Undefined when the file does not exist. */
  stat(uri: string): Promise<FileStat | undefined>;
  /**
   * Optional: a file's stat and bytes from one open, so a file read in full costs one path lookup instead of
   * two. Bytes are left out when the file is over `maxBytes`. Undefined when it does not exist or is not a
   * file; rejects when it cannot be read.
   */
  readWithStat?(uri: string, maxBytes: number): Promise<{ stat: FileStat; bytes?: Uint8Array } | undefined>;
  /** Reports changes on disk; renames arrive as a delete plus a create. */
  watch(listener: (change: FileChange) => void): Disposable;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Persisted bytes by key; the index stores parse results keyed by content hash here. */
export interface CacheStore {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
}

/** Plain configuration: the VS Code adapter fills it from settings, the CLI from flags and defaults. */
export interface CoreConfig {
  /** Globs of files to index, relative to each root. */
  include: string[];
  /** Globs never indexed (our setting plus `files.exclude`). */
  exclude: string[];
  /** Extra bibliography files every document resolves against (workspace-relative or absolute URIs). */
  bibliographies: string[];
  /** Folders (root-relative) where new paper notes are created. */
  noteFolder: string;
  /** Above this size a `.bib`/CSL file is indexed for keys only (no display fields). */
  largeBibBytes: number;
  /** Above this size a Markdown/LaTeX file gets no citation analysis beyond keys (and a log line). */
  largeDocumentBytes: number;
  /** Files above this size are skipped altogether (logged). */
  maxFileBytes: number;
  /** Whether corpus papers resolve as citation keys. */
  corpusEnabled: boolean;
}

export const defaultConfig: CoreConfig = {
  include: ['**/*.md', '**/*.markdown', '**/*.qmd', '**/*.tex', '**/*.bib', '**/*.json', '**/*.yaml', '**/*.yml'],
  exclude: ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/out/**'],
  bibliographies: [],
  noteFolder: 'notes',
  largeBibBytes: 64 * 1024 * 1024,
  largeDocumentBytes: 8 * 1024 * 1024,
  maxFileBytes: 256 * 1024 * 1024,
  corpusEnabled: true,
};
