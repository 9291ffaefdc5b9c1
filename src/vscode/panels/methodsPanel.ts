// The Methods panel.
import type * as vscode from 'vscode';
import { buildMethodsView } from '../../core/views/methods';
import type { PanelState } from '../../protocol/messages';
import { displayPath, ReviewPanel, type PanelHost } from './panelBase';

export class MethodsPanel extends ReviewPanel {
  constructor(panel: vscode.WebviewPanel, host: PanelHost, savedState?: PanelState) {
    super('methods', panel, host, savedState);
  }

  get state(): PanelState {
    return { view: 'methods' };
  }

  protected async build() {
    const index = this.host.services.index;
    const { model, lists } = buildMethodsView(index, { displayPath });
    return { message: { type: 'model' as const, view: 'methods' as const, model, indexing: index.indexing }, lists };
  }
}
