// The Open problems panel.
import type * as vscode from 'vscode';
import { buildProblemsView } from '../../core/views/problems';
import type { PanelState } from '../../protocol/messages';
import { displayPath, ReviewPanel, type PanelHost } from './panelBase';

export class ProblemsPanel extends ReviewPanel {
  constructor(panel: vscode.WebviewPanel, host: PanelHost, savedState?: PanelState) {
    super('problems', panel, host, savedState);
  }

  get state(): PanelState {
    return { view: 'problems' };
  }

  protected async build() {
    const index = this.host.services.index;
    const { model, lists } = buildProblemsView(index, { displayPath });
    return { message: { type: 'model' as const, view: 'problems' as const, model, indexing: index.indexing }, lists };
  }
}
