// The argument as a tree. The "Safety Case" view shows every safety case of the workspace: its top-level
// elements, and below each element what supports it and its context, with the evidence status of every node
// (an element reached twice on one path is shown once more, marked as a cycle, and not expanded). The outline
// (DocumentSymbolProvider) lists a file's elements in document order with the same status.
import * as vscode from 'vscode';
import { childrenOf, elementIndex, fileKey, parentsOf, resolveUsesPath, type ElementSite } from '../../core/gsn/graph';
import { elementStatus } from '../../core/gsn/layout';
import type { GsnElement, GsnElementType, GsnModule } from '../../core/gsn/types';
import type { DiagramStatus } from '../../protocol/diagram';
import type { ExtensionServices } from '../services';
import { SAFETY_CASE_SELECTOR, allModules, argumentOf, evidenceResolver, idLocation, idSpanIn } from './argument';
import { spanToRange } from '../ranges';

export const SAFETY_CASE_VIEW = 'interpReview.safetyCase';

const SYMBOL_KIND: Record<GsnElementType, vscode.SymbolKind> = {
  Goal: vscode.SymbolKind.Class,
  CounterGoal: vscode.SymbolKind.Class,
  Strategy: vscode.SymbolKind.Function,
  Solution: vscode.SymbolKind.Constant,
  CounterSolution: vscode.SymbolKind.Constant,
  Context: vscode.SymbolKind.Namespace,
  Assumption: vscode.SymbolKind.Property,
  Justification: vscode.SymbolKind.Property,
};

/** Icon and colour per status; the words are in the description too, so colour is never the only signal. */
const STATUS_ICON: Record<DiagramStatus, [string, string | undefined]> = {
  retracted: ['error', 'charts.red'],
  unresolved: ['error', 'charts.red'],
  contested: ['warning', 'charts.yellow'],
  missing: ['question', 'charts.orange'],
  unsupported: ['warning', 'charts.orange'],
  undeveloped: ['circle-large-outline', 'charts.purple'],
  ok: ['pass', 'charts.green'],
};

export type SafetyCaseNode =
  | { kind: 'case'; uri: string }
  | { kind: 'element'; uri: string; id: string; path: string; relation?: 'supportedBy' | 'inContextOf' | 'challenges'; cycle?: boolean };

