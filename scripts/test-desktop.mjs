// `npm run test:desktop`: the same integration suites in desktop VS Code (Electron) through @vscode/test-electron.
// For developers with a display (or `xvfb-run -a`) and network access: the first run downloads VS Code
// 1.100.3 into .vscode-test/. CI uses the code-server runner (scripts/test-integration.mjs) instead; this one
// honours the same suite options (settings, workspace trust, prepare script, throw-away copy).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { VSCODE_VERSION } from './lib/code-server-install.mjs';
import { TEST_USER_SETTINGS } from './lib/code-server.mjs';
import { selectSuites } from './lib/suites.mjs';

const repo = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({ options: { suite: { type: 'string', multiple: true } } });
const suites = selectSuites(args.suite);

let failed = 0;
for (const suite of suites) {
  console.log(`\n▶ desktop integration suite "${suite.name}"`);
  const scratch = mkdtempSync(join(tmpdir(), 'interp-review-desktop-'));
  try {
    if (suite.prepare) execFileSync(process.execPath, [join(repo, 'out/test', suite.prepare)], { stdio: 'inherit' });
    let workspace = join(repo, suite.folder ?? suite.workspaceFile);
    if (suite.folder && suite.copyFolder) {
      cpSync(workspace, join(scratch, 'workspace'), { recursive: true });
      workspace = join(scratch, 'workspace');
    }
    const userDataDir = join(scratch, 'user-data');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...TEST_USER_SETTINGS, ...suite.settings }, null, 2));
    await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'out', 'test', 'integration', 'index.js'),
      extensionTestsEnv: {
        INTERP_REVIEW_TEST_GLOB: suite.glob,
        INTERP_REVIEW_EXPECT_VSCODE_VERSION: VSCODE_VERSION,
        INTERP_REVIEW_TEST_COLOR: process.stdout.isTTY ? '1' : '0',
      },
      launchArgs: [
        workspace,
        '--disable-extensions',
        ...(suite.workspaceTrust ? [] : ['--disable-workspace-trust']),
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir', userDataDir,
      ],
    });
  } catch (error) {
    failed++;
    console.error(`✘ suite "${suite.name}" failed: ${error?.message ?? error}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
console.log(`\nDesktop integration suites: ${suites.length - failed} of ${suites.length} passed`);
process.exit(failed ? 1 : 0);
