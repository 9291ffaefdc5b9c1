// The one object `activate` builds and hands to every feature module (no global singletons).
import type * as vscode from 'vscode';
import type { ReviewIndex } from '../core/index/types';
import type { EditorSettings } from './config';
import type { PaperCatalog } from './paperCatalog';

export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  readonly index: ReviewIndex;
  readonly log: vscode.LogOutputChannel;
  readonly settings: EditorSettings;
  readonly catalog: PaperCatalog;
}
