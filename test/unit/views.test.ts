import * as assert from 'node:assert/strict';
import { loadCorpus } from '../../src/core/corpus/corpus';
import { citationHits, contextLine, scanWorkspace, type ListSource } from '../../src/core/views/common';
import { buildDashboardView } from '../../src/core/views/dashboard';
import { buildMethodsView } from '../../src/core/views/methods';
import { buildPaperView } from '../../src/core/views/paper';
import { buildProblemsView } from '../../src/core/views/problems';
import type { ProblemView } from '../../src/protocol/viewModels';
import { seededRandom } from '../seededRandom';
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

  describe('on a generated workspace', () => {
    // Scoped and unscoped reviews, notes with and without keys (some sharing one), note-only papers, entries
    // with and without years, unknown keys: every number must equal its list, and the naive computation.
    const random = seededRandom(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const bibKeys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    const noteOnlyKeys = Array.from({ length: 20 }, (_, i) => `k${60 + i}`);
    const otherKeys = Array.from({ length: 10 }, (_, i) => `o${i}`);
    const citable = [...bibKeys, ...noteOnlyKeys.slice(0, 10), ...otherKeys, 'ghost1', 'ghost2', 'bereska2024mechanistic'];
    const spellings = ['scalability', 'dual-use', 'SAE', 'probes', 'activation patching', 'not-a-problem'];
    const cites = (n: number) => Array.from({ length: n }, () => `[@${pick(citable)}]`).join(' and ');
    const entries = (keys: string[]) =>
      Object.fromEntries(keys.map((key, i) => [key, i % 7 === 3 ? { title: `Paper ${key}` } : { title: `Paper ${key}`, year: String(2015 + (i % 9)) }]));
    const generated: FakeDoc[] = [
      { uri: `${W}/a.bib`, text: bibKeys.map((k) => `@article{${k},\n}\n`).join(''), entries: entries(bibKeys) },
      { uri: `${W}/b.bib`, text: otherKeys.map((k) => `@article{${k},\n}\n`).join(''), entries: entries(otherKeys) },
      { uri: `${W}/review.md`, text: `# Review\n\n${cites(200)}\n` },
      { uri: `${W}/scoped.md`, text: `Scoped: ${cites(80)}\n`, bibliography: [`${W}/b.bib`] },
      ...Array.from({ length: 40 }, (_, i): FakeDoc => {
        const citekey = i % 5 === 0 ? undefined : pick([...bibKeys.slice(0, 20), ...noteOnlyKeys]);
        const problems = [pick(spellings), pick(spellings)];
        const methods = [pick(spellings)];
        return {
          uri: `${W}/notes/n${String(i).padStart(2, '0')}.md`,
          text: `---\n${citekey ? `citekey: ${citekey}\n` : ''}---\nBody ${cites(i % 4)}\n`,
          note: { citekey, problems, methods, info: { title: `Note ${i}`, authors: [], keywords: [] } },
        };
      }),
    ];
    const index = fakeIndex(generated);
    const { model, lists } = buildDashboardView(index, { displayPath });
    const stat = (id: string) => model.stats.find((s) => s.id === id)!;
    const keysOf = (id: string) => all(lists.get(id)).map((item) => item.paperKey);

    const citedKeys = new Set([...index.documents()].flatMap((d) => d.citations.map((c) => c.key)));
    const unresolved = new Set(index.unresolved().map((site) => site.citation.key));
    const cited = [...citedKeys].filter((key) => !unresolved.has(key)).sort();
    const noteKeys = new Set(generated.flatMap((d) => (d.note?.citekey ? [d.note.citekey] : [])));
    const notes = generated.filter((d) => d.note);

    it('has each kind of key the dashboard counts', () => {
      assert.ok(unresolved.has('ghost1') && bibKeys.some((key) => unresolved.has(key)), 'unknown keys, and bib keys cited from the scoped review');
      assert.ok(cited.some((key) => !noteKeys.has(key)) && cited.some((key) => noteKeys.has(key)));
      assert.ok(notes.some((d) => d.note!.citekey && !citedKeys.has(d.note!.citekey)));
    });

    it('counts what the index says, and lists exactly that many rows', () => {
      assert.equal(stat('notes').value, notes.length);
      assert.equal(stat('papers').value, new Set([...bibKeys, ...otherKeys, ...noteKeys]).size);
      assert.equal(stat('citations').value, [...index.documents()].reduce((n, d) => n + d.citations.length, 0));
      assert.deepEqual(keysOf(stat('cited').list!), cited);
      assert.deepEqual(keysOf(stat('unresolved').list!), [...unresolved].sort());
      assert.deepEqual(keysOf(stat('citedWithoutNote').list!), cited.filter((key) => !noteKeys.has(key)));
      assert.deepEqual(
        all(lists.get(stat('notesNeverCited').list!)).map((item) => item.location?.uri),
        notes.filter((d) => !d.note!.citekey || !citedKeys.has(d.note!.citekey)).map((d) => d.uri),
      );
      for (const s of model.stats) assert.equal(all(lists.get(s.list!)).length, s.value, s.id);
      assert.equal(new Set(keysOf(stat('papers').list!)).size, stat('papers').value, 'each paper once');
    });

    it('charts every cited paper under one year, undated ones last', () => {
      assert.deepEqual(model.years.flatMap((bar) => keysOf(bar.list)).sort(), cited);
      for (const bar of model.years) assert.equal(lists.get(bar.list)!.total, bar.count, bar.year);
      assert.equal(model.years.at(-1)!.year, 'n.d.');
    });

    it('backs each coverage number with its notes and citations', () => {
      for (const row of [...model.problems.rows, ...model.methods.rows]) {
        const rows = all(lists.get(row.list));
        assert.equal(rows.length, row.notes + row.citations, row.id);
        assert.equal(rows.filter((item) => item.location?.kind === 'note').length, row.notes, row.id);
      }
      assert.ok(model.problems.rows.some((row) => row.notes > 0 && row.citations > 0));
    });

    it('pages through every citation in uri then document order, from any start', () => {
      const source = lists.get(stat('citations').list!)!;
      const walked = [...citationHits(scanWorkspace(index))].map((hit) => `${hit.site.uri}#${hit.site.citation.keySpan.start}`);
      const at = (item: { location?: { uri: string; offset: number } }) => `${item.location!.uri}#${item.location!.offset}`;
      assert.deepEqual(all(source).map(at), walked);
      for (const [start, end] of [[0, 7], [195, 215], [279, 500], [-5, 3], [source.total, source.total + 10]]) {
        assert.deepEqual(source.slice(start, end).map(at), walked.slice(Math.max(0, start), Math.max(0, end)), `${start}-${end}`);
      }
    });

    it('counts the methods × problems matrix as notes tagged with both', () => {
      const methods = buildMethodsView(index);
      const problems = buildProblemsView(index);
      const noteUris = (id: string | undefined) => new Set(id ? all((methods.lists.get(id) ?? problems.lists.get(id))!).map((item) => item.location!.uri) : []);
      const problemNotes = new Map(problems.model.groups.flatMap((g) => g.problems).map((p) => [p.id, noteUris(p.notes.id)]));
      let nonZero = 0;
      for (const [r, row] of methods.model.matrix.rows.entries()) {
        const methodNotes = noteUris(methods.model.methods[r].notes.id);
        for (const [c, problem] of methods.model.matrix.problems.entries()) {
          const both = [...methodNotes].filter((uri) => problemNotes.get(problem.id)!.has(uri)).length;
          assert.equal(row.cells[c].notes, both, `${row.method.id} × ${problem.id}`);
          if (both > 0) nonZero++;
        }
      }
      assert.ok(nonZero > 0);
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
