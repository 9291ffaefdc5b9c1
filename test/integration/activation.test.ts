// Runs inside the extension host: the extension must load in the pinned VS Code and register what it declares.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'interp-review.interp-review';
// Set by both runners (scripts/test-integration.mjs, scripts/test-desktop.mjs) to the VS Code they pinned.
const EXPECTED_VSCODE_VERSION = process.env.INTERP_REVIEW_EXPECT_VSCODE_VERSION;

describe('extension activation', () => {
  it('runs in the pinned VS Code', () => {
    assert.ok(EXPECTED_VSCODE_VERSION, 'the runner did not say which VS Code version it started');
    assert.equal(vscode.version, EXPECTED_VSCODE_VERSION);
  });

  it('activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    const expectedLocation = process.env.INTERP_REVIEW_EXPECT_EXTENSION_UNDER;
    if (expectedLocation) assert.ok(extension.extensionPath.startsWith(expectedLocation), extension.extensionPath);
  });

  it('registers every command it contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const contributed: string[] = (extension.packageJSON.contributes?.commands ?? []).map(
      (command: { command: string }) => command.command,
    );
    assert.ok(contributed.includes('interpReview.reindex'), 'manifest lost interpReview.reindex');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
  });

  it('runs the reindex command', async () => {
    await vscode.commands.executeCommand('interpReview.reindex');
  });
});
