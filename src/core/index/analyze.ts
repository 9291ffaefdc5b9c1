// Turns one file's text into the parse-level facts the index keeps (citations, entries, note, settings,
// safety case, parse diagnostics). Pure: no file system, no other documents; the index does the cross-file
// semantics. The parsers come in through `DocumentParsers` so the index can be exercised on any of them.
import type { CorpusData } from '../corpus/types';
import type { GsnModule } from '../gsn/types';
import type {
  BibEntry,
  BibliographySettings,
  Citation,
  CitationScan,
  CoreDiagnostic,
  CrossRef,
  FrontmatterBlock,
  PaperInfo,
  PaperNote,
  ParseResult,
} from '../model';
import type { BibtexPiecesResult, LineBreak } from '../parsers/bibtex';
import { EMPTY_LIST, exactLength } from '../parsers/citationText';
import { parseFrontmatter } from '../parsers/frontmatter';
import { parseBibliographySettings, parseNote, type InlineReferenceReader } from '../parsers/note';
import type { CoreConfig } from '../workspace';
import type { DocumentKind } from './types';

/** What `checkSafetyCases` may ask the index: a cited key's paper, with the reading status of its note. */
export interface SafetyCaseContext {
  resolve(key: string): { status?: string } | undefined;
}

export interface DocumentParsers {
  scanPandocCitations(text: string): ParseResult<CitationScan>;
  /** `scanPandocCitations` in `sliceMs` time slices with `yieldNow` awaited between them; used for large files when present. */
  scanPandocCitationsSliced?(text: string, yieldNow: () => Promise<void>, sliceMs: number): Promise<ParseResult<CitationScan>>;
  scanLatexCitations(text: string): ParseResult<CitationScan>;
  /** `scanLatexCitations` in `sliceMs` time slices with `yieldNow` awaited between them; used for large files when present. */
  scanLatexCitationsSliced?(text: string, yieldNow: () => Promise<void>, sliceMs: number): Promise<ParseResult<CitationScan>>;
  parseBibtex(text: string, options: { keysOnly?: boolean }): ParseResult<BibEntry[]>;
  /** `parseBibtex` in `sliceMs` time slices with `yieldNow` awaited between them; used for large files when present. */
  parseBibtexSliced?(text: string, options: { keysOnly?: boolean }, yieldNow: () => Promise<void>, sliceMs: number): Promise<ParseResult<BibEntry[]>>;
  /**
   * `parseBibtex` over text that arrives in chunks, returning the text as pieces instead of one string (see
   * bibtex.ts `parseBibtexPieces`); used for large files read from disk when present.
   */
  parseBibtexPieces?(
    nextChunk: () => string | undefined,
    options: { keysOnly?: boolean; lineBreak: LineBreak },
    yieldNow: () => Promise<void>,
    sliceMs: number,
  ): Promise<BibtexPiecesResult>;
  paperInfo(entry: BibEntry): PaperInfo;
  parseCslJson(text: string): ParseResult<BibEntry[]>;
  parseCslYaml(text: string): ParseResult<BibEntry[]>;
  inlineReferences: InlineReferenceReader;
  parseGsnYaml(text: string, uri: string): ParseResult<GsnModule | undefined>;
  parseMarkdownSafetyCase(text: string, uri: string): ParseResult<GsnModule | undefined>;
  checkSafetyCases(modules: readonly GsnModule[], context: SafetyCaseContext): Map<string, CoreDiagnostic[]>;
  /** gsn2x's rendering of a finding: `Error: (module) ID: text`. */
  formatGsn2x(module: string | undefined, diagnostic: Pick<CoreDiagnostic, 'severity' | 'message'>): string;
  loadCorpus(): CorpusData;
}

/** An indexed document without its line map (which the index builds lazily from the text). */
export interface Analysis {
  kind: DocumentKind;
  citations: Citation[];
  crossRefs: CrossRef[];
  entries: BibEntry[];
  frontmatter?: FrontmatterBlock;
  note?: PaperNote;
  bibliography?: BibliographySettings;
  safetyCase?: GsnModule;
  diagnostics: CoreDiagnostic[];
  reduced?: 'keys-only' | 'no-links';
  /** Set on BibTeX analyses read back from the cache without field values (see the index's deferFieldsOf). */
  fieldsDeferred?: boolean;
  /**
   * The distinct keys of `citations` in first-occurrence order, when a sliced analysis gathered them in slices
   * (40,000 citations of a 5 MB review took 16-45 ms in one block in the host); else `contributionsOf` does.
   */
  citedKeys?: string[];
}

function byStart(a: { span: { start: number } }, b: { span: { start: number } }): number {
  return a.span.start - b.span.start;
}

