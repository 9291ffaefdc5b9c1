import * as assert from 'node:assert/strict';
import type { DocumentParsers } from '../../src/core/index/analyze';
import { CACHE_KEY, CACHE_SCHEMA, encodeCache } from '../../src/core/index/cacheCodec';
import { hashBytes } from '../../src/core/hash';
import type { IndexChange } from '../../src/core/index/types';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryCacheStore, MemoryFs } from '../../src/core/memoryFs';
import { defaultConfig, type CacheStore, type CoreConfig, type Logger } from '../../src/core/workspace';
import { fakeParsers, snapshot } from './index-helpers';

const ROOT = 'mem:///ws';
const u = (path: string) => `${ROOT}/${path}`;

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}

async function build(files: Record<string, string | Uint8Array>, options: { config?: Partial<CoreConfig>; cache?: CacheStore; parsers?: DocumentParsers; logger?: Logger } = {}) {
  const fs = new MemoryFs([ROOT]);
  for (const [path, content] of Object.entries(files)) fs.write(u(path), content);
  const index = new WorkspaceIndex({
    fs,
    config: { ...defaultConfig, ...options.config },
    logger: options.logger ?? recordingLogger(),
    cache: options.cache,
    parsers: options.parsers ?? fakeParsers,
    debounceMs: 5,
  });
  await index.start();
  return { fs, index };
}

const codes = (index: WorkspaceIndex, path: string) => index.diagnostics(u(path)).map((d) => d.code);

