// `npm test`: set-up, build, then unit → integration (inside VS Code) → e2e (browser) → the packaged .vsix,
// stopping at the first failure with a non-zero exit.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { setup } from './setup.mjs';

const repo = resolve(import.meta.dirname, '..');
const STEPS = [
  ['build', 'build'],
  ['unit tests', 'test:unit'],
  ['integration tests (VS Code extension host)', 'test:integration'],
  ['e2e tests (browser)', 'test:e2e'],
  ['package and test the installed .vsix', 'test:package'],
];

const timings = [];
const elapsed = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function banner(text) {
  console.log(`\n━━━ ${text} ${'━'.repeat(Math.max(3, 72 - text.length))}`);
}

let started = Date.now();
banner('set-up (system packages, code-server)');
try {
  await setup();
} catch (error) {
  console.error(`\nnpm test: set-up failed: ${error.message}`);
  process.exit(1);
}
timings.push(['set-up', elapsed(started)]);

for (const [label, script] of STEPS) {
  banner(label);
  started = Date.now();
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: repo, stdio: 'inherit' });
  timings.push([label, elapsed(started)]);
  if (result.status !== 0) {
    console.error(`\nnpm test: ${label} failed (npm run ${script} exited ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

banner('summary');
for (const [label, time] of timings) console.log(`  ✔ ${label.padEnd(50)} ${time}`);
