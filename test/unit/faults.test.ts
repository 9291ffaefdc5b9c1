// Faults at the core: unreadable files, a bibliography replaced while it is being read, a corrupt or outdated
// cache, a workspace folder removed (also mid-build). Each must be logged and recovered from, and afterwards
// the index must answer exactly what a fresh build over the same files answers: never a crash, never stale.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loadCorpus } from '../../src/core/corpus/corpus';
import { CACHE_KEY, CACHE_SCHEMA, decodeCache, encodeCache } from '../../src/core/index/cacheCodec';
import { defaultParsers } from '../../src/core/index/defaultParsers';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryCacheStore, MemoryFs } from '../../src/core/memoryFs';
import { defaultConfig, type CacheStore, type Logger } from '../../src/core/workspace';
import { sortedSnapshot as snapshot } from './index-helpers';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
const corpus = loadCorpus();

/** Equality of two snapshots, reporting the first difference instead of two 50 KB strings. */
function assertSameAnswers(actual: string, expected: string): void {
  if (actual === expected) return;
  let i = 0;
  while (actual[i] === expected[i]) i++;
  assert.fail(`answers differ from a fresh build at ${i}:\n  got      …${actual.slice(Math.max(0, i - 200), i + 200)}\n  expected …${expected.slice(Math.max(0, i - 200), i + 200)}`);
}

/** A MemoryFs whose reads can fail or race with writes, and whose workspace folders can be removed. */
class FaultyFs extends MemoryFs {
  readonly unreadable = new Set<string>();
  /** Called inside `read` before the bytes are returned (after they were taken), to race a write with the read. */
  duringRead?: (uri: string) => void;

  constructor(private readonly mutableRoots: string[]) {
    super(mutableRoots);
  }

  override readSync(uri: string): Uint8Array {
    if (this.unreadable.has(uri)) throw new Error(`EACCES: permission denied, open '${uri}'`);
    return super.readSync(uri);
  }

  override async read(uri: string): Promise<Uint8Array> {
    if (this.unreadable.has(uri)) throw new Error(`EACCES: permission denied, open '${uri}'`);
    const bytes = await super.read(uri);
    const hook = this.duringRead;
    if (hook) {
      this.duringRead = undefined;
      hook(uri);
    }
    return bytes;
  }

  removeRoot(root: string): void {
    this.mutableRoots.splice(this.mutableRoots.indexOf(root), 1);
  }
}

function recordingLogger(): Logger & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    debug() {},
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => errors.push(m),
  };
}

