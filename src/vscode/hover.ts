// Hover on a citation key, a bibliography entry key or a note's citekey: what the paper is and how it is used.
import * as vscode from 'vscode';
import type { ResolvedPaper } from '../core/index/types';
import { KEY_SITE_SELECTOR, keySiteAt } from './documentCitations';
import { HOVER_COMMANDS, noteExcerpt, paperHoverMarkdown, unresolvedHoverMarkdown, type CitationStats } from './hoverContent';
import { readText } from './paperEdits';
import type { ExtensionServices } from './services';

function citationStats(services: ExtensionServices, key: string): CitationStats {
  const sites = services.index.citationsOf(key);
  return { citations: sites.length, documents: new Set(sites.map((s) => s.uri)).size };
}

async function firstNoteLines(paper: ResolvedPaper): Promise<string | undefined> {
  const site = paper.notes[0];
  if (!site) return undefined;
  try {
    const text = await readText(vscode.Uri.parse(site.uri, true));
    return noteExcerpt(text.slice(site.note.bodyStart));
  } catch {
    return undefined;
  }
}

function trustedMarkdown(value: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value);
  markdown.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  markdown.supportHtml = false;
  markdown.supportThemeIcons = false;
  return markdown;
}

export function registerHover(services: ExtensionServices): vscode.Disposable {
  return vscode.languages.registerHoverProvider(KEY_SITE_SELECTOR, {
    async provideHover(doc, position) {
      const site = keySiteAt(services, doc, position);
      if (!site) return undefined;
      const paper = services.index.resolve(site.key, doc.uri.toString());
      if (!paper) {
        return new vscode.Hover(trustedMarkdown(unresolvedHoverMarkdown(site.key, services.index.suggest(site.key, 3))), site.range);
      }
      const definedIn = [
        ...paper.entries.map((e) => vscode.workspace.asRelativePath(vscode.Uri.parse(e.uri, true))),
        ...paper.notes.map((n) => vscode.workspace.asRelativePath(vscode.Uri.parse(n.uri, true))),
      ];
      const markdown = paperHoverMarkdown({
        paper,
        stats: citationStats(services, site.key),
        noteExcerpt: await firstNoteLines(paper),
        definedIn: [...new Set(definedIn)],
      });
      return new vscode.Hover(trustedMarkdown(markdown), site.range);
    },
  });
}
