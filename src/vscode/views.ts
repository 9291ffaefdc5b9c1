// Two views in the "Interpretability Review" container: Papers (by source, by tag, unresolved) and the
// citations of the active document. Items open their source; context menus offer the paper commands.
import * as vscode from 'vscode';
import { citationSyntax, liveCitations } from './documentCitations';
import { definitionLocations } from './navigation';
import { spanToRange } from './ranges';
import type { ExtensionServices } from './services';
import { TimeSlicer } from '../core/timeSlice';
import { collectUnresolvedKeys } from './unresolvedKeys';

/** What a paper's row shows, worked out while its list is built (VS Code asks for thousands of rows at once). */
interface PaperLook {
  description: string;
  tooltip: string;
  contextValue: string;
  icon: string;
  command: vscode.Command;
}

type Node =
  | { type: 'group'; id: 'bibliographies' | 'notes' | 'corpus' | 'tags' | 'unresolved'; label: string }
  | { type: 'bibliography'; uri: string }
  | { type: 'tag'; tag: string }
  | { type: 'paper'; key: string; parent: string; look: PaperLook }
  | { type: 'unresolved'; key: string; count: number }
  | { type: 'site'; uri: string; line: number; character: number; key: string; parent: string };

const byLocale = (a: string, b: string): number => a.localeCompare(b);

function openAt(uri: vscode.Uri, range: vscode.Range): vscode.Command {
  return { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: range } satisfies vscode.TextDocumentShowOptions] };
}

class PapersTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Bumped on refresh, so a list still being built for an older index stops. */
  private generation = 0;

  constructor(private readonly services: ExtensionServices) {}

  refresh(): void {
    this.generation++;
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[] | undefined> {
    const { index } = this.services;
    if (!node) {
      return [
        { type: 'group', id: 'bibliographies', label: 'Workspace bibliographies' },
        { type: 'group', id: 'notes', label: 'Paper notes' },
        { type: 'group', id: 'tags', label: 'By tag' },
        { type: 'group', id: 'unresolved', label: 'Unresolved' },
        { type: 'group', id: 'corpus', label: 'Corpus' },
      ];
    }
    switch (node.type) {
      case 'group':
        return this.groupChildren(node.id);
      case 'bibliography':
        return this.paperNodes((index.document(node.uri)?.entries ?? []).map((e) => e.key), node.uri);
      case 'tag':
        return this.paperNodes(index.notesBy('tags', node.tag).flatMap((n) => (n.note.citekey ? [n.note.citekey] : [])), `tag:${node.tag}`);
      case 'unresolved':
        return index
          .citationsOf(node.key)
          .map((s) => {
            const p = index.document(s.uri)?.lineMap.positionAt(s.citation.keySpan.start) ?? { line: 0, character: 0 };
            return { type: 'site', uri: s.uri, line: p.line, character: p.character, key: node.key, parent: `unresolved:${node.key}` };
          });
      default:
        return [];
    }
  }

  /** Group lists over the whole workspace are built in slices; undefined when a refresh overtook the build. */
  private async groupChildren(id: Extract<Node, { type: 'group' }>['id']): Promise<Node[] | undefined> {
    const { index } = this.services;
    const docs = [...index.documents()];
    switch (id) {
      case 'bibliographies':
        return docs
          .filter((d) => d.kind === 'bibtex' || d.kind === 'csl-json' || d.kind === 'csl-yaml')
          .map((d) => d.uri)
          .sort()
          .map((uri) => ({ type: 'bibliography', uri }));
      case 'notes':
        return this.paperNodes(docs.flatMap((d) => (d.note?.citekey ? [d.note.citekey] : [])), 'notes');
      case 'tags':
        return [...new Set(docs.flatMap((d) => d.note?.tags ?? []))].sort(byLocale).map((tag) => ({ type: 'tag', tag }));
      case 'unresolved': {
        const generation = this.generation;
        const keys = await collectUnresolvedKeys(index, new TimeSlicer(), () => generation !== this.generation);
        return keys && [...keys].sort(byLocale).map((key) => ({ type: 'unresolved', key, count: index.citationsOf(key).length }));
      }
      case 'corpus':
        return this.paperNodes(index.corpus.papers.map((p) => p.key), 'corpus');
    }
  }

  /** Sorted, distinct paper nodes with their rows resolved in slices; undefined when a refresh overtook the build. */
  private async paperNodes(keys: string[], parent: string): Promise<Node[] | undefined> {
    const generation = this.generation;
    const slicer = new TimeSlicer();
    const out: Node[] = [];
    for (const key of [...new Set(keys)].sort(byLocale)) {
      out.push({ type: 'paper', key, parent, look: this.lookOf(key) });
      if ((await slicer.pauseIfOver()) && generation !== this.generation) return undefined;
    }
    return out;
  }

  private lookOf(key: string): PaperLook {
    const paper = this.services.index.resolve(key);
    const isCorpusOnly = !!paper?.corpus && !paper.entries.length && !paper.notes.length;
    const target = paper ? definitionLocations(this.services, paper)[0] : undefined;
    return {
      description: [paper?.info.title, paper?.info.year].filter(Boolean).join(' · '),
      tooltip: paper?.info.title ? `${paper.info.title}\n${paper.info.authors.join('; ')}` : key,
      contextValue: `paper${paper?.notes.length ? '.hasNote' : '.noNote'}${isCorpusOnly ? '.corpus' : ''}`,
      icon: paper?.notes.length ? 'note' : isCorpusOnly ? 'library' : 'book',
      command: target ? openAt(target.uri, target.range) : { command: 'interpReview.openPaper', title: 'Open Paper', arguments: [key] },
    };
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `group:${node.id}`;
        item.contextValue = `group.${node.id}`;
        return item;
      }
      case 'bibliography': {
        const uri = vscode.Uri.parse(node.uri, true);
        const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `bib:${node.uri}`;
        item.description = vscode.workspace.asRelativePath(uri);
        item.contextValue = 'bibliography';
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(node.tag, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `tag:${node.tag}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        return item;
      }
      case 'paper': {
        const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.None);
        item.id = `paper:${node.parent}:${node.key}`;
        item.description = node.look.description;
        item.tooltip = node.look.tooltip;
        item.contextValue = node.look.contextValue;
        item.iconPath = new vscode.ThemeIcon(node.look.icon);
        item.command = node.look.command;
        return item;
      }
      case 'unresolved': {
        const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `unresolved:${node.key}`;
        item.description = `${node.count} citation${node.count === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('warning');
        item.contextValue = 'paper.unresolved';
        return item;
      }
      case 'site': {
        const uri = vscode.Uri.parse(node.uri, true);
        const item = new vscode.TreeItem(vscode.workspace.asRelativePath(uri), vscode.TreeItemCollapsibleState.None);
        item.id = `site:${node.parent}:${node.uri}:${node.line}:${node.character}`;
        item.description = `line ${node.line + 1}`;
        const at = new vscode.Position(node.line, node.character);
        item.command = openAt(uri, new vscode.Range(at, at));
        return item;
      }
    }
  }
}

