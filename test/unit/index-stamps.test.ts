// The warm start's stat fast path: a file whose size and times match its cache row, and which had last changed
// well before it was read, is taken from the cache unread; its text is read on first use. Every way a file can
// change behind that check must still be noticed: new times, a clock too coarse to tell two writes apart
// ("racy git"), a file moved into place with its old mtime, and, as a last line, times that lie outright.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFs } from '../../src/cli/nodeFs';
import { loadCorpus } from '../../src/core/corpus/corpus';
import { CACHE_KEY, CACHE_SCHEMA, decodeCache } from '../../src/core/index/cacheCodec';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryCacheStore, MemoryFs } from '../../src/core/memoryFs';
import { fileUriFromPath } from '../../src/core/uri';
import { defaultConfig, type CacheStore, type Logger, type WorkspaceFs } from '../../src/core/workspace';
import { fakeParsers, snapshot } from './index-helpers';

const ROOT = 'mem:///ws';
const u = (name: string) => `${ROOT}/${name}`;
const corpus = loadCorpus();
const HOUR = 3_600_000;

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug() {}, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

function makeIndex(fs: WorkspaceFs, cache?: CacheStore, logger: Logger = recordingLogger()): WorkspaceIndex {
  return new WorkspaceIndex({ fs, config: defaultConfig, logger, parsers: fakeParsers, corpus, cache, debounceMs: 5 });
}

/** Builds an index over `fs`, saves its cache and returns the cache. */
async function cacheOf(fs: WorkspaceFs): Promise<MemoryCacheStore> {
  const cache = new MemoryCacheStore();
  const index = makeIndex(fs, cache);
  await index.start();
  await index.saveCache();
  index.dispose();
  return cache;
}

async function freshSnapshot(fs: WorkspaceFs): Promise<string> {
  const index = makeIndex(fs);
  await index.start();
  const answers = snapshot(index);
  index.dispose();
  return answers;
}

/** Starts warm from `cache`; returns the index, how many files it read, and its log. */
async function warmStart(fs: MemoryFs, cache: MemoryCacheStore): Promise<{ index: WorkspaceIndex; reads: number; lines: string[] }> {
  const logger = recordingLogger();
  const index = makeIndex(fs, cache, logger);
  const before = fs.reads;
  await index.start();
  return { index, reads: fs.reads - before, lines: logger.lines };
}

async function settled(index: WorkspaceIndex): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  await index.ready();
}

const FILES: Record<string, string> = {
  'refs.bib': '@article{alpha,\n}\n@article{beta,\n}\n',
  'review.md': 'First @alpha.\nThen @beta and @gamma.\n',
  'notes/alpha.md': '---\ncitekey: alpha\ntags: [circuits]\n---\n# Alpha\n',
};

/** A workspace whose files last changed `age` ms ago (both times, as a clock that cannot tell writes apart). */
function workspace(age: number): MemoryFs {
  const fs = new MemoryFs([ROOT]);
  const at = Date.now() - age;
  for (const [name, text] of Object.entries(FILES)) fs.write(u(name), text, { mtime: at, ctime: at });
  return fs;
}

