// Large files are analysed in time slices during builds and updates (issue #7). The index must answer exactly
// as with one-call parses, never show a document half-added, and let a change that arrives while a sliced
// parse runs win over it.
import * as assert from 'node:assert/strict';
import type { DocumentParsers } from '../../src/core/index/analyze';
import { defaultParsers } from '../../src/core/index/defaultParsers';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryCacheStore, MemoryFs } from '../../src/core/memoryFs';
import { LineMap } from '../../src/core/text';
import { defaultConfig, silentLogger } from '../../src/core/workspace';
import { snapshot } from './index-helpers';

const ROOT = 'mem:///ws';
const BIB = `${ROOT}/refs.bib`;
const REVIEW = `${ROOT}/review.md`;

/** A ~2 MB bibliography with macros, crossref and a broken entry, and a ~1.4 MB review citing it (some keys unknown). */
function writeLargeWorkspace(fs: MemoryFs): void {
  const bib = ['@string{jmlr = {Journal of Machine Learning Research}}\n', '@proceedings{conf, title = {Proceedings}, year = 2023}\n'];
  for (let i = 0; i < 6000; i++) {
    bib.push(`@inproceedings{key${i},\n  author = {Author, A. and Other, B.},\n  title = {Title number ${i} about {SAE} features},\n  journal = jmlr,\n  crossref = {conf},\n  abstract = {${'Words of an abstract. '.repeat(12)}}\n}\n`);
    if (i === 3000) bib.push('@article{broken,\n  title = {never closed\n');
  }
  fs.write(BIB, bib.join(''));
  const review = ['---\ntitle: Review\n---\n'];
  for (let i = 0; i < 16000; i++) review.push(`Paragraph ${i} discusses features and cites [@key${(i * 7) % 6500}, p. ${i}] and @key${i % 6000} in detail.\n\n`);
  fs.write(REVIEW, review.join(''));
  fs.write(`${ROOT}/notes/a.md`, '---\ncitekey: key1\ntags: [sae]\n---\nSee @key2.\n');
}

/** The product's parsers, counting the yields of their sliced variants. */
function countingParsers(): { parsers: DocumentParsers; yields: { bib: number; pandoc: number } } {
  const yields = { bib: 0, pandoc: 0 };
  const parsers: DocumentParsers = {
    ...defaultParsers,
    parseBibtexSliced: (text, options, yieldNow, sliceMs) => defaultParsers.parseBibtexSliced!(text, options, () => (yields.bib++, yieldNow()), sliceMs),
    parseBibtexPieces: (nextChunk, options, yieldNow, sliceMs) => defaultParsers.parseBibtexPieces!(nextChunk, options, () => (yields.bib++, yieldNow()), sliceMs),
    scanPandocCitationsSliced: (text, yieldNow, sliceMs) => defaultParsers.scanPandocCitationsSliced!(text, () => (yields.pandoc++, yieldNow()), sliceMs),
  };
  return { parsers, yields };
}

/** A gate a sliced or piecewise BibTeX parse waits at (for text starting with `% GATE`) before it starts. */
function gatedParsers(): { parsers: DocumentParsers; started: Promise<void>; open: () => void } {
  let open!: () => void;
  let signalStart!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const started = new Promise<void>((resolve) => (signalStart = resolve));
  const parsers: DocumentParsers = {
    ...defaultParsers,
    parseBibtexSliced: async (text, options, yieldNow, sliceMs) => {
      if (text.includes('GATE')) {
        signalStart();
        await gate;
      }
      return defaultParsers.parseBibtexSliced!(text, options, yieldNow, sliceMs);
    },
    parseBibtexPieces: async (nextChunk, options, yieldNow, sliceMs) => {
      const first = nextChunk();
      if (first?.includes('GATE')) {
        signalStart();
        await gate;
      }
      let read = false;
      return defaultParsers.parseBibtexPieces!(() => (read ? nextChunk() : ((read = true), first)), options, yieldNow, sliceMs);
    },
  };
  return { parsers, started, open };
}

