// Citation-key completion after `@` (Pandoc) and inside `\cite…{…}` (LaTeX), searching key, title, authors
// and year. We filter ourselves (so "nanda 2023" works across fields) and mark the list incomplete so VS Code
// asks again as the query grows.
import * as vscode from 'vscode';
import { escapeMarkdown, formatAuthors } from './markdownText';
import type { CatalogPaper } from './paperCatalog';
import { fold } from './paperSearch';
import { citationQueryAt } from './citationQuery';
import { CITING_SELECTOR, citationSyntax } from './documentCitations';
import type { ExtensionServices } from './services';

const MAX_ITEMS = 400;
function completionItem(candidate: CatalogPaper, score: number, ranges: { inserting: vscode.Range; replacing: vscode.Range }, query: string): vscode.CompletionItem {
  const { info } = candidate;
  const authors = formatAuthors(info.authors);
  const item = new vscode.CompletionItem(
    { label: candidate.key, description: [candidate.fromCorpus ? 'corpus' : '', info.year ?? ''].filter(Boolean).join(' · ') },
    vscode.CompletionItemKind.Reference,
  );
  item.detail = [info.title, authors && info.year ? `${authors} (${info.year})` : authors || info.year].filter(Boolean).join(' — ');
  const doc = [`**${escapeMarkdown(info.title ?? candidate.key)}**`];
  if (authors) doc.push(escapeMarkdown(authors));
  if (info.venue) doc.push(`*${escapeMarkdown(info.venue)}*`);
  if (candidate.fromCorpus) doc.push('From the built\\-in corpus of mechanistic interpretability papers.');
  const documentation = new vscode.MarkdownString(doc.join('\n\n'));
  documentation.supportHtml = false;
  item.documentation = documentation;
  item.insertText = candidate.key;
  item.range = ranges;
  // The typed query itself as filter text: our own matcher already chose the items, VS Code must not drop them.
  item.filterText = query;
  item.sortText = `${String(score).padStart(3, '0')}${fold(candidate.key)}`;
  return item;
}

export function registerCompletion(services: ExtensionServices): vscode.Disposable {
  const provider: vscode.CompletionItemProvider = {
    async provideCompletionItems(doc, position, token) {
      const syntax = citationSyntax(doc);
      if (!syntax) return undefined;
      const text = doc.getText();
      const offset = doc.offsetAt(position);
      const found = citationQueryAt(text, offset, syntax);
      if (!found) return undefined;
      const scored = await services.catalog.searchSoon(found.query, MAX_ITEMS);
      if (token.isCancellationRequested) return undefined;
      const startPos = doc.positionAt(found.start);
      const keyEnd = /^[^\s@;,\]}[{]*/u.exec(text.slice(offset))?.[0].length ?? 0;
      const ranges = {
        inserting: new vscode.Range(startPos, position),
        replacing: new vscode.Range(startPos, doc.positionAt(offset + keyEnd)),
      };
      const items = scored.map(({ paper, score }) => completionItem(paper, score, ranges, found.query));
      return new vscode.CompletionList(items, true);
    },
  };
  return vscode.languages.registerCompletionItemProvider(CITING_SELECTOR, provider, '@', '{', ',');
}
