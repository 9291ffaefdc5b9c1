// Code lenses in safety cases. Above each Goal and Strategy, what its argument rests on:
// "supported by 2 · evidence: 3 papers (1 unresolved) · undeveloped: 1" (the evidence and undeveloped counts
// cover everything below it; a click peeks the Solutions). Above each Solution, one lens per paper it cites,
// opening the Paper panel.
import * as vscode from 'vscode';
import { elementIndex, type ElementSite } from '../../core/gsn/graph';
import type { GsnElement } from '../../core/gsn/types';
import type { ReviewIndex } from '../../core/index/types';
import { shortAuthor } from '../markdownText';
import type { ExtensionServices } from '../services';
import { SAFETY_CASE_SELECTOR, argumentOf, idLocation, idSpanIn, plural } from './argument';

const ARGUING = new Set(['Goal', 'Strategy', 'CounterGoal']);
const EVIDENCE = new Set(['Solution', 'CounterSolution']);
const MAX_PAPER_LENSES = 6;

export interface SupportSummary {
  supportedBy: number;
  papers: string[];
  unresolved: string[];
  undeveloped: number;
  /** Solutions below the element, for the peek. */
  solutions: ElementSite[];
}

/** What an element's argument rests on: everything reachable over `supportedBy` (cycle-safe), itself included. */
export function supportSummary(element: GsnElement, index: ReadonlyMap<string, ElementSite>, resolves: (key: string) => boolean): SupportSummary {
  const seen = new Set<string>([element.id]);
  const stack: GsnElement[] = [element];
  const papers = new Set<string>();
  const solutions: ElementSite[] = [];
  let undeveloped = 0;
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const c of current.citations) papers.add(c.key);
    if (current !== element && current.undeveloped) undeveloped++;
    for (const ref of current.supportedBy) {
      const site = index.get(ref.id);
      if (!site || seen.has(ref.id)) continue;
      seen.add(ref.id);
      if (EVIDENCE.has(site.element.type ?? '')) solutions.push(site);
      stack.push(site.element);
    }
  }
  const sorted = [...papers].sort();
  return { supportedBy: element.supportedBy.length, papers: sorted, unresolved: sorted.filter((k) => !resolves(k)), undeveloped, solutions };
}

export function supportTitle(element: GsnElement, s: SupportSummary): string {
  const parts: string[] = [];
  if (s.supportedBy > 0) parts.push(`supported by ${s.supportedBy}`);
  else parts.push(element.undeveloped ? 'undeveloped' : 'not supported');
  parts.push(s.papers.length ? `evidence: ${plural(s.papers.length, 'paper')}${s.unresolved.length ? ` (${s.unresolved.length} unresolved)` : ''}` : 'evidence: none');
  if (s.undeveloped > 0) parts.push(`undeveloped: ${s.undeveloped}`);
  return parts.join(' · ');
}

function paperTitle(index: ReviewIndex, key: string, fromUri: string): { title: string; resolved: boolean } {
  const paper = index.resolve(key, fromUri);
  if (!paper) return { title: `${key} (unresolved)`, resolved: false };
  const author = paper.info.authors[0] ? shortAuthor(paper.info.authors[0]).split(' ').pop() : undefined;
  const who = [author && `${author}${paper.info.authors.length > 1 ? ' et al.' : ''}`, paper.info.year].filter(Boolean).join(' ');
  const title = paper.info.title ? (paper.info.title.length > 60 ? `${paper.info.title.slice(0, 59)}…` : paper.info.title) : key;
  return { title: who ? `${who}: ${title}` : title, resolved: true };
}

export function registerSafetyCaseCodeLens(services: ExtensionServices): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const { index } = services;

  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      if (!services.settings.codeLens(doc.uri).claims) return [];
      const uri = doc.uri.toString();
      const modules = argumentOf(index, uri);
      const own = modules[0];
      if (!own) return [];
      const sites = elementIndex(modules);
      const text = doc.getText();
      const resolves = (key: string) => index.resolve(key, uri) !== undefined;
      const lenses: vscode.CodeLens[] = [];
      for (const element of own.elements) {
        // Stale spans (typing ahead of the index) give no lens rather than one on the wrong line.
        const idSpan = idSpanIn(text, element.idSpan, element.id);
        if (!idSpan) continue;
        const start = doc.positionAt(idSpan.start);
        const anchor = new vscode.Range(start, start);
        if (ARGUING.has(element.type ?? '')) {
          const summary = supportSummary(element, sites, resolves);
          const locations = summary.solutions.flatMap((s) => idLocation(index, s.module.uri, s.element.idSpan, s.element.id) ?? []);
          lenses.push(
            new vscode.CodeLens(anchor, {
              title: supportTitle(element, summary),
              command: locations.length ? 'editor.action.peekLocations' : '',
              arguments: locations.length ? [doc.uri, anchor.start, locations, 'peek'] : undefined,
              tooltip: summary.unresolved.length ? `Unresolved: ${summary.unresolved.join(', ')}` : undefined,
            }),
          );
        } else if (EVIDENCE.has(element.type ?? '')) {
          const keys = [...new Set(element.citations.map((c) => c.key))];
          if (keys.length === 0) {
            lenses.push(new vscode.CodeLens(anchor, { title: element.url ? 'evidence: link only, no papers cited' : 'no papers cited', command: '' }));
            continue;
          }
          for (const key of keys.slice(0, MAX_PAPER_LENSES)) {
            const { title, resolved } = paperTitle(index, key, uri);
            lenses.push(new vscode.CodeLens(anchor, resolved ? { title, command: 'interpReview.openPaper', arguments: [key], tooltip: `Open ${key} in the Paper panel` } : { title, command: '' }));
          }
          if (keys.length > MAX_PAPER_LENSES) lenses.push(new vscode.CodeLens(anchor, { title: `+${keys.length - MAX_PAPER_LENSES} more`, command: '' }));
        }
      }
      return lenses;
    },
  };

  const refresh = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => changed.fire(), 250);
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider(SAFETY_CASE_SELECTOR, provider),
    index.onDidChange(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('interpReview.codeLens')) changed.fire();
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