describe('WorkspaceIndex', () => {
  it('merges a bibliography entry and a note about the same key into one paper', async () => {
    const { index } = await build({
      'refs.bib': '@article{elhage2021,\n title={x}}\n',
      'notes/elhage.md': '---\ncitekey: elhage2021\ntags: [circuits]\nyear: 2021\n---\n# Notes\n',
      'review.md': 'As shown by @elhage2021.\n',
    });
    const paper = index.resolve('elhage2021', u('review.md'));
    assert.ok(paper);
    assert.deepEqual(paper.entries.map((e) => e.uri), [u('refs.bib')]);
    assert.deepEqual(paper.notes.map((n) => n.uri), [u('notes/elhage.md')]);
    assert.equal(paper.info.title, 'Title of elhage2021');
    assert.equal(paper.info.year, '2021');
    assert.deepEqual(index.citationsOf('elhage2021').map((s) => s.uri), [u('review.md')]);
    assert.deepEqual(index.notesBy('tags', 'circuits').map((n) => n.uri), [u('notes/elhage.md')]);
    assert.deepEqual(index.allDiagnostics(), new Map());
    index.dispose();
  });

  it('reports unresolved citations with the nearest keys', async () => {
    const { index } = await build({ 'refs.bib': '@article{olsson2022context,\n}\n', 'r.md': 'See @olson2022context and @zzzz.\n' });
    const [first, second] = index.diagnostics(u('r.md'));
    assert.equal(first.code, 'unresolved-citation');
    assert.equal(first.severity, 'error');
    assert.match(first.message, /Unresolved citation key 'olson2022context'.*'olsson2022context'/);
    assert.deepEqual(first.span, { start: 5, end: 5 + 'olson2022context'.length });
    assert.equal(second.message, "Unresolved citation key 'zzzz'.");
    assert.deepEqual(index.unresolved().map((s) => s.citation.key), ['olson2022context', 'zzzz']);
    assert.deepEqual(index.suggest('olson2022context'), ['olsson2022context']);
    index.dispose();
  });

  it('warns at each definition of a key defined in two bibliography files', async () => {
    const { index } = await build({ 'a.bib': '@article{dup,\n}\n', 'b/c.bib': '@book{dup,\n}\n', 'd.json': '[{"id": "dup", "type": "book"}]' });
    const diagnostic = index.diagnostics(u('a.bib'))[0];
    assert.equal(diagnostic.code, 'duplicate-key');
    assert.match(diagnostic.message, /'b\/c\.bib', 'd\.json'/);
    assert.deepEqual(codes(index, 'b/c.bib'), ['duplicate-key']);
    assert.deepEqual(codes(index, 'd.json'), ['duplicate-key']);
    index.dispose();
  });

  it('informs about a note whose key no bibliography or corpus has, and still counts its citations', async () => {
    const { index } = await build({ 'n.md': '---\ncitekey: mine2024\n---\nCites @other.\n', 'plain.md': '---\ntags: [x]\n---\n@mine2024\n' });
    assert.deepEqual(codes(index, 'n.md'), ['note-without-entry', 'unresolved-citation']);
    assert.deepEqual(codes(index, 'plain.md'), []);
    assert.ok(index.resolve('mine2024'));
    index.dispose();
  });

  it('resolves corpus papers when enabled, with the user entry winning', async () => {
    const { corpus } = new WorkspaceIndex({ fs: new MemoryFs(), config: defaultConfig, logger: recordingLogger(), parsers: fakeParsers });
    const paper = corpus.papers[0];
    const { index } = await build({ 'r.md': `@${paper.key}\n` });
    assert.equal(index.resolve(paper.key)?.corpus?.id, paper.id);
    assert.equal(index.resolve(paper.key)?.info.title, paper.title);
    index.updateConfig({ ...defaultConfig, corpusEnabled: false });
    assert.equal(index.resolve(paper.key), undefined);
    assert.deepEqual(codes(index, 'r.md'), ['unresolved-citation']);
    index.dispose();

    const withEntry = await build({ 'r.md': `@${paper.key}\n`, 'my.bib': `@article{${paper.key},\n}\n` });
    assert.equal(withEntry.index.resolve(paper.key)?.info.title, `Title of ${paper.key}`);
    withEntry.index.dispose();
  });

  it("limits a document with `bibliography:` to its files and names where else a key is defined", async () => {
    const { index } = await build({
      'papers/review.md': '---\nbibliography: ../refs/main.bib\nreferences:\n  - id: inlinekey\n---\n@a @b @inlinekey @nowhere\n',
      'refs/main.bib': '@article{a,\n}\n',
      'refs/other.bib': '@article{b,\n}\n',
      'global.bib': '@article{g,\n}\n',
      'free.md': '@b\n',
    });
    const review = u('papers/review.md');
    assert.ok(index.resolve('a', review));
    assert.equal(index.resolve('b', review), undefined);
    assert.ok(index.resolve('inlinekey', review));
    assert.ok(index.resolve('b', u('free.md')));
    const diagnostics = index.diagnostics(review);
    assert.deepEqual(diagnostics.map((d) => d.code), ['not-in-document-bibliography', 'unresolved-citation']);
    assert.match(diagnostics[0].message, /refs\/other\.bib/);
    index.dispose();

    const configured = await build(
      { 'r.md': '---\nbibliography: missing.bib\n---\n@g\n', 'shared/global.bib': '@article{g,\n}\n' },
      { config: { bibliographies: ['shared/global.bib'] } },
    );
    assert.ok(configured.index.resolve('g', u('r.md')));
    assert.deepEqual(codes(configured.index, 'r.md'), ['bibliography-not-found']);
    configured.index.dispose();
  });

  it('resolves BibLaTeX aliases', async () => {
    const parsers: DocumentParsers = {
      ...fakeParsers,
      parseBibtex: (text, options) => {
        const result = fakeParsers.parseBibtex(text, options);
        for (const e of result.value) e.aliases = [`${e.key}-old`];
        return result;
      },
    };
    const { index } = await build({ 'a.bib': '@article{new,\n}\n', 'r.md': '@new-old\n' }, { parsers });
    assert.equal(index.resolve('new-old')?.entries[0].entry.key, 'new');
    assert.deepEqual(codes(index, 'r.md'), []);
    assert.ok([...index.keys()].includes('new-old'));
    index.dispose();
  });

  it('classifies files: CSL only when JSON/YAML looks like CSL, gsn by name, binary and huge files skipped', async () => {
    const logger = recordingLogger();
    const { index } = await build(
      {
        'package.json': '{"name": "x", "id": "y", "type": "module"}',
        'refs.json': '[{"id": "j1", "title": "T"}]',
        'ci.yml': 'on: push\njobs: {}\n',
        'refs.yaml': 'references:\n- id: y1\n',
        'case.gsn.yaml': 'G1: top goal @j1\n',
        'image.md': new Uint8Array([0x23, 0x20, 0, 1, 2]),
        'big.md': '@x '.repeat(100),
        'main.tex': '\\cite{y1}',
        'notes.txt': '@ignored',
      },
      { config: { maxFileBytes: 200 }, logger },
    );
    const kinds = [...index.documents()].map((d) => [d.uri.slice(ROOT.length + 1), d.kind]).sort();
    assert.deepEqual(kinds, [['case.gsn.yaml', 'gsn'], ['main.tex', 'latex'], ['refs.json', 'csl-json'], ['refs.yaml', 'csl-yaml']]);
    assert.ok(logger.lines.some((l) => /image\.md: binary/.test(l)));
    assert.ok(logger.lines.some((l) => /big\.md: 300 bytes is over/.test(l)));
    assert.deepEqual(index.citationsOf('j1').map((s) => s.uri), [u('case.gsn.yaml')]);
    index.dispose();
  });

  it('indexes large files in reduced form and logs it', async () => {
    let keysOnly: boolean | undefined;
    const parsers: DocumentParsers = { ...fakeParsers, parseBibtex: (text, options) => ((keysOnly = options.keysOnly), fakeParsers.parseBibtex(text, options)) };
    const logger = recordingLogger();
    const { index } = await build({ 'big.bib': '@article{k,\n}\n' + ' '.repeat(100), 'big.md': '@k\n' + ' '.repeat(100) }, { config: { largeBibBytes: 50, largeDocumentBytes: 50 }, parsers, logger });
    assert.equal(keysOnly, true);
    assert.equal(index.document(u('big.bib'))?.reduced, 'keys-only');
    assert.equal(index.document(u('big.md'))?.reduced, 'no-links');
    assert.equal(index.citationsOf('k').length, 1);
    assert.ok(logger.lines.some((l) => /big\.md is large/.test(l)));
    index.dispose();
  });

  it('decodes invalid UTF-8 with replacement characters', async () => {
    const { index } = await build({ 'bad.md': new Uint8Array([0x40, 0x6b, 0x65, 0x79, 0x20, 0xff, 0xfe, 0x20, 0x40, 0x62]) });
    assert.deepEqual(index.document(u('bad.md'))?.citations.map((c) => c.key), ['key', 'b']);
    index.dispose();
  });

  it('respects exclude globs and re-filters on a settings change', async () => {
    const { index } = await build({ 'a.md': '@x\n', 'drafts/b.md': '@y\n', 'node_modules/p/c.md': '@z\n' }, { config: { exclude: [...defaultConfig.exclude, 'drafts'] } });
    assert.deepEqual([...index.documents()].map((d) => d.uri), [u('a.md')]);
    index.updateConfig({ ...defaultConfig });
    await index.ready();
    assert.deepEqual([...index.documents()].map((d) => d.uri).sort(), [u('a.md'), u('drafts/b.md')]);
    index.dispose();
  });

  it('applies a burst of changes as one batch and one change event', async () => {
    const { fs, index } = await build({ 'refs.bib': '@article{a,\n}\n' });
    const events: IndexChange[] = [];
    index.onDidChange((e) => events.push(e));
    for (let i = 0; i < 50; i++) fs.write(u(`n${i}.md`), `@a @b${i}\n`);
    fs.delete(u('refs.bib'));
    await index.ready();
    assert.equal(events.length, 1);
    assert.equal(events[0].uris.length, 51);
    assert.equal(index.unresolved().length, 100);
    index.dispose();
  });

  it('re-reads only the changed file and drops everything a deleted folder contributed', async () => {
    const { fs, index } = await build({ 'a.md': '@k\n', 'sub/b.bib': '@article{k,\n}\n', 'sub/c.md': '---\ncitekey: k\ntags: [t]\n---\n' });
    const readsBefore = fs.reads;
    fs.write(u('a.md'), '@k @k2\n');
    await index.ready();
    assert.equal(fs.reads - readsBefore, 1);
    assert.equal(index.citationsOf('k2').length, 1);
    // Watchers report a removed folder as one event.
    fs.deleteFolder(u('sub'));
    await index.ready();
    assert.deepEqual([...index.documents()].map((d) => d.uri), [u('a.md')]);
    assert.equal(index.resolve('k'), undefined);
    assert.deepEqual(index.notesBy('tags', 't'), []);
    index.dispose();
  });

  it('answers citationsOf alike whether its map is first built before or after updates, and keeps it current', async () => {
    const files = { 'a.md': '@k @j\n', 'b.md': '@k\n', 'c.md': '- @k\n' };
    const edit = async (fs: MemoryFs, index: WorkspaceIndex) => {
      fs.write(u('b.md'), '@j\n');
      fs.delete(u('c.md'));
      fs.write(u('d.md'), '@k @k\n');
      await index.ready();
    };
    const sites = (index: WorkspaceIndex, key: string) => index.citationsOf(key).map((s) => [s.uri, s.citation.keySpan.start]);
    // Updated before any query: the map is built from the documents as they are now.
    const late = await build(files);
    await edit(late.fs, late.index);
    // Queried first, then updated: the map follows each change.
    const early = await build(files);
    assert.deepEqual(sites(early.index, 'k'), [[u('a.md'), 1], [u('b.md'), 1], [u('c.md'), 3]]);
    await edit(early.fs, early.index);
    for (const index of [late.index, early.index]) {
      assert.deepEqual(sites(index, 'k'), [[u('a.md'), 1], [u('d.md'), 1], [u('d.md'), 4]]);
      assert.deepEqual(sites(index, 'j'), [[u('a.md'), 4], [u('b.md'), 1]]);
      index.dispose();
    }
    assert.equal(snapshot(late.index), snapshot(early.index));
  });

  it('lets unsaved editor text take precedence over the disk until the overlay is dropped', async () => {
    const { index } = await build({ 'a.md': '@disk\n' });
    index.setOverlay(u('a.md'), '@editor\n');
    await index.ready();
    assert.deepEqual(index.document(u('a.md'))?.citations.map((c) => c.key), ['editor']);
    index.setOverlay(u('a.md'), undefined);
    await index.ready();
    assert.deepEqual(index.document(u('a.md'))?.citations.map((c) => c.key), ['disk']);
    index.dispose();
  });

  it('recomputes cross-file safety-case diagnostics when any safety case changes', async () => {
    const { fs, index } = await build({ 'a.gsn.yaml': 'G1: top\n', 'b.gsn.yaml': 'G2: other\n' });
    assert.deepEqual(codes(index, 'a.gsn.yaml'), []);
    fs.write(u('b.gsn.yaml'), 'G1: clash\n');
    await index.ready();
    assert.deepEqual(codes(index, 'a.gsn.yaml'), ['gsn-duplicate']);
    fs.delete(u('b.gsn.yaml'));
    await index.ready();
    assert.deepEqual(codes(index, 'a.gsn.yaml'), []);
    index.dispose();
  });

  it('reports progress during the build', async () => {
    const fs = new MemoryFs([ROOT]);
    for (let i = 0; i < 20; i++) fs.write(u(`n${i}.md`), '@a\n');
    const index = new WorkspaceIndex({ fs, config: defaultConfig, logger: recordingLogger(), parsers: fakeParsers });
    const progress: number[] = [];
    index.onProgress((p) => progress.push(p.done));
    await index.start();
    assert.equal(progress[0], 0);
    assert.equal(progress.at(-1), 20);
    index.dispose();
  });

  it('turns `indexing` off when a build ends, before its change event, without anyone calling ready()', async () => {
    const fs = new MemoryFs([ROOT]);
    for (let i = 0; i < 20; i++) fs.write(u(`n${i}.md`), '@a\n');
    const index = new WorkspaceIndex({ fs, config: defaultConfig, logger: recordingLogger(), parsers: fakeParsers, debounceMs: 5 });
    const seen: { full: boolean; indexing: boolean }[] = [];
    index.onDidChange((c) => seen.push({ full: c.full, indexing: index.indexing }));
    const started = index.start();
    assert.equal(index.indexing, true);
    await started;
    assert.equal(index.indexing, false);
    fs.write(u('n0.md'), '@b\n');
    assert.equal(index.indexing, true, 'a queued change counts as indexing');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(index.indexing, false);
    assert.deepEqual(seen, [{ full: true, indexing: false }, { full: false, indexing: false }]);
    // Two rebuilds queued back to back: indexing until the second one ends.
    const first = index.reindex();
    const second = index.reindex();
    await first;
    assert.equal(index.indexing, true);
    await second;
    assert.equal(index.indexing, false);
    index.dispose();
  });

  describe('cache', () => {
    const files = { 'refs.bib': '@article{a,\n}\n', 'n.md': '---\ncitekey: a\n---\n@a @b\n', 'c.gsn.yaml': 'G1: x @a\n' };

    function countingParsers(counter: { calls: number }): DocumentParsers {
      const count = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R => (counter.calls++, f(...a));
      return {
        ...fakeParsers,
        parseBibtex: count(fakeParsers.parseBibtex),
        scanPandocCitations: count(fakeParsers.scanPandocCitations),
        parseGsnYaml: count(fakeParsers.parseGsnYaml),
      };
    }

    it('skips parsing files whose content hash matches and answers the same', async () => {
      const cache = new MemoryCacheStore();
      const cold = await build(files, { cache });
      await cold.index.saveCache();
      assert.ok(cache.map.get(CACHE_KEY));
      const counter = { calls: 0 };
      const warm = await build(files, { cache, parsers: countingParsers(counter) });
      assert.equal(counter.calls, 0);
      assert.equal(snapshot(warm.index), snapshot(cold.index));
      cold.index.dispose();
      warm.index.dispose();
    });

    it('re-parses a file whose content changed since the cache was written', async () => {
      const cache = new MemoryCacheStore();
      const cold = await build(files, { cache });
      await cold.index.saveCache();
      cold.index.dispose();
      const counter = { calls: 0 };
      const warm = await build({ ...files, 'n.md': '@changed\n' }, { cache, parsers: countingParsers(counter) });
      assert.equal(counter.calls, 1);
      assert.equal(warm.index.citationsOf('changed').length, 1);
      warm.index.dispose();
    });

    it('re-analyses a document whose cached payload does not decode', async () => {
      const cache = new MemoryCacheStore();
      const cold = await build(files, { cache });
      await cold.index.saveCache();
      const expected = snapshot(cold.index);
      cold.index.dispose();
      // Keep the header, replace every payload with bytes that are not JSON.
      const bytes = cache.map.get(CACHE_KEY)!;
      const newline = bytes.lastIndexOf(10);
      cache.map.set(CACHE_KEY, new Uint8Array([...new Uint8Array(newline).fill(0x5b), ...bytes.subarray(newline)]));
      const logger = recordingLogger();
      const warm = await build(files, { cache, logger });
      assert.equal(snapshot(warm.index), expected);
      assert.ok(logger.lines.some((l) => /is unreadable/.test(l)));
      warm.index.dispose();
    });

    it('replaces the cached summary of a document whose payload does not decode with the fresh analysis', async () => {
      const text = '@fresh\n';
      const cache = new MemoryCacheStore();
      const fingerprint = `${CACHE_SCHEMA}|${defaultConfig.largeBibBytes}|${defaultConfig.largeDocumentBytes}`;
      const row = { hash: hashBytes(new TextEncoder().encode(text)), kind: 'markdown' as const, contributions: { definedKeys: ['stale'], citedKeys: ['ghost'] }, payload: 'not json' };
      cache.map.set(CACHE_KEY, encodeCache(new Map([[u('r.md'), row]]), fingerprint));
      const { index } = await build({ 'r.md': text }, { cache });
      const changes: string[][] = [];
      index.onDidChange((c) => changes.push(c.uris));
      assert.deepEqual(index.document(u('r.md'))!.citations.map((c) => c.key), ['fresh']);
      assert.deepEqual([...index.keys()].filter((k) => k === 'stale'), []);
      assert.deepEqual(index.citationsOf('ghost'), []);
      assert.deepEqual(index.citationsOf('fresh').map((s) => s.uri), [u('r.md')]);
      const fresh = await build({ 'r.md': text });
      assert.equal(snapshot(index), snapshot(fresh.index));
      await Promise.resolve();
      assert.deepEqual(changes, [[u('r.md')]]);
      index.dispose();
      fresh.index.dispose();
    });

    it('restores BibTeX field values from the file on first use instead of storing them', async () => {
      const counter = { calls: 0 };
      const withFields: DocumentParsers = {
        ...fakeParsers,
        parseBibtex: (text, options) => {
          counter.calls++;
          const result = fakeParsers.parseBibtex(text, options);
          for (const e of result.value) e.fields = { title: `{Fields of ${e.key}}` };
          return result;
        },
      };
      const cache = new MemoryCacheStore();
      const cold = await build({ 'refs.bib': '@article{a,\n}\n@book{b,\n}\n' }, { cache, parsers: withFields });
      await cold.index.saveCache();
      cold.index.dispose();
      assert.ok(!new TextDecoder().decode(cache.map.get(CACHE_KEY)).includes('Fields of'));
      assert.ok(new TextDecoder().decode(cache.map.get(CACHE_KEY)).includes('"definedKeys":["a","b"]'));
      counter.calls = 0;
      const warm = await build({ 'refs.bib': '@article{a,\n}\n@book{b,\n}\n' }, { cache, parsers: withFields });
      assert.equal(counter.calls, 0);
      const [a, b] = warm.index.document(u('refs.bib'))!.entries;
      assert.deepEqual(b.fields, { title: '{Fields of b}' });
      assert.deepEqual(a.fields, { title: '{Fields of a}' });
      assert.equal(counter.calls, 1);
      warm.index.dispose();
    });

    /** A blob whose header is intact (right schema, settings and checksum) around the given rows. */
    const withRows = (rows: string) =>
      new TextEncoder().encode(`[]\n{"schema":${CACHE_SCHEMA},"fingerprint":"${CACHE_SCHEMA}|67108864|8388608",` +
        `"checksum":"${hashBytes(new TextEncoder().encode(rows))}","rows":${rows}}`);
    for (const [name, bytes] of [
      ['corrupt', new TextEncoder().encode('{"schema": 3, "rows": [[')],
      ['old-version', new TextEncoder().encode('\n{"schema": 4, "fingerprint": "", "rows": []}')],
      ['wrong-shape', withRows('[["mem:///ws/n.md","h","markdown",null,{"definedKeys":1},0,2,"c"]]')],
      ['out-of-range', withRows('[["mem:///ws/n.md","h","markdown",null,{"definedKeys":[],"citedKeys":[]},0,99,"c"]]')],
      ['binary', new Uint8Array([0xff, 0x00, 0x13])],
    ] as const) {
      it(`logs and ignores a ${name} cache`, async () => {
        const cache = new MemoryCacheStore();
        cache.map.set(CACHE_KEY, bytes);
        const logger = recordingLogger();
        const { index } = await build(files, { cache, logger });
        assert.ok(logger.lines.some((l) => /Ignoring the index cache/.test(l)), logger.lines.join('\n'));
        assert.ok(index.resolve('a'));
        index.dispose();
      });
    }
  });
});
