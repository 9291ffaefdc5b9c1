// The workspace index: every document parsed once, reverse maps for cross-file questions, incremental
// updates per file. Parse-level facts come from `analyzeDocument`; everything that depends on more than one
// file (resolution, duplicates, unresolved keys, safety-case checks) is derived from the reverse maps on
// demand and memoized until the next batch, so an update never has to revisit unrelated documents.
import { corpusPaperByKey } from '../corpus/corpus';
import type { CorpusData, CorpusPaper } from '../corpus/types';
import { compileGlobs, type PathMatcher } from '../glob';
import { moduleNameFromPath } from '../gsn/graph';
import { gsn2xModuleOf } from '../gsn/gsn2x';
import { hashBytes, hashString } from '../hash';
import type { BibEntry, Citation, CoreDiagnostic, PaperInfo, PaperNote } from '../model';
import { EMPTY_LIST } from '../parsers/citationText';
import { LineMap } from '../text';
import { SLICE_MS, TimeSlicer, yieldToEventLoop } from '../timeSlice';
import { hasScheme, resolveReference, uriJoin, uriRelative } from '../uri';
import { lineBreakOf, utf8Chunks } from '../utf8Chunks';
import type { CacheStore, CoreConfig, Disposable, FileChange, FileStat, Logger, WorkspaceFs } from '../workspace';
import { analyzeBibtexPieces, analyzeDocument, analyzeDocumentSliced, contributionsOf, type Analysis, type Contributions, type DocumentParsers } from './analyze';
import { CACHE_KEY, CACHE_SCHEMA, decodeCache, decodePayload, encodeCacheSteps, type CacheRow, type FileStamp, type Payload } from './cacheCodec';
import { documentKind, isBinary, kindFromName } from './classify';
import { defaultParsers } from './defaultParsers';
import { KeySuggester } from './suggest';
import type {
  CitationSite,
  DocumentKind,
  EntrySite,
  IndexChange,
  IndexedDocument,
  IndexProgress,
  NoteSite,
  ResolvedPaper,
  ReviewIndex,
} from './types';

export interface WorkspaceIndexOptions {
  fs: WorkspaceFs;
  config: CoreConfig;
  logger: Logger;
  cache?: CacheStore;
  corpus?: CorpusData;
  /** The product's parsers unless a test substitutes its own. */
  parsers?: DocumentParsers;
  /** Quiet period that groups bursts of changes into one batch (default 50 ms). */
  debounceMs?: number;
  /** Files larger than this many bytes are parsed in time slices (default 1 MB). */
  slicedParseBytes?: number;
}

type Facet = 'tags' | 'methods' | 'problems';
const FACETS: Facet[] = ['tags', 'methods', 'problems'];
const BIBLIOGRAPHY_KINDS: ReadonlySet<DocumentKind> = new Set(['bibtex', 'csl-json', 'csl-yaml']);
/** Above this size a file's parse runs in SLICE_MS slices, so one 30 MB bibliography does not stall the host. */
const SLICED_PARSE_BYTES = 1024 * 1024;
/** Files read ahead of the parser during a build. */
const READ_AHEAD = 32;
const CACHE_SAVE_DELAY_MS = 2000;
const SNIFF_BYTES = 4096;
const INFO_MEMO_SIZE = 2000;
/** Citations or entries checked between two pauses of a sliced diagnostics computation. */
const DIAGNOSTIC_STEP = 256;
/**
 * How long before it was read a file must last have changed for its stat to vouch for its content. Covers
 * timestamp granularity (2 s on FAT) and small clock differences between this process and the file system.
 */
const RACY_MARGIN_MS = 3000;

const now = (): number => performance.now();
/** Ends a background field parse whose result nobody needs any more. */
const FIELDS_NO_LONGER_NEEDED = new Error('fields no longer needed');

const utf8 = new TextDecoder('utf-8', { fatal: false });
/** Bytes decoded per step by decodeSliced and by a bibliography's piecewise parse: about 2-5 ms of work. */
const DECODE_CHUNK = 512 * 1024;

/** UTF-8 decoding of a large file in chunks, yielding between slices (30 MB decode in one call takes 130+ ms). */
async function decodeSliced(bytes: Uint8Array): Promise<string> {
  const nextChunk = utf8Chunks(bytes, DECODE_CHUNK);
  const parts: string[] = [];
  const slicer = new TimeSlicer();
  for (let chunk = nextChunk(); chunk !== undefined; chunk = nextChunk()) {
    parts.push(chunk);
    await slicer.pauseIfOver();
  }
  return parts.join('');
}

/**
 * Where a document's text comes from: disk bytes (decoded only when needed), editor text, or for a file taken
 * from the cache on its stat alone, a read on first use.
 */
type Source =
  | { bytes: Uint8Array; text?: undefined; read?: undefined; pieces?: undefined }
  | { text: string; bytes?: undefined; read?: undefined; pieces?: undefined }
  /** A large bibliography's text as the pieces it was parsed in: joined, it would be one 60 MB copy for 30 MB. */
  | { pieces: readonly string[]; bytes?: undefined; text?: undefined; read?: undefined }
  | { read: (doc: Document) => string | undefined; bytes?: undefined; text?: undefined; pieces?: undefined };

/** A document's parse results: in hand, or a cached payload that `restore` decodes on first use. */
type Contents = { analysis: Analysis } | { payload: Payload; contributions: Contributions; kind: DocumentKind; reduced?: Analysis['reduced'] };

/**
 * An indexed document. Everything heavy is built on first use: the text (disk content stays as UTF-8 bytes,
 * half the size of a two-byte JS string), the line map, and for a cache hit the analysis itself. The reverse
 * maps need only `contributions`, which is always at hand.
 */
class Document implements IndexedDocument {
  readonly kind: DocumentKind;
  readonly reduced?: IndexedDocument['reduced'];
  /** Replaced only when a cached payload turns out unusable and the fresh analysis contributes otherwise. */
  contributions: Contributions;
  private analysisValue?: Analysis;
  private payloadValue?: Payload;
  private lines?: LineMap;
  private decoded?: string;
  /** The text's pieces from a parse after the document was made (a cached bibliography's background field parse). */
  private parsedPieces?: readonly string[];
  /** Set when a read on first use found other bytes than this document was built from (or none at all). */
  outdated = false;
  private byKey?: Map<string, BibEntry[]>;

  constructor(
    readonly uri: string,
    readonly hash: string,
    private readonly source: Source,
    contents: Contents,
    private readonly restore: (doc: Document, payload: Payload) => Analysis,
    /** The file's stat when its bytes were read; absent for editor text. */
    readonly stamp?: FileStamp,
  ) {
    if ('analysis' in contents) {
      this.analysisValue = contents.analysis;
      this.kind = contents.analysis.kind;
      if (contents.analysis.reduced) this.reduced = contents.analysis.reduced;
      this.contributions = contributionsOf(contents.analysis);
    } else {
      this.payloadValue = contents.payload;
      this.kind = contents.kind;
      if (contents.reduced) this.reduced = contents.reduced;
      this.contributions = contents.contributions;
    }
  }

