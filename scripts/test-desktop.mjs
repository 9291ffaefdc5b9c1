// `npm run test:desktop`: the same integration suites in desktop VS Code (Electron) through @vscode/test-electron.
// For developers with a display (or `xvfb-run -a`) and network access: the first run downloads VS Code
// 1.100.3 into .vscode-test/. CI uses the code-server runner (scripts/test-integration.mjs) instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { VSCODE_VERSION } from './lib/code-server-install.mjs';
import { INTEGRATION_SUITES } from './lib/suites.mjs';

const repo = resolve(import.meta.dirname, '..');
let failed = 0;
for (const suite of INTEGRATION_SUITES) {
  console.log(`\n▶ desktop integration suite "${suite.name}"`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'interp-review-desktop-'));
  try {
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
        join(repo, suite.folder ?? suite.workspaceFile),
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir', userDataDir,
      ],
    });
  } catch (error) {
    failed++;
    console.error(`✘ suite "${suite.name}" failed: ${error?.message ?? error}`);
  } finally {
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
console.log(`\nDesktop integration suites: ${INTEGRATION_SUITES.length - failed} of ${INTEGRATION_SUITES.length} passed`);
process.exit(failed ? 1 : 0);
