// A rebuild under other settings analyses every file again, but a large file whose bytes are unchanged is not
// decoded again: its text from before is kept (issue #7: decoding a 30 MB bibliography ends in one 60 MB string
// copy). The answers must be those of a fresh index under the new settings, and a changed file is decoded anew.
import * as assert from 'node:assert/strict';
import { defaultParsers } from '../../src/core/index/defaultParsers';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryFs } from '../../src/core/memoryFs';
import { defaultConfig, silentLogger, type CoreConfig } from '../../src/core/workspace';
import { snapshot } from './index-helpers';

const ROOT = 'mem:///ws';
const BIB = `${ROOT}/refs.bib`;
/** Files above this size are parsed in slices (and decoded in slices when read). */
const SLICED_BYTES = 4096;

function writeWorkspace(fs: MemoryFs): void {
  const bib: string[] = [];
  for (let i = 0; i < 200; i++) bib.push(`@article{key${i},\n  title = {Title ${i} — with a dash},\n  year = {2024}\n}\n`);
  fs.write(BIB, bib.join(''));
  const review = ['---\ntitle: Review\nbibliography: refs.bib\n---\n'];
  for (let i = 0; i < 400; i++) review.push(`Claim ${i} cites [@key${i % 230}].\n\n`);
  fs.write(`${ROOT}/review.md`, review.join(''));
  fs.write(`${ROOT}/notes/a.md`, '---\ncitekey: key1\n---\nSee @key2.\n');
}

/** Counts the texts decoded in pieces (the index's sliced decoding streams a fresh TextDecoder per file). */
function countStreamedDecodes<T>(body: () => Promise<T>): Promise<{ result: T; decodes: number }> {
  const RealDecoder = globalThis.TextDecoder;
  let decodes = 0;
  globalThis.TextDecoder = class extends RealDecoder {
    private counted = false;
    override decode(...args: Parameters<InstanceType<typeof RealDecoder>['decode']>): string {
      if (args[1]?.stream && !this.counted) {
        this.counted = true;
        decodes++;
      }
      return super.decode(...args);
    }
  };
  return body()
    .then((result) => ({ result, decodes }))
    .finally(() => {
      globalThis.TextDecoder = RealDecoder;
    });
}

function indexOf(fs: MemoryFs, config: CoreConfig): WorkspaceIndex {
  return new WorkspaceIndex({ fs, config, logger: silentLogger, parsers: defaultParsers, debounceMs: 1, slicedParseBytes: SLICED_BYTES });
}

describe('index: rebuild under other settings keeps the text of unchanged large files', () => {
  const other: CoreConfig = { ...defaultConfig, largeDocumentBytes: 1024 };

  it('decodes no unchanged large file again, and answers as a fresh index under the new settings', async () => {
    const fs = new MemoryFs([ROOT]);
    writeWorkspace(fs);
    const index = indexOf(fs, defaultConfig);
    const first = await countStreamedDecodes(() => index.start());
    assert.equal(first.decodes, 2, 'the first build decodes the two large files in pieces');
    const rebuild = await countStreamedDecodes(async () => {
      index.updateConfig(other);
      await index.ready();
    });
    assert.equal(rebuild.decodes, 0);
    const fresh = indexOf(fs, other);
    await fresh.start();
    assert.equal(snapshot(index), snapshot(fresh));
    assert.equal(index.document(`${ROOT}/review.md`)?.reduced, 'no-links', 'the review was analysed under the new size limit');
    index.dispose();
    fresh.dispose();
  });

  it('keeps the citing map it was asked for up to date through a rebuild', async () => {
    const fs = new MemoryFs([ROOT]);
    writeWorkspace(fs);
    const index = indexOf(fs, defaultConfig);
    await index.start();
    assert.equal(index.citationsOf('key7').length, 2);
    fs.write(`${ROOT}/review.md`, '---\nbibliography: refs.bib\n---\nOnly [@key8] now.\n');
    index.updateConfig(other);
    await index.ready();
    const fresh = indexOf(fs, other);
    await fresh.start();
    for (const key of ['key7', 'key8', 'key2']) assert.deepEqual(index.citationsOf(key), fresh.citationsOf(key), key);
    assert.deepEqual(index.citationsOf('key7'), []);
    index.dispose();
    fresh.dispose();
  });

  it('decodes a large file that changed since, and only that one', async () => {
    const fs = new MemoryFs([ROOT]);
    writeWorkspace(fs);
    const index = indexOf(fs, defaultConfig);
    await index.start();
    fs.write(BIB, '@article{added,\n  title = {New}\n}\n' + 'x'.repeat(SLICED_BYTES));
    const rebuild = await countStreamedDecodes(async () => {
      index.updateConfig(other);
      await index.ready();
    });
    assert.equal(rebuild.decodes, 1);
    const fresh = indexOf(fs, other);
    await fresh.start();
    assert.equal(snapshot(index), snapshot(fresh));
    assert.deepEqual(index.document(BIB)?.entries.map((e) => e.key), ['added']);
    index.dispose();
    fresh.dispose();
  });
});
