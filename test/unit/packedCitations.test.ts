// Citations packed as numbers must come back exactly as the objects they were packed from: through the
// in-memory form, through the cache's row form, and across the shared number slabs.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Citation } from '../../src/core/model';
import { scanLatexCitations } from '../../src/core/parsers/latex';
import { PackedCitations } from '../../src/core/parsers/packedCitations';
import { scanPandocCitations } from '../../src/core/parsers/pandoc';

/** Citations packed the way the cache stores and restores them. */
const pack = (citations: readonly Citation[]) => PackedCitations.fromRow(JSON.parse(JSON.stringify(PackedCitations.rowOf(citations))));

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
const read = (dir: string, ext: string) =>
  readdirSync(path.join(FIXTURES, dir)).filter((name) => name.endsWith(ext)).sort().map((name) => readFileSync(path.join(FIXTURES, dir, name), 'utf8'));

describe('packed citations', () => {
  const markdown = read('pandoc-oracle', '.md');
  const latex = read('latex', '.tex');

  it('unpack what they were packed from, LaTeX commands, prefixes, locators, suffixes and modes included', () => {
    const scans = [...markdown.map((t) => scanPandocCitations(t).value.citations), ...latex.map((t) => scanLatexCitations(t).value.citations)];
    const all = scans.flat();
    assert.ok(all.some((c) => c.command) && all.some((c) => c.prefix) && all.some((c) => c.locator) && all.some((c) => c.suffix));
    assert.deepEqual(new Set(all.map((c) => c.mode)), new Set(['normal', 'suppress-author', 'in-text', 'nocite']));
    for (const citations of scans) assert.deepStrictEqual(pack(citations).unpack(), citations);
  });

  it('go through the cache row form unchanged', () => {
    for (const text of markdown) {
      const packed = pack(scanPandocCitations(text).value.citations);
      const row = JSON.parse(JSON.stringify(packed.toRow()));
      assert.deepStrictEqual(PackedCitations.fromRow(row).unpack(), packed.unpack());
    }
  });

  it('keep their own numbers when thousands of documents fill several shared slabs', () => {
    const citations = scanPandocCitations(markdown.join('\n\n')).value.citations.slice(0, 200);
    const packs = Array.from({ length: 600 }, (_, i) => pack(citations.slice(i % 50)));
    packs.forEach((packed, i) => assert.deepStrictEqual(packed.unpack(), citations.slice(i % 50)));
  });

  it('unpack in ranges exactly what they unpack in one go, extras included', () => {
    const citations = scanPandocCitations(markdown.join('\n\n')).value.citations;
    const packed = pack(citations);
    for (const step of [1, 7, 64, citations.length]) {
      const out = new Array(packed.length);
      for (let from = 0; from < packed.length; from += step) packed.unpack(from, Math.min(packed.length, from + step), out);
      assert.deepStrictEqual(out, citations);
    }
  });

  it('refuse a row whose numbers do not match its keys, or whose extras are out of order', () => {
    assert.throws(() => PackedCitations.fromRow([['a'], [1, 2, 3], []]), /malformed/);
    const row = pack(scanPandocCitations('[@a, p. 1; @b, p. 2]').value.citations).toRow();
    assert.equal(row[2].length, 2);
    assert.throws(() => PackedCitations.fromRow([row[0], row[1], [row[2][1], row[2][0]]]), /malformed/);
  });
});
