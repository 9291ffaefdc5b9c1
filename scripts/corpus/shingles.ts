// Word n-grams ("shingles") for the no-copy check: our corpus text must share no run of 8+ consecutive words
// with the seed pages. Case, punctuation and diacritics are ignored so trivial edits do not hide a copy.
import { createHash } from 'node:crypto';
import type { CorpusData } from '../../src/core/corpus/types';

export const COPY_RUN = 8;

/** Lower-case words with diacritics removed; any non-letter, non-digit character separates words. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function shingles(text: string, n: number): string[] {
  const list = words(text);
  const out: string[] = [];
  for (let i = 0; i + n <= list.length; i++) out.push(list.slice(i, i + n).join(' '));
  return out;
}

/**
 * The committed fixture stores 48-bit hashes of the seed shingles, not the seed text itself (the seeds are
 * third-party pages); with a few thousand shingles an accidental collision is vanishingly unlikely.
 */
export function shingleHash(shingle: string): string {
  return createHash('sha1').update(shingle).digest('hex').slice(0, 12);
}

/** Every piece of prose in the corpus that we wrote ourselves, labelled by where it lives. */
export function ownProse(corpus: CorpusData): [label: string, text: string][] {
  const out: [string, string][] = [];
  for (const p of corpus.papers) if (p.summary) out.push([`${p.id} summary`, p.summary]);
  for (const m of corpus.methods) {
    out.push([`${m.id} summary`, m.summary]);
    m.strengths.forEach((s, i) => out.push([`${m.id} strengths[${i}]`, s]));
    m.limits.forEach((s, i) => out.push([`${m.id} limits[${i}]`, s]));
  }
  for (const p of corpus.problems) out.push([`${p.id} summary`, p.summary]);
  return out;
}
