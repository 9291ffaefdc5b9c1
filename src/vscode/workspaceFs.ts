// The core's `WorkspaceFs` over `vscode.workspace.fs` and `findFiles`: works for any URI scheme (local,
// remote, virtual), never touches Node's `fs`.
import * as vscode from 'vscode';
import { compileGlobs, type PathMatcher } from '../core/glob';
import { TimeSlicer } from '../core/timeSlice';
import { uriRelative } from '../core/uri';
import type { FileChange, FileStat, WorkspaceFs } from '../core/workspace';

/** A burst with more events than this is checked against a fresh listing afterwards. */
const RECONCILE_BURST_EVENTS = 50;
/** Quiet time after the last event of a burst before the listing is compared. */
const RECONCILE_QUIET_MS = 1000;
/** A second comparison this long after the first catches events the watcher delivers late or never. */
const RECONCILE_FOLLOW_UP_MS = 5000;

/** Folders read at the same time while walking a local workspace folder. */
const WALK_CONCURRENCY = 8;

/** `{a,b}` for findFiles; a single pattern as is (VS Code globs do not nest braces inside a group). */
function globGroup(patterns: readonly string[]): string | undefined {
  if (patterns.length === 0) return undefined;
  if (patterns.length === 1) return patterns[0];
  return `{${patterns.join(',')}}`;
}

interface WalkMatchers {
  included: PathMatcher;
  excluded: PathMatcher;
  /** Folders whose every descendant is excluded: not read at all. */
  pruned: PathMatcher;
}

/** The index's own glob semantics (the same matchers decide `accepts`), with excluded folders pruned. */
function walkMatchers(include: readonly string[], exclude: readonly string[]): WalkMatchers {
  // `a/**` excludes everything under any folder `a` matches; a pattern matching the folder itself does too.
  const folderForms = exclude.map((g) => g.trim()).filter((g) => /\/\*\*\/?$/.test(g)).map((g) => g.replace(/\/\*\*\/?$/, ''));
  return {
    included: compileGlobs(include),
    excluded: compileGlobs(exclude, { matchDescendants: true }),
    pruned: compileGlobs([...exclude, ...folderForms], { matchDescendants: true }),
  };
}

function sameStat(a: vscode.FileStat | undefined, b: vscode.FileStat | undefined): boolean {
  return !!a && !!b && a.mtime === b.mtime && a.ctime === b.ctime && a.size === b.size;
}

/**
 * Adds to `found` the files under `root` that the matchers accept, reading up to WALK_CONCURRENCY folders at a
 * time and yielding between slices. Symbolic links to folders are followed as VS Code's search does (setting
 * `search.followSymlinks`), except back into a folder of their own path, which would loop.
 */
async function walkFolder(root: vscode.Uri, matchers: WalkMatchers, found: Set<string>): Promise<void> {
  const followSymlinks = vscode.workspace.getConfiguration('search', root).get<boolean>('followSymlinks', true);
  const slicer = new TimeSlicer();
  const stats = new Map<string, Thenable<vscode.FileStat | undefined>>();
  const statOf = (uri: vscode.Uri) => {
    const key = uri.toString();
    let stat = stats.get(key);
    if (!stat) stats.set(key, (stat = Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined)));
    return stat;
  };
  interface Folder {
    uri: vscode.Uri;
    rel: string;
    /** The folders above it, outermost first, then itself. */
    path: vscode.Uri[];
  }
  const loopsBack = async (link: vscode.Uri, path: vscode.Uri[]): Promise<boolean> => {
    const target = await statOf(link);
    for (const folder of path) if (sameStat(target, await statOf(folder))) return true;
    return false;
  };
  const visit = async (folder: Folder, queue: Folder[]): Promise<void> => {
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(folder.uri);
    } catch {
      // Unreadable or gone since it was listed: skipped, as a search skips it.
      return;
    }
    for (const [name, type] of entries) {
      await slicer.pauseIfOver();
      const rel = folder.rel ? `${folder.rel}/${name}` : name;
      if (type & vscode.FileType.Directory) {
        if (matchers.pruned(rel)) continue;
        const uri = vscode.Uri.joinPath(folder.uri, name);
        if (type & vscode.FileType.SymbolicLink && (!followSymlinks || (await loopsBack(uri, folder.path)))) continue;
        queue.push({ uri, rel, path: [...folder.path, uri] });
      } else if (type & vscode.FileType.File && matchers.included(rel) && !matchers.excluded(rel)) {
        found.add(vscode.Uri.joinPath(folder.uri, name).toString());
      }
    }
  };
  const queue: Folder[] = [{ uri: root, rel: '', path: [root] }];
  let reading = 0;
  await new Promise<void>((resolve) => {
    const next = () => {
      while (reading < WALK_CONCURRENCY && queue.length > 0) {
        reading++;
        void visit(queue.pop()!, queue)
          .catch(() => undefined)
          .finally(() => {
            reading--;
            next();
          });
      }
      if (reading === 0 && queue.length === 0) resolve();
    };
    next();
  });
}

