// `npm start`: builds the extension, keeps rebuilding it on change, and serves VS Code (the pinned code-server)
// on 127.0.0.1 with the extension loaded from this checkout and examples/ open. Ctrl-C stops everything.
//
//   npm start                       free port, examples/
//   npm start -- --port 8080 --folder test/fixtures/workspace
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cleanupAll, exitCleanlyOnSignal, isShuttingDown, onCleanup } from './lib/cleanup.mjs';
import { ensureCodeServer, VSCODE_VERSION } from './lib/code-server-install.mjs';
import { launchCodeServer, remoteUri, workbenchUrl } from './lib/code-server.mjs';
import { ensureSystemTools } from './lib/system-deps.mjs';

const repo = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    folder: { type: 'string', default: 'examples' },
    watch: { type: 'boolean', default: true },
  },
  allowNegative: true,
});

async function main() {
  exitCleanlyOnSignal();
  const folder = isAbsolute(args.folder) ? args.folder : join(repo, args.folder);
  if (!existsSync(folder)) throw new Error(`folder ${folder} does not exist`);
  ensureSystemTools([{ command: 'rg', aptPackage: 'ripgrep' }]);

  console.log('Building the extension…');
  const build = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) throw new Error('the build failed (see above)');
  const layout = await ensureCodeServer();

  const server = await launchCodeServer({
    layout,
    port: args.port ? Number(args.port) : undefined,
    onOutput: (line) => {
      if (/\berror\b/i.test(line)) console.error(`[code-server] ${line}`);
    },
  });
  onCleanup(() => server.stop());

  if (args.watch) {
    // Same process group as us: a terminal Ctrl-C reaches it directly, and cleanup covers every other exit.
    const watcher = spawn(process.execPath, ['esbuild.config.mjs', '--watch'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    const watcherExited = new Promise((done) => watcher.once('exit', done));
    onCleanup(async () => {
      if (watcher.exitCode === null && watcher.signalCode === null) watcher.kill('SIGTERM');
      await watcherExited;
    });
  }

  const url = workbenchUrl(server.url, {
    folder,
    payload: [['extensionDevelopmentPath', remoteUri(server.url, repo)], ['skipWelcome', 'true']],
  });
  console.log(`
Interpretability Review is running in VS Code ${VSCODE_VERSION} (code-server). Open:

  ${url}

${args.watch ? 'Source changes rebuild dist/ automatically; run "Developer: Reload Window" to load them.\n' : ''}Press Ctrl-C to stop.`);

  const { code, signal } = await server.exited;
  // Ctrl-C stops the server on purpose; the signal handler finishes the cleanup and exits.
  if (isShuttingDown()) return new Promise(() => {});
  throw new Error(`code-server stopped unexpectedly (code ${code}, signal ${signal}); log:\n${server.readLog().slice(-3000)}`);
}

try {
  await main();
} catch (error) {
  console.error(`\nnpm start: ${error.message}`);
  await cleanupAll();
  process.exit(1);
}
