// NodeFs, the CLI's and benchmark's file system: `readWithStat` reads a file and its stat through one open, and
// must agree with a separate stat and read on everything the index decides by (absent, not a file, too big).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFs } from '../../src/cli/nodeFs';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { fileUriFromPath } from '../../src/core/uri';
import { defaultConfig, silentLogger } from '../../src/core/workspace';
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
