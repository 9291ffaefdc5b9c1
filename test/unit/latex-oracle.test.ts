// LaTeX itself is the reference for which keys a .tex file cites. For each fixture in test/fixtures/latex this
// runs pdflatex (natbib and biblatex documents) and reads the keys TeX wrote to the .aux file: natbib writes
// `\citation{a,b}` per command, biblatex `\abx@aux@cite{refsection}{key}` per key. Our scanner must find the
// same keys in the same order. Both sides are compared after trimming spaces around keys (TeX keeps a
// trailing space in `\cite{a }`, BibTeX and biber ignore it); the `*` of `\nocite{*}` is no key.
//
// Needs Debian's texlive-latex-base (pdflatex, natbib, verbatim), texlive-latex-recommended (etoolbox,
// listings) and texlive-bibtex-extra (biblatex). A missing program or package fails the test with its name.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanLatexCitations } from '../../src/core/parsers/latex';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/latex');
const PDFLATEX = '/usr/bin/pdflatex';
const DOCUMENTS = ['natbib.tex', 'biblatex.tex'];

/** Keys TeX recorded in the .aux file of fixture `name` (or of `text`), compiled in a scratch directory. */
function texCitedKeys(name: string, text?: string): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'latex-oracle-'));
  try {
    if (text === undefined) copyFileSync(path.join(FIXTURES, name), path.join(dir, name));
    else writeFileSync(path.join(dir, name), text);
    const run = spawnSync(PDFLATEX, ['-interaction=nonstopmode', '-halt-on-error', '-no-shell-escape', name], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.error) throw new Error(`cannot run ${PDFLATEX} (install Debian's texlive-latex-base): ${run.error.message}`);
    const missing = /! LaTeX Error: File `([^']+)' not found/.exec(run.stdout);
    if (missing) {
      throw new Error(`${missing[1]} is missing: install Debian's texlive-latex-recommended and texlive-bibtex-extra`);
    }
    const aux = path.join(dir, name.replace(/\.tex$/, '.aux'));
    if (run.status !== 0 || !existsSync(aux)) {
      throw new Error(`pdflatex failed on ${name} (status ${run.status}):\n${run.stdout.slice(-2000)}`);
    }
    const keys: string[] = [];
    for (const line of readFileSync(aux, 'utf8').split('\n')) {
      const natbib = /^\\citation\{(.*)\}$/.exec(line);
      const biblatex = /^\\abx@aux@cite\{[^}]*\}\{(.*)\}$/.exec(line);
      const list = natbib?.[1] ?? biblatex?.[1];
      if (list === undefined) continue;
      for (const key of list.split(',')) {
        const trimmed = key.trim();
        if (trimmed && trimmed !== '*') keys.push(trimmed);
      }
    }
    return keys;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('LaTeX oracle: citation keys agree with pdflatex', function () {
  this.timeout(120_000);

  for (const name of DOCUMENTS) {
    it(name, () => {
      const expected = texCitedKeys(name);
      const text = readFileSync(path.join(FIXTURES, name), 'utf8');
      const scan = scanLatexCitations(text);
      assert.deepEqual(scan.value.citations.map((c) => c.key), expected);
      assert.deepEqual(scan.diagnostics, []);
      assert.ok(expected.length >= 20, `the fixture should cite plenty of keys, TeX saw ${expected.length}`);
    });
  }

  // Generated natbib documents mixing citation commands (spacing, notes, comments between command and
  // argument, keys over lines) with comments, escapes, verbatim and groups; a fixed seed keeps them stable.
  // `\nocite[…]` is left out: TeX then reads `[` as a key, which we report as a malformed command instead.
  it('agrees on generated documents', function () {
    this.timeout(180_000);
    const key = fc.constantFrom('a', 'b2', 'doe:2020', 'x-y', 'k_1', 'Z');
    const keyList = fc
      .tuple(fc.array(key, { minLength: 1, maxLength: 3 }), fc.constantFrom(',', ', ', ',\n  ', ' ,'))
      .map(([keys, separator]) => keys.join(separator));
    const command = fc.constantFrom('cite', 'citep', 'citet', 'citealp', 'citeauthor', 'Citet', 'citep*', 'citeyear');
    const notes = fc.constantFrom('', '[p.~3]', '[see][]', '[][p. 4]', ' [x] ', '[{see [1]}][5]');
    const piece = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(command, notes, keyList).map(([c, n, k]) => `\\${c}${n}{${k}}`) },
      keyList.map((k) => `\\nocite{${k}}`),
      keyList.map((k) => `\\cite%\n{${k}}`),
      fc.constantFrom(
        'text ', ' ', '\n', '% \\cite{commented}\n', '50\\% ', 'line\\\\ ', '\\verb|\\cite{verb}| ', '$x$ ', '\\emph{x} ',
        '\\begin{verbatim}\n\\cite{verbatim}\n\\end{verbatim}\n', '\\begin{comment}\n\\cite{comment}\n\\end{comment}\n',
        '{\\em grouped \\cite{g}} ', '\\section{Title} ',
      ),
    );
    const body = fc.array(piece, { minLength: 5, maxLength: 30 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(body, (content) => {
        const text = `\\documentclass{article}\n\\usepackage{natbib}\n\\usepackage{verbatim}\n\\begin{document}\n${content}\n\\end{document}\n`;
        const expected = texCitedKeys('generated.tex', text);
        assert.deepEqual(scanLatexCitations(text).value.citations.map((c) => c.key), expected);
      }),
      { seed: 1729, numRuns: 25 },
    );
  });
});
