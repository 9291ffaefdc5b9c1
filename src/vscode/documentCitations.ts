// What the editor needs to know about the key under the cursor. Markdown and LaTeX are scanned from the live
// editor text (exact even between debounced index updates); other files (.bib, notes' frontmatter, safety
// cases) are read from the index and checked against the live text before use.
import * as vscode from 'vscode';
import type { IndexedDocument } from '../core/index/types';
import type { Citation, Span } from '../core/model';
import { scanLatexCitations } from '../core/parsers/latex';
import { scanPandocCitations } from '../core/parsers/pandoc';
import type { ExtensionServices } from './services';
import { offsetAt, spanContains, spanToRange } from './ranges';

export const PANDOC_LANGUAGES = ['markdown', 'quarto', 'rmd', 'pandoc'];
export const LATEX_LANGUAGES = ['latex', 'tex'];

/** Selector for every document that can carry citations, notes or entries. */
export const CITING_SELECTOR: vscode.DocumentSelector = [
  ...PANDOC_LANGUAGES.map((language) => ({ language })),
  ...LATEX_LANGUAGES.map((language) => ({ language })),
  // Quarto and R Markdown files are plain text when no extension claims their language.
  { pattern: '**/*.{qmd,rmd,Rmd}' },
  { language: 'yaml', pattern: '**/*.gsn.{yaml,yml}' },
];

/** Prose documents whose paragraphs are claims (code lenses). */
export const PROSE_SELECTOR: vscode.DocumentSelector = [
  ...PANDOC_LANGUAGES.map((language) => ({ language })),
  ...LATEX_LANGUAGES.map((language) => ({ language })),
  { pattern: '**/*.{qmd,rmd,Rmd}' },
];

export const KEY_SITE_SELECTOR: vscode.DocumentSelector = [
  ...(CITING_SELECTOR as vscode.DocumentFilter[]),
  { language: 'bibtex' },
  { language: 'biblatex' },
  { pattern: '**/*.bib' },
  { language: 'json', pattern: '**/*.json' },
  { language: 'yaml' },
];

export function citationSyntax(doc: vscode.TextDocument): 'pandoc' | 'latex' | undefined {
  if (PANDOC_LANGUAGES.includes(doc.languageId) || /\.(md|markdown|qmd|rmd)$/i.test(doc.uri.path)) return 'pandoc';
  if (LATEX_LANGUAGES.includes(doc.languageId) || /\.tex$/i.test(doc.uri.path)) return 'latex';
  return undefined;
}

const scanCache = new WeakMap<vscode.TextDocument, { version: number; citations: Citation[] }>();

/** Citations of the document as it is in the editor right now. */
export function liveCitations(services: ExtensionServices, doc: vscode.TextDocument): Citation[] {
  const syntax = citationSyntax(doc);
  if (!syntax) return indexedCitations(services.index.document(doc.uri.toString()), doc);
  const cached = scanCache.get(doc);
  if (cached && cached.version === doc.version) return cached.citations;
  const text = doc.getText();
  const citations = (syntax === 'pandoc' ? scanPandocCitations(text) : scanLatexCitations(text)).value.citations;
  scanCache.set(doc, { version: doc.version, citations });
  return citations;
}

/** An index document's citations (safety-case elements included), kept only where the live text agrees. */
function indexedCitations(indexed: IndexedDocument | undefined, doc: vscode.TextDocument): Citation[] {
  if (!indexed) return [];
  const all = indexed.citations.length ? indexed.citations : (indexed.safetyCase?.elements.flatMap((e) => e.citations) ?? []);
  return all.filter((c) => textAt(doc, c.keySpan) === c.key);
}

function textAt(doc: vscode.TextDocument, span: Span): string {
  return doc.getText(new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end)));
}

export type KeySiteKind = 'citation' | 'entry' | 'note';

export interface KeySite {
  key: string;
  kind: KeySiteKind;
  /** The key's characters in the live document. */
  range: vscode.Range;
  citation?: Citation;
}

/** The citation key, bibliography entry key or note `citekey` under `position`, if any. */
export function keySiteAt(services: ExtensionServices, doc: vscode.TextDocument, position: vscode.Position): KeySite | undefined {
  const offset = offsetAt(doc, position);
  const citation = liveCitations(services, doc).find((c) => spanContains(c.keySpan, offset));
  if (citation) return { key: citation.key, kind: 'citation', range: spanToRange(doc, citation.keySpan), citation };

  const indexed = services.index.document(doc.uri.toString());
  if (!indexed) return undefined;
  for (const entry of indexed.entries) {
    const range = spanContains(entry.keySpan, offset) ? keyRangeIn(doc, entry.keySpan, entry.key) : undefined;
    if (range) return { key: entry.key, kind: 'entry', range };
  }
  const note = indexed.note;
  if (note?.citekey && note.citekeySpan && spanContains(note.citekeySpan, offset)) {
    const range = keyRangeIn(doc, note.citekeySpan, note.citekey);
    if (range) return { key: note.citekey, kind: 'note', range };
  }
  return undefined;
}

/**
 * The key's own characters inside `span` of the live text (a YAML value span may include quotes), or undefined
 * when the text there has changed since the index saw it.
 */
function keyRangeIn(doc: vscode.TextDocument, span: Span, key: string): vscode.Range | undefined {
  const at = textAt(doc, span).indexOf(key);
  if (at < 0) return undefined;
  return spanToRange(doc, { start: span.start + at, end: span.start + at + key.length });
}
