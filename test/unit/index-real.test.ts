// The index with the product's parsers on a small realistic workspace (test/fixtures/index/ws), read into
// the in-memory file system.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { defaultParsers } from '../../src/core/index/defaultParsers';
import { WorkspaceIndex } from '../../src/core/index/workspaceIndex';
import { MemoryFs } from '../../src/core/memoryFs';
import { defaultConfig, silentLogger } from '../../src/core/workspace';

const ROOT = 'mem:///ws';
const u = (p: string) => `${ROOT}/${p}`;
const fixture = path.resolve(__dirname, '../../../test/fixtures/index/ws');

function load(fs: MemoryFs, dir: string, rel = ''): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const relPath = rel ? `${rel}/${name}` : name;
    if (statSync(full).isDirectory()) load(fs, full, relPath);
    else fs.write(u(relPath), readFileSync(full));
  }
}

describe('WorkspaceIndex with the real parsers', () => {
  let index: WorkspaceIndex;

  before(async () => {
    const fs = new MemoryFs([ROOT]);
    load(fs, fixture);
    index = new WorkspaceIndex({ fs, config: defaultConfig, logger: silentLogger, parsers: defaultParsers });
    await index.start();
  });

  after(() => index.dispose());

  it('classifies every file', () => {
    const kinds = Object.fromEntries([...index.documents()].map((d) => [d.uri.slice(ROOT.length + 1), d.kind]));
    assert.deepEqual(kinds, {
      'draft.tex': 'latex',
      'notes/elhage.md': 'markdown',
      'notes/retracted.md': 'markdown',
      'refs/extra.json': 'csl-json',
      'refs/main.bib': 'bibtex',
      'refs/more.yaml': 'csl-yaml',
      'review.md': 'markdown',
      'safety/case.gsn.yaml': 'gsn',
    });
  });

  it('merges the BibTeX entry, its note and decoded metadata; resolves the BibLaTeX alias', () => {
    const paper = index.resolve('elhage2021mathematical', u('review.md'));
    assert.ok(paper);
    assert.equal(paper.info.title, 'A Mathematical Framework for Transformer Circuits');
    assert.equal(paper.info.venue, 'Transformer Circuits Thread');
    assert.deepEqual(paper.notes.map((n) => n.uri), [u('notes/elhage.md')]);
    assert.equal(index.resolve('elhage2021')?.entries[0].entry.key, 'elhage2021mathematical');
    assert.deepEqual(index.notesBy('tags', 'circuits').map((n) => n.uri), [u('notes/elhage.md'), u('notes/retracted.md')]);
  });

  it('scopes review.md to its bibliography and inline references', () => {
    const review = index.diagnostics(u('review.md'));
    const byKey = (key: string) => review.filter((d) => d.message.includes(`'${key}'`)).map((d) => d.code);
    assert.deepEqual(byKey('conmy2023towards'), ['not-in-document-bibliography']);
    assert.deepEqual(byKey('marks2024sparse'), ['not-in-document-bibliography']);
    assert.deepEqual(byKey('elhage2021mathematicl'), ['unresolved-citation']);
    assert.match(review.find((d) => d.code === 'unresolved-citation')!.message, /Did you mean 'elhage2021mathematical'/);
    assert.deepEqual(byKey('inline2024'), []);
    assert.ok(index.resolve('inline2024', u('review.md')));
    // Cross-references are not citations.
    assert.deepEqual(index.citationsOf('fig-overview'), []);
    assert.equal(index.document(u('review.md'))!.crossRefs[0]?.label, 'fig-overview');
  });

  it('resolves CSL-JSON and CSL-YAML entries from LaTeX, which has no bibliography scope', () => {
    assert.deepEqual(index.diagnostics(u('draft.tex')), []);
    assert.deepEqual(index.citationsOf('marks2024sparse').map((s) => s.uri), [u('draft.tex'), u('review.md')]);
    assert.equal(index.resolve('marks2024sparse')?.info.title, 'Sparse Feature Circuits');
  });

  it('warns about a key defined in two bibliography files, naming the other', () => {
    const bib = index.diagnostics(u('refs/main.bib')).filter((d) => d.code === 'duplicate-key');
    assert.equal(bib.length, 1);
    assert.match(bib[0].message, /refs\/extra\.json/);
    assert.deepEqual(index.diagnostics(u('refs/extra.json')).map((d) => d.code), ['duplicate-key']);
  });

  it('flags the note whose key has no entry, and safety-case evidence from a retracted paper', () => {
    assert.deepEqual(index.diagnostics(u('notes/retracted.md')).map((d) => d.code), ['note-without-entry']);
    const safety = index.diagnostics(u('safety/case.gsn.yaml'));
    assert.ok(safety.length > 0);
    assert.ok(safety.some((d) => /retracted/i.test(d.message)), JSON.stringify(safety));
    assert.ok(safety.every((d) => d.code !== 'unresolved-citation'));
  });
});
