// Event-loop lag while the index builds the benchmark workspace (issue #7): a 5 ms interval records the longest
// gap between its ticks during a cold build, a cache save and a warm start, in plain Node (`npm run bench:lag`;
// `npm run bench:host` measures the same inside VS Code's extension host).
import * as path from 'node:path';
import { NodeFs } from '../src/cli/nodeFs';
import { defaultParsers } from '../src/core/index/defaultParsers';
import { WorkspaceIndex } from '../src/core/index/workspaceIndex';
import { MemoryCacheStore } from '../src/core/memoryFs';
import { defaultConfig, silentLogger } from '../src/core/workspace';
import { ensureWorkspace } from './generate';

/** Runs `work` with a 5 ms interval ticking beside it; returns its wall time and the longest tick gap. */
async function withLagMonitor(work: () => Promise<void>): Promise<{ ms: number; maxGap: number }> {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    maxGap = Math.max(maxGap, t - last);
    last = t;
  }, 5);
  const started = performance.now();
  last = started;
  await work();
  const ms = performance.now() - started;
  maxGap = Math.max(maxGap, performance.now() - last);
  clearInterval(timer);
  return { ms, maxGap };
}

async function main(): Promise<void> {
  const ws = ensureWorkspace(path.resolve(__dirname, '../bench'));
  const cache = new MemoryCacheStore();
  const make = () => new WorkspaceIndex({ fs: new NodeFs([ws.root]), config: defaultConfig, logger: silentLogger, parsers: defaultParsers, cache });
  const cold = make();
  const build = await withLagMonitor(() => cold.reindex());
  const save = await withLagMonitor(() => cold.saveCache());
  cold.dispose();
  const warm = make();
  const warmStart = await withLagMonitor(() => warm.reindex());
  warm.dispose();
  const f = (r: { ms: number; maxGap: number }) => `${Math.round(r.ms)} ms, max gap ${Math.round(r.maxGap)} ms`;
  console.log(`cold build: ${f(build)}\ncache save: ${f(save)}\nwarm start: ${f(warmStart)}`);
}

void main();
