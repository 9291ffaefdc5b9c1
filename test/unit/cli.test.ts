// The real `interp-review` binary (dist/cli.js, rebuilt first) on the fixtures in test/fixtures/cli/.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const fixtures = 'test/fixtures/cli';
// A private copy of the fresh bundle: other builds may rewrite dist/ while these tests run.
const binary = path.join(repo, 'out/test/cli-under-test/cli.js');

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [binary, ...args], { cwd: repo, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('interp-review CLI', function () {
  this.timeout(60_000);

  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    mkdirSync(path.dirname(binary), { recursive: true });
    copyFileSync(path.join(repo, 'dist/cli.js'), binary);
  });

  describe('citations', () => {
    it('lists keys with 1-based positions in document order, as JSON', () => {
      const r = cli('citations', `${fixtures}/project/review.md`, `${fixtures}/project/paper.tex`, '--json');
      assert.equal(r.code, 0, r.stderr);
      const md = `${fixtures}/project/review.md`;
      const tex = `${fixtures}/project/paper.tex`;
      assert.deepEqual(JSON.parse(r.stdout), [
        { file: md, line: 8, column: 45, key: 'olsson2022', syntax: 'pandoc' },
        { file: md, line: 8, column: 62, key: 'elhage2021', syntax: 'pandoc' },
        { file: md, line: 9, column: 2, key: 'bricken2023', syntax: 'pandoc' },
        { file: md, line: 9, column: 70, key: 'olson2022', syntax: 'pandoc' },
        { file: tex, line: 3, column: 22, key: 'elhage2022toy', syntax: 'latex' },
        { file: tex, line: 3, column: 37, key: 'olsson2022', syntax: 'latex' },
      ]);
    });

    it('prints file:line:col key lines in text mode', () => {
      const r = cli('citations', `${fixtures}/project/paper.tex`);
      assert.equal(r.stdout, `${fixtures}/project/paper.tex:3:22 elhage2022toy\n${fixtures}/project/paper.tex:3:37 olsson2022\n`);
    });
  });

  describe('bib', () => {
    it('prints decoded entries and syntax errors with their lines', () => {
      const r = cli('bib', `${fixtures}/project/refs.bib`, '--json');
      const out = JSON.parse(r.stdout) as { entries: Record<string, unknown>[]; errors: { line: number; message: string }[] };
      const elhage = out.entries.find((e) => e.key === 'elhage2021');
      assert.deepEqual(elhage, {
        key: 'elhage2021',
        type: 'article',
        title: 'A Mathematical Framework for Transformer Circuits',
        authors: ['Elhage, Nelson', 'Nanda, Neel', 'Olsön, Catherine'],
        year: '2021',
        doi: '10.0000/example.2021',
        url: null,
        abstract: null,
      });
      assert.equal(out.entries.find((e) => e.key === 'olsson2022')?.abstract, 'We argue that Induction heads may be the mechanism for in-context learning.');
      assert.ok(out.entries.some((e) => e.key === 'bricken2023'), 'parsing recovers after the broken entry');
      assert.ok(out.errors.length >= 1);
      assert.ok(out.errors.every((e) => e.line >= 17 && e.line <= 21 && e.message.length > 0), JSON.stringify(out.errors));
      assert.equal(r.code, 1);
    });
  });

  describe('check', () => {
    it('reports every diagnostic as file:line:col: severity [code] message and exits 1 on errors', () => {
      const r = cli('check', `${fixtures}/project`);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.ok(lines.includes(`${fixtures}/project/review.md:9:70: error [unresolved-citation] Unresolved citation key 'olson2022'. Did you mean 'olsson2022'?`), r.stdout);
      assert.ok(lines.some((l) => l.startsWith(`${fixtures}/project/paper.tex:3:22: error [unresolved-citation] Unresolved citation key 'elhage2022toy'.`)));
      assert.ok(lines.some((l) => /^test\/fixtures\/cli\/project\/refs\.bib:\d+:\d+: error \[bib-syntax\] /.test(l)));
      // Safety-case findings keep gsn2x's own wording.
      assert.ok(lines.some((l) => /^test\/fixtures\/cli\/project\/case\.gsn\.yaml:\d+:\d+: Error: \(.+\) C03: .*Sn9/.test(l)), r.stdout);
      assert.match(r.stderr, /\d+ errors, \d+ warnings/);
    });

    it('names a module without `module:` after its path inside the checked folder, and whole-graph findings after none', () => {
      const r = cli('check', `${fixtures}/gsn-modules`);
      const lines = r.stdout.trim().split('\n');
      const dir = `${fixtures}/gsn-modules/safety`;
      assert.ok(lines.some((l) => l.startsWith(`${dir}/case.gsn.yaml:7:22: Error: (safety_case_gsn_yaml) C03: `)), r.stdout);
      assert.ok(lines.includes(`${dir}/cycle.gsn.yaml:1:1: Error: C01: There are no unreferenced elements found.`), r.stdout);
    });

    it('exits 0 on a clean folder', () => {
      const r = cli('check', `${fixtures}/clean`);
      assert.equal(r.code, 0, r.stdout);
      assert.equal(r.stdout, '');
    });

    it('emits JSON findings with positions', () => {
      const r = cli('check', `${fixtures}/project`, '--format', 'json');
      const findings = JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string; severity: string }[];
      assert.ok(findings.some((f) => f.file === `${fixtures}/project/review.md` && f.line === 9 && f.column === 70 && f.code === 'unresolved-citation' && f.severity === 'error'));
    });

    it('emits a structurally valid SARIF 2.1.0 log', () => {
      const r = cli('check', `${fixtures}/project`, '--format=sarif');
      assert.equal(r.code, 1);
      const log = JSON.parse(r.stdout);
      assert.equal(log.version, '2.1.0');
      assert.match(log.$schema, /sarif-2\.1\.0/);
      assert.equal(log.runs.length, 1);
      const run = log.runs[0];
      assert.equal(run.tool.driver.name, 'interp-review');
      const ruleIds = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
      assert.ok(run.results.length >= 4);
      for (const result of run.results) {
        assert.ok(['error', 'warning', 'note'].includes(result.level));
        assert.equal(ruleIds[result.ruleIndex], result.ruleId);
        assert.equal(typeof result.message.text, 'string');
        const loc = result.locations[0].physicalLocation;
        assert.equal(loc.artifactLocation.uriBaseId, 'SRCROOT');
        assert.ok(!loc.artifactLocation.uri.startsWith('/'));
        assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
      }
      assert.match(run.originalUriBaseIds.SRCROOT.uri, /^file:\/\/.*\/project\/$/);
      const review = run.results.find((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri === 'review.md');
      assert.deepEqual(review.locations[0].physicalLocation.region, { startLine: 9, startColumn: 70, endLine: 9, endColumn: 79 });
    });

    it('prints progress on stderr only when asked (or on a terminal)', () => {
      assert.doesNotMatch(cli('check', `${fixtures}/clean`).stderr, /Indexing/);
      assert.match(cli('check', `${fixtures}/clean`, '--progress').stderr, /Indexing 2\/2 files/);
    });
  });

  describe('usage', () => {
    for (const [args, message] of [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['check', '--frob'], /unknown option '--frob'/],
      [['check', '--format', 'xml'], /unknown format 'xml'/],
      [['check', 'no/such/dir'], /no such folder/],
      [['citations'], /at least one file/],
      [['citations', 'missing.md'], /no such file: missing\.md/],
      [['bib', 'a.bib', 'b.bib'], /exactly one file/],
      [['check', '--format'], /needs a value/],
    ] as const) {
      it(`exits 2 for ${args.join(' ')}`, () => {
        const r = cli(...args);
        assert.equal(r.code, 2);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      });
    }

    it('prints help and version', () => {
      const help = cli('--help');
      assert.equal(help.code, 0);
      assert.match(help.stdout, /interp-review citations <file…>/);
      assert.match(cli('check', '--help').stdout, /Usage:/);
      const version = cli('--version');
      assert.equal(version.code, 0);
      assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    });
  });
});
