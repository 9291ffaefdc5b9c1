// The workspace index: every document parsed once, reverse maps for cross-file questions, incremental
// updates per file. Parse-level facts come from `analyzeDocument`; everything that depends on more than one
// file (resolution, duplicates, unresolved keys, safety-case checks) is derived from the reverse maps on
// demand and memoized until the next batch, so an update never has to revisit unrelated documents.
import { corpusPaperByKey } from '../corpus/corpus';
import type { CorpusData, CorpusPaper } from '../corpus/types';
import { compileGlobs, type PathMatcher } from '../glob';
import { hashBytes, hashString } from '../hash';
import type { BibEntry, Citation, CoreDiagnostic, PaperInfo, PaperNote } from '../model';
import { LineMap } from '../text';
import { hasScheme, resolveReference, uriJoin, uriRelative } from '../uri';
import type { CacheStore, CoreConfig, Disposable, FileChange, Logger, WorkspaceFs } from '../workspace';
import { analyzeDocument, type Analysis, type DocumentParsers } from './analyze';
import { CACHE_KEY, CACHE_SCHEMA, decodeCache, encodeCache, type CacheRow } from './cacheCodec';
import { documentKind, isBinary, kindFromName } from './classify';
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
  parsers: DocumentParsers;
  /** Quiet period that groups bursts of changes into one batch (default 50 ms). */
  debounceMs?: number;
}

type Facet = 'tags' | 'methods' | 'problems';
const FACETS: Facet[] = ['tags', 'methods', 'problems'];
const BIBLIOGRAPHY_KINDS: ReadonlySet<DocumentKind> = new Set(['bibtex', 'csl-json', 'csl-yaml']);
/** Longest stretch of synchronous work before yielding to the event loop. */
const SLICE_MS = 5;
/** Files read ahead of the parser during a build. */
const READ_AHEAD = 32;
const CACHE_SAVE_DELAY_MS = 2000;
const SNIFF_BYTES = 4096;

const now = (): number => performance.now();
const nextTick = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Where a document's text comes from: disk bytes (decoded only when needed) or editor text. */
type Source = { bytes: Uint8Array; text?: undefined } | { text: string; bytes?: undefined };

/**
 * An indexed document. Its text and line map are built on first use: most documents are never shown, and a
 * cache hit needs neither. Disk content is kept as UTF-8 bytes, half the size of a two-byte JS string.
 */
class Document implements IndexedDocument {
  readonly citations: Citation[];
  readonly crossRefs: IndexedDocument['crossRefs'];
  readonly entries: BibEntry[];
  readonly diagnostics: CoreDiagnostic[];
  frontmatter?: IndexedDocument['frontmatter'];
  note?: PaperNote;
  bibliography?: IndexedDocument['bibliography'];
  safetyCase?: IndexedDocument['safetyCase'];
  reduced?: IndexedDocument['reduced'];
  readonly kind: DocumentKind;
  private lines?: LineMap;
  private decoded?: string;

  constructor(
    readonly uri: string,
    readonly hash: string,
    private readonly source: Source,
    readonly analysis: Analysis,
  ) {
    this.kind = analysis.kind;
    this.citations = analysis.citations;
    this.crossRefs = analysis.crossRefs;
    this.entries = analysis.entries;
    this.diagnostics = analysis.diagnostics;
    if (analysis.frontmatter) this.frontmatter = analysis.frontmatter;
    if (analysis.note) this.note = analysis.note;
    if (analysis.bibliography) this.bibliography = analysis.bibliography;
    if (analysis.safetyCase) this.safetyCase = analysis.safetyCase;
    if (analysis.reduced) this.reduced = analysis.reduced;
  }

  get text(): string {
    return this.source.text ?? (this.decoded ??= utf8.decode(this.source.bytes));
  }

  get lineMap(): LineMap {
    return (this.lines ??= new LineMap(this.text));
  }
}

/**
 * key → sites. Most keys have one or two sites, so a flat array per key (removal by filtering) is smaller and
 * faster than a map per key; answers are sorted by uri on the way out, keeping document order within a uri.
 */
class MultiMap<T> {
  private readonly map = new Map<string, { uri: string; item: T }[]>();

  add(key: string, uri: string, item: T): void {
    const list = this.map.get(key);
    if (list) list.push({ uri, item });
    else this.map.set(key, [{ uri, item }]);
  }