const keysOf = (index: WorkspaceIndex, uri: string) => index.document(uri)?.entries.map((e) => e.key);

describe('WorkspaceIndex: sliced analysis of large files', function () {
  this.timeout(60_000);

  it('answers exactly as one-call parses, after a build and after an update, and did slice', async () => {
    const fs = new MemoryFs([ROOT]);
    writeLargeWorkspace(fs);
    const { parsers, yields } = countingParsers();
    const sliced = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, parsers, debounceMs: 1 });
    const whole = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, parsers: defaultParsers, debounceMs: 1, slicedParseBytes: Infinity });
    await Promise.all([sliced.start(), whole.start()]);
    assert.ok(yields.bib > 0 && yields.pandoc > 0, `yields: ${JSON.stringify(yields)}`);
    assert.equal(snapshot(sliced), snapshot(whole));
    assert.equal(sliced.document(BIB)!.entries.length, 6002); // conf, 6,000 papers, the broken entry
    assert.equal(sliced.resolve('key5')!.entries[0].entry.fields?.booktitle, 'Proceedings');
    assert.ok(sliced.diagnostics(BIB).some((d) => d.message.includes('never closed')));

    const before = { ...yields };
    fs.write(BIB, new TextDecoder().decode(fs.readSync(BIB)).replace('@inproceedings{key10,', '@inproceedings{renamed10,'));
    await Promise.all([sliced.ready(), whole.ready()]);
    assert.ok(yields.bib > before.bib);
    assert.equal(snapshot(sliced), snapshot(whole));
    assert.ok(sliced.resolve('renamed10'));
    sliced.dispose();
    whole.dispose();
  });

  it('keeps the previous version whole while a sliced parse runs, and a change made meanwhile wins', async () => {
    const fs = new MemoryFs([ROOT]);
    fs.write(BIB, '@article{old1, title = {Old}}\n');
    fs.write(REVIEW, 'Cites @old1, @gated and @newest.\n');
    const { parsers, started, open } = gatedParsers();
    const index = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, parsers, debounceMs: 1, slicedParseBytes: 0 });
    await index.start();
    assert.deepEqual(keysOf(index, BIB), ['old1']);

    fs.write(BIB, '% GATE\n@article{gated, title = {Held at the gate}}\n');
    await started;
    // The parse of the new text is paused: the old document is still there, complete, and still resolves.
    assert.deepEqual(keysOf(index, BIB), ['old1']);
    assert.ok(index.resolve('old1'));
    assert.equal(index.resolve('gated'), undefined);
    assert.equal(index.indexing, true);

    fs.write(BIB, '@article{newest, title = {Written during the parse}}\n');
    open();
    await index.ready();
    assert.deepEqual(keysOf(index, BIB), ['newest']);
    assert.equal(index.resolve('gated'), undefined);
    assert.equal(index.resolve('newest')!.info.title, 'Written during the parse');
    assert.deepEqual(index.diagnostics(REVIEW).map((d) => d.message.match(/'(\w+)'/)![1]), ['old1', 'gated']);
    index.dispose();
  });

  it('adds a document only once its sliced parse is complete during a build', async () => {
    const fs = new MemoryFs([ROOT]);
    fs.write(`${ROOT}/a.bib`, '% GATE\n@article{a1, title = {A}}\n');
    fs.write(`${ROOT}/b.md`, 'Cites @a1.\n');
    const { parsers, started, open } = gatedParsers();
    const index = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, parsers, slicedParseBytes: 0 });
    const building = index.start();
    await started;
    assert.equal(index.document(`${ROOT}/a.bib`), undefined);
    assert.equal(index.indexing, true);
    open();
    await building;
    assert.deepEqual(keysOf(index, `${ROOT}/a.bib`), ['a1']);
    assert.deepEqual(index.diagnostics(`${ROOT}/b.md`), []);
    index.dispose();
  });

  /** `text` as the workspace's bibliography, indexed once and cached (the cache row leaves the fields out). */
  async function cachedBibliography(text: string): Promise<{ fs: MemoryFs; cache: MemoryCacheStore }> {
    const fs = new MemoryFs([ROOT]);
    // Times well in the past, so the cached stamps vouch for the files and the warm start leaves them unread.
    fs.write(BIB, text, { mtime: 1000, ctime: 1000 });
    const cache = new MemoryCacheStore();
    const cold = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, cache, slicedParseBytes: 0 });
    await cold.start();
    await cold.saveCache();
    cold.dispose();
    return { fs, cache };
  }

  /** A chunk reader that gives `first` and then what `next` gives. */
  function startingWith(first: string, next: () => string | undefined): () => string | undefined {
    let given = false;
    return () => (given ? next() : ((given = true), first));
  }

  /** A warm start over a cached bibliography, counting one-call parses and synchronous reads (of unread files). */
  async function warmStart(gated: boolean) {
    const text = '@string{j = {Journal}}\n' + Array.from({ length: 50 }, (_, i) => `@article{k${i}, title = {Title ${i}}, journal = j}\n`).join('');
    const { fs, cache } = await cachedBibliography(text);
    let syncReads = 0;
    const readSync = fs.readSync.bind(fs);
    // MemoryFs reads through readSync; only the index's own synchronous reads are counted.
    fs.read = async (uri) => readSync(uri);
    fs.readSync = (uri) => (syncReads++, readSync(uri));
    const gate = gatedParsers();
    let oneCallParses = 0;
    let slicedDone!: () => void;
    const sliced = new Promise<void>((resolve) => (slicedDone = resolve));
    const parsers: DocumentParsers = {
      ...defaultParsers,
      parseBibtex: (t, o) => (oneCallParses++, defaultParsers.parseBibtex(t, o)),
      parseBibtexPieces: async (next, o, y, ms) => {
        const result = await (gated ? gate.parsers : defaultParsers).parseBibtexPieces!(gated ? startingWith('% GATE\n', next) : next, o, y, ms);
        setImmediate(slicedDone);
        return result;
      },
    };
    const warm = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, cache, parsers, slicedParseBytes: 0 });
    await warm.start();
    return { warm, sliced, gate, oneCalls: () => oneCallParses, syncReads: () => syncReads, expected: defaultParsers.parseBibtex(text, {}).value };
  }

  it('fills the fields of a cached bibliography in the background after a warm start', async () => {
    const { warm, sliced, oneCalls, syncReads, expected } = await warmStart(false);
    await sliced;
    assert.deepEqual(warm.document(BIB)!.entries.map((e) => e.fields), expected.map((e) => e.fields));
    assert.equal(warm.resolve('k3')!.info.venue, 'Journal');
    assert.equal(oneCalls(), 0);
    // The line map reads the pieces the background parse kept, instead of reading and decoding the file whole.
    assert.equal(warm.document(BIB)!.lineMap.lineText(4), '@article{k3, title = {Title 3}, journal = j}');
    assert.equal(syncReads(), 0);
    warm.dispose();
  });

  it('fills them at once when a field is read before the background parse ends, which then changes nothing', async () => {
    const { warm, sliced, gate, oneCalls, expected } = await warmStart(true);
    await gate.started;
    assert.equal(warm.document(BIB)!.entries[7].fields?.title, 'Title 7');
    assert.equal(oneCalls(), 1);
    const filled = warm.document(BIB)!.entries.map((e) => e.fields);
    gate.open();
    await sliced;
    const after = warm.document(BIB)!.entries.map((e) => e.fields);
    assert.deepEqual(after, expected.map((e) => e.fields));
    assert.ok(after.every((fields, i) => fields === filled[i]), 'the background parse replaced filled fields');
    warm.dispose();
  });

  it('stops the background parse at its next slice once a read has filled the fields', async () => {
    const { fs, cache } = await cachedBibliography(Array.from({ length: 2000 }, (_, i) => `@article{k${i}, title = {Title ${i}}}\n`).join(''));
    let yields = 0;
    let settle!: (outcome: string) => void;
    const settled = new Promise<string>((resolve) => (settle = resolve));
    const parsers: DocumentParsers = {
      ...defaultParsers,
      // A zero-length slice: the parse yields after every entry, so it is still running when the field is read.
      parseBibtexPieces: (next, o, yieldNow) =>
        defaultParsers.parseBibtexPieces!(next, o, () => (yields++, yieldNow()), 0).then(
          (result) => (settle('finished'), result),
          (error: unknown) => {
            settle('stopped');
            throw error;
          },
        ),
    };
    const warm = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, cache, parsers, slicedParseBytes: 0 });
    await warm.start();
    while (yields < 3) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warm.document(BIB)!.entries[1500].fields?.title, 'Title 1500');
    const yieldsAtFill = yields;
    assert.equal(await settled, 'stopped');
    assert.ok(yields <= yieldsAtFill + 1, `the parse went on for ${yields - yieldsAtFill} slices after the fill`);
    warm.dispose();
  });

  it('indexes a file whose sliced parse fails, with the failure as a diagnostic', async () => {
    const fs = new MemoryFs([ROOT]);
    fs.write(BIB, '@article{k, title = {T}}\n');
    for (const parsers of [
      { ...defaultParsers, parseBibtexSliced: () => Promise.reject(new Error('parser bug')), parseBibtexPieces: undefined },
      { ...defaultParsers, parseBibtexPieces: () => Promise.reject(new Error('parser bug')) },
    ]) {
      const index = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, parsers, slicedParseBytes: 0 });
      await index.start();
      assert.deepEqual(index.diagnostics(BIB).map((d) => [d.code, d.message]), [['internal-error', 'Could not analyse this file: parser bug']]);
      assert.equal(index.document(BIB)!.lineMap.lineText(0), '@article{k, title = {T}}');
      index.dispose();
    }
  });

  it('gives large files their line maps before first use: while a build analyses them, and after a warm start', async () => {
    const fs = new MemoryFs([ROOT]);
    writeLargeWorkspace(fs);
    for (const uri of [BIB, REVIEW]) fs.write(uri, fs.readSync(uri), { mtime: 1000, ctime: 1000 });
    const cache = new MemoryCacheStore();
    // Files over 1 MB take the sliced path; the note does not.
    const options = { fs, config: defaultConfig, logger: silentLogger, cache, debounceMs: 1, slicedParseBytes: 1_000_000 };
    const hasLineMap = (index: WorkspaceIndex, uri: string) => (index.document(uri) as unknown as { hasLineMap: boolean }).hasLineMap;
    const cold = new WorkspaceIndex(options);
    await cold.start();
    assert.deepEqual([hasLineMap(cold, BIB), hasLineMap(cold, REVIEW)], [true, true]);
    await cold.saveCache();
    const reviewText = cold.document(REVIEW)!.lineMap.lineText(7);
    cold.dispose();

    const warm = new WorkspaceIndex(options);
    await warm.start();
    // Taken from the cache unread, so without maps at first; both get theirs in the background.
    assert.deepEqual([hasLineMap(warm, BIB), hasLineMap(warm, REVIEW)], [false, false]);
    for (let turns = 0; turns < 100_000 && !(hasLineMap(warm, BIB) && hasLineMap(warm, REVIEW)); turns++) await new Promise(setImmediate);
    assert.deepEqual([hasLineMap(warm, BIB), hasLineMap(warm, REVIEW)], [true, true]);
    assert.equal(warm.document(REVIEW)!.lineMap.lineText(7), reviewText);
    assert.equal(warm.document(REVIEW)!.lineMap.lineCount, new LineMap(new TextDecoder().decode(fs.readSync(REVIEW))).lineCount);
    warm.dispose();
  });
});
