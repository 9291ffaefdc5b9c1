// The Review dashboard panel.
import type * as vscode from 'vscode';
import { buildDashboardView } from '../../core/views/dashboard';
import type { PanelState } from '../../protocol/messages';
import { displayPath, ReviewPanel, type PanelHost } from './panelBase';

export class DashboardPanel extends ReviewPanel {
  constructor(panel: vscode.WebviewPanel, host: PanelHost, savedState?: PanelState) {
    super('dashboard', panel, host, savedState);
  }

  get state(): PanelState {
    return { view: 'dashboard' };
  }

  protected async build() {
    const index = this.host.services.index;
    const { model, lists } = buildDashboardView(index, { displayPath });
    return { message: { type: 'model' as const, view: 'dashboard' as const, model, indexing: index.indexing }, lists };
  }
}
