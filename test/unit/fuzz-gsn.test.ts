// Property tests (the shared fuzz seed and run counts, see fuzz-config.ts): the safety-case parsers and checks never throw, on arbitrary text, on
// mutated conformance inputs and on random argument graphs; every span lies inside the text; cycles and
// very deep arguments are handled without recursion.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Parser, parseDocument } from 'yaml';
import { checkSafetyCases, validateGsn2x } from '../../src/core/gsn/check';
import { excessiveYamlFlowDepth } from '../../src/core/parsers/yamlGuard';
import { parseMarkdownSafetyCase } from '../../src/core/gsn/markdown';
import type { GsnModule } from '../../src/core/gsn/types';
import { parseGsnYaml } from '../../src/core/gsn/yaml';
import type { CoreDiagnostic, ParseResult, Span } from '../../src/core/model';
import { fuzzParameters, LONG_FUZZ } from './fuzz-config';

const repoRoot = path.resolve(__dirname, '../../..');
const inputsDir = path.resolve(repoRoot, '..', 'shared', 'conformance', 'gsn2x', 'inputs');

function listYaml(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listYaml(full) : e.name.endsWith('.yaml') ? [full] : [];
  });
}

const corpus = listYaml(inputsDir).map((f) => fs.readFileSync(f, 'utf8'));
const markdownSeed = fs.readFileSync(path.resolve(repoRoot, 'test/fixtures/gsn/deception-probes.gsn.md'), 'utf8');

function assertSpan(span: Span | undefined, length: number, what: string): void {
  if (!span) return;
  assert.ok(span.start >= 0 && span.start <= span.end && span.end <= length, `${what} ${JSON.stringify(span)} outside 0..${length}`);
}

function assertSpansInside(result: ParseResult<GsnModule | undefined>, length: number): void {
  for (const d of result.diagnostics) assertSpan(d.span, length, `diagnostic ${d.code}`);
  const m = result.value;
  if (!m) return;
  assertSpan(m.nameSpan, length, 'module name');
  for (const u of m.uses) assertSpan(u.span, length, 'uses');
  for (const e of m.elements) {
    for (const s of [e.idSpan, e.span, e.textSpan, e.nodeTypeSpan, e.challenges?.span]) assertSpan(s, length, `element ${e.id}`);
    for (const r of [...e.supportedBy, ...e.inContextOf, ...(e.defeatedRelation ?? [])]) assertSpan(r.span, length, 'ref');
    for (const c of e.citations) for (const s of [c.keySpan, c.span, c.groupSpan]) assertSpan(s, length, 'citation');
  }
}

