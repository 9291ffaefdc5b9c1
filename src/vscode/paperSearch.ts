// Matching a typed query ("nanda 2023", "elhage toy") against papers: every token must occur in the key or
// start a word of the title, an author's name or the year. Pure; used by completion and the insert-citation picker.
import type { PaperInfo } from '../core/model';

export interface SearchablePaper {
  key: string;
  info: PaperInfo;
  fromCorpus: boolean;
}

/** Lower-cased, accents stripped, so "Olah" matches "olah" and "Schölkopf" matches "scholkopf". */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function queryTokens(query: string): string[] {
  return fold(query)
    .split(/[\s,;]+/)
    .filter(Boolean);
}

/** Words of the metadata, each preceded by a space, so `includes(' ' + token)` is a word-prefix test. */
export function searchText(paper: SearchablePaper): string {
  const { info } = paper;
  const words = fold([info.title ?? '', info.authors.join(' '), info.year ?? ''].join(' '))
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return ` ${words.join(' ')}`;
}

/**
 * Lower is better; undefined means no match. Key prefix beats key substring beats metadata. A catalog passes the
 * haystack and the folded key it keeps, so a keystroke over 20,000 papers folds nothing.
 */
export function matchScore(paper: SearchablePaper, tokens: readonly string[], haystack = searchText(paper), foldedKey = fold(paper.key)): number | undefined {
  if (tokens.length === 0) return paper.fromCorpus ? 1 : 0;
  let score = 0;
  for (const token of tokens) {
    if (foldedKey.startsWith(token)) continue;
    if (foldedKey.includes(token)) score += 1;
    else if (haystack.includes(` ${token}`)) score += 2;
    else return undefined;
  }
  return score * 2 + (paper.fromCorpus ? 1 : 0);
}
