// Hover on an element id (its definition or any reference): the element, how it holds up, its parents and its
// children, each linked to where it is defined.
import * as vscode from 'vscode';
import { childrenOf, parentsOf, type ElementSite } from '../../core/gsn/graph';
import { elementStatus } from '../../core/gsn/layout';
import type { GsnModule } from '../../core/gsn/types';
import { escapeMarkdown, trimText } from '../markdownText';
import type { ExtensionServices } from '../services';
import { SAFETY_CASE_SELECTOR, evidenceResolver, idAt } from './argument';

const RELATION_LABEL = { supportedBy: 'supported by', inContextOf: 'in context of', challenges: 'challenges' } as const;
const TEXT_CHARS = 400;
const MAX_LISTED = 12;

interface HoverContext {
  modules: readonly GsnModule[];
  index: ReadonlyMap<string, ElementSite>;
  fromUri: string;
  /** 0-based line of an offset in an indexed file. */
  lineOf(uri: string, offset: number): number;
}

/** One parent or child: a link to its definition (`file#L12` opens at the line), its type and text. */
function elementLine(context: HoverContext, site: ElementSite | undefined, id: string, relation: string): string {
  if (!site) return `- **${escapeMarkdown(id)}** *(not defined)* — ${relation}`;
  const target = vscode.Uri.parse(site.module.uri, true).with({ fragment: `L${context.lineOf(site.module.uri, site.element.idSpan.start) + 1}` });
  const text = trimText(site.element.text, 80);
  return `- [${escapeMarkdown(id)}](${target.toString()}) ${escapeMarkdown(site.element.type ?? '')}: ${escapeMarkdown(text.text)}${text.cut ? '…' : ''} — ${relation}`;
}

function listed(lines: string[]): string[] {
  return lines.length > MAX_LISTED ? [...lines.slice(0, MAX_LISTED), `- … ${lines.length - MAX_LISTED} more`] : lines;
}

export function elementHoverMarkdown(services: ExtensionServices, site: ElementSite, context: HoverContext): string {
  const { element, module } = site;
  const out: string[] = [];
  out.push(`**${escapeMarkdown(element.id)}** · ${escapeMarkdown(element.type ?? 'element of unknown type')} · module ${escapeMarkdown(module.name)}`);
  const text = trimText(element.text, TEXT_CHARS);
  if (text.text) out.push(`${escapeMarkdown(text.text)}${text.cut ? '…' : ''}`);
  const { label } = elementStatus(element, evidenceResolver(services.index, context.fromUri));
  const facts: string[] = [];
  if (label) facts.push(`*${escapeMarkdown(label)}*`);
  if (element.citations.length) facts.push(`cites ${[...new Set(element.citations.map((c) => c.key))].map((k) => `\`${k.replace(/`/g, '')}\``).join(', ')}`);
  if (facts.length) out.push(facts.join(' · '));
  const parents = parentsOf(context.modules, element.id).map((link) => elementLine(context, link.from, link.from.element.id, RELATION_LABEL[link.relation]));
  const children = childrenOf(element, context.index).map((child) => elementLine(context, child.target, child.ref.id, RELATION_LABEL[child.relation]));
  out.push(parents.length ? `**Parents**\n\n${listed(parents).join('\n')}` : '*No parents: a top-level element.*');
  if (children.length) out.push(`**Children**\n\n${listed(children).join('\n')}`);
  return out.join('\n\n');
}

export function registerSafetyCaseHover(services: ExtensionServices): vscode.Disposable {
  const lineOf = (uri: string, offset: number) => services.index.document(uri)?.lineMap.positionAt(offset).line ?? 0;
  return vscode.languages.registerHoverProvider(SAFETY_CASE_SELECTOR, {
    provideHover(doc, position) {
      const found = idAt(services.index, doc, position);
      if (!found) return undefined;
      // On a definition, that very element (a duplicate id shows itself); on a reference, what the id resolves to.
      const { occurrence } = found;
      const site = occurrence.kind === 'definition' && occurrence.element ? { module: found.modules[0], element: occurrence.element } : found.index.get(found.id);
      const markdown = site
        ? elementHoverMarkdown(services, site, { modules: found.modules, index: found.index, fromUri: doc.uri.toString(), lineOf })
        : `**${escapeMarkdown(found.id)}** is not defined in this safety case or the modules it uses.`;
      const content = new vscode.MarkdownString(markdown);
      content.supportHtml = false;
      content.isTrusted = false;
      return new vscode.Hover(content, found.range);
    },
  });
}
