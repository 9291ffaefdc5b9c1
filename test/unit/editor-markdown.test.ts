// Hover Markdown is built from untrusted file text: nothing in a title, abstract or note may become a link,
// command, image, HTML or block structure.
import * as assert from 'node:assert/strict';
import type { ResolvedPaper } from '../../src/core/index/types';
import { HOVER_COMMANDS, noteExcerpt, paperHoverMarkdown, unresolvedHoverMarkdown } from '../../src/vscode/hoverContent';
import { commandUri, escapeMarkdown, formatAuthors, markdownLink, safeHttpUrl, shortAuthor, trimText } from '../../src/vscode/markdownText';

/** Every `](target)` link destination in a Markdown string, ignoring escaped brackets. */
function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]);
}

describe('escapeMarkdown', () => {
  it('defuses a command link', () => {
    const out = escapeMarkdown('[click](command:workbench.action.terminal.sendSequence?%7B%7D)');
    assert.equal(out, '\\[click\\]\\(command\\:workbench\\.action\\.terminal\\.sendSequence?%7B%7D\\)');
    assert.deepEqual(linkTargets(out), []);
  });

  it('defuses HTML, images and autolinks', () => {
    assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '\\<img src\\=x onerror\\=alert\\(1\\)\\>');
    assert.equal(escapeMarkdown('![x](http://evil/p.png)'), '\\!\\[x\\]\\(http\\://evil/p\\.png\\)');
    assert.equal(escapeMarkdown('<https://x.org>'), '\\<https\\://x\\.org\\>');
  });

  it('escapes emphasis, code and entity characters', () => {
    assert.equal(escapeMarkdown('`code` *bold* _it_ ~~s~~ &amp;'), '\\`code\\` \\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\&amp;');
  });

  it('flattens block structure so a file cannot start a heading, list, quote or fence', () => {
    const out = escapeMarkdown('line one\n# Heading\n- item\n> quote\n```\nfence');
    assert.ok(!out.includes('\n'));
    assert.equal(out, 'line one \\# Heading \\- item \\> quote \\`\\`\\` fence');
  });

  it('keeps plain text and unicode readable', () => {
    assert.equal(escapeMarkdown('Toy models of superposition'), 'Toy models of superposition');
    assert.equal(escapeMarkdown('Schölkopf — 2021'), 'Schölkopf — 2021');
  });
});

describe('links we build', () => {
  it('percent-encodes parentheses and spaces so a URL cannot close the link early', () => {
    assert.equal(markdownLink('x', 'https://a.org/p(1) q'), '[x](https://a.org/p%281%29%20q)');
  });

  it('passes only http(s) URLs', () => {
    assert.equal(safeHttpUrl('https://arxiv.org/abs/2301.05217'), 'https://arxiv.org/abs/2301.05217');
    assert.equal(safeHttpUrl('javascript:alert(1)'), undefined);
    assert.equal(safeHttpUrl('command:interpReview.reindex'), undefined);
    assert.equal(safeHttpUrl('file:///etc/passwd'), undefined);
  });

  it('encodes command arguments as JSON', () => {
    assert.equal(commandUri('interpReview.openPaper', ['a b']), `command:interpReview.openPaper?${encodeURIComponent('["a b"]')}`);
  });
});

describe('authors and trimming', () => {
  it('abbreviates given names and lists three authors before et al.', () => {
    assert.equal(shortAuthor('Elhage, Nelson'), 'N. Elhage');
    assert.equal(shortAuthor('Lee, Jean-Luc'), 'J.-L. Lee');
    assert.equal(shortAuthor('Anthropic Interpretability Team'), 'Anthropic Interpretability Team');
    assert.equal(formatAuthors(['Nanda, Neel', 'Chan, Lawrence']), 'N. Nanda and L. Chan');
    assert.equal(formatAuthors(['A, B', 'C, D', 'E, F']), 'B. A, D. C and F. E');
    assert.equal(formatAuthors(['A, B', 'C, D', 'E, F', 'G, H']), 'B. A, D. C, F. E et al.');
  });

  it('trims at a word boundary and says so', () => {
    const { text, cut } = trimText('alpha beta gamma delta', 12);
    assert.equal(cut, true);
    assert.equal(text, 'alpha beta…');
    assert.deepEqual(trimText('short', 12), { text: 'short', cut: false });
  });
});

function paper(overrides: Partial<ResolvedPaper['info']> = {}, extra: Partial<ResolvedPaper> = {}): ResolvedPaper {
  return {
    key: 'elhage2022toy',
    entries: [],
    notes: [],
    info: { title: 'Toy Models of Superposition', authors: ['Elhage, Nelson', 'Hume, Tristan', 'Olsson, Catherine', 'Schiefer, Nicholas'], year: '2022', keywords: [], ...overrides },
    ...extra,
  };
}

