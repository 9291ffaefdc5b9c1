// Code lenses: above each claim that cites ("cites 3 papers · 1 unresolved", click to peek them) and above a
// paper note's title ("cited by 5 claims in 3 documents", click for the references).
import * as vscode from 'vscode';
import type { IndexedDocument } from '../core/index/types';
import { blockAtLine, claimBlocks, type ClaimBlock, type LineSource } from './claims';
import { PROSE_SELECTOR, citationSyntax, liveCitations } from './documentCitations';
import { citationLocations, definitionLocations } from './navigation';
import { spanToRange } from './ranges';
import type { ExtensionServices } from './services';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function documentLines(doc: vscode.TextDocument): LineSource {
  return { lineCount: doc.lineCount, lineText: (line) => doc.lineAt(line).text };
}

/** Claim blocks of indexed documents, memoised by content hash (the note lens needs them for every citer). */
class BlockCache {
  private readonly byUri = new Map<string, { hash: string; blocks: ClaimBlock[] }>();

  get(indexed: IndexedDocument): ClaimBlock[] {
    const cached = this.byUri.get(indexed.uri);
    if (cached?.hash === indexed.hash) return cached.blocks;
    const blocks = claimBlocks(indexed.lineMap);
    this.byUri.set(indexed.uri, { hash: indexed.hash, blocks });
    return blocks;
  }

  clear(): void {
    this.byUri.clear();
  }
}

export function registerCodeLens(services: ExtensionServices): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const blockCache = new BlockCache();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const claimLenses = (doc: vscode.TextDocument): vscode.CodeLens[] => {
    const citations = liveCitations(services, doc);
    if (citations.length === 0) return [];
    const blocks = claimBlocks(documentLines(doc));
    const keysByBlock = new Map<number, Map<string, vscode.Range>>();
    for (const c of citations) {
      const block = blockAtLine(blocks, doc.positionAt(c.keySpan.start).line);
      if (block < 0) continue;
      const keys = keysByBlock.get(block) ?? new Map<string, vscode.Range>();
      if (!keys.has(c.key)) keys.set(c.key, spanToRange(doc, c.keySpan));
      keysByBlock.set(block, keys);
    }
    const lenses: vscode.CodeLens[] = [];
    // A long review cites the same few hundred keys over and over: resolve each once per request.
    const definitions = new Map<string, vscode.Location | null | undefined>();
    const definitionOf = (key: string) => {
      if (!definitions.has(key)) {
        const paper = services.index.resolve(key, doc.uri.toString());
        definitions.set(key, paper ? (definitionLocations(services, paper)[0] ?? null) : undefined);
      }
      return definitions.get(key);
    };
    for (const [blockIndex, keys] of keysByBlock) {
      const block = blocks[blockIndex];
      const locations: vscode.Location[] = [];
      let unresolved = 0;
      for (const [key, range] of keys) {
        const defined = definitionOf(key);
        if (defined === undefined) unresolved++;
        locations.push(defined ?? new vscode.Location(doc.uri, range));
      }
      const title = `cites ${plural(keys.size, 'paper')}${unresolved ? ` · ${unresolved} unresolved` : ''}`;
      const anchor = new vscode.Range(block.startLine, 0, block.startLine, 0);
      lenses.push(
        new vscode.CodeLens(anchor, {
          title,
          command: 'editor.action.peekLocations',
          arguments: [doc.uri, anchor.start, locations, 'peek'],
          tooltip: [...keys.keys()].join(', '),
        }),
      );
    }
    return lenses;
  };

  const noteLens = (doc: vscode.TextDocument): vscode.CodeLens[] => {
    const indexed = services.index.document(doc.uri.toString());
    const key = indexed?.note?.citekey;
    if (!indexed?.note || !key) return [];
    const sites = services.index.citationsOf(key);
    const claims = new Set<string>();
    for (const site of sites) {
      const citing = services.index.document(site.uri);
      if (!citing) continue;
      const line = citing.lineMap.positionAt(site.citation.keySpan.start).line;
      const block = citing.reduced ? -1 : blockAtLine(blockCache.get(citing), line);
      claims.add(`${site.uri}#${block < 0 ? `line${line}` : block}`);
    }
    const documents = new Set(sites.map((s) => s.uri)).size;
    const anchorSpan = indexed.note.titleSpan ?? indexed.frontmatter?.span ?? { start: 0, end: 0 };
    const anchor = spanToRange(indexed.lineMap, anchorSpan).start;
    const title = sites.length ? `cited by ${plural(claims.size, 'claim')} in ${plural(documents, 'document')}` : 'not cited yet';
    return [
      new vscode.CodeLens(new vscode.Range(anchor, anchor), {
        title,
        command: sites.length ? 'editor.action.showReferences' : '',
        arguments: sites.length ? [doc.uri, anchor, citationLocations(services, key)] : undefined,
      }),
    ];
  };

  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const enabled = services.settings.codeLens(doc.uri);
      const lenses: vscode.CodeLens[] = [];
      if (enabled.notes) lenses.push(...noteLens(doc));
      const indexed = services.index.document(doc.uri.toString());
      if (enabled.claims && citationSyntax(doc) && indexed?.reduced !== 'no-links') lenses.push(...claimLenses(doc));
      return lenses;
    },
  };

  const refresh = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => changed.fire(), 250);
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider(PROSE_SELECTOR, provider),
    services.index.onDidChange(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('interpReview.codeLens')) {
        blockCache.clear();
        changed.fire();
      }
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
