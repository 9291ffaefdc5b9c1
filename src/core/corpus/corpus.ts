// The built-in corpus: loading the versioned data and O(1) lookups over it. The data lives in corpus.json
// (bundled by esbuild); README.md next to this file documents the key scheme and how the data was made.
import type { BibEntry } from '../model';
import rawCorpus from './corpus.json';
import type { CorpusData, CorpusMethod, CorpusPaper, CorpusProblem } from './types';

export const CORPUS_VERSION: string = rawCorpus.version;

let shared: CorpusData | undefined;

/**
 * The corpus shipped with the extension. Every call returns the same deeply frozen object, so callers can
 * compare by identity and an accidental write fails loudly instead of corrupting every other feature's view.
 */
export function loadCorpus(): CorpusData {
  shared ??= deepFreeze(rawCorpus as CorpusData);
  return shared;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

interface Lookup {
  paperByKey: Map<string, CorpusPaper>;
  paperById: Map<string, CorpusPaper>;
  methodById: Map<string, CorpusMethod>;
  problemById: Map<string, CorpusProblem>;
  /** Lower-cased id, bare slug, name and aliases → method; how notes' `methods:` values are matched. */
  methodByName: Map<string, CorpusMethod>;
  problemByName: Map<string, CorpusProblem>;
  entries?: BibEntry[];
}

// Keyed by the corpus object so tests and callers may pass their own corpora; built once per object.
const lookups = new WeakMap<CorpusData, Lookup>();

function lookup(corpus: CorpusData): Lookup {
  let found = lookups.get(corpus);
  if (!found) {
    found = {
      paperByKey: new Map(corpus.papers.map((p) => [p.key, p])),
      paperById: new Map(corpus.papers.map((p) => [p.id, p])),
      methodById: new Map(corpus.methods.map((m) => [m.id, m])),
      problemById: new Map(corpus.problems.map((p) => [p.id, p])),
      methodByName: new Map(),
      problemByName: new Map(),
    };
    for (const method of corpus.methods) {
      for (const name of [method.id, bareSlug(method.id), method.name, ...method.aliases]) {
        addName(found.methodByName, name, method);
      }
    }
    for (const problem of corpus.problems) {
      for (const name of [problem.id, bareSlug(problem.id), problem.title]) addName(found.problemByName, name, problem);
    }
    lookups.set(corpus, found);
  }
  return found;
}

/** First writer wins, so an alias can never shadow another item's id or name listed earlier. */
function addName<T>(map: Map<string, T>, name: string, item: T): void {
  const normalized = normalizeName(name);
  if (normalized && !map.has(normalized)) map.set(normalized, item);
}

function bareSlug(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}

function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

export function corpusPaperByKey(corpus: CorpusData, key: string): CorpusPaper | undefined {
  return lookup(corpus).paperByKey.get(key);
}

export function corpusPaperById(corpus: CorpusData, id: string): CorpusPaper | undefined {
  return lookup(corpus).paperById.get(id);
}

export function methodById(corpus: CorpusData, id: string): CorpusMethod | undefined {
  return lookup(corpus).methodById.get(id);
}

export function problemById(corpus: CorpusData, id: string): CorpusProblem | undefined {
  return lookup(corpus).problemById.get(id);
}

/**
 * A method named the way people write it in note frontmatter: its id (`method:sae`), bare slug (`sae`),
 * name or an alias (`SAE`, `sparse autoencoders`), case-insensitive, spaces and dashes interchangeable.
 */
export function findMethod(corpus: CorpusData, name: string): CorpusMethod | undefined {
  return lookup(corpus).methodByName.get(normalizeName(name));
}

/** A problem by id, bare slug or title, matched like `findMethod`. */
export function findProblem(corpus: CorpusData, name: string): CorpusProblem | undefined {
  return lookup(corpus).problemByName.get(normalizeName(name));
}

const NO_SPAN = { start: 0, end: 0 } as const;

/**
 * The corpus papers as bibliography entries (`format: 'corpus'`, metadata in `info`, empty spans: they live in
 * no file). Built once per corpus; the array and its entries are shared, so do not mutate them.
 * Corpus papers carry no abstract of their own; `info.abstract` holds our summary so hovers have text to show.
 */
export function corpusEntries(corpus: CorpusData): BibEntry[] {
  const found = lookup(corpus);
  found.entries ??= corpus.papers.map((paper) => ({
    key: paper.key,
    // Most corpus papers are preprints or of unknown venue; `misc` is the BibTeX/BibLaTeX type that fits both.
    type: 'misc',
    format: 'corpus',
    span: { ...NO_SPAN },
    keySpan: { ...NO_SPAN },
    info: {
      title: paper.title,
      authors: [...paper.authors],
      year: String(paper.year),
      ...(paper.venue !== undefined && { venue: paper.venue }),
      ...(paper.arxiv !== undefined && { arxiv: paper.arxiv }),
      ...((paper.url ?? arxivUrl(paper.arxiv)) !== undefined && { url: paper.url ?? arxivUrl(paper.arxiv) }),
      ...(paper.summary !== undefined && { abstract: paper.summary }),
      keywords: [...paper.tags],
    },
  }));
  return found.entries;
}

function arxivUrl(arxiv: string | undefined): string | undefined {
  return arxiv === undefined ? undefined : `https://arxiv.org/abs/${arxiv}`;
}

// ---------------------------------------------------------------------------------------------
// The citation-key scheme (README.md): family name + year + first significant title word.

/** Particles that open a family name and are dropped from keys (`van der Plas` → `plas`). */
const NAME_PARTICLES = new Set(['van', 'von', 'de', 'der', 'den', 'da', 'di', 'du', 'la', 'le', 'ten', 'ter', 'del', 'dos']);

/** Function words skipped when choosing the title word: articles, prepositions, conjunctions. */
export const KEY_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'nor', 'so', 'yet', 'of', 'on', 'in', 'into', 'onto', 'at', 'by', 'for',
  'from', 'to', 'toward', 'towards', 'with', 'within', 'without', 'via', 'vs', 'versus', 'as', 'about', 'over',
  'under', 'beyond', 'through', 'between', 'among', 'upon', 'per',
]);

// Letters NFKD does not decompose into base letter + combining mark.
const LETTER_FOLDS: Record<string, string> = {
  ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th', ß: 'ss', æ: 'ae', Æ: 'AE',
  œ: 'oe', Œ: 'OE', ı: 'i',
};

/** Lower-case ASCII letters and digits only: diacritics folded (`Méloux` → `meloux`), everything else dropped. */
export function asciiKeyPart(text: string): string {
  return text
    .replace(/[łŁøØđĐðÐþÞßæÆœŒı]/g, (c) => LETTER_FOLDS[c])
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The key a paper gets before collision suffixes: `bereska2024mechanistic` for ("Bereska", 2024,
 * "Mechanistic Interpretability for AI Safety — A Review"). `familyName` is the first author's family name as
 * stored ("van der Plas"); title words are whitespace-separated, so `LLM-Safety` yields `llmsafety`.
 */
export function corpusKeyBase(familyName: string, year: number, title: string): string {
  const nameWords = familyName.split(/\s+/).filter(Boolean);
  while (nameWords.length > 1 && NAME_PARTICLES.has(nameWords[0].toLowerCase())) nameWords.shift();
  const titleWord =
    title
      .split(/\s+/)
      .map(asciiKeyPart)
      .find((word) => word !== '' && !KEY_STOP_WORDS.has(word)) ?? '';
  return `${asciiKeyPart(nameWords.join(''))}${year}${titleWord}`;
}