type CitationNode = { key: string; uri: vscode.Uri; range: vscode.Range; context: string; paper: { title?: string; hasNote: boolean } | undefined };

class DocumentCitationsTree implements vscode.TreeDataProvider<CitationNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Bumped on refresh, so a list still being built for an older state stops. */
  private generation = 0;

  constructor(private readonly services: ExtensionServices) {}

  refresh(): void {
    this.generation++;
    this.changed.fire();
  }

  /** Built in slices with each key resolved once: a 5 MB review has 40,000 citations of 17,000 keys. */
  async getChildren(node?: CitationNode): Promise<CitationNode[] | undefined> {
    if (node) return [];
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) return [];
    const generation = this.generation;
    const version = doc.version;
    const slicer = new TimeSlicer();
    const citations = citationSyntax(doc)
      ? liveCitations(this.services, doc)
      : (this.services.index.document(doc.uri.toString())?.citations ?? []);
    const papers = new Map<string, CitationNode['paper']>();
    const out: CitationNode[] = [];
    for (const c of citations) {
      if (!papers.has(c.key)) {
        const paper = this.services.index.resolve(c.key, doc.uri.toString());
        papers.set(c.key, paper && { title: paper.info.title, hasNote: paper.notes.length > 0 });
      }
      const range = spanToRange(doc, c.keySpan);
      const line = doc.lineAt(range.start.line).text.trim();
      out.push({ key: c.key, uri: doc.uri, range, context: line.length > 80 ? `${line.slice(0, 79)}…` : line, paper: papers.get(c.key) });
      if ((await slicer.pauseIfOver()) && (generation !== this.generation || doc.version !== version)) return undefined;
    }
    return out;
  }

  getTreeItem(node: CitationNode): vscode.TreeItem {
    const { paper } = node;
    const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.None);
    item.description = `${node.range.start.line + 1}: ${node.context}`;
    item.tooltip = paper?.title ?? 'Unresolved citation key';
    item.iconPath = new vscode.ThemeIcon(paper ? 'quote' : 'warning');
    item.contextValue = paper ? `paper${paper.hasNote ? '.hasNote' : '.noNote'}` : 'paper.unresolved';
    item.command = openAt(node.uri, node.range);
    return item;
  }
}

const PAPERS_VIEW = 'interpReview.papers';
const DOCUMENT_CITATIONS_VIEW = 'interpReview.documentCitations';

export function registerViews(services: ExtensionServices): vscode.Disposable {
  const papers = new PapersTree(services);
  const citations = new DocumentCitationsTree(services);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      papers.refresh();
      citations.refresh();
    }, 300);
  };
  return vscode.Disposable.from(
    vscode.window.registerTreeDataProvider(PAPERS_VIEW, papers),
    vscode.window.registerTreeDataProvider(DOCUMENT_CITATIONS_VIEW, citations),
    services.index.onDidChange(refreshSoon),
    vscode.window.onDidChangeActiveTextEditor(() => citations.refresh()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) refreshSoon();
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
