// What every safety-case feature asks the index: the argument a file belongs to (its module plus every module
// linked to it by `uses` or `extends`, either way), where element ids are written, and which id is under the
// cursor in the live editor text.
import * as vscode from 'vscode';
import { elementIndex, fileKey, resolveUsesPath, type ElementSite, type EvidenceResolver } from '../../core/gsn/graph';
import type { GsnElement, GsnModule, GsnRef } from '../../core/gsn/types';
import type { ReviewIndex } from '../../core/index/types';
import type { Span } from '../../core/model';
import type { LineMap } from '../../core/text';
import { offsetAt, spanContains, spanToRange } from '../ranges';

/** Safety-case files: gsn2x YAML and Markdown following our convention (the index decides which are cases). */
export const SAFETY_CASE_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/*.gsn.{yaml,yml}' },
  { language: 'markdown' },
  { language: 'quarto' },
];

/** Every safety-case module in the workspace, by uri. */
export function allModules(index: ReviewIndex): GsnModule[] {
  const out: GsnModule[] = [];
  for (const doc of index.documents()) if (doc.safetyCase) out.push(doc.safetyCase);
  return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}

/**
 * The modules of the argument `uri` belongs to, its own module first: everything reachable over `uses` and
 * `extends` links in either direction. Unrelated safety cases stay apart, so their `G1`s never meet.
 */
export function argumentOf(index: ReviewIndex, uri: string): GsnModule[] {
  const own = index.document(uri)?.safetyCase;
  if (!own) return [];
  const modules = allModules(index);
  const byKey = new Map(modules.map((m) => [fileKey(m.uri), m] as const));
  const byName = new Map<string, GsnModule[]>();
  for (const m of modules) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  const neighbours = new Map<GsnModule, Set<GsnModule>>();
  const connect = (a: GsnModule, b: GsnModule) => {
    if (!neighbours.has(a)) neighbours.set(a, new Set());
    if (!neighbours.has(b)) neighbours.set(b, new Set());
    neighbours.get(a)!.add(b);
    neighbours.get(b)!.add(a);
  };
  for (const m of modules) {
    for (const used of m.uses) {
      const target = byKey.get(fileKey(resolveUsesPath(m.uri, used.id)));
      if (target) connect(m, target);
    }
    for (const ext of m.extends) for (const target of byName.get(ext.module) ?? []) connect(m, target);
  }
  const seen = new Set<GsnModule>([own]);
  const out = [own];
  for (let i = 0; i < out.length; i++) {
    for (const next of neighbours.get(out[i]) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        out.push(next);
      }
    }
  }
  return out;
}

/** Looks a cited key up the way the index's safety-case checks do (a note's `status` weakens evidence). */
export function evidenceResolver(index: ReviewIndex, fromUri: string): EvidenceResolver {
  return (key) => {
    const paper = index.resolve(key, fromUri);
    return paper && { status: paper.notes.find((n) => n.note.status !== undefined)?.note.status };
  };
}

export type OccurrenceKind = 'definition' | 'reference';

export interface IdOccurrence {
  id: string;
  span: Span;
  kind: OccurrenceKind;
  /** The element whose definition (or attribute) this is. */
  element?: GsnElement;
}

/** Every place a module writes an element id: definitions, relations, challenges, ACPs, `develops`. */
export function idOccurrences(module: GsnModule): IdOccurrence[] {
  const out: IdOccurrence[] = [];
  const refs = (list: readonly GsnRef[] | undefined, element?: GsnElement) => {
    for (const ref of list ?? []) out.push({ id: ref.id, span: ref.span, kind: 'reference', element });
  };
  for (const element of module.elements) {
    out.push({ id: element.id, span: element.idSpan, kind: 'definition', element });
    refs(element.supportedBy, element);
    refs(element.inContextOf, element);
    if (element.challenges) refs([element.challenges], element);
    if (element.challengesRelation) refs([element.challengesRelation.from, element.challengesRelation.to], element);
    for (const point of element.acp ?? []) refs(point.refs, element);
    refs(element.defeatedRelation, element);
  }
  for (const ext of module.extends) {
    for (const develop of ext.developRefs ?? []) {
      refs([develop.foreign]);
      refs(develop.local);
    }
  }
  return out;
}

/** Where `id` sits inside `span` of a text (a YAML key or list item span may carry quotes), or undefined. */
export function idSpanIn(text: string, span: Span, id: string): Span | undefined {
  const at = text.slice(span.start, span.end).indexOf(id);
  return at < 0 ? undefined : { start: span.start + at, end: span.start + at + id.length };
}

/** The same through a `LineMap` (an indexed document that is not open): the id's characters as a range. */
export function indexedIdRange(lineMap: LineMap, span: Span, id: string): vscode.Range {
  const start = lineMap.positionAt(span.start);
  const end = lineMap.positionAt(span.end);
  if (start.line === end.line) {
    const at = lineMap.lineText(start.line).slice(start.character, end.character).indexOf(id);
    if (at >= 0) return new vscode.Range(start.line, start.character + at, start.line, start.character + at + id.length);
  }
  return spanToRange(lineMap, span);
}

export interface IdAtCursor {
  id: string;
  /** The id's characters in the live document. */
  range: vscode.Range;
  occurrence: IdOccurrence;
  /** The document's module, then the rest of its argument. */
  modules: GsnModule[];
  index: Map<string, ElementSite>;
}

/**
 * The element id under `position`, found through the index and checked against the live text (between a
 * keystroke and the debounced reindex the spans may be stale; then nothing is answered rather than a wrong id).
 */
export function idAt(index: ReviewIndex, doc: vscode.TextDocument, position: vscode.Position): IdAtCursor | undefined {
  const modules = argumentOf(index, doc.uri.toString());
  const own = modules[0];
  if (!own) return undefined;
  const offset = offsetAt(doc, position);
  const text = doc.getText();
  for (const occurrence of idOccurrences(own)) {
    if (!spanContains(occurrence.span, offset)) continue;
    const span = idSpanIn(text, occurrence.span, occurrence.id);
    if (!span || !spanContains(span, offset)) continue;
    return { id: occurrence.id, range: spanToRange(doc, span), occurrence, modules, index: elementIndex(modules) };
  }
  return undefined;
}

export function openDocument(uri: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
}

/** A location of an id: from the live text where the document is open, else from the index's line map. */
export function idLocation(index: ReviewIndex, uri: string, span: Span, id: string): vscode.Location | undefined {
  const target = vscode.Uri.parse(uri, true);
  const open = openDocument(uri);
  if (open) {
    const live = idSpanIn(open.getText(), span, id);
    return live ? new vscode.Location(target, spanToRange(open, live)) : undefined;
  }
  const indexed = index.document(uri);
  return indexed ? new vscode.Location(target, indexedIdRange(indexed.lineMap, span, id)) : undefined;
}

/** Every occurrence of `id` across the argument's modules, as editor locations. */
export function occurrenceLocations(index: ReviewIndex, modules: readonly GsnModule[], id: string, kinds: readonly OccurrenceKind[] = ['definition', 'reference']): vscode.Location[] {
  const out: vscode.Location[] = [];
  for (const module of modules) {
    for (const occurrence of idOccurrences(module)) {
      if (occurrence.id !== id || !kinds.includes(occurrence.kind)) continue;
      const location = idLocation(index, module.uri, occurrence.span, id);
      if (location) out.push(location);
    }
  }
  return out;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
