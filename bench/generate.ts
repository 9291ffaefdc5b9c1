// Deterministic synthetic workspace for the benchmark: 10,000 paper notes, a 20,000-entry bibliography
// (~30 MB with abstracts) and one 5 MB review. Written under bench/.workspace/ and regenerated only when it
// is missing or GENERATOR_VERSION changes.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../test/seededRandom';

export const GENERATOR_VERSION = '2';
export const NOTE_COUNT = 10_000;
export const ENTRY_COUNT = 20_000;
const REVIEW_BYTES = 5 * 1024 * 1024;

export interface BenchWorkspace {
  root: string;
  notesDir: string;
  bibFile: string;
  reviewFile: string;
  keys: string[];
}

const WORDS = (
  'model layer neuron feature circuit attention head residual stream activation sparse autoencoder dictionary ' +
  'superposition polysemantic monosemantic probe steering vector patching ablation causal mediation logit lens ' +
  'transformer token embedding gradient attribution interpretability mechanism behaviour safety evaluation ' +
  'representation linear subspace direction geometry training dynamics grokking induction copying suppression'
).split(' ');
const FAMILIES = ['Olah', 'Elhage', 'Nanda', 'Conmy', 'Bricken', 'Templeton', 'Cunningham', 'Marks', 'Geiger', 'Wang',
  'Meng', 'Burns', 'Zou', 'Lieberum', 'Rajamanoharan', 'Kramár', 'Müller', 'Østergaard', 'Šimić', 'Dupré'];
const GIVEN = ['Chris', 'Nelson', 'Neel', 'Arthur', 'Trenton', 'Adly', 'Hoagy', 'Samuel', 'Atticus', 'Kevin'];
const TAGS = ['circuits', 'sae', 'probing', 'steering', 'superposition', 'safety', 'attention', 'evaluation'];
const METHODS = ['sparse-autoencoders', 'activation-patching', 'linear-probes', 'attribution-patching', 'logit-lens'];

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]);
  const s = out.join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
}

export function workspacePaths(benchDir: string): Omit<BenchWorkspace, 'keys'> {
  const root = path.join(benchDir, '.workspace');
  return { root, notesDir: path.join(root, 'notes'), bibFile: path.join(root, 'refs.bib'), reviewFile: path.join(root, 'review.md') };
}

function keyOf(i: number): string {
  return `${FAMILIES[i % FAMILIES.length].normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}${2015 + (i % 11)}w${i}`;
}

/** Creates the workspace unless an up-to-date one exists; returns its paths and every bibliography key. */
export function ensureWorkspace(benchDir: string, log: (m: string) => void = () => {}): BenchWorkspace {
  const paths = workspacePaths(benchDir);
  const keys = Array.from({ length: ENTRY_COUNT }, (_, i) => keyOf(i));
  const versionFile = path.join(paths.root, 'VERSION');
  if (existsSync(versionFile) && readFileSync(versionFile, 'utf8') === GENERATOR_VERSION) return { ...paths, keys };
  log('Generating the benchmark workspace…');
  rmSync(paths.root, { recursive: true, force: true });
  mkdirSync(paths.notesDir, { recursive: true });
  const random = seededRandom(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];

  const bib: string[] = [];
  for (let i = 0; i < ENTRY_COUNT; i++) {
    const authors = Array.from({ length: 1 + Math.floor(random() * 5) }, () => `${pick(FAMILIES)}, ${pick(GIVEN)}`).join(' and ');
    const abstract = Array.from({ length: 6 }, () => sentence(random, 20)).join(' ');
    bib.push(
      `@article{${keys[i]},\n  title = {{${sentence(random, 8).slice(0, -1)}}: a study of {T}ransformers},\n  author = {${authors}},\n` +
        `  journal = {Transactions on Mechanistic Interpretability},\n  year = {${2015 + (i % 11)}},\n  volume = {${1 + (i % 40)}},\n` +
        `  pages = {${i % 300}--${(i % 300) + 20}},\n  doi = {10.5555/tmi.${i}},\n  url = {https://example.org/papers/${i}},\n` +
        `  keywords = {${pick(TAGS)}, ${pick(TAGS)}},\n  abstract = {${abstract}}\n}\n\n`,
    );
  }
  writeFileSync(paths.bibFile, bib.join(''));

  for (let n = 0; n < NOTE_COUNT; n++) {
    const key = keys[n];
    const dir = path.join(paths.notesDir, String(Math.floor(n / 100)).padStart(3, '0'));
    if (n % 100 === 0) mkdirSync(dir, { recursive: true });
    const body: string[] = [];
    while (body.join('\n').length < 1100) {
      body.push(`${sentence(random, 14)} As shown in [@${pick(keys)}, p. ${1 + Math.floor(random() * 30)}; @${pick(keys)}], ${sentence(random, 10).toLowerCase()} @${pick(keys)} argues ${sentence(random, 8).toLowerCase()}`);
    }
    const note =
      `---\ncitekey: ${key}\ntitle: "${sentence(random, 7).slice(0, -1)}"\nauthors: [${pick(FAMILIES)}, ${pick(FAMILIES)}]\nyear: ${2015 + (n % 11)}\n` +
      `tags: [${pick(TAGS)}, ${pick(TAGS)}]\nmethods: [${pick(METHODS)}]\nstatus: ${pick(['read', 'to-read', 'skimmed'])}\n---\n\n# Notes on ${key}\n\n${body.join('\n\n')}\n`;
    writeFileSync(path.join(dir, `${key}.md`), note);
  }

  const review: string[] = ['---\ntitle: A review of mechanistic interpretability\nbibliography: refs.bib\n---\n\n'];
  let size = review[0].length;
  let section = 0;
  while (size < REVIEW_BYTES) {
    const para =
      (section % 20 === 0 ? `## Section ${section / 20 + 1}\n\n` : '') +
      `${sentence(random, 18)} Prior work [see @${pick(keys)}, pp. 3-5; @${pick(keys)}; -@${pick(keys)}] ${sentence(random, 12).toLowerCase()} ` +
      `@${pick(keys)} [p. 7] shows ${sentence(random, 10).toLowerCase()} See @fig-${section} and [@sec-intro].\n\n`;
    review.push(para);
    size += para.length;
    section++;
  }
  writeFileSync(paths.reviewFile, review.join(''));
  writeFileSync(versionFile, GENERATOR_VERSION);
  return { ...paths, keys };
}