describe('paper hover', () => {
  it('shows title, authors, year, venue, links and usage', () => {
    const md = paperHoverMarkdown({
      paper: paper({ venue: 'Transformer Circuits Thread', arxiv: '2209.10652', doi: '10.1000/x' }),
      stats: { citations: 3, documents: 2 },
      definedIn: ['refs.bib'],
    });
    assert.match(md, /^\*\*Toy Models of Superposition\*\*/);
    assert.ok(md.includes('N\\. Elhage, T\\. Hume, C\\. Olsson et al\\. · 2022 · Transformer Circuits Thread'));
    assert.ok(md.includes('[arXiv\\:2209\\.10652](https://arxiv.org/abs/2209.10652)'));
    assert.ok(md.includes('[doi\\:10\\.1000/x](https://doi.org/10.1000/x)'));
    assert.ok(md.includes('cited 3 times in 2 documents'));
    assert.ok(md.includes('defined in refs\\.bib'));
  });

  it('trims a long abstract and links to the paper panel for the rest', () => {
    const md = paperHoverMarkdown({ paper: paper({ abstract: 'word '.repeat(200) }), stats: { citations: 0, documents: 0 }, definedIn: [] });
    assert.ok(md.includes('…'));
    assert.ok(md.includes(`[more](${commandUri('interpReview.openPaper', ['elhage2022toy'])})`));
  });

  it('links only to https and allow-listed commands, whatever the metadata says', () => {
    const md = paperHoverMarkdown({
      paper: paper({
        title: 'Evil [x](command:workbench.action.terminal.new) <img src=x>',
        abstract: 'See [here](command:workbench.action.openSettings) and ![i](http://t/p.png)',
        url: 'javascript:alert(1)',
        authors: ['[a](command:x), B'],
      }),
      stats: { citations: 1, documents: 1 },
      noteExcerpt: '[note](command:workbench.action.reloadWindow)',
      definedIn: ['[f](command:y).bib'],
    });
    for (const target of linkTargets(md)) {
      const command = /^command:([^?]+)/.exec(target)?.[1];
      if (command) assert.ok((HOVER_COMMANDS as readonly string[]).includes(command), `unexpected command link ${target}`);
      else assert.match(target, /^https:\/\//);
    }
    assert.ok(!/(?<!\\)</.test(md), 'no raw HTML survives');
  });

  it('offers to create a note when there is none, and shows the note when there is', () => {
    const without = paperHoverMarkdown({ paper: paper(), stats: { citations: 0, documents: 0 }, definedIn: [] });
    assert.ok(without.includes('command:interpReview.createPaperNote'));
    const withNote = paperHoverMarkdown({
      paper: paper({}, { notes: [{ uri: 'file:///n.md', note: { info: { authors: [], keywords: [] }, tags: [], methods: [], problems: [], bodyStart: 0 } }] }),
      stats: { citations: 0, documents: 0 },
      noteExcerpt: 'Superposition lets models store more features than dimensions.',
      definedIn: ['notes/elhage.md'],
    });
    assert.ok(withNote.includes('*Note:* Superposition lets models store more features than dimensions\\.'));
    assert.ok(withNote.includes('command:interpReview.openPaperNote'));
    assert.ok(!withNote.includes('command:interpReview.createPaperNote'));
  });

  it('survives URLs that look like http but do not parse', () => {
    const md = paperHoverMarkdown({ paper: paper({ url: 'http://[broken' }), stats: { citations: 0, documents: 0 }, definedIn: [] });
    assert.ok(md.includes('[http\\://\\[broken](http://[broken)'), md);
  });

  it('reports duplicates', () => {
    const site = { uri: 'file:///a.bib', entry: { key: 'k', type: 'article', format: 'bibtex' as const, span: { start: 0, end: 1 }, keySpan: { start: 0, end: 1 } } };
    const md = paperHoverMarkdown({ paper: paper({}, { entries: [site, { ...site, uri: 'file:///b.bib' }] }), stats: { citations: 1, documents: 1 }, definedIn: ['a.bib', 'b.bib'] });
    assert.ok(md.includes('**2 definitions** (duplicate key)'));
  });
});

describe('unresolved hover', () => {
  it('says the key is unknown and offers the nearest keys', () => {
    const md = unresolvedHoverMarkdown('elhage2022toi', ['elhage2022toy', 'elhage2021mathematical']);
    assert.ok(md.startsWith('**Unknown citation key** elhage2022toi'));
    assert.ok(md.includes(`[elhage2022toy](${commandUri('interpReview.openPaper', ['elhage2022toy'])})`));
  });

  it('escapes the key itself', () => {
    assert.ok(unresolvedHoverMarkdown('a_b*c', []).includes('a\\_b\\*c'));
  });
});

describe('note excerpt', () => {
  it('takes the first prose lines, skipping headings and fences', () => {
    const body = '\n# Toy models\n\nModels store features in superposition.\nThey use almost-orthogonal directions.\n\n## More\nLater text.';
    assert.equal(noteExcerpt(body), 'Models store features in superposition. They use almost-orthogonal directions. Later text.');
  });

  it('is undefined for an empty body', () => {
    assert.equal(noteExcerpt('\n# Only a heading\n'), undefined);
  });
});
