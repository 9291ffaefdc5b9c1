// A small in-memory stand-in for the workspace index, enough for the view builders: documents from text,
// `@key` citations found by a regex, notes and entries given directly, resolution by key.
import { loadCorpus } from '../../src/core/corpus/corpus';
import type { CorpusData } from '../../src/core/corpus/types';
import type { CitationSite, IndexedDocument, ResolvedPaper } from '../../src/core/index/types';
import type { BibEntry, Citation, PaperInfo, PaperNote } from '../../src/core/model';
import { LineMap } from '../../src/core/text';
import type { ViewIndex } from '../../src/core/views/common';

export interface FakeDoc {
  uri: string;
  text: string;
  /** Makes the document a paper note; `bodyStart` defaults to after the frontmatter. */
  note?: Partial<PaperNote> & { citekey?: string };
  /** Bibliography entries: key → title/year/authors. */
  entries?: Record<string, Partial<PaperInfo>>;
  /** A `bibliography:` scope: the only entry files citations here resolve against. */
  bibliography?: string[];
}

function citationsIn(text: string, from: number): Citation[] {
  const out: Citation[] = [];
  let group = 0;
  for (const m of text.slice(from).matchAll(/(?<![\w@])\[?@([A-Za-z][\w:.-]*[\w])\]?/g)) {
    const start = from + m.index!;
    const keyStart = start + m[0].indexOf('@') + 1;
    const keySpan = { start: keyStart, end: keyStart + m[1].length };
    const span = { start, end: start + m[0].length };
    out.push({ key: m[1], keySpan, span, syntax: 'pandoc', mode: 'normal', group: group++, groupSpan: span });
  }
  return out;
}

export function fakeIndex(
  docs: FakeDoc[],
  corpus: CorpusData = loadCorpus(),
): ViewIndex & { texts: Map<string, string>; unresolved(): CitationSite[] } {
  const documents = new Map<string, IndexedDocument>();
  const texts = new Map<string, string>();
  for (const doc of docs) {
    texts.set(doc.uri, doc.text);
    const fence = doc.text.startsWith('---\n') ? doc.text.indexOf('\n---\n', 4) : -1;
    const bodyStart = fence >= 0 ? fence + 5 : 0;
    const entries: BibEntry[] = Object.entries(doc.entries ?? {}).map(([key, info]) => {
      const at = doc.text.indexOf(key);
      return {
        key,
        type: 'article',
        format: 'bibtex',
        span: { start: Math.max(0, at - 10), end: at + key.length },
        keySpan: { start: at, end: at + key.length },
        info: { authors: [], keywords: [], ...info },
      };
    });
    const note: PaperNote | undefined = doc.note && {
      info: { authors: [], keywords: [] },
      tags: [],
      methods: [],
      problems: [],
      bodyStart,
      ...doc.note,
    };
    if (note?.citekey) {
      const at = doc.text.indexOf(note.citekey);
      note.citekeySpan = { start: at, end: at + note.citekey.length };
    }
    const citations = doc.uri.endsWith('.bib') ? [] : citationsIn(doc.text, bodyStart);
    documents.set(doc.uri, {
      uri: doc.uri,
      kind: doc.uri.endsWith('.bib') ? 'bibtex' : 'markdown',
      hash: String(doc.text.length),
      lineMap: new LineMap(doc.text),
      citations,
      citedKeys: [...new Set(citations.map((c) => c.key))],
      crossRefs: [],
      entries,
      note,
      bibliography: doc.bibliography && { files: doc.bibliography.map((path) => ({ path, span: { start: 0, end: 0 } })), references: [] },
      diagnostics: [],
    });
  }

  const resolve = (key: string, fromUri?: string): ResolvedPaper | undefined => {
    const scope = docs.find((d) => d.uri === fromUri)?.bibliography;
    const entrySites = [...documents.values()]
      .filter((d) => !scope || scope.includes(d.uri))
      .flatMap((d) => d.entries.filter((e) => e.key === key).map((entry) => ({ uri: d.uri, entry })));
    const noteSites = [...documents.values()].flatMap((d) => (d.note?.citekey === key ? [{ uri: d.uri, note: d.note }] : []));
    const paper = corpus.papers.find((p) => p.key === key);
    if (!entrySites.length && !noteSites.length && !paper) return undefined;
    const info: PaperInfo = entrySites[0]?.entry.info ??
      noteSites[0]?.note.info ?? { title: paper?.title, authors: paper?.authors ?? [], year: paper ? String(paper.year) : undefined, keywords: [] };
    return { key, entries: entrySites, notes: noteSites, corpus: paper, info };
  };
  const citationsOf = (key: string): CitationSite[] =>
    [...documents.values()].flatMap((d) => d.citations.filter((c) => c.key === key).map((citation) => ({ uri: d.uri, citation })));

  return {
    texts,
    corpus,
    documents: () => documents.values(),
    document: (uri) => documents.get(uri),
    resolve,
    citationsOf,
    unresolved: () =>
      [...documents.values()].flatMap((d) => d.citations.filter((c) => !resolve(c.key, d.uri)).map((citation) => ({ uri: d.uri, citation }))),
  };
}
