// Go to definition, find references and rename for element ids, across every file and module of the argument:
// YAML keys and `supportedBy`/`inContextOf` lists, Markdown element headings/items and their `supported by:`
// lines, challenges, ACPs and `develops` maps. A rename is one WorkspaceEdit.
import * as vscode from 'vscode';
import type { GsnModule } from '../../core/gsn/types';
import type { ExtensionServices } from '../services';
import { SAFETY_CASE_SELECTOR, idAt, idLocation, occurrenceLocations } from './argument';

/** gsn2x reads any YAML key as an id; we ask for a token that is also a valid Markdown element id's shape. */
const YAML_ID = /^[\p{L}\p{N}_][\p{L}\p{N}_.\-]*$/u;
/** The Markdown convention's id (src/core/gsn/README.md): a GSN prefix, then a digit or `-`/`_`/`.` and more. */
const MARKDOWN_ID = /^(?:CSn|CG|Sn|G|S|C|A|J)(?:\d|[-_.][A-Za-z0-9])[\w.\-]*$/;

/** Why `newId` cannot replace an id in these modules, or undefined when it can. */
export function renameProblem(newId: string, modules: readonly GsnModule[], oldId: string): string | undefined {
  if (!YAML_ID.test(newId)) return `'${newId}' is not a valid element id (letters, digits, _, . and -).`;
  if (newId === 'module') return "'module' is reserved by gsn2x.";
  if (modules.some((m) => m.format === 'markdown') && !MARKDOWN_ID.test(newId)) {
    return `'${newId}' would not be read as an element in Markdown: start with G, S, Sn, C, A, J, CG or CSn, then a digit (G12, Sn-probe).`;
  }
  if (newId !== oldId && modules.some((m) => m.elements.some((e) => e.id === newId))) return `An element '${newId}' already exists in this safety case.`;
  return undefined;
}

export function registerSafetyCaseNavigation(services: ExtensionServices): vscode.Disposable {
  const { index } = services;

  const definition: vscode.DefinitionProvider = {
    provideDefinition(doc, position) {
      const found = idAt(index, doc, position);
      const site = found?.index.get(found.id);
      if (!found || !site) return undefined;
      const location = idLocation(index, site.module.uri, site.element.idSpan, site.element.id);
      if (!location) return undefined;
      return [{ originSelectionRange: found.range, targetUri: location.uri, targetRange: location.range, targetSelectionRange: location.range }];
    },
  };

  const references: vscode.ReferenceProvider = {
    provideReferences(doc, position, context) {
      const found = idAt(index, doc, position);
      if (!found) return undefined;
      return occurrenceLocations(index, found.modules, found.id, context.includeDeclaration ? ['definition', 'reference'] : ['reference']);
    },
  };

  const rename: vscode.RenameProvider = {
    prepareRename(doc, position) {
      const found = idAt(index, doc, position);
      if (!found) throw new Error('Rename works on safety-case element ids.');
      return { range: found.range, placeholder: found.id };
    },
    provideRenameEdits(doc, position, newName) {
      const found = idAt(index, doc, position);
      if (!found) return undefined;
      const newId = newName.trim();
      const problem = renameProblem(newId, found.modules, found.id);
      if (problem) throw new Error(problem);
      const edit = new vscode.WorkspaceEdit();
      const seen = new Set<string>();
      for (const location of occurrenceLocations(index, found.modules, found.id)) {
        const key = `${location.uri.toString()}#${location.range.start.line}:${location.range.start.character}`;
        if (seen.has(key)) continue;
        seen.add(key);
        edit.replace(location.uri, location.range, newId);
      }
      return edit;
    },
  };

  return vscode.Disposable.from(
    vscode.languages.registerDefinitionProvider(SAFETY_CASE_SELECTOR, definition),
    vscode.languages.registerReferenceProvider(SAFETY_CASE_SELECTOR, references),
    vscode.languages.registerRenameProvider(SAFETY_CASE_SELECTOR, rename),
  );
}
