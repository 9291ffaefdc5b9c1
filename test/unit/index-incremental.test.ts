// Incremental updates must leave the index exactly as a fresh build over the same files would: 1,000 seeded
// random operations (create, edit, rename, delete, overlay) on every kind of file, broken content included,
// compared after each batch through a canonical serialization of all answers.
import * as assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryFs } from '../../src/core/memoryFs';
import { defaultConfig, silentLogger, type CacheStore } from '../../src/core/workspace';
import { defaultParsers as testParsers } from '../../src/core/index/defaultParsers';
import { snapshot } from './index-helpers';
import { seededRandom } from '../seededRandom';

const ROOT = 'mem:///ws';
const PATHS = [
  'review.md', 'notes/a.md', 'notes/b.md', 'notes/c.qmd', 'drafts/d.md', 'node_modules/x/e.md', 'paper.tex',
  'refs.bib', 'sub/more.bib', 'refs.json', 'package.json', 'refs.yaml', 'ci.yml', 'case.gsn.yaml', 'other.gsn.yaml', 'argument.gsn.md',
].map((p) => `${ROOT}/${p}`);
const KEYS = ['olah2020', 'elhage2021', 'nanda2023', 'conmy2023', 'bricken2023', 'templeton2024', 'x', 'olah2020b'];

function content(path: string, random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const keys = (n: number) => Array.from({ length: n }, () => pick(KEYS));
  const broken = random() < 0.15;
  if (/\.(md|qmd)$/.test(path)) {
    const fm: string[] = [];
    if (random() < 0.5) fm.push(`citekey: ${pick(KEYS)}`);
    if (random() < 0.4) fm.push(`tags: [${keys(2).join(', ')}]`);
    if (random() < 0.3) fm.push(`methods: [${pick(['sae', 'patching'])}]`);
    if (random() < 0.3) fm.push(`bibliography: ${pick(['refs.bib', '../refs.bib', 'sub/more.bib', 'missing.bib'])}`);
    if (random() < 0.2) fm.push(`references:\n  - id: ${pick(KEYS)}\n    type: article\n    title: Inline`);
    if (path.endsWith('.gsn.md') || random() < 0.1) fm.push('safety-case: argument');
    if (broken) fm.push(pick(['bad: [unclosed', 'citekey: a\ncitekey: b', ': :']));
    const head = fm.length ? (broken && random() < 0.3 ? `---js\n${fm.join('\n')}\n---\n` : `---\n${fm.join('\n')}\n---\n`) : '';
    const elements = path.endsWith('.gsn.md') || random() < 0.1
      ? `\n- G${Math.floor(random() * 3)}: The model is safe [@${pick(KEYS)}]\n  supported by: Sn1\n- Sn1: Evidence\n  cites: ${pick(KEYS)}\n`
      : '';
    return `${head}# Title\n\nText citing [@${pick(KEYS)}; @${pick(KEYS)}] and @${pick(KEYS)}.\n${elements}`;
  }
  if (path.endsWith('.tex')) return keys(3).map((k) => `\\cite{${k}}`).join(' ');
  if (path.endsWith('.bib')) return keys(3).map((k) => `@article{${k},\n  title={T}\n}\n`).join('') + (broken ? '@@broken{' : '');
  if (path.endsWith('package.json')) return '{"name": "p", "version": "1.0.0"}';
  if (path.endsWith('.json')) return broken ? '[{"id": "x", "type": ' : JSON.stringify(keys(2).map((k) => ({ id: k, type: 'article', title: 'T' })));
  if (path.endsWith('.gsn.yaml')) {
    const g = Math.floor(random() * 3);
    return `G${g}:\n  text: Goal citing [@${pick(KEYS)}]\n  supportedBy: [Sn${g}]\nSn${g}:\n  text: Evidence\n  cites: [${pick(KEYS)}]\n` +
      (random() < 0.3 ? `module:\n  name: m${g}\n` : '') + (broken ? 'G9: [\n' : '');
  }
  if (path.endsWith('refs.yaml')) return `references:\n${keys(2).map((k) => `- id: ${k}\n  type: book`).join('\n')}\n`;
  return 'on: push\n';
}

