// Go to definition, find all references and rename for citation keys, across citations, notes and bib entries.
import * as vscode from 'vscode';
import type { IndexedDocument, ResolvedPaper } from '../core/index/types';
import type { Span } from '../core/model';
import { KEY_SITE_SELECTOR, citationSyntax, keySiteAt, liveCitations } from './documentCitations';
import { spanToRange } from './ranges';
import type { ExtensionServices } from './services';

/** The key's characters inside `span` of an indexed document (a YAML value span may carry quotes). */
function indexedKeyRange(indexed: IndexedDocument, span: Span, key: string): vscode.Range {
  const start = indexed.lineMap.positionAt(span.start);
  const end = indexed.lineMap.positionAt(span.end);
  if (start.line === end.line) {
    const at = indexed.lineMap.lineText(start.line).slice(start.character, end.character).indexOf(key);
    if (at >= 0) return spanToRange(indexed.lineMap, { start: span.start + at, end: span.start + at + key.length });
  }
  return spanToRange(indexed.lineMap, span);
}

/** Every `@type{key,` head for `key` in a BibTeX file (entry heads sit on one line in practice). */
function bibtexEntryKeyRanges(indexed: IndexedDocument, key: string): vscode.Range[] {
  const escaped = key.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const head = new RegExp(`@[A-Za-z]+\\s*[{(]\\s*(${escaped})\\s*,`, 'gd');
  const out: vscode.Range[] = [];
  for (let line = 0; line < indexed.lineMap.lineCount; line++) {
    const text = indexed.lineMap.lineText(line);
    if (!text.includes(key)) continue;
    for (const match of text.matchAll(head)) {
      const start = match.indices![1][0];
      out.push(new vscode.Range(line, start, line, start + key.length));
    }
  }
  return out;
}

function openDocument(uri: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
}

/** Where a paper is defined: its notes first (the user's own words), then bibliography entries. */
export function definitionLocations(services: ExtensionServices, paper: ResolvedPaper, keysOnly = false): vscode.Location[] {
  const out: vscode.Location[] = [];
  for (const { uri, note } of paper.notes) {
    const indexed = services.index.document(uri);
    if (!indexed || (keysOnly && !note.citekeySpan)) continue;
    const span = note.citekeySpan ?? note.titleSpan ?? { start: 0, end: 0 };
    out.push(new vscode.Location(vscode.Uri.parse(uri, true), note.citekey && note.citekeySpan ? indexedKeyRange(indexed, span, note.citekey) : spanToRange(indexed.lineMap, span)));
  }
  for (const uri of new Set(paper.entries.map((e) => e.uri))) {
    const indexed = services.index.document(uri);
    if (!indexed) continue;
    const target = vscode.Uri.parse(uri, true);
    // The BibTeX parser keeps the first of two same-key entries in a file and reports the other; a rename must
    // still reach both, or the ignored one would take over the old key. Otherwise the resolved entries are the
    // ones to show: filtering the file's own list instead costs a pass over 20,000 entries per key.
    const ranges = keysOnly && indexed.kind === 'bibtex'
      ? bibtexEntryKeyRanges(indexed, paper.key)
      : paper.entries.filter((e) => e.uri === uri && e.entry.key === paper.key).map((e) => indexedKeyRange(indexed, e.entry.keySpan, e.entry.key));
    for (const range of ranges) out.push(new vscode.Location(target, range));
  }
  return out;
}

/** Every citation of `key`, with ranges from the live editor text where the document is open. */
export function citationLocations(services: ExtensionServices, key: string): vscode.Location[] {
  const out: vscode.Location[] = [];
  const byUri = new Map<string, Span[]>();
  for (const site of services.index.citationsOf(key)) {
    const spans = byUri.get(site.uri) ?? [];
    spans.push(site.citation.keySpan);
    byUri.set(site.uri, spans);
  }
  for (const [uri, spans] of byUri) {
    const open = openDocument(uri);
    const target = vscode.Uri.parse(uri, true);
    if (open && citationSyntax(open)) {
      for (const c of liveCitations(services, open)) if (c.key === key) out.push(new vscode.Location(target, spanToRange(open, c.keySpan)));
      continue;
    }
    const indexed = services.index.document(uri);
    if (!indexed) continue;
    for (const span of spans) out.push(new vscode.Location(target, spanToRange(indexed.lineMap, span)));
  }
  // An open document may cite the key in text the index has not seen yet.
  for (const doc of vscode.workspace.textDocuments) {
    const uri = doc.uri.toString();
    if (byUri.has(uri) || !citationSyntax(doc) || !doc.isDirty) continue;
    for (const c of liveCitations(services, doc)) if (c.key === key) out.push(new vscode.Location(doc.uri, spanToRange(doc, c.keySpan)));
  }
  return out;
}

