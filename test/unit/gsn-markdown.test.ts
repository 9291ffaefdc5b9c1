// The Markdown safety-case convention (src/core/gsn/README.md): recognition, elements from headings and
// list items, attribute lines, citations with exact spans, and the same graph as the YAML format.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateGsn2x } from '../../src/core/gsn/check';
import { parseMarkdownSafetyCase } from '../../src/core/gsn/markdown';
import { parseGsnYaml } from '../../src/core/gsn/yaml';
import type { GsnModule } from '../../src/core/gsn/types';
import type { Span } from '../../src/core/model';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/gsn');
const at = (text: string, span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);

/** The graph without locations, to compare formats. */
function shape(module: GsnModule | undefined) {
  return module?.elements.map((e) => ({
    id: e.id,
    type: e.type,
    supportedBy: e.supportedBy.map((r) => r.id),
    inContextOf: e.inContextOf.map((r) => r.id),
    undeveloped: e.undeveloped,
    url: e.url,
    keys: e.citations.map((c) => c.key),
  }));
}

describe('Markdown safety cases', () => {
  it('ignores ordinary Markdown without parsing it', () => {
    assert.deepEqual(parseMarkdownSafetyCase('# Notes\n\n## G1: looks like an element\n', 'notes.md'), { value: undefined, diagnostics: [] });
    assert.equal(parseMarkdownSafetyCase('---\ntitle: A paper note\ncitekey: x\n---\n- G1: no\n', 'n.md').value, undefined);
    assert.equal(parseMarkdownSafetyCase('---\nsafety-case: false\n---\n', 'n.md').value, undefined);
  });

  it('recognises the file name, safety-case: true and gsn-module', () => {
    assert.ok(parseMarkdownSafetyCase('## G1: x\n', 'case.gsn.md').value);
    assert.ok(parseMarkdownSafetyCase('---\nsafety-case: true\n---\n## G1: x\n', 'a.md').value);
    const named = '---\ngsn-module: Top\n---\n## G1: x\n';
    const m = parseMarkdownSafetyCase(named, 'a.md').value;
    assert.equal(m?.name, 'Top');
    assert.equal(at(named, m?.nameSpan), 'Top');
    assert.equal(parseMarkdownSafetyCase('---\nsafety-case: true\n---\n', 'dir/a.md').value?.name, 'dir_a_md');
  });

  it('reads headings and list items with attribute lines, with exact spans', () => {
    const text = [
      '---',
      'safety-case: true',
      '---',
      '## G1: Top claim ##',
      'supported by: S1, Sn1',
      'In context of: [C1]',
      '',
      '- C1: Context',
      '## S1: Strategy',
      'supportedBy: G2',
      '',
      '1. G2: Sub claim',
      '   undeveloped',
      '   - url: https://example.org',
      '* Sn1: Evidence',
      '  type: Solution',
      '  defeated: no',
      'Ordinary paragraph ends the list item.',
      'supported by: G9',
      '',
    ].join('\n');
    const { value, diagnostics } = parseMarkdownSafetyCase(text, 'a.md');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(shape(value), [
      { id: 'G1', type: 'Goal', supportedBy: ['S1', 'Sn1'], inContextOf: ['C1'], undeveloped: false, url: undefined, keys: [] },
      { id: 'C1', type: 'Context', supportedBy: [], inContextOf: [], undeveloped: false, url: undefined, keys: [] },
      { id: 'S1', type: 'Strategy', supportedBy: ['G2'], inContextOf: [], undeveloped: false, url: undefined, keys: [] },
      { id: 'G2', type: 'Goal', supportedBy: [], inContextOf: [], undeveloped: true, url: 'https://example.org', keys: [] },
      { id: 'Sn1', type: 'Solution', supportedBy: [], inContextOf: [], undeveloped: false, url: undefined, keys: [] },
    ]);
    const g1 = value?.elements[0];
    assert.equal(at(text, g1?.idSpan), 'G1');
    assert.equal(at(text, g1?.textSpan), 'Top claim');
    assert.deepEqual(g1?.supportedBy.map((r) => at(text, r.span)), ['S1', 'Sn1']);
    assert.deepEqual(g1?.inContextOf.map((r) => at(text, r.span)), ['C1']);
    assert.equal(at(text, value?.elements[4].nodeTypeSpan), 'Solution');
  });

  it('finds citations in element text and description lines, and cites:', () => {
    const text = '---\nsafety-case: true\n---\n## Sn1: Probe results [@goldowsky2025detecting]\nurl: https://x\nAlso shown by\n@balesni2024towards.\ncites: @bereska2024mechanistic, sharkey2025open\n';
    const sn1 = parseMarkdownSafetyCase(text, 'a.md').value?.elements[0];
    assert.deepEqual(sn1?.citations.map((c) => [c.key, c.mode, at(text, c.keySpan)]), [
      ['goldowsky2025detecting', 'normal', 'goldowsky2025detecting'],
      ['balesni2024towards', 'in-text', 'balesni2024towards'],
      ['bereska2024mechanistic', 'nocite', 'bereska2024mechanistic'],
      ['sharkey2025open', 'nocite', 'sharkey2025open'],
    ]);
    assert.equal(sn1?.text, 'Probe results [@goldowsky2025detecting]\nAlso shown by\n@balesni2024towards.');
  });

  it('finds citations on indented continuation lines of nested list items', () => {
    const text = '---\nsafety-case: true\n---\n- G1: Top\n  supported by: Sn1\n    - Sn1: Evidence\n      url: https://x\n      measured in [@deep2024;\n      @deeper2025]\n';
    const sn1 = parseMarkdownSafetyCase(text, 'a.md').value?.elements[1];
    assert.deepEqual(sn1?.citations.map((c) => at(text, c.keySpan)), ['deep2024', 'deeper2025']);
    assert.equal(at(text, sn1?.citations[0].groupSpan), '[@deep2024;\n      @deeper2025]');
  });

  it('reads challenges, relations and gsn2x-style module blocks', () => {
    const text = [
      '---',
      'gsn-module:',
      '  name: Inst',
      '  uses: [base.gsn.yaml]',
      '  extends:',
      '    - module: Base',
      '      develops: {G1: [G2]}',
      '---',
      '- G2: Developed here',
      '  supported by: Sn1',
      '- Sn1: Evidence',
      '- CSn1: Counter evidence',
      '  challenges: G2 -> Sn1',
      '',
    ].join('\n');
    const { value, diagnostics } = parseMarkdownSafetyCase(text, 'i.md');
    assert.deepEqual(diagnostics, []);
    assert.equal(value?.name, 'Inst');
    assert.equal(at(text, value?.nameSpan), 'Inst');
    assert.deepEqual(value?.uses.map((u) => at(text, u.span)), ['base.gsn.yaml']);
    assert.equal(at(text, value?.extends[0].developRefs?.[0].local[0].span), 'G2');
    const counter = value?.elements[2];
    assert.equal(at(text, counter?.challengesRelation?.from.span), 'G2');
    assert.equal(at(text, counter?.challengesRelation?.to.span), 'Sn1');
  });

  it('skips fenced code and HTML comments, and ends heading elements at the next heading', () => {
    const text = '---\nsafety-case: true\n---\n## G1: Top\nundeveloped\n```\n## G5: in code\nsupported by: X\n```\n<!--\n## G6: commented out\n-->\n<!-- - G7: one-line comment -->\n## Notes\nsupported by: G9\n';
    const value = parseMarkdownSafetyCase(text, 'a.md').value;
    assert.deepEqual(shape(value)?.map((e) => [e.id, e.supportedBy, e.undeveloped]), [['G1', [], true]]);
  });

  it('reports duplicate ids and unknown node types as parse errors', () => {
    const text = '---\nsafety-case: true\n---\n## G1: a\n## G1: b\n- Sn1: x\n  node type: Claim\n';
    const { value, diagnostics } = parseMarkdownSafetyCase(text, 'a.md');
    assert.deepEqual(value?.elements.map((e) => e.id), ['G1', 'Sn1']);
    assert.deepEqual(diagnostics.map((d) => [d.code, at(text, d.span)]), [
      ['gsn-parse', 'Claim'],
      ['gsn-parse', 'G1'],
    ]);
    assert.equal(diagnostics[1].span.start, text.lastIndexOf('G1'));
  });

  it('reads emphasised attribute names and leaves prose that only starts like an attribute alone', () => {
    const text = [
      '---',
      'safety-case: true',
      '---',
      '## G1: Top',
      '**Supported by:** S1, Sn1',
      '*undeveloped*: no',
      'Type: the model type does not matter here.',
      'Supported by: the evaluation team at the lab.',
      'Challenges: scaling this to frontier models.',
      'Defeated: not in this version.',
      '',
    ].join('\n');
    const { value, diagnostics } = parseMarkdownSafetyCase(text, 'a.md');
    assert.deepEqual(diagnostics, []);
    const g1 = value?.elements[0];
    assert.deepEqual(g1?.supportedBy.map((r) => at(text, r.span)), ['S1', 'Sn1']);
    assert.deepEqual([g1?.type, g1?.undeveloped, g1?.defeated, g1?.challenges], ['Goal', false, false, undefined]);
    assert.equal(g1?.text.split('\n').length, 5);
  });

  it('gives the same graph as the equivalent YAML, and the same gsn2x verdict', () => {
    const md = '---\ngsn-module: M\n---\n## G1: Top\nsupported by: S1\nin context of: C1\n- C1: ctx\n## S1: split\nsupported by: G2, Sn1\n- G2: sub\n  undeveloped\n- Sn1: evidence\n';
    const yaml = 'module:\n  name: M\nG1:\n  text: Top\n  supportedBy: [S1]\n  inContextOf: [C1]\nC1:\n  text: ctx\nS1:\n  text: split\n  supportedBy: [G2, Sn1]\nG2:\n  text: sub\n  undeveloped: true\nSn1:\n  text: evidence\n';
    assert.deepEqual(shape(parseMarkdownSafetyCase(md, 'a.md').value), shape(parseGsnYaml(yaml, 'a.yaml').value));
    assert.deepEqual(validateGsn2x([{ uri: 'a.gsn.md', text: md }]).messages, validateGsn2x([{ uri: 'a.yaml', text: yaml }]).messages);
  });

  it('parses the README example as documented, and gsn2x finds nothing to complain about', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../src/core/gsn/README.md'), 'utf8');
    const example = /```markdown\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const { value, diagnostics } = parseMarkdownSafetyCase(example, 'example.md');
    assert.deepEqual(diagnostics, []);
    assert.equal(value?.name, 'DeceptionMonitoring');
    assert.deepEqual(shape(value)?.map((e) => [e.id, e.supportedBy.join(' '), e.inContextOf.join(' '), e.keys.join(' ')]), [
      ['G1', 'S1', 'C1 A1', ''],
      ['C1', '', '', ''],
      ['A1', '', '', 'goldowsky2025detecting'],
      ['S1', 'G2 Sn1', '', ''],
      ['G2', '', '', ''],
      ['Sn1', '', '', 'balesni2024towards'],
    ]);
    assert.deepEqual(validateGsn2x([{ uri: 'example.md', text: example }]).messages, []);
  });

  it('reads the fixture, which uses a YAML module', () => {
    const text = fs.readFileSync(path.join(fixtures, 'deception-probes.gsn.md'), 'utf8');
    const { value, diagnostics } = parseMarkdownSafetyCase(text, 'deception-probes.gsn.md');
    assert.deepEqual(diagnostics, []);
    assert.equal(value?.name, 'DeceptionMonitoring');
    assert.deepEqual(value?.elements.map((e) => e.id), ['G1', 'C1', 'A1', 'S1', 'G2', 'G3']);
    const r = validateGsn2x([{ uri: 'deception-probes.gsn.md', text }], {
      readFile: (uri) => fs.readFileSync(path.join(fixtures, uri), 'utf8'),
    });
    assert.deepEqual(r.messages, ['Warning: C01: There is more than one unreferenced element: G1, Sn2.', 'Warning: 1 warnings detected.']);
  });
});
