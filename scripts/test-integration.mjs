// Runs the integration suites inside a real VS Code extension host: the pinned code-server, driven by Debian's
// Chromium. Each suite is (workspace, test glob); the extension host reports back through codeAutomationExit.
//
//   node scripts/test-integration.mjs                     all suites, extension loaded from this checkout
//   node scripts/test-integration.mjs --suite multi-root  one suite
//   node scripts/test-integration.mjs --vsix out/interp-review.vsix
//        installs the package into a fresh extensions dir and runs the activation suite against that copy
//
// Expects `npm run build` and `npm run build:tests` to have run (the npm scripts do that first).
import { execFileSync } from 'node:child_process';
import {
  closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from './lib/browser.mjs';
import { cleanupAll, onCleanup } from './lib/cleanup.mjs';
import { ensureCodeServer, VSCODE_VERSION } from './lib/code-server-install.mjs';
import { launchCodeServer, remoteUri, workbenchUrl } from './lib/code-server.mjs';
import { selectSuites, VSIX_SUITE } from './lib/suites.mjs';
import { ensureSystemTools, SYSTEM_TOOLS } from './lib/system-deps.mjs';

const repo = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    suite: { type: 'string', multiple: true },
    vsix: { type: 'string' },
    // Whole-suite limit: VS Code start-up plus every test. Per-test limits are mocha's.
    'time-limit': { type: 'string', default: process.env.INTERP_REVIEW_SUITE_TIME_LIMIT ?? '240' },
  },
});
const timeLimitMs = Number(args['time-limit']) * 1000;

async function main() {
  for (const built of ['dist/extension.js', 'out/test/integration/index.js']) {
    if (!existsSync(join(repo, built))) throw new Error(`${built} is missing: run npm run build && npm run build:tests`);
  }
  ensureSystemTools(SYSTEM_TOOLS.filter((tool) => tool.command === 'chromium' || tool.command === 'rg'));
  const layout = await ensureCodeServer();
  const suites = args.vsix ? [VSIX_SUITE] : selectSuites(args.suite);

  let failed = 0;
  for (const suite of suites) {
    const ok = await runSuite(layout, suite, args.vsix ? resolve(args.vsix) : undefined);
    if (!ok) failed++;
  }
  console.log(`\nIntegration suites: ${suites.length - failed} of ${suites.length} passed`);
  return failed === 0;
}

