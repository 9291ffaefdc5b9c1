// Text the editor features generate: BibTeX for corpus papers, plain references, note files from templates.
import * as assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { CorpusPaper } from '../../src/core/corpus/types';
import { parseBibtex, paperInfo } from '../../src/core/parsers/bibtex';
import { bibtexValue, citationSnippet, corpusPaperToBibtex, DEFAULT_NOTE_TEMPLATE, noteFileName, plainReference, renderNoteTemplate } from '../../src/vscode/paperText';

const corpusPaper: CorpusPaper = {
  id: 'paper:nanda2023progress',
  key: 'nanda2023progress',
  title: 'Progress measures for grokking via mechanistic interpretability',
  authors: ['Nanda, Neel', 'Chan, Lawrence', 'Lieberum, Tom', 'Smith, Jess', 'Steinhardt, Jacob'],
  year: 2023,
  venue: 'ICLR',
  arxiv: '2301.05217',
  cites: [],
  methods: [],
  problems: [],
  tags: [],
};

describe('BibTeX from corpus papers', () => {
  it('round-trips through our BibTeX parser', () => {
    const text = corpusPaperToBibtex(corpusPaper);
    const parsed = parseBibtex(text, {});
    assert.deepEqual(parsed.diagnostics, []);
    assert.equal(parsed.value.length, 1);
    const entry = parsed.value[0];
    assert.equal(entry.key, 'nanda2023progress');
    const info = paperInfo(entry);
    assert.equal(info.title, corpusPaper.title);
    assert.deepEqual(info.authors, corpusPaper.authors);
    assert.equal(info.year, '2023');
    assert.equal(info.arxiv, '2301.05217');
  });

  it('escapes characters BibTeX would misread', () => {
    assert.equal(bibtexValue('R&D 100% of $5 #1 a_b {x} ~ ^ \\'), 'R\\&D 100\\% of \\$5 \\#1 a\\_b \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}');
    const text = corpusPaperToBibtex({ ...corpusPaper, title: 'Circuits & {features}: 50% solved' });
    const parsed = parseBibtex(text, {});
    assert.deepEqual(parsed.diagnostics, []);
    assert.equal(paperInfo(parsed.value[0]).title, 'Circuits & {features}: 50% solved');
  });
});

describe('plain reference', () => {
  it('formats authors, year, title, venue and an identifier', () => {
    assert.equal(
      plainReference('k', { title: 'T', authors: ['A, B', 'C, D'], year: '2020', venue: 'V', doi: '10.1/x', keywords: [] }),
      'A, B; C, D (2020). T. V. https://doi.org/10.1/x',
    );
    assert.equal(plainReference('k', { authors: [], keywords: [] }), '(n.d.). k.');
  });
});

describe('note files', () => {
  it('makes file names safe on every OS', () => {
    assert.equal(noteFileName('nanda2023progress'), 'nanda2023progress.md');
    assert.equal(noteFileName('doe:2020/a b'), 'doe-2020-a-b.md');
    assert.equal(noteFileName('..'), 'note.md');
  });

  it('fills the default template with valid YAML frontmatter', () => {
    const text = renderNoteTemplate(DEFAULT_NOTE_TEMPLATE, 'nanda2023progress', { title: 'Progress measures: grokking', authors: ['Nanda, Neel', 'Chan, Lawrence'], year: '2023', keywords: [] }, new Date('2026-01-02T00:00:00Z'));
    const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
    assert.ok(front);
    const data = parseYaml(front[1]);
    assert.equal(data.citekey, 'nanda2023progress');
    assert.equal(data.title, 'Progress measures: grokking');
    assert.deepEqual(data.authors, ['Nanda, Neel', 'Chan, Lawrence']);
    assert.equal(String(data.year), '2023');
    assert.ok(text.includes('\n# Progress measures: grokking\n'), 'the body heading is not YAML-quoted');
  });

  it('keeps hostile titles inside their YAML scalar', () => {
    const text = renderNoteTemplate(DEFAULT_NOTE_TEMPLATE, 'k', { title: 'x\ncitekey: evil # "quoted"', authors: [], keywords: [] }, new Date());
    const data = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(text)![1]);
    assert.equal(data.citekey, 'k');
    assert.equal(data.title, 'x\ncitekey: evil # "quoted"');
  });

  it('fills custom templates and leaves unknown placeholders alone', () => {
    assert.equal(renderNoteTemplate('# ${title} (${year}) ${unknown} ${date}', 'k', { title: 'T', year: '2020', authors: [], keywords: [] }, new Date('2026-03-04T10:00:00Z')), '# T (2020) ${unknown} 2026-03-04');
  });
});

describe('inserted citation text', () => {
  it('wraps a Pandoc key in a group, or joins an open group', () => {
    assert.equal(citationSnippet('As shown ', 'k', 'pandoc'), '[@k]');
    assert.equal(citationSnippet('As shown [', 'k', 'pandoc'), '@k');
    assert.equal(citationSnippet('As shown [@a; ', 'k', 'pandoc'), '@k');
    assert.equal(citationSnippet('As shown [see @a, p. 3', 'k', 'pandoc'), '; @k');
    assert.equal(citationSnippet('A [link](x) and ', 'k', 'pandoc'), '[@k]');
  });

  it('writes \\cite in LaTeX, or adds to an open cite command', () => {
    assert.equal(citationSnippet('As shown ', 'k', 'latex'), '\\cite{k}');
    assert.equal(citationSnippet('As \\citep[p.~3]{', 'k', 'latex'), 'k');
    assert.equal(citationSnippet('As \\citep{a, ', 'k', 'latex'), 'k');
    assert.equal(citationSnippet('As \\citep{a', 'k', 'latex'), ',k');
    assert.equal(citationSnippet('As \\citep{a} and ', 'k', 'latex'), '\\cite{k}');
  });
});
