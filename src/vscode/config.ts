// Maps `interpReview.*` settings (plus `files.exclude`) to the core's `CoreConfig` and re-applies on change.
import * as vscode from 'vscode';
import type { Severity } from '../core/model';
import { defaultConfig, type CoreConfig } from '../core/workspace';
import { DEFAULT_NOTE_TEMPLATE } from './paperText';

export const SECTION = 'interpReview';

export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

const MB = 1024 * 1024;

function setting<T>(key: string, fallback: T, scope?: vscode.ConfigurationScope): T {
  return vscode.workspace.getConfiguration(SECTION, scope).get<T>(key, fallback);
}

/** Joins a root-relative path onto a folder URI; absolute URIs and absolute paths are kept as they are. */
function resolveAgainst(folder: vscode.Uri | undefined, path: string): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(path) && !/^[a-z]:[\\/]/i.test(path)) return path;
  if (path.startsWith('/') || /^[a-z]:[\\/]/i.test(path)) return vscode.Uri.file(path).toString();
  return folder ? vscode.Uri.joinPath(folder, path).toString() : path;
}

/**
 * Root-relative globs of `files.exclude` that are on. A pattern hides a folder with everything in it, so each
 * also gets a `/**` form. Entries with a `when` clause depend on sibling files; we exclude conservatively.
 */
function filesExclude(scope?: vscode.ConfigurationScope): string[] {
  const value = vscode.workspace.getConfiguration('files', scope).get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(value)
    .filter(([, on]) => on === true || (typeof on === 'object' && on !== null))
    .flatMap(([glob]) => {
      const clean = glob.replace(/^\/+|\/+$/g, '');
      return [clean, `${clean}/**`];
    });
}

/** Reads the core configuration; folder-scoped settings of every workspace folder are merged. */
export function readCoreConfig(): CoreConfig {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const scopes: (vscode.WorkspaceFolder | undefined)[] = folders.length ? [...folders] : [undefined];
  const exclude = new Set<string>(setting('files.exclude', defaultConfig.exclude));
  const bibliographies = new Set<string>();
  for (const folder of scopes) {
    for (const glob of filesExclude(folder)) exclude.add(glob);
    for (const bib of setting<string[]>('bibliographies', [], folder)) bibliographies.add(resolveAgainst(folder?.uri, bib));
  }
  return {
    include: setting('files.include', defaultConfig.include),
    exclude: [...exclude],
    bibliographies: [...bibliographies],
    noteFolder: setting('notes.folder', defaultConfig.noteFolder),
    largeBibBytes: setting('limits.largeBibliographyMB', defaultConfig.largeBibBytes / MB) * MB,
    largeDocumentBytes: setting('limits.largeDocumentMB', defaultConfig.largeDocumentBytes / MB) * MB,
    maxFileBytes: setting('limits.maxFileMB', defaultConfig.maxFileBytes / MB) * MB,
    corpusEnabled: setting('corpus.enabled', defaultConfig.corpusEnabled),
  };
}

/** Settings the adapters read per resource (they may differ between folders of a multi-root workspace). */
export class EditorSettings {
  noteFolder(scope: vscode.Uri | undefined): string {
    return setting('notes.folder', defaultConfig.noteFolder, scope).replace(/^\/+|\/+$/g, '') || defaultConfig.noteFolder;
  }

  noteTemplate(scope: vscode.Uri | undefined): string {
    const template = setting('notes.template', '', scope);
    return template.trim() ? template : DEFAULT_NOTE_TEMPLATE;
  }

  codeLens(scope: vscode.Uri | undefined): { claims: boolean; notes: boolean } {
    const enabled = setting('codeLens.enabled', true, scope);
    return { claims: enabled && setting('codeLens.claims', true, scope), notes: enabled && setting('codeLens.notes', true, scope) };
  }

  diagnosticsEnabled(scope: vscode.Uri | undefined): boolean {
    return setting('diagnostics.enabled', true, scope);
  }

  /** The configured severity of a rule, or the core's own when not configured. `undefined` = rule switched off. */
  severity(code: string, core: Severity, scope: vscode.Uri | undefined): vscode.DiagnosticSeverity | undefined {
    const overrides = setting<Record<string, SeveritySetting>>('diagnostics.severity', {}, scope);
    // `gsn-*`, `safety-*`, `frontmatter-*`, `bib-*` set a whole family of rules at once.
    const family = `${code.split('-')[0]}-*`;
    const chosen: SeveritySetting = overrides[code] ?? overrides[family] ?? (core === 'info' ? 'information' : core);
    switch (chosen) {
      case 'error':
        return vscode.DiagnosticSeverity.Error;
      case 'warning':
        return vscode.DiagnosticSeverity.Warning;
      case 'information':
        return vscode.DiagnosticSeverity.Information;
      case 'hint':
        return vscode.DiagnosticSeverity.Hint;
      default:
        return undefined;
    }
  }
}

/** Pushes a fresh `CoreConfig` to `apply` whenever a setting that feeds it changes. */
export function watchCoreConfig(apply: (config: CoreConfig) => void): vscode.Disposable {
  const refresh = () => apply(readCoreConfig());
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION) || e.affectsConfiguration('files.exclude')) refresh();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(refresh),
  );
}
