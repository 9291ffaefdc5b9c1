// NodeFs, the CLI's and benchmark's file system: `readWithStat` reads a file and its stat through one open, and
// must agree with a separate stat and read on everything the index decides by (absent, not a file, too big).
// Then what the index keeps of what it read, on both read paths.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { NodeFs } from '../../src/cli/nodeFs';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryFs } from '../../src/core/memoryFs';
import { fileUriFromPath } from '../../src/core/uri';
import { defaultConfig, silentLogger, type WorkspaceFs } from '../../src/core/workspace';
import { fakeParsers } from './index-helpers';

describe('NodeFs.readWithStat', () => {
  let dir: string;
  let fs: NodeFs;
  const uri = (name: string) => fileUriFromPath(path.join(dir, name));

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'interp-review-nodefs-'));
    fs = new NodeFs([dir]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the bytes with the same stat a separate stat reports', async () => {
    const text = 'Cites @alpha, ü and 🙂.\n'.repeat(300);
    writeFileSync(path.join(dir, 'note.md'), text);
    const file = await fs.readWithStat(uri('note.md'), 1 << 20);
    assert.ok(file?.bytes);
    assert.equal(new TextDecoder().decode(file.bytes), text);
    assert.deepEqual(file.stat, await fs.stat(uri('note.md')));
    assert.equal(file.stat.size, statSync(path.join(dir, 'note.md')).size);
  });

  it('reads an empty file as no bytes rather than none at all', async () => {
    writeFileSync(path.join(dir, 'empty.md'), '');
    const file = await fs.readWithStat(uri('empty.md'), 10);
    assert.equal(file?.bytes?.length, 0);
  });

  it('leaves out the bytes of a file over the limit but still reports its size', async () => {
    writeFileSync(path.join(dir, 'big.bib'), 'x'.repeat(101));
    const file = await fs.readWithStat(uri('big.bib'), 100);
    assert.equal(file?.stat.size, 101);
    assert.equal(file?.bytes, undefined);
  });

  it('answers undefined for a missing file, a path through a file, and a folder', async () => {
    writeFileSync(path.join(dir, 'plain.md'), 'x');
    mkdirSync(path.join(dir, 'folder.md'));
    assert.equal(await fs.readWithStat(uri('missing.md'), 100), undefined);
    assert.equal(await fs.readWithStat(uri('plain.md/inner.md'), 100), undefined);
    assert.equal(await fs.readWithStat(uri('folder.md'), 100), undefined);
  });

  it('does not wait for a writer when the path is a FIFO', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.md')]);
    assert.equal(await fs.readWithStat(uri('pipe.md'), 100), undefined);
  });

  it('lets the index skip a file over maxFileBytes without reading it, as with a separate stat', async () => {
    writeFileSync(path.join(dir, 'small.md'), 'Cites @alpha.\n');
    writeFileSync(path.join(dir, 'huge.md'), `Cites @omega.\n${'x'.repeat(2000)}`);
    const lines: string[] = [];
    const index = new WorkspaceIndex({
      fs,
      config: { ...defaultConfig, maxFileBytes: 1000 },
      logger: { ...silentLogger, info: (m) => lines.push(m) },
      parsers: fakeParsers,
      debounceMs: 5,
    });
    await index.start();
    assert.deepEqual(index.unresolved().map((site) => site.citation.key), ['alpha']);
    assert.ok(lines.some((l) => /Skipping .*huge\.md: 2014 bytes is over the 1000-byte limit/.test(l)), lines.join('\n'));
    index.dispose();
  });
});

describe('what an indexed document keeps', () => {
  // Read bytes must be collectable once the document exists: a closure per document once kept them alive.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const note = (i: number) => `---\ncitekey: k${i}\n---\nCites @alpha${i} here.\n`;

  async function survivingReads(fs: WorkspaceFs, uris: string[], reads: Map<string, WeakRef<Uint8Array>>): Promise<number> {
    const index = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, parsers: fakeParsers, debounceMs: 5 });
    await index.start();
    assert.equal(reads.size, uris.length, 'every file was read');
    assert.equal(index.document(uris[3])?.lineMap.lineText(3), 'Cites @alpha3 here.', 'the text is still there');
    // The build's last promise reactions hold their locals until the next turn.
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
    const surviving = [...reads.values()].filter((ref) => ref.deref() !== undefined).length;
    index.dispose();
    return surviving;
  }

  it('keeps the text, not the bytes, of a file read with its stat (NodeFs)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'interp-review-keeps-'));
    try {
      const reads = new Map<string, WeakRef<Uint8Array>>();
      class TrackingFs extends NodeFs {
        override async readWithStat(uri: string, maxBytes: number) {
          const file = await super.readWithStat(uri, maxBytes);
          if (file?.bytes) reads.set(uri, new WeakRef(file.bytes));
          return file;
        }
      }
      for (let i = 0; i < 20; i++) writeFileSync(path.join(dir, `note${i}.md`), note(i));
      const uris = Array.from({ length: 20 }, (_, i) => fileUriFromPath(path.join(dir, `note${i}.md`)));
      assert.equal(await survivingReads(new TrackingFs([dir]), uris, reads), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the text, not the bytes, of a file stat\'ed then read (the VS Code path)', async () => {
    const reads = new Map<string, WeakRef<Uint8Array>>();
    class TrackingFs extends MemoryFs {
      override async read(uri: string): Promise<Uint8Array> {
        // A copy: MemoryFs hands out the very bytes it stores.
        const bytes = (await super.read(uri)).slice();
        reads.set(uri, new WeakRef(bytes));
        return bytes;
      }
    }
    const fs = new TrackingFs(['mem:///ws']);
    for (let i = 0; i < 20; i++) fs.write(`mem:///ws/note${i}.md`, note(i));
    const uris = Array.from({ length: 20 }, (_, i) => `mem:///ws/note${i}.md`);
    assert.equal(await survivingReads(fs, uris, reads), 0);
  });
});
