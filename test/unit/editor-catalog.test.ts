// The paper catalog behind completion and the insert-citation picker: built in time slices without blocking,
// with the same answers as the synchronous build, and never kept when the index changed while it was built.
import * as assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryFs } from '../../src/core/memoryFs';
import { defaultConfig, silentLogger } from '../../src/core/workspace';
import { PaperCatalog } from '../../src/vscode/paperCatalog';
import { fakeParsers } from './index-helpers';

const ROOT = 'mem:///ws';
/** Enough keys that building the catalog takes several 5 ms slices. */
const ENTRY_COUNT = 5_000;

function bibliography(keys: readonly string[]): string {
  return keys.map((key) => `@article{${key},\n title={A paper}}\n`).join('');
}

async function workspace(keys: readonly string[]) {
  const fs = new MemoryFs([ROOT]);
  fs.write(`${ROOT}/refs.bib`, bibliography(keys));
  const index = new WorkspaceIndex({ fs, config: { ...defaultConfig, corpusEnabled: false }, logger: silentLogger, parsers: fakeParsers, debounceMs: 5 });
  await index.start();
  return { fs, index, catalog: new PaperCatalog(index) };
}

const keysOf = (papers: readonly { key: string }[]) => papers.map((p) => p.key);

describe('paper catalog', function () {
  this.timeout(30_000);
  it('builds in slices the same catalog and search answers as the synchronous build', async () => {
    const keys = Array.from({ length: ENTRY_COUNT }, (_, i) => `nanda${2000 + (i % 25)}w${i}`);
    const { index, catalog } = await workspace(keys);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const sliced = await catalog.prepare();
    clearInterval(timer);
    assert.ok(ticks > 0, 'the event loop never ran while the catalog was built');
    const fresh = new PaperCatalog(index);
    assert.deepEqual(keysOf(sliced), keysOf(fresh.papers()));
    assert.equal(catalog.papers(), sliced, 'the sliced build is kept');
    assert.deepEqual(keysOf((await catalog.searchSoon('nanda 2003', 5)).map((s) => s.paper)), keysOf(fresh.search('nanda 2003', 5).map((s) => s.paper)));
    catalog.dispose();
    fresh.dispose();
    index.dispose();
  });

  it('answers a build that an index change overtook, but builds again for the next caller', async () => {
    const { fs, index, catalog } = await workspace(Array.from({ length: ENTRY_COUNT }, (_, i) => `olah${i}`));
    const overtaken = catalog.prepare();
    fs.write(`${ROOT}/more.bib`, bibliography(['elhage2021toy']));
    await index.ready();
    assert.ok(!keysOf(await overtaken).includes('elhage2021toy'), 'the build began before the change');
    const next = await catalog.prepare();
    assert.notEqual(next, await overtaken);
    assert.ok(keysOf(next).includes('elhage2021toy'));
    catalog.dispose();
    index.dispose();
  });
});
