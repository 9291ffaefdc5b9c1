// `npm run bench [-- --json]`: times the core on the synthetic workspace (bench/generate.ts) against the
// targets, and against the libraries other tools use. Our own measurements run first so the peak-RSS row is
// ours alone; the comparison libraries load afterwards. Always exits 0; missed targets print MISSED.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFs } from '../src/cli/nodeFs';
import { fnv1a64, hashBytes } from '../src/core/hash';
import { defaultParsers } from '../src/core/index/defaultParsers';
import { KeySuggester } from '../src/core/index/suggest';
import { WorkspaceIndex } from '../src/core/index/workspaceIndex';
import { MemoryCacheStore } from '../src/core/memoryFs';
import { fileUriFromPath, pathFromFileUri } from '../src/core/uri';
import { defaultConfig, silentLogger, type CacheStore } from '../src/core/workspace';
import { ensureWorkspace, ENTRY_COUNT, NOTE_COUNT } from './generate';
import { completionLatencies, hoverLatencies, p95 } from './providers';

interface Row {
  name: string;
  value: number;
  /** CPU time of the process over the same runs (median), which the machine's load disturbs less. */
  cpu?: number;
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

let lastCpu = 0;

/** Median wall time of `runs` runs; the median CPU time is left in `lastCpu`. */
async function time(runs: number, f: () => unknown): Promise<number> {
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await f();
    samples.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  lastCpu = median(cpu);
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
  const bibParseCpu = lastCpu;
  rows.push({ name: 'bib parse 30 MB (ours)', cpu: lastCpu, value: bibParse, unit: 'ms', target: '≤ 300 ms', pass: bibParse <= 300 });
  const bibKeysOnly = await time(3, () => defaultParsers.parseBibtex(bibText, { keysOnly: true }));
  rows.push({ name: 'bib parse 30 MB keys-only (ours)', value: bibKeysOnly, unit: 'ms' });

  log('Review scan…');
  const reviewScan = await time(5, () => defaultParsers.scanPandocCitations(reviewText));
  rows.push({ name: 'scan 5 MB review (Pandoc citations)', cpu: lastCpu, value: reviewScan, unit: 'ms', target: '≤ 300 ms', pass: reviewScan <= 300 });

  log('Cold index of the notes, against remark (Foam’s approach), each in fresh processes…');
  const notes = compareNotesIndexing();
  rows.push({ name: `cold index ${NOTE_COUNT} notes (read + parse)`, cpu: notes.ours.cpu, value: notes.ours.ms, unit: 'ms', target: '≤ 1000 ms', pass: notes.ours.ms <= 1000 });

  log('Full workspace: cold, cache, warm…');
  const cache = new MemoryCacheStore();
  let full = newIndex(ws.root, cache, 0);
  const coldFull = await time(1, () => full.start());
  rows.push({ name: 'cold index whole workspace', value: coldFull, unit: 'ms' });
  const save = await time(1, () => full.saveCache());
  rows.push({ name: 'cache save (serialize)', value: save, unit: 'ms' });
  full.dispose();
  const warm = await time(3, async () => {
    full.dispose();
    full = newIndex(ws.root, cache, 0);
    await full.start();
  });
  rows.push({ name: 'warm start whole workspace (cache)', cpu: lastCpu, value: warm, unit: 'ms', target: '≤ 250 ms', pass: warm <= 250 });
  // A warm start leaves the key → citing documents map to the first query that needs it; this is that query.
  const firstCitationsOf = await time(1, () => full.citationsOf(ws.keys[0]));
  rows.push({ name: 'first citationsOf after a warm start (builds the citing map)', cpu: lastCpu, value: firstCitationsOf, unit: 'ms' });

  // A first hover reads one entry's fields, which fills the whole cached bibliography at once and ends the
  // background parse that would otherwise take a slice from every update timed below.
  const firstFieldRead = await time(1, () => full.resolve(ws.keys[0])?.info.title);
  rows.push({ name: 'first field read after a warm start (fills the cached .bib)', cpu: lastCpu, value: firstFieldRead, unit: 'ms' });

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
  const suggestionIndex = await time(3, () => new KeySuggester(keys));
  rows.push({ name: `suggestion index over ${keys.length} keys (build)`, value: suggestionIndex, unit: 'ms' });
  const suggester = new KeySuggester(keys);
  const typos = keys.filter((_, i) => i % 100 === 0).map((k) => k.slice(0, 3) + k.slice(4) + 'x');
  const suggest = await time(3, () => typos.forEach((t) => suggester.suggest(t)));
  rows.push({ name: `suggest for ${typos.length} misspelt keys`, value: suggest, unit: 'ms', detail: `${((suggest / typos.length) * 1000).toFixed(0)} µs each` });
  const allDiagnostics = await time(1, () => full.allDiagnostics());
  rows.push({ name: 'all diagnostics, whole workspace', value: allDiagnostics, unit: 'ms' });

  log('Hover and completion…');
  const noteUris = [...full.documents()].filter((d) => d.note).map((d) => d.uri).filter((_, i) => i % 50 === 0);
  const hover = p95(hoverLatencies(full, [...noteUris, fileUriFromPath(ws.reviewFile)], 5));
  rows.push({ name: 'hover, p95 (notes and the 5 MB review)', value: hover, unit: 'ms', target: '≤ 20 ms', pass: hover <= 20 });
  const noteTexts = noteUris.slice(0, 20).map((uri) => readFileSync(pathFromFileUri(uri), 'utf8'));
  const authorYear = keys
    .map((key) => full.resolve(key)?.info)
    .filter((info) => info?.authors[0] && info.year)
    .filter((_, i) => i % 200 === 0)
    .map((info) => `${info!.authors[0].split(',')[0]} ${info!.year}`);
  const completion = completionLatencies(full, noteTexts, [...keys.filter((_, i) => i % 200 === 0).map((k) => k.slice(0, 3)), ...authorYear]);
  const completionP95 = p95(completion.samples);
  rows.push({ name: 'completion, p95 (key prefixes, "author year")', value: completionP95, unit: 'ms', target: '≤ 20 ms', pass: completionP95 <= 20, detail: `catalog of ${keys.length} keys built once per index change in ${completion.catalogBuildMs.toFixed(0)} ms` });
  full.dispose();

  // Peak memory is measured in fresh processes doing what an editor session does, so this process's timing
  // copies of the inputs do not count.
  log('Peak memory (separate processes)…');
  const peak = measurePeakRss();
  for (const [name, mb] of [['cold', peak.cold], ['warm', peak.warm]] as const) {
    rows.push({ name: `peak RSS, ${name} session (build, resolve all, diagnostics)`, value: mb, unit: 'MB', target: '≤ 400 MB', pass: mb <= 400, detail: peak.error });
  }

  rows.push({ name: 'remark-parse + remark-frontmatter over the notes', cpu: notes.remark.cpu, value: notes.remark.ms, unit: 'ms' });
  const notesSpeedup = notes.remark.ms / notes.ours.ms;
  rows.push({ name: 'notes: speed-up over remark', value: notesSpeedup, unit: '×', target: '≥ 8×', pass: notesSpeedup >= 8, detail: `${(notes.remark.cpu / notes.ours.cpu).toFixed(1)}× by CPU time` });

  log('Comparison: latex-utensils…');
  const { bibtexParser } = await import('latex-utensils');
  const utensils = await time(1, () => bibtexParser.parse(bibText));
  rows.push({ name: 'latex-utensils bibtexParser.parse 30 MB', cpu: lastCpu, value: utensils, unit: 'ms' });
  const bibSpeedup = utensils / bibParse;
  rows.push({ name: 'bib: speed-up over latex-utensils', value: bibSpeedup, unit: '×', target: '≥ 15×', pass: bibSpeedup >= 15, detail: `${(lastCpu / bibParseCpu).toFixed(1)}× by CPU time` });

  log('Comparison: citation-js…');
  const { Cite } = await import('@citation-js/core');
  await import('@citation-js/plugin-bibtex');
  const citationJs = await time(1, () => new Cite(bibText));
  rows.push({ name: '@citation-js (plugin-bibtex) 30 MB', cpu: lastCpu, value: citationJs, unit: 'ms', detail: `${(lastCpu / bibParseCpu).toFixed(0)}× our CPU time` });

  report();
}

function report(): void {
  if (json) {
    process.stdout.write(JSON.stringify({ loadAverage: os.loadavg()[0], cores: os.cpus().length, rows, missed: rows.filter((r) => r.pass === false).map((r) => r.name) }, null, 2) + '\n');
    return;
  }
  const fmt = (r: Row) => (r.unit === '×' ? `${r.value.toFixed(1)}×` : `${r.value.toFixed(r.value < 10 ? 2 : 0)} ${r.unit}`);
  const load = os.loadavg()[0];
  if (load > os.cpus().length) {
    process.stdout.write(`Note: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring; wall times are inflated (CPU times shown alongside).\n\n`);
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  const lines = rows.map((r) => {
    const verdict = r.pass === undefined ? '' : r.pass ? 'pass' : 'MISSED';
    const cpu = r.cpu === undefined ? '' : `cpu ${r.cpu.toFixed(0)} ms`;
    return `${r.name.padEnd(width)}  ${fmt(r).padStart(10)}  ${(r.target ?? '').padEnd(10)}  ${verdict.padEnd(6)}  ${cpu.padEnd(14)}${r.detail ? `  (${r.detail})` : ''}`;
  });
  process.stdout.write(lines.join('\n') + '\n');
  const missed = rows.filter((r) => r.pass === false);
  process.stdout.write(missed.length ? `\nMISSED ${missed.length} target(s): ${missed.map((r) => r.name).join('; ')}\n` : '\nAll targets met.\n');
}

/** A CacheStore in a file, so a second process can start warm from what the first one saved. */
class FileCache implements CacheStore {
  constructor(private readonly file: string) {}
  async get(): Promise<Uint8Array | undefined> {
    try {
      return await fsp.readFile(this.file);
    } catch {
      return undefined;
    }
  }
  async set(_key: string, value: Uint8Array): Promise<void> {
    await fsp.writeFile(this.file, value);
  }
}

/**
 * One editor session in this process: cold (no cache file yet) or warm (from it), then every key resolved and
 * every diagnostic computed; prints the peak RSS.
 */
async function rssProbe(cacheFile: string): Promise<void> {
  const ws = ensureWorkspace(path.resolve(__dirname, '../bench'));
  const cache = new FileCache(cacheFile);
  const phases: string[] = [];
  const mark = (phase: string) => phases.push(`${phase} ${peakRssMb().toFixed(0)}`);
  const index = newIndex(ws.root, cache);
  await index.start();
  mark('build');
  if (process.argv.includes('--cold')) {
    await index.saveCache();
    mark('save');
  }
  for (const key of [...index.keys()]) index.resolve(key, fileUriFromPath(ws.reviewFile));
  mark('resolve');
  index.allDiagnostics();
  mark('diagnostics');
  index.dispose();
  process.stdout.write(`peak-rss-mb ${peakRssMb().toFixed(0)}\nphases ${phases.join(', ')}\n`);
}

/** This benchmark run again in a fresh process with `args`: what it printed, and its stderr if it failed. */
function runProbe(...args: string[]): { stdout: string; error?: string } {
  const probe = spawnSync(process.execPath, [__filename, ...args], { encoding: 'utf8' });
  return { stdout: probe.stdout, error: probe.status === 0 ? undefined : probe.stderr.slice(0, 500) };
}

/** Peak RSS of a cold session (which writes the cache) and of a warm one (which reads it), in fresh processes. */
function measurePeakRss(): { cold: number; warm: number; error?: string } {
  const cacheFile = path.join(os.tmpdir(), `interp-review-bench-${process.pid}.cache`);
  const run = (mode: string) => {
    const probe = runProbe('--rss-probe', cacheFile, mode);
    log(`  ${mode.slice(2)} session, peak RSS after each phase (MB): ${/^phases (.*)$/m.exec(probe.stdout)?.[1] ?? '?'}`);
    return { mb: Number(/^peak-rss-mb (\d+)$/m.exec(probe.stdout)?.[1] ?? NaN), error: probe.error };
  };
  try {
    const cold = run('--cold');
    const warm = run('--warm');
    return { cold: cold.mb, warm: warm.mb, error: cold.error ?? warm.error };
  } finally {
    rmSync(cacheFile, { force: true });
  }
}

type NotesSide = 'ours' | 'remark';

/** One side of the notes comparison in this (fresh) process: the median of three cold passes over the notes. */
async function notesProbe(side: NotesSide): Promise<void> {
  const ws = ensureWorkspace(path.resolve(__dirname, '../bench'));
  let pass: () => Promise<void>;
  if (side === 'ours') {
    pass = async () => {
      const index = newIndex(ws.notesDir);
      await index.start();
      index.dispose();
    };
  } else {
    const { unified } = await import('unified');
    const remarkParse = (await import('remark-parse')).default;
    const remarkFrontmatter = (await import('remark-frontmatter')).default;
    // Listed once, outside the timing: the remark pass gets its file list for free, our index lists its own.
    const files = await new NodeFs([ws.notesDir]).list(['**/*.md'], []);
    pass = async () => {
      const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);
      const fs = new NodeFs([ws.notesDir]);
      for (const uri of files) processor.parse(new TextDecoder().decode(await fs.read(uri)));
    };
  }
  const ms = await time(3, pass);
  process.stdout.write(`notes-ms ${ms.toFixed(1)}\nnotes-cpu ${lastCpu.toFixed(1)}\n`);
}

/**
 * Our cold index of the notes and the remark pass, each timed in fresh processes (three rounds, the sides
 * alternating so both meet the same machine load), so neither inherits the heap or the JIT state of the other
 * measurements. Each figure is the median of the rounds' medians.
 */
function compareNotesIndexing(): Record<NotesSide, { ms: number; cpu: number }> {
  const samples: Record<NotesSide, { ms: number[]; cpu: number[] }> = { ours: { ms: [], cpu: [] }, remark: { ms: [], cpu: [] } };
  for (let round = 0; round < 3; round++) {
    for (const side of ['ours', 'remark'] as const) {
      const probe = runProbe('--notes-probe', side);
      const ms = Number(/^notes-ms ([\d.]+)$/m.exec(probe.stdout)?.[1]);
      const cpu = Number(/^notes-cpu ([\d.]+)$/m.exec(probe.stdout)?.[1]);
      if (probe.error !== undefined || !Number.isFinite(ms)) throw new Error(`notes probe (${side}) failed: ${probe.error}`);
      samples[side].ms.push(ms);
      samples[side].cpu.push(cpu);
    }
  }
  log(`  ours ${samples.ours.ms.join(', ')} ms; remark ${samples.remark.ms.join(', ')} ms`);
  const summary = (side: NotesSide) => ({ ms: median(samples[side].ms), cpu: median(samples[side].cpu) });
  return { ours: summary('ours'), remark: summary('remark') };
}

const probeArg = (flag: string) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const rssProbeFile = probeArg('--rss-probe');
const notesProbeSide = probeArg('--notes-probe') as NotesSide | undefined;
(rssProbeFile ? rssProbe(rssProbeFile) : notesProbeSide ? notesProbe(notesProbeSide) : main()).catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
});
