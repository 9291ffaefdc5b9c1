// gsn2x conformance: every case of the shared manifest (taken from gsn2x's own test suite) must give the
// outcome gsn2x's tests assert. Only asserted keys are compared; rendering output (`stdout`) is not ours.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateGsn2x } from '../../src/core/gsn/check';

interface Expectation {
  errors?: number;
  warnings?: number;
  minErrors?: number;
  minWarnings?: number;
  checks?: string[];
  messages?: string[];
  summary?: string;
  parseError?: boolean;
  noElements?: boolean;
  nodeTypes?: Record<string, string>;
}

interface ConformanceCase {
  name: string;
  files: string[];
  excluded: string[];
  layers: string[];
  args: string[];
  expect: Expectation;
}

// Compiled to out/test/unit; the repository root is three levels up, `shared/` sits beside it.
const repoRoot = path.resolve(__dirname, '../../..');
const conformanceDir = path.resolve(repoRoot, '..', 'shared', 'conformance', 'gsn2x');
const inputsDir = path.join(conformanceDir, 'inputs');
const manifest = JSON.parse(fs.readFileSync(path.join(conformanceDir, 'manifest.json'), 'utf8')) as ConformanceCase[];

/** gsn2x's tests ran from the repository root, so `inputs/tests/x.yaml` was passed as `tests/x.yaml`. */
const asInvoked = (file: string) => file.replace(/^inputs\//, '');

function readInput(relative: string): string | undefined {
  const full = path.join(inputsDir, relative);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
}

describe('gsn2x conformance', () => {
  it('has the 66 cases of the manifest', () => {
    assert.equal(manifest.length, 66);
  });

  for (const testCase of manifest) {
    it(testCase.name, () => {
      const files = testCase.files.map((f) => ({ uri: asInvoked(f), text: readInput(asInvoked(f)) ?? '' }));
      const result = validateGsn2x(files, {
        excluded: testCase.excluded.map(asInvoked),
        layers: testCase.layers,
        extendedCheck: testCase.args.includes('--extended-check'),
        warnDialectic: testCase.args.includes('--warn-dialectic'),
        readFile: readInput,
      });
      const expect = testCase.expect;
      const report = `\n${result.messages.join('\n')}`;
      if (expect.parseError !== undefined) assert.equal(result.parseError, expect.parseError, `parseError${report}`);
      if (expect.noElements !== undefined) assert.equal(result.noElements, expect.noElements, `noElements${report}`);
      if (expect.errors !== undefined) assert.equal(result.errors, expect.errors, `errors${report}`);
      if (expect.warnings !== undefined) assert.equal(result.warnings, expect.warnings, `warnings${report}`);
      if (expect.minErrors !== undefined) assert.ok(result.errors >= expect.minErrors, `minErrors${report}`);
      if (expect.minWarnings !== undefined) assert.ok(result.warnings >= expect.minWarnings, `minWarnings${report}`);
      if (expect.checks !== undefined) {
        if (expect.checks.length === 0) assert.deepEqual(result.diagnostics, [], `no diagnostics expected${report}`);
        for (const check of expect.checks) {
          assert.ok(result.diagnostics.some((d) => d.code === `gsn-${check}`), `${check} expected${report}`);
        }
      }
      for (const message of expect.messages ?? []) {
        // The parse-error line is asserted by its start only (the cause follows in gsn2x's output).
        const found = result.messages.some((line) => line === message || (expect.parseError === true && line.startsWith(message)));
        assert.ok(found, `missing line: ${message}${report}`);
      }
      if (expect.summary !== undefined) assert.equal(result.messages[result.messages.length - 1], expect.summary, `summary${report}`);
      for (const [id, type] of Object.entries(expect.nodeTypes ?? {})) {
        const element = result.modules.flatMap((m) => m.elements).find((e) => e.id === id);
        assert.equal(element?.type, type, `type of ${id}`);
      }
    });
  }
});
