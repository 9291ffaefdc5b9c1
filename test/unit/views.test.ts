import * as assert from 'node:assert/strict';
import { loadCorpus } from '../../src/core/corpus/corpus';
import { citationHits, contextLine, scanWorkspace, type ListSource } from '../../src/core/views/common';
import { buildDashboardView } from '../../src/core/views/dashboard';
import { buildMethodsView } from '../../src/core/views/methods';
import { buildPaperView } from '../../src/core/views/paper';
import { buildProblemsView } from '../../src/core/views/problems';
import type { ProblemView } from '../../src/protocol/viewModels';
import { fakeIndex, type FakeDoc } from './views-fakeIndex';

const corpus = loadCorpus();
const W = 'file:///ws';
const displayPath = (uri: string) => uri.slice(W.length + 1);
const all = (source: ListSource | undefined) => source!.slice(0, source!.total);

// A review citing a corpus paper twice and two workspace papers; notes tag problems and methods by the
// spellings people use (bare slugs, aliases); one key resolves nowhere.
const docs: FakeDoc[] = [
  {
    uri: `${W}/refs.bib`,
    text: '@article{smith2023probes,\n}\n@article{lee2021old,\n}\n',
    entries: { smith2023probes: { title: 'Probes that lie', year: '2023', authors: ['Smith, Ann'] }, lee2021old: { title: 'Old results', year: '2021', authors: ['Lee, Bo', 'Kim, Cy'] } },
  },
  {
    uri: `${W}/review.md`,
    text: '# Review\n\nSparse dictionaries scale poorly [@bereska2024mechanistic].\nProbes mislead [@smith2023probes; @ghost2020].\n\nAgain [@bereska2024mechanistic] and [@lee2021old].\n',
  },
  {
    uri: `${W}/notes/smith.md`,
    text: '---\ncitekey: smith2023probes\nproblems: [scalability]\nmethods: [SAE, probes]\n---\n# Probes that lie\n\nBuilds on @lee2021old.\n',
    note: { citekey: 'smith2023probes', problems: ['scalability'], methods: ['SAE', 'probes'], status: 'read', info: { title: 'Probes that lie', authors: [], keywords: [] } },
  },
  {
    uri: `${W}/notes/unused.md`,
    text: '---\ncitekey: unused2022\nproblems: [dual-use]\n---\nNothing cites this.\n',
    note: { citekey: 'unused2022', problems: ['dual-use'], info: { title: 'Unused', year: '2022', authors: [], keywords: [] } },
  },
];

function problem(id: string, groups: { problems: ProblemView[] }[]): ProblemView {
  const found = groups.flatMap((g) => g.problems).find((p) => p.id === id);
  assert.ok(found, `problem ${id} in view`);
  return found;
}

