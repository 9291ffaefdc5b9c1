// Graph helpers for the editor features: lookups, navigation, completion targets, evidence status.
import * as assert from 'node:assert/strict';
import {
  childrenOf,
  compareCodePoints,
  elementIndex,
  evidenceStatus,
  moduleNameFromPath,
  parentsOf,
  resolveUsesPath,
  fileKey,
  typeFromId,
  validTargets,
} from '../../src/core/gsn/graph';
import type { GsnModule } from '../../src/core/gsn/types';
import { parseGsnYaml } from '../../src/core/gsn/yaml';

function module(uri: string, text: string): GsnModule {
  const m = parseGsnYaml(text, uri).value;
  assert.ok(m);
  return m;
}

const main = module(
  'a.yaml',
  'G1:\n  supportedBy: [S1]\n  inContextOf: [C1]\nS1:\n  supportedBy: [G2]\nG2:\n  supportedBy: [Sn1]\nC1: {}\nA1: {}\nJ1: {}\nCG1:\n  challenges: G2\n  supportedBy: [CSn1]\nCSn1: {}\n',
);
const other = module('b.yaml', 'Sn1:\n  text: Evidence [@good2024; @gone2022]\nSn2: {}\nG1: {}\n');

describe('GSN graph helpers', () => {
  it('types ids by prefix, longest prefix first', () => {
    assert.deepEqual(['CG1', 'G1', 'CSn1', 'Sn1', 'S1', 'C1', 'A1', 'J1', 'X1'].map(typeFromId), [
      'CounterGoal',
      'Goal',
      'CounterSolution',
      'Solution',
      'Strategy',
      'Context',
      'Assumption',
      'Justification',
      undefined,
    ]);
  });

  it('orders by code point like gsn2x (astral characters after U+FFFD)', () => {
    assert.deepEqual(['b', 'B', 'a', '\u{10000}', '\uFFFD'].sort(compareCodePoints), ['B', 'a', 'b', '\uFFFD', '\u{10000}']);
  });

  it('derives module names and resolves uses paths as gsn2x does', () => {
    assert.equal(moduleNameFromPath("tests/my-file v2.gsn.yaml"), 'tests_my_file_v2_gsn_yaml');
    assert.equal(moduleNameFromPath('file:///ws/a.gsn.yaml'), '_ws_a_gsn_yaml');
    assert.equal(resolveUsesPath('tests/circle1.yaml', 'circle2.yaml'), 'tests/circle2.yaml');
    assert.equal(resolveUsesPath('index.yaml', 'sub\\x.yaml'), 'sub/x.yaml');
    assert.equal(resolveUsesPath('file:///ws/dir/index.yaml', '../y.yaml'), 'file:///ws/dir/../y.yaml');
    assert.equal(resolveUsesPath('file:///ws/index.yaml', '/abs/z.yaml'), 'file:///abs/z.yaml');
    assert.equal(fileKey('file:///ws/dir/../a%20b/./c.yaml'), 'file:///ws/a b/c.yaml');
    assert.equal(fileKey('../x/../y.yaml'), '../y.yaml');
    assert.equal(fileKey('a/../b.yaml'), 'b.yaml');
    assert.equal(fileKey('file:///../b.yaml'), 'file:///../b.yaml');
  });

  it('indexes elements, first definition winning', () => {
    const index = elementIndex([main, other]);
    assert.equal(index.get('G1')?.module.uri, 'a.yaml');
    assert.equal(index.get('Sn1')?.module.uri, 'b.yaml');
    assert.equal(index.size, 10);
  });

  it('finds parents and children across modules', () => {
    const index = elementIndex([main, other]);
    assert.deepEqual(parentsOf([main, other], 'G2').map((l) => [l.relation, l.from.element.id]), [
      ['supportedBy', 'S1'],
      ['challenges', 'CG1'],
    ]);
    const g2 = index.get('G2')?.element;
    assert.ok(g2);
    assert.deepEqual(childrenOf(g2, index).map((c) => [c.relation, c.ref.id, c.target?.module.uri]), [['supportedBy', 'Sn1', 'b.yaml']]);
  });

  it('offers only semantically valid, non-cyclic, unlisted targets', () => {
    const modules = [main, other];
    const index = elementIndex(modules);
    const ids = (id: string, relation: 'supportedBy' | 'inContextOf') => validTargets(index.get(id)?.element as never, relation, modules).map((s) => s.element.id);
    // G2 is below G1 and S1: offering them would close a cycle; CG1 and CSn1 are counter elements, allowed.
    assert.deepEqual(ids('G2', 'supportedBy'), ['CG1', 'CSn1', 'Sn2']);
    assert.deepEqual(ids('G1', 'inContextOf'), ['A1', 'J1']);
    assert.deepEqual(ids('CG1', 'supportedBy'), []);
    assert.deepEqual(ids('Sn1', 'supportedBy'), []);
    assert.deepEqual(ids('C1', 'inContextOf'), []);
  });

  it('summarises evidence from the notes', () => {
    const sn1 = other.elements[0];
    const status = evidenceStatus(sn1, (key) => (key === 'good2024' ? {} : key === 'gone2022' ? { status: 'retracted' } : undefined));
    assert.equal(status.overall, 'retracted');
    assert.equal(status.hasEvidence, true);
    assert.deepEqual(status.items.map((i) => [i.citation.key, i.state]), [
      ['good2024', 'ok'],
      ['gone2022', 'retracted'],
    ]);
    const none = evidenceStatus(other.elements[1], () => undefined);
    assert.deepEqual([none.overall, none.hasEvidence], ['none', false]);
  });
});
