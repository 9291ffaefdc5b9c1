// Load in the real extension host, on the benchmark workspace (10,000 notes, a 20,000-entry .bib, a 5 MB
// review): indexing starts after activation, the whole workspace gets indexed, and hover answers while a
// rebuild runs. Timings (activation, the host's longest event-loop stall while indexing and in the seconds after,
// when listeners, code lenses and the cache save react to the new index) are recorded in
// test-results/reliability.json; `npm run bench:host` runs this suite and holds them to their targets.
// INTERP_REVIEW_HOST_PROFILE=1 also profiles the host through each build and writes test-results/host-*.cpuprofile,
// with what ran during each listed stall under `profiledStalls`.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, hoverAt, markdownOf, open, positionOf, withSetting } from '../editorHelpers';
import type { ExtensionServices } from '../../../src/vscode/services';
import { HostProfiler, monotonicUs, type StallWindow } from './hostProfile';

const TICK_MS = 10;
/** Stalls longer than this are listed with where the index was, to show where the host was blocked. */
const STALL_REPORT_MS = 50;
/** How long after a build the host keeps being watched: listeners react, lenses refresh, the cache is saved 2 s later. */
const SETTLE_MS = 4_000;

interface Lag {
  maxLagMs: number;
  samples: number;
  /** The longest stalls, with how far the index had got when each ended: where the host was blocked. */
  worst: string[];
  /** The same stalls as times, for the profile. */
  worstWindows: StallWindow[];
}

/** Samples how late a repeating timer fires: the longest stretch the host's event loop was blocked. */
function lagSampler(services: ExtensionServices, startedAt = 'before any progress'): { stop(): Lag } {
  let last = performance.now();
  let samples = 0;
  let maxLagMs = 0;
  let progress = startedAt;
  const stalls: { lag: number; at: string; window: StallWindow }[] = [];
  const listener = services.index.onProgress((p) => (progress = `${p.done}/${p.total} files`));
  const timer = setInterval(() => {
    const now = performance.now();
    const lag = now - last - TICK_MS;
    maxLagMs = Math.max(maxLagMs, lag);
    if (lag > STALL_REPORT_MS) {
      const toUs = monotonicUs();
      const window = { fromUs: toUs - lag * 1000, toUs };
      stalls.push({ lag, at: `${progress}${services.index.indexing ? '' : ', index idle'}`, window });
    }
    last = now;
    samples++;
  }, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      listener.dispose();
      const worst = [...stalls].sort((a, b) => b.lag - a.lag).slice(0, 6);
      return { maxLagMs, samples, worst: worst.map((w) => `${w.lag.toFixed(0)} ms at ${w.at}`), worstWindows: worst.map((w) => w.window) };
    },
  };
}

const PROFILING = process.env.INTERP_REVIEW_HOST_PROFILE === '1';

function startProfiler(): Promise<HostProfiler> | undefined {
  if (!PROFILING) return undefined;
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  return HostProfiler.start(vscode.Uri.joinPath(extension.extensionUri, 'dist', 'extension.js').toString());
}

function resultFile(name: string): string {
  return path.resolve(__dirname, '../../../../test-results', name);
}

/** What the figures file keeps of a lag measurement. */
function figures({ maxLagMs, samples, worst }: Lag): Omit<Lag, 'worstWindows'> {
  return { maxLagMs, samples, worst };
}

/** Stops the profile of one phase and explains its listed stalls (during the build, then after it). */
async function profiledStalls(profiler: HostProfiler | undefined, phase: string, build: Lag, after: Lag): Promise<string[] | undefined> {
  if (!profiler) return undefined;
  const explained = await profiler.stop(resultFile(`host-${phase}.cpuprofile`), [...build.worstWindows, ...after.worstWindows]);
  const labels = [...build.worst, ...after.worst.map((w) => `${w} (after the build)`)];
  return explained.map((text, i) => `${labels[i]}: ${text}`);
}

/** Measured figures for `npm run bench:host` (the host's console is not the runner's). */
function record(name: string, value: unknown): void {
  const file = resultFile('reliability.json');
  mkdirSync(path.dirname(file), { recursive: true });
  let figures: Record<string, unknown> = {};
  try {
    figures = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // first figure of the run
  }
  figures[name] = value;
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
}

/** The extension's own activation timing, from its log ("Activated in VS Code … (N ms)"). */
/** The host's stalls during the `SETTLE_MS` after a build has finished. */
async function settleLag(services: ExtensionServices): Promise<Lag> {
  const sampler = lagSampler(services, 'after the build');
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return sampler.stop();
}