describe('view models', () => {
  describe('open problems', () => {
    const index = fakeIndex(docs);
    const { model, lists } = buildProblemsView(index, { previewSize: 1, displayPath });

    it('lists every corpus problem once, in the corpus groups', () => {
      const ids = model.groups.flatMap((g) => g.problems.map((p) => p.id));
      assert.deepEqual([...ids].sort(), corpus.problems.map((p) => p.id).sort());
      for (const group of model.groups) for (const p of group.problems) assert.equal(p.group, group.id);
      assert.equal(model.totals.problems, corpus.problems.length);
    });

    it('counts notes tagged by bare slug and claims citing linked papers', () => {
      const scalability = problem('problem:scalability', model.groups);
      assert.equal(scalability.notes.total, 1);
      assert.equal(scalability.notes.items[0].location?.uri, `${W}/notes/smith.md`);
      // Linked: corpus papers of the problem (bereska2024mechanistic, cited twice) and the tagged note's key (cited once).
      assert.equal(scalability.claims.total, 3);
      assert.equal(scalability.claims.items.length, 1, 'preview is cut to previewSize');
      const claims = all(lists.get(scalability.claims.id));
      assert.deepEqual(claims.map((i) => i.label), ['bereska2024mechanistic', 'smith2023probes', 'bereska2024mechanistic']);
      assert.equal(claims[0].detail, 'review.md:3');
      assert.deepEqual(claims[0].context, { before: 'Sparse dictionaries scale poorly ', match: '[@bereska2024mechanistic]', after: '.' });
      assert.equal(scalability.gap, false);
    });

    it('marks problems with nothing in the workspace as gaps, and only those', () => {
      const cited = new Set(['bereska2024mechanistic', 'smith2023probes', 'lee2021old']);
      for (const p of model.groups.flatMap((g) => g.problems)) {
        const source = corpus.problems.find((c) => c.id === p.id)!;
        const linkedKeys = new Set([
          ...source.papers.map((id) => corpus.papers.find((paper) => paper.id === id)?.key),
          ...corpus.papers.filter((paper) => paper.problems.includes(p.id)).map((paper) => paper.key),
        ]);
        const touched = p.id === 'problem:scalability' || p.id === 'problem:dual-use' || [...cited].some((k) => linkedKeys.has(k));
        assert.equal(p.gap, !touched, p.id);
      }
      assert.equal(model.totals.gaps, model.groups.flatMap((g) => g.problems).filter((p) => p.gap).length);
    });

    it('lists source papers and methods from the corpus', () => {
      const scalability = problem('problem:scalability', model.groups);
      const source = corpus.problems.find((c) => c.id === 'problem:scalability')!;
      assert.equal(scalability.sourcePapers.length, source.papers.length);
      assert.ok(scalability.methods.some((m) => m.id === 'method:sae'));
    });
  });

  describe('methods', () => {
    const index = fakeIndex(docs);
    const { model } = buildMethodsView(index);

    it('matches notes by alias and keeps the seeds’ strengths and limits', () => {
      const sae = model.methods.find((m) => m.id === 'method:sae')!;
      const source = corpus.methods.find((m) => m.id === 'method:sae')!;
      assert.equal(sae.notes.total, 1);
      assert.equal(sae.decomposes, 'activations');
      assert.deepEqual(sae.strengths, source.strengths);
      assert.deepEqual(sae.limits, source.limits);
      assert.equal(model.methods.find((m) => m.id === 'method:probing')!.notes.total, 1, '"probes" is an alias of probing');
    });

    it('builds a methods × problems matrix from corpus links and notes tagged with both', () => {
      assert.equal(model.matrix.rows.length, corpus.methods.length);
      assert.equal(model.matrix.problems.length, corpus.problems.length);
      const column = model.matrix.problems.findIndex((p) => p.id === 'problem:scalability');
      const sae = model.matrix.rows.find((r) => r.method.id === 'method:sae')!;
      assert.deepEqual(sae.cells[column], { linked: true, notes: 1 });
      const l3d = model.matrix.rows.find((r) => r.method.id === 'method:l3d')!;
      assert.deepEqual(l3d.cells[column], { linked: false, notes: 0 });
    });
  });

  describe('paper', () => {
    const index = fakeIndex(docs);
    const readText = async (uri: string) => index.texts.get(uri);

    it('merges metadata, renders the note body and lists citations with context', async () => {
      const { model, lists } = await buildPaperView(index, 'smith2023probes', { readText, displayPath });
      assert.equal(model.known, true);
      assert.equal(model.title, 'Probes that lie');
      assert.deepEqual(model.authors, ['Smith, Ann']);
      assert.equal(model.year, '2023');
      assert.equal(model.entries.length, 1);
      assert.equal(model.entries[0].location?.kind, 'entry');
      assert.equal(model.notes.length, 1);
      assert.deepEqual(model.notes[0].body[0], { tag: 'h1', attrs: {}, children: [{ text: 'Probes that lie' }] });
      assert.equal(model.citations.total, 1);
      assert.equal(model.citations.items[0].detail, 'review.md:4');
      assert.equal(all(lists.get(model.citations.id)).length, 1);
      assert.deepEqual(model.cites.items.map((i) => i.paperKey), ['lee2021old']);
      assert.ok(model.problems.some((p) => p.id === 'problem:scalability'));
      assert.ok(model.methods.some((m) => m.id === 'method:probing'));
    });

    it('finds citing papers in the corpus and in workspace notes', async () => {
      const { model } = await buildPaperView(index, 'lee2021old', { readText });
      assert.deepEqual(model.citedBy.items.map((i) => i.paperKey), ['smith2023probes']);
      const bereska = await buildPaperView(index, 'bereska2024mechanistic', { readText, previewSize: 5 });
      const citers = corpus.papers.filter((p) => p.cites.includes('paper:bereska2024mechanistic'));
      assert.equal(bereska.model.citedBy.total, citers.length);
      assert.equal(bereska.model.citedBy.items.length, Math.min(5, citers.length));
      assert.equal(bereska.model.summary, corpus.papers.find((p) => p.key === 'bereska2024mechanistic')!.summary);
    });

    it('shows an unresolved key with its citations instead of failing', async () => {
      const { model } = await buildPaperView(index, 'ghost2020', { readText });
      assert.equal(model.known, false);
      assert.equal(model.title, 'ghost2020');
      assert.equal(model.citations.total, 1);
    });
  });

  describe('dashboard', () => {
    const index = fakeIndex(docs);
    const { model, lists } = buildDashboardView(index);
    const stat = (id: string) => model.stats.find((s) => s.id === id)!;

    it('counts notes, papers, citations, unresolved keys, uncovered and unused papers', () => {
      assert.equal(stat('notes').value, 2);
      assert.equal(stat('papers').value, 3, 'two bib entries plus the note-only unused2022');
      assert.equal(stat('citations').value, 6);
      assert.equal(stat('cited').value, 3);
      assert.equal(stat('unresolved').value, 1);
      assert.equal(stat('citedWithoutNote').value, 2, 'bereska2024mechanistic and lee2021old');
      assert.equal(stat('notesNeverCited').value, 1);
    });

    it('backs every number with a list of exactly that many rows', () => {
      for (const s of model.stats) assert.equal(all(lists.get(s.list!)).length, s.value, s.id);
      for (const bar of model.years) assert.equal(all(lists.get(bar.list)).length, bar.count, bar.year);
      assert.deepEqual(all(lists.get(stat('unresolved').list!)).map((i) => i.label), ['ghost2020']);
    });

    it('agrees with the index on unresolved keys, bibliography scopes included', () => {
      const scoped = fakeIndex([
        ...docs,
        { uri: `${W}/other.bib`, text: '@article{other2020,\n}\n', entries: { other2020: { title: 'Other' } } },
        { uri: `${W}/scoped.md`, text: 'Uses [@lee2021old] and [@other2020] and [@smith2023probes].\n', bibliography: [`${W}/other.bib`] },
      ]);
      const fromIndex = new Set(scoped.unresolved().map((site) => site.citation.key));
      assert.deepEqual([...fromIndex].sort(), ['ghost2020', 'lee2021old'], 'lee2021old is outside the scope; smith2023probes has a note');
      const view = buildDashboardView(scoped);
      const listed = all(view.lists.get(view.model.stats.find((s) => s.id === 'unresolved')!.list!)).map((i) => i.paperKey);
      assert.deepEqual(listed.sort(), [...fromIndex].sort());
    });

    it('charts distinct cited papers per year in order', () => {
      assert.deepEqual(model.years.map((y) => [y.year, y.count]), [['2021', 1], ['2023', 1], ['2024', 1]]);
    });

    it('reports problem and method coverage', () => {
      assert.equal(model.problems.total, corpus.problems.length);
      assert.equal(model.problems.covered, model.problems.rows.filter((r) => r.notes + r.citations > 0).length);
      const dualUse = model.problems.rows.find((r) => r.id === 'problem:dual-use')!;
      assert.equal(dualUse.notes, 1);
      assert.equal(model.methods.total, corpus.methods.length);
    });
  });

  describe('paged lists', () => {
    it('serves any page of a lazily walked list, and nothing past its end', () => {
      const text = Array.from({ length: 250 }, (_, i) => `Line ${i} [@key${i % 7}]`).join('\n');
      const index = fakeIndex([{ uri: `${W}/big.md`, text }]);
      const { model, lists } = buildDashboardView(index, { displayPath });
      const source = lists.get(model.stats.find((s) => s.id === 'citations')!.list!)!;
      assert.equal(source.total, 250);
      const pages = [0, 100, 200].flatMap((start) => source.slice(start, start + 100));
      assert.deepEqual(pages.map((item) => item.detail), Array.from({ length: 250 }, (_, i) => `big.md:${i + 1}`));
      assert.deepEqual(source.slice(250, 350), []);
      assert.deepEqual(source.slice(120, 123).map((item) => item.label), ['key1', 'key2', 'key3']);
    });
  });

  describe('context lines', () => {
    it('cuts long lines around the citation and marks the cut', () => {
      const long = `${'a'.repeat(200)} [@bereska2024mechanistic] ${'b'.repeat(200)}`;
      const index = fakeIndex([{ uri: `${W}/long.md`, text: `title\n${long}\n` }]);
      const scan = scanWorkspace(index);
      const [hit] = citationHits(scan);
      const { line, context } = contextLine(hit.doc, hit.site.citation);
      assert.equal(line, 1);
      assert.equal(context.match, '[@bereska2024mechanistic]');
      assert.ok(context.before.startsWith('…') && context.before.length <= 92);
      assert.ok(context.after.endsWith('…') && context.after.length <= 92);
    });
  });
});
