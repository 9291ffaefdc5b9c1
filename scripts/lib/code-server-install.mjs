// Installs the pinned code-server (VS Code in a browser) into a per-user cache outside the clone, so every
// clone and every CI run on the machine reuses one copy. It is rebuilt only when missing or broken.
//
// npm blocks dependency install scripts, and code-server's own postinstall insists on npm flags we do not want,
// so we do by hand what it would: install VS Code's server dependencies, build the native addons for this Node,
// put Debian's ripgrep where VS Code looks for it, and link node_modules.asar.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { which } from './system-deps.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';

// Native addons of VS Code's server that must load for the features we use (terminal, file watching, logging).
// kerberos is only for proxy authentication and needs libkrb5-dev headers, so it is built when they are present.
const VSCODE_NATIVE_MODULES = ['node-pty', '@parcel/watcher', '@vscode/spdlog', 'native-watchdog', '@vscode/deviceid'];
const MARKER = '.interp-review-install.json';
const LOCK_STALE_AFTER_MS = 30 * 60_000;

export function codeServerDir() {
  if (process.env.INTERP_REVIEW_CODE_SERVER_DIR) return process.env.INTERP_REVIEW_CODE_SERVER_DIR;
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'interp-review', `code-server-${CODE_SERVER_VERSION}`);
}

/** Paths inside an installed code-server. */
export function codeServerLayout(root = codeServerDir()) {
  const pkg = join(root, 'node_modules', 'code-server');
  const vscode = join(pkg, 'lib', 'vscode');
  return {
    root,
    entry: join(pkg, 'out', 'node', 'entry.js'),
    vscode,
    ripgrep: join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
  };
}

/**
 * Returns the layout of a working install, installing it first when needed. Concurrent callers (parallel test
 * runs, CI next to a developer) serialise on a lock directory next to the install.
 */
export async function ensureCodeServer({ log = console.log } = {}) {
  const layout = codeServerLayout();
  if (healthProblem(layout) === undefined) return layout;
  const release = await acquireLock(`${layout.root}.lock`, log);
  try {
    // Another process may have finished the install while we waited for the lock.
    const problem = healthProblem(layout);
    if (problem === undefined) return layout;
    log(`code-server ${CODE_SERVER_VERSION} needs installing (${problem}) into ${layout.root}`);
    const started = Date.now();
    install(layout.root, log);
    const after = healthProblem(layout);
    if (after !== undefined) throw new Error(`code-server install at ${layout.root} is still broken: ${after}`);
    log(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return layout;
  } finally {
    release();
  }
}

/** undefined when the install looks usable, else a short reason. */
export function healthProblem(layout) {
  const markerPath = join(layout.root, MARKER);
  if (!existsSync(markerPath)) return 'not installed';
  let marker;
  try {
    marker = JSON.parse(readFileSync(markerPath, 'utf8'));
  } catch {
    return 'unreadable install marker';
  }
  if (marker.version !== CODE_SERVER_VERSION) return `version ${marker.version} installed`;
  if (marker.nodeAbi !== process.versions.modules) return `built for Node ABI ${marker.nodeAbi}, running ${process.versions.modules}`;
  for (const path of [layout.entry, layout.ripgrep, join(layout.vscode, 'node_modules.asar')]) {
    if (!existsSync(path)) return `missing ${path}`;
  }
  // Loading the addons catches a half-finished build or a Node upgrade with the same ABI number but new libc.
  const probe = spawnSync(
    process.execPath,
    ['-e', `for (const m of process.argv.slice(1)) require(require.resolve(m, { paths: [${JSON.stringify(layout.vscode)}, ${JSON.stringify(layout.root)}] }))`,
      ...VSCODE_NATIVE_MODULES.filter((m) => m !== 'native-watchdog'), 'argon2'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (probe.status !== 0) return `native modules do not load: ${(probe.stderr || '').trim().split('\n').slice(-3).join(' ')}`;
  return undefined;
}

function install(root, log) {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is required to install code-server; install Debian package ripgrep');
  const staging = `${root}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const env = { ...process.env, npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false',
    npm_config_update_notifier: 'false' };
  const npm = (cwd, args) => {
    log(`  $ (cd ${cwd}) npm ${args.join(' ')}`);
    execFileSync('npm', args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  };
  try {
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ name: 'interp-review-code-server', private: true }, null, 2)}\n`);
    npm(staging, ['install', '--ignore-scripts', '--omit=dev', `code-server@${CODE_SERVER_VERSION}`]);
    npm(staging, ['rebuild', 'argon2']);
    const layout = codeServerLayout(staging);
    npm(layout.vscode, ['install', '--ignore-scripts', '--omit=dev']);
    const nativeModules = [...VSCODE_NATIVE_MODULES];
    if (existsSync('/usr/include/gssapi/gssapi.h')) nativeModules.push('kerberos');
    npm(layout.vscode, ['rebuild', ...nativeModules]);
    // @vscode/ripgrep normally downloads its binary in a postinstall step, which cannot run offline.
    mkdirSync(dirname(layout.ripgrep), { recursive: true });
    copyFileSync(rg, layout.ripgrep);
    chmodSync(layout.ripgrep, 0o755);
    symlinkSync('node_modules', join(layout.vscode, 'node_modules.asar'));
    // The `code` CLI inside code-server's integrated terminal and its browser helper.
    symlinkSync('code-linux.sh', join(layout.vscode, 'bin', 'remote-cli', 'code-server'));
    symlinkSync('browser-linux.sh', join(layout.vscode, 'bin', 'helpers', 'browser.sh'));
    writeFileSync(join(staging, MARKER), `${JSON.stringify({
      version: CODE_SERVER_VERSION, nodeAbi: process.versions.modules, installedAt: new Date().toISOString(),
    }, null, 2)}\n`);
    rmSync(root, { recursive: true, force: true });
    renameSync(staging, root);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

async function acquireLock(lockDir, log) {
  mkdirSync(dirname(lockDir), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'owner'), JSON.stringify({ pid: process.pid, since: Date.now() }));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (lockIsStale(lockDir)) {
      log(`Removing stale install lock ${lockDir}`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`Waiting for another process installing code-server (lock ${lockDir})`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function lockIsStale(lockDir) {
  let owner;
  try {
    owner = JSON.parse(readFileSync(join(lockDir, 'owner'), 'utf8'));
  } catch {
    // The owner writes its record right after creating the directory; give it a moment before judging.
    return false;
  }
  if (Date.now() - owner.since > LOCK_STALE_AFTER_MS) return true;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}