export function analyzeDocument(
  uri: string,
  kind: DocumentKind,
  text: string,
  byteLength: number,
  config: CoreConfig,
  parsers: DocumentParsers,
  /** The citation scan of a Markdown (Pandoc) or LaTeX `text`, when the caller already ran it (in slices). */
  citationScan?: ParseResult<CitationScan>,
): Analysis {
  const analysis: Analysis = { kind, citations: EMPTY_LIST, crossRefs: EMPTY_LIST, entries: EMPTY_LIST, diagnostics: EMPTY_LIST };
  const diagnostics: CoreDiagnostic[] = [];
  switch (kind) {
    case 'markdown': {
      const fm = parseFrontmatter(text);
      diagnostics.push(...fm.diagnostics);
      if (fm.value) {
        analysis.frontmatter = { span: fm.value.span, contentSpan: fm.value.contentSpan };
        const note = parseNote(text, fm.value);
        if (note) analysis.note = note;
        const bibliography = parseBibliographySettings(text, fm.value, parsers.inlineReferences);
        diagnostics.push(...bibliography.diagnostics);
        if (bibliography.value) {
          analysis.bibliography = bibliography.value;
          analysis.entries = bibliography.value.references;
        }
      }
      // The Pandoc scanner skips the front matter itself (it is metadata, not prose).
      const scan = citationScan ?? parsers.scanPandocCitations(text);
      analysis.citations = scan.value.citations;
      analysis.crossRefs = scan.value.crossRefs;
      diagnostics.push(...scan.diagnostics);
      if (byteLength > config.largeDocumentBytes) {
        analysis.reduced = 'no-links';
      } else {
        const safetyCase = parsers.parseMarkdownSafetyCase(text, uri);
        if (safetyCase.value) analysis.safetyCase = safetyCase.value;
        diagnostics.push(...safetyCase.diagnostics);
      }
      break;
    }
    case 'latex': {
      const scan = citationScan ?? parsers.scanLatexCitations(text);
      analysis.citations = scan.value.citations;
      analysis.crossRefs = scan.value.crossRefs;
      diagnostics.push(...scan.diagnostics);
      if (byteLength > config.largeDocumentBytes) analysis.reduced = 'no-links';
      break;
    }
    case 'bibtex': {
      const keysOnly = byteLength > config.largeBibBytes;
      addBibtex(analysis, parsers.parseBibtex(text, { keysOnly }), diagnostics, keysOnly);
      break;
    }
    case 'csl-json':
    case 'csl-yaml': {
      const parsed = kind === 'csl-json' ? parsers.parseCslJson(text) : parsers.parseCslYaml(text);
      analysis.entries = parsed.value;
      diagnostics.push(...parsed.diagnostics);
      break;
    }
    case 'gsn': {
      const parsed = parsers.parseGsnYaml(text, uri);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.value) {
        analysis.safetyCase = parsed.value;
        analysis.citations = parsed.value.elements.flatMap((e) => e.citations).sort(byStart);
      }
      break;
    }
    case 'other':
      break;
  }
  if (diagnostics.length > 0) analysis.diagnostics = diagnostics;
  return analysis;
}

function addBibtex(analysis: Analysis, parsed: ParseResult<BibEntry[]>, diagnostics: CoreDiagnostic[], keysOnly: boolean): void {
  analysis.entries = parsed.value;
  diagnostics.push(...parsed.diagnostics);
  if (keysOnly) analysis.reduced = 'keys-only';
}

/**
 * `analyzeDocument` for a file too large to analyse in one go: a bibliography's parse and a Markdown or LaTeX
 * document's citation scan run in `sliceMs` slices with `yieldNow` awaited between them (when the parsers can);
 * other kinds and steps are analysed as usual.
 */
export async function analyzeDocumentSliced(
  uri: string,
  kind: DocumentKind,
  text: string,
  byteLength: number,
  config: CoreConfig,
  parsers: DocumentParsers,
  yieldNow: () => Promise<void>,
  sliceMs: number,
): Promise<Analysis> {
  const scanSliced = kind === 'markdown' ? parsers.scanPandocCitationsSliced : kind === 'latex' ? parsers.scanLatexCitationsSliced : undefined;
  if (scanSliced) {
    const analysis = analyzeDocument(uri, kind, text, byteLength, config, parsers, await scanSliced(text, yieldNow, sliceMs));
    analysis.citedKeys = await distinctKeysSliced(analysis.citations, yieldNow, sliceMs);
    return analysis;
  }
  if (kind !== 'bibtex' || !parsers.parseBibtexSliced) return analyzeDocument(uri, kind, text, byteLength, config, parsers);
  const analysis: Analysis = { kind, citations: EMPTY_LIST, crossRefs: EMPTY_LIST, entries: EMPTY_LIST, diagnostics: [] };
  const keysOnly = byteLength > config.largeBibBytes;
  addBibtex(analysis, await parsers.parseBibtexSliced(text, { keysOnly }, yieldNow, sliceMs), analysis.diagnostics, keysOnly);
  return analysis;
}