export class VsCodeWorkspaceFs implements WorkspaceFs {
  /** Files this adapter has reported (listed or created), so a deleted folder can be expanded to its files. */
  private readonly known = new Set<string>();
  /** The globs of the last listing: a reconcile lists the same files. */
  private listed: { include: readonly string[]; exclude: readonly string[] } | undefined;

  roots(): readonly string[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString().replace(/\/+$/, ''));
  }

  async list(include: readonly string[], exclude: readonly string[]): Promise<string[]> {
    this.listed = { include, exclude };
    const found = await this.search(include, exclude);
    for (const uri of found) this.known.add(uri);
    // Unsorted: the index orders the files itself, and sorting 10,000 URIs twice showed in the host's profile.
    return [...found];
  }

  /**
   * Local folders are walked rather than searched: for `file:` folders `findFiles` runs VS Code's file search
   * inside the extension host, which spawns ripgrep there, and spawning forks the whole host process. With a
   * 10,000-note index in memory that fork alone blocked the host for 170-250 ms (host CPU profile, issue #7).
   */
  private async search(include: readonly string[], exclude: readonly string[]): Promise<Set<string>> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const found = new Set<string>();
    const local = folders.filter((f) => f.uri.scheme === 'file');
    if (local.length > 0) {
      const matchers = walkMatchers(include, exclude);
      await Promise.all(local.map((folder) => walkFolder(folder.uri, matchers, found)));
    }
    const others = folders.filter((f) => f.uri.scheme !== 'file');
    if (others.length > 0) for (const uri of await this.findFiles(others, include, exclude)) found.add(uri);
    return found;
  }

  private async findFiles(folders: readonly vscode.WorkspaceFolder[], include: readonly string[], exclude: readonly string[]): Promise<Set<string>> {
    // Patterns that use braces themselves cannot sit inside a `{…}` group, so they are searched one by one.
    const plainExcludes = exclude.filter((g) => !g.includes('{'));
    const bracedExcludes = exclude.filter((g) => g.includes('{'));
    const excludeGlob = globGroup(plainExcludes);
    const found = new Set<string>();
    const searches: Thenable<vscode.Uri[]>[] = [];
    for (const folder of folders) {
      for (const pattern of include) {
        searches.push(
          vscode.workspace.findFiles(new vscode.RelativePattern(folder, pattern), excludeGlob ? new vscode.RelativePattern(folder, excludeGlob) : null),
        );
      }
    }
    for (const uris of await Promise.all(searches)) for (const uri of uris) found.add(uri.toString());
    if (bracedExcludes.length) {
      const dropped = new Set<string>();
      for (const folder of folders) {
        for (const pattern of bracedExcludes) {
          for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, pattern), null)) dropped.add(uri.toString());
        }
      }
      for (const uri of dropped) found.delete(uri);
    }
    return found;
  }

  /**
   * The differences between a fresh listing and the files this adapter has reported, as changes. Only files the
   * listing's globs cover can be missing from it; each of those is confirmed gone before it is reported deleted.
   */
  private async reconcile(report: (type: FileChange['type'], uri: string) => void): Promise<void> {
    if (!this.listed) return;
    const { include, exclude } = this.listed;
    const onDisk = await this.search(include, exclude);
    const included = compileGlobs(include);
    const excluded = compileGlobs(exclude, { matchDescendants: true });
    const roots = this.roots();
    const covered = (uri: string) => {
      for (const root of roots) {
        const rel = uriRelative(root, uri);
        if (rel !== undefined) return included(rel) && !excluded(rel);
      }
      return false;
    };
    for (const uri of onDisk) if (!this.known.has(uri)) report('created', uri);
    const vanished = [...this.known].filter((uri) => !onDisk.has(uri) && covered(uri));
    for (const uri of vanished) if (!(await this.stat(uri))) report('deleted', uri);
  }

  async read(uri: string): Promise<Uint8Array> {
    return vscode.workspace.fs.readFile(vscode.Uri.parse(uri, true));
  }

  async stat(uri: string): Promise<FileStat | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(vscode.Uri.parse(uri, true));
      if (stat.type & vscode.FileType.Directory) return undefined;
      return { size: stat.size, mtime: stat.mtime };
    } catch {
      return undefined;
    }
  }

  watch(listener: (change: FileChange) => void): vscode.Disposable {
    // One recursive watcher over every workspace folder; the index filters by its include/exclude globs.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const report = (type: FileChange['type'], uri: string) => {
      if (type === 'deleted') this.known.delete(uri);
      else this.known.add(uri);
      listener({ type, uri });
    };
    // The OS watcher misses events in bursts that create or delete folders (files learned by walking a new
    // folder are later deleted without an event), so such bursts end with a comparison against a fresh listing.
    let burstEvents = 0;
    let burstTouchedFolders = false;
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    let followUpTimer: ReturnType<typeof setTimeout> | undefined;
    let reconciling: Promise<void> | undefined;
    let disposed = false;
    const runReconcile = (): void => {
      if (disposed) return;
      if (reconciling) {
        void reconciling.then(runReconcile);
        return;
      }
      reconciling = this.reconcile((type, uri) => !disposed && report(type, uri))
        .catch(() => undefined)
        .finally(() => (reconciling = undefined));
    };
    const noteEvent = (folder: boolean) => {
      burstEvents++;
      burstTouchedFolders ||= folder;
      if (quietTimer) clearTimeout(quietTimer);
      quietTimer = setTimeout(() => {
        quietTimer = undefined;
        const needed = burstTouchedFolders || burstEvents > RECONCILE_BURST_EVENTS;
        burstEvents = 0;
        burstTouchedFolders = false;
        if (!needed) return;
        runReconcile();
        if (followUpTimer) clearTimeout(followUpTimer);
        followUpTimer = setTimeout(() => {
          followUpTimer = undefined;
          runReconcile();
        }, RECONCILE_FOLLOW_UP_MS);
      }, RECONCILE_QUIET_MS);
    };
    // Files written into a folder right after it was created can land before the OS watch on that folder
    // exists, so a new folder's contents are announced by walking it.
    const announceFolder = async (uri: vscode.Uri, depth: number): Promise<void> => {
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(uri);
      } catch {
        return;
      }
      for (const [name, type] of entries) {
        const child = vscode.Uri.joinPath(uri, name);
        if (type & vscode.FileType.Directory) {
          if (depth < 32) await announceFolder(child, depth + 1);
        } else report('created', child.toString());
      }
    };
    const onCreate = async (uri: vscode.Uri) => {
      const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
      // Gone again already: its delete event is on its way or has been reported.
      const isFolder = !!stat && (stat.type & vscode.FileType.Directory) !== 0;
      noteEvent(isFolder);
      if (!stat) return;
      if (isFolder) await announceFolder(uri, 0);
      else report('created', uri.toString());
    };
    // Deleting a folder is reported once, for the folder; every file we knew under it is gone too.
    const onDelete = (uri: vscode.Uri) => {
      const text = uri.toString();
      const wasFile = this.known.has(text);
      noteEvent(!wasFile);
      report('deleted', text);
      if (wasFile) return;
      const prefix = `${text.replace(/\/+$/, '')}/`;
      for (const file of [...this.known]) if (file.startsWith(prefix)) report('deleted', file);
    };
    return vscode.Disposable.from(
      watcher,
      watcher.onDidCreate((uri) => void onCreate(uri)),
      watcher.onDidChange((uri) => {
        noteEvent(false);
        report('changed', uri.toString());
      }),
      watcher.onDidDelete(onDelete),
      {
        dispose: () => {
          disposed = true;
          if (quietTimer) clearTimeout(quietTimer);
          if (followUpTimer) clearTimeout(followUpTimer);
        },
      },
    );
  }
}
