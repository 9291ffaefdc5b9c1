import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Citation } from '../../src/core/model';
import { markdownLayout } from '../../src/core/parsers/markdownRegions';
import { citationPrefixAt, scanPandocCitations } from '../../src/core/parsers/pandoc';

function scan(text: string) {
  return scanPandocCitations(text).value;
}

function keys(text: string): string[] {
  return scan(text).citations.map((c) => c.key);
}

function slice(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

/** The citation's fields that tests compare, spans as text. */
function fields(text: string, c: Citation) {
  return {
    key: c.key,
    keyText: slice(text, c.keySpan),
    span: slice(text, c.span),
    group: c.group,
    groupSpan: slice(text, c.groupSpan),
    mode: c.mode,
    prefix: c.prefix,
    locator: c.locator,
    suffix: c.suffix,
  };
}

describe('scanPandocCitations', () => {
  it('splits a bracketed group into items with prefix, locator and suffix', () => {
    const text = 'As shown [see @doe99, pp. 33-35; also @smith04, chap. 1, and passim].';
    const { citations } = scan(text);
    assert.deepEqual(
      citations.map((c) => fields(text, c)),
      [
        {
          key: 'doe99', keyText: 'doe99', span: '@doe99, pp. 33-35', group: 0,
          groupSpan: '[see @doe99, pp. 33-35; also @smith04, chap. 1, and passim]', mode: 'normal',
          prefix: 'see', locator: 'pp. 33-35', suffix: undefined,
        },
        {
          key: 'smith04', keyText: 'smith04', span: '@smith04, chap. 1, and passim', group: 0,
          groupSpan: '[see @doe99, pp. 33-35; also @smith04, chap. 1, and passim]', mode: 'normal',
          prefix: 'also', locator: 'chap. 1', suffix: 'and passim',
        },
      ],
    );
    assert.ok(citations.every((c) => c.syntax === 'pandoc'));
  });

  it('numbers groups in document order and keeps suffix text without a locator term', () => {
    const text = '[@a] then [@b; @c the rest] and [@d, 12-14]';
    const { citations } = scan(text);
    assert.deepEqual(citations.map((c) => [c.key, c.group]), [['a', 0], ['b', 1], ['c', 1], ['d', 2]]);
    assert.equal(citations[2].suffix, 'the rest');
    assert.equal(citations[2].locator, undefined);
    assert.equal(citations[3].locator, '12-14');
  });

  it('reads suppress-author items', () => {
    const text = 'Elhage et al. [-@elhage2022toy, p. 3]';
    const [c] = scan(text).citations;
    assert.equal(c.mode, 'suppress-author');
    assert.equal(slice(text, c.span), '-@elhage2022toy, p. 3');
    assert.equal(slice(text, c.keySpan), 'elhage2022toy');
    assert.equal(c.locator, 'p. 3');
  });

  it('reads in-text citations, with a locator in brackets right after', () => {
    const text = '@olah2020zoom [p. 3] argue that @elhage2022toy is right.';
    const citations = scan(text).citations.map((c) => fields(text, c));
    assert.deepEqual(citations, [
      {
        key: 'olah2020zoom', keyText: 'olah2020zoom', span: '@olah2020zoom [p. 3]', group: 0,
        groupSpan: '@olah2020zoom [p. 3]', mode: 'in-text', prefix: undefined, locator: 'p. 3', suffix: undefined,
      },
      {
        key: 'elhage2022toy', keyText: 'elhage2022toy', span: '@elhage2022toy', group: 1,
        groupSpan: '@elhage2022toy', mode: 'in-text', prefix: undefined, locator: undefined, suffix: undefined,
      },
    ]);
  });

  it('joins an in-text citation and a bracketed group right after it into one group', () => {
    const text = '@wang2022 [see @meng2022, p. 2]';
    const citations = scan(text).citations;
    assert.deepEqual(citations.map((c) => [c.key, c.mode, c.group, slice(text, c.groupSpan)]), [
      ['wang2022', 'in-text', 0, text],
      ['meng2022', 'normal', 0, text],
    ]);
    assert.equal(citations[1].prefix, 'see');
  });

  it('reports keys inside a suffix as in-text citations of their own, after the item', () => {
    const text = '[@a, see also @b]';
    const citations = scan(text).citations;
    assert.deepEqual(citations.map((c) => [c.key, c.mode, c.group]), [['a', 'normal', 0], ['b', 'in-text', 1]]);
    assert.equal(slice(text, citations[1].groupSpan), '@b');
  });

  it('gives braced keys their content as key and key span', () => {
    const text = 'See @{https://example.com/bib?name=foobar&date=2000} and [@{doe,2020}, p. 4].';
    const citations = scan(text).citations;
    assert.deepEqual(citations.map((c) => c.key), ['https://example.com/bib?name=foobar&date=2000', 'doe,2020']);
    for (const c of citations) assert.equal(slice(text, c.keySpan), c.key);
    assert.equal(slice(text, citations[0].span), '@{https://example.com/bib?name=foobar&date=2000}');
    assert.equal(citations[1].locator, 'p. 4');
  });

  it('applies pandoc key rules: internal punctuation only before a key character', () => {
    assert.deepEqual(keys('@doe:2020. @doe2020: @a--b @a://b @a.b.'), ['doe:2020', 'doe2020', 'a', 'a://b', 'a.b']);
    assert.deepEqual(keys('@müller2021 @中文 @𝒜x @café @cafe\u0301x'), ['müller2021', '中文', '𝒜x', 'café', 'cafe']);
  });

  it('ignores e-mail addresses, escapes and word-attached at signs', () => {
    assert.deepEqual(keys('mail jane@example.org, \\@no, x.@no, a@b@yes'), ['yes']);
  });

  it('ignores code, math, comments, HTML attributes, link destinations and autolinks', () => {
    const text = [
      'Text `@a` ``@b`` $@c$ <!-- @d --> <span title="@e">@ok1</span>',
      '[x](http://x.org/@f) <https://x.org/@g> \\emph{@h}',
      '',
      '```',
      '@i',
      '```',
      '',
      '    @j',
      '',
      'End @ok2.',
    ].join('\n');
    assert.deepEqual(keys(text), ['ok1', 'ok2']);
  });

  it('ignores YAML frontmatter', () => {
    const text = '---\ntitle: "@a"\nnocite: "@b"\n---\n\nBody @c.\n';
    const [c] = scan(text).citations;
    assert.equal(c.key, 'c');
    assert.equal(slice(text, c.keySpan), 'c');
  });

  it('reports Quarto and pandoc-crossref labels as cross-references', () => {
    const text = 'See @fig-plot, [@tbl:results; @doe2020] and @sec-intro.';
    const { citations, crossRefs } = scan(text);
    assert.deepEqual(citations.map((c) => [c.key, c.group]), [['doe2020', 0]]);
    assert.deepEqual(crossRefs.map((r) => [r.label, r.kind, slice(text, r.span)]), [
      ['fig-plot', 'fig', '@fig-plot'],
      ['tbl:results', 'tbl', '@tbl:results'],
      ['sec-intro', 'sec', '@sec-intro'],
    ]);
  });

  it('tells two- and three-letter cross-reference kinds from keys that merely start like them', () => {
    const text = 'By @eq-energy and @eq:2, listing @lst-code; but @figure-ground2020, @eqx-a and @sec2024 are papers.';
    assert.deepEqual(scan(text).crossRefs.map((r) => [r.label, r.kind]), [['eq-energy', 'eq'], ['eq:2', 'eq'], ['lst-code', 'lst']]);
    assert.deepEqual(scan(text).citations.map((c) => c.key), ['figure-ground2020', 'eqx-a', 'sec2024']);
  });

  it('leaves example-list references out, but not bracketed citations of the same label', () => {
    const text = '(@good) An example.\n\nAs (@good) shows, and [@good].\n';
    assert.deepEqual(scan(text).citations.map((c) => [c.key, c.mode]), [['good', 'normal']]);
  });

  it('keeps an in-text citation with a locator when its example label is defined only later', () => {
    const text = 'Before: @good [p. 3] and @good.\n\n(@good) An example.\n\nAfter: @good [p. 4].\n';
    const citations = scan(text).citations;
    assert.deepEqual(citations.map((c) => [c.key, c.locator]), [['good', 'p. 3']]);
  });

  it('keeps spans exact across CRLF and lone CR line ends', () => {
    for (const eol of ['\r\n', '\r']) {
      const text = `Intro${eol}${eol}[see @a, p. 3;${eol}@b]${eol}@c`;
      const citations = scan(text).citations;
      assert.deepEqual(citations.map((c) => slice(text, c.keySpan)), ['a', 'b', 'c'], JSON.stringify(eol));
      assert.equal(slice(text, citations[1].groupSpan), `[see @a, p. 3;${eol}@b]`);
    }
  });

  it('returns no diagnostics and no citations for empty or citation-free text', () => {
    const empty = scanPandocCitations('');
    assert.deepEqual([empty.value.citations, empty.value.crossRefs, empty.diagnostics], [[], [], []]);
    assert.deepEqual(scan('Plain text with [brackets] and a@b.').citations, []);
  });
});

describe('citationPrefixAt', () => {
  function at(marked: string) {
    const offset = marked.indexOf('|');
    return citationPrefixAt(marked.slice(0, offset) + marked.slice(offset + 1), offset);
  }

  it('returns the partial key after @', () => {
    assert.deepEqual(at('See @ela|'), { start: 5, prefix: 'ela' });
    assert.deepEqual(at('See @|'), { start: 5, prefix: '' });
    assert.deepEqual(at('[see @doe:20|, p. 3]'), { start: 6, prefix: 'doe:20' });
    assert.deepEqual(at('[-@smi|]'), { start: 3, prefix: 'smi' });
    assert.deepEqual(at('@abc|def rest'), { start: 1, prefix: 'abc' });
    assert.deepEqual(at('Body\n\n@{https://x|'), { start: 8, prefix: 'https://x' });
  });

  it('is undefined where pandoc reads no citation', () => {
    assert.equal(at('mail jane@exa|'), undefined);
    assert.equal(at('code `@ab|`'), undefined);
    assert.equal(at('```\n@ab|\n```\n'), undefined);
    assert.equal(at('x <!-- @ab| -->'), undefined);
    assert.equal(at('---\ntitle: "@ab|"\n---\n\nBody\n'), undefined);
    assert.equal(at('math $@ab|$'), undefined);
    assert.equal(at('[x](http://@ab|)'), undefined);
    assert.equal(at('no at sign|'), undefined);
    assert.equal(at('@a..|'), undefined);
  });

  it('is undefined after a fence that nothing closes: the code block is still being typed', () => {
    assert.equal(at('```\n[@nan|'), undefined);
    assert.equal(at('Intro [@a].\n\n~~~~ python\ntext\n\n[@nan|'), undefined);
    assert.deepEqual(at('```\ncode\n```\n\n[@nan|'), { start: 16, prefix: 'nan' });
    // A fence after the cursor does not matter.
    assert.deepEqual(at('[@nan|]\n\n```\n'), { start: 2, prefix: 'nan' });
  });

  it('knows comments and raw blocks that run on from earlier paragraphs', () => {
    assert.equal(at('x <!-- start\n\nmore @ab| text -->\n'), undefined);
    assert.deepEqual(at('x <!-- start\n\nend --> @ab|\n'), { start: 23, prefix: 'ab' });
    assert.deepEqual(at('<!-- a -->\n\n<!-- b\n\nb -->\n\nSee @ab|'), { start: 32, prefix: 'ab' });
    assert.equal(at('\\begin{figure}\n\nSee @ab|\n\n\\end{figure}\n'), undefined);
    assert.equal(at('<pre>\n\nSee @ab|\n\n</pre>\n'), undefined);
    assert.deepEqual(at('<pre>x</pre>\n\nSee @ab|\n'), { start: 19, prefix: 'ab' });
  });

  it('gives the key of every citation the scanner finds, at the end of its key', () => {
    const dir = path.resolve(__dirname, '../../../test/fixtures/pandoc-oracle');
    const documents = readdirSync(dir)
      .filter((name) => name.endsWith('.md'))
      .map((name) => readFileSync(path.join(dir, name), 'utf8'));
    documents.push(readFileSync(path.resolve(__dirname, '../../../test/fixtures/workspace/review.md'), 'utf8'));
    let checked = 0;
    for (const text of documents) {
      // After a fence nothing closes pandoc reads text, but completion treats it as code (tested above).
      const { firstUnclosedFence } = markdownLayout(text);
      for (const citation of scan(text).citations) {
        if (text.charCodeAt(citation.keySpan.start - 1) === 123) continue; // braced keys end inside `{…}`
        if (firstUnclosedFence >= 0 && citation.keySpan.start > firstUnclosedFence) continue;
        const found = citationPrefixAt(text, citation.keySpan.end);
        assert.deepEqual(found, { start: citation.keySpan.start, prefix: citation.key }, `${citation.key} at ${citation.keySpan.start}`);
        checked++;
      }
    }
    assert.ok(checked > 100, `only ${checked} citations checked`);
  });

  it('does not reuse one text\'s block structure for another of the same length', () => {
    const fenced = '```\n[@nan';
    const plain = 'xxx\n[@nan';
    assert.equal(citationPrefixAt(fenced, fenced.length), undefined);
    assert.deepEqual(citationPrefixAt(plain, plain.length), { start: 6, prefix: 'nan' });
    assert.equal(citationPrefixAt(fenced, fenced.length), undefined);
  });
});
