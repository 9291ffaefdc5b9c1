// The Paper panel: one key's metadata, the user's notes rendered safely, where it is cited, and the papers
// that cite it or that it cites — from the corpus and from workspace notes.
import type { PaperNoteView, PaperView, Named, ListItem } from '../../protocol/viewModels';
import {
  arraySource,
  citationItem,
  DEFAULT_PREVIEW,
  defaultDisplayPath,
  entryLocation,
  methodResolver,
  noteLocation,
  paperItem,
  preview,
  problemResolver,
  type BuiltView,
  type ListRegistry,
  type ViewIndex,
  type ViewOptions,
} from './common';
import { renderMarkdown } from './markdown';

export interface PaperViewOptions extends ViewOptions {
  /** The current text of a document (open editor or disk); undefined when unreadable. */
  readText: (uri: string) => Promise<string | undefined>;
}

export async function buildPaperView(index: ViewIndex, key: string, options: PaperViewOptions): Promise<BuiltView<PaperView>> {
  const displayPath = options.displayPath ?? defaultDisplayPath;
  const size = options.previewSize ?? DEFAULT_PREVIEW;
  const corpus = index.corpus;
  const lists: ListRegistry = new Map();
  const resolved = index.resolve(key);
  const corpusPaper = resolved?.corpus ?? corpus.papers.find((p) => p.key === key);
  const info = resolved?.info;
  const paperKey = resolved?.key ?? key;

  const entries: ListItem[] = (resolved?.entries ?? []).map((site) => ({
    label: displayPath(site.uri),
    detail: `${site.entry.type} · ${site.entry.format}`,
    location: entryLocation(site.uri, site.entry),
  }));

  const notes: PaperNoteView[] = [];
  for (const site of resolved?.notes ?? []) {
    const text = await options.readText(site.uri);
    notes.push({
      label: displayPath(site.uri),
      location: noteLocation(site.uri, site.note),
      ...(site.note.status ? { status: site.note.status } : {}),
      tags: site.note.tags,
      body: text === undefined ? [] : renderMarkdown(text.slice(site.note.bodyStart)),
    });
  }

  const resolveProblem = problemResolver(corpus);
  const resolveMethod = methodResolver(corpus);
  const named = (ids: Iterable<string>, table: readonly { id: string }[], label: (id: string) => string): Named[] =>
    [...new Set(ids)].filter((id) => table.some((item) => item.id === id)).map((id) => ({ id, label: label(id) }));
  const problemIds = [...(corpusPaper?.problems ?? [])];
  const methodIds = [...(corpusPaper?.methods ?? [])];
  for (const site of resolved?.notes ?? []) {
    for (const value of site.note.problems) {
      const id = resolveProblem(value);
      if (id) problemIds.push(id);
    }
    for (const value of site.note.methods) {
      const id = resolveMethod(value);
      if (id) methodIds.push(id);
    }
  }
  const problems = named(problemIds, corpus.problems, (id) => corpus.problems.find((p) => p.id === id)?.title ?? id);
  const methods = named(methodIds, corpus.methods, (id) => corpus.methods.find((m) => m.id === id)?.name ?? id);

  const keys = new Set([paperKey, ...(resolved?.entries.flatMap((site) => site.entry.aliases ?? []) ?? [])]);
  const citationSites = [...keys].flatMap((k) => index.citationsOf(k));
  const citations = preview(
    lists,
    `paper:${paperKey}:citations`,
    arraySource(citationSites, (site) => citationItem(index.document(site.uri), site, displayPath)),
    size,
  );

  // Cited by: corpus papers listing this one, then workspace notes about other papers that cite it.
  const citedBy = new Map<string, ListItem>();
  if (corpusPaper) {
    for (const paper of corpus.papers) {
      if (paper.cites.includes(corpusPaper.id)) {
        citedBy.set(paper.key, paperItem(paper.key, { title: paper.title, authors: paper.authors, year: String(paper.year) }));
      }
    }
  }
  for (const site of citationSites) {
    const note = index.document(site.uri)?.note;
    if (!note?.citekey || keys.has(note.citekey) || citedBy.has(note.citekey)) continue;
    citedBy.set(note.citekey, paperItem(note.citekey, note.info, noteLocation(site.uri, note)));
  }

  // Cites: the corpus reference list, then keys the user's notes on this paper cite.
  const cites = new Map<string, ListItem>();
  const corpusById = new Map(corpus.papers.map((p) => [p.id, p]));
  for (const id of corpusPaper?.cites ?? []) {
    const paper = corpusById.get(id);
    if (paper) cites.set(paper.key, paperItem(paper.key, { title: paper.title, authors: paper.authors, year: String(paper.year) }));
  }
  for (const site of resolved?.notes ?? []) {
    for (const citation of index.document(site.uri)?.citations ?? []) {
      if (keys.has(citation.key) || cites.has(citation.key)) continue;
      const target = index.resolve(citation.key, site.uri);
      cites.set(citation.key, paperItem(citation.key, target?.info));
    }
  }

  const model: PaperView = {
    key: paperKey,
    known: resolved !== undefined || corpusPaper !== undefined,
    title: info?.title || corpusPaper?.title || key,
    authors: info?.authors.length ? info.authors : (corpusPaper?.authors ?? []),
    year: info?.year ?? (corpusPaper ? String(corpusPaper.year) : undefined),
    venue: info?.venue ?? corpusPaper?.venue,
    doi: info?.doi,
    url: info?.url ?? corpusPaper?.url,
    arxiv: info?.arxiv ?? corpusPaper?.arxiv,
    abstract: info?.abstract,
    summary: corpusPaper?.summary,
    entries,
    notes,
    methods,
    problems,
    citations,
    citedBy: preview(lists, `paper:${paperKey}:citedBy`, arraySource([...citedBy.values()], (item) => item), size),
    cites: preview(lists, `paper:${paperKey}:cites`, arraySource([...cites.values()], (item) => item), size),
  };
  return { model, lists };
}
