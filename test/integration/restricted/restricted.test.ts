// Restricted Mode: workspace trust is on and the folder is not trusted. package.json declares
// `untrustedWorkspaces.supported: true` (the extension runs no workspace code and reads files only through
// workspace.fs), so every read-only feature must work as in a trusted window.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, hoverAt, markdownOf, open, ourDiagnostics, positionOf, ready, target, waitFor } from '../editorHelpers';

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] }; virtualWorkspaces: unknown };
}

describe('Restricted Mode (untrusted workspace)', function () {
  this.timeout(60_000);

  it('the window really is untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner opened the folder with workspace trust enabled and untrusted');
  });

  it('the manifest declares support for untrusted and virtual workspaces', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest;
    const onDisk = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as Manifest;
    assert.deepEqual(manifest.capabilities, onDisk.capabilities);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
    assert.equal(manifest.capabilities.virtualWorkspaces, true);
  });

  it('activates and indexes the workspace', async () => {
    const services = await ready();
    assert.ok([...services.index.documents()].length > 5);
    assert.ok(services.index.resolve('elhage2022toy')?.entries.length);
  });

  it('hover, definition, completion and diagnostics work', async () => {
    await ready();
    const doc = await open('review.md');
    await vscode.window.showTextDocument(doc);
    const hover = markdownOf(await hoverAt(doc, positionOf(doc, '@elhage2022toy;', 5)));
    assert.match(hover, /Toy Models of Superposition/);

    const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, '@elhage2022toy', 3));
    assert.ok(definitions.some((d) => target(d).uri.path.endsWith('/refs.bib')));

    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, positionOf(doc, '@elhage2022toy', 3), '@');
    assert.ok(list.items.length > 0);

    const unresolved = await waitFor('diagnostics on review.md', () => {
      const found = ourDiagnostics(doc.uri).filter((d) => d.code === 'unresolved-citation' || (typeof d.code === 'object' && d.code.value === 'unresolved-citation'));
      return found.length > 0 && found;
    });
    assert.ok(unresolved.some((d) => doc.getText(d.range) === 'elhage2022toi'));
  });
});
