// `npm run package`: a clean production build of dist/ and a self-contained out/interp-review.vsix (no
// node_modules inside: every bundle already includes its dependencies).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const { name } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const outFile = join(repo, 'out', `${name}.vsix`);

function run(what, args) {
  const result = spawnSync(process.execPath, args, { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`package: ${what} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

// Stale dev bundles and source maps must not ship.
rmSync(join(repo, 'dist'), { recursive: true, force: true });
run('the production build', ['esbuild.config.mjs', '--production']);
mkdirSync(join(repo, 'out'), { recursive: true });
run('vsce', [
  join(repo, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies',
  // README images are repository-relative and there is no public repository URL to rewrite them to.
  '--no-rewrite-relative-links', '--allow-missing-repository', '--out', outFile,
]);
console.log(`Packaged ${outFile} (${(statSync(outFile).size / 1024).toFixed(0)} KiB)`);
