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
import { PackedCitations, PackedCitationScan, type CitationsRow } from '../parsers/packedCitations';
import { forEachChunkSliced } from '../timeSlice';
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

/**
 * An `Analysis` whose citations can stay packed (see packedCitations.ts) until something first reads them: a cold
 * build of 10,000 notes then keeps a key list and a slice of a shared number array per note instead of 36 heap
 * objects. Every property is declared, so all analyses share one shape with their fields inside the object.
 */
export class DocumentAnalysis implements Analysis {
  crossRefs: CrossRef[] = EMPTY_LIST;
  entries: BibEntry[] = EMPTY_LIST;
  frontmatter?: FrontmatterBlock = undefined;
  note?: PaperNote = undefined;
  bibliography?: BibliographySettings = undefined;
  safetyCase?: GsnModule = undefined;
  reduced?: Analysis['reduced'] = undefined;
  fieldsDeferred?: boolean = undefined;
  citedKeys?: string[] = undefined;
  private list: Citation[] | undefined = EMPTY_LIST;
  private packed: PackedCitations | undefined = undefined;

  constructor(
    readonly kind: DocumentKind,
    public diagnostics: CoreDiagnostic[] = EMPTY_LIST,
  ) {}

  get citations(): Citation[] {
    if (this.list === undefined) {
      this.list = this.packed!.unpack();
      this.packed = undefined;
    }
    return this.list;
  }
  set citations(citations: Citation[]) {
    this.list = citations;
    this.packed = undefined;
  }

  /** Keeps the citations packed until first read; `citedKeys` are their distinct keys. */
  keepPacked(packed: PackedCitations, citedKeys: string[]): void {
    this.citedKeys = citedKeys;
    this.packed = packed;
    this.list = undefined;
  }

  get citationCount(): number {
    return this.packed ? this.packed.length : this.list!.length;
  }

  /** The citations in the cache's row form, without unpacking them. */
  get citationsRow(): CitationsRow {
    return this.packed ? this.packed.toRow() : PackedCitations.rowOf(this.list!);
  }
}

/** `analysis.citations.length`, without unpacking them. */
export function citationCount(analysis: Analysis): number {
  return analysis instanceof DocumentAnalysis ? analysis.citationCount : analysis.citations.length;
}

/** `analysis.citations` in the cache's row form, without unpacking them. */
export function citationsRowOf(analysis: Analysis): CitationsRow {
  return analysis instanceof DocumentAnalysis ? analysis.citationsRow : PackedCitations.rowOf(analysis.citations);
}

/** The cited keys of a scan, in order, without unpacking its citations. */
function keysOf(scan: CitationScan): readonly string[] {
  return scan instanceof PackedCitationScan ? scan.packed.keys : scan.citations.map((c) => c.key);
}

function setScannedCitations(analysis: DocumentAnalysis, scan: CitationScan, citedKeys?: string[]): void {
  if (scan instanceof PackedCitationScan) analysis.keepPacked(scan.packed, citedKeys ?? distinctKeys(scan.packed.keys));
  else {
    analysis.citations = scan.citations;
    if (citedKeys) analysis.citedKeys = citedKeys;
  }
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
  /** The scan's distinct cited keys, when the caller already gathered them (in slices). */
  citedKeys?: string[],
): Analysis {
  const analysis = new DocumentAnalysis(kind);
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
      setScannedCitations(analysis, scan.value, citedKeys);
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
      setScannedCitations(analysis, scan.value, citedKeys);
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
    const scan = await scanSliced(text, yieldNow, sliceMs);
    const citedKeys = await distinctKeysSliced(keysOf(scan.value), yieldNow, sliceMs);
    // A large document's citations are read soon (its first hover or diagnostics), and unpacking 40,000 of them in
    // one go could hold the extension host: they are unpacked here, in slices.
    const value = scan.value instanceof PackedCitationScan
      ? { citations: await unpackSliced(scan.value.packed, yieldNow, sliceMs), crossRefs: scan.value.crossRefs }
      : scan.value;
    return analyzeDocument(uri, kind, text, byteLength, config, parsers, { value, diagnostics: scan.diagnostics }, citedKeys);
  }
  if (kind !== 'bibtex' || !parsers.parseBibtexSliced) return analyzeDocument(uri, kind, text, byteLength, config, parsers);
  const analysis = new DocumentAnalysis(kind, []);
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
  const analysis = new DocumentAnalysis('bibtex', []);
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
function distinctKeys(cited: readonly string[]): string[] {
  const keys: string[] = [];
  if (cited.length <= 32) {
    for (const key of cited) if (!keys.includes(key)) keys.push(key);
    // Often every key is cited once: the list the keys came in is then the answer, and no copy is kept.
    return keys.length === cited.length ? (cited as string[]) : exactLength(keys);
  }
  addDistinctKeys(cited, 0, cited.length, new Set(), keys);
  return keys;
}

/** Adds the keys of `cited[from, to)` not yet in `seen` to it and to `keys`. */
function addDistinctKeys(cited: readonly string[], from: number, to: number, seen: Set<string>, keys: string[]): void {
  for (let i = from; i < to; i++) {
    const key = cited[i];
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push(key);
  }
}

/** `packed.unpack()` that awaits `yieldNow` whenever it has worked for `sliceMs`. */
async function unpackSliced(packed: PackedCitations, yieldNow: () => Promise<void>, sliceMs: number): Promise<Citation[]> {
  const out: Citation[] = new Array(packed.length);
  await forEachChunkSliced(packed.length, 1024, (from, to) => packed.unpack(from, to, out), yieldNow, sliceMs);
  return out;
}

/** `distinctKeys` that awaits `yieldNow` whenever it has worked for `sliceMs`. */
async function distinctKeysSliced(cited: readonly string[], yieldNow: () => Promise<void>, sliceMs: number): Promise<string[]> {
  const keys: string[] = [];
  const seen = new Set<string>();
  await forEachChunkSliced(cited.length, 1024, (from, to) => addDistinctKeys(cited, from, to, seen, keys), yieldNow, sliceMs);
  return keys;
}

export function contributionsOf(analysis: Analysis): Contributions {
  const definedKeys: string[] = analysis.entries.length > 0 ? [] : EMPTY_LIST;
  for (const entry of analysis.entries) {
    definedKeys.push(entry.key);
    for (const alias of entry.aliases ?? []) if (alias !== entry.key) definedKeys.push(alias);
  }
  const citedKeys = analysis.citedKeys ?? distinctKeys(analysis.citations.map((c) => c.key));
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
