// The gsn2x YAML reader: the graph it builds, exact spans, citations mapped into the file, and the inputs
// gsn2x rejects (reported as `gsn-parse` at the offending node).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGsnYaml } from '../../src/core/gsn/yaml';
import type { Span } from '../../src/core/model';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/gsn');
const at = (text: string, span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);

function parseErrors(text: string): string[] {
  return parseGsnYaml(text, 'x.gsn.yaml').diagnostics.filter((d) => d.code === 'gsn-parse').map((d) => at(text, d.span) as string);
}

describe('gsn2x YAML reader', () => {
  it('builds elements with types, references and exact spans', () => {
    const text = 'G1:\n  text: Top goal\n  supportedBy: [S1, "Sn1"]\n  inContextOf: C1\nS1:\n  undeveloped: true\nSn1: {}\nC1:\n  text: ctx\n  nodeType: Assumption\n';
    const { value, diagnostics } = parseGsnYaml(text, 'file:///ws/a.gsn.yaml');
    assert.deepEqual(diagnostics, []);
    assert.ok(value);
    assert.equal(value.name, '_ws_a_gsn_yaml');
    const [g1, s1, sn1, c1] = value.elements;
    assert.deepEqual([g1.id, s1.id, sn1.id, c1.id], ['G1', 'S1', 'Sn1', 'C1']);
    assert.deepEqual([g1.type, s1.type, sn1.type, c1.type], ['Goal', 'Strategy', 'Solution', 'Assumption']);
    assert.equal(at(text, g1.idSpan), 'G1');
    assert.equal(at(text, g1.textSpan), 'Top goal');
    assert.deepEqual(g1.supportedBy.map((r) => [r.id, at(text, r.span)]), [['S1', 'S1'], ['Sn1', 'Sn1']]);
    assert.deepEqual(g1.inContextOf.map((r) => at(text, r.span)), ['C1']);
    assert.equal(s1.undeveloped, true);
    assert.equal(at(text, c1.nodeTypeSpan), 'Assumption');
    assert.ok(at(text, g1.span)?.startsWith('G1:\n  text: Top goal'));
  });

  it('reads the module block: name, brief, uses, extends with spans', () => {
    const text = 'module:\n  name: Inst\n  brief: An instance\n  uses: [a.yaml, "b c.yaml"]\n  extends:\n    - module: Tmpl\n      develops:\n        G1: [G2, S3]\nG2:\n  undeveloped: true\n';
    const { value, diagnostics } = parseGsnYaml(text, 'i.yaml');
    assert.deepEqual(diagnostics, []);
    assert.ok(value);
    assert.equal(value.name, 'Inst');
    assert.equal(at(text, value.nameSpan), 'Inst');
    assert.equal(value.brief, 'An instance');
    assert.deepEqual(value.uses.map((u) => [u.id, at(text, u.span)]), [['a.yaml', 'a.yaml'], ['b c.yaml', 'b c.yaml']]);
    assert.deepEqual(value.extends[0].develops, { G1: ['G2', 'S3'] });
    assert.equal(at(text, value.extends[0].moduleSpan), 'Tmpl');
    assert.deepEqual(value.extends[0].developRefs?.[0].local.map((r) => at(text, r.span)), ['G2', 'S3']);
    assert.deepEqual(value.elements.map((e) => e.id), ['G2']);
  });

  it('keeps layers and other attributes in extra, and warns about misspelled gsn2x attributes', () => {
    const text = 'G1:\n  undeveloped: true\n  layer1: note\n  risk: {level: 3}\n  classes: [a, b]\n  supportedby: [Sn1]\n';
    const { value, diagnostics } = parseGsnYaml(text, 'x.yaml');
    assert.deepEqual(value?.elements[0].extra, { layer1: 'note', risk: { level: 3 }, classes: ['a', 'b'], supportedby: ['Sn1'] });
    assert.deepEqual(diagnostics.map((d) => [d.code, at(text, d.span)]), [['gsn-attribute-name', 'supportedby']]);
  });

  it('maps Pandoc citations in text (plain, quoted, block) to exact file spans', () => {
    const text = [
      'Sn1:',
      '  text: Evaluation [@balesni2024towards]',
      'Sn2:',
      '  text: "Quoted \\"x\\" [see @bereska2024mechanistic, p. 3]"',
      'Sn4:',
      '  text: "\\u0041 escaped \\',
      '    line [@huang2024ravel]"',
      'Sn3:',
      '  text: |',
      '    First line',
      '    then @goldowsky2025detecting finds it',
      '',
    ].join('\n');
    const { value } = parseGsnYaml(text, 'x.yaml');
    const keys = value?.elements.map((e) => e.citations.map((c) => [c.key, at(text, c.keySpan), at(text, c.span)]));
    assert.deepEqual(keys, [
      [['balesni2024towards', 'balesni2024towards', '@balesni2024towards']],
      [['bereska2024mechanistic', 'bereska2024mechanistic', '@bereska2024mechanistic, p. 3']],
      [['huang2024ravel', 'huang2024ravel', '@huang2024ravel']],
      [['goldowsky2025detecting', 'goldowsky2025detecting', '@goldowsky2025detecting']],
    ]);
  });

  it('reads cites: as nocite citations after the text ones', () => {
    const text = 'Sn1:\n  text: Eval [@a2024]\n  cites: ["@b2023", c2022]\n';
    const cites = parseGsnYaml(text, 'x.yaml').value?.elements[0].citations ?? [];
    assert.deepEqual(cites.map((c) => [c.key, c.mode, c.group, at(text, c.keySpan)]), [
      ['a2024', 'normal', 0, 'a2024'],
      ['b2023', 'nocite', 1, 'b2023'],
      ['c2022', 'nocite', 1, 'c2022'],
    ]);
    const bad = parseGsnYaml('Sn1:\n  cites: {a: 1}\n', 'x.yaml');
    assert.deepEqual(bad.diagnostics.map((d) => d.code), ['gsn-cites']);
  });

  it('splits challenged relations into two references', () => {
    const text = 'CSn1:\n  challenges: G2 ->  Sn1\nCG1:\n  challenges: G2\n';
    const [rel, node] = parseGsnYaml(text, 'x.yaml').value?.elements ?? [];
    assert.equal(at(text, rel.challengesRelation?.from.span), 'G2');
    assert.equal(at(text, rel.challengesRelation?.to.span), 'Sn1');
    assert.equal(rel.challenges, undefined);
    assert.equal(node.challenges?.id, 'G2');
  });

  it('accepts what gsn2x accepts: empty file, null bodies, string references, acp, horizontal indexes', () => {
    assert.deepEqual(parseGsnYaml('', 'e.yaml').value?.elements, []);
    assert.deepEqual(parseGsnYaml('# only a comment\n', 'e.yaml').value?.elements, []);
    const ok = 'G1:\n  supportedBy: Sn1\n  acp:\n    ACP1: Sn1\n    ACP2: [G1, Sn1]\n  horizontalIndex:\n    absolute: last\nSn1:\nSn2:\n  horizontalIndex: !relative -2\n  rankIncrement: 2\n';
    const { value, diagnostics } = parseGsnYaml(ok, 'x.yaml');
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(value?.elements[0].acp, [
      { name: 'ACP1', refs: [{ id: 'Sn1', span: value?.elements[0].acp?.[0].refs[0].span }] },
      { name: 'ACP2', refs: value?.elements[0].acp?.[1].refs },
    ]);
    assert.deepEqual(value?.elements[0].acp?.[1].refs.map((r) => r.id), ['G1', 'Sn1']);
  });

  it('reports what gsn2x rejects at the offending node', () => {
    assert.deepEqual(parseErrors('- X1\n'), ['- X1\n']);
    assert.deepEqual(parseErrors('G1:\n  text: a\nG1:\n  text: b\n'), ['G1']);
    assert.deepEqual(parseErrors('G1:\n  inContextOf: -1\n'), ['-1']);
    assert.deepEqual(parseErrors('G1:\n  supportedBy: [S1, 2]\n'), ['2']);
    assert.deepEqual(parseErrors('G1:\n  text: 42\n'), ['42']);
    assert.deepEqual(parseErrors('G1:\n  undeveloped: yes\n'), ['yes']);
    assert.deepEqual(parseErrors('G1:\n  nodeType: Claim\n'), ['Claim']);
    assert.deepEqual(parseErrors('G1:\n  acp: [C1]\n'), ['[C1]']);
    assert.deepEqual(parseErrors('G1:\n  acp:\n    ACP1: [true]\n'), ['true']);
    assert.deepEqual(parseErrors('G1:\n  horizontalIndex:\n    relative: x\n'), ['relative: x\n']);
    assert.deepEqual(parseErrors('G1:\n  rankIncrement: -1\n'), ['-1']);
    assert.deepEqual(parseErrors('G1: just text\n'), ['just text']);
    assert.ok(parseErrors('G1:\n  text: [unclosed\n').length >= 1);
    assert.equal(parseGsnYaml('- X1\n', 'x.yaml').value, undefined);
  });

  it('reports duplicate keys in every mapping as the yaml package compares them, in file order', () => {
    const text = 'G1:\n  text: a\n  text: b\n  layer: {x: 1, "x": 2, 1: a, 1.0: b, .nan: c, .nan: d}\nG2: {}\n"G1": {}\n';
    assert.deepEqual(parseErrors(text), ['text', '"x"', '1.0', '"G1"']);
    // Thousands of elements, one duplicate at the end: found, and the file is otherwise read.
    const many = Array.from({ length: 5000 }, (_, i) => `G${i}:\n  text: t${i}`).join('\n');
    const withDuplicate = `${many}\nG17:\n  text: again\n`;
    const { value, diagnostics } = parseGsnYaml(withDuplicate, 'x.gsn.yaml');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.span.start]), [['gsn-parse', withDuplicate.lastIndexOf('G17:')]]);
    assert.equal(value?.elements.length, 5001);
  });

  it('requires uniform indentation of mapping keys, as gsn2x reads YAML', () => {
    const mixed = 'G1:\n  text: a\n  horizontalIndex:\n     relative: 1\n';
    assert.deepEqual(parseGsnYaml(mixed, 'x.yaml').diagnostics.map((d) => [d.code, d.message, at(mixed, d.span)]), [
      ['gsn-parse', 'Indentation of 5 spaces is not a multiple of 2, the indentation this file starts with.', '     '],
    ]);
    const fine = 'G1:\n text: a\n horizontalIndex:\n   relative: 1\n layer: |\n     free text\n list:\n      - a: 1\n        b: 2\n';
    assert.deepEqual(parseGsnYaml(fine, 'x.yaml').diagnostics, []);
  });

  it('keeps a module block gsn2x would not take as module information, with a warning', () => {
    const text = 'module:\n  brief: no name\nG1:\n  undeveloped: true\n';
    const { value, diagnostics } = parseGsnYaml(text, 'dir/x.yaml');
    assert.equal(value?.name, 'dir_x_yaml');
    assert.deepEqual(diagnostics.map((d) => d.code), ['gsn-module-ignored']);
    // gsn2x then reads the block as an element and drops it; only a block that is neither is rejected.
    assert.deepEqual(parseGsnYaml('module:\n  name: [A]\n', 'x.yaml').diagnostics.map((d) => d.code), ['gsn-module-ignored']);
    assert.deepEqual(parseErrors('module: [A]\n'), ['[A]']);
  });

  it('caps alias expansion instead of hanging', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const text = `G1:\n  undeveloped: true\n  bomb:\n${lines.map((l) => `    ${l}`).join('\n')}\n`;
    const started = Date.now();
    const { diagnostics } = parseGsnYaml(text, 'x.yaml');
    assert.ok(Date.now() - started < 5000);
    assert.ok(diagnostics.some((d) => d.code === 'gsn-parse'));
  });

  it('refuses flow nesting deeper than 64 levels as a parse error at the first level too deep', () => {
    // The apostrophe opens no quoted scalar (it is inside a plain one): a guess at quotes would miss what follows.
    const afterApostrophe = "G1:\n  text: it is 'quoted\n  layer: ";
    for (const [prefix, unit] of [['', '{'], ['G1:\n  text: ', '['], ['G1:\n  supportedBy: ', '[-@a; '], ['', '[@'], [afterApostrophe, '{']]) {
      const text = `${prefix}${unit.repeat(10_000)}`;
      const { value, diagnostics } = parseGsnYaml(text, 'x.gsn.yaml');
      assert.equal(value, undefined, `${prefix}${unit}…`);
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0].code, 'gsn-parse');
      assert.equal(diagnostics[0].span.start, prefix.length + 64 * unit.length + unit.indexOf(unit.trim()[0]));
    }
    // 64 levels are read: the limit is the boundary, not an approximation of it.
    const deepest = `G1:\n  layer: ${'['.repeat(64)}x${']'.repeat(64)}\n`;
    assert.ok(parseGsnYaml(deepest, 'x.gsn.yaml').value);
  });

  it('counts only brackets the YAML parser reads as flow collections', () => {
    const many = '['.repeat(200);
    const text = [
      `G1:\n  text: see ${many} and {${'{'.repeat(99)}`,
      `  url: "${many}"`,
      `  layer: |\n    ${many}\n  note: '${many}' # ${many}`,
      `G2:\n  text: it's ${many}`,
      '',
    ].join('\n');
    const { value, diagnostics } = parseGsnYaml(text, 'x.gsn.yaml');
    assert.deepEqual(diagnostics, []);
    assert.equal(value?.elements[0].text, `see ${many} and {${'{'.repeat(99)}`);
    assert.equal(value?.elements[0].extra.layer, `${many}\n`);
    assert.equal(value?.elements[1].text, `it's ${many}`);
  });

  it('reads the fixture with citations in a block scalar', () => {
    const text = fs.readFileSync(path.join(fixtures, 'evaluation.gsn.yaml'), 'utf8');
    const { value, diagnostics } = parseGsnYaml(text, 'evaluation.gsn.yaml');
    assert.deepEqual(diagnostics, []);
    assert.equal(value?.name, 'Evaluation');
    const sn1 = value?.elements.find((e) => e.id === 'Sn1');
    assert.deepEqual(sn1?.citations.map((c) => at(text, c.keySpan)), ['goldowsky2025detecting', 'balesni2024towards', 'bereska2024mechanistic']);
    assert.equal(sn1?.url, 'https://example.org/probe-eval');
  });
});
