import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CORPUS_VERSION,
  corpusEntries,
  corpusKeyBase,
  corpusPaperById,
  corpusPaperByKey,
  findMethod,
  findProblem,
  loadCorpus,
  methodById,
  problemById,
} from '../../src/core/corpus/corpus';
import type { CorpusData, CorpusPaper, ProblemGroup } from '../../src/core/corpus/types';
import { COPY_RUN, ownProse, shingleHash, shingles, words } from '../../scripts/corpus/shingles';

const corpus = loadCorpus();
const REVIEW_ID = 'paper:bereska2024mechanistic';
/** The papers whose abstracts the seeds contain (besides the review). */
const ABSTRACT_PAPER_IDS = [
  'paper:chrisman2025identifying',
  'paper:sharkey2025open',
  'paper:braun2025interpretability',
  'paper:balesni2024evaluationsbased',
  'paper:bushnaq2024using',
  'paper:bushnaq2024local',
];
const GROUPS: ProblemGroup[] = ['methods-foundations', 'applications-goals', 'socio-technical'];

function assertStringArray(value: unknown, where: string): asserts value is string[] {
  assert.ok(Array.isArray(value), `${where} is an array`);
  for (const item of value) assert.equal(typeof item, 'string', `${where} holds strings`);
  assert.equal(new Set(value).size, value.length, `${where} has no duplicates`);
}

function assertOptionalString(value: unknown, where: string): void {
  if (value !== undefined) assert.ok(typeof value === 'string' && value.trim() !== '', `${where} is a non-empty string`);
}

function assertProse(value: unknown, where: string): void {
  assert.ok(typeof value === 'string' && value === value.trim() && value.length >= 20, `${where} is trimmed prose`);
}

function sentenceCount(text: string): number {
  return text.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
}