describe('warm start: files taken from the cache on their stat', function () {
  this.timeout(20_000);

  it('reads none of the files that have not changed, and reads a text only when it is first used', async () => {
    const fs = workspace(HOUR);
    const cache = await cacheOf(fs);
    const { index, reads } = await warmStart(fs, cache);
    assert.equal(reads, 0);
    assert.equal(snapshot(index), await freshSnapshot(fs));
    const readsBefore = fs.reads;
    // `@gamma` on line 1: the line map needs the text, so exactly that file is read now.
    const gamma = index.citationsOf('gamma')[0].citation;
    assert.deepEqual(index.document(u('review.md'))!.lineMap.positionAt(gamma.keySpan.start), { line: 1, character: 16 });
    assert.equal(fs.reads - readsBefore, 1);
    index.dispose();
  });

  it('a file rewritten with the same size but a new mtime is read again', async () => {
    const fs = workspace(HOUR);
    const cache = await cacheOf(fs);
    fs.write(u('review.md'), FILES['review.md'].replace('@gamma', '@delta'));
    const { index, reads } = await warmStart(fs, cache);
    assert.equal(reads, 1);
    assert.deepEqual(index.unresolved().map((s) => s.citation.key), ['delta']);
    assert.equal(snapshot(index), await freshSnapshot(fs));
    index.dispose();
  });

  it('a file rewritten with the same size and the same times is read again when it was cached within the racy window', async () => {
    // Last changed a moment before the cache was built: a second write in the same timestamp tick keeps the
    // times, so the stat cannot vouch for this file.
    const fs = workspace(100);
    const { mtime, ctime } = (await fs.stat(u('review.md')))!;
    const cache = await cacheOf(fs);
    fs.write(u('review.md'), FILES['review.md'].replace('@gamma', '@delta'), { mtime, ctime: ctime! });
    const { index, reads } = await warmStart(fs, cache);
    assert.equal(reads, Object.keys(FILES).length, 'every file of the racy window is read');
    assert.deepEqual(index.unresolved().map((s) => s.citation.key), ['delta']);
    assert.equal(snapshot(index), await freshSnapshot(fs));
    index.dispose();
  });

  it('a file replaced by one of the same size with its old mtime restored (mv, rsync -t) is read again', async () => {
    const fs = workspace(HOUR);
    const { mtime } = (await fs.stat(u('refs.bib')))!;
    const cache = await cacheOf(fs);
    // Only the status-change time moves.
    fs.write(u('refs.bib'), FILES['refs.bib'].replace('beta', 'gamm'), { mtime });
    const { index, reads } = await warmStart(fs, cache);
    assert.equal(reads, 1);
    assert.deepEqual(index.document(u('refs.bib'))!.entries.map((e) => e.key), ['alpha', 'gamm']);
    assert.equal(snapshot(index), await freshSnapshot(fs));
    index.dispose();
  });

  it('a file whose times lie is caught when its text is first read, and re-analysed', async () => {
    const fs = workspace(HOUR);
    const { mtime, ctime } = (await fs.stat(u('review.md')))!;
    const cache = await cacheOf(fs);
    // Same size, same times, long after the cache: no stat can tell. The content hash still does.
    fs.write(u('review.md'), FILES['review.md'].replace('@gamma', '@delta'), { mtime, ctime: ctime! });
    const { index, lines } = await warmStart(fs, cache);
    const changes: string[][] = [];
    index.onDidChange((change) => changes.push(change.uris));
    assert.equal(index.document(u('review.md'))!.lineMap.lineText(1), 'Then @beta and @delta.');
    await settled(index);
    assert.deepEqual(changes, [[u('review.md')]]);
    assert.deepEqual(index.unresolved().map((s) => s.citation.key), ['delta']);
    assert.equal(snapshot(index), await freshSnapshot(fs));
    assert.ok(lines.some((l) => l.includes('review.md changed since it was indexed')), lines.join(' | '));
    index.dispose();
  });

  it('a file that cannot be read when its text is first needed is logged, retried, and dropped once gone', async () => {
    class FlakyFs extends MemoryFs {
      failing = new Set<string>();
      override readSync(uri: string): Uint8Array {
        if (this.failing.has(uri)) throw new Error(`EIO: ${uri}`);
        return super.readSync(uri);
      }
    }
    const fs = new FlakyFs([ROOT]);
    for (const [name, text] of Object.entries(FILES)) fs.write(u(name), text, { mtime: Date.now() - HOUR });
    const cache = await cacheOf(fs);
    const logger = recordingLogger();
    const index = makeIndex(fs, cache, logger);
    await index.start();
    fs.failing.add(u('review.md'));
    assert.equal(index.document(u('review.md'))!.lineMap.lineCount, 1, 'no text yet, and no exception');
    assert.ok(logger.lines.some((l) => l.startsWith('warn') && l.includes('EIO')), logger.lines.join(' | '));
    fs.failing.clear();
    await settled(index);
    // The re-check re-made the document from the file, so its text is there again.
    assert.equal(index.document(u('review.md'))!.lineMap.lineText(1), 'Then @beta and @gamma.');
    fs.delete(u('review.md'));
    await settled(index);
    assert.equal(index.document(u('review.md')), undefined);
    index.dispose();
  });

  it('a cache from the previous schema (rows without stamps) is ignored, logged, and replaced by one with stamps', async () => {
    const fs = workspace(HOUR);
    const good = (await cacheOf(fs)).map.get(CACHE_KEY)!;
    // What the previous release wrote: the same layout without the four stamp fields, schema one lower.
    const newline = good.lastIndexOf(10);
    const header = JSON.parse(new TextDecoder().decode(good.subarray(newline + 1))) as { schema: number; rows: unknown[][] };
    const older = { ...header, schema: CACHE_SCHEMA - 1, rows: header.rows.map((row) => row.slice(0, 8)) };
    const cache = new MemoryCacheStore();
    cache.map.set(CACHE_KEY, Uint8Array.from([...good.subarray(0, newline + 1), ...new TextEncoder().encode(JSON.stringify(older))]));
    const first = await warmStart(fs, cache);
    assert.ok(first.lines.includes(`info Ignoring the index cache: schema ${CACHE_SCHEMA - 1} is not ${CACHE_SCHEMA}.`), first.lines.join(' | '));
    assert.equal(first.reads, Object.keys(FILES).length);
    assert.equal(snapshot(first.index), await freshSnapshot(fs));
    await first.index.saveCache();
    first.index.dispose();
    const second = await warmStart(fs, cache);
    assert.equal(second.reads, 0);
    second.index.dispose();
  });

  it('a reindex reads every file again instead of trusting stamps', async () => {
    const fs = workspace(HOUR);
    const cache = await cacheOf(fs);
    const { index } = await warmStart(fs, cache);
    const before = fs.reads;
    await index.reindex();
    assert.equal(fs.reads - before, Object.keys(FILES).length);
    index.dispose();
  });
});

