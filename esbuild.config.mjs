// Builds the three product bundles (extension host, webview, CLI) and, with --tests, the test bundles.
// Everything is bundled so ESM-only dependencies (unified, remark) load in VS Code's CommonJS host.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const nodeCommon = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  // Many dependencies ship ESM only; this keeps `import.meta.url` meaningful after bundling to CJS.
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: ['./scripts/import-meta-url.js'],
};

function listTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTests(path));
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  {
    ...nodeCommon,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  existsSync('webview/main.ts') && {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist/webview',
    loader: { '.css': 'text' },
  },
  existsSync('webview/diagram/main.ts') && {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    entryPoints: { diagram: 'webview/diagram/main.ts' },
    outdir: 'dist/webview',
  },
  args.has('--bench') && { ...nodeCommon, entryPoints: { bench: 'bench/run.ts', 'bench-lag': 'bench/lag.ts' }, outdir: 'dist' },
  args.has('--bench') && {
    ...nodeCommon,
    entryPoints: { 'bench-panels': 'bench/panels.ts' },
    outdir: 'dist',
    external: [...nodeCommon.external, 'playwright-core'],
  },
].filter(Boolean);

if (withTests) {
  for (const tier of ['unit', 'integration', 'e2e']) {
    builds.push({
      ...nodeCommon,
      entryPoints: listTests(join('test', tier)),
      outbase: 'test',
      outdir: 'out/test',
      // Test runners (mocha, playwright) stay external so they resolve their own files at run time.
      external: ['vscode', 'mocha', 'playwright-core', 'fast-check'],
    });
  }
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
