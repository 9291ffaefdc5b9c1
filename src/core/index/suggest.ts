// "Did you mean" for unknown citation keys. Comparing against 20k keys with full edit distance would be slow,
// so candidates are pre-filtered by length and by shared character bigrams before a bounded Levenshtein.

/**
 * The character bigram at `i`, as one number (two UTF-16 code units). Numbers instead of two-character strings:
 * indexing 20,000 keys took 30-50 ms in plain Node with strings.
 */
function bigramAt(s: string, i: number): number {
  return s.charCodeAt(i) * 0x10000 + s.charCodeAt(i + 1);
}

/** A string's distinct bigrams, in order of first occurrence. */
function bigrams(s: string): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i + 1 < s.length; i++) out.add(bigramAt(s, i));
  return out;
}

/**
 * Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`. Only the diagonal band of width
 * 2·limit + 1 can hold values within the limit (Ukkonen), so cells outside it are never computed.
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  const big = limit + 1;
  let previous = new Int32Array(m + 1);
  let current = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) previous[j] = j <= limit ? j : big;
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(m, i + limit);
    current[from - 1] = from === 1 ? (i <= limit ? i : big) : big;
    let rowMin = current[from - 1];
    const ca = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      let v = previous[j - 1] + cost;
      const up = j <= i - 1 + limit ? previous[j] + 1 : big;
      if (up < v) v = up;
      const left = current[j - 1] + 1;
      if (left < v) v = left;
      current[j] = v > big ? big : v;
      if (v < rowMin) rowMin = v;
    }
    if (to < m) current[to + 1] = big;
    if (rowMin > limit) return big;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[m], big);
}

export class KeySuggester {
  /** Bigram → indexes of keys containing it. */
  private readonly postings = new Map<number, number[]>();
  private readonly lowered: string[];
  /** Shared-bigram counts per key for the query in progress (reset after each query). */
  private readonly shared: Int32Array;

  constructor(private readonly keys: readonly string[]) {
    this.lowered = keys.map((k) => k.toLowerCase());
    this.shared = new Int32Array(keys.length);
    this.lowered.forEach((k, index) => {
      for (let i = 0; i + 1 < k.length; i++) {
        const g = bigramAt(k, i);
        const list = this.postings.get(g);
        if (!list) this.postings.set(g, [index]);
        // Keys are indexed in order, so a bigram seen before in this key has the key's index last.
        else if (list[list.length - 1] !== index) list.push(index);
      }
    });
  }

  /**
   * Up to `limit` keys within an edit distance of about a third of the key's length, closest first, and no
   * more than one edit worse than the closest (a far match next to a near one is noise).
   */
  suggest(key: string, limit = 3): string[] {
    const query = key.toLowerCase();
    const maxDistance = Math.max(1, Math.min(4, Math.floor(query.length / 3)));
    const queryGrams = bigrams(query);
    const scored: { key: string; distance: number }[] = [];
    let cutoff = maxDistance;
    const consider = (index: number) => {
      const candidate = this.lowered[index];
      if (Math.abs(candidate.length - query.length) > cutoff || this.keys[index] === key) return;
      const distance = boundedEditDistance(query, candidate, cutoff);
      if (distance > cutoff) return;
      scored.push({ key: this.keys[index], distance });
      cutoff = Math.min(cutoff, distance + 1);
    };
    if (queryGrams.size <= 2 * maxDistance) {
      // Very short keys share too few bigrams to filter on; there are few enough candidates by length.
      for (let i = 0; i < this.keys.length; i++) consider(i);
    } else {
      // Count shared bigrams, then visit candidates from most to fewest shared. Each edit destroys at most
      // two of the query's bigrams, so a key sharing `s` has distance ≥ (|grams| - s) / 2: once that bound
      // passes the cutoff, no remaining key can qualify.
      const touched: number[] = [];
      for (const g of queryGrams) {
        for (const index of this.postings.get(g) ?? []) if (this.shared[index]++ === 0) touched.push(index);
      }
      const buckets: number[][] = Array.from({ length: queryGrams.size + 1 }, () => []);
      for (const index of touched) {
        buckets[this.shared[index]].push(index);
        this.shared[index] = 0;
      }
      for (let s = queryGrams.size; s > 0; s--) {
        if ((queryGrams.size - s) / 2 > cutoff) break;
        for (const index of buckets[s]) consider(index);
      }
    }
    scored.sort((a, b) => a.distance - b.distance || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const best = scored[0]?.distance ?? 0;
    return scored.filter((s) => s.distance <= best + 1).slice(0, limit).map((s) => s.key);
  }
}
