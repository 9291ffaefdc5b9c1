// checkSafetyCases: a workspace of modules checked as gsn2x runs (a file nobody uses plus what it uses and
// extends), findings placed on every element they concern, and our evidence checks.
import * as assert from 'node:assert/strict';
import { checkSafetyCases, evidenceChecks } from '../../src/core/gsn/check';
import type { SafetyCaseContext } from '../../src/core/gsn/check';
import { parseMarkdownSafetyCase } from '../../src/core/gsn/markdown';
import type { GsnModule } from '../../src/core/gsn/types';
import { parseGsnYaml } from '../../src/core/gsn/yaml';
import type { CoreDiagnostic } from '../../src/core/model';

const files = new Map<string, string>();

function yaml(uri: string, text: string): GsnModule {
  files.set(uri, text);
  const module = parseGsnYaml(text, uri).value;
  assert.ok(module);
  return module;
}

const known: Record<string, { status?: string }> = {
  good2024: {},
  shaky2023: { status: 'contested' },
  gone2022: { status: 'Retracted' },
};
const ctx: SafetyCaseContext = { resolve: (key) => known[key] };

function summary(result: Map<string, CoreDiagnostic[]>): string[] {
  const out: string[] = [];
  for (const [uri, list] of result) {
    const text = files.get(uri) ?? '';
    for (const d of list) out.push(`${uri} ${d.code} ${text.slice(d.span.start, d.span.end)}`);
  }
  return out.sort();
}

