// Mocha entry that VS Code's extension host loads via `extensionTestsPath` (code-server or desktop VS Code).
// The runner chooses the suite with INTERP_REVIEW_TEST_GLOB (relative to out/test, e.g. `integration/*.test.js`)
// and, because the extension host's own console is not ours, INTERP_REVIEW_TEST_REPORT names a file to which
// the spec report is appended line by line for the runner to stream.
import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

const DEFAULT_GLOB = 'integration/*.test.js';

export function run(): Promise<void> {
  const testsRoot = join(__dirname, '..');
  const pattern = globToRegExp(process.env.INTERP_REVIEW_TEST_GLOB || DEFAULT_GLOB);
  const reportFile = process.env.INTERP_REVIEW_TEST_REPORT;
  if (reportFile) {
    const consoleLog = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      appendFileSync(reportFile, `${format(...args)}\n`);
      consoleLog(...args);
    };
  }
  Mocha.reporters.Base.useColors = process.env.INTERP_REVIEW_TEST_COLOR === '1';

  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: Number(process.env.INTERP_REVIEW_TEST_TIMEOUT) || 20_000 });
  const files = listFiles(testsRoot).filter((file) => pattern.test(relative(testsRoot, file).split(sep).join('/')));
  if (files.length === 0) return Promise.reject(new Error(`No test files match ${pattern} under ${testsRoot}`));
  for (const file of files.sort()) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}

function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...listFiles(path));
    else files.push(path);
  }
  return files;
}

/** `*` matches within one path segment, `**` across segments; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