async function loggedActivationMs(services: ExtensionServices): Promise<number | undefined> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      for (const [name] of await vscode.workspace.fs.readDirectory(services.context.logUri)) {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(services.context.logUri, name)));
        const match = /Activated in VS Code \S+ \((\d+) ms\)/.exec(text);
        if (match) return Number(match[1]);
      }
    } catch {
      // The log folder appears with the first flushed line.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

describe('reliability: load on the benchmark workspace', function () {
  this.timeout(240_000);
  let services: ExtensionServices;

  it('activates and logs its activation time, with indexing started after activation', async () => {
    const extension = vscode.extensions.getExtension<ExtensionServices>(EXTENSION_ID)!;
    const wasActive = extension.isActive;
    const started = performance.now();
    services = await extension.activate();
    const measured = performance.now() - started;
    const logged = await loggedActivationMs(services);
    const activationMs = logged ?? (wasActive ? undefined : measured);
    record('activation', { ms: activationMs, loggedMs: logged, activateCallMs: wasActive ? undefined : Math.round(measured), wasActive });
    assert.ok(activationMs !== undefined, 'no activation timing: the extension log has no "Activated … (N ms)" line');
    const documents = [...services.index.documents()].length;
    assert.ok(services.index.indexing || documents > 10_000, 'indexing runs after activation (or has already finished)');
  });

  it('the first full build indexes the whole workspace; the host\'s longest stall is recorded', async () => {
    const profiler = await startProfiler();
    const sampler = lagSampler(services);
    const started = performance.now();
    await services.index.ready();
    const lag = sampler.stop();
    const documents = [...services.index.documents()].length;
    const waitedMs = Math.round(performance.now() - started);
    const afterBuild = await settleLag(services);
    const profiled = await profiledStalls(profiler, 'initialBuild', lag, afterBuild);
    record('initialBuild', { documents, waitedMs, ...figures(lag), afterBuild: figures(afterBuild), profiledStalls: profiled });
    assert.ok(documents > 10_000, `indexed ${documents} documents`);
    assert.ok(lag.samples > 0, 'the host timer never fired during the build');
  });

  it('hover answers while a cold rebuild (settings change) runs; the host\'s longest stall is recorded', async () => {
    const review = await open('review.md');
    await vscode.window.showTextDocument(review);
    const at = positionOf(review, '[see @', 6);
    const key = review.getText(review.getWordRangeAtPosition(at, /[\w:.-]+/));
    // Warm the hover path before measuring (first-use compilation is not what this test is about).
    await hoverAt(review, at);
    await services.index.ready();
    // Opening a 5 MB Markdown file makes VS Code's own Markdown extension send it to its language server, which
    // held this host 110-220 ms (profiled) when it fell inside the measured rebuild. That is the cost of opening the
    // file, not of indexing; it is let pass before the rebuild starts.
    await settleLag(services);

    const profiler = await startProfiler();
    // A different size limit changes the analysis fingerprint, so every file is read and analysed again.
    await withSetting('interpReview', 'limits.largeDocumentMB', 9, async () => {
      const sampler = lagSampler(services);
      const started = performance.now();
      await waitForIndexing(services);
      let hoversDuringIndexing = 0;
      let hoverText = '';
      while (services.index.indexing) {
        const hovers = await hoverAt(review, at);
        if (services.index.indexing && hovers.length > 0) {
          hoversDuringIndexing++;
          hoverText = markdownOf(hovers);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await services.index.ready();
      const lag = sampler.stop();
      const ms = Math.round(performance.now() - started);
      // The review stays open, so its code lenses refresh against the new index in this window too.
      const afterBuild = await settleLag(services);
      const profiled = await profiledStalls(profiler, 'coldRebuild', lag, afterBuild);
      record('coldRebuild', { ms, hoversDuringIndexing, ...figures(lag), afterBuild: figures(afterBuild), profiledStalls: profiled });
      assert.ok(hoversDuringIndexing > 0, 'no hover answered while the index was being rebuilt');
      assert.ok(hoverText.trim().length > 0, `an empty hover for ${key}`);
    });
    await services.index.ready();
  });
});

async function waitForIndexing(services: ExtensionServices): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!services.index.indexing) {
    if (Date.now() > deadline) assert.fail('changing the size limit did not start a rebuild');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
