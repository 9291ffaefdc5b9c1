// The editor side of safety cases: code lenses, hover, navigation and rename of element ids, completion,
// the "Safety Case" view and outline, and the diagram panel. Diagnostics come from the index like all others.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { registerSafetyCaseCodeLens } from './codeLens';
import { registerSafetyCaseCompletion } from './completion';
import { registerDiagramPanel } from './diagramPanel';
import { registerSafetyCaseHover } from './hover';
import { registerSafetyCaseNavigation } from './navigation';
import { registerSafetyCaseOutline } from './outline';

export function registerSafetyCases(services: ExtensionServices): vscode.Disposable {
  return vscode.Disposable.from(
    registerSafetyCaseCodeLens(services),
    registerSafetyCaseHover(services),
    registerSafetyCaseNavigation(services),
    registerSafetyCaseCompletion(services),
    registerSafetyCaseOutline(services),
    registerDiagramPanel(services),
  );
}
