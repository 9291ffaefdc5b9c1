// Runs inside the extension host opened on test/fixtures/multiroot.code-workspace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('multi-root workspace', () => {
  it('opens both folders', () => {
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((folder) => folder.name), ['a', 'b']);
  });

  it('activates the extension', async () => {
    const extension = vscode.extensions.getExtension('interp-review.interp-review');
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('sees a Markdown file in each folder', async () => {
    const files = await vscode.workspace.findFiles('**/*.md');
    const folders = new Set(files.map((file) => vscode.workspace.getWorkspaceFolder(file)?.name));
    assert.deepEqual([...folders].sort(), ['a', 'b']);
  });
});
