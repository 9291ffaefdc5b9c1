// Both safety-case readers on CRLF and lone-CR copies of real files: the same graph, and every span at the
// same line and character as in the LF file (gsn2x and VS Code both take a lone CR as a line break).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMarkdownSafetyCase } from '../../src/core/gsn/markdown';
import type { GsnModule } from '../../src/core/gsn/types';
import { parseGsnYaml } from '../../src/core/gsn/yaml';
import type { ParseResult, Span } from '../../src/core/model';
import { LineMap } from '../../src/core/text';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/gsn');
const withLineEnds = (text: string, eol: string): string => text.replace(/\r\n|\r|\n/g, eol);

/** Everything the editor places by position, as line:character pairs, plus the values read. */
function placed(text: string, result: ParseResult<GsnModule | undefined>): unknown {
  const lines = new LineMap(text);
  const pos = (span: Span | undefined) => {
    if (!span) return undefined;
    const s = lines.positionAt(span.start);
    const e = lines.positionAt(span.end);
    return `${s.line}:${s.character}-${e.line}:${e.character}`;
  };
  const module = result.value;
  assert.ok(module, 'the file is read');
  return {
    name: [module.name, pos(module.nameSpan)],
    uses: module.uses.map((r) => [r.id, pos(r.span)]),
    diagnostics: result.diagnostics.map((d) => [d.code, d.message, pos(d.span)]),
    elements: module.elements.map((e) => ({
      id: [e.id, pos(e.idSpan)],
      type: e.type,
      text: [e.text, pos(e.textSpan)],
      supportedBy: e.supportedBy.map((r) => [r.id, pos(r.span)]),
      inContextOf: e.inContextOf.map((r) => [r.id, pos(r.span)]),
      citations: e.citations.map((c) => [c.key, pos(c.keySpan), pos(c.span)]),
      url: e.url,
      undeveloped: e.undeveloped,
    })),
  };
}

const CASES: { file: string; parse: (text: string) => ParseResult<GsnModule | undefined> }[] = [
  { file: 'evaluation.gsn.yaml', parse: (text) => parseGsnYaml(text, 'evaluation.gsn.yaml') },
  { file: 'deception-probes.gsn.md', parse: (text) => parseMarkdownSafetyCase(text, 'deception-probes.gsn.md') },
  {
    file: 'inline module block (Markdown)',
    parse: (text) => parseMarkdownSafetyCase(text, 'inline.md'),
  },
];

const INLINE_MODULE =
  '---\ngsn-module:\n  name: Inline\n  uses: [evaluation.gsn.yaml]\n---\n\n## G1: Top claim [@a]\nsupported by: Sn1\n\n- Sn1: Evidence\n  url: https://example.org\n';

describe('safety cases with CRLF and lone-CR line ends', () => {
  for (const { file, parse } of CASES) {
    const lf = file.startsWith('inline') ? INLINE_MODULE : withLineEnds(fs.readFileSync(path.join(fixtures, file), 'utf8'), '\n');
    const expected = placed(lf, parse(lf));
    for (const [name, eol] of [['CRLF', '\r\n'], ['lone CR', '\r']]) {
      it(`${file} with ${name}: same graph, same positions`, () => {
        const text = withLineEnds(lf, eol);
        assert.deepEqual(placed(text, parse(text)), expected);
      });
    }
  }

  it('finds the safety-case marker after a long front matter with any line ends', () => {
    const lf = `---\nabstract: ${'x'.repeat(5000)}\nsafety-case: true\n---\n\n## G1: Claim\n`;
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = withLineEnds(lf, eol);
      const module = parseMarkdownSafetyCase(text, 'notes/case.md').value;
      assert.deepEqual(module?.elements.map((e) => [e.id, text.slice(e.idSpan.start, e.idSpan.end)]), [['G1', 'G1']], JSON.stringify(eol));
    }
  });

  it('the LF reading is not empty (the comparison above compares something)', () => {
    const text = fs.readFileSync(path.join(fixtures, 'evaluation.gsn.yaml'), 'utf8');
    const module = parseGsnYaml(text, 'evaluation.gsn.yaml').value;
    assert.ok(module && module.elements.length === 2 && module.elements.some((e) => e.citations.length > 0));
    const markdown = fs.readFileSync(path.join(fixtures, 'deception-probes.gsn.md'), 'utf8');
    const probes = parseMarkdownSafetyCase(markdown, 'deception-probes.gsn.md').value;
    assert.ok(probes && probes.elements.length > 3 && probes.elements.some((e) => e.supportedBy.length > 0));
    const inline = parseMarkdownSafetyCase(INLINE_MODULE, 'inline.md').value;
    assert.deepEqual([inline?.name, inline?.uses.map((u) => u.id), inline?.elements.map((e) => e.id)], ['Inline', ['evaluation.gsn.yaml'], ['G1', 'Sn1']]);
  });
});