/**
 * A large bibliography's analysis from its text in chunks (`nextChunk`, undefined at the end), in `sliceMs` slices,
 * with the text as the pieces it was parsed in.
 */
export async function analyzeBibtexPieces(
  nextChunk: () => string | undefined,
  lineBreak: LineBreak,
  byteLength: number,
  config: CoreConfig,
  parseBibtexPieces: NonNullable<DocumentParsers['parseBibtexPieces']>,
  yieldNow: () => Promise<void>,
  sliceMs: number,
): Promise<{ analysis: Analysis; pieces: readonly string[] }> {
  const analysis: Analysis = { kind: 'bibtex', citations: EMPTY_LIST, crossRefs: EMPTY_LIST, entries: EMPTY_LIST, diagnostics: [] };
  const keysOnly = byteLength > config.largeBibBytes;
  const { parse, pieces } = await parseBibtexPieces(nextChunk, { keysOnly, lineBreak }, yieldNow, sliceMs);
  addBibtex(analysis, parse, analysis.diagnostics, keysOnly);
  return { analysis, pieces };
}

/**
 * What a document adds to the index's reverse maps. Small and kept eagerly (also in the cache), so a warm
 * start can fill every map without decoding the documents themselves.
 */
export interface Contributions {
  /** Entry keys and aliases defined here. */
  definedKeys: string[];
  /** Distinct citation keys, in first-occurrence order. */
  citedKeys: string[];
  noteKey?: string;
  facets?: { tags: string[]; methods: string[]; problems: string[] };
  /** `bibliography:` paths as written. */
  bibliographyFiles?: string[];
  safetyCase?: boolean;
}

/** Keys in first-occurrence order. A note cites a handful, where a linear search beats building a Set; its short list
 *  is kept at its exact length, as the index holds one per note. */
function distinctKeys(citations: readonly Citation[]): string[] {
  const keys: string[] = [];
  if (citations.length <= 32) {
    for (const citation of citations) if (!keys.includes(citation.key)) keys.push(citation.key);
    return exactLength(keys);
  }
  addDistinctKeys(citations, 0, citations.length, new Set(), keys);
  return keys;
}

/** Adds the keys of `citations[from, to)` not yet in `seen` to it and to `keys`. */
function addDistinctKeys(citations: readonly Citation[], from: number, to: number, seen: Set<string>, keys: string[]): void {
  for (let i = from; i < to; i++) {
    const key = citations[i].key;
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push(key);
  }
}

/** `distinctKeys` that awaits `yieldNow` whenever it has worked for `sliceMs`. */
async function distinctKeysSliced(citations: readonly Citation[], yieldNow: () => Promise<void>, sliceMs: number): Promise<string[]> {
  const keys: string[] = [];
  const seen = new Set<string>();
  let sliceEnd = performance.now() + sliceMs;
  for (let from = 0; from < citations.length; from += 1024) {
    addDistinctKeys(citations, from, Math.min(citations.length, from + 1024), seen, keys);
    if (performance.now() >= sliceEnd) {
      await yieldNow();
      sliceEnd = performance.now() + sliceMs;
    }
  }
  return keys;
}

export function contributionsOf(analysis: Analysis): Contributions {
  const definedKeys: string[] = analysis.entries.length > 0 ? [] : EMPTY_LIST;
  for (const entry of analysis.entries) {
    definedKeys.push(entry.key);
    for (const alias of entry.aliases ?? []) if (alias !== entry.key) definedKeys.push(alias);
  }
  const citedKeys = analysis.citedKeys ?? distinctKeys(analysis.citations);
  const note = analysis.note;
  // A note's contributions are made whole in one literal: each property added afterwards would give every note's
  // contributions a separate property store.
  const facets = note && { tags: note.tags, methods: note.methods, problems: note.problems };
  const c: Contributions = !facets ? { definedKeys, citedKeys }
    : note.citekey !== undefined ? { definedKeys, citedKeys, noteKey: note.citekey, facets }
    : { definedKeys, citedKeys, facets };
  if (analysis.bibliography && analysis.bibliography.files.length > 0) c.bibliographyFiles = analysis.bibliography.files.map((f) => f.path);
  if (analysis.safetyCase) c.safetyCase = true;
  return c;
}
