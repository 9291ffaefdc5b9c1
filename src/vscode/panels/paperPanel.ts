// The Paper panel: one per key.
import * as vscode from 'vscode';
import { buildPaperView } from '../../core/views/paper';
import type { PanelState } from '../../protocol/messages';
import { displayPath, ReviewPanel, type PanelHost } from './panelBase';

/** The text the user sees: an open editor's buffer, else the file on disk. */
async function readText(uri: string): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri);
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.parse(uri, true)));
  } catch {
    return undefined;
  }
}

export class PaperPanel extends ReviewPanel {
  constructor(
    panel: vscode.WebviewPanel,
    host: PanelHost,
    readonly key: string,
    savedState?: PanelState,
  ) {
    super('paper', panel, host, savedState);
    // The key, not the title: stable across edits and the name the user cites it by.
    panel.title = `Paper: ${key}`;
  }

  get state(): PanelState {
    return { view: 'paper', key: this.key };
  }

  protected ownsState(state: PanelState): boolean {
    return state.view === 'paper' && state.key === this.key;
  }

  protected async build() {
    const index = this.host.services.index;
    const { model, lists } = await buildPaperView(index, this.key, { displayPath, readText });
    return { message: { type: 'model' as const, view: 'paper' as const, model, indexing: index.indexing }, lists };
  }
}
