// `diagnosticsSoon` (issue #7): a review's diagnostics checked in time slices must be exactly what the one-call
// `diagnostics` answers, share its memo, and never answer for an index state an update has since replaced.
import * as assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryFs } from '../../src/core/memoryFs';
import { defaultConfig, silentLogger } from '../../src/core/workspace';
import { fakeParsers } from './index-helpers';

const ROOT = 'mem:///ws';
const REVIEW = `${ROOT}/review.md`;
const OTHER_BIB = `${ROOT}/other.bib`;
const BIB = `${ROOT}/refs.bib`;

/**
 * Defined keys k0-k99 (k5 in two bibliographies), a review with `bibliography: refs.bib` citing k0-k119 many
 * times (k100-k119 unknown; others.bib's own keys are outside its bibliography), and a note without an entry.
 */
function writeWorkspace(fs: MemoryFs, citations: number): string {
  const bib: string[] = [];
  for (let i = 0; i < 100; i++) bib.push(`@article{k${i},\n  title = {T${i}}\n}\n`);
  fs.write(BIB, bib.join(''));
  fs.write(OTHER_BIB, '@article{k5,\n}\n@article{elsewhere,\n}\n');
  const review = ['---\ntitle: Review\nbibliography: refs.bib\n---\n'];
  for (let i = 0; i < citations; i++) review.push(`Claim ${i} [@k${i % 120}] and @elsewhere.\n`);
  fs.write(REVIEW, review.join(''));
  fs.write(`${ROOT}/notes/n.md`, '---\ncitekey: nobody\n---\nSee @k1.\n');
  return bib.join('');
}

async function indexOf(fs: MemoryFs): Promise<WorkspaceIndex> {
  const index = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, parsers: fakeParsers, debounceMs: 1 });
  await index.start();
  return index;
}

/** Makes every time slice look used up at once, so a sliced computation pauses at every step it offers. */
function withSlicesAlwaysOver<T>(body: () => Promise<T>): Promise<T> {
  const realNow = performance.now;
  let skew = 0;
  performance.now = () => realNow.call(performance) + (skew += 1_000);
  return body().finally(() => {
    performance.now = realNow;
  });
}

describe('index: diagnostics in time slices', () => {
  it('answers exactly what diagnostics answers, for every document and every kind of finding', async () => {
    const fs = new MemoryFs([ROOT]);
    writeWorkspace(fs, 3_000);
    const sliced = await indexOf(fs);
    const whole = await indexOf(fs);
    await withSlicesAlwaysOver(async () => {
      for (const doc of [...whole.documents()]) assert.deepEqual(await sliced.diagnosticsSoon(doc.uri), whole.diagnostics(doc.uri), doc.uri);
    });
    const codes = new Set([...whole.documents()].flatMap((d) => whole.diagnostics(d.uri).map((x) => x.code)));
    assert.deepEqual([...codes].sort(), ['duplicate-key', 'not-in-document-bibliography', 'note-without-entry', 'unresolved-citation']);
    sliced.dispose();
    whole.dispose();
  });

  it('shares the memo with diagnostics, both ways', async () => {
    const fs = new MemoryFs([ROOT]);
    writeWorkspace(fs, 1_000);
    const index = await indexOf(fs);
    const soon = await index.diagnosticsSoon(REVIEW);
    assert.equal(index.diagnostics(REVIEW), soon);
    const other = index.diagnostics(OTHER_BIB);
    assert.equal(await index.diagnosticsSoon(OTHER_BIB), other);
    assert.deepEqual(await index.diagnosticsSoon(`${ROOT}/absent.md`), []);
    index.dispose();
  });

  it('starts over when an update lands while it runs, and answers for the new state', async () => {
    const fs = new MemoryFs([ROOT]);
    const bib = writeWorkspace(fs, 20_000);
    const index = await indexOf(fs);
    const before = index.diagnostics(REVIEW).length;
    await withSlicesAlwaysOver(async () => {
      // Invalidate the memo, then start the sliced check; the new keys land while it pauses between steps.
      index.setOverlay(BIB, bib + '@article{k100,\n}\n@article{k101,\n}\n');
      await index.ready();
      const running = index.diagnosticsSoon(REVIEW);
      index.setOverlay(BIB, bib + '@article{k100,\n}\n');
      await index.ready();
      const answer = await running;
      assert.deepEqual(answer, index.diagnostics(REVIEW));
      // k100 now resolves, k101 does not: 20,000 citations of 120 keys cite each about 167 times.
      const unresolvedKeys = new Set(answer.filter((d) => d.code === 'unresolved-citation').map((d) => d.message));
      assert.equal(unresolvedKeys.size, 19);
      assert.ok(answer.length < before);
    });
    index.dispose();
  });
});