class MapCache extends MemoryCacheStore {
  failGet = false;
  failSet = false;
  async get(key: string): Promise<Uint8Array | undefined> {
    if (this.failGet) throw new Error('EIO: cache unreadable');
    return super.get(key);
  }
  async set(key: string, value: Uint8Array): Promise<void> {
    if (this.failSet) throw new Error('ENOSPC: no space left on device');
    await super.set(key, value);
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name.startsWith('scratch-') || name === '.vscode') return [];
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Two roots: the fixture workspace as `mem:///a`, the multi-root fixture's second folder as `mem:///b`. */
function workspace(): FaultyFs {
  const fs = new FaultyFs(['mem:///a', 'mem:///b']);
  for (const [root, dir] of [['mem:///a', 'workspace'], ['mem:///b', 'multiroot/b']] as const) {
    const base = path.join(FIXTURES, dir);
    for (const file of filesUnder(base)) {
      const rel = path.relative(base, file).split(path.sep).map(encodeURIComponent).join('/');
      fs.write(`${root}/${rel}`, readFileSync(file));
    }
  }
  return fs;
}

function makeIndex(fs: FaultyFs, logger: Logger = recordingLogger(), cache?: CacheStore): WorkspaceIndex {
  return new WorkspaceIndex({ fs, config: defaultConfig, logger, parsers: defaultParsers, corpus, cache, debounceMs: 5 });
}

/** What a fresh index over the files as they are now answers. */
async function freshSnapshot(fs: FaultyFs): Promise<string> {
  const index = makeIndex(fs);
  try {
    await index.start();
    await index.ready();
    return snapshot(index);
  } finally {
    index.dispose();
  }
}

async function settled(index: WorkspaceIndex): Promise<void> {
  // Watch events arrive synchronously; give the debounce timer a chance, then wait for the queue to drain.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await index.ready();
}

const BIB = 'mem:///a/refs.bib';
const REVIEW = 'mem:///a/review.md';

function citedKeysUnresolvedIn(index: WorkspaceIndex, uri: string): string[] {
  return index.unresolved().filter((s) => s.uri === uri).map((s) => s.citation.key);
}

describe('faults: unreadable files', function () {
  this.timeout(30_000);

  it('a file that cannot be read is logged, left out, and picked up once it can be read', async () => {
    const fs = workspace();
    fs.unreadable.add(BIB);
    const logger = recordingLogger();
    const index = makeIndex(fs, logger);
    await index.start();
    assert.ok(logger.lines.some((l) => l.startsWith('warn') && l.includes('refs.bib') && l.includes('EACCES')), 'the failure is logged');
    assert.equal(index.document(BIB), undefined);
    assert.ok(index.document(REVIEW), 'the other files are indexed');
    assert.ok(citedKeysUnresolvedIn(index, REVIEW).length > 0, 'keys only refs.bib defines are unresolved meanwhile');
    fs.unreadable.delete(BIB);
    fs.write(BIB, await fs.read(BIB));
    await settled(index);
    assert.ok(index.document(BIB));
    assertSameAnswers(snapshot(index), await freshSnapshot(fs));
    assert.deepEqual(logger.errors, []);
    index.dispose();
  });

  it('a file that becomes unreadable drops its old answers instead of keeping them', async () => {
    const fs = workspace();
    const index = makeIndex(fs);
    await index.start();
    const key = index.document(BIB)!.entries[0].key;
    assert.ok(index.resolve(key)?.entries.some((e) => e.uri === BIB));
    fs.unreadable.add(BIB);
    fs.write(BIB, '@misc{changed, title = {unseen}}');
    await settled(index);
    assert.equal(index.document(BIB), undefined);
    assert.ok(!index.resolve(key)?.entries.some((e) => e.uri === BIB), 'no stale entry from the unreadable file');
    assertSameAnswers(snapshot(index), await freshSnapshot(fs));
    index.dispose();
  });
});

describe('faults: a bibliography replaced mid-read', function () {
  this.timeout(30_000);
  const REPLACEMENT = '@article{replacement2025, title = {Replaced while being read}, author = {Doe, Jane}, year = {2025}}\n';

  it('during the initial build: the new content wins', async () => {
    const fs = workspace();
    // Race the very first read of refs.bib, whatever order the build reads in.
    const race = (uri: string) => (uri === BIB ? fs.write(BIB, REPLACEMENT) : (fs.duringRead = race));
    fs.duringRead = race;
    const index = makeIndex(fs);
    await index.start();
    await settled(index);
    assert.deepEqual(index.document(BIB)!.entries.map((e) => e.key), ['replacement2025']);
    assertSameAnswers(snapshot(index), await freshSnapshot(fs));
    index.dispose();
  });

  it('during an incremental update, and a truncated read: the last write wins', async () => {
    const fs = workspace();
    const index = makeIndex(fs);
    await index.start();
    const original = new TextDecoder().decode(await fs.read(BIB));
    // The editor saves a half-written file; while the index reads it, the rest of the write lands.
    fs.duringRead = (uri) => {
      if (uri === BIB) fs.write(BIB, original + REPLACEMENT);
    };
    fs.write(BIB, original.slice(0, Math.floor(original.length / 2)));
    await settled(index);
    assert.ok(index.resolve('replacement2025')?.entries.some((e) => e.uri === BIB));
    assertSameAnswers(snapshot(index), await freshSnapshot(fs));
    index.dispose();
  });

  it('a bibliography deleted between listing and reading is simply absent', async () => {
    const fs = workspace();
    const race = (uri: string) => (uri === REVIEW ? fs.delete(BIB) : (fs.duringRead = race));
    fs.duringRead = race;
    const logger = recordingLogger();
    const index = makeIndex(fs, logger);
    await index.start();
    await settled(index);
    assert.equal(index.document(BIB), undefined);
    assertSameAnswers(snapshot(index), await freshSnapshot(fs));
    assert.deepEqual(logger.errors, []);
    index.dispose();
  });
});

describe('faults: corrupt or outdated cache', function () {
  this.timeout(60_000);
  let fs: FaultyFs;
  let good: Uint8Array;
  let fresh: string;

  before(async () => {
    fs = workspace();
    const cache = new MapCache();
    const index = makeIndex(fs, recordingLogger(), cache);
    await index.start();
    await index.saveCache();
    index.dispose();
    good = cache.map.get(CACHE_KEY)!;
    assert.ok(good && good.length > 1000, 'a cache was written');
    fresh = await freshSnapshot(fs);
  });

  /** Starts an index on `bytes` as its cache; it must answer like a fresh build and log, never fail. */
  async function startWith(bytes: Uint8Array | undefined, setUp?: (cache: MapCache) => void): Promise<string[]> {
    const cache = new MapCache();
    if (bytes) cache.map.set(CACHE_KEY, bytes);
    setUp?.(cache);
    const logger = recordingLogger();
    const index = makeIndex(fs, logger, cache);
    await index.start();
    assertSameAnswers(snapshot(index), fresh);
    await index.saveCache();
    index.dispose();
    assert.deepEqual(logger.errors, []);
    return logger.lines;
  }

  it('a valid cache is used and answers like a fresh build (control)', async () => {
    await startWith(good);
  });

  it('random bytes', async () => {
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
    const lines = await startWith(garbage);
    assert.ok(lines.some((l) => /cache/i.test(l)), `logged: ${lines.join(' | ')}`);
  });

  it('empty and truncated files', async () => {
    await startWith(new Uint8Array(0));
    for (const fraction of [0.1, 0.5, 0.99]) await startWith(good.subarray(0, Math.floor(good.length * fraction)));
  });

  it('flipped bytes inside the payload', async () => {
    for (const at of [0.3, 0.6, 0.9]) {
      const damaged = Uint8Array.from(good);
      const i = Math.floor(damaged.length * at);
      for (let j = i; j < i + 64 && j < damaged.length; j++) damaged[j] ^= 0x5a;
      await startWith(damaged);
    }
  });

  it('a cache written by an older version (different schema fingerprint) is ignored', async () => {
    // The header (the last line) names the schema; an older release wrote a smaller number.
    const newline = good.lastIndexOf(10);
    const header = JSON.parse(new TextDecoder().decode(good.subarray(newline + 1))) as { schema: number };
    assert.equal(header.schema, CACHE_SCHEMA);
    const older = new TextEncoder().encode(JSON.stringify({ ...header, schema: CACHE_SCHEMA - 1 }));
    const lines = await startWith(Uint8Array.from([...good.subarray(0, newline + 1), ...older]));
    assert.ok(lines.some((l) => l.includes('Ignoring the index cache')), `logged: ${lines.join(' | ')}`);
    // Same schema, other settings (a different size limit): also ignored rather than misread.
    const rows = decodeCache(good, `${CACHE_SCHEMA}|${defaultConfig.largeBibBytes}|${defaultConfig.largeDocumentBytes}`);
    assert.ok(rows instanceof Map, 'the fingerprint format is what the index writes');
    await startWith(encodeCache(rows, `${CACHE_SCHEMA}|1|1`));
  });

  it('a valid cache of files that changed since is not trusted for them', async () => {
    const stale = workspace();
    const cache = new MapCache();
    cache.map.set(CACHE_KEY, good);
    stale.write(BIB, '@misc{onlyAfterTheCache, title = {New}}\n');
    const index = makeIndex(stale, recordingLogger(), cache);
    await index.start();
    assert.deepEqual(index.document(BIB)!.entries.map((e) => e.key), ['onlyAfterTheCache']);
    assertSameAnswers(snapshot(index), await freshSnapshot(stale));
    index.dispose();
  });

  it('a cache store that fails to read or write is logged and ignored', async () => {
    const lines = await startWith(good, (cache) => {
      cache.failGet = true;
      cache.failSet = true;
    });
    assert.ok(lines.some((l) => l.startsWith('warn') && l.includes('EIO')));
    assert.ok(lines.some((l) => l.startsWith('warn') && l.includes('ENOSPC')));
  });
});

describe('faults: a folder removed', function () {
  this.timeout(30_000);

  it('a workspace folder removed from a multi-root workspace: its files stop answering', async () => {
    const fs = workspace();
    const index = makeIndex(fs);
    await index.start();
    const fromB = [...index.documents()].filter((d) => d.uri.startsWith('mem:///b/'));
    assert.ok(fromB.length > 0);
    const keyOfB = fromB.flatMap((d) => d.entries.map((e) => e.key)).find((k) => !index.resolve(k)?.entries.some((e) => e.uri.startsWith('mem:///a/')));
    assert.ok(keyOfB, 'a key only folder b defines');
    fs.removeRoot('mem:///b');
    await index.reindex();
    assert.ok(![...index.documents()].some((d) => d.uri.startsWith('mem:///b/')));
    assert.ok(!index.resolve(keyOfB!)?.entries.length);
    assertSameAnswers(snapshot(index), await freshSnapshot(fs));
    index.dispose();
  });

  it('removed while the first build is still running', async () => {
    const fs = workspace();
    const index = makeIndex(fs);
    const building = index.start();
    fs.removeRoot('mem:///b');
    const rebuild = index.reindex();
    await Promise.all([building, rebuild]);
    await index.ready();
    assertSameAnswers(snapshot(index), await freshSnapshot(fs));
    index.dispose();
  });

  it('a folder deleted on disk (one watcher event for the folder) drops every file under it', async () => {
    const fs = workspace();
    const index = makeIndex(fs);
    await index.start();
    assert.ok([...index.documents()].some((d) => d.uri.startsWith('mem:///a/notes/')));
    fs.deleteFolder('mem:///a/notes');
    await settled(index);
    assert.ok(![...index.documents()].some((d) => d.uri.startsWith('mem:///a/notes/')));
    assertSameAnswers(snapshot(index), await freshSnapshot(fs));
    index.dispose();
  });
});