  get analysis(): Analysis {
    if (!this.analysisValue) {
      this.analysisValue = this.restore(this, this.payloadValue!);
      this.payloadValue = undefined;
    }
    return this.analysisValue;
  }
  /** The analysis for the cache: still-encoded bytes when never decoded, else the analysis to encode. */
  get payload(): Payload {
    return this.payloadValue ?? { analysis: this.analysis };
  }
  get citations(): Citation[] {
    return this.analysis.citations;
  }
  get citedKeys(): readonly string[] {
    return this.contributions.citedKeys;
  }
  get crossRefs(): IndexedDocument['crossRefs'] {
    return this.analysis.crossRefs;
  }
  get entries(): BibEntry[] {
    return this.analysis.entries;
  }
  get diagnostics(): CoreDiagnostic[] {
    return this.analysis.diagnostics;
  }
  get frontmatter(): IndexedDocument['frontmatter'] {
    return this.analysis.frontmatter;
  }
  get note(): PaperNote | undefined {
    return this.analysis.note;
  }
  get bibliography(): IndexedDocument['bibliography'] {
    return this.analysis.bibliography;
  }
  get safetyCase(): IndexedDocument['safetyCase'] {
    return this.analysis.safetyCase;
  }
  get text(): string {
    const source = this.source;
    if (source.text !== undefined) return source.text;
    if (source.bytes) return (this.decoded ??= utf8.decode(source.bytes));
    // Nothing in the index asks a document in pieces for its whole text (the line map reads the pieces).
    if (source.pieces) return (this.decoded ??= source.pieces.join(''));
    // A failed read is not remembered: the next use tries again (the file is queued for a re-check meanwhile).
    return (this.decoded ??= source.read(this)) ?? '';
  }
  get lineMap(): LineMap {
    return (this.lines ??= new LineMap(this.pieces ?? this.text));
  }

  /** Keeps a line map of this document's text built elsewhere (in slices, for a large file). */
  keepLineMap(lines: LineMap): void {
    this.lines ??= lines;
  }

  get hasLineMap(): boolean {
    return this.lines !== undefined;
  }

  /** The text as pieces, for a large bibliography parsed piece by piece. */
  get pieces(): readonly string[] | undefined {
    return this.source.pieces ?? this.parsedPieces;
  }

  /** Keeps the pieces a later parse of this document's own bytes cut its text into. */
  keepPieces(pieces: readonly string[]): void {
    this.parsedPieces ??= pieces;
  }

  /** The bytes this document was built from, when it holds them. */
  get bytes(): Uint8Array | undefined {
    return this.source.bytes;
  }

  /** The file's size, as far as known without reading it. */
  get sizeHint(): number {
    return this.stamp?.size ?? this.source.bytes?.length ?? this.source.text?.length ?? 0;
  }

  /**
   * `text` without a long synchronous step: bytes are decoded in slices, and an unread file (or one held in
   * pieces, which are not joined) is read with `read`, which answers undefined unless the bytes are the ones this
   * document was built from.
   */
  async textSoon(read: (doc: Document) => Promise<Uint8Array | undefined>): Promise<string | undefined> {
    const source = this.source;
    if (source.text !== undefined) return source.text;
    if (this.decoded !== undefined) return this.decoded;
    const bytes = source.bytes ?? (await read(this));
    if (!bytes) return undefined;
    const text = await decodeSliced(bytes);
    return (this.decoded ??= text);
  }

  /** What a rebuild or the cache can reuse of this document without decoding it. */
  reusable(): CacheRow | { hash: string; kind: DocumentKind; analysis: Analysis } {
    return this.analysisValue ? { hash: this.hash, kind: this.kind, analysis: this.analysisValue } : this.cacheRow();
  }

  /** This document as a row of the persisted cache. */
  cacheRow(): CacheRow {
    const row: CacheRow = { hash: this.hash, kind: this.kind, contributions: this.contributions, payload: this.payload };
    if (this.reduced) row.reduced = this.reduced;
    if (this.stamp) row.stamp = this.stamp;
    return row;
  }

  /** Entries defined here under a key or alias (a bibliography may hold thousands; looked up by map). */
  entriesFor(key: string): BibEntry[] {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const entry of this.entries) {
        for (const k of entry.aliases?.includes(entry.key) ? entry.aliases : [entry.key, ...(entry.aliases ?? [])]) {
          const list = this.byKey.get(k);
          if (list) list.push(entry);
          else this.byKey.set(k, [entry]);
        }
      }
    }
    return this.byKey.get(key) ?? [];
  }
}

/**
 * key → uris of the documents that contribute it, each uri once; answers come sorted by uri. Most keys have
 * one document, stored as a bare string so a warm start allocates no array for them.
 */
class UriIndex {
  private readonly map = new Map<string, string | string[]>();

  /**
   * A document adds all its keys in one go, so if it already added `key`, its uri is the list's last element;
   * checking only that keeps adds O(1) for values shared by thousands of notes (tags).
   */
  add(key: string, uri: string): void {
    const found = this.map.get(key);
    if (found === undefined) this.map.set(key, uri);
    else if (typeof found === 'string') {
      if (found !== uri) this.map.set(key, [found, uri]);
    } else if (found[found.length - 1] !== uri) found.push(uri);
  }

