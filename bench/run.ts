// `npm run bench [-- --json]`: times the core on the synthetic workspace (bench/generate.ts) against the
// targets, and against the libraries other tools use. Our own measurements run first so the peak-RSS row is
// ours alone; the comparison libraries load afterwards. Always exits 0; missed targets print MISSED.
import { readFileSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { NodeFs } from '../src/cli/nodeFs';
import { fnv1a64, hashBytes } from '../src/core/hash';
import { defaultParsers } from '../src/core/index/defaultParsers';
import { WorkspaceIndex } from '../src/core/index/workspaceIndex';
import { fileUriFromPath, pathFromFileUri } from '../src/core/uri';
import { defaultConfig, silentLogger, type CacheStore } from '../src/core/workspace';
import { ensureWorkspace, ENTRY_COUNT, NOTE_COUNT } from './generate';

interface Row {
  name: string;
  value: number;
  unit: 'ms' | 'MB' | '×' | 'MB/s';
  /** Human-readable target; rows without one are informational. */
  target?: string;
  pass?: boolean;
  detail?: string;
}

const json = process.argv.includes('--json');
const rows: Row[] = [];
const log = (m: string) => {
  if (!json) process.stderr.write(m + '\n');
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(runs: number, f: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux: fall back to the current RSS.
  }
  return process.memoryUsage().rss / 1024 / 1024;
}

class MemoryCache implements CacheStore {
  private readonly data = new Map<string, Uint8Array>();
  async get(key: string) {
    return this.data.get(key);
  }
  async set(key: string, value: Uint8Array) {
    this.data.set(key, value);
  }
}

function newIndex(root: string, cache?: CacheStore, debounceMs = 50): WorkspaceIndex {
  return new WorkspaceIndex({ fs: new NodeFs([root]), config: defaultConfig, logger: silentLogger, parsers: defaultParsers, cache, debounceMs });
}

async function main(): Promise<void> {
  const benchDir = path.resolve(__dirname, '../bench');
  const ws = ensureWorkspace(benchDir, log);
  const bibBytes = await fsp.readFile(ws.bibFile);
  const bibText = bibBytes.toString('utf8');
  const reviewText = readFileSync(ws.reviewFile, 'utf8');
  log(`Workspace: ${NOTE_COUNT} notes, ${ENTRY_COUNT} entries (${(bibBytes.length / 1e6).toFixed(1)} MB bib), ${(reviewText.length / 1e6).toFixed(1)} MB review`);

  // Hashing: what the cache check costs per byte.
  const ourHash = await time(5, () => hashBytes(bibBytes));
  const fnvHash = await time(3, () => fnv1a64(bibBytes));
  rows.push({ name: 'hash 30 MB: ours (2×32-bit lanes)', value: ourHash, unit: 'ms', detail: `${(bibBytes.length / 1e6 / (ourHash / 1000)).toFixed(0)} MB/s` });
  rows.push({ name: 'hash 30 MB: FNV-1a 64 (baseline)', value: fnvHash, unit: 'ms', detail: `${(bibBytes.length / 1e6 / (fnvHash / 1000)).toFixed(0)} MB/s` });

  log('Bibliography parse…');
  const bibParse = await time(5, () => defaultParsers.parseBibtex(bibText, {}));
  rows.push({ name: 'bib parse 30 MB (ours)', value: bibParse, unit: 'ms', target: '≤ 300 ms', pass: bibParse <= 300 });
  const bibKeysOnly = await time(3, () => defaultParsers.parseBibtex(bibText, { keysOnly: true }));
  rows.push({ name: 'bib parse 30 MB keys-only (ours)', value: bibKeysOnly, unit: 'ms' });

  log('Review scan…');
  const reviewScan = await time(5, () => defaultParsers.scanPandocCitations(reviewText));
  rows.push({ name: 'scan 5 MB review (Pandoc citations)', value: reviewScan, unit: 'ms', target: '≤ 300 ms', pass: reviewScan <= 300 });

  log('Cold index of the notes…');
  const coldNotes = await time(3, async () => {
    const index = newIndex(ws.notesDir);
    await index.start();
    index.dispose();
  });
  rows.push({ name: `cold index ${NOTE_COUNT} notes (read + parse)`, value: coldNotes, unit: 'ms', target: '≤ 1000 ms', pass: coldNotes <= 1000 });

  log('Full workspace: cold, cache, warm…');
  const cache = new MemoryCache();
  let full = newIndex(ws.root, cache, 0);
  const coldFull = await time(1, () => full.start());
  rows.push({ name: 'cold index whole workspace', value: coldFull, unit: 'ms' });
  const save = await time(1, () => full.saveCache());
  rows.push({ name: 'cache save (serialize)', value: save, unit: 'ms' });
  full.dispose();
  const warmSamples: number[] = [];
  for (let i = 0; i < 3; i++) {
    full.dispose();
    full = newIndex(ws.root, cache, 0);
    const t = performance.now();
    await full.start();
    warmSamples.push(performance.now() - t);
  }
  const warm = median(warmSamples);
  rows.push({ name: 'warm start whole workspace (cache)', value: warm, unit: 'ms', target: '≤ 250 ms', pass: warm <= 250 });

  log('Incremental update…');
  const noteUri = [...full.documents()].find((d) => d.note?.citekey === ws.keys[0])!.uri;
  const original = readFileSync(pathFromFileUri(noteUri), 'utf8');
  const incrementalSamples: number[] = [];
  for (let i = 0; i < 11; i++) {
    const changed = new Promise<void>((resolve) => {
      const sub = full.onDidChange(() => {
        sub.dispose();
        resolve();
      });
    });
    const t = performance.now();
    full.setOverlay(noteUri, original.replace('# Notes', `# Notes (edit ${i}) [@${ws.keys[i + 1]}]`));
    await changed;
    full.diagnostics(noteUri);
    incrementalSamples.push(performance.now() - t);
  }
  const incremental = median(incrementalSamples);
  rows.push({ name: 'incremental update of one note (+ its diagnostics)', value: incremental, unit: 'ms', target: '≤ 5 ms', pass: incremental <= 5 });

  log('Resolving every key…');
  const keys = [...full.keys()];
  const resolveAll = await time(3, () => {
    for (const key of keys) full.resolve(key, fileUriFromPath(ws.reviewFile));
  });
  rows.push({ name: `resolve every key (${keys.length})`, value: resolveAll, unit: 'ms' });
  const allDiagnostics = await time(1, () => full.allDiagnostics());
  rows.push({ name: 'all diagnostics, whole workspace', value: allDiagnostics, unit: 'ms' });
  full.dispose();

  const rss = peakRssMb();
  rows.push({ name: 'peak RSS (ours, before comparison libraries)', value: rss, unit: 'MB', target: '≤ 400 MB', pass: rss <= 400 });

  log('Comparison: remark (Foam’s approach) over the notes…');
  const { unified } = await import('unified');
  const remarkParse = (await import('remark-parse')).default;
  const remarkFrontmatter = (await import('remark-frontmatter')).default;
  const files = await new NodeFs([ws.notesDir]).list(['**/*.md'], []);
  const remark = await time(2, async () => {
    const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);
    const fs = new NodeFs([ws.notesDir]);
    for (const uri of files) processor.parse(new TextDecoder().decode(await fs.read(uri)));
  });
  rows.push({ name: 'remark-parse + remark-frontmatter over the notes', value: remark, unit: 'ms' });
  const notesSpeedup = remark / coldNotes;
  rows.push({ name: 'notes: speed-up over remark', value: notesSpeedup, unit: '×', target: '≥ 8×', pass: notesSpeedup >= 8 });

  log('Comparison: latex-utensils…');
  const { bibtexParser } = await import('latex-utensils');
  const utensils = await time(1, () => bibtexParser.parse(bibText));
  rows.push({ name: 'latex-utensils bibtexParser.parse 30 MB', value: utensils, unit: 'ms' });
  const bibSpeedup = utensils / bibParse;
  rows.push({ name: 'bib: speed-up over latex-utensils', value: bibSpeedup, unit: '×', target: '≥ 15×', pass: bibSpeedup >= 15 });

  log('Comparison: citation-js…');
  const { Cite } = await import('@citation-js/core');
  await import('@citation-js/plugin-bibtex');
  const citationJs = await time(1, () => new Cite(bibText));
  rows.push({ name: '@citation-js (plugin-bibtex) 30 MB', value: citationJs, unit: 'ms', detail: `${(citationJs / bibParse).toFixed(0)}× slower than ours` });

  report();
}

function report(): void {
  if (json) {
    process.stdout.write(JSON.stringify({ rows, missed: rows.filter((r) => r.pass === false).map((r) => r.name) }, null, 2) + '\n');
    return;
  }
  const fmt = (r: Row) => (r.unit === '×' ? `${r.value.toFixed(1)}×` : `${r.value.toFixed(r.value < 10 ? 2 : 0)} ${r.unit}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  const lines = rows.map((r) => {
    const verdict = r.pass === undefined ? '' : r.pass ? 'pass' : 'MISSED';
    return `${r.name.padEnd(width)}  ${fmt(r).padStart(10)}  ${(r.target ?? '').padEnd(10)}  ${verdict}${r.detail ? `  (${r.detail})` : ''}`;
  });
  process.stdout.write(lines.join('\n') + '\n');
  const missed = rows.filter((r) => r.pass === false);
  process.stdout.write(missed.length ? `\nMISSED ${missed.length} target(s): ${missed.map((r) => r.name).join('; ')}\n` : '\nAll targets met.\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
});
