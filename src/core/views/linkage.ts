// How the workspace touches each corpus problem and method: notes tagged with it, the papers linked to it,
// and how often those papers are cited ("claims"; the citations themselves are listed lazily, see common.ts).
import type { CorpusData } from '../corpus/types';
import { citationCountOf, methodResolver, problemResolver, type NoteHit, type ViewIndex, type WorkspaceScan } from './common';

export interface Linkage {
  /** Notes whose frontmatter names the item. */
  notes: Map<string, NoteHit[]>;
  /** Citation keys linked to the item: corpus papers listed either way round, plus the keys of tagged notes. */
  keys: Map<string, Set<string>>;
  /** How many workspace citations the linked keys have. */
  claimCounts: Map<string, number>;
}

function link(
  ids: readonly string[],
  listedPapers: (id: string) => readonly string[],
  paperLinks: (paper: CorpusData['papers'][number]) => readonly string[],
  noteValues: (hit: NoteHit) => readonly string[],
  resolveName: (value: string) => string | undefined,
  index: ViewIndex,
  scan: WorkspaceScan,
): Linkage {
  const corpus = index.corpus;
  const keyOfPaper = new Map(corpus.papers.map((p) => [p.id, p.key]));
  const linkage: Linkage = { notes: new Map(), keys: new Map(), claimCounts: new Map() };
  for (const id of ids) {
    linkage.notes.set(id, []);
    const keys = new Set<string>();
    for (const paperId of listedPapers(id)) {
      const key = keyOfPaper.get(paperId);
      if (key) keys.add(key);
    }
    linkage.keys.set(id, keys);
  }
  for (const paper of corpus.papers) {
    for (const id of paperLinks(paper)) linkage.keys.get(id)?.add(paper.key);
  }
  for (const hit of scan.notes) {
    const seen = new Set<string>();
    for (const value of noteValues(hit)) {
      const id = resolveName(value);
      if (!id || seen.has(id)) continue;
      seen.add(id);
      linkage.notes.get(id)?.push(hit);
      if (hit.note.citekey) linkage.keys.get(id)?.add(hit.note.citekey);
    }
  }
  for (const [id, keys] of linkage.keys) linkage.claimCounts.set(id, citationCountOf(index, keys));
  return linkage;
}

export function problemLinkage(index: ViewIndex, scan: WorkspaceScan): Linkage {
  const corpus = index.corpus;
  const byId = new Map(corpus.problems.map((p) => [p.id, p]));
  return link(
    corpus.problems.map((p) => p.id),
    (id) => byId.get(id)?.papers ?? [],
    (paper) => paper.problems,
    (hit) => hit.note.problems,
    problemResolver(corpus),
    index,
    scan,
  );
}

export function methodLinkage(index: ViewIndex, scan: WorkspaceScan): Linkage {
  const corpus = index.corpus;
  const byId = new Map(corpus.methods.map((m) => [m.id, m]));
  return link(
    corpus.methods.map((m) => m.id),
    (id) => byId.get(id)?.papers ?? [],
    (paper) => paper.methods,
    (hit) => hit.note.methods,
    methodResolver(corpus),
    index,
    scan,
  );
}