describe('WorkspaceIndex incremental updates', function () {
  this.timeout(120_000);

  // The second run sends every file down the sliced path (parse in time slices, yielding between them) while the
  // fresh builds it is compared with parse in one call.
  for (const [label, slicedParseBytes] of [['', undefined], [' (every file parsed in slices)', 0]] as const) it(`equals a fresh build after every batch of 1,000 random operations${label}`, async () => {
    const random = seededRandom(20240611);
    const fs = new MemoryFs([ROOT]);
    const overlays = new Map<string, string>();
    const config = { ...defaultConfig, exclude: [...defaultConfig.exclude, 'drafts/**'] };
    const cacheData = new Map<string, Uint8Array>();
    const cache: CacheStore = { get: async (k) => cacheData.get(k), set: async (k, v) => void cacheData.set(k, v) };
    const index = new WorkspaceIndex({ fs, config, logger: silentLogger, parsers: testParsers, debounceMs: 1, cache, slicedParseBytes });
    for (const path of PATHS.slice(0, 6)) fs.write(path, content(path, random));
    await index.start();

    const codesSeen = new Set<string>();
    let operations = 0;
    let batches = 0;
    while (operations < 1000) {
      const batchSize = 1 + Math.floor(random() * 6);
      for (let i = 0; i < batchSize && operations < 1000; i++, operations++) {
        const path = PATHS[Math.floor(random() * PATHS.length)];
        const roll = random();
        if (roll < 0.4) fs.write(path, content(path, random));
        else if (roll < 0.55) fs.delete(path);
        else if (roll < 0.7) {
          const to = PATHS[Math.floor(random() * PATHS.length)];
          if (to !== path && !overlays.has(to)) fs.rename(path, to);
        } else if (roll < 0.85) {
          const text = content(path, random);
          overlays.set(path, text);
          index.setOverlay(path, text);
        } else {
          overlays.delete(path);
          index.setOverlay(path, undefined);
        }
      }
      await index.ready();
      batches++;
      const fresh = new WorkspaceIndex({ fs, config, logger: silentLogger, parsers: testParsers });
      for (const [uri, text] of overlays) fresh.setOverlay(uri, text);
      await fresh.start();
      await fresh.ready();
      const actual = snapshot(index);
      const expected = snapshot(fresh);
      if (actual !== expected) {
        let at = 0;
        while (actual[at] === expected[at]) at++;
        assert.fail(`after ${operations} operations (batch ${batches}) the index differs from a fresh build:\n` +
          `incremental: …${actual.slice(Math.max(0, at - 200), at + 200)}\nfresh:       …${expected.slice(Math.max(0, at - 200), at + 200)}`);
      }
      fresh.dispose();
      // Every so often a warm start from the parse cache must agree as well.
      if (batches % 20 === 0) {
        await index.saveCache();
        const warm = new WorkspaceIndex({ fs, config, logger: silentLogger, parsers: testParsers, cache });
        for (const [uri, text] of overlays) warm.setOverlay(uri, text);
        await warm.start();
        await warm.ready();
        assert.equal(snapshot(warm), expected, `warm start after ${operations} operations`);
        warm.dispose();
      }
      for (const list of index.allDiagnostics().values()) for (const d of list) codesSeen.add(d.code.startsWith('gsn-') ? 'gsn-*' : d.code);
    }
    // The operations must have exercised every cross-file rule, or the comparison proves little.
    for (const code of ['unresolved-citation', 'duplicate-key', 'not-in-document-bibliography', 'note-without-entry', 'bibliography-not-found', 'gsn-*', 'frontmatter-yaml', 'frontmatter-language']) {
      assert.ok(codesSeen.has(code), `no ${code} diagnostic was ever produced; seen: ${[...codesSeen].join(', ')}`);
    }
    assert.ok(batches > 100);
    assert.ok([...index.documents()].length > 3);
    index.dispose();
  });
});
