// `npm test`: set-up, build, then unit → integration (inside VS Code) → e2e (browser) → the packaged .vsix,
// stopping at the first failure with a non-zero exit. Ends with one "Tests: N passed, N failed" line summing the
// mocha reports of every step.
import { spawn } from 'node:child_process';
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

const totals = { passed: 0, failed: 0 };
const timings = [];
const elapsed = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const banner = (text) => console.log(`\n━━━ ${text} ${'━'.repeat(Math.max(3, 72 - text.length))}`);

function finish(code) {
  banner('summary');
  for (const [label, time, ok] of timings) console.log(`  ${ok ? '✔' : '✘'} ${label.padEnd(50)} ${time}`);
  console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed`);
  process.exit(code);
}

/** Runs an npm script, echoing its output and adding up mocha's "N passing" / "N failing" lines. */
function runScript(script) {
  return new Promise((resolveRun) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Output goes through a pipe; keep mocha's colours when a person is watching.
      env: process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env,
    });
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) countMochaSummary(line);
    });
    child.stderr.pipe(process.stderr);
    child.once('close', (code, signal) => {
      countMochaSummary(pending);
      resolveRun(code ?? (signal ? 1 : 0));
    });
  });
}

function countMochaSummary(line) {
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
  const match = /^\s*(\d+) (passing|failing)\b/.exec(plain);
  if (match) totals[match[2] === 'passing' ? 'passed' : 'failed'] += Number(match[1]);
}

let started = Date.now();
banner('set-up (system packages, code-server)');
try {
  await setup();
  timings.push(['set-up', elapsed(started), true]);
} catch (error) {
  console.error(`\nnpm test: set-up failed: ${error.message}`);
  timings.push(['set-up', elapsed(started), false]);
  finish(1);
}

for (const [label, script] of STEPS) {
  banner(label);
  started = Date.now();
  const code = await runScript(script);
  timings.push([label, elapsed(started), code === 0]);
  if (code !== 0) {
    console.error(`\nnpm test: ${label} failed (npm run ${script} exited ${code}).`);
    finish(1);
  }
}
finish(0);