export class SafetyCaseTree implements vscode.TreeDataProvider<SafetyCaseNode> {
  private readonly changed = new vscode.EventEmitter<SafetyCaseNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly services: ExtensionServices) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** The argument a node belongs to, and its id index (own module first). */
  private argument(uri: string): { modules: GsnModule[]; index: Map<string, ElementSite> } {
    const modules = argumentOf(this.services.index, uri);
    return { modules, index: elementIndex(modules) };
  }

  getChildren(node?: SafetyCaseNode): SafetyCaseNode[] {
    if (!node) return topLevelModules(this.services).map((m) => ({ kind: 'case', uri: m.uri }));
    const { modules, index } = this.argument(node.uri);
    if (node.kind === 'case') {
      const own = modules[0];
      if (!own) return [];
      // Roots: elements of this file nothing in the argument refers to.
      return own.elements
        .filter((e) => index.get(e.id)?.element === e && parentsOf(modules, e.id).length === 0)
        .map((e) => ({ kind: 'element', uri: node.uri, id: e.id, path: e.id }));
    }
    if (node.cycle) return [];
    const site = index.get(node.id);
    if (!site) return [];
    const onPath = new Set(node.path.split('\u0000'));
    return childrenOf(site.element, index).map((child) => ({
      kind: 'element',
      uri: node.uri,
      id: child.ref.id,
      path: `${node.path}\u0000${child.ref.id}`,
      relation: child.relation,
      cycle: onPath.has(child.ref.id),
    }));
  }

  getTreeItem(node: SafetyCaseNode): vscode.TreeItem {
    if (node.kind === 'case') {
      const module = this.services.index.document(node.uri)?.safetyCase;
      const item = new vscode.TreeItem(module?.name ?? node.uri, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `case:${node.uri}`;
      item.description = vscode.workspace.asRelativePath(vscode.Uri.parse(node.uri, true));
      item.resourceUri = vscode.Uri.parse(node.uri, true);
      item.iconPath = new vscode.ThemeIcon('type-hierarchy');
      item.contextValue = 'safetyCase';
      return item;
    }
    const { index } = this.argument(node.uri);
    const site = index.get(node.id);
    const hasChildren = !node.cycle && !!site && childrenOf(site.element, index).length > 0;
    const item = new vscode.TreeItem(node.id, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `element:${node.uri}:${node.path}:${node.relation ?? ''}`;
    item.contextValue = 'safetyCaseElement';
    if (!site) {
      const [icon, colour] = STATUS_ICON.missing;
      item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
      item.description = 'not defined';
      return item;
    }
    const { status, label } = elementStatus(site.element, evidenceResolver(this.services.index, site.module.uri));
    const [icon, colour] = STATUS_ICON[status];
    item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    const prefix = node.relation === 'inContextOf' ? 'context · ' : node.relation === 'challenges' ? 'challenges · ' : '';
    item.description = `${prefix}${label ? `${label} · ` : ''}${site.element.text}`;
    item.tooltip = new vscode.MarkdownString().appendText(`${site.element.id} (${site.element.type ?? 'unknown type'}) — ${label || 'ok'}\n\n${site.element.text}`);
    if (node.cycle) item.description = `cycle · ${item.description}`;
    const location = idLocation(this.services.index, site.module.uri, site.element.idSpan, site.element.id);
    if (location) {
      item.command = { command: 'vscode.open', title: 'Open', arguments: [location.uri, { selection: location.range, preview: true } satisfies vscode.TextDocumentShowOptions] };
    }
    return item;
  }
}

/** Safety-case files no other file `uses`: each is one case, as gsn2x would be run on it. */
function topLevelModules(services: ExtensionServices): GsnModule[] {
  const modules = allModules(services.index);
  const used = new Set<string>();
  for (const m of modules) for (const u of m.uses) used.add(fileKey(resolveUsesPath(m.uri, u.id)));
  const tops = modules.filter((m) => !used.has(fileKey(m.uri)));
  // Files that only use each other in a loop still deserve a place in the view.
  return tops.length > 0 ? tops : modules;
}

function symbolOf(doc: vscode.TextDocument, element: GsnElement, statusLabel: string): vscode.DocumentSymbol | undefined {
  const text = doc.getText();
  const idSpan = idSpanIn(text, element.idSpan, element.id);
  if (!idSpan) return undefined;
  const selection = spanToRange(doc, idSpan);
  const full = spanToRange(doc, { start: Math.min(element.span.start, idSpan.start), end: Math.min(Math.max(element.span.end, idSpan.end), text.length) });
  const detail = [element.type, statusLabel].filter(Boolean).join(' · ');
  return new vscode.DocumentSymbol(element.id, detail, element.type ? SYMBOL_KIND[element.type] : vscode.SymbolKind.Object, full.union(selection), selection);
}

export function registerSafetyCaseOutline(services: ExtensionServices): vscode.Disposable {
  const tree = new SafetyCaseTree(services);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const symbols: vscode.DocumentSymbolProvider = {
    provideDocumentSymbols(doc) {
      const own = services.index.document(doc.uri.toString())?.safetyCase;
      if (!own) return [];
      const resolve = evidenceResolver(services.index, own.uri);
      return own.elements.flatMap((e) => symbolOf(doc, e, elementStatus(e, resolve).label) ?? []);
    },
  };
  return vscode.Disposable.from(
    tree,
    vscode.window.createTreeView(SAFETY_CASE_VIEW, { treeDataProvider: tree, showCollapseAll: true }),
    vscode.languages.registerDocumentSymbolProvider(SAFETY_CASE_SELECTOR, symbols, { label: 'Safety case' }),
    services.index.onDidChange(() => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => tree.refresh(), 300);
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
