// Starts the cached code-server on a free loopback port with a throw-away profile, and stops it with everything
// it spawned (extension host, file watcher, terminals) on every exit path.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Settings for the fresh profile: no trust prompt, no telemetry, no welcome page, a fixed theme. */
export const TEST_USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'github.copilot.enable': { '*': false },
  'git.enabled': false,
  'files.autoSave': 'off',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {object} options
 * @param {{ entry: string }} options.layout   from ensureCodeServer()
 * @param {Record<string, unknown>} [options.settings]  merged over TEST_USER_SETTINGS
 * @param {boolean} [options.workspaceTrust]    keep workspace trust on (folders open untrusted: Restricted Mode)
 * @param {string} [options.extensionsDir]     defaults to an empty directory in the profile
 * @param {Record<string, string>} [options.env]  extra environment (the extension host inherits it)
 * @param {string} [options.workspace]         opened when the browser gives no ?folder=
 * @param {number} [options.port]              default: a free port
 * @param {(line: string) => void} [options.onOutput]  every line code-server prints
 */
export async function launchCodeServer(options) {
  const profile = mkdtempSync(join(tmpdir(), 'interp-review-cs-'));
  const userDataDir = join(profile, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(profile, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    `${JSON.stringify({ ...TEST_USER_SETTINGS, ...options.settings }, null, 2)}\n`,
  );
  // Our own config file, so code-server neither reads nor writes ~/.config/code-server/config.yaml.
  const configFile = join(profile, 'config.yaml');
  writeFileSync(configFile, 'auth: none\n');
  const logFile = join(profile, 'code-server.log');
  const logStream = createWriteStream(logFile);

  const port = options.port ?? (await freePort());
  const args = [
    options.layout.entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(options.workspace ? [options.workspace] : []),
  ];
  // detached: its own process group, so stop() reaches the extension host and terminals too.
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // No extension gallery: this machine has no route to one, and tests must not depend on a marketplace.
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...options.env },
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let pending = '';
  const onData = (chunk) => {
    logStream.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) options.onOutput?.(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  // Safety net for callers that never reach stop(): a test runner exiting on Ctrl-C or after a crashed hook.
  // Being detached, the server would otherwise outlive us.
  const killOnExit = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    if (!process.env.INTERP_REVIEW_KEEP_PROFILE) rmSync(profile, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    await killGroup(child, exited);
    await new Promise((resolve) => logStream.end(resolve));
    if (!process.env.INTERP_REVIEW_KEEP_PROFILE) rmSync(profile, { recursive: true, force: true });
  };
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, exited, 60_000);
  } catch (error) {
    const log = readLog();
    await stop();
    throw new Error(`${error.message}\n--- code-server log ---\n${log.slice(-4000)}`);
  }
  return { url, port, pid: child.pid, profile, userDataDir, extensionsDir, logFile, readLog, exited, stop };
}

async function waitUntilReady(url, exited, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exit;
  exited.then((result) => { exit = result; });
  while (Date.now() < deadline) {
    if (exit) throw new Error(`code-server exited during start-up (code ${exit.code}, signal ${exit.signal})`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

async function killGroup(child, exited) {
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if (error.code !== 'ESRCH') throw error;
    }
  };
  signalGroup('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  // The extension host and terminals can outlive the server, or the server may ignore SIGTERM: end the group.
  signalGroup('SIGKILL');
  await exited;
}

/**
 * The workbench URL for a folder or a .code-workspace file, with VS Code's `payload` parameter carrying the
 * extension-development and test settings (the browser workbench's equivalent of command-line flags).
 * @param {string} serverUrl
 * @param {{ folder?: string, workspaceFile?: string, payload?: [string, string][] }} target
 */
export function workbenchUrl(serverUrl, target) {
  const params = new URLSearchParams();
  if (target.folder) params.set('folder', target.folder);
  if (target.workspaceFile) params.set('workspace', target.workspaceFile);
  if (target.payload?.length) params.set('payload', JSON.stringify(target.payload));
  return `${serverUrl}/?${params.toString()}`;
}

/** vscode-remote URI for a path on the server, as the browser workbench expects in the payload. */
export function remoteUri(serverUrl, path) {
  return `vscode-remote://${new URL(serverUrl).host}${path}`;
}
