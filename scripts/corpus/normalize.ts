// Keeps corpus.json consistent after hand edits: gives new papers their key and id by the documented scheme,
// makes every link two-way (paper ↔ method ↔ problem), orders links as the items are ordered in the file,
// reports links to unknown ids and keys that no longer match the scheme, and rewrites the file.
// Run: npx esbuild scripts/corpus/normalize.ts --bundle --platform=node --outfile=out/scripts/normalize.cjs
//      && node out/scripts/normalize.cjs src/core/corpus/corpus.json
import { readFileSync, writeFileSync } from 'node:fs';
import type { CorpusData } from '../../src/core/corpus/types';
import { schemeKeys } from './names';

function normalize(corpus: CorpusData): string[] {
  const problems: string[] = [];
  const keys = schemeKeys(corpus);
  corpus.papers.forEach((paper, i) => {
    if (!paper.key) paper.key = keys[i];
    if (!paper.id) paper.id = `paper:${paper.key}`;
    if (paper.key !== keys[i]) problems.push(`${paper.id}: key ${paper.key} does not match the scheme (${keys[i]})`);
  });

  const order = new Map<string, number>();
  [...corpus.papers, ...corpus.methods, ...corpus.problems].forEach((item, i) => order.set(item.id, i));
  const papers = new Map(corpus.papers.map((p) => [p.id, p]));
  const methods = new Map(corpus.methods.map((m) => [m.id, m]));
  const probs = new Map(corpus.problems.map((p) => [p.id, p]));

  const link = (list: string[], id: string) => {
    if (!list.includes(id)) list.push(id);
  };
  for (const paper of corpus.papers) {
    for (const id of paper.methods) if (methods.has(id)) link(methods.get(id)!.papers, paper.id);
    for (const id of paper.problems) if (probs.has(id)) link(probs.get(id)!.papers, paper.id);
  }
  for (const method of corpus.methods) {
    for (const id of method.papers) if (papers.has(id)) link(papers.get(id)!.methods, method.id);
    for (const id of method.problems) if (probs.has(id)) link(probs.get(id)!.methods, method.id);
  }
  for (const problem of corpus.problems) {
    for (const id of problem.papers) if (papers.has(id)) link(papers.get(id)!.problems, problem.id);
    for (const id of problem.methods) if (methods.has(id)) link(methods.get(id)!.problems, problem.id);
  }

  const sortIds = (owner: string, list: string[]) => {
    for (const id of list) if (!order.has(id)) problems.push(`${owner}: unknown id ${id}`);
    list.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
  };
  for (const p of corpus.papers) [p.cites, p.methods, p.problems].forEach((l) => sortIds(p.id, l));
  for (const m of corpus.methods) [m.papers, m.problems].forEach((l) => sortIds(m.id, l));
  for (const p of corpus.problems) [p.papers, p.methods].forEach((l) => sortIds(p.id, l));
  return problems;
}

{
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: normalize <corpus.json>\n');
    process.exit(2);
  }
  const corpus = JSON.parse(readFileSync(file, 'utf8')) as CorpusData;
  const problems = normalize(corpus);
  writeFileSync(file, JSON.stringify(corpus, null, 2) + '\n');
  for (const line of problems) process.stderr.write(line + '\n');
  process.exit(problems.length ? 1 : 0);
}
