// Every known paper with its search text, rebuilt lazily after index changes. Shared by completion, the
// insert-citation picker and the Papers view so a 20k-key workspace is resolved once per change, not per keystroke.
import type { ReviewIndex } from '../core/index/types';
import type { Disposable } from '../core/workspace';
import { matchScore, queryTokens, searchText, type SearchablePaper } from './paperSearch';

export interface CatalogPaper extends SearchablePaper {
  haystack: string;
  hasNote: boolean;
  hasEntry: boolean;
}

export class PaperCatalog implements Disposable {
  private cached: CatalogPaper[] | undefined;
  private readonly subscription: Disposable;

  constructor(private readonly index: ReviewIndex) {
    this.subscription = index.onDidChange(() => (this.cached = undefined));
  }

  papers(): readonly CatalogPaper[] {
    if (this.cached) return this.cached;
    const out: CatalogPaper[] = [];
    for (const key of this.index.keys()) {
      const paper = this.index.resolve(key);
      if (!paper) continue;
      const hasEntry = paper.entries.length > 0;
      const hasNote = paper.notes.length > 0;
      const searchable: SearchablePaper = { key, info: paper.info, fromCorpus: !!paper.corpus && !hasEntry && !hasNote };
      out.push({ ...searchable, haystack: searchText(searchable), hasEntry, hasNote });
    }
    out.sort((a, b) => a.key.localeCompare(b.key));
    this.cached = out;
    return out;
  }

  /** Papers matching every token of `query`, best first. */
  search(query: string, limit = Infinity): { paper: CatalogPaper; score: number }[] {
    const tokens = queryTokens(query);
    const scored: { paper: CatalogPaper; score: number }[] = [];
    for (const paper of this.papers()) {
      const score = matchScore(paper, tokens, paper.haystack);
      if (score !== undefined) scored.push({ paper, score });
    }
    scored.sort((a, b) => a.score - b.score || a.paper.key.localeCompare(b.paper.key));
    return scored.slice(0, limit);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
