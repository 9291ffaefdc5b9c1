// How the workspace touches each corpus problem and method: notes tagged with it, the papers linked to it,
// and the citations of those papers ("claims").
import type { CorpusData } from '../corpus/types';
import { methodResolver, problemResolver, type CitationHit, type NoteHit, type ViewIndex, type WorkspaceScan } from './common';

export interface Linkage {
  /** Notes whose frontmatter names the item. */
  notes: Map<string, NoteHit[]>;
  /** Citation keys linked to the item: corpus papers listed either way round, plus the keys of tagged notes (gathered on first read). */
  readonly keys: Map<string, Set<string>>;
}

export interface Claims {
  count: number;
  /** The first citations in uri then document order. */
  first: CitationHit[];
}

/**
 * Counts every item's claims and keeps the first `previewSize` of each, in one walk over the workspace's
 * citations: linked keys can number thousands (every tagged note adds its own), so asking the index key by
 * key would re-read the big documents once per key.
 */
export function collectClaims(linkage: Linkage, scan: WorkspaceScan, previewSize: number): Map<string, Claims> {
  const idsByKey = new Map<string, string[]>();
  for (const [id, keys] of linkage.keys) {
    for (const key of keys) {
      const ids = idsByKey.get(key);
      if (ids) ids.push(id);
      else idsByKey.set(key, [id]);
    }
  }
  const claims = new Map<string, Claims>([...linkage.keys.keys()].map((id) => [id, { count: 0, first: [] }]));
  for (const doc of scan.docs) {
    for (const citation of doc.citations) {
      const ids = idsByKey.get(citation.key);
      if (!ids) continue;
      for (const id of ids) {
        const entry = claims.get(id)!;
        entry.count++;
        if (entry.first.length < previewSize) entry.first.push({ doc, site: { uri: doc.uri, citation } });
      }
    }
  }
  return claims;
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
  const notes = new Map<string, NoteHit[]>(ids.map((id) => [id, []]));
  for (const hit of scan.notes) {
    const seen = new Set<string>();
    for (const value of noteValues(hit)) {
      const id = resolveName(value);
      if (!id || seen.has(id)) continue;
      seen.add(id);
      notes.get(id)?.push(hit);
    }
  }
  // Keys are gathered on first use: the Methods panel reads only the notes, and every tagged note adds a key.
  let keys: Map<string, Set<string>> | undefined;
  const linkedKeys = (): Map<string, Set<string>> => {
    const keyOfPaper = new Map(corpus.papers.map((p) => [p.id, p.key]));
    const byId = new Map<string, Set<string>>();
    for (const id of ids) {
      const linked = new Set<string>();
      for (const paperId of listedPapers(id)) {
        const key = keyOfPaper.get(paperId);
        if (key) linked.add(key);
      }
      byId.set(id, linked);
    }
    for (const paper of corpus.papers) {
      for (const id of paperLinks(paper)) byId.get(id)?.add(paper.key);
    }
    for (const [id, hits] of notes) {
      const linked = byId.get(id)!;
      for (const hit of hits) if (hit.note.citekey) linked.add(hit.note.citekey);
    }
    return byId;
  };
  return {
    notes,
    get keys() {
      return (keys ??= linkedKeys());
    },
  };
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
