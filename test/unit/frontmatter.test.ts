import * as assert from 'node:assert/strict';
import { parseFrontmatter } from '../../src/core/parsers/frontmatter';

function slice(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

describe('parseFrontmatter', () => {
  it('reads a YAML block with spans for the block, the content and each top-level value', () => {
    const text = '---\ncitekey: elhage2021\ntitle: "A Mathematical Framework"\ntags: [circuits, attention]\n---\n# Body\n';
    const { value, diagnostics } = parseFrontmatter(text);
    assert.deepEqual(diagnostics, []);
    assert.ok(value);
    assert.deepEqual(value.data, { citekey: 'elhage2021', title: 'A Mathematical Framework', tags: ['circuits', 'attention'] });
    assert.equal(slice(text, value.span), text.slice(0, text.indexOf('# Body')));
    assert.equal(slice(text, value.contentSpan), 'citekey: elhage2021\ntitle: "A Mathematical Framework"\ntags: [circuits, attention]\n');
    assert.equal(slice(text, value.valueSpans.citekey), 'elhage2021');
    assert.equal(slice(text, value.valueSpans.title), '"A Mathematical Framework"');
    assert.equal(slice(text, value.valueSpans.tags), '[circuits, attention]');
  });

  it('accepts CRLF line endings, a BOM and a `...` closing fence', () => {
    const text = '\uFEFF---\r\nyear: 2023\r\n...\r\nbody';
    const { value } = parseFrontmatter(text);
    assert.ok(value);
    assert.deepEqual(value.data, { year: 2023 });
    assert.equal(value.span.start, 1);
    assert.equal(text.slice(value.span.end), 'body');
    assert.equal(slice(text, value.valueSpans.year), '2023');
  });

  it('returns nothing for documents without a leading fence', () => {
    assert.equal(parseFrontmatter('# Title\n---\na: 1\n---\n').value, undefined);
    assert.equal(parseFrontmatter('').value, undefined);
    assert.equal(parseFrontmatter('---').value, undefined);
  });

  it('treats a fence followed by a blank line and no closing fence as a thematic break', () => {
    const result = parseFrontmatter('---\n\nSome prose.\n');
    assert.equal(result.value, undefined);
    assert.deepEqual(result.diagnostics, []);
  });

  it('warns about an unclosed block', () => {
    const result = parseFrontmatter('---\ntitle: x\nno end');
    assert.equal(result.value, undefined);
    assert.equal(result.diagnostics[0].code, 'frontmatter-unclosed');
    assert.deepEqual(result.diagnostics[0].span, { start: 0, end: 3 });
  });

  it('never reads language front matter such as ---js, and says so', () => {
    const text = '---js\n{ title: require("child_process").execSync("id") }\n---\n';
    const { value, diagnostics } = parseFrontmatter(text);
    assert.equal(value, undefined);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, 'info');
    assert.equal(diagnostics[0].code, 'frontmatter-language');
    assert.equal(slice(text, diagnostics[0].span), '---js');
    assert.equal(parseFrontmatter('---javascript\nx\n---\n').diagnostics[0].code, 'frontmatter-language');
  });

  it('reports malformed YAML at the exact error range', () => {
    const text = '---\ntitle: ok\nbad: [unclosed\n---\n';
    const { value, diagnostics } = parseFrontmatter(text);
    assert.ok(value);
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) {
      assert.equal(d.code, 'frontmatter-yaml');
      assert.ok(d.span.start >= value.contentSpan.start && d.span.end <= value.contentSpan.end, JSON.stringify(d));
    }
    assert.ok(diagnostics.some((d) => d.span.start >= text.indexOf('[unclosed')));
  });

  it('reports a duplicate key on the second occurrence and keeps the other fields', () => {
    const text = '---\ncitekey: a\ntitle: T\ncitekey: b\n---\n';
    const { value, diagnostics } = parseFrontmatter(text);
    const duplicate = diagnostics.find((d) => d.code === 'frontmatter-duplicate-key');
    assert.ok(duplicate);
    assert.equal(duplicate.span.start, text.lastIndexOf('citekey'));
    assert.equal(value?.data?.title, 'T');
    assert.equal(slice(text, value!.valueSpans.citekey), 'a');
  });

  it('stops a billion-laughs alias bomb with a diagnostic', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill('*' + prev).join(',')}]`);
    }
    const text = `---\n${lines.join('\n')}\n---\n`;
    const started = Date.now();
    const { value, diagnostics } = parseFrontmatter(text);
    assert.ok(Date.now() - started < 5000);
    assert.equal(value?.data, undefined);
    assert.equal(diagnostics.at(-1)?.code, 'frontmatter-aliases');
  });

  it('survives 2,000 levels of nesting, refusing absurd flow nesting before the YAML parser sees it', () => {
    const flow = `---\ndeep: ${'['.repeat(2000)}${']'.repeat(2000)}\n---\n`;
    const deep = parseFrontmatter(flow);
    assert.equal(deep.value?.data, undefined);
    assert.deepEqual(deep.diagnostics.map((d) => [d.code, flow.slice(d.span.start, d.span.end)]), [['frontmatter-too-deep', '[']]);
    const unclosed = `---\n${'{'.repeat(500)}\n---\n`;
    const started = Date.now();
    assert.equal(parseFrontmatter(unclosed).diagnostics[0].code, 'frontmatter-too-deep');
    assert.ok(Date.now() - started < 1000);
    // Brackets inside quotes and comments do not count.
    assert.deepEqual(parseFrontmatter(`---\ntitle: "${'['.repeat(100)}" # ${'{'.repeat(100)}\n---\n`).value?.data, { title: '['.repeat(100) });
    let block = '---\n';
    for (let i = 0; i < 2000; i++) block += `${' '.repeat(i)}k:\n`;
    block += '---\n';
    assert.ok(parseFrontmatter(block).value);
  });

  it('reads lone-CR line endings like any other', () => {
    assert.deepEqual(parseFrontmatter('---\rtitle: A title\rtags: [a, b]\rnested:\r  k: v\r---\r# x').value?.data, {
      title: 'A title',
      tags: ['a', 'b'],
      nested: { k: 'v' },
    });
  });

  it('flags a block that is not a mapping and keeps an empty block as an empty mapping', () => {
    const list = parseFrontmatter('---\n- a\n- b\n---\n');
    assert.equal(list.value?.data, undefined);
    assert.equal(list.diagnostics[0].code, 'frontmatter-not-mapping');
    assert.deepEqual(parseFrontmatter('---\n---\nbody').value?.data, {});
  });
});
