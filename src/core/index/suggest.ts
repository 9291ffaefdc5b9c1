// "Did you mean" for unknown citation keys. Comparing against 20k keys with full edit distance would be slow,
// so candidates are pre-filtered by length and by shared character bigrams before a bounded Levenshtein.

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`. */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

export class KeySuggester {
  /** Bigram → indexes of keys containing it. */
  private readonly postings = new Map<string, number[]>();
  private readonly lowered: string[];

  constructor(private readonly keys: readonly string[]) {
    this.lowered = keys.map((k) => k.toLowerCase());
    this.lowered.forEach((k, index) => {
      for (const g of bigrams(k)) {
        let list = this.postings.get(g);
        if (!list) this.postings.set(g, (list = []));
        list.push(index);
      }
    });
  }

  /** Up to `limit` keys within an edit distance of about a third of the key's length, closest first. */
  suggest(key: string, limit = 3): string[] {
    const query = key.toLowerCase();
    const maxDistance = Math.max(1, Math.min(4, Math.floor(query.length / 3)));
    const queryGrams = bigrams(query);
    // Each edit destroys at most two bigrams, so a match shares at least |grams| - 2·maxDistance of them.
    const needed = Math.max(1, queryGrams.size - 2 * maxDistance);
    const shared = new Map<number, number>();
    for (const g of queryGrams) {
      for (const index of this.postings.get(g) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
    }
    const scored: { key: string; distance: number }[] = [];
    const consider = (index: number) => {
      const candidate = this.lowered[index];
      if (Math.abs(candidate.length - query.length) > maxDistance) return;
      const distance = boundedEditDistance(query, candidate, maxDistance);
      if (distance <= maxDistance && this.keys[index] !== key) scored.push({ key: this.keys[index], distance });
    };
    if (queryGrams.size === 0 || queryGrams.size <= 2 * maxDistance) {
      // Very short keys share too few bigrams to filter on; there are few enough candidates by length.
      for (let i = 0; i < this.keys.length; i++) consider(i);
    } else {
      for (const [index, count] of shared) if (count >= needed) consider(index);
    }
    scored.sort((a, b) => a.distance - b.distance || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return scored.slice(0, limit).map((s) => s.key);
  }
}
