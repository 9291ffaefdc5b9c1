// Makes sure the Debian tools the test harness and the unit-test oracles need are on PATH.
// As root we install what is missing with apt-get; anyone else gets one clear message listing what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * What must be present -> the Debian package that provides it: a `command` on PATH, or a TeX `texFile` that
 * kpsewhich finds (the LaTeX oracle test compiles natbib, biblatex and listings documents with pdflatex).
 */
export const SYSTEM_TOOLS = [
  { command: 'chromium', aptPackage: 'chromium' },
  { command: 'rg', aptPackage: 'ripgrep' },
  { command: 'pandoc', aptPackage: 'pandoc' },
  { command: 'biber', aptPackage: 'biber' },
  { command: 'pdflatex', aptPackage: 'texlive-latex-base' },
  { texFile: 'listings.sty', aptPackage: 'texlive-latex-recommended' },
  { texFile: 'biblatex.sty', aptPackage: 'texlive-bibtex-extra' },
];

function isPresent(tool) {
  if (tool.command) return Boolean(which(tool.command));
  if (!which('kpsewhich')) return false;
  return spawnSync('kpsewhich', [tool.texFile], { encoding: 'utf8' }).stdout.trim() !== '';
}

const describeTool = (tool) => tool.command ?? tool.texFile;

export function which(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function ensureSystemTools(tools = SYSTEM_TOOLS, log = console.log) {
  const missing = tools.filter((tool) => !isPresent(tool));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => tool.aptPackage))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new Error(
      `Missing system tools: ${missing.map(describeTool).join(', ')}.\n` +
        `Install them first, e.g.: sudo apt-get install -y ${packages.join(' ')}`,
    );
  }
  log(`Installing system packages with apt-get: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // A stale or empty package list makes `apt-get install` fail on a fresh machine, so refresh it once.
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  const result = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
  const stillMissing = tools.filter((tool) => !isPresent(tool));
  if (result.status !== 0 || stillMissing.length > 0) {
    throw new Error(`apt-get could not install: ${stillMissing.map((t) => t.aptPackage).join(', ') || packages.join(', ')}`);
  }
}
