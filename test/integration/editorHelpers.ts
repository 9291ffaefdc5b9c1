// Shared steps for the editor-feature integration suites (not a suite itself: no `.test` in the name).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../../src/vscode/services';

export const EXTENSION_ID = 'interp-review.interp-review';

/** Activates the extension and waits for the first full index, then for diagnostics to be published. */
export async function ready(): Promise<ExtensionServices> {
  const extension = vscode.extensions.getExtension<ExtensionServices>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const services = await extension.activate();
  await services.index.ready();
  return services;
}

export function folderUri(index = 0): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[index];
  assert.ok(folder, `workspace folder ${index} is not open`);
  return folder.uri;
}

export function fixture(relative: string, folder = 0): vscode.Uri {
  return vscode.Uri.joinPath(folderUri(folder), ...relative.split('/'));
}

export async function open(relative: string, folder = 0): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(fixture(relative, folder));
}

/** Position of the `at`-th character of the `occurrence`-th match of `needle` in the document. */
export function positionOf(doc: vscode.TextDocument, needle: string, at = 0, occurrence = 0): vscode.Position {
  const text = doc.getText();
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    assert.ok(index >= 0, `'${needle}' (occurrence ${occurrence}) not found in ${doc.uri.path}`);
  }
  return doc.positionAt(index + at);
}

export function rangeOf(doc: vscode.TextDocument, needle: string, occurrence = 0): vscode.Range {
  const start = positionOf(doc, needle, 0, occurrence);
  return new vscode.Range(start, doc.positionAt(doc.offsetAt(start) + needle.length));
}

export function markdownOf(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n---\n');
}

export async function hoverAt(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
}

/** Polls until `check` returns a value other than undefined/false, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'interp-review');
}

export function sameUri(a: vscode.Uri, b: vscode.Uri): boolean {
  return a.toString() === b.toString();
}

/** Location or LocationLink → uri and range. */
export function target(location: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
  return 'targetUri' in location ? { uri: location.targetUri, range: location.targetSelectionRange ?? location.targetRange } : { uri: location.uri, range: location.range };
}

/** A throw-away folder inside the first workspace folder (git-ignored as `scratch-*`), removed by `dispose`. */
export async function scratchFolder(folder = 0): Promise<{ uri: vscode.Uri; dispose(): Promise<void> }> {
  const uri = vscode.Uri.joinPath(folderUri(folder), `scratch-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
  await vscode.workspace.fs.createDirectory(uri);
  return { uri, dispose: () => Promise.resolve(vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false })).catch(() => undefined) };
}

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** Applies a user-level setting for the duration of `body` (user settings live in the runner's fresh profile). */
export async function withSetting<T>(section: string, key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration(section);
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    await vscode.workspace.getConfiguration(section).update(key, undefined, vscode.ConfigurationTarget.Global);
  }
}

/**
 * Code actions at a range. VS Code cancels (or answers empty) a code-action request when the set of registered
 * providers changes mid-request — other extensions register theirs lazily as a document opens; the lightbulb
 * simply asks again, and so do we, a few times.
 */
export async function codeActionsAt(doc: vscode.TextDocument, range: vscode.Range, kind = vscode.CodeActionKind.QuickFix): Promise<vscode.CodeAction[]> {
  await vscode.window.showTextDocument(doc, { preview: false });
  for (let attempt = 1; ; attempt++) {
    try {
      const found = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, range, kind.value);
      const actions = found.filter((a): a is vscode.CodeAction => 'title' in a && 'kind' in a);
      if (actions.length > 0 || attempt >= 3) return actions;
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error) || error.message !== 'Canceled') throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
