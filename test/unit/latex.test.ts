import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Citation } from '../../src/core/model';
import { latexCitePrefixAt, scanLatexCitations } from '../../src/core/parsers/latex';

function citations(text: string): Citation[] {
  return scanLatexCitations(text).value.citations;
}

function slice(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

describe('scanLatexCitations', () => {
  const commands: [string, Citation['mode']][] = [
    ['cite', 'normal'], ['citep', 'normal'], ['citet', 'in-text'], ['citeauthor', 'in-text'], ['citeyear', 'normal'],
    ['citeyearpar', 'normal'], ['citealp', 'normal'], ['citealt', 'in-text'], ['parencite', 'normal'],
    ['textcite', 'in-text'], ['autocite', 'normal'], ['footcite', 'normal'], ['smartcite', 'normal'],
    ['supercite', 'normal'], ['fullcite', 'normal'], ['nocite', 'nocite'], ['Citet', 'in-text'],
    ['Parencite', 'normal'], ['Textcite', 'in-text'], ['Autocite', 'normal'], ['citep*', 'normal'],
    ['citet*', 'in-text'], ['textcite*', 'in-text'],
  ];
  for (const [command, mode] of commands) {
    it(`reads \\${command} as ${mode}`, () => {
      const text = `Text \\${command}{doe2020} more.`;
      const [c] = citations(text);
      assert.deepEqual(
        { key: c.key, mode: c.mode, command: c.command, syntax: c.syntax, group: slice(text, c.groupSpan) },
        { key: 'doe2020', mode, command, syntax: 'latex', group: `\\${command}{doe2020}` },
      );
      assert.equal(slice(text, c.keySpan), 'doe2020');
    });
  }

  it('reads comma-separated keys with spaces and line breaks, each with its own key span', () => {
    const text = '\\citep{a2020,  b2021 ,\n   c2022}';
    const cs = citations(text);
    assert.deepEqual(cs.map((c) => [c.key, slice(text, c.keySpan), c.group]), [
      ['a2020', 'a2020', 0], ['b2021', 'b2021', 0], ['c2022', 'c2022', 0],
    ]);
  });

  it('takes one optional argument as the postnote of the last key', () => {
    const text = '\\citep[p.~33]{a,b}';
    const cs = citations(text);
    assert.deepEqual(cs.map((c) => [c.key, c.prefix, c.locator, c.suffix]), [
      ['a', undefined, undefined, undefined],
      ['b', undefined, 'p.~33', undefined],
    ]);
  });

  it('takes two optional arguments as prenote (first key) and postnote (last key)', () => {
    const cs = citations('\\citep[see][chap.~2, and passim]{a}');
    assert.deepEqual(cs.map((c) => [c.prefix, c.locator, c.suffix]), [['see', 'chap.~2', 'and passim']]);
    const empty = citations('\\citep[e.g.][]{b}');
    assert.deepEqual(empty.map((c) => [c.prefix, c.locator]), [['e.g.', undefined]]);
  });

  it('reads multicite commands with global and per-key notes', () => {
    const text = '\\cites(Global)(post)[see][p.~3]{a}[4]{b,c}{d} and \\textcites{e}{f}';
    const cs = citations(text);
    assert.deepEqual(cs.map((c) => [c.key, c.group, c.mode, c.prefix, c.locator]), [
      ['a', 0, 'normal', 'see', 'p.~3'],
      ['b', 0, 'normal', undefined, undefined],
      ['c', 0, 'normal', undefined, '4'],
      ['d', 0, 'normal', undefined, undefined],
      ['e', 1, 'in-text', undefined, undefined],
      ['f', 1, 'in-text', undefined, undefined],
    ]);
    assert.equal(slice(text, cs[0].groupSpan), '\\cites(Global)(post)[see][p.~3]{a}[4]{b,c}{d}');
    for (const command of ['parencites', 'autocites']) assert.equal(citations(`\\${command}{x}{y}`).length, 2);
  });

  it('does not treat \\nocite{*} as a key', () => {
    assert.deepEqual(citations('\\nocite{*}\\nocite{a,*}').map((c) => [c.key, c.mode]), [['a', 'nocite']]);
  });

  it('skips comments but not escaped percent signs', () => {
    const text = '50\\% \\cite{a} % \\cite{b}\n\\cite{c, % d\n e}';
    assert.deepEqual(citations(text).map((c) => c.key), ['a', 'c', 'e']);
  });

  it('skips verbatim-like environments and \\verb', () => {
    const text = [
      '\\begin{verbatim}\\cite{a}\\end{verbatim}',
      '\\begin{lstlisting}[language=TeX]\n\\cite{b}\n\\end{lstlisting}',
      '\\begin{minted}{latex}\n\\cite{c}\n\\end{minted}',
      '\\begin{comment}\n\\cite{d}\n\\end{comment}',
      '\\verb|\\cite{e}| \\verb*+\\cite{f}+ \\lstinline{\\cite{g}}',
      '\\begin{itemize}\\item \\cite{ok}\\end{itemize}',
    ].join('\n');
    assert.deepEqual(citations(text).map((c) => c.key), ['ok']);
  });

  it('allows spaces and comments between the command and its arguments', () => {
    assert.deepEqual(citations('\\citep [p.~3] {a} \\citet%\n{b}').map((c) => [c.key, c.locator]), [
      ['a', 'p.~3'], ['b', undefined],
    ]);
  });

  it('ignores look-alike commands and control symbols', () => {
    assert.deepEqual(citations('\\\\cite{a} \\citex{b} \\recite{c} \\cite'), []);
  });

  it('reports an unclosed argument with a diagnostic and keeps scanning after the paragraph', () => {
    const text = '\\cite{a, b\n\nNext \\citep{c}';
    const result = scanLatexCitations(text);
    assert.deepEqual(result.value.citations.map((c) => c.key), ['c']);
    assert.equal(result.diagnostics.length, 1);
    assert.equal(result.diagnostics[0].code, 'latex-cite-syntax');
    assert.equal(slice(text, result.diagnostics[0].span), '\\cite{');
  });

  it('gives \\nocite no optional arguments, as LaTeX does', () => {
    const result = scanLatexCitations('\\nocite[p.~3]{a} \\nocite {b}');
    assert.deepEqual(result.value.citations.map((c) => c.key), ['b']);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['latex-cite-syntax']);
  });

  it('reports a command without a key argument', () => {
    const result = scanLatexCitations('\\citep[p.~3] no keys');
    assert.deepEqual(result.value.citations, []);
    assert.equal(result.diagnostics[0].code, 'latex-cite-syntax');
  });

  it('has no cross-references and handles CRLF line ends', () => {
    const text = '\\citep{a,\r\n b}\r\n% \\cite{c}\r\n\\cite{d}';
    const result = scanLatexCitations(text);
    assert.deepEqual(result.value.crossRefs, []);
    assert.deepEqual(result.value.citations.map((c) => slice(text, c.keySpan)), ['a', 'b', 'd']);
  });
});

