// Every known paper with its search text, rebuilt lazily after index changes. Shared by completion, the
// insert-citation picker and the Papers view so a 20k-key workspace is resolved once per change, not per keystroke.
// Resolving 20,000 keys takes over 100 ms, so the editor's callers wait for a build in time slices (`searchSoon`).
import type { ReviewIndex } from '../core/index/types';
import type { Disposable } from '../core/workspace';
import { indexedPaper, PaperSearch, type IndexedPaper, type SearchablePaper } from './paperSearch';
import { TimeSlicer } from '../core/timeSlice';

export interface CatalogPaper extends IndexedPaper {
  hasNote: boolean;
  hasEntry: boolean;
}

export class PaperCatalog implements Disposable {
  private cached: CatalogPaper[] | undefined;
  /** Bumped by every index change: a sliced build that saw one is answered but not kept. */
  private generation = 0;
  /** The sliced build in progress, and the index state it started from. */
  private building: { generation: number; papers: Promise<readonly CatalogPaper[]> } | undefined;
  private readonly subscription: Disposable;
  /** One search index per catalog build, made on its first search. */
  private readonly searches = new WeakMap<readonly CatalogPaper[], PaperSearch<CatalogPaper>>();

  constructor(private readonly index: ReviewIndex) {
    this.subscription = index.onDidChange(() => {
      this.cached = undefined;
      this.generation++;
    });
  }

  papers(): readonly CatalogPaper[] {
    if (this.cached) return this.cached;
    const out: CatalogPaper[] = [];
    for (const key of this.index.keys()) this.add(out, key);
    this.cached = sortByKey(out);
    return this.cached;
  }

  /** The catalog, built in time slices when it is not current. */
  prepare(): Promise<readonly CatalogPaper[]> {
    if (this.cached) return Promise.resolve(this.cached);
    // A build that started before the latest change may miss what it brought; its own callers still get it.
    if (this.building?.generation !== this.generation) {
      const building = { generation: this.generation, papers: this.buildInSlices(this.generation) };
      // Once settled it is either kept in `cached` or out of date; a failed build is not handed out again.
      const settled = () => {
        if (this.building === building) this.building = undefined;
      };
      building.papers.then(settled, settled);
      this.building = building;
    }
    return this.building.papers;
  }

  /** Papers matching every token of `query`, best first. */
  search(query: string, limit = Infinity): { paper: CatalogPaper; score: number }[] {
    return this.rank(this.papers(), query, limit);
  }

  /** `search` without blocking the host while the catalog is rebuilt. */
  async searchSoon(query: string, limit = Infinity): Promise<{ paper: CatalogPaper; score: number }[]> {
    return this.rank(await this.prepare(), query, limit);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private rank(papers: readonly CatalogPaper[], query: string, limit: number): { paper: CatalogPaper; score: number }[] {
    let search = this.searches.get(papers);
    if (!search) this.searches.set(papers, (search = new PaperSearch(papers)));
    return search.rank(query, limit);
  }

  private async buildInSlices(generation: number): Promise<readonly CatalogPaper[]> {
    const slicer = new TimeSlicer();
    const out: CatalogPaper[] = [];
    for (const key of [...this.index.keys()]) {
      this.add(out, key);
      await slicer.pauseIfOver();
    }
    sortByKey(out);
    // A change during the build leaves a mix of before and after: good enough for this answer, not to keep.
    if (generation === this.generation && !this.cached) this.cached = out;
    return out;
  }

  private add(out: CatalogPaper[], key: string): void {
    const paper = this.index.resolve(key);
    if (!paper) return;
    const hasEntry = paper.entries.length > 0;
    const hasNote = paper.notes.length > 0;
    const searchable: SearchablePaper = { key, info: paper.info, fromCorpus: !!paper.corpus && !hasEntry && !hasNote };
    out.push({ ...indexedPaper(searchable), hasEntry, hasNote });
  }
}

function sortByKey(papers: CatalogPaper[]): CatalogPaper[] {
  return papers.sort((a, b) => a.key.localeCompare(b.key));
}
