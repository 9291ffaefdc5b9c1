// Compares the corpus's own prose with the seed pages.
//   fixture <seedDir> <out.json>  writes hashed 8-word shingles of the seeds (test/fixtures/corpus/seed-shingles.json)
//   report <seedDir> [n]          lists every run of n (default 6) words a corpus text shares with a seed, for
//                                 rewording while authoring (the unit test enforces n = 8)
// Run: npx esbuild scripts/corpus/seed-overlap.ts --bundle --platform=node --outfile=out/scripts/seed-overlap.cjs
//      && node out/scripts/seed-overlap.cjs report /work/shared/seeds
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/core/corpus/corpus';
import { COPY_RUN, ownProse, shingleHash, shingles } from './shingles';

function seedTexts(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

const [mode, seedDir, arg] = process.argv.slice(2);
if (mode === 'fixture' && seedDir && arg) {
  const hashes = new Set(seedTexts(seedDir).flatMap((text) => shingles(text, COPY_RUN).map(shingleHash)));
  writeFileSync(arg, JSON.stringify({ n: COPY_RUN, hashes: [...hashes].sort() }) + '\n');
  process.stdout.write(`${hashes.size} shingle hashes written to ${arg}\n`);
} else if (mode === 'report' && seedDir) {
  const n = Number(arg ?? 6);
  const seen = new Set(seedTexts(seedDir).flatMap((text) => shingles(text, n)));
  let hits = 0;
  for (const [label, text] of ownProse(loadCorpus())) {
    for (const shingle of shingles(text, n)) {
      if (seen.has(shingle)) {
        hits++;
        process.stdout.write(`${label}: ${shingle}\n`);
      }
    }
  }
  process.stdout.write(`${hits} shared ${n}-word runs\n`);
} else {
  process.stderr.write('usage: seed-overlap fixture <seedDir> <out.json> | report <seedDir> [n]\n');
  process.exit(2);
}
