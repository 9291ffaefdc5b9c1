// Maps `interpReview.*` settings (plus `files.exclude`) to the core's `CoreConfig` and re-applies on change.
import * as vscode from 'vscode';
import type { Severity } from '../core/model';
import { defaultConfig, type CoreConfig } from '../core/workspace';
import { DEFAULT_NOTE_TEMPLATE } from './paperText';

const SECTION = 'interpReview';

export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

const MB = 1024 * 1024;

function setting<T>(key: string, fallback: T, scope?: vscode.ConfigurationScope): T {
  return vscode.workspace.getConfiguration(SECTION, scope).get<T>(key, fallback);
}

// settings.json is hand-edited: a value of the wrong type falls back to the default instead of reaching the core.
function stringList(key: string, fallback: string[], scope?: vscode.ConfigurationScope): string[] {
  const value: unknown = setting<unknown>(key, fallback, scope);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : fallback;
}

function megabytes(key: string, fallbackBytes: number): number {
  const value: unknown = setting<unknown>(key, fallbackBytes / MB);
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value * MB : fallbackBytes;
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
  const exclude = new Set<string>(stringList('files.exclude', defaultConfig.exclude));
  const bibliographies = new Set<string>();
  for (const folder of scopes) {
    for (const glob of filesExclude(folder)) exclude.add(glob);
    for (const bib of stringList('bibliographies', [], folder)) bibliographies.add(resolveAgainst(folder?.uri, bib));
  }
  return {
    include: stringList('files.include', defaultConfig.include),
    exclude: [...exclude],
    bibliographies: [...bibliographies],
    noteFolder: new EditorSettings().noteFolder(folders[0]?.uri),
    largeBibBytes: megabytes('limits.largeBibliographyMB', defaultConfig.largeBibBytes),
    largeDocumentBytes: megabytes('limits.largeDocumentMB', defaultConfig.largeDocumentBytes),
    maxFileBytes: megabytes('limits.maxFileMB', defaultConfig.maxFileBytes),
    corpusEnabled: setting<unknown>('corpus.enabled', defaultConfig.corpusEnabled) !== false,
  };
}

/** Settings the adapters read per resource (they may differ between folders of a multi-root workspace). */
export class EditorSettings {
  /** Root-relative, without leading/trailing slashes; `..` segments are dropped so notes stay in the folder. */
  noteFolder(scope: vscode.Uri | undefined): string {
    const value: unknown = setting<unknown>('notes.folder', defaultConfig.noteFolder, scope);
    const clean = typeof value === 'string' ? value.split(/[\\/]+/).filter((part) => part && part !== '.' && part !== '..').join('/') : '';
    return clean || defaultConfig.noteFolder;
  }

  noteTemplate(scope: vscode.Uri | undefined): string {
    const template: unknown = setting<unknown>('notes.template', '', scope);
    return typeof template === 'string' && template.trim() ? template : DEFAULT_NOTE_TEMPLATE;
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
    const configured: unknown = setting<unknown>('diagnostics.severity', {}, scope);
    const overrides = (configured && typeof configured === 'object' ? configured : {}) as Record<string, SeveritySetting | undefined>;
    // `gsn-*`, `safety-*`, `frontmatter-*`, `bib-*` set a whole family of rules at once.
    const family = `${code.split('-')[0]}-*`;
    const known = (v: unknown): v is SeveritySetting => typeof v === 'string' && ['error', 'warning', 'information', 'hint', 'off'].includes(v);
    const own = overrides[code];
    const familyValue = overrides[family];
    const chosen: SeveritySetting = known(own) ? own : known(familyValue) ? familyValue : core === 'info' ? 'information' : core;
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