  removeUri(key: string, uri: string): void {
    const list = this.map.get(key);
    if (!list) return;
    const kept = list.filter((s) => s.uri !== uri);
    if (kept.length === 0) this.map.delete(key);
    else this.map.set(key, kept);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  uris(key: string): string[] {
    const list = this.map.get(key);
    if (!list) return [];
    const uris = list.length === 1 ? [list[0].uri] : [...new Set(list.map((s) => s.uri))];
    return uris.sort();
  }

  /** Items in uri order, document order within a uri. */
  sites(key: string): { uri: string; item: T }[] {
    const list = this.map.get(key);
    if (!list) return [];
    return list.length === 1 ? [list[0]] : [...list].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  clear(): void {
    this.map.clear();
  }
}

/**
 * key → uris of the documents that cite it (each uri once). Citations themselves stay in their documents:
 * a long review cites the same keys thousands of times, and one entry per (key, document) keeps updates cheap.
 */
class CitingDocuments {
  private readonly map = new Map<string, string[]>();

  addDocument(uri: string, citations: readonly Citation[]): void {
    let previous: string | undefined;
    for (const { key } of citations) {
      if (key === previous) continue;
      previous = key;
      const list = this.map.get(key);
      if (!list) this.map.set(key, [uri]);
      else if (list[list.length - 1] !== uri && !list.includes(uri)) list.push(uri);
    }
  }

  removeDocument(uri: string, citations: readonly Citation[]): void {
    for (const { key } of citations) {
      const list = this.map.get(key);
      if (!list) continue;
      const at = list.indexOf(uri);
      if (at < 0) continue;
      if (list.length === 1) this.map.delete(key);
      else list.splice(at, 1);
    }
  }

  uris(key: string): string[] {
    return [...(this.map.get(key) ?? [])].sort();
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

type Loaded = { state: 'unchanged' } | { state: 'absent' } | { state: 'loaded'; hash: string; source: Source; byteLength: number };

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
  private config: CoreConfig;
  private includeMatcher!: PathMatcher;
  private excludeMatcher!: PathMatcher;
  private extraBibliographies = new Set<string>();

  private readonly docs = new Map<string, Document>();
  private readonly overlays = new Map<string, string>();
  private readonly definitions = new MultiMap<BibEntry>();
  private readonly noteSites = new MultiMap<PaperNote>();
  private readonly citing = new CitingDocuments();
  private readonly facets: Record<Facet, MultiMap<PaperNote>> = {
    tags: new MultiMap(),
    methods: new MultiMap(),
    problems: new MultiMap(),
  };
  /** Documents with `bibliography:` files → the entry sources they resolve against. */
  private readonly scopes = new Map<string, Set<string>>();
  private readonly safetyCaseUris = new Set<string>();
  private safetyDiagnostics = new Map<string, CoreDiagnostic[]>();

  // Answers derived from the maps, valid until the next change.
  private diagnosticsMemo = new Map<string, CoreDiagnostic[]>();
  private keysMemo?: string[];
  private suggester?: KeySuggester;
  private readonly suggestMemo = new Map<string, string[]>();
  private readonly infoMemo = new WeakMap<BibEntry, PaperInfo>();

  private readonly changeEmitter = new Emitter<IndexChange>();
  private readonly progressEmitter = new Emitter<IndexProgress>();
  private watcher?: Disposable;
  private building = false;
  private buildPromise?: Promise<void>;
  private readonly pending = new Set<string>();
  private debounceTimer?: ReturnType<typeof setTimeout>;
  private flushPromise?: Promise<void>;
  private cacheRows = new Map<string, CacheRow>();
  private cacheTimer?: ReturnType<typeof setTimeout>;
  private disposed = false;
  /** Settings fingerprint the documents in memory were analysed under. */
  private builtFingerprint = '';

  constructor(options: WorkspaceIndexOptions) {
    this.fs = options.fs;
    this.logger = options.logger;
    this.cache = options.cache;
    this.parsers = options.parsers;
    this.corpus = options.corpus ?? options.parsers.loadCorpus();
    this.debounceMs = options.debounceMs ?? 50;
    this.config = options.config;
    this.compileConfig();
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  get indexing(): boolean {
    return this.building || this.buildPromise !== undefined || this.pending.size > 0 || this.flushPromise !== undefined;
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
    const run = (this.buildPromise ?? Promise.resolve()).then(() => this.build());
    this.buildPromise = run;
    return run;
  }

  /** Resolves once the build and every queued change have been applied. */
  async ready(): Promise<void> {
    for (;;) {
      const build = this.buildPromise;
      if (build) {
        await build;
        if (this.buildPromise === build) this.buildPromise = undefined;
      } else if (this.flushPromise) await this.flushPromise;
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
    for (const { uri, item } of this.definitions.sites(key)) if (!scope || scope.has(uri)) entries.push({ uri, entry: item });
    const notes: NoteSite[] = this.noteSites.sites(key).map(({ uri, item }) => ({ uri, note: item }));
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
    for (const uri of this.citing.uris(key)) {
      for (const citation of this.docs.get(uri)!.citations) if (citation.key === key) out.push({ uri, citation });
    }
    return out;
  }

  unresolved(): CitationSite[] {
    const out: CitationSite[] = [];
    for (const uri of [...this.docs.keys()].sort()) {
      for (const citation of this.docs.get(uri)!.citations) if (!this.resolves(citation.key, uri)) out.push({ uri, citation });
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
    return this.facets[field].sites(value).map(({ uri, item }) => ({ uri, note: item }));
  }

  diagnostics(uri: string): CoreDiagnostic[] {
    let found = this.diagnosticsMemo.get(uri);
    if (!found) {
      found = this.computeDiagnostics(uri);
      this.diagnosticsMemo.set(uri, found);
    }
    return found;
  }

  allDiagnostics(): Map<string, CoreDiagnostic[]> {
    const out = new Map<string, CoreDiagnostic[]>();
    for (const uri of [...this.docs.keys()].sort()) {
      const list = this.diagnostics(uri);
      if (list.length > 0) out.set(uri, list);
    }
    return out;
  }

  /** gsn2x's `Error: (module) ID: text` line for a safety-case diagnostic of a document, else undefined. */
  formatSafetyCaseDiagnostic(uri: string, diagnostic: CoreDiagnostic): string | undefined {
    const module = this.docs.get(uri)?.safetyCase;
    return module && diagnostic.code.startsWith('gsn-') ? this.parsers.formatGsn2x(module.name, diagnostic) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Resolution helpers

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

  private computeDiagnostics(uri: string): CoreDiagnostic[] {
    const doc = this.docs.get(uri);
    if (!doc) return [];
    const out = [...doc.diagnostics];
    const scope = this.scopes.get(uri);
    for (const citation of doc.citations) {
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
        const others = this.definitions
          .uris(entry.key)
          .filter((u) => u !== uri && BIBLIOGRAPHY_KINDS.has(this.docs.get(u)!.kind) && this.docs.get(u)!.entries.some((e) => e.key === entry.key));
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
      const listed = await this.fs.list(this.config.include, this.config.exclude);
      const uris = new Set(listed.filter((u) => this.accepts(u)));
      for (const uri of this.extraBibliographies) uris.add(uri);
      for (const uri of this.overlays.keys()) if (this.accepts(uri)) uris.add(uri);
      const ordered = [...uris].sort();
      // Queued changes are covered by this full read.
      this.pending.clear();
      this.clearState();
      const total = ordered.length;
      this.progressEmitter.fire({ done: 0, total });
      const reads = new Map<number, Promise<Loaded>>();
      let sliceStart = now();
      for (let i = 0; i < total; i++) {
        for (let j = i; j < Math.min(total, i + READ_AHEAD); j++) if (!reads.has(j)) reads.set(j, this.load(ordered[j]));
        const loaded = await reads.get(i)!;
        reads.delete(i);
        if (loaded.state === 'loaded') this.addDocument(this.makeDocument(ordered[i], loaded));
        if (now() - sliceStart > SLICE_MS) {
          this.progressEmitter.fire({ done: i + 1, total });
          await nextTick();
          sliceStart = now();
        }
      }
      this.recheckSafetyCases();
      this.invalidate(true);
      this.cacheRows = new Map();
      this.builtFingerprint = this.fingerprint();
      this.progressEmitter.fire({ done: total, total });
      this.logger.info(`Indexed ${this.docs.size} of ${total} files in ${Math.round(now() - started)} ms.`);
    } catch (e) {
      this.logger.error(`Indexing failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    } finally {
      this.building = false;
    }
    this.changeEmitter.fire({ uris: [], full: true });
    this.scheduleCacheSave();
    if (this.pending.size > 0) this.scheduleFlush();
  }

  private clearState(): void {
    this.docs.clear();
    this.definitions.clear();
    this.noteSites.clear();
    this.citing.clear();
    for (const f of FACETS) this.facets[f].clear();
    this.scopes.clear();
    this.safetyCaseUris.clear();
    this.safetyDiagnostics = new Map();
  }

  private async loadCacheRows(): Promise<void> {
    // Documents already in memory are the best cache for a rebuild (same settings fingerprint only).
    const rows = new Map<string, CacheRow>();
    if (this.docs.size > 0 && this.cacheRows.size === 0 && this.builtFingerprint === this.fingerprint()) {
      for (const doc of this.docs.values()) rows.set(doc.uri, { hash: doc.hash, analysis: doc.analysis });
      this.cacheRows = rows;
      return;
    }
    if (!this.cache || this.cacheRows.size > 0) return;
    try {
      const bytes = await this.cache.get(CACHE_KEY);
      if (!bytes) return;
      const decoded = decodeCache(bytes, this.fingerprint());
      if (typeof decoded === 'string') this.logger.info(`Ignoring the index cache: ${decoded}.`);
      else this.cacheRows = decoded;
    } catch (e) {
      this.logger.warn(`Could not read the index cache: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async load(uri: string): Promise<Loaded> {
    const existing = this.docs.get(uri);
    const overlay = this.overlays.get(uri);
    if (overlay !== undefined) {
      const hash = hashString(overlay);
      if (existing?.hash === hash) return { state: 'unchanged' };
      return { state: 'loaded', hash, source: { text: overlay }, byteLength: overlay.length };
    }
    try {
      const stat = await this.fs.stat(uri);
      if (!stat) return { state: 'absent' };
      if (stat.size > this.config.maxFileBytes) {
        this.logger.info(`Skipping ${this.displayPath(uri)}: ${stat.size} bytes is over the ${this.config.maxFileBytes}-byte limit.`);
        return { state: 'absent' };
      }
      const bytes = await this.fs.read(uri);
      if (isBinary(bytes)) {
        this.logger.info(`Skipping ${this.displayPath(uri)}: binary content.`);
        return { state: 'absent' };
      }
      const hash = hashBytes(bytes);
      if (existing?.hash === hash) return { state: 'unchanged' };
      return { state: 'loaded', hash, source: { bytes }, byteLength: bytes.length };
    } catch (e) {
      this.logger.warn(`Could not read ${this.displayPath(uri)}: ${e instanceof Error ? e.message : String(e)}`);
      return { state: 'absent' };
    }
  }

  private makeDocument(uri: string, loaded: { hash: string; source: Source; byteLength: number }): Document | undefined {
    const { source } = loaded;
    // JSON and YAML are sniffed from their first bytes only, so a cache hit never decodes the whole file.
    const head = source.text ?? utf8.decode(source.bytes.subarray(0, SNIFF_BYTES));
    const kind = documentKind(uri, head);
    if (!kind) return undefined;
    const cached = this.cacheRows.get(uri);
    let analysis: Analysis;
    if (cached && cached.hash === loaded.hash && cached.analysis.kind === kind) {
      analysis = cached.analysis;
    } else {
      try {
        const text = source.text ?? utf8.decode(source.bytes);
        analysis = analyzeDocument(uri, kind, text, loaded.byteLength, this.config, this.parsers);
      } catch (e) {
        // Parsers promise not to throw; if one does, the file still gets indexed with the failure visible.
        this.logger.error(`Parser failure on ${this.displayPath(uri)}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        analysis = {
          kind,
          citations: [],
          crossRefs: [],
          entries: [],
          diagnostics: [{ span: { start: 0, end: 0 }, severity: 'error', code: 'internal-error', message: `Could not analyse this file: ${e instanceof Error ? e.message : String(e)}` }],
        };
      }
    }
    if (analysis.reduced) this.logger.info(`${this.displayPath(uri)} is large (${loaded.byteLength} bytes): indexed as ${analysis.reduced}.`);
    const doc = new Document(uri, loaded.hash, source, analysis);
    if (analysis.fieldsDeferred) this.deferFields(doc);
    return doc;
  }

  /**
   * A cached bibliography stores no field values (they are most of its size); the first entry whose fields
   * are read re-parses the file once and fills every entry.
   */
  private deferFields(doc: Document): void {
    let filled = false;
    const fill = () => {
      if (filled) return;
      filled = true;
      const parsed = this.parsers.parseBibtex(doc.text, {}).value;
      const byStart = new Map(parsed.map((e) => [e.span.start, e]));
      for (const entry of doc.entries) {
        const fresh = byStart.get(entry.span.start);
        Object.defineProperty(entry, 'fields', { value: fresh?.key === entry.key ? fresh.fields : undefined, writable: true, enumerable: true, configurable: true });
      }
    };
    for (const entry of doc.entries) {
      Object.defineProperty(entry, 'fields', {
        get: () => (fill(), entry.fields),
        enumerable: true,
        configurable: true,
      });
    }
  }

  private addDocument(doc: Document | undefined): void {
    if (!doc) return;
    const uri = doc.uri;
    this.docs.set(uri, doc);
    for (const entry of doc.entries) {
      this.definitions.add(entry.key, uri, entry);
      for (const alias of entry.aliases ?? []) if (alias !== entry.key) this.definitions.add(alias, uri, entry);
    }
    this.citing.addDocument(uri, doc.citations);
    const note = doc.note;
    if (note) {
      if (note.citekey !== undefined) this.noteSites.add(note.citekey, uri, note);
      for (const f of FACETS) for (const value of note[f]) this.facets[f].add(value, uri, note);
    }
    if (doc.bibliography && doc.bibliography.files.length > 0) {
      const scope = new Set<string>([uri, ...this.extraBibliographies]);
      for (const file of doc.bibliography.files) scope.add(resolveReference(uri, file.path));
      this.scopes.set(uri, scope);
    }
    if (doc.safetyCase) this.safetyCaseUris.add(uri);
  }

  private removeDocument(uri: string): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    this.docs.delete(uri);
    for (const entry of doc.entries) {
      this.definitions.removeUri(entry.key, uri);
      for (const alias of entry.aliases ?? []) this.definitions.removeUri(alias, uri);
    }
    this.citing.removeDocument(uri, doc.citations);
    const note = doc.note;
    if (note) {
      if (note.citekey !== undefined) this.noteSites.removeUri(note.citekey, uri);
      for (const f of FACETS) for (const value of note[f]) this.facets[f].removeUri(value, uri);
    }
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
    this.flushPromise ??= this.applyPending().finally(() => {
      this.flushPromise = undefined;
      if (this.pending.size > 0) this.scheduleFlush();
    });
    return this.flushPromise;
  }

  private async applyPending(): Promise<void> {
    if (this.building) return;
    const uris = [...this.pending].sort();
    this.pending.clear();
    const changed: string[] = [];
    let keysChanged = false;
    let sliceStart = now();
    for (const uri of uris) {
      // Overlays follow the same include/exclude rules as files on disk.
      const loaded = this.accepts(uri) ? await this.load(uri) : ({ state: 'absent' } as const);
      if (this.building) return;
      if (loaded.state === 'unchanged') continue;
      const before = this.docs.get(uri);
      const after = loaded.state === 'loaded' ? this.makeDocument(uri, loaded) : undefined;
      if (!before && !after) continue;
      if (before) this.removeDocument(uri);
      this.addDocument(after);
      if (!sameKeys(before, after)) keysChanged = true;
      changed.push(uri);
      if (now() - sliceStart > SLICE_MS) {
        await nextTick();
        sliceStart = now();
      }
    }
    if (changed.length === 0) return;
    this.recheckSafetyCases();
    this.invalidate(keysChanged);
    this.changeEmitter.fire({ uris: changed, full: false });
    this.scheduleCacheSave();
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
    for (const doc of this.docs.values()) if (!this.overlays.has(doc.uri)) rows.set(doc.uri, { hash: doc.hash, analysis: doc.analysis });
    try {
      await this.cache.set(CACHE_KEY, encodeCache(rows, this.fingerprint()));
    } catch (e) {
      this.logger.warn(`Could not write the index cache: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Whether two versions of a document contribute the same set of known keys (so suggestions stay valid). */
function sameKeys(before: Document | undefined, after: Document | undefined): boolean {
  const keysOf = (d: Document | undefined): string => {
    if (!d) return '';
    const keys = d.entries.flatMap((e) => [e.key, ...(e.aliases ?? [])]);
    if (d.note?.citekey !== undefined) keys.push(d.note.citekey);
    return keys.join('\u0000');
  };
  return keysOf(before) === keysOf(after);
}
