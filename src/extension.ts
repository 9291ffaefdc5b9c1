// Entry point: wires every feature module once. Each module returns a Disposable that the context owns.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Interpretability Review', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('interpReview.showLog', () => log.show()),
    vscode.commands.registerCommand('interpReview.reindex', () => log.info('Reindex requested')),
  );
  log.info(`Activated in VS Code ${vscode.version}`);
}

export function deactivate(): void {}