describe('checkSafetyCases', () => {
  it('checks a file with the files it uses as one case, and gives every module an entry', () => {
    const main = yaml('mem:///ws/main.gsn.yaml', 'module:\n  name: Main\n  uses: [sub/parts.gsn.yaml]\nG1:\n  supportedBy: [S1]\nS1:\n  supportedBy: [Sn1]\n');
    const parts = yaml('mem:///ws/sub/parts.gsn.yaml', 'module:\n  name: Parts\nSn1:\n  url: https://example.org\n');
    const result = checkSafetyCases([parts, main], ctx);
    assert.deepEqual([...result.keys()].sort(), ['mem:///ws/main.gsn.yaml', 'mem:///ws/sub/parts.gsn.yaml']);
    assert.deepEqual(summary(result), []);
  });

  it('finds used files written with .. and spaces among escaped workspace URIs', () => {
    const main = yaml('mem:///ws/cases/main.gsn.yaml', 'module:\n  name: Main\n  uses: [../shared parts/p.gsn.yaml]\nG1:\n  supportedBy: [Sn1]\n');
    const parts = yaml('mem:///ws/shared%20parts/p.gsn.yaml', 'module:\n  name: P\nSn1:\n  url: https://x\n');
    assert.deepEqual(summary(checkSafetyCases([main, parts], ctx)), []);
  });

  it('reports a used file that is not in the workspace at the uses entry', () => {
    const main = yaml('mem:///ws/a.gsn.yaml', 'module:\n  name: A\n  uses: [missing.gsn.yaml]\nG1:\n  undeveloped: true\n');
    assert.deepEqual(summary(checkSafetyCases([main], ctx)), ['mem:///ws/a.gsn.yaml gsn-uses missing.gsn.yaml']);
  });

  it('keeps unrelated safety cases apart (no C07 across independent files)', () => {
    const a = yaml('mem:///ws/a.gsn.yaml', 'G1:\n  undeveloped: true\n');
    const b = yaml('mem:///ws/b.gsn.yaml', 'G1:\n  undeveloped: true\n');
    assert.deepEqual(summary(checkSafetyCases([a, b], ctx)), []);
  });

  it('pulls in the module an instance extends', () => {
    const template = yaml('mem:///ws/t.gsn.yaml', 'module:\n  name: T\nG0:\n  supportedBy: [G1]\nG1:\n  undeveloped: true\n');
    const instance = yaml(
      'mem:///ws/i.gsn.yaml',
      'module:\n  name: I\n  extends:\n    - module: T\n      develops:\n        G1: [G2]\nG2:\n  supportedBy: [Sn1]\nSn1:\n  url: https://x\n',
    );
    assert.deepEqual(summary(checkSafetyCases([instance, template], ctx)), []);
  });

  it('places each finding on every element it concerns, once', () => {
    const a = yaml('mem:///ws/c.gsn.yaml', 'G1:\n  undeveloped: true\nG2:\n  undeveloped: true\n');
    const result = checkSafetyCases([a], ctx);
    assert.deepEqual(summary(result), ['mem:///ws/c.gsn.yaml gsn-C01 G1', 'mem:///ws/c.gsn.yaml gsn-C01 G2']);
    const c01 = result.get('mem:///ws/c.gsn.yaml')?.[0];
    assert.equal(c01?.severity, 'warning');
    assert.equal(c01?.message, 'C01: There is more than one unreferenced element: G1, G2.');
  });

  it('checks a uses loop without a top-level file as its own case (C06)', () => {
    const a = yaml('mem:///ws/x.gsn.yaml', 'module:\n  name: X\n  uses: [y.gsn.yaml]\nG1:\n  undeveloped: true\n');
    const b = yaml('mem:///ws/y.gsn.yaml', 'module:\n  name: Y\n  uses: [x.gsn.yaml]\nG2:\n  undeveloped: true\n');
    const codes = summary(checkSafetyCases([a, b], ctx)).map((l) => l.split(' ')[1]);
    assert.deepEqual(codes, ['gsn-C06']);
  });

  it('runs the gsn2x options (extended check, excluded modules, layers)', () => {
    const a = yaml('mem:///ws/o.gsn.yaml', 'module:\n  name: O\nG1:\n  supportedBy: [C1, Sn9]\nC1:\n  nodeType: Solution\n  url: https://x\n');
    const codes = (options: SafetyCaseContext['options']) => summary(checkSafetyCases([a], { ...ctx, options })).map((l) => l.split(' ').slice(1).join(' '));
    assert.deepEqual(codes({}), ['gsn-C03 Sn9']);
    assert.deepEqual(codes({ extendedCheck: true, excluded: ['O'] }), ['gsn-V08 Solution']);
    assert.deepEqual(codes({ excluded: ['O'], layers: ['risk'] }), ['gsn-layer ']);
  });

  it('flags unresolved, contested and retracted evidence at the cited key', () => {
    const text = 'G1:\n  supportedBy: [Sn1]\nSn1:\n  text: See [@good2024; @shaky2023; @nowhere2021]\n  cites: [gone2022]\n';
    const m = yaml('mem:///ws/e.gsn.yaml', text);
    const list = evidenceChecks(m, [m], ctx.resolve);
    assert.deepEqual(
      list.map((d) => [d.code, d.severity, text.slice(d.span.start, d.span.end)]),
      [
        ['safety-contested-evidence', 'warning', 'shaky2023'],
        ['safety-unresolved-evidence', 'warning', 'nowhere2021'],
        ['safety-contested-evidence', 'error', 'gone2022'],
      ],
    );
    assert.equal(list[2].message, 'Sn1 relies on gone2022, which your note marks as Retracted.');
  });

  it('flags Solutions without evidence and Goals resting only on undeveloped support', () => {
    const text = 'G1:\n  supportedBy: [G2, S1]\nG2:\n  undeveloped: true\nS1:\n  undeveloped: true\nG3:\n  supportedBy: [Sn1, G2]\nSn1:\n  text: no citation\nSn2:\n  url: https://evidence\n';
    const m = yaml('mem:///ws/u.gsn.yaml', text);
    const list = evidenceChecks(m, [m], ctx.resolve);
    assert.deepEqual(
      list.map((d) => [d.code, text.slice(d.span.start, d.span.end)]),
      [
        ['safety-undeveloped-support', 'G1'],
        ['safety-solution-without-evidence', 'Sn1'],
      ],
    );
  });

  it('works on Markdown safety cases the same way', () => {
    const text = '---\nsafety-case: true\n---\n## G1: Top\nsupported by: Sn1\n- Sn1: Evidence [@shaky2023]\n';
    files.set('mem:///ws/m.gsn.md', text);
    const m = parseMarkdownSafetyCase(text, 'mem:///ws/m.gsn.md').value;
    assert.ok(m);
    assert.deepEqual(summary(checkSafetyCases([m], ctx)), ['mem:///ws/m.gsn.md safety-contested-evidence shaky2023']);
  });
});