  remove(key: string, uri: string): void {
    const found = this.map.get(key);
    if (found === undefined) return;
    if (typeof found === 'string') {
      if (found === uri) this.map.delete(key);
      return;
    }
    const at = found.indexOf(uri);
    if (at < 0) return;
    found.splice(at, 1);
    if (found.length === 1) this.map.set(key, found[0]);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  uris(key: string): string[] {
    const found = this.map.get(key);
    if (found === undefined) return [];
    return typeof found === 'string' ? [found] : [...found].sort();
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  clear(): void {
    this.map.clear();
  }
}

class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  on(listener: (value: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

type Loaded =
  | { state: 'unchanged' }
  | { state: 'absent' }
  | { state: 'loaded'; hash: string; source: Exclude<Source, { read: unknown } | { pieces: readonly string[] }>; byteLength: number; stamp?: FileStamp }
  /** Unread: the cache row's stamp vouches that the file is the one it describes. */
  | { state: 'stamped'; row: CacheRow & { stamp: FileStamp } };

function isStamped(row: ReturnType<Document['reusable']>): row is CacheRow & { stamp: FileStamp } {
  return 'stamp' in row && row.stamp !== undefined;
}

/**
 * Git's rule for trusting a stat instead of the content ("racy git"): same size and times as when the file was
 * read, and last changed well before that read, so no later write can have landed within the same timestamp.
 */
function unchangedSince(stamp: FileStamp, stat: FileStat): boolean {
  if (stat.size !== stamp.size || stat.mtime !== stamp.mtime || stat.ctime !== stamp.ctime) return false;
  return Math.max(stamp.mtime, stamp.ctime ?? -Infinity) < stamp.readAt - RACY_MARGIN_MS;
}

function formatList(items: string[]): string {
  return items.map((s) => `'${s}'`).join(', ');
}

function mergeInfo(parts: PaperInfo[]): PaperInfo {
  const info: PaperInfo = { authors: [], keywords: [] };
  for (const part of parts) {
    for (const field of ['title', 'year', 'venue', 'doi', 'url', 'arxiv', 'abstract'] as const) {
      if (info[field] === undefined && part[field] !== undefined) info[field] = part[field];
    }
    if (info.authors.length === 0 && part.authors.length > 0) info.authors = [...part.authors];
    for (const k of part.keywords) if (!info.keywords.includes(k)) info.keywords.push(k);
  }
  return info;
}

function corpusInfo(paper: CorpusPaper): PaperInfo {
  const info: PaperInfo = { title: paper.title, authors: [...paper.authors], year: String(paper.year), keywords: [...paper.tags] };
  if (paper.venue) info.venue = paper.venue;
  if (paper.arxiv) info.arxiv = paper.arxiv;
  if (paper.url) info.url = paper.url;
  return info;
}

export class WorkspaceIndex implements ReviewIndex {
  readonly corpus: CorpusData;
  private readonly fs: WorkspaceFs;
  private readonly logger: Logger;
  private readonly cache?: CacheStore;
  private readonly parsers: DocumentParsers;
  private readonly debounceMs: number;
  private readonly slicedParseBytes: number;
  private config: CoreConfig;
  private includeMatcher!: PathMatcher;
  private excludeMatcher!: PathMatcher;
  private extraBibliographies = new Set<string>();

  private readonly docs = new Map<string, Document>();
  private readonly overlays = new Map<string, string>();
  private readonly definitions = new UriIndex();
  private readonly noteSites = new UriIndex();
  /**
   * key → the documents citing it: the largest reverse map (every citation of every note) and read only by
   * `citationsOf`, so it is built on the first such query rather than on every start, then kept up to date.
   */
  private citingIndex?: UriIndex;
  private readonly facets: Record<Facet, UriIndex> = { tags: new UriIndex(), methods: new UriIndex(), problems: new UriIndex() };
  /** Documents with `bibliography:` files → the entry sources they resolve against. */
  private readonly scopes = new Map<string, Set<string>>();
  private readonly safetyCaseUris = new Set<string>();
  private safetyDiagnostics = new Map<string, CoreDiagnostic[]>();

  // Answers derived from the maps, valid until the next change.
  private diagnosticsMemo = new Map<string, CoreDiagnostic[]>();
  private keysMemo?: string[];
  private suggester?: KeySuggester;
  private readonly suggestMemo = new Map<string, string[]>();
  /** How to fill the fields of a restored bibliography whose cache row left them out, until they are filled. */
  private readonly fieldFills = new WeakMap<Document, (parsed?: BibEntry[]) => void>();
  // Shared by every document: a closure made per document kept its whole making scope (the file's bytes
  // included) alive for as long as the document lived.
  private readonly restoreDocument = (doc: Document, payload: Payload): Analysis => this.restore(doc, payload);
  private readonly unreadSource: Source = { read: (doc) => this.readUnread(doc) };
  /** Decoded metadata of recently shown entries; bounded, because resolving all 20k keys must not pin them all. */
  private infoMemo = new Map<BibEntry, PaperInfo>();

  private readonly changeEmitter = new Emitter<IndexChange>();
  private readonly progressEmitter = new Emitter<IndexProgress>();
  private watcher?: Disposable;
  private building = false;
  /** Builds requested and not yet finished (a reindex during a build queues one more). */
  private buildsQueued = 0;
  private buildPromise?: Promise<void>;
  private readonly pending = new Set<string>();
  private debounceTimer?: ReturnType<typeof setTimeout>;
  private flushPromise?: Promise<void>;
  /** Parse results a build may reuse for files whose hash is unchanged: the cache, or the previous build. */
  private reusable = new Map<string, ReturnType<Document['reusable']>>();
  /** During a rebuild under other settings: the text of large files from before, by uri, with its content hash. */
  private keptTexts = new Map<string, { hash: string; text: string }>();
  /** The same for large bibliographies held in pieces, which are parsed again from their pieces. */
  private keptPieces = new Map<string, { hash: string; pieces: readonly string[] }>();
  /** Whether this build may take `reusable` rows on their file stamps alone (rows from the persisted cache). */
  private stampsTrusted = false;
  private cacheTimer?: ReturnType<typeof setTimeout>;
  private disposed = false;
  /** Settings fingerprint the documents in memory were analysed under. */
  private builtFingerprint = '';

  constructor(options: WorkspaceIndexOptions) {
    this.fs = options.fs;
    this.logger = options.logger;
    this.cache = options.cache;
    this.parsers = options.parsers ?? defaultParsers;
    this.corpus = options.corpus ?? this.parsers.loadCorpus();
    this.debounceMs = options.debounceMs ?? 50;
    this.slicedParseBytes = options.slicedParseBytes ?? SLICED_PARSE_BYTES;
    this.config = options.config;
    this.compileConfig();
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  get indexing(): boolean {
    return this.building || this.buildsQueued > 0 || this.pending.size > 0 || this.flushPromise !== undefined;
  }

  onDidChange(listener: (change: IndexChange) => void): Disposable {
    return this.changeEmitter.on(listener);
  }

  onProgress(listener: (progress: IndexProgress) => void): Disposable {
    return this.progressEmitter.on(listener);
  }

  /** Builds the index, then follows file changes. */
  async start(): Promise<void> {
    this.watcher ??= this.fs.watch((change) => this.onFileChange(change));
    await this.reindex();
  }

  reindex(): Promise<void> {
    // Builds run one after another; a reindex requested mid-build starts over once that one ends.
    this.buildsQueued++;
    const run = (this.buildPromise ?? Promise.resolve()).then(() => this.build());
    this.buildPromise = run;
    return run;
  }

  /** Resolves once the build and every queued change have been applied. */
  async ready(): Promise<void> {
    for (;;) {
      if (this.buildsQueued > 0) await this.buildPromise;
      else if (this.flushPromise) await this.flushPromise;
      else if (this.pending.size > 0) await this.flushNow();
      else return;
    }
  }

  updateConfig(config: CoreConfig): void {
    const previous = this.config;
    this.config = config;
    this.compileConfig();
    const onlyCorpusToggled = JSON.stringify({ ...previous, corpusEnabled: true }) === JSON.stringify({ ...config, corpusEnabled: true });
    if (onlyCorpusToggled) {
      this.invalidate(true);
      this.changeEmitter.fire({ uris: [], full: true });
    } else {
      void this.reindex();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.dispose();
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
  }

  setOverlay(uri: string, text: string | undefined): void {
    if (text === undefined) {
      if (!this.overlays.delete(uri)) return;
    } else {
      if (this.overlays.get(uri) === text) return;
      this.overlays.set(uri, text);
    }
    this.enqueue(uri);
  }

  // -------------------------------------------------------------------------------------------
  // Queries

  document(uri: string): IndexedDocument | undefined {
    return this.docs.get(uri);
  }

  documents(): IterableIterator<IndexedDocument> {
    return this.docs.values();
  }

  resolve(key: string, fromUri?: string): ResolvedPaper | undefined {
    const scope = fromUri !== undefined ? this.scopes.get(fromUri) : undefined;
    const entries: EntrySite[] = [];
    for (const uri of this.definitions.uris(key)) {
      if (!scope || scope.has(uri)) for (const entry of this.docs.get(uri)!.entriesFor(key)) entries.push({ uri, entry });
    }
    const notes: NoteSite[] = this.noteSites.uris(key).map((uri) => ({ uri, note: this.docs.get(uri)!.note! }));
    const corpus = this.corpusPaper(key);
    if (entries.length === 0 && notes.length === 0 && !corpus) return undefined;
    const parts = [...entries.map((e) => this.entryInfo(e.entry)), ...notes.map((n) => n.note.info)];
    if (corpus) parts.push(corpusInfo(corpus));
    const paper: ResolvedPaper = { key, entries, notes, info: mergeInfo(parts) };
    if (corpus) paper.corpus = corpus;
    return paper;
  }

  keys(): IterableIterator<string> {
    return this.allKeys()[Symbol.iterator]();
  }

  citationsOf(key: string): CitationSite[] {
    const out: CitationSite[] = [];
    for (const uri of this.citing().uris(key)) {
      for (const citation of this.docs.get(uri)!.citations) if (citation.key === key) out.push({ uri, citation });
    }
    return out;
  }

  /**
   * Whether every key `doc` cites resolves from it. Most documents' do; their citations then need not be read (and
   * stay packed).
   */
  private citesOnlyResolvable(doc: Document): boolean {
    return doc.citedKeys.every((key) => this.resolves(key, doc.uri));
  }

  unresolved(): CitationSite[] {
    const out: CitationSite[] = [];
    for (const uri of [...this.docs.keys()].sort()) {
      const doc = this.docs.get(uri)!;
      if (this.citesOnlyResolvable(doc)) continue;
      for (const citation of doc.citations) if (!this.resolves(citation.key, uri)) out.push({ uri, citation });
    }
    return out;
  }

  suggest(key: string, limit = 3): string[] {
    let found = this.suggestMemo.get(key);
    if (!found) {
      this.suggester ??= new KeySuggester(this.allKeys());
      found = this.suggester.suggest(key, 5);
      this.suggestMemo.set(key, found);
    }
    return found.slice(0, limit);
  }

  notesBy(field: Facet, value: string): NoteSite[] {
    return this.facets[field].uris(value).map((uri) => ({ uri, note: this.docs.get(uri)!.note! }));
  }

  diagnostics(uri: string): CoreDiagnostic[] {
    let found = this.diagnosticsMemo.get(uri);
    if (!found) {
      const steps = this.diagnosticSteps(uri);
      let step = steps.next();
      while (!step.done) step = steps.next();
      found = step.value;
      this.diagnosticsMemo.set(uri, found);
    }
    return found;
  }

  async diagnosticsSoon(uri: string): Promise<CoreDiagnostic[]> {
    const slicer = new TimeSlicer();
    for (;;) {
      // Every update replaces the memo: a computation that saw one starts over on the new state.
      const memo = this.diagnosticsMemo;
      const known = memo.get(uri);
      if (known) return known;
      const steps = this.diagnosticSteps(uri);
      let step = steps.next();
      while (!step.done && memo === this.diagnosticsMemo) {
        await slicer.pauseIfOver();
        if (memo === this.diagnosticsMemo) step = steps.next();
      }
      if (step.done && memo === this.diagnosticsMemo) {
        memo.set(uri, step.value);
        return step.value;
      }
    }
  }

  allDiagnostics(): Map<string, CoreDiagnostic[]> {
    const out = new Map<string, CoreDiagnostic[]>();
    for (const uri of [...this.docs.keys()].sort()) {
      const list = this.diagnostics(uri);
      if (list.length > 0) out.set(uri, list);
    }
    return out;
  }

  /**
   * gsn2x's `Error: (module) ID: text` line for a safety-case diagnostic of a document, else undefined.
   * Findings about the whole graph name no module. A module without `module: name:` is named by gsn2x after
   * its path as given on the command line; the faithful equivalent here is the path relative to the
   * workspace folder (gsn2x run from that folder), not the absolute path.
   */
  formatSafetyCaseDiagnostic(uri: string, diagnostic: CoreDiagnostic): string | undefined {
    const module = this.docs.get(uri)?.safetyCase;
    if (!module || !diagnostic.code.startsWith('gsn-')) return undefined;
    const name = module.name === moduleNameFromPath(uri) ? moduleNameFromPath(this.displayPath(uri)) : module.name;
    return this.parsers.formatGsn2x(gsn2xModuleOf(diagnostic.code, name), diagnostic);
  }

  // -------------------------------------------------------------------------------------------
  // Resolution helpers

  private citing(): UriIndex {
    if (!this.citingIndex) {
      const index = new UriIndex();
      for (const doc of this.docs.values()) for (const key of doc.contributions.citedKeys) index.add(key, doc.uri);
      this.citingIndex = index;
    }
    return this.citingIndex;
  }

  private corpusPaper(key: string): CorpusPaper | undefined {
    return this.config.corpusEnabled ? corpusPaperByKey(this.corpus, key) : undefined;
  }

  /** Whether a key resolves from a document, without building the merged metadata. */
  private resolves(key: string, fromUri: string): boolean {
    if (this.noteSites.has(key) || this.corpusPaper(key)) return true;
    if (!this.definitions.has(key)) return false;
    const scope = this.scopes.get(fromUri);
    return !scope || this.definitions.uris(key).some((uri) => scope.has(uri));
  }

  private entryInfo(entry: BibEntry): PaperInfo {
    if (entry.info) return entry.info;
    let info = this.infoMemo.get(entry);
    if (!info) {
      if (this.infoMemo.size >= INFO_MEMO_SIZE) this.infoMemo = new Map();
      info = this.parsers.paperInfo(entry);
      this.infoMemo.set(entry, info);
    }
    return info;
  }

  private allKeys(): string[] {
    if (!this.keysMemo) {
      const keys = new Set<string>([...this.definitions.keys(), ...this.noteSites.keys()]);
      if (this.config.corpusEnabled) for (const paper of this.corpus.papers) keys.add(paper.key);
      this.keysMemo = [...keys].sort();
    }
    return this.keysMemo;
  }

  /**
   * The work of `diagnostics`, pausing (a bare `yield`) every DIAGNOSTIC_STEP citations or entries, so that a
   * review's 40,000 citations (50-90 ms) can be checked in slices.
   */
  private *diagnosticSteps(uri: string): Generator<void, CoreDiagnostic[]> {
    const doc = this.docs.get(uri);
    if (!doc) return [];
    const out = [...doc.diagnostics];
    const scope = this.scopes.get(uri);
    // Checked only for a handful of keys: a long review's are checked citation by citation, in steps.
    const allResolve = doc.citedKeys.length <= DIAGNOSTIC_STEP && this.citesOnlyResolvable(doc);
    let checked = 0;
    for (const citation of allResolve ? EMPTY_LIST : doc.citations) {
      if (++checked % DIAGNOSTIC_STEP === 0) yield;
      if (this.resolves(citation.key, uri)) continue;
      const elsewhere = this.definitions.uris(citation.key);
      if (scope && elsewhere.length > 0) {
        out.push({
          span: citation.keySpan,
          severity: 'warning',
          code: 'not-in-document-bibliography',
          message: `Citation key '${citation.key}' is not in this document's bibliography; it is defined in ${formatList(elsewhere.map((u) => this.displayPath(u)))}.`,
        });
        continue;
      }
      const suggestions = this.suggest(citation.key);
      out.push({
        span: citation.keySpan,
        severity: 'error',
        code: 'unresolved-citation',
        message: `Unresolved citation key '${citation.key}'.` + (suggestions.length ? ` Did you mean ${formatList(suggestions)}?` : ''),
      });
    }
    if (BIBLIOGRAPHY_KINDS.has(doc.kind)) {
      for (const entry of doc.entries) {
        if (++checked % DIAGNOSTIC_STEP === 0) yield;
        const others = this.definitions.uris(entry.key).filter((u) => {
          const other = this.docs.get(u)!;
          return u !== uri && BIBLIOGRAPHY_KINDS.has(other.kind) && other.entriesFor(entry.key).some((e) => e.key === entry.key);
        });
        if (others.length === 0) continue;
        out.push({
          span: entry.keySpan,
          severity: 'warning',
          code: 'duplicate-key',
          message: `Key '${entry.key}' is also defined in ${formatList(others.map((u) => this.displayPath(u)))}.`,
        });
      }
    }
    const note = doc.note;
    if (note?.citekey !== undefined && !this.definitions.has(note.citekey) && !this.corpusPaper(note.citekey)) {
      out.push({
        span: note.citekeySpan ?? { start: 0, end: 0 },
        severity: 'info',
        code: 'note-without-entry',
        message: `No bibliography entry or corpus paper has the key '${note.citekey}'.`,
      });
    }
    for (const file of doc.bibliography?.files ?? []) {
      if (this.docs.has(resolveReference(uri, file.path))) continue;
      out.push({
        span: file.span,
        severity: 'warning',
        code: 'bibliography-not-found',
        message: `Bibliography '${file.path}' is not among the indexed files.`,
      });
    }
    out.push(...(this.safetyDiagnostics.get(uri) ?? []));
    return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  private displayPath(uri: string): string {
    for (const root of this.fs.roots()) {
      const rel = uriRelative(root, uri);
      if (rel !== undefined) return rel;
    }
    return uri;
  }

  // -------------------------------------------------------------------------------------------
  // Building and updating

  private compileConfig(): void {
    this.includeMatcher = compileGlobs(this.config.include);
    this.excludeMatcher = compileGlobs(this.config.exclude, { matchDescendants: true });
    this.extraBibliographies = new Set();
    for (const bib of this.config.bibliographies) {
      if (hasScheme(bib)) this.extraBibliographies.add(bib);
      else for (const root of this.fs.roots()) this.extraBibliographies.add(uriJoin(root, bib));
    }
  }

  private fingerprint(): string {
    return `${CACHE_SCHEMA}|${this.config.largeBibBytes}|${this.config.largeDocumentBytes}`;
  }

  /** Whether a uri belongs in the index under the current settings. */
  private accepts(uri: string): boolean {
    if (this.extraBibliographies.has(uri)) return true;
    if (!kindFromName(uri)) return false;
    for (const root of this.fs.roots()) {
      const rel = uriRelative(root, uri);
      if (rel !== undefined) return this.includeMatcher(rel) && !this.excludeMatcher(rel);
    }
    return false;
  }

  private async build(): Promise<void> {
    if (this.flushPromise) await this.flushPromise;
    this.building = true;
    const started = now();
    try {
      await this.loadCacheRows();
      const cacheLoaded = now();
      const listed = await this.fs.list(this.config.include, this.config.exclude);
      const listedAt = now();
      let analysing = 0;
      // `list` already applied include/exclude; only the file kind is left to check.
      const uris = new Set(listed.filter((u) => kindFromName(u) !== undefined));
      for (const uri of this.extraBibliographies) uris.add(uri);
      for (const uri of this.overlays.keys()) if (this.accepts(uri)) uris.add(uri);
      const ordered = [...uris].sort();
      // Queued changes are covered by this full read.
      this.pending.clear();
      this.clearState();
      const total = ordered.length;
      this.progressEmitter.fire({ done: 0, total });
      // Reads run up to READ_AHEAD files ahead of the parser.
      const reads: (Promise<Loaded> | undefined)[] = new Array(total);
      let requested = 0;
      const slicer = new TimeSlicer();
      for (let i = 0; i < total; i++) {
        for (; requested < Math.min(total, i + READ_AHEAD); requested++) reads[requested] = this.load(ordered[requested]);
        const loaded = await reads[i]!;
        reads[i] = undefined;
        if (loaded.state === 'stamped') this.addDocument(this.makeDocument(ordered[i], loaded));
        else if (loaded.state === 'loaded') {
          // Only read files can need analysis; timing the unread ones too cost a measurable share of a warm start.
          const t = now();
          // A sliced parse lets other work run meanwhile; the document is added only once it is complete. Smaller
          // files are parsed right here, without a promise each.
          this.addDocument(loaded.byteLength > this.slicedParseBytes ? await this.makeDocumentSoon(ordered[i], this.withKeptText(ordered[i], loaded)) : this.makeDocument(ordered[i], loaded));
          analysing += now() - t;
        }
        if (slicer.over) {
          this.progressEmitter.fire({ done: i + 1, total });
          await slicer.pause();
        }
      }
      this.recheckSafetyCases();
      this.invalidate(true);
      this.reusable = new Map();
      this.builtFingerprint = this.fingerprint();
      this.progressEmitter.fire({ done: total, total });
      const ms = (t: number) => Math.round(t);
      this.logger.info(
        `Indexed ${this.docs.size} of ${total} files in ${ms(now() - started)} ms ` +
          `(cache ${ms(cacheLoaded - started)}, listing ${ms(listedAt - cacheLoaded)}, analysis ${ms(analysing)}, reading and waiting ${ms(now() - listedAt - analysing)}).`,
      );
    } catch (e) {
      this.logger.error(`Indexing failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    } finally {
      this.building = false;
      this.keptTexts = new Map();
      this.keptPieces = new Map();
      // Cleared before listeners hear of the change, so they see `indexing` false once the last build is done.
      this.buildsQueued--;
    }
    this.changeEmitter.fire({ uris: [], full: true });
    this.scheduleCacheSave();
    if (this.pending.size > 0) this.scheduleFlush();
    void this.prefetchFields().then(() => this.prefetchLineMaps());
  }

  private clearState(): void {
    this.docs.clear();
    this.definitions.clear();
    this.noteSites.clear();
    // Once queried, the citing map is kept up to date through the rebuild, document by document, rather than built
    // over every document by the first query after it (33-57 ms in the host: a hover during a cold rebuild).
    this.citingIndex &&= new UriIndex();
    for (const f of FACETS) this.facets[f].clear();
    this.scopes.clear();
    this.safetyCaseUris.clear();
    this.safetyDiagnostics = new Map();
  }

  private async loadCacheRows(): Promise<void> {
    // A rebuild (the user's "reindex") always reads every file; only a start trusts stamps.
    this.stampsTrusted = false;
    // Both walks over the documents run in slices: over 10,000 of them, one walk held the host 51 ms (profiled) at
    // a rebuild's start.
    const slicer = new TimeSlicer();
    // Documents already in memory are the best cache for a rebuild (same settings fingerprint only).
    if (this.docs.size > 0 && this.builtFingerprint === this.fingerprint()) {
      this.reusable = new Map();
      for (const doc of this.docs.values()) {
        this.reusable.set(doc.uri, doc.reusable());
        if (slicer.over) await slicer.pause();
      }
      return;
    }
    if (this.docs.size > 0) {
      // Other settings: every file is analysed again, but a large one whose bytes turn out unchanged keeps the text
      // it was decoded to. Decoding a 30 MB bibliography ends in one 60 MB string copy: 220-270 ms in the host.
      for (const doc of this.docs.values()) {
        if (slicer.over) await slicer.pause();
        if (doc.sizeHint <= this.slicedParseBytes) continue;
        if (doc.pieces) {
          this.keptPieces.set(doc.uri, { hash: doc.hash, pieces: doc.pieces });
          continue;
        }
        const text = await doc.textSoon(async () => undefined);
        if (text !== undefined) this.keptTexts.set(doc.uri, { hash: doc.hash, text });
      }
      return;
    }
    if (!this.cache) return;
    try {
      const bytes = await this.cache.get(CACHE_KEY);
      if (!bytes) return;
      const decoded = decodeCache(bytes, this.fingerprint());
      if (typeof decoded === 'string') this.logger.info(`Ignoring the index cache: ${decoded}.`);
      else {
        this.reusable = decoded;
        // Unread files must be readable later on demand: documents promise synchronous text.
        this.stampsTrusted = this.fs.readSync !== undefined;
      }
    } catch (e) {
      this.logger.warn(`Could not read the index cache: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** A large file read again by a rebuild, as the text kept from before when its bytes are the same. */
  private withKeptText(uri: string, loaded: Extract<Loaded, { state: 'loaded' }>): Extract<Loaded, { state: 'loaded' }> {
    const kept = this.keptTexts.get(uri);
    if (!kept || kept.hash !== loaded.hash || loaded.source.text !== undefined) return loaded;
    return { ...loaded, source: { text: kept.text } };
  }

  private async load(uri: string): Promise<Loaded> {
    const existing = this.docs.get(uri);
    const overlay = this.overlays.get(uri);
    if (overlay !== undefined) {
      const hash = hashString(overlay);
      if (existing?.hash === hash && !existing.outdated) return { state: 'unchanged' };
      return { state: 'loaded', hash, source: { text: overlay }, byteLength: overlay.length };
    }
    try {
      // Taken before the stat: a write after this moment cannot have produced the times the stat reports.
      const readAt = Date.now();
      const row = this.stampsTrusted && this.building ? this.reusable.get(uri) : undefined;
      const stampedRow = row && isStamped(row) ? row : undefined;
      // A file the cache may vouch for is stat'ed alone; any other is read with its stat where the fs can.
      let stat: FileStat | undefined;
      let read: Uint8Array | undefined;
      if (stampedRow || !this.fs.readWithStat) stat = await this.fs.stat(uri);
      else ({ stat, bytes: read } = (await this.fs.readWithStat(uri, this.config.maxFileBytes)) ?? {});
      if (!stat) return { state: 'absent' };
      if (stat.size > this.config.maxFileBytes) {
        this.logger.info(`Skipping ${this.displayPath(uri)}: ${stat.size} bytes is over the ${this.config.maxFileBytes}-byte limit.`);
        return { state: 'absent' };
      }
      if (stampedRow && unchangedSince(stampedRow.stamp, stat)) return { state: 'stamped', row: stampedRow };
      const bytes = read ?? (await this.fs.read(uri));
      if (isBinary(bytes)) {
        this.logger.info(`Skipping ${this.displayPath(uri)}: binary content.`);
        return { state: 'absent' };
      }
      const hash = hashBytes(bytes);
      if (existing?.hash === hash && !existing.outdated) return { state: 'unchanged' };
      // A file that changed between the stat and the read gets no stamp, so it is read again next time.
      const stamp: FileStamp | undefined = bytes.length !== stat.size ? undefined
        : stat.ctime === undefined ? { size: stat.size, mtime: stat.mtime, readAt } : { size: stat.size, mtime: stat.mtime, ctime: stat.ctime, readAt };
      return { state: 'loaded', hash, source: { bytes }, byteLength: bytes.length, stamp };
    } catch (e) {
      this.logger.warn(`Could not read ${this.displayPath(uri)}: ${e instanceof Error ? e.message : String(e)}`);
      return { state: 'absent' };
    }
  }

  private makeDocument(uri: string, loaded: Extract<Loaded, { state: 'loaded' | 'stamped' }>): Document | undefined {
    const plan = this.planDocument(uri, loaded);
    if (!plan || 'document' in plan) return plan?.document;
    const text = plan.text ?? utf8.decode(plan.bytes);
    return plan.finish(this.analyze(uri, plan.kind, text, plan.byteLength), text);
  }

  /** `makeDocument` that parses a file over `slicedParseBytes` in time slices, yielding to the event loop between them. */
  private async makeDocumentSoon(uri: string, loaded: Extract<Loaded, { state: 'loaded' | 'stamped' }>): Promise<Document | undefined> {
    if (loaded.state === 'stamped' || loaded.byteLength <= this.slicedParseBytes) return this.makeDocument(uri, loaded);
    const plan = this.planDocument(uri, loaded);
    if (!plan || 'document' in plan) return plan?.document;
    const parsePieces = this.parsers.parseBibtexPieces;
    if (plan.kind === 'bibtex' && plan.text === undefined && parsePieces) {
      const { analysis, pieces } = await this.analyzeBibliographyInPieces(uri, loaded.hash, plan.bytes, parsePieces);
      return this.withLineMap(plan.finish(analysis, pieces), pieces);
    }
    const text = plan.text ?? (await decodeSliced(plan.bytes));
    let analysis: Analysis;
    try {
      analysis = await analyzeDocumentSliced(uri, plan.kind, text, plan.byteLength, this.config, this.parsers, yieldToEventLoop, SLICE_MS);
    } catch (e) {
      analysis = this.failedAnalysis(uri, plan.kind, e);
    }
    return this.withLineMap(plan.finish(analysis, text), text);
  }

  /** A large document with its line map built now, in slices, rather than in one block on its first use. */
  private async withLineMap(doc: Document | undefined, text: string | readonly string[]): Promise<Document | undefined> {
    doc?.keepLineMap(await LineMap.sliced(text, yieldToEventLoop, SLICE_MS));
    return doc;
  }

  /**
   * A large bibliography's analysis, parsed piece by piece from its bytes decoded a chunk at a time (or, in a
   * rebuild, from the pieces its unchanged text was kept in), so its text never has to be one string.
   */
  private async analyzeBibliographyInPieces(
    uri: string,
    hash: string,
    bytes: Uint8Array,
    parsePieces: NonNullable<DocumentParsers['parseBibtexPieces']>,
  ): Promise<{ analysis: Analysis; pieces: readonly string[] }> {
    const kept = this.keptPieces.get(uri);
    let nextChunk = utf8Chunks(bytes, DECODE_CHUNK);
    if (kept?.hash === hash) {
      let next = 0;
      nextChunk = () => kept.pieces[next++];
    }
    try {
      return await analyzeBibtexPieces(nextChunk, lineBreakOf(bytes), bytes.length, this.config, parsePieces, yieldToEventLoop, SLICE_MS);
    } catch (e) {
      return { analysis: this.failedAnalysis(uri, 'bibtex', e), pieces: [await decodeSliced(bytes)] };
    }
  }

  /**
   * A document ready as is (stamped, or its analysis reusable), or the text to analyse and how to wrap the
   * analysis; undefined when the file is of no known kind.
   */
  private planDocument(
    uri: string,
    loaded: Extract<Loaded, { state: 'loaded' | 'stamped' }>,
  ):
    | { document: Document }
    | ({ kind: DocumentKind; byteLength: number; finish: (analysis: Analysis, text: string | readonly string[]) => Document } & ({ text: string } | { text?: undefined; bytes: Uint8Array }))
    | undefined {
    const restore = this.restoreDocument;
    if (loaded.state === 'stamped') {
      const { row } = loaded;
      if (row.reduced) this.logger.info(`${this.displayPath(uri)} is large (${row.stamp.size} bytes): indexed as ${row.reduced}.`);
      return { document: new Document(uri, row.hash, this.unreadSource, row, restore, row.stamp) };
    }
    const { source } = loaded;
    // JSON and YAML are sniffed from their first bytes only, so a cache hit never decodes the whole file.
    const byName = kindFromName(uri);
    const sniff = byName === 'json' || byName === 'yaml';
    const head = source.text ?? (sniff ? utf8.decode(source.bytes.subarray(0, SNIFF_BYTES)) : '');
    const kind = sniff ? documentKind(uri, head) : byName;
    if (!kind) return undefined;
    const previous = this.reusable.get(uri);
    const wrap = (contents: Contents, kept: Source): Document => {
      const reduced = 'analysis' in contents ? contents.analysis.reduced : contents.reduced;
      if (reduced) this.logger.info(`${this.displayPath(uri)} is large (${loaded.byteLength} bytes): indexed as ${reduced}.`);
      return new Document(uri, loaded.hash, kept, contents, restore, loaded.stamp);
    };
    if (previous && previous.hash === loaded.hash && previous.kind === kind) {
      // A reused analysis keeps its entries' deferred fields from before: the text is byte-identical.
      return { document: wrap('analysis' in previous ? { analysis: previous.analysis } : previous, source) };
    }
    // Parsers return substrings of the text, which keep all of it alive; keeping the bytes too would hold the
    // content twice.
    const finish = (analysis: Analysis, text: string | readonly string[]) => wrap({ analysis }, typeof text === 'string' ? { text } : { pieces: text });
    return source.text !== undefined
      ? { kind, byteLength: loaded.byteLength, text: source.text, finish }
      : { kind, byteLength: loaded.byteLength, bytes: source.bytes, finish };
  }

  /**
   * The text of a document taken from the cache on its stamp, read on first use. Should the file have changed
   * after all (an edit whose watcher event is still on its way, or a file system whose times lie), the text is
   * what is on disk now, and the document is marked outdated and queued, so the next update re-analyses it.
   */
  private readUnread(doc: Document): string | undefined {
    try {
      const bytes = this.fs.readSync!(doc.uri);
      if (hashBytes(bytes) !== doc.hash) {
        this.logger.info(`${this.displayPath(doc.uri)} changed since it was indexed; re-reading it.`);
        doc.outdated = true;
        this.enqueue(doc.uri);
      }
      return utf8.decode(bytes);
    } catch (e) {
      this.logger.warn(`Could not read ${this.displayPath(doc.uri)}: ${e instanceof Error ? e.message : String(e)}`);
      doc.outdated = true;
      this.enqueue(doc.uri);
      return undefined;
    }
  }

  private analyze(uri: string, kind: DocumentKind, text: string, byteLength: number): Analysis {
    try {
      return analyzeDocument(uri, kind, text, byteLength, this.config, this.parsers);
    } catch (e) {
      return this.failedAnalysis(uri, kind, e);
    }
  }

  /** Parsers promise not to throw; if one does, the file still gets indexed with the failure visible. */
  private failedAnalysis(uri: string, kind: DocumentKind, e: unknown): Analysis {
    this.logger.error(`Parser failure on ${this.displayPath(uri)}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return {
      kind,
      citations: [],
      crossRefs: [],
      entries: [],
      diagnostics: [{ span: { start: 0, end: 0 }, severity: 'error', code: 'internal-error', message: `Could not analyse this file: ${e instanceof Error ? e.message : String(e)}` }],
    };
  }

  /**
   * Decodes a cached payload on first use. A payload that does not decode (or fails its checksum) is replaced
   * by a fresh analysis, and so is the cached summary in the reverse maps if the fresh one differs.
   */
  private restore(doc: Document, payload: Payload): Analysis {
    let analysis: Analysis;
    try {
      analysis = decodePayload(payload);
    } catch (e) {
      this.logger.warn(`Cached analysis of ${this.displayPath(doc.uri)} is unreadable (${e instanceof Error ? e.message : String(e)}); re-reading the file.`);
      analysis = this.analyze(doc.uri, doc.kind, doc.text, doc.text.length);
      this.replaceContributions(doc, contributionsOf(analysis));
    }
    if (analysis.fieldsDeferred) this.deferFieldsOf(doc, analysis.entries);
    return analysis;
  }

  private replaceContributions(doc: Document, fresh: Contributions): void {
    if (JSON.stringify(fresh) === JSON.stringify(doc.contributions) || this.docs.get(doc.uri) !== doc) {
      doc.contributions = fresh;
      return;
    }
    this.removeDocument(doc.uri);
    doc.contributions = fresh;
    this.addDocument(doc);
    this.invalidate(true);
    // This runs inside a query that is reading the document: the safety-case recheck (which reads documents)
    // and listeners wait until that query has returned.
    queueMicrotask(() => {
      if (this.disposed || this.docs.get(doc.uri) !== doc) return;
      this.recheckSafetyCases();
      this.invalidate(true);
      this.changeEmitter.fire({ uris: [doc.uri], full: false });
    });
  }

  /**
   * A cached bibliography stores no field values (they are most of its size); the first entry whose fields
   * are read re-parses the file once and fills every entry.
   */
  private deferFieldsOf(doc: Document, entries: BibEntry[]): void {
    let filled = false;
    const fill = (parsed?: BibEntry[]) => {
      if (filled) return;
      filled = true;
      this.fieldFills.delete(doc);
      parsed ??= this.parsers.parseBibtex(doc.text, {}).value;
      const byStart = new Map(parsed.map((e) => [e.span.start, e]));
      for (const entry of entries) {
        const fresh = byStart.get(entry.span.start);
        Object.defineProperty(entry, 'fields', { value: fresh?.key === entry.key ? fresh.fields : undefined, writable: true, enumerable: true, configurable: true });
      }
    };
    for (const entry of entries) {
      Object.defineProperty(entry, 'fields', {
        get: () => (fill(), entry.fields),
        enumerable: true,
        configurable: true,
      });
    }
    this.fieldFills.set(doc, fill);
  }

  /** A document's bytes read again, or undefined when they are no longer the ones it was built from. */
  private async readUnchanged(doc: Document): Promise<Uint8Array | undefined> {
    try {
      const bytes = await this.fs.read(doc.uri);
      return hashBytes(bytes) === doc.hash ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * After a build, fills the deferred fields of large cached bibliographies in the background (read, decode and
   * parse in slices), so the first hover or completion does not re-parse a 30 MB file in one call (460 ms in
   * plain Node). A field read before this finishes still fills them at once; the later parse is then dropped.
   */
  private async prefetchFields(): Promise<void> {
    await yieldToEventLoop();
    for (const doc of [...this.docs.values()]) {
      if (this.disposed || this.building) return;
      if (doc.kind !== 'bibtex' || doc.reduced === 'keys-only' || doc.sizeHint <= this.slicedParseBytes || this.docs.get(doc.uri) !== doc) continue;
      // Decodes a cached payload, which registers the fill when its fields were left out of the cache.
      void doc.analysis;
      const fill = this.fieldFills.get(doc);
      const parsePieces = this.parsers.parseBibtexPieces;
      const parseSliced = this.parsers.parseBibtexSliced;
      if (!fill || !(parsePieces || parseSliced)) continue;
      // A piecewise parse decodes the bytes as it goes and never joins the text (a 60 MB copy for 30 MB).
      const readUnchanged = (d: Document) => this.readUnchanged(d);
      const input = parsePieces ? (doc.bytes ?? (await readUnchanged(doc))) : await doc.textSoon(readUnchanged);
      if (input === undefined || this.fieldFills.get(doc) !== fill) continue;
      // Once a read has filled the fields (or a build or a change replaced the document), the rest of this parse
      // would only take slices from everything else.
      const stillNeeded = () => !this.disposed && !this.building && this.fieldFills.get(doc) === fill;
      const nextSlice = async () => {
        await yieldToEventLoop();
        if (!stillNeeded()) throw FIELDS_NO_LONGER_NEEDED;
      };
      try {
        if (typeof input === 'string') {
          const parsed = await parseSliced!(input, {}, nextSlice, SLICE_MS);
          if (stillNeeded()) fill(parsed.value);
        } else {
          const { parse, pieces } = await parsePieces!(utf8Chunks(input, DECODE_CHUNK), { lineBreak: lineBreakOf(input) }, nextSlice, SLICE_MS);
          if (stillNeeded()) {
            doc.keepPieces(pieces);
            fill(parse.value);
          }
        }
      } catch (e) {
        if (e === FIELDS_NO_LONGER_NEEDED) continue;
        this.logger.warn(`Could not read the fields of ${this.displayPath(doc.uri)} ahead of use: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /**
   * After a build, the line maps of large documents that have none yet (those a warm start took from the cache),
   * built in slices before their first use would build them in one block. A bibliography's map waits for the pieces
   * its field parse keeps: its text is never joined into one string.
   */
  private async prefetchLineMaps(): Promise<void> {
    for (const doc of [...this.docs.values()]) {
      if (this.disposed || this.building) return;
      if (doc.sizeHint <= this.slicedParseBytes || doc.hasLineMap || this.docs.get(doc.uri) !== doc) continue;
      const text = doc.pieces ?? (doc.kind === 'bibtex' ? undefined : await doc.textSoon((d) => this.readUnchanged(d)));
      if (text === undefined || this.docs.get(doc.uri) !== doc) continue;
      doc.keepLineMap(await LineMap.sliced(text, yieldToEventLoop, SLICE_MS));
    }
  }

  private addDocument(doc: Document | undefined): void {
    if (!doc) return;
    const uri = doc.uri;
    const c = doc.contributions;
    this.docs.set(uri, doc);
    for (const key of c.definedKeys) this.definitions.add(key, uri);
    if (this.citingIndex) for (const key of c.citedKeys) this.citingIndex.add(key, uri);
    if (c.noteKey !== undefined) this.noteSites.add(c.noteKey, uri);
    if (c.facets) for (const f of FACETS) for (const value of c.facets[f]) this.facets[f].add(value, uri);
    if (c.bibliographyFiles) {
      const scope = new Set<string>([uri, ...this.extraBibliographies]);
      for (const path of c.bibliographyFiles) scope.add(resolveReference(uri, path));
      this.scopes.set(uri, scope);
    }
    if (c.safetyCase) this.safetyCaseUris.add(uri);
  }

  private removeDocument(uri: string): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    const c = doc.contributions;
    this.docs.delete(uri);
    for (const key of c.definedKeys) this.definitions.remove(key, uri);
    if (this.citingIndex) for (const key of c.citedKeys) this.citingIndex.remove(key, uri);
    if (c.noteKey !== undefined) this.noteSites.remove(c.noteKey, uri);
    if (c.facets) for (const f of FACETS) for (const value of c.facets[f]) this.facets[f].remove(value, uri);
    this.scopes.delete(uri);
    this.safetyCaseUris.delete(uri);
  }

  private recheckSafetyCases(): void {
    if (this.safetyCaseUris.size === 0) {
      this.safetyDiagnostics = new Map();
      return;
    }
    const modules = [...this.safetyCaseUris].sort().map((u) => this.docs.get(u)!.safetyCase!);
    try {
      this.safetyDiagnostics = this.parsers.checkSafetyCases(modules, {
        resolve: (key) => {
          const paper = this.resolve(key);
          return paper && { status: paper.notes.find((n) => n.note.status !== undefined)?.note.status };
        },
      });
    } catch (e) {
      this.logger.error(`Safety-case check failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      this.safetyDiagnostics = new Map();
    }
  }

  /** Drops memoized answers; `keysChanged` also drops the key list and the suggestion index. */
  private invalidate(keysChanged: boolean): void {
    this.diagnosticsMemo = new Map();
    if (keysChanged) {
      this.keysMemo = undefined;
      this.suggester = undefined;
      this.suggestMemo.clear();
    }
  }

  private onFileChange(change: FileChange): void {
    if (this.disposed) return;
    if (this.accepts(change.uri) || this.docs.has(change.uri)) this.enqueue(change.uri);
    if (change.type === 'deleted') {
      // A deleted folder arrives as one event for the folder itself.
      const prefix = change.uri.replace(/\/+$/, '') + '/';
      for (const uri of this.docs.keys()) if (uri.startsWith(prefix)) this.enqueue(uri);
    }
  }

  private enqueue(uri: string): void {
    this.pending.add(uri);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.disposed || this.building) return;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.flushNow();
    }, this.debounceMs);
  }

  /** Applies queued changes now (the debounce timer calls this; `ready()` calls it to skip the wait). */
  private flushNow(): Promise<void> {
    if (this.debounceTimer) {
      clearTimeout(this.debounceTimer);
      this.debounceTimer = undefined;
    }
    this.flushPromise ??= this.applyPending().then(
      (change) => this.flushDone(change),
      (e: unknown) => {
        this.logger.error(`Update failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        this.flushDone(undefined);
      },
    );
    return this.flushPromise;
  }

  /** Ends a flush; listeners hear of the change only now, so `indexing` is already false for the last one. */
  private flushDone(change: IndexChange | undefined): void {
    this.flushPromise = undefined;
    if (change) this.changeEmitter.fire(change);
    if (this.pending.size > 0) this.scheduleFlush();
  }

  private async applyPending(): Promise<IndexChange | undefined> {
    if (this.building) return undefined;
    const uris = [...this.pending].sort();
    this.pending.clear();
    const changed: string[] = [];
    let keysChanged = false;
    const slicer = new TimeSlicer();
    for (const uri of uris) {
      // Overlays follow the same include/exclude rules as files on disk.
      const loaded = this.accepts(uri) ? await this.load(uri) : ({ state: 'absent' } as const);
      if (this.building) return undefined;
      if (loaded.state === 'unchanged') continue;
      const after = loaded.state === 'absent' ? undefined : await this.makeDocumentSoon(uri, loaded);
      if (this.disposed) return undefined;
      // Read after a sliced parse: the document stays in place, whole, until its replacement is complete. A
      // change that arrived meanwhile is queued and applied by the next flush, so the newest text wins.
      const before = this.docs.get(uri);
      if (!before && !after) continue;
      if (before) this.removeDocument(uri);
      this.addDocument(after);
      if (!sameKeys(before, after)) keysChanged = true;
      changed.push(uri);
      await slicer.pauseIfOver();
    }
    if (changed.length === 0) return undefined;
    this.recheckSafetyCases();
    this.invalidate(keysChanged);
    this.scheduleCacheSave();
    return { uris: changed, full: false };
  }

  private scheduleCacheSave(): void {
    if (!this.cache || this.disposed || this.cacheTimer) return;
    this.cacheTimer = setTimeout(() => {
      this.cacheTimer = undefined;
      void this.saveCache();
    }, CACHE_SAVE_DELAY_MS);
    (this.cacheTimer as { unref?: () => void }).unref?.();
  }

  /** Writes the parse cache now (the CLI and tests call this instead of waiting for the timer). */
  async saveCache(): Promise<void> {
    if (!this.cache) return;
    if (this.cacheTimer) {
      clearTimeout(this.cacheTimer);
      this.cacheTimer = undefined;
    }
    const rows = new Map<string, CacheRow>();
    // Overlay text is not on disk; caching it would only ever miss.
    for (const doc of this.docs.values()) {
      if (this.overlays.has(doc.uri)) continue;
      rows.set(doc.uri, doc.cacheRow());
    }
    try {
      const steps = encodeCacheSteps(rows, this.fingerprint());
      const slicer = new TimeSlicer();
      let step = steps.next();
      while (!step.done) {
        await slicer.pauseIfOver();
        step = steps.next();
      }
      await this.cache.set(CACHE_KEY, step.value);
    } catch (e) {
      this.logger.warn(`Could not write the index cache: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Whether two versions of a document contribute the same set of known keys (so suggestions stay valid). */
function sameKeys(before: Document | undefined, after: Document | undefined): boolean {
  const keysOf = (d: Document | undefined): string =>
    d ? [...d.contributions.definedKeys, d.contributions.noteKey ?? ''].join('\u0000') : '';
  return keysOf(before) === keysOf(after);
}
