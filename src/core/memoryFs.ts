// An in-memory WorkspaceFs for unit tests, fuzzing and the benchmark's incremental runs. Writes fire watch
// events synchronously, the way a file watcher would report them (rename = delete + create). Timestamps come
// from a logical clock that ticks on every write, unless a test sets them (to mimic coarse or restored times).
import { compileGlobs } from './glob';
import { uriRelative } from './uri';
import type { CacheStore, Disposable, FileChange, FileStat, WorkspaceFs } from './workspace';

export class MemoryFs implements WorkspaceFs {
  private readonly files = new Map<string, { bytes: Uint8Array; mtime: number; ctime: number }>();
  private readonly listeners = new Set<(change: FileChange) => void>();
  private clock = 1;
  /** Counts `read` calls, so tests can check what an index re-read. */
  reads = 0;

  constructor(private readonly rootUris: readonly string[] = ['mem:///ws']) {}

  roots(): readonly string[] {
    return this.rootUris;
  }

  async list(include: readonly string[], exclude: readonly string[]): Promise<string[]> {
    const included = compileGlobs(include);
    const excluded = compileGlobs(exclude, { matchDescendants: true });
    const out: string[] = [];
    for (const uri of this.files.keys()) {
      for (const root of this.rootUris) {
        const rel = uriRelative(root, uri);
        if (rel !== undefined && included(rel) && !excluded(rel)) {
          out.push(uri);
          break;
        }
      }
    }
    return out.sort();
  }

  async read(uri: string): Promise<Uint8Array> {
    return this.readSync(uri);
  }

  readSync(uri: string): Uint8Array {
    this.reads++;
    const file = this.files.get(uri);
    if (!file) throw new Error(`ENOENT: ${uri}`);
    return file.bytes;
  }

  async stat(uri: string): Promise<FileStat | undefined> {
    const file = this.files.get(uri);
    return file && { size: file.bytes.length, mtime: file.mtime, ctime: file.ctime };
  }

  watch(listener: (change: FileChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Creates or replaces a file (text is stored as UTF-8). `times` overrides the clock: an `mtime` alone is a
   * tool restoring it (the status-change time still moves), both together a clock too coarse to tell writes apart.
   */
  write(uri: string, content: string | Uint8Array, times?: { mtime: number; ctime?: number }): void {
    const existed = this.files.has(uri);
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const tick = this.clock++;
    this.files.set(uri, { bytes, mtime: times?.mtime ?? tick, ctime: times?.ctime ?? tick });
    this.emit({ type: existed ? 'changed' : 'created', uri });
  }

  delete(uri: string): void {
    if (this.files.delete(uri)) this.emit({ type: 'deleted', uri });
  }

  /** Removes a folder's files, reporting one event for the folder itself, as editor file watchers do. */
  deleteFolder(folderUri: string): void {
    const prefix = folderUri.replace(/\/+$/, '') + '/';
    let removed = false;
    for (const uri of [...this.files.keys()]) if (uri.startsWith(prefix)) removed = this.files.delete(uri) || removed;
    if (removed) this.emit({ type: 'deleted', uri: folderUri });
  }

  rename(from: string, to: string): void {
    const file = this.files.get(from);
    if (!file) return;
    this.delete(from);
    this.write(to, file.bytes);
  }

  private emit(change: FileChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** An in-memory CacheStore, for unit tests and the benchmark's warm starts. */
export class MemoryCacheStore implements CacheStore {
  readonly map = new Map<string, Uint8Array>();

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.map.get(key);
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    this.map.set(key, value);
  }
}
