import * as assert from 'node:assert/strict';
import type { BibEntry, ParseResult, Span } from '../../src/core/model';
import { parseFrontmatter } from '../../src/core/parsers/frontmatter';
import { parseBibliographySettings, parseNote } from '../../src/core/parsers/note';

function note(text: string) {
  return parseNote(text, parseFrontmatter(text).value);
}

const fakeReader = (items: readonly unknown[], { span }: { span: Span }): ParseResult<BibEntry[]> => ({
  value: items.map((item) => ({ key: String((item as { id: unknown }).id), type: 'article', format: 'inline', span, keySpan: span })),
  diagnostics: [],
});

describe('parseNote', () => {
  it('reads the paper fields of a note', () => {
    const text = [
      '---',
      'citekey: "olah2020zoom"',
      'title: Zoom In',
      'authors: [Olah, Chris, "Cammarata, Nick"]',
      'year: 2020',
      'doi: 10.23915/distill.00024.001',
      'arxiv: "2001.00001"',
      'url: https://distill.pub/2020/circuits/zoom-in',
      'tags: [circuits, "#vision"]',
      'methods: [circuit-analysis]',
      'problems: [superposition]',
      'status: read',
      '---',
      '',
      'Intro text.',
      '',
      '## Summary',
      '',
    ].join('\n');
    const n = note(text);
    assert.ok(n);
    assert.equal(n.citekey, 'olah2020zoom');
    assert.equal(text.slice(n.citekeySpan!.start, n.citekeySpan!.end), 'olah2020zoom');
    assert.deepEqual(n.info, {
      title: 'Zoom In',
      authors: ['Olah', 'Chris', 'Cammarata, Nick'],
      year: '2020',
      doi: '10.23915/distill.00024.001',
      arxiv: '2001.00001',
      url: 'https://distill.pub/2020/circuits/zoom-in',
      keywords: [],
    });
    assert.deepEqual(n.tags, ['circuits', 'vision']);
    assert.deepEqual(n.methods, ['circuit-analysis']);
    assert.deepEqual(n.problems, ['superposition']);
    assert.equal(n.status, 'read');
    assert.equal(text.slice(n.bodyStart, n.bodyStart + 6), '\nIntro');
    assert.equal(text.slice(n.titleSpan!.start, n.titleSpan!.end), '## Summary');
  });

  it('takes `id` when there is no citekey, authors as one string, and the heading as title', () => {
    const text = '---\nid: 42\nauthor: Nanda, Neel and Lieberum, Tom\n---\n```\n# not a heading\n```\nTitle Line\n==========\n';
    const n = note(text);
    assert.equal(n?.citekey, '42');
    assert.deepEqual(n?.info.authors, ['Nanda, Neel', 'Lieberum, Tom']);
    assert.equal(n?.info.title, 'Title Line');
    assert.equal(text.slice(n!.titleSpan!.start, n!.titleSpan!.end), 'Title Line');
  });

  it('finds the first heading by the block rules: fences, indentation, ATX levels, setext underlines, line ends', () => {
    const cases: [body: string, heading: string | undefined][] = [
      ['\n# Title\n', '# Title'],
      ['\n#\n', '#'],
      ['\n###### Six\n', '###### Six'],
      ['\n####### Seven\nText\n', undefined],
      ['\n#NoSpace\n', undefined],
      ['\n   # Three spaces in\n', '   # Three spaces in'],
      ['\n    # Code, four spaces in\n', undefined],
      ['\n#\tTabbed\n', '#\tTabbed'],
      ['\nSetext\n---\n', 'Setext'],
      ['\nSetext\n  ===  \n', 'Setext'],
      ['\n\n---\n', undefined],
      ['\n    indented\n---\n', undefined],
      ['\n\u00a0\n===\n', undefined],
      ['\n```\n# in code\n``\n# still code\n```\n# Out\n', '# Out'],
      ['\n~~~~\n# in code\n~~~\n```\n~~~~~\nAfter\n=\n', 'After'],
      ['\n````\n# never closed\n', undefined],
      ['\r\n# Crlf\r\nText\r\n', '# Crlf'],
      ['\rLone\r===\r', 'Lone'],
      ['\nLast line # Hash', undefined],
      ['\n# Last line', '# Last line'],
    ];
    for (const [body, heading] of cases) {
      const text = `---\ntags: [a]\n---${body}`;
      const span = note(text)?.titleSpan;
      assert.equal(span && text.slice(span.start, span.end), heading, JSON.stringify(body));
    }
  });

  it('is a note without a citekey when it carries reading metadata', () => {
    const n = note('---\ntags: a, b\n---\n');
    assert.ok(n);
    assert.equal(n.citekey, undefined);
    assert.deepEqual(n.tags, ['a', 'b']);
  });

  it('is not a note when the front matter only has document fields or no mapping', () => {
    assert.equal(note('---\ntitle: My Review\nauthor: Me\n---\n'), undefined);
    assert.equal(note('no front matter'), undefined);
    assert.equal(note('---\n- x\n---\n'), undefined);
  });

  it('ignores values of the wrong shape instead of failing', () => {
    const n = note('---\ncitekey: [a, b]\ntags: {x: 1}\nyear: {y: 2}\nauthors: [{family: Elhage, given: Nelson}, {name: Anthropic}, 3]\n---\n');
    assert.ok(n);
    assert.equal(n.citekey, undefined);
    assert.deepEqual(n.tags, []);
    assert.equal(n.info.year, undefined);
    assert.deepEqual(n.info.authors, ['Elhage, Nelson', 'Anthropic', '3']);
  });
});

describe('parseBibliographySettings', () => {
  it('reads a single bibliography path with its span', () => {
    const text = '---\nbibliography: refs/main.bib\n---\n';
    const settings = parseBibliographySettings(text, parseFrontmatter(text).value, fakeReader).value;
    assert.equal(settings?.files.length, 1);
    assert.equal(settings!.files[0].path, 'refs/main.bib');
    assert.equal(text.slice(settings!.files[0].span.start, settings!.files[0].span.end), 'refs/main.bib');
  });

  it('reads a list of paths, each with its own span, and inline references', () => {
    const text = '---\nbibliography:\n  - a.bib\n  - "b.json"\nreferences:\n  - id: inline1\n    type: article\n---\n';
    const settings = parseBibliographySettings(text, parseFrontmatter(text).value, fakeReader).value;
    assert.deepEqual(settings?.files.map((f) => [f.path, text.slice(f.span.start, f.span.end)]), [['a.bib', 'a.bib'], ['b.json', 'b.json']]);
    assert.deepEqual(settings?.references.map((r) => r.key), ['inline1']);
  });

  it('is undefined without either setting', () => {
    const text = '---\ntitle: x\n---\n';
    assert.equal(parseBibliographySettings(text, parseFrontmatter(text).value, fakeReader).value, undefined);
  });
});
