// How the workspace touches each corpus problem and method: notes tagged with it, the papers linked to it,
// and the citations ("claims") of those papers.
import type { CorpusData } from '../corpus/types';
import { compareLocations, methodResolver, problemResolver, type CitationHit, type NoteHit, type WorkspaceScan } from './common';

export interface Linkage {
  /** Notes whose frontmatter names the item. */
  notes: Map<string, NoteHit[]>;
  /** Citation keys linked to the item: corpus papers listed either way round, plus the keys of tagged notes. */
  keys: Map<string, Set<string>>;
  /** Workspace citations of the linked keys, in uri then document order. */
  claims: Map<string, CitationHit[]>;
}

function link(
  ids: readonly string[],
  listedPapers: (id: string) => readonly string[],
  paperLinks: (paper: CorpusData['papers'][number]) => readonly string[],
  noteValues: (hit: NoteHit) => readonly string[],
  resolveName: (value: string) => string | undefined,
  corpus: CorpusData,
  scan: WorkspaceScan,
): Linkage {
  const keyOfPaper = new Map(corpus.papers.map((p) => [p.id, p.key]));
  const linkage: Linkage = { notes: new Map(), keys: new Map(), claims: new Map() };
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
  for (const [id, keys] of linkage.keys) {
    const claims: CitationHit[] = [];
    for (const key of keys) claims.push(...(scan.citationsByKey.get(key) ?? []));
    claims.sort(compareLocations);
    linkage.claims.set(id, claims);
  }
  return linkage;
}

export function problemLinkage(corpus: CorpusData, scan: WorkspaceScan): Linkage {
  const byId = new Map(corpus.problems.map((p) => [p.id, p]));
  return link(
    corpus.problems.map((p) => p.id),
    (id) => byId.get(id)?.papers ?? [],
    (paper) => paper.problems,
    (hit) => hit.note.problems,
    problemResolver(corpus),
    corpus,
    scan,
  );
}

export function methodLinkage(corpus: CorpusData, scan: WorkspaceScan): Linkage {
  const byId = new Map(corpus.methods.map((m) => [m.id, m]));
  return link(
    corpus.methods.map((m) => m.id),
    (id) => byId.get(id)?.papers ?? [],
    (paper) => paper.methods,
    (hit) => hit.note.methods,
    methodResolver(corpus),
    corpus,
    scan,
  );
}