describe('warm start on a real disk (NodeFs)', function () {
  this.timeout(20_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'interp-review-stamps-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** NodeFs counting whole-file reads at start (`read`) and on first use (`readSync`). */
  class CountingFs extends NodeFs {
    reads = 0;
    override async read(uri: string): Promise<Uint8Array> {
      this.reads++;
      return super.read(uri);
    }
    override readSync(uri: string): Uint8Array {
      this.reads++;
      return super.readSync(uri);
    }
  }

  it('a same-size rewrite whose mtime is set back (touch -d, rsync -t) is noticed through the status-change time', async () => {
    const file = path.join(dir, 'review.md');
    const other = path.join(dir, 'other.md');
    writeFileSync(file, 'Cites @alpha here.\n');
    writeFileSync(other, 'Cites @omega here.\n');
    const old = new Date(Date.now() - HOUR);
    utimesSync(file, old, old);
    utimesSync(other, old, old);
    // Setting times moves the status-change time to now; past the racy window, the stat alone vouches.
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const cache = await cacheOf(new NodeFs([dir]));
    const cachedMtime = statSync(file).mtimeMs;
    writeFileSync(file, 'Cites @bravo here.\n');
    // The same Date as before gives the same nanoseconds (a Date read back from mtimeMs could round).
    utimesSync(file, old, old);
    assert.equal(statSync(file).mtimeMs, cachedMtime, 'size and mtime are as cached');
    const fs = new CountingFs([dir]);
    const index = makeIndex(fs, cache);
    await index.start();
    assert.equal(fs.reads, 1, 'only the rewritten file is read');
    assert.deepEqual(index.unresolved().map((s) => s.citation.key).sort(), ['bravo', 'omega']);
    index.dispose();
    const uri = fileUriFromPath(file);
    const rows = decodeCache(cache.map.get(CACHE_KEY)!, `${CACHE_SCHEMA}|${defaultConfig.largeBibBytes}|${defaultConfig.largeDocumentBytes}`);
    assert.ok(rows instanceof Map && rows.get(uri)!.stamp!.ctime !== undefined, 'NodeFs reports the status-change time');
  });
});