describe('latexCitePrefixAt', () => {
  function at(marked: string) {
    const offset = marked.indexOf('|');
    return latexCitePrefixAt(marked.slice(0, offset) + marked.slice(offset + 1), offset);
  }

  it('returns the partial key after the last comma inside a cite command', () => {
    assert.deepEqual(at('\\cite{ela|'), { start: 6, prefix: 'ela' });
    assert.deepEqual(at('\\citep[p.~3]{a, b|}'), { start: 16, prefix: 'b' });
    assert.deepEqual(at('\\textcite{|}'), { start: 10, prefix: '' });
    assert.deepEqual(at('\\cites[see]{a}{ol|'), { start: 15, prefix: 'ol' });
    assert.deepEqual(at('\\parencite*{x,\n  y|'), { start: 17, prefix: 'y' });
  });

  it('is undefined outside key lists, in comments and in verbatim', () => {
    assert.equal(at('\\citep[p|]{a}'), undefined);
    assert.equal(at('\\emph{ab|}'), undefined);
    assert.equal(at('% \\cite{ab|'), undefined);
    assert.equal(at('\\begin{verbatim}\n\\cite{ab|'), undefined);
    assert.equal(at('plain text|'), undefined);
  });

  it('treats an unclosed verbatim environment as verbatim to the end, across blank lines', () => {
    assert.equal(at('\\begin{verbatim}\n\n\\cite{ab|'), undefined);
    assert.equal(at('\\begin{lstlisting}\nx\n\nmore\n\n\\cite{ab|'), undefined);
    assert.equal(at('\\begin{verbatim}\n\n\\cite{ab|\n\n\\end{verbatim}\n'), undefined);
    assert.deepEqual(at('\\begin{verbatim}\nx\n\\end{verbatim}\n\n\\cite{ab|'), { start: 41, prefix: 'ab' });
    // A commented-out or \\verb-quoted \\begin opens nothing.
    assert.deepEqual(at('% \\begin{verbatim}\n\n\\cite{ab|'), { start: 26, prefix: 'ab' });
    assert.deepEqual(at('\\verb+\\begin{verbatim}+\n\n\\cite{ab|'), { start: 31, prefix: 'ab' });
    // Verbatim text does not end the paragraph: a runaway argument before it still swallows the cite after it.
    const runaway = 'Text.\n\n\\citep[p.\n\\begin{comment}\n\\cite{k7}\n\\end{comment}\\cite{k8}\n';
    assert.deepEqual(citations(runaway), []);
    assert.equal(latexCitePrefixAt(runaway, runaway.indexOf('k8') + 2), undefined);
  });

  it('ends a key list at a blank line, as TeX does', () => {
    assert.equal(at('\\cite{a,\n\n b|'), undefined);
    assert.equal(at('\\cite{a,\r\n  \r\n b|'), undefined);
    assert.deepEqual(at('\\cite{a,\r\n b|'), { start: 11, prefix: 'b' });
  });

  it('gives the key of every citation the scanner finds, at the end of its key', () => {
    let checked = 0;
    for (const name of ['latex/natbib.tex', 'latex/biblatex.tex', 'workspace/drafts/draft.tex']) {
      const text = readFileSync(path.resolve(__dirname, '../../../test/fixtures', name), 'utf8');
      for (const citation of citations(text)) {
        const found = latexCitePrefixAt(text, citation.keySpan.end);
        assert.deepEqual(found, { start: citation.keySpan.start, prefix: citation.key }, `${name}: ${citation.key} at ${citation.keySpan.start}`);
        checked++;
      }
    }
    assert.ok(checked > 20, `only ${checked} citations checked`);
  });
});
