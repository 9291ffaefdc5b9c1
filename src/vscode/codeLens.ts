// Code lenses: above each claim that cites ("cites 3 papers · 1 unresolved", click to peek them) and above a
// paper note's title ("cited by 5 claims in 3 documents", click for the references). A 5 MB review has 10,000
// citing claims and 17,000 distinct keys, so claims are grouped in time slices (once per document version) and
// a claim's keys are resolved only when VS Code shows its lens (`resolveCodeLens`).
import * as vscode from 'vscode';
import type { IndexedDocument } from '../core/index/types';
import { blockAtLine, claimBlocks, type ClaimBlock, type LineSource } from './claims';
import { PROSE_SELECTOR, citationSyntax, liveCitations } from './documentCitations';
import { citationLocations, definitionLocations } from './navigation';
import { spanToRange } from './ranges';
import type { ExtensionServices } from './services';
import { TimeSlicer } from '../core/timeSlice';

/** Citations grouped between two looks at the clock. */
const CLOCK_EVERY = 256;

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

/** A citing claim: its first line, and each key it cites with where it first does. */
interface Claim {
  line: number;
  keys: Map<string, vscode.Range>;
}

/** A claim's lens; the command (resolved keys, peek targets) is filled in when the lens is shown. */
class ClaimLens extends vscode.CodeLens {
  constructor(
    readonly claim: Claim,
    readonly doc: vscode.TextDocument,
  ) {
    super(new vscode.Range(claim.line, 0, claim.line, 0));
  }
}

export function registerCodeLens(services: ExtensionServices): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const blockCache = new BlockCache();
  /** Claims of the live text, per document version: an index change refreshes lenses but not the text. */
  const claimsCache = new WeakMap<vscode.TextDocument, { version: number; claims: Claim[] }>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** The citing claims of the live text, grouped in slices; undefined when the request is cancelled or the text changes. */
  const claimsOf = async (doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<Claim[] | undefined> => {
    const cached = claimsCache.get(doc);
    if (cached?.version === doc.version) return cached.claims;
    const version = doc.version;
    const slicer = new TimeSlicer();
    const citations = liveCitations(services, doc);
    if (citations.length === 0) return [];
    const blocks = claimBlocks(documentLines(doc));
    const byBlock = new Map<number, Claim>();
    for (let i = 0; i < citations.length; i++) {
      if (i % CLOCK_EVERY === 0 && (await slicer.pauseIfOver()) && (token.isCancellationRequested || doc.version !== version)) return undefined;
      const c = citations[i];
      const block = blockAtLine(blocks, doc.positionAt(c.keySpan.start).line);
      if (block < 0) continue;
      let claim = byBlock.get(block);
      if (!claim) byBlock.set(block, (claim = { line: blocks[block].startLine, keys: new Map() }));
      if (!claim.keys.has(c.key)) claim.keys.set(c.key, spanToRange(doc, c.keySpan));
    }
    const claims = [...byBlock.values()];
    claimsCache.set(doc, { version, claims });
    return claims;
  };

  const resolveClaimLens = (lens: ClaimLens): void => {
    const { claim, doc } = lens;
    const locations: vscode.Location[] = [];
    let unresolved = 0;
    for (const [key, range] of claim.keys) {
      const paper = services.index.resolve(key, doc.uri.toString());
      if (!paper) unresolved++;
      locations.push((paper && definitionLocations(services, paper)[0]) ?? new vscode.Location(doc.uri, range));
    }
    lens.command = {
      title: `cites ${plural(claim.keys.size, 'paper')}${unresolved ? ` · ${unresolved} unresolved` : ''}`,
      command: 'editor.action.peekLocations',
      arguments: [doc.uri, lens.range.start, locations, 'peek'],
      tooltip: [...claim.keys.keys()].join(', '),
    };
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
    async provideCodeLenses(doc, token) {
      const enabled = services.settings.codeLens(doc.uri);
      const lenses: vscode.CodeLens[] = [];
      if (enabled.notes) lenses.push(...noteLens(doc));
      const indexed = services.index.document(doc.uri.toString());
      if (enabled.claims && citationSyntax(doc) && indexed?.reduced !== 'no-links') {
        const claims = await claimsOf(doc, token);
        if (!claims) return undefined;
        for (const claim of claims) lenses.push(new ClaimLens(claim, doc));
      }
      return lenses;
    },
    resolveCodeLens(lens) {
      if (lens instanceof ClaimLens) resolveClaimLens(lens);
      return lens;
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