/** A key every syntax we edit accepts: Pandoc's (internal punctuation only) minus BibTeX's forbidden characters. */
const VALID_KEY = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.\-+?<>~/](?=[\p{L}\p{N}_]))*$/u;

export function registerNavigation(services: ExtensionServices): vscode.Disposable {
  const definition: vscode.DefinitionProvider = {
    provideDefinition(doc, position) {
      const site = keySiteAt(services, doc, position);
      if (!site) return undefined;
      const paper = services.index.resolve(site.key, doc.uri.toString());
      if (!paper) return undefined;
      return definitionLocations(services, paper).map<vscode.LocationLink>((loc) => ({
        originSelectionRange: site.range,
        targetUri: loc.uri,
        targetRange: loc.range,
        targetSelectionRange: loc.range,
      }));
    },
  };

  const references: vscode.ReferenceProvider = {
    provideReferences(doc, position, context) {
      const site = keySiteAt(services, doc, position);
      if (!site) return undefined;
      const locations = citationLocations(services, site.key);
      if (context.includeDeclaration) {
        const paper = services.index.resolve(site.key, doc.uri.toString());
        if (paper) locations.unshift(...definitionLocations(services, paper));
      }
      return locations;
    },
  };

  const rename: vscode.RenameProvider = {
    prepareRename(doc, position) {
      const site = keySiteAt(services, doc, position);
      if (!site) throw new Error('Rename works on citation keys, bibliography entry keys and note citekeys.');
      const paper = services.index.resolve(site.key, doc.uri.toString());
      if (paper?.corpus && paper.entries.length === 0 && paper.notes.length === 0) {
        throw new Error(`'${site.key}' is a built-in corpus key; add it to your bibliography before renaming.`);
      }
      return { range: site.range, placeholder: site.key };
    },
    provideRenameEdits(doc, position, newName) {
      const site = keySiteAt(services, doc, position);
      if (!site) return undefined;
      const refusal = !VALID_KEY.test(newName)
        ? `'${newName}' is not a valid citation key (letters, digits, _ and internal :.-+?<>~/).`
        : newName !== site.key && services.index.resolve(newName)
          ? `A paper with key '${newName}' already exists.`
          : undefined;
      if (refusal) {
        // Throwing would hand the rename to the next provider (in Markdown, VS Code's link renamer, which would
        // then edit the citation as if it were a link label); an empty edit ends it here.
        void vscode.window.showWarningMessage(`Rename refused: ${refusal}`);
        return new vscode.WorkspaceEdit();
      }
      const edit = new vscode.WorkspaceEdit();
      const origin = doc.uri.toString();
      const seen = new Set<string>();
      const add = (location: vscode.Location, label: string) => {
        const id = `${location.uri.toString()}#${location.range.start.line}:${location.range.start.character}`;
        if (seen.has(id)) return;
        seen.add(id);
        // Edits outside the current file go through the refactor preview, so the user sees every file touched.
        edit.replace(location.uri, location.range, newName, { label, needsConfirmation: location.uri.toString() !== origin });
      };
      for (const location of citationLocations(services, site.key)) add(location, 'Citations');
      const paper = services.index.resolve(site.key, origin);
      if (paper) {
        for (const location of definitionLocations(services, paper, true)) add(location, 'Definitions');
      }
      if (site.kind !== 'citation') add(new vscode.Location(doc.uri, site.range), 'Definitions');
      return edit;
    },
  };

  return vscode.Disposable.from(
    vscode.languages.registerDefinitionProvider(KEY_SITE_SELECTOR, definition),
    vscode.languages.registerReferenceProvider(KEY_SITE_SELECTOR, references),
    vscode.languages.registerRenameProvider(KEY_SITE_SELECTOR, rename),
  );
}
