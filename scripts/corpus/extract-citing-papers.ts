// Extracts the "papers citing the review" table from the scraped seed page as JSON (title, authors as
// "Family, Given", year), repairing scrape artefacts in names and merging near-duplicate rows.
// Run: npx esbuild scripts/corpus/extract-citing-papers.ts --bundle --platform=node --outfile=out/scripts/extract-citing-papers.cjs
//      && node out/scripts/extract-citing-papers.cjs /work/shared/seeds/000_*.txt > citing.json
import { readFileSync } from 'node:fs';
import { familyGiven } from './names';

export interface CitingRow {
  title: string;
  authors: string[];
  year: number;
  /** Titles of rows merged into this one. */
  duplicates: string[];
}

/** Rows look like `Title\n|\nA, B, C\n|\n2025\n|\nView Paper |`, after a `Title | Authors | Year` header. */
export function parseCitingTable(page: string): CitingRow[] {
  const start = page.indexOf('---|---|---|---|');
  if (start < 0) return [];
  const cells = page
    .slice(start)
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '|');
  const rows: CitingRow[] = [];
  for (let i = 0; i + 3 < cells.length; i += 4) {
    const [title, authors, year, action] = cells.slice(i, i + 4);
    if (!action.startsWith('View Paper') || !/^\d{4}$/.test(year)) break;
    rows.push({
      title: title.replace(/\.$/, ''),
      authors: authors.split(/,\s*/).map(familyGiven),
      year: Number(year),
      duplicates: [],
    });
  }
  return mergeNearDuplicates(rows);
}

function titleWords(title: string): Set<string> {
  return new Set(title.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The same paper listed twice under a revised title: same authors, same year, nearly the same words. */
function mergeNearDuplicates(rows: CitingRow[]): CitingRow[] {
  const kept: CitingRow[] = [];
  for (const row of rows) {
    const twin = kept.find(
      (k) =>
        k.year === row.year &&
        k.authors.join(';') === row.authors.join(';') &&
        jaccard(titleWords(k.title), titleWords(row.title)) >= 0.8,
    );
    if (twin) twin.duplicates.push(row.title);
    else kept.push(row);
  }
  return kept;
}

{
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: extract <seed page>\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(parseCitingTable(readFileSync(file, 'utf8')), null, 2) + '\n');
}
