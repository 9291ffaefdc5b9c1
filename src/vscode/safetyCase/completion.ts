// Completion in safety cases: element ids in `supportedBy`/`inContextOf` (only targets gsn2x would accept: the
// right type, not the element itself, not already listed, not an ancestor), and citation keys in a YAML
// element's `text` (after `@`) and in `cites:` lists. Markdown prose citations are the citation completion's job.
import * as vscode from 'vscode';
import { validTargets, type GsnRelation } from '../../core/gsn/graph';
import { elementStatus } from '../../core/gsn/layout';
import type { GsnElement, GsnModule } from '../../core/gsn/types';
import { citationPrefixAt } from '../../core/parsers/pandoc';
import { formatAuthors } from '../markdownText';
import type { ExtensionServices } from '../services';
import { SAFETY_CASE_SELECTOR, argumentOf, evidenceResolver } from './argument';

const MAX_PAPERS = 200;

export type CompletionContextKind = { kind: 'relation'; relation: GsnRelation; prefix: string } | { kind: 'cites'; prefix: string } | { kind: 'text-citation'; prefix: string };

const YAML_FLOW_LIST = /^\s*(supportedBy|inContextOf|cites)\s*:\s*\[([^\]]*)$/;
const YAML_BLOCK_ITEM = /^(\s*)-\s*([^\s,\]]*)$/;
const YAML_LIST_KEY = /^(\s*)(supportedBy|inContextOf|cites)\s*:\s*$/;
const YAML_TEXT = /^\s*text\s*:/;
const MARKDOWN_ATTRIBUTE = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?(supported[ _-]?by|in[ _-]?context[ _-]?of|cites)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*([^]*)$/i;

function relationOf(name: string): GsnRelation | 'cites' {
  const folded = name.toLowerCase().replace(/[ _-]/g, '');
  return folded === 'supportedby' ? 'supportedBy' : folded === 'incontextof' ? 'inContextOf' : 'cites';
}

function lastToken(list: string): string {
  return /([^\s,[\]]*)$/.exec(list)?.[1] ?? '';
}

/**
 * What is being typed at the end of `before` (the line up to the cursor); `previous` yields the lines above,
 * nearest first, for YAML block lists.
 */
export function completionContext(format: GsnModule['format'], before: string, previous: Iterable<string>): CompletionContextKind | undefined {
  if (format === 'markdown') {
    const attr = MARKDOWN_ATTRIBUTE.exec(before);
    if (!attr) return undefined;
    const relation = relationOf(attr[1]);
    const prefix = lastToken(attr[2]);
    return relation === 'cites' ? { kind: 'cites', prefix } : { kind: 'relation', relation, prefix };
  }
  const flow = YAML_FLOW_LIST.exec(before);
  if (flow) {
    const relation = relationOf(flow[1]);
    const prefix = lastToken(flow[2]).replace(/^["']/, '');
    return relation === 'cites' ? { kind: 'cites', prefix } : { kind: 'relation', relation, prefix };
  }
  const item = YAML_BLOCK_ITEM.exec(before);
  if (item) {
    const indent = item[1].length;
    for (const line of previous) {
      if (/^\s*(#|$)/.test(line)) continue;
      const key = YAML_LIST_KEY.exec(line);
      if (key && key[1].length <= indent) {
        const relation = relationOf(key[2]);
        const prefix = item[2].replace(/^["']/, '');
        return relation === 'cites' ? { kind: 'cites', prefix } : { kind: 'relation', relation, prefix };
      }
      // Another item of the same list: keep climbing to its key.
      if (/^\s*-/.test(line) && (/^(\s*)/.exec(line)?.[1].length ?? 0) === indent) continue;
      return undefined;
    }
    return undefined;
  }
  const at = citationPrefixAt(before, before.length);
  if (at && YAML_TEXT.test(before)) return { kind: 'text-citation', prefix: at.prefix };
  return undefined;
}

/** The element whose definition holds `offset` (by the index's spans, which trail typing by a moment). */
function elementAt(module: GsnModule, offset: number): GsnElement | undefined {
  let last: GsnElement | undefined;
  for (const element of module.elements) {
    if (element.span.start <= offset && offset <= element.span.end) return element;
    if (element.idSpan.start <= offset && (!last || element.idSpan.start > last.idSpan.start)) last = element;
  }
  return last;
}

function* linesAbove(doc: vscode.TextDocument, line: number): Generator<string> {
  for (let l = line - 1; l >= 0 && l >= line - 200; l--) yield doc.lineAt(l).text;
}

export function registerSafetyCaseCompletion(services: ExtensionServices): vscode.Disposable {
  const provider: vscode.CompletionItemProvider = {
    provideCompletionItems(doc, position) {
      const modules = argumentOf(services.index, doc.uri.toString());
      const own = modules[0];
      if (!own) return undefined;
      const before = doc.lineAt(position.line).text.slice(0, position.character);
      const context = completionContext(own.format, before, linesAbove(doc, position.line));
      if (!context || (context.kind === 'text-citation' && own.format === 'markdown')) return undefined;
      const range = new vscode.Range(position.translate(0, -context.prefix.length), position);
      if (context.kind === 'relation') {
        const element = elementAt(own, doc.offsetAt(position));
        if (!element) return undefined;
        const resolve = evidenceResolver(services.index, doc.uri.toString());
        return validTargets(element, context.relation, modules).map((site, i) => {
          const item = new vscode.CompletionItem({ label: site.element.id, description: site.element.type }, vscode.CompletionItemKind.Reference);
          const { label } = elementStatus(site.element, resolve);
          item.detail = [site.element.text, label && `(${label})`].filter(Boolean).join(' ');
          if (site.module !== own) item.documentation = `From module ${site.module.name}`;
          item.range = range;
          item.sortText = String(i).padStart(6, '0');
          return item;
        });
      }
      const items = services.catalog.search(context.prefix, MAX_PAPERS).map(({ paper, score }) => {
        const item = new vscode.CompletionItem({ label: paper.key, description: paper.info.year }, vscode.CompletionItemKind.Reference);
        const authors = formatAuthors(paper.info.authors);
        item.detail = [paper.info.title, authors].filter(Boolean).join(' — ');
        item.range = range;
        item.filterText = context.prefix;
        item.sortText = `${String(score).padStart(4, '0')}${paper.key}`;
        return item;
      });
      return new vscode.CompletionList(items, true);
    },
  };
  return vscode.languages.registerCompletionItemProvider(SAFETY_CASE_SELECTOR, provider, '[', ',', ' ', '@', '-');
}
