// gsn2x's checks one by one: a failing and a passing example each, with gsn2x's exact wording, severity,
// location, and the stop rules that make counts agree with the real tool.
import * as assert from 'node:assert/strict';
import { validateGsn2x } from '../../src/core/gsn/check';
import type { ValidateGsn2xOptions } from '../../src/core/gsn/check';
import { formatGsn2x, gsn2xModuleOf, gsn2xSummary } from '../../src/core/gsn/gsn2x';

function run(text: string, options: ValidateGsn2xOptions = {}, uri = 'case.gsn.yaml') {
  return validateGsn2x([{ uri, text }], options);
}

function lines(text: string, options: ValidateGsn2xOptions = {}): string[] {
  return run(text, options).messages;
}

/** The source text a finding points at. */
function marked(text: string, options: ValidateGsn2xOptions, code: string): string[] {
  return run(text, options)
    .diagnostics.filter((d) => d.code === code)
    .flatMap((d) => d.locations.map((l) => text.slice(l.span.start, l.span.end)));
}

const M = 'case_gsn_yaml';

describe('gsn2x checks', () => {
  describe('formatting', () => {
    it('prints gsn2x lines and summaries', () => {
      assert.equal(formatGsn2x('Main', { severity: 'error', message: 'V01: x' }), 'Error: (Main) V01: x');
      assert.equal(formatGsn2x(undefined, { severity: 'warning', message: 'C01: y' }), 'Warning: C01: y');
      assert.equal(gsn2xSummary(2, 1), 'Error: 2 errors and 1 warnings detected.');
      assert.equal(gsn2xSummary(0, 3), 'Warning: 3 warnings detected.');
      assert.equal(gsn2xSummary(0, 0), undefined);
      assert.equal(gsn2xModuleOf('gsn-C04', 'Main'), undefined);
      assert.equal(gsn2xModuleOf('gsn-V02', 'Main'), 'Main');
    });

    it('names the module exactly where gsn2x does', () => {
      const r = run('G1:\n  supportedBy: [S1]\nS1:\n  text: s\nG2:\n  undeveloped: true\n');
      for (const d of r.diagnostics) assert.equal(gsn2xModuleOf(d.code, M), d.module, d.code);
    });

    it('names a module without a module block after its path', () => {
      const r = run('G1:\n  text: g\n', {}, "dir/my-case v1.gsn.yaml");
      assert.deepEqual(r.messages, ['Warning: (dir_my_case_v1_gsn_yaml) V02: Element G1 is undeveloped.', 'Warning: 1 warnings detected.']);
    });
  });

  it('a clean argument using every feature passes all checks (the passing side of each check)', () => {
    const text = [
      'module:\n  name: Clean',
      'G1:\n  supportedBy: [S1]\n  inContextOf: [C1, A1, J1]\n  acp:\n    ACP1: [G1, S1]',
      'S1:\n  supportedBy: [G2, G3]',
      'G2:\n  supportedBy: Sn1\n  defeatedRelation: Sn1',
      'G3:\n  undeveloped: true\n  defeated: true',
      'Sn1:\n  url: https://evidence',
      'C1: {}\nA1: {}\nJ1: {}',
      'CG1:\n  challenges: G3\n  supportedBy: [CSn1]',
      'CSn1:\n  challenges: G2 -> Sn1',
      'X1:\n  nodeType: Justification',
      'G4:\n  inContextOf: X1\n  supportedBy: [Sn1]',
      '',
    ].join('\n');
    const r = run(text.replace('supportedBy: [G2, G3]', 'supportedBy: [G2, G3, G4]'), { extendedCheck: true });
    assert.deepEqual(r.messages, []);
    assert.equal(r.noElements, false);
  });

  describe('V checks', () => {
    it('V01 unknown type, unless nodeType says it', () => {
      assert.deepEqual(lines('G1:\n  supportedBy: [X1]\nX1:\n  text: x\n'), [
        `Error: (${M}) V04: Element G1 has invalid type of reference X1 in supported by element.`,
        `Error: (${M}) V01: Element X1 is of unknown type. Please see documentation for supported types`,
        'Error: 2 errors and 0 warnings detected.',
      ]);
      assert.deepEqual(lines('G1:\n  supportedBy: [X1]\nX1:\n  nodeType: Solution\n'), []);
    });

    it('V02 Goal or Strategy without support, unless undeveloped', () => {
      const text = 'G1:\n  supportedBy: [S1]\nS1:\n  text: s\n';
      assert.deepEqual(lines(text), [`Warning: (${M}) V02: Element S1 is undeveloped.`, 'Warning: 1 warnings detected.']);
      assert.deepEqual(marked(text, {}, 'gsn-V02'), ['S1']);
      assert.deepEqual(lines('G1:\n  supportedBy: [S1]\nS1:\n  undeveloped: true\n'), []);
    });

    it('V03 undeveloped element with support', () => {
      assert.deepEqual(lines('G1:\n  undeveloped: true\n  supportedBy: [Sn1]\nSn1: {}\n'), [
        `Error: (${M}) V03: Undeveloped element G1 has supporting arguments.`,
        'Error: 1 errors and 0 warnings detected.',
      ]);
    });

    it('V04 reference of the wrong type, per list and source type', () => {
      const text = 'G1:\n  supportedBy: [C1]\n  inContextOf: [Sn1]\nC1: {}\nSn1:\n  supportedBy: [G1]\n';
      assert.deepEqual(lines(text), [
        `Error: (${M}) V04: Element G1 has invalid type of reference Sn1 in context.`,
        `Error: (${M}) V04: Element G1 has invalid type of reference C1 in supported by element.`,
        `Error: (${M}) V04: Element Sn1 has invalid type of reference G1 in supported by element.`,
        'Error: 3 errors and 0 warnings detected.',
      ]);
      assert.deepEqual(marked(text, {}, 'gsn-V04'), ['Sn1', 'C1', 'G1']);
      // A CounterGoal may be supported by counter elements; a missing target is left to C03.
      assert.deepEqual(lines('G1:\n  supportedBy: [Sn1]\nSn1: {}\nCG1:\n  challenges: G1\n  supportedBy: [CSn1]\nCSn1: {}\n'), []);
    });

    it('V05 duplicate entries (warning) and V06 self references (error)', () => {
      const text = 'G1:\n  supportedBy: [Sn1, Sn1, G1]\nSn1: {}\n';
      assert.deepEqual(lines(text), [
        `Error: (${M}) V06: Element G1 references itself in supported by element.`,
        `Warning: (${M}) V05: Element G1 has duplicate entry Sn1 in supported by element.`,
        'Error: 1 errors and 1 warnings detected.',
      ]);
      assert.deepEqual(marked(text, {}, 'gsn-V05'), ['Sn1']);
      assert.equal(run(text).diagnostics.find((d) => d.code === 'gsn-V05')?.span.start, text.indexOf('Sn1, G1'));
    });

    it('V07 develops with a wrong or missing local element', () => {
      const base = 'module:\n  name: T\nG0:\n  supportedBy: [G1]\nG1:\n  undeveloped: true\n';
      const ext = (develops: string) =>
        validateGsn2x([
          { uri: 't.gsn.yaml', text: base },
          { uri: 'i.gsn.yaml', text: `module:\n  name: I\n  extends:\n    - module: T\n      develops:\n        G1: ${develops}\nG2:\n  supportedBy: [Sn1]\nSn1: {}\nC9: {}\n` },
        ]).messages;
      assert.deepEqual(ext('[C9]'), [
        'Error: (I) V07: Element C9 is of wrong type. Only Strategies, Goals and Solutions can develop other Goals and Strategies.',
        'Error: 1 errors and 0 warnings detected.',
      ]);
      assert.deepEqual(ext('[G7]'), ['Error: (I) V07: Element G7 in module I supposed to develop G1 in module T does not exist.', 'Error: 1 errors and 0 warnings detected.']);
      assert.deepEqual(ext('[G2]').filter((l) => l.includes('V07')), []);
    });

    it('V08 nodeType against the id prefix, only with --extended-check', () => {
      const text = 'G1:\n  supportedBy: [C1]\nC1:\n  nodeType: Solution\n';
      assert.deepEqual(lines(text), []);
      assert.deepEqual(lines(text, { extendedCheck: true }), [
        `Warning: (${M}) V08: Element C1 has type Solution, but ID indicates type Context`,
        'Warning: 1 warnings detected.',
      ]);
      assert.deepEqual(marked(text, { extendedCheck: true }, 'gsn-V08'), ['Solution']);
    });

    it('V09 assurance claim point on an unconnected element', () => {
      assert.deepEqual(lines('G1:\n  supportedBy: [Sn1]\n  acp:\n    ACP2: [Sn1, G1]\n    ACP1: Sn9\nSn1: {}\n'), [
        `Error: (${M}) V09: Element G1 has an assurance claim point ACP1 that references Sn9, but this is neither its own ID nor any of the connected elements.`,
        'Error: 1 errors and 0 warnings detected.',
      ]);
    });

    it('V10 defeated but never challenged', () => {
      assert.deepEqual(lines('G1:\n  supportedBy: [Sn1]\nSn1:\n  defeated: true\n'), [
        `Error: (${M}) V10: Element Sn1 is marked as defeated, but no other element challenges it.`,
        'Error: 1 errors and 0 warnings detected.',
      ]);
      assert.deepEqual(lines('G1:\n  supportedBy: [Sn1]\nSn1:\n  defeated: true\nCSn1:\n  challenges: Sn1\n'), []);
    });

    it('V11 dialectic elements, only with --warn-dialectic', () => {
      const text = 'G1:\n  supportedBy: [Sn1]\nSn1: {}\nCSn1:\n  challenges: Sn1\n';
      assert.deepEqual(lines(text), []);
      assert.deepEqual(lines(text, { warnDialectic: true }), [`Warning: (${M}) V11: Dialectic extension is used. See elements: CSn1`, 'Warning: 1 warnings detected.']);
      // gsn2x lists all counter elements once per module; a module without any is marked at its name.
      const other = 'module:\n  name: Other\nG9:\n  undeveloped: true\n';
      const r = validateGsn2x([{ uri: 'a.yaml', text: `module:\n  name: Main\n${text}` }, { uri: 'b.yaml', text: other }], { warnDialectic: true });
      const v11 = r.diagnostics.filter((d) => d.code === 'gsn-V11');
      assert.deepEqual(v11.map((d) => formatGsn2x(d.module, d)), [
        'Warning: (Main) V11: Dialectic extension is used. See elements: CSn1',
        'Warning: (Other) V11: Dialectic extension is used. See elements: CSn1',
      ]);
      assert.equal(other.slice(v11[1].span.start, v11[1].span.end), 'Other');
    });

    it('V12 challenges from an element that is not a counter element', () => {
      assert.deepEqual(lines('G1:\n  supportedBy: [Sn1]\nSn1: {}\nG2:\n  undeveloped: true\n  challenges: Sn1\n'), [
        `Error: (${M}) V12: G2 is not a CounterGoal nor CounterSolution but challenges another element or relation.`,
        'Error: 1 errors and 0 warnings detected.',
      ]);
    });

    it('V13 defeated relation without a link, first one only', () => {
      const text = 'G1:\n  supportedBy: [Sn1]\n  defeatedRelation: [G9, G8]\nSn1: {}\n';
      assert.deepEqual(lines(text), [
        `Error: (${M}) V13: Relation from G1 to G9 is marked as defeated, but G1 has no relation to G9.`,
        'Error: 1 errors and 0 warnings detected.',
      ]);
      assert.deepEqual(marked(text, {}, 'gsn-V13'), ['G9']);
      assert.deepEqual(lines('G1:\n  supportedBy: [Sn1]\n  defeatedRelation: Sn1\nSn1: {}\nCSn1:\n  challenges: G1 -> Sn1\n'), []);
    });

    it('stops after the first module (by name) with errors; V07 only after clean elements', () => {
      const r = validateGsn2x([
        { uri: 'b.gsn.yaml', text: 'module:\n  name: B\nX1: {}\n' },
        { uri: 'a.gsn.yaml', text: 'module:\n  name: A\n  extends:\n    - module: B\n      develops:\n        X1: [C1]\nX2: {}\n' },
      ]);
      assert.deepEqual(r.messages, [
        'Error: (A) V01: Element X2 is of unknown type. Please see documentation for supported types',
        'Error: 1 errors and 0 warnings detected.',
      ]);
    });
  });

  describe('C checks', () => {
    it('C01 several top-level elements (warning), none at all (error)', () => {
      const text = 'G1:\n  undeveloped: true\nG2:\n  undeveloped: true\n';
      assert.deepEqual(lines(text), ['Warning: C01: There is more than one unreferenced element: G1, G2.', 'Warning: 1 warnings detected.']);
      assert.deepEqual(marked(text, {}, 'gsn-C01'), ['G1', 'G2']);
      assert.deepEqual(lines('G1:\n  supportedBy: [G2]\nG2:\n  supportedBy: [G1]\n'), [
        'Error: C01: There are no unreferenced elements found.',
        'Error: 1 errors and 0 warnings detected.',
      ]);
      // Counter elements never count as top-level.
      assert.deepEqual(lines('G1:\n  supportedBy: [Sn1]\nSn1: {}\nCSn1:\n  challenges: Sn1\n'), []);
    });

    it('C02 the single top-level element is not a Goal', () => {
      assert.deepEqual(lines('S1:\n  supportedBy: [Sn1]\nSn1: {}\n'), [
        'Error: C02: The root element should be a goal, but S1 was found.',
        'Error: 1 errors and 0 warnings detected.',
      ]);
    });

    it('C03 unresolved reference, with C11 when it looks like a list', () => {
      const text = 'G1:\n  supportedBy: "Sn1, Sn2"\n  inContextOf: [C9]\nSn1: {}\n';
      assert.deepEqual(lines(text), [
        `Error: (${M}) C03: Element G1 has unresolved "in context of" element: C9`,
        `Error: (${M}) C03: Element G1 has unresolved "supported by" element: Sn1, Sn2`,
        `Warning: (${M}) C11: Unresolved "supported by" element of G1 may be actually a list: Sn1, Sn2. Try writing [Sn1, Sn2] instead.`,
        'Error: 2 errors and 1 warnings detected.',
      ]);
      assert.deepEqual(marked(text, {}, 'gsn-C03'), ['C9', 'Sn1, Sn2']);
    });

    it('C03 stops at the first element with a problem and skips excluded modules', () => {
      const files = [
        { uri: 'a.gsn.yaml', text: 'module:\n  name: A\nG1:\n  supportedBy: [G2, G3]\nG2:\n  supportedBy: [Sn8]\nG3:\n  supportedBy: [Sn9]\n' },
      ];
      assert.deepEqual(validateGsn2x(files).messages, [
        'Error: (A) C03: Element G2 has unresolved "supported by" element: Sn8',
        'Error: 1 errors and 0 warnings detected.',
      ]);
      const excluded = validateGsn2x(files, { excluded: ['A'] });
      assert.ok(!excluded.messages.some((l) => l.includes('C03')));
    });

    it('C04 cycles, with gsn2x wording and path', () => {
      const text = 'G0:\n  supportedBy: [G1]\nG1:\n  supportedBy: [G2]\nG2:\n  supportedBy: [G1]\n';
      assert.deepEqual(lines(text), ['Error: C04: Cycle detected at element G2. Cycle is G1 -> G2 -> G1.', 'Error: 1 errors and 0 warnings detected.']);
      assert.equal(text.slice(...spanOf(run(text).diagnostics[0].span)), 'G1');
      assert.equal(run(text).diagnostics[0].span.start, text.lastIndexOf('G1'));
      assert.deepEqual(lines('G0:\n  supportedBy: [G1, G2]\nG1:\n  supportedBy: [G2]\nG2:\n  supportedBy: [Sn1]\nSn1: {}\n'), []);
    });

    it('C06 a module loaded twice (a uses loop) ends the run', () => {
      const files: Record<string, string> = {
        'd/a.yaml': 'module:\n  name: A\n  uses: [b.yaml]\nG1:\n  undeveloped: true\n',
        'd/b.yaml': 'module:\n  name: B\n  uses: [a.yaml]\nG2:\n  undeveloped: true\n',
      };
      const r = validateGsn2x([{ uri: 'd/a.yaml', text: files['d/a.yaml'] }], { readFile: (u) => files[u] });
      assert.deepEqual(r.messages, [
        'Error: (A) C06: Module in d/a.yaml was already present in d/a.yaml provided by command line.',
        'Error: 1 errors and 0 warnings detected.',
      ]);
    });

    it('C07 an id defined in two modules; the rest of the second module is skipped', () => {
      const r = validateGsn2x([
        { uri: 'a.yaml', text: 'module:\n  name: A\nG1:\n  supportedBy: [Sn1]\nSn1: {}\n' },
        { uri: 'b.yaml', text: 'module:\n  name: B\nG1: {}\nSn2: {}\n' },
      ]);
      assert.deepEqual(r.messages, [
        'Error: (B) C07: Element G1 in b.yaml was already present in A.',
        'Error: (B) The module does not contain elements.',
        'Error: 2 errors and 0 warnings detected.',
      ]);
    });

    it('C08 elements unreachable from the top level', () => {
      const text = 'G3:\n  supportedBy: [Sn1]\nSn1: {}\nG1:\n  supportedBy: [S1]\nS1:\n  supportedBy: [G2]\nG2:\n  supportedBy: [G1]\n';
      assert.deepEqual(lines(text), [
        'Error: C08: The following element(s) are not reachable from the root element(s) (G3): G1, G2, S1',
        'Error: 1 errors and 0 warnings detected.',
      ]);
      assert.deepEqual(marked(text, {}, 'gsn-C08'), ['G1', 'G2', 'S1']);
    });

    it('C09/C10 extension of missing modules and elements, applied when valid', () => {
      const template = { uri: 't.yaml', text: 'module:\n  name: T\nG0:\n  supportedBy: [G1, G4]\nG1:\n  undeveloped: true\nG4:\n  supportedBy: [Sn4]\nSn4: {}\n' };
      const instance = (mod: string, dev: string) => ({
        uri: 'i.yaml',
        text: `module:\n  name: I\n  extends:\n    - module: ${mod}\n      develops:\n        ${dev}: [G2]\nG2:\n  supportedBy: [Sn1]\nSn1: {}\n`,
      });
      assert.deepEqual(validateGsn2x([template, instance('T', 'G1')]).messages, []);
      assert.deepEqual(validateGsn2x([template, instance('X', 'G1')]).messages, [
        'Error: (I) C09: Module X is not found, but is supposed to be extended by module I.',
        'Error: (I) C10: Element G1 does not exist in module X, but is supposed to be extended by G2.',
        'Error: 2 errors and 0 warnings detected.',
      ]);
      assert.deepEqual(validateGsn2x([template, instance('T', 'G4')]).messages.slice(0, 1), [
        'Error: (I) C10: Element G4 is not undeveloped, but is supposed to be extended by G2.',
      ]);
      assert.deepEqual(validateGsn2x([template, instance('T', 'G9')]).messages.slice(0, 1), [
        'Error: (I) C10: Element G9 does not exist, but is supposed to be extended by G2.',
      ]);
    });

    it('C12–C16 challenges of elements and relations', () => {
      const head = 'G1:\n  supportedBy: [Sn1]\nSn1: {}\nSn2: {}\nG2:\n  supportedBy: [Sn2]\n';
      const check = (challenge: string) => lines(`${head}CSn1:\n  challenges: ${challenge}\n`).filter((l) => /C1[2-6]/.test(l));
      assert.deepEqual(check('CSn1'), [`Error: (${M}) C13: Element CSn1 challenges itself.`]);
      assert.deepEqual(check('G7'), [`Error: (${M}) C14: Element CSn1 challenges element G7, but it does not exist.`]);
      assert.deepEqual(check('G1 -> G1'), [`Error: (${M}) C15: Element CSn1 challenges a relation with both ends pointing to G1.`]);
      assert.deepEqual(check('G1 -> Sn9'), [`Error: (${M}) C12: Element CSn1 challenges a relation, but element Sn9 of the relation does not exist.`]);
      assert.deepEqual(check('G1 -> Sn2'), [`Error: (${M}) C16: Element CSn1 challenges a relation, but the referenced elements Sn2 and G1 do not have a relation.`]);
      assert.deepEqual(check('G1 -> Sn1'), []);
      const text = `${head}CSn1:\n  challenges: G1 -> Sn9\n`;
      assert.deepEqual(marked(text, {}, 'gsn-C12'), ['Sn9']);
    });

    it('layers: reserved names are errors, unused layers warnings', () => {
      const text = 'G1:\n  undeveloped: true\n  risk: high\n';
      assert.deepEqual(lines(text, { layers: ['risk'] }), []);
      assert.deepEqual(lines(text, { layers: ['text', 'cost'] }), [
        'Error: text is a reserved attribute and cannot be used as layer.',
        'Warning: Layer cost is not used in file. No additional output will be generated.',
        'Error: 1 errors and 1 warnings detected.',
      ]);
    });

    it('no elements at all, and a module without elements', () => {
      const empty = run('');
      assert.equal(empty.noElements, true);
      assert.deepEqual(empty.messages, ['Error: No input elements are found.', 'Error: 1 errors and 0 warnings detected.']);
      const r = validateGsn2x([
        { uri: 'a.yaml', text: 'module:\n  name: A\nG1:\n  undeveloped: true\n' },
        { uri: 'b.yaml', text: 'module:\n  name: B\n' },
      ]);
      assert.deepEqual(r.messages, ['Error: (B) The module does not contain elements.', 'Error: 1 errors and 0 warnings detected.']);
    });

    it('a file that cannot be read or parsed is rejected without counts', () => {
      const r = validateGsn2x([{ uri: 'a.yaml', text: 'module:\n  name: A\n  uses: [gone.yaml]\nG1:\n  undeveloped: true\n' }], { readFile: () => undefined });
      assert.equal(r.parseError, true);
      assert.deepEqual(r.messages, ['Error: Failed to open file gone.yaml']);
      const bad = run('G1: [\n');
      assert.equal(bad.parseError, true);
      assert.equal(bad.messages[0], 'Error: Failed to parse YAML from file case.gsn.yaml');
    });
  });
});

function spanOf(span: { start: number; end: number }): [number, number] {
  return [span.start, span.end];
}
