// Name handling shared by the corpus scripts: repairing scrape artefacts, "Given Family" → "Family, Given",
// and applying the citation-key scheme of src/core/corpus/README.md (implemented in corpus.ts) to whole papers.
import { corpusKeyBase } from '../../src/core/corpus/corpus';
import type { CorpusData } from '../../src/core/corpus/types';

/**
 * The scraper turned LaTeX accents into letters (`M'eloux` from `M\'eloux`, `Franccois` from `Fran\c{c}ois`,
 * `Tevsi'c` from `Te\v{s}i\'c`) or dropped diacritics altogether. Whole-name repairs, only for names we are sure of.
 */
export const NAME_REPAIRS = new Map<string, string>([
  ["Maxime M'eloux", 'Maxime Méloux'],
  ['Franccois Portet', 'François Portet'],
  ['Gonccalo Paulo', 'Gonçalo Paulo'],
  ["R'ois'in Luo", 'Róisín Luo'],
  ["Marko Tevsi'c", 'Marko Tešić'],
  ["Jos'e Hern'andez-Orallo", 'José Hernández-Orallo'],
  ['Stephan Gunnemann', 'Stephan Günnemann'],
  ['Pietro Lio', 'Pietro Liò'],
  ['Thomas Gartner', 'Thomas Gärtner'],
  ['Sina Daubener', 'Sina Däubener'],
  ['Bjorn Ommer', 'Björn Ommer'],
  ['Forough Poursabzi-Sangde', 'Forough Poursabzi-Sangdeh'],
]);

/** Names whose family part is not "particles + last word" (multi-word family names). */
const FAMILY_OVERRIDES = new Map<string, [family: string, given: string]>([
  ['Christian Schröder de Witt', ['Schröder de Witt', 'Christian']],
]);

const PARTICLES = new Set(['van', 'von', 'de', 'der', 'den', 'da', 'di', 'du', 'la', 'le', 'ten', 'ter', 'del', 'dos']);

/** "Given Family" → "Family, Given"; a particle run (`van der`, `Van den`, `De`) belongs to the family name. */
export function familyGiven(fullName: string): string {
  const name = NAME_REPAIRS.get(fullName) ?? fullName;
  const override = FAMILY_OVERRIDES.get(name);
  if (override) return `${override[0]}, ${override[1]}`;
  const parts = name.split(/\s+/).filter(Boolean);
  if (parts.length < 2) return name;
  let familyStart = parts.length - 1;
  for (let i = 1; i < parts.length - 1; i++) {
    if (PARTICLES.has(parts[i].toLowerCase())) {
      familyStart = i;
      break;
    }
  }
  return `${parts.slice(familyStart).join(' ')}, ${parts.slice(0, familyStart).join(' ')}`;
}

export function familyName(author: string): string {
  const comma = author.indexOf(',');
  return comma < 0 ? author : author.slice(0, comma);
}

/** Base keys in file order; the first paper keeps the base, later ones with the same base get a, b, … */
export function schemeKeys(corpus: CorpusData): string[] {
  const seen = new Map<string, number>();
  return corpus.papers.map((paper) => {
    const base = corpusKeyBase(familyName(paper.authors[0] ?? ''), paper.year, paper.title);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : base + String.fromCharCode(96 + count);
  });
}