/** Edits that keep most of a real document: delete, duplicate or insert a slice, or splice in YAML-ish noise. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.nat({ max: 80 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    piece: fc.oneof(
      fc.constantFrom(':', '- ', '[', ']', '{', '}', '\n', '  ', '&a ', '*a', '!relative ', '"', "'", '|', '->', ' @', '[@k]', '#', '\t', 'supportedBy: ', 'G1', 'module:\n  name: M\n'),
      fc.string({ maxLength: 8 }),
    ),
  }),
);

function mutate(text: string, edits: { kind: string; at: number; len?: number; piece?: string }[]): string {
  let out = text;
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + 1);
    if (edit.kind === 'delete') out = out.slice(0, at) + out.slice(at + (edit.len ?? 0));
    else if (edit.kind === 'duplicate') out = out.slice(0, at) + out.slice(at, at + (edit.len ?? 0)) + out.slice(at);
    else out = out.slice(0, at) + (edit.piece ?? '') + out.slice(at);
  }
  return out;
}

const resolve = (key: string) => (key.length % 3 === 0 ? undefined : key.length % 3 === 1 ? { status: 'contested' } : {});

describe('GSN fuzzing', function () {
  // Hundreds of runs per property on a shared 2-core machine; the limit guards against hangs, not speed.
  this.timeout(LONG_FUZZ ? 0 : 60_000);

  it('the YAML reader never throws and keeps spans inside the text (arbitrary text)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        assertSpansInside(parseGsnYaml(text, 'f.yaml'), text.length);
      }),
      fuzzParameters(400),
    );
  });

  it('the YAML reader and the gsn2x pipeline never throw on mutated conformance inputs', () => {
    assert.ok(corpus.length >= 60, 'conformance inputs found');
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 }), (pick, edits) => {
        const text = mutate(corpus[pick % corpus.length], edits);
        const parsed = parseGsnYaml(text, 'tests/m.yaml');
        assertSpansInside(parsed, text.length);
        const result = validateGsn2x([{ uri: 'tests/m.yaml', text }], { readFile: () => 'G1:\n  undeveloped: true\n', warnDialectic: true, extendedCheck: true, layers: ['layer1'] });
        assert.equal(result.errors + result.warnings >= 0, true);
        if (parsed.value) checkSafetyCases([parsed.value], { resolve });
      }),
      fuzzParameters(300),
    );
  });

  it('the Markdown reader never throws and keeps spans inside the text', () => {
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 8 }), fc.boolean(), (edits, marked) => {
        const text = mutate(marked ? markdownSeed : markdownSeed.replace(/^---[\s\S]*?\n---\n/, ''), edits);
        const parsed = parseMarkdownSafetyCase(text, 'x.gsn.md');
        assertSpansInside(parsed, text.length);
        if (parsed.value) checkSafetyCases([parsed.value], { resolve });
      }),
      fuzzParameters(300),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (body) => {
        const text = `---\nsafety-case: true\n---\n${body}`;
        assertSpansInside(parseMarkdownSafetyCase(text, 'x.md'), text.length);
      }),
      fuzzParameters(300),
    );
  });

  it('the checks never throw on random argument graphs, across modules', () => {
    const ids = ['G1', 'G2', 'S1', 'Sn1', 'C1', 'A1', 'J1', 'CG1', 'CSn1', 'X1'];
    const element = fc.record({
      id: fc.constantFrom(...ids),
      supportedBy: fc.array(fc.constantFrom(...ids, 'Sn9', 'G1, G2'), { maxLength: 3 }),
      inContextOf: fc.array(fc.constantFrom(...ids), { maxLength: 2 }),
      challenges: fc.option(fc.constantFrom('G1', 'S1 -> Sn1', 'G2 -> G2', 'CG1', 'Q7'), { nil: undefined }),
      undeveloped: fc.boolean(),
      defeated: fc.boolean(),
      acp: fc.option(fc.constantFrom('Sn1', 'G2'), { nil: undefined }),
      defeatedRelation: fc.option(fc.constantFrom('Sn1', 'G9'), { nil: undefined }),
    });
    const file = fc.record({ name: fc.constantFrom('A', 'B', 'C'), uses: fc.array(fc.constantFrom('a.yaml', 'b.yaml'), { maxLength: 2 }), elements: fc.array(element, { maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 3 }), fc.boolean(), (specs, extend) => {
        const texts = specs.map((spec, i) => {
          const lines = [`module:\n  name: ${spec.name}\n  uses: [${spec.uses.join(', ')}]`];
          if (extend) lines.push(`  extends:\n    - module: A\n      develops:\n        G1: [G2]`);
          const seen = new Set<string>();
          for (const e of spec.elements) {
            if (seen.has(e.id)) continue;
            seen.add(e.id);
            lines.push(`${e.id}:`, `  supportedBy: ${JSON.stringify(e.supportedBy)}`, `  inContextOf: ${JSON.stringify(e.inContextOf)}`);
            if (e.challenges) lines.push(`  challenges: ${e.challenges}`);
            if (e.undeveloped) lines.push('  undeveloped: true');
            if (e.defeated) lines.push('  defeated: true');
            if (e.acp) lines.push(`  acp:\n    ACP1: ${e.acp}`);
            if (e.defeatedRelation) lines.push(`  defeatedRelation: ${e.defeatedRelation}`);
          }
          return { uri: `${'abc'[i]}.yaml`, text: `${lines.join('\n')}\n` };
        });
        const byUri = new Map(texts.map((t) => [t.uri, t.text]));
        const result = validateGsn2x(texts.slice(0, 1), { readFile: (u) => byUri.get(u), warnDialectic: true, extendedCheck: true });
        // Generated YAML is well-formed; only a used file that was not generated can stop the run early.
        assert.ok(!result.parseError || result.messages[0].startsWith('Error: Failed to open file'), result.messages.join('\n'));
        const modules = texts.map((t) => parseGsnYaml(t.text, t.uri).value).filter((m): m is GsnModule => m !== undefined);
        const map = checkSafetyCases(modules, { resolve, options: { excluded: ['B'] } });
        for (const [uri, list] of map) for (const d of list as CoreDiagnostic[]) assertSpan(d.span, (byUri.get(uri) ?? '').length, d.code);
      }),
      fuzzParameters(300),
    );
  });

  it('handles a 2,000-deep chain and a cycle at its bottom without recursion', () => {
    const depth = 2000;
    const chain: string[] = [];
    for (let i = 0; i < depth; i++) chain.push(`G${i}:\n  supportedBy: [G${i + 1}]`);
    const clean = `${chain.join('\n')}\nG${depth}:\n  supportedBy: [Sn1]\nSn1: {}\n`;
    assert.deepEqual(validateGsn2x([{ uri: 'deep.yaml', text: clean }]).messages, []);
    const cyclic = `${chain.join('\n')}\nG${depth}:\n  supportedBy: [G1000]\n`;
    const result = validateGsn2x([{ uri: 'deep.yaml', text: cyclic }]);
    const ring = ['G1000'];
    for (let i = 1001; i <= depth; i++) ring.push(`G${i}`);
    ring.push('G1000');
    assert.deepEqual(result.messages, [`Error: C04: Cycle detected at element G${depth}. Cycle is ${ring.join(' -> ')}.`, 'Error: 1 errors and 0 warnings detected.']);
  });

  it('finds a cycle below a lattice with 2^40 paths without enumerating them', () => {
    // Each level has two goals both supporting both goals of the next level: the number of paths doubles
    // per level, which a walk without pruning would enumerate before reaching the cycle at the bottom.
    const levels = 40;
    const lines = ['G:\n  supportedBy: [Ga0, Gb0]'];
    for (let i = 0; i < levels; i++) {
      const next = i + 1 < levels ? `[Ga${i + 1}, Gb${i + 1}]` : '[Gz]';
      lines.push(`Ga${i}:\n  supportedBy: ${next}`, `Gb${i}:\n  supportedBy: ${next}`);
    }
    lines.push('Gz:\n  supportedBy: [Gy]', 'Gy:\n  supportedBy: [Gz]');
    const result = validateGsn2x([{ uri: 'lattice.yaml', text: `${lines.join('\n')}\n` }]);
    assert.equal(result.messages[0], 'Error: C04: Cycle detected at element Gy. Cycle is Gz -> Gy -> Gz.');
  });

  it('maps citations in a long escaped string without quadratic work', () => {
    const text = `Sn1:\n  text: "${'\\u0041'.repeat(50_000)} [@key2024]"\n`;
    const sn1 = parseGsnYaml(text, 'e.yaml').value?.elements[0];
    assert.equal(sn1?.citations[0]?.key, 'key2024');
    assertSpan(sn1?.citations[0]?.keySpan, text.length, 'key');
  });

  it('the flow-nesting guard misses no nesting the yaml parser builds, and refuses only invalid or too-deep YAML', () => {
    /** Deepest nesting of flow collections in the yaml package's concrete syntax tree (iterative). */
    const parsedDepth = (text: string): number => {
      let max = 0;
      const stack: [unknown, number][] = [...new Parser().parse(text)].map((token) => [token, 0]);
      while (stack.length > 0) {
        const [node, depth] = stack.pop() as [unknown, number];
        if (node === null || typeof node !== 'object') continue;
        const here = (node as { type?: string }).type === 'flow-collection' ? depth + 1 : depth;
        max = Math.max(max, here);
        for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push([child, here]);
      }
      return max;
    };
    const unit = fc.constantFrom('[', ']', '{', '}', ',', ':', ': ', ' ', '\n', '"', "'", '#', ' #', 'a', '- ', '? ', '|', '  ', '\\', '---\n', '&x ', '!t ');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }).map((parts) => parts.join('')), fc.integer({ min: 0, max: 4 }), (text, limit) => {
        const depth = parsedDepth(text);
        const refusedAt = excessiveYamlFlowDepth(text, limit);
        if (depth > limit) assert.ok(refusedAt >= 0, `nesting ${depth} > ${limit} missed`);
        if (refusedAt >= 0) {
          assert.ok(text[refusedAt] === '[' || text[refusedAt] === '{', `refused at ${refusedAt}, not a bracket`);
          assert.ok(depth > limit || parseDocument(text).errors.length > 0, 'refused valid YAML within the limit');
        }
      }),
      fuzzParameters(2000),
    );
  });

  it('reports the same duplicate keys as the yaml package\'s own (quadratic) uniqueKeys check, in file order', () => {
    const key = fc.constantFrom('a', 'a', '"a"', "'a'", '1', '1.0', '0x1', 'true', 'null', '~', '.nan', '&x a', '!!str a', '*x', '? a');
    const entry = fc.tuple(key, fc.constantFrom('', '  ', '    '), fc.constantFrom('v', '{a: 1, a: 2}', '[a: 1]', ''));
    const block = fc.array(entry, { maxLength: 8 }).map((entries) => entries.map(([k, indent, v]) => `${indent}${k}: ${v}`).join('\n'));
    const flow = fc.array(fc.tuple(key, fc.constantFrom('1', '{a: 1, "a": 2}')), { maxLength: 6 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
    fc.assert(
      fc.property(fc.oneof(block, flow), (text) => {
        const expected = parseDocument(text, { uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0]).sort((a, b) => a - b);
        const found = parseGsnYaml(text, 'd.yaml').diagnostics.filter((d) => d.message === 'Map keys must be unique').map((d) => d.span.start);
        // The package marks a duplicate at its key's leading whitespace at times; ours is the key itself.
        assert.equal(found.length, expected.length, JSON.stringify(text));
        found.forEach((start, i) => assert.ok(expected[i] <= start && start < (expected[i + 1] ?? Infinity), JSON.stringify(text)));
      }),
      fuzzParameters(1000),
    );
  });

  it('survives pathologically nested YAML', () => {
    const text = `G1:\n  undeveloped: true\n  layer: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const parsed = parseGsnYaml(text, 'n.yaml');
    assertSpansInside(parsed, text.length);
  });
});