describe('corpus data', () => {
  describe('schema', () => {
    it('has a version and the expected top-level shape', () => {
      assert.match(corpus.version, /^\d+\.\d+\.\d+$/);
      assert.equal(CORPUS_VERSION, corpus.version);
      assert.deepEqual(Object.keys(corpus).sort(), ['methods', 'papers', 'problems', 'version']);
    });

    it('types every paper field correctly', () => {
      const allowed = new Set(['id', 'key', 'title', 'authors', 'year', 'venue', 'arxiv', 'url', 'summary', 'cites', 'methods', 'problems', 'tags']);
      for (const p of corpus.papers) {
        for (const field of Object.keys(p)) assert.ok(allowed.has(field), `${p.id}: unexpected field ${field}`);
        assert.match(p.key, /^[a-z]+\d{4}[a-z0-9]*$/, `${p.id}: key shape`);
        assert.equal(p.id, `paper:${p.key}`);
        assert.ok(typeof p.title === 'string' && p.title === p.title.trim() && p.title.length > 3, `${p.id}: title`);
        assertStringArray(p.authors, `${p.id}.authors`);
        assert.ok(p.authors.length > 0, `${p.id}: has authors`);
        for (const author of p.authors) assert.match(author, /^[^,]+, [^,]+$/, `${p.id}: "${author}" is "Family, Given"`);
        assert.ok(Number.isInteger(p.year) && p.year >= 2015 && p.year <= 2026, `${p.id}: year`);
        assertOptionalString(p.venue, `${p.id}.venue`);
        if (p.arxiv !== undefined) assert.match(p.arxiv, /^\d{4}\.\d{4,5}$/, `${p.id}: arXiv id`);
        if (p.url !== undefined) assert.match(p.url, /^https:\/\//, `${p.id}: url`);
        if (p.summary !== undefined) {
          assertProse(p.summary, `${p.id}.summary`);
          const n = sentenceCount(p.summary);
          assert.ok(n >= 2 && n <= 4, `${p.id}: summary has ${n} sentences, want 2–4`);
        }
        for (const list of ['cites', 'methods', 'problems', 'tags'] as const) assertStringArray(p[list], `${p.id}.${list}`);
        for (const tag of p.tags) assert.match(tag, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${p.id}: tag ${tag}`);
      }
    });

    it('types every method and problem field correctly', () => {
      for (const m of corpus.methods) {
        assert.match(m.id, /^method:[a-z0-9-]+$/);
        assert.ok(m.name.trim().length > 2, `${m.id}: name`);
        assertStringArray(m.aliases, `${m.id}.aliases`);
        assert.ok(['activations', 'parameters', 'neither'].includes(m.decomposes), `${m.id}: decomposes`);
        assertProse(m.summary, `${m.id}.summary`);
        assertStringArray(m.strengths, `${m.id}.strengths`);
        assertStringArray(m.limits, `${m.id}.limits`);
        for (const s of [...m.strengths, ...m.limits]) assertProse(s, `${m.id} strength/limit`);
        assertStringArray(m.papers, `${m.id}.papers`);
        assertStringArray(m.problems, `${m.id}.problems`);
      }
      for (const p of corpus.problems) {
        assert.match(p.id, /^problem:[a-z0-9-]+$/);
        assert.ok(p.title.trim().length > 5, `${p.id}: title`);
        assert.ok(GROUPS.includes(p.group), `${p.id}: group ${p.group}`);
        assertProse(p.summary, `${p.id}.summary`);
        assertStringArray(p.papers, `${p.id}.papers`);
        assertStringArray(p.methods, `${p.id}.methods`);
      }
    });

    it('uses unique ids and unique keys', () => {
      const ids = [...corpus.papers, ...corpus.methods, ...corpus.problems].map((x) => x.id);
      assert.equal(new Set(ids).size, ids.length);
      const keys = corpus.papers.map((p) => p.key.toLowerCase());
      assert.equal(new Set(keys).size, keys.length, 'keys are unique even case-insensitively');
    });
  });

  describe('citation keys', () => {
    it('derives every key from first author, year and title, suffixing collisions in file order', () => {
      const seen = new Map<string, number>();
      for (const p of corpus.papers) {
        const family = p.authors[0].slice(0, p.authors[0].indexOf(','));
        const base = corpusKeyBase(family, p.year, p.title);
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        assert.equal(p.key, count === 0 ? base : base + 'abcdefghijklmnopqrstuvwxyz'[count - 1], p.title);
      }
    });

    it('folds diacritics, drops particles and punctuation, and skips stop words', () => {
      assert.equal(corpusKeyBase('Bereska', 2024, 'Mechanistic Interpretability for AI Safety — A Review'), 'bereska2024mechanistic');
      assert.equal(corpusKeyBase('Méloux', 2025, 'Everything, Everywhere, All at Once'), 'meloux2025everything');
      assert.equal(corpusKeyBase("O'Brien", 2024, 'Steering Language Model Refusal'), 'obrien2024steering');
      assert.equal(corpusKeyBase('van der Plas', 2024, 'On the Role of Words'), 'plas2024role');
      assert.equal(corpusKeyBase('Van den Broeck', 2020, 'A Survey'), 'broeck2020survey');
      assert.equal(corpusKeyBase('Hernández-Orallo', 2025, 'Towards the Evaluation'), 'hernandezorallo2025evaluation');
      assert.equal(corpusKeyBase('Biecek', 2025, 'Łódź and Ørsted'), 'biecek2025lodz');
      assert.equal(corpusKeyBase('Beyer', 2025, 'LLM-Safety Evaluations Lack Robustness'), 'beyer2025llmsafety');
      assert.equal(corpusKeyBase('Saphra', 2024, 'Mechanistic?'), 'saphra2024mechanistic');
      assert.equal(corpusKeyBase('Smith', 2023, 'Of the'), 'smith2023', 'a title of stop words adds no word');
    });

    it('gives the seed papers the keys reviews already cite them by', () => {
      for (const key of ['bereska2024mechanistic', 'sharkey2025open', 'braun2025interpretability', 'bushnaq2024local', 'bushnaq2024using', 'chrisman2025identifying', 'meloux2025everything', 'paulo2024automatically']) {
        assert.ok(corpusPaperByKey(corpus, key), key);
      }
    });
  });

  describe('links', () => {
    const paperIds = new Set(corpus.papers.map((p) => p.id));
    const methodIds = new Set(corpus.methods.map((m) => m.id));
    const problemIds = new Set(corpus.problems.map((p) => p.id));

    it('resolves every referenced id', () => {
      for (const p of corpus.papers) {
        for (const id of p.cites) assert.ok(paperIds.has(id) && id !== p.id, `${p.id} cites ${id}`);
        for (const id of p.methods) assert.ok(methodIds.has(id), `${p.id} → ${id}`);
        for (const id of p.problems) assert.ok(problemIds.has(id), `${p.id} → ${id}`);
      }
      for (const m of corpus.methods) {
        for (const id of m.papers) assert.ok(paperIds.has(id), `${m.id} → ${id}`);
        for (const id of m.problems) assert.ok(problemIds.has(id), `${m.id} → ${id}`);
      }
      for (const p of corpus.problems) {
        for (const id of p.papers) assert.ok(paperIds.has(id), `${p.id} → ${id}`);
        for (const id of p.methods) assert.ok(methodIds.has(id), `${p.id} → ${id}`);
      }
    });

    it('links papers, methods and problems both ways', () => {
      for (const p of corpus.papers) {
        for (const id of p.methods) assert.ok(methodById(corpus, id)!.papers.includes(p.id), `${id}.papers lacks ${p.id}`);
        for (const id of p.problems) assert.ok(problemById(corpus, id)!.papers.includes(p.id), `${id}.papers lacks ${p.id}`);
      }
      for (const m of corpus.methods) {
        for (const id of m.papers) assert.ok(corpusPaperById(corpus, id)!.methods.includes(m.id), `${id}.methods lacks ${m.id}`);
        for (const id of m.problems) assert.ok(problemById(corpus, id)!.methods.includes(m.id), `${id}.methods lacks ${m.id}`);
      }
      for (const p of corpus.problems) {
        for (const id of p.papers) assert.ok(corpusPaperById(corpus, id)!.problems.includes(p.id), `${id}.problems lacks ${p.id}`);
        for (const id of p.methods) assert.ok(methodById(corpus, id)!.problems.includes(p.id), `${id}.problems lacks ${p.id}`);
      }
    });

    it('gives every method and problem at least one paper', () => {
      for (const item of [...corpus.methods, ...corpus.problems]) assert.ok(item.papers.length > 0, item.id);
    });
  });

  describe('content', () => {
    it('has at least 78 papers, 10 methods and 10 problems, with every problem group populated', () => {
      assert.ok(corpus.papers.length >= 78, `${corpus.papers.length} papers`);
      assert.ok(corpus.methods.length >= 10, `${corpus.methods.length} methods`);
      assert.ok(corpus.problems.length >= 10, `${corpus.problems.length} problems`);
      for (const group of GROUPS) assert.ok(corpus.problems.some((p) => p.group === group), group);
    });

    it('covers both activation and parameter decompositions', () => {
      const kinds = new Set(corpus.methods.map((m) => m.decomposes));
      assert.ok(kinds.has('activations') && kinds.has('parameters'));
      assert.equal(findMethod(corpus, 'APD')?.decomposes, 'parameters');
      assert.equal(findMethod(corpus, 'L3D')?.decomposes, 'parameters');
      assert.equal(findMethod(corpus, 'SAE')?.decomposes, 'activations');
    });

    it('has every citing paper cite the review, and nothing else claim to', () => {
      const review = corpusPaperById(corpus, REVIEW_ID)!;
      assert.equal(review.authors[0], 'Bereska, Leonard');
      const citing = corpus.papers.filter((p) => p.id !== REVIEW_ID && !ABSTRACT_PAPER_IDS.includes(p.id));
      assert.ok(citing.length >= 77, `${citing.length} citing papers`);
      for (const p of citing) assert.deepEqual(p.cites, [REVIEW_ID], p.id);
      for (const id of [REVIEW_ID, ...ABSTRACT_PAPER_IDS]) assert.deepEqual(corpusPaperById(corpus, id)!.cites, [], id);
    });

    it('summarises exactly the papers whose abstracts the seeds contain', () => {
      const summarised = corpus.papers.filter((p) => p.summary !== undefined).map((p) => p.id);
      assert.deepEqual(summarised.sort(), [REVIEW_ID, ...ABSTRACT_PAPER_IDS].sort());
    });

    it('lists each citing paper once (near-duplicate rows merged)', () => {
      const titleWords = (p: CorpusPaper) => new Set(words(p.title));
      for (let i = 0; i < corpus.papers.length; i++) {
        for (let j = i + 1; j < corpus.papers.length; j++) {
          const [a, b] = [corpus.papers[i], corpus.papers[j]];
          if (a.authors[0] !== b.authors[0] || a.year !== b.year) continue;
          const [wa, wb] = [titleWords(a), titleWords(b)];
          const shared = [...wa].filter((w) => wb.has(w)).length;
          assert.ok(shared / (wa.size + wb.size - shared) < 0.8, `${a.id} and ${b.id} look like one paper`);
        }
      }
    });

    it('carries no scrape artefacts in author names', () => {
      const authors = corpus.papers.flatMap((p) => p.authors);
      // Scraped LaTeX accents showed up as an apostrophe before a lower-case letter (`M'eloux`) or as braces.
      for (const a of authors) assert.doesNotMatch(a, /'[a-z]|[\\{}]|\s{2}/, a);
      for (const repaired of ['Méloux, Maxime', 'Portet, François', 'Paulo, Gonçalo', 'Luo, Róisín', 'Tešić, Marko', 'Hernández-Orallo, José']) {
        assert.ok(authors.includes(repaired), repaired);
      }
    });

    it('records the seed facts about the abstract papers', () => {
      const review = corpusPaperById(corpus, REVIEW_ID)!;
      assert.deepEqual([review.arxiv, review.year, review.authors.length], ['2404.14082', 2024, 2]);
      assert.equal(corpusPaperById(corpus, 'paper:braun2025interpretability')!.arxiv, '2501.14926');
      assert.equal(corpusPaperById(corpus, 'paper:sharkey2025open')!.arxiv, '2501.16496');
      assert.equal(corpusPaperById(corpus, 'paper:bushnaq2024local')!.arxiv, '2405.10928');
      assert.equal(corpusPaperById(corpus, 'paper:bushnaq2024using')!.arxiv, '2405.10927');
      assert.equal(corpusPaperById(corpus, 'paper:chrisman2025identifying')!.arxiv, '2504.00194');
      assert.equal(corpusPaperById(corpus, 'paper:balesni2024evaluationsbased')!.arxiv, '2411.03336');
    });
  });

  describe('no copying from the seeds', () => {
    const fixture = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../test/fixtures/corpus/seed-shingles.json'), 'utf8'),
    ) as { n: number; hashes: string[] };
    const seedHashes = new Set(fixture.hashes);
    const copiedRuns = (text: string) => shingles(text, COPY_RUN).filter((s) => seedHashes.has(shingleHash(s)));

    it('has a fixture made with the same run length from the full seed text', () => {
      assert.equal(fixture.n, COPY_RUN);
      assert.ok(seedHashes.size > 3000, `${seedHashes.size} seed shingles`);
    });

    it('detects a copied seed sentence even with changed case and punctuation', () => {
      const copied = 'understanding ai systems INNER workings is critical, for ensuring value alignment & safety';
      assert.ok(copiedRuns(copied).length > 0);
      assert.deepEqual(copiedRuns('Knowing how AI systems work inside matters for keeping them aligned and safe.'), []);
    });

    it('shares no run of 8 words with any seed in any summary, strength or limit', () => {
      const offenders = ownProse(corpus).flatMap(([label, text]) => copiedRuns(text).map((run) => `${label}: "${run}"`));
      assert.deepEqual(offenders, []);
    });
  });
});

describe('corpus lookups', () => {
  it('returns one shared, frozen corpus', () => {
    assert.equal(loadCorpus(), corpus);
    assert.ok(Object.isFrozen(corpus) && Object.isFrozen(corpus.papers[0]) && Object.isFrozen(corpus.papers[0].authors));
    assert.throws(() => {
      (corpus.papers as CorpusPaper[]).push(corpus.papers[0]);
    }, TypeError);
  });

  it('finds papers by key and id, methods and problems by id', () => {
    const review = corpusPaperByKey(corpus, 'bereska2024mechanistic');
    assert.equal(review?.id, REVIEW_ID);
    assert.equal(corpusPaperById(corpus, REVIEW_ID), review);
    assert.equal(methodById(corpus, 'method:apd')?.name, 'Attribution-based Parameter Decomposition');
    assert.equal(problemById(corpus, 'problem:scalability')?.group, 'methods-foundations');
    assert.equal(corpusPaperByKey(corpus, 'Bereska2024mechanistic'), undefined, 'keys are case-sensitive, as in Pandoc');
    assert.equal(corpusPaperByKey(corpus, 'nosuch2024key'), undefined);
    assert.equal(corpusPaperById(corpus, 'bereska2024mechanistic'), undefined, 'ids carry the paper: prefix');
    assert.equal(methodById(corpus, 'apd'), undefined);
    assert.equal(problemById(corpus, 'problem:nosuch'), undefined);
  });

  it('matches methods and problems the way notes name them', () => {
    const sae = methodById(corpus, 'method:sae');
    for (const name of ['method:sae', 'sae', 'SAE', 'Sparse Autoencoders', 'sparse_autoencoders', ' dictionary learning ']) {
      assert.equal(findMethod(corpus, name), sae, name);
    }
    assert.equal(findMethod(corpus, 'local loss landscape decomposition'), methodById(corpus, 'method:l3d'));
    assert.equal(findMethod(corpus, 'nothing like it'), undefined);
    assert.equal(findMethod(corpus, ''), undefined);
    assert.equal(findProblem(corpus, 'scalability'), problemById(corpus, 'problem:scalability'));
    assert.equal(findProblem(corpus, 'Expanding beyond language models'), problemById(corpus, 'problem:other-domains'));
    assert.equal(findProblem(corpus, 'problem:dual-use'), problemById(corpus, 'problem:dual-use'));
  });

  it('keeps lookups separate per corpus object', () => {
    const tiny: CorpusData = {
      version: '0.0.1',
      papers: [
        { id: 'paper:doe2020test', key: 'doe2020test', title: 'Test', authors: ['Doe, Jane'], year: 2020, cites: [], methods: [], problems: [], tags: ['x'] },
      ],
      methods: [],
      problems: [],
    };
    assert.equal(corpusPaperByKey(tiny, 'doe2020test')?.title, 'Test');
    assert.equal(corpusPaperByKey(tiny, 'bereska2024mechanistic'), undefined);
    assert.equal(corpusPaperByKey(corpus, 'doe2020test'), undefined);
    const [entry] = corpusEntries(tiny);
    assert.deepEqual(entry.info, { title: 'Test', authors: ['Doe, Jane'], year: '2020', keywords: ['x'] });
  });

  it('exposes every paper as a corpus bibliography entry', () => {
    const entries = corpusEntries(corpus);
    assert.equal(entries.length, corpus.papers.length);
    assert.equal(corpusEntries(corpus), entries, 'built once');
    for (const [i, entry] of entries.entries()) {
      const paper = corpus.papers[i];
      assert.equal(entry.key, paper.key);
      assert.equal(entry.format, 'corpus');
      assert.deepEqual([entry.span, entry.keySpan], [{ start: 0, end: 0 }, { start: 0, end: 0 }]);
      assert.equal(entry.info?.title, paper.title);
      assert.deepEqual(entry.info?.authors, paper.authors);
      assert.equal(entry.info?.year, String(paper.year));
      assert.deepEqual(entry.info?.keywords, paper.tags);
      assert.equal(entry.info?.abstract, paper.summary);
    }
    const review = entries.find((e) => e.key === 'bereska2024mechanistic')!;
    assert.equal(review.info?.arxiv, '2404.14082');
    assert.equal(review.info?.url, 'https://arxiv.org/abs/2404.14082');
    assert.equal(review.info?.venue, 'arXiv');
  });
});