async function runSuite(layout, suite, vsix) {
  const started = Date.now();
  console.log(`\n▶ integration suite "${suite.name}" (${suite.folder ?? suite.workspaceFile}, ${suite.glob})`);
  const scratch = mkdtempSync(join(tmpdir(), 'interp-review-it-'));
  const removeScratch = onCleanup(() => rmSync(scratch, { recursive: true, force: true }));
  // Suites that change their workspace on disk get a fresh copy; `prepare` (a script under out/test) may
  // generate the workspace first.
  if (suite.prepare) execFileSync(process.execPath, [join(repo, 'out/test', suite.prepare)], { stdio: 'inherit' });
  let folder = suite.folder && join(repo, suite.folder);
  if (folder && suite.copyFolder) {
    const copy = join(scratch, 'workspace');
    cpSync(folder, copy, { recursive: true });
    folder = copy;
  }
  const suiteTimeLimitMs = Math.max(timeLimitMs, (suite.timeLimitSeconds ?? 0) * 1000);
  const reportFile = join(scratch, 'mocha-report.txt');
  writeFileSync(reportFile, '');
  const artifacts = join(repo, 'test-results', 'integration', suite.name);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const workbenchLog = [];
  let extensionsDir;
  if (vsix) {
    extensionsDir = join(scratch, 'extensions');
    console.log(`  installing ${vsix} into ${extensionsDir}`);
    const configFile = join(scratch, 'install-config.yaml');
    writeFileSync(configFile, 'auth: none\n');
    execFileSync(process.execPath, [
      layout.entry, '--config', configFile, '--user-data-dir', join(scratch, 'install-profile'),
      '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force',
    ], { stdio: ['ignore', 'inherit', 'inherit'] });
  }

  const server = await launchCodeServer({
    layout,
    extensionsDir,
    settings: suite.settings,
    workspaceTrust: suite.workspaceTrust,
    env: {
      INTERP_REVIEW_TEST_GLOB: suite.glob,
      INTERP_REVIEW_TEST_REPORT: reportFile,
      INTERP_REVIEW_TEST_COLOR: process.stdout.isTTY ? '1' : '0',
      INTERP_REVIEW_EXPECT_VSCODE_VERSION: VSCODE_VERSION,
      ...(extensionsDir ? { INTERP_REVIEW_EXPECT_EXTENSION_UNDER: extensionsDir } : {}),
    },
  });
  const stopServer = onCleanup(async () => {
    writeFileSync(join(artifacts, 'code-server.log'), server.readLog());
    await server.stop();
  });
  const tail = tailFile(reportFile, (text) => process.stdout.write(text.replace(/^(?=.)/gm, '  ')));
  const browser = await launchChromium();
  const closeBrowser = onCleanup(() => browser.close());

  let outcome;
  let timer;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const exitCode = new Promise((resolveExit, rejectExit) => {
      page.exposeFunction('codeAutomationExit', (code) => resolveExit(code)).catch(rejectExit);
      page.on('crash', () => rejectExit(new Error('the browser page crashed')));
      server.exited.then(({ code, signal }) => rejectExit(new Error(`code-server exited (code ${code}, signal ${signal})`)));
    });
    await page.exposeFunction('codeAutomationLog', (level, message) => workbenchLog.push(`[${level}] ${message}`));
    page.on('pageerror', (error) => workbenchLog.push(`[pageerror] ${error.message}`));

    const payload = [
      ['extensionTestsPath', remoteUri(server.url, join(repo, 'out/test/integration/index.js'))],
      ['skipWelcome', 'true'],
    ];
    // VS Code runs extensionTestsPath only in extension-development mode. For the installed package we point
    // development mode at an empty folder, so the only copy of the extension is the one in extensionsDir.
    const developmentPath = vsix ? join(scratch, 'no-extension') : repo;
    mkdirSync(developmentPath, { recursive: true });
    payload.unshift(['extensionDevelopmentPath', remoteUri(server.url, developmentPath)]);
    const url = workbenchUrl(server.url, {
      folder,
      workspaceFile: suite.workspaceFile && join(repo, suite.workspaceFile),
      payload,
    });
    await page.goto(url);
    const timeout = new Promise((_, rejectTimeout) => {
      timer = setTimeout(() => rejectTimeout(new Error(
        `no result from the extension host within ${suiteTimeLimitMs / 1000} s (raise with --time-limit or INTERP_REVIEW_SUITE_TIME_LIMIT)`,
      )), suiteTimeLimitMs);
    });
    // Whichever loses the race may still reject later (the server exits when we stop it): that is not news.
    exitCode.catch(() => {});
    const code = await Promise.race([exitCode, timeout]);
    outcome = code === 0 ? { ok: true } : { ok: false, reason: `the extension host reported exit code ${code}` };
    if (!outcome.ok) await page.screenshot({ path: join(artifacts, 'workbench.png') }).catch(() => {});
  } catch (error) {
    outcome = { ok: false, reason: error.message };
  } finally {
    clearTimeout(timer);
    tail.flush();
    tail.stop();
    writeFileSync(join(artifacts, 'workbench.log'), `${workbenchLog.join('\n')}\n`);
    await closeBrowser();
    await stopServer();
    await removeScratch();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (outcome.ok) {
    console.log(`✔ suite "${suite.name}" passed in ${seconds} s`);
    return true;
  }
  console.error(`✘ suite "${suite.name}" failed after ${seconds} s: ${outcome.reason}`);
  console.error(`  logs: ${artifacts}/code-server.log, workbench.log`);
  const interesting = workbenchLog.filter((line) => /^\[(error|warn|pageerror)\]/.test(line)).slice(-15);
  if (interesting.length) console.error(`  last workbench errors:\n    ${interesting.join('\n    ')}`);
  // CI keeps the terminal, not test-results/, so the end of code-server's own log goes there too.
  const serverLog = readFileSync(join(artifacts, 'code-server.log'), 'utf8').trimEnd().split('\n').slice(-30);
  console.error(`  last code-server log lines:\n    ${serverLog.join('\n    ')}`);
  return false;
}

/** Streams what another process appends to a file. */
function tailFile(path, write) {
  let offset = 0;
  const buffer = Buffer.alloc(64 * 1024);
  const flush = () => {
    if (statSync(path, { throwIfNoEntry: false })?.size === offset) return;
    const fd = openSync(path, 'r');
    try {
      for (let read; (read = readSync(fd, buffer, 0, buffer.length, offset)) > 0; offset += read) {
        write(buffer.subarray(0, read).toString('utf8'));
      }
    } finally {
      closeSync(fd);
    }
  };
  const timer = setInterval(flush, 200);
  return { flush, stop: () => clearInterval(timer) };
}

let ok = false;
try {
  ok = await main();
} catch (error) {
  console.error(`\n${error.stack ?? error}`);
} finally {
  await cleanupAll();
}
process.exit(ok ? 0 : 1);
