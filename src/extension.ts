// Entry point: builds the one `ExtensionServices` object and wires every feature module once. Indexing starts
// after activation returns (never awaited here); providers answer from whatever is indexed so far.
import * as vscode from 'vscode';
import { defaultParsers } from './core/index/defaultParsers';
import { WorkspaceIndex } from './core/index/workspaceIndex';
import { createCacheStore } from './vscode/cacheStore';
import { registerCodeActions } from './vscode/codeActions';
import { registerCodeLens } from './vscode/codeLens';
import { registerCommands } from './vscode/commands';
import { registerCompletion } from './vscode/completion';
import { EditorSettings, readCoreConfig, watchCoreConfig } from './vscode/config';
import { registerDiagnostics } from './vscode/diagnostics';
import { registerDocumentSync } from './vscode/documentSync';
import { registerHover } from './vscode/hover';
import { registerNavigation } from './vscode/navigation';
import { registerPanels } from './vscode/panels';
import { registerSafetyCases } from './vscode/safetyCase';
import { PaperCatalog } from './vscode/paperCatalog';
import type { ExtensionServices } from './vscode/services';
import { registerStatusBar } from './vscode/statusBar';
import { registerViews } from './vscode/views';
import { VsCodeWorkspaceFs } from './vscode/workspaceFs';

export function activate(context: vscode.ExtensionContext): ExtensionServices {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Interpretability Review', { log: true });
  const index = new WorkspaceIndex({
    fs: new VsCodeWorkspaceFs(),
    config: readCoreConfig(),
    logger: log,
    cache: createCacheStore(context),
    parsers: defaultParsers,
  });
  const services: ExtensionServices = { context, index, log, settings: new EditorSettings(), catalog: new PaperCatalog(index) };

  context.subscriptions.push(
    log,
    { dispose: () => index.dispose() },
    services.catalog,
    watchCoreConfig((config) => index.updateConfig(config)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void index.reindex()),
    registerDocumentSync(services),
    registerStatusBar(services),
    registerDiagnostics(services),
    registerHover(services),
    registerCompletion(services),
    registerNavigation(services),
    registerCodeActions(services),
    registerCodeLens(services),
    registerViews(services),
    registerCommands(services),
    registerPanels(services),
    registerSafetyCases(services),
  );

  log.info(`Activated in VS Code ${vscode.version} (${(performance.now() - started).toFixed(0)} ms); indexing starts now`);
  const indexStart = performance.now();
  index.start().then(
    () => log.info(`Initial index: ${[...index.documents()].length} documents in ${(performance.now() - indexStart).toFixed(0)} ms`),
    (error: unknown) => log.error(`Indexing failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  return services;
}

export function deactivate(): void {}
