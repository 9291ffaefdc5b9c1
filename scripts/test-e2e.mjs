// Runs each compiled e2e file in its own mocha process, so no suite inherits another's process state (browsers,
// servers, timers) and a crash in one file cannot take the others with it.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(repo, 'out/test/e2e');
const files = readdirSync(dir).filter((name) => name.endsWith('.e2e.test.js')).sort();
if (files.length === 0) {
  console.error('test:e2e: no compiled e2e tests in out/test/e2e (run npm run build:tests first)');
  process.exit(1);
}
const mocha = join(repo, 'node_modules/mocha/bin/mocha.js');
const failed = [];
for (const name of files) {
  const file = join(dir, name);
  console.log(`\n▶ e2e ${relative(repo, file)}`);
  const run = spawnSync(process.execPath, [mocha, '--reporter', 'spec', '--timeout', '120000', '--slow', '15000', file], {
    cwd: repo,
    stdio: 'inherit',
  });
  if (run.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\ntest:e2e: failed in ${failed.join(', ')}`);
  process.exit(1);
}
