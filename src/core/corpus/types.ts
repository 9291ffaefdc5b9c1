// The built-in corpus: papers, methods and open problems of mechanistic interpretability, distilled from
// the project's seed documents. Summaries are our own words; titles, authors, years and findings are facts.

export type ProblemGroup = 'methods-foundations' | 'applications-goals' | 'socio-technical';

export interface CorpusPaper {
  /** Stable id, e.g. `paper:bereska2024mechanistic`. */
  id: string;
  /** Citation key that resolves in the workspace (scheme documented in corpus/README.md). */
  key: string;
  title: string;
  /** "Family, Given" as far as the seeds give names. */
  authors: string[];
  year: number;
  venue?: string;
  arxiv?: string;
  url?: string;
  /** Our own short summary (never the abstract's sentences); absent where the seeds give only a title. */
  summary?: string;
  /** Paper ids this paper cites, within the corpus. */
  cites: string[];
  methods: string[];
  problems: string[];
  tags: string[];
}

export interface CorpusMethod {
  id: string;
  name: string;
  /** Abbreviation or other names it goes by (`SAE`, `L3D`). */
  aliases: string[];
  decomposes: 'activations' | 'parameters' | 'neither';
  summary: string;
  strengths: string[];
  limits: string[];
  papers: string[];
  problems: string[];
}

export interface CorpusProblem {
  id: string;
  title: string;
  group: ProblemGroup;
  summary: string;
  papers: string[];
  methods: string[];
}

export interface CorpusData {
  version: string;
  papers: CorpusPaper[];
  methods: CorpusMethod[];
  problems: CorpusProblem[];
}
