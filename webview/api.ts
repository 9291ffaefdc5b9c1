// The page's side of the protocol: typed posting, and the state VS Code keeps across reloads.
import { parsePanelState, type PageMessage, type PanelKind, type PanelState } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

export const view: PanelKind = ((): PanelKind => {
  const declared = document.body.dataset.view;
  return declared === 'methods' || declared === 'paper' || declared === 'dashboard' ? declared : 'problems';
})();

let state: PanelState = parsePanelState(vscode.getState(), view);

export function post(message: PageMessage): void {
  vscode.postMessage(message);
}

export function getState(): Readonly<PanelState> {
  return state;
}

export function updateState(patch: Partial<Omit<PanelState, 'view'>>): void {
  state = { ...state, ...patch, view };
  vscode.setState(state);
  post({ type: 'state', state });
}

/** Resumes the state the host saved for this panel (a new page after a window reload). */
export function resumeState(saved: PanelState): void {
  state = parsePanelState(saved, view);
  vscode.setState(state);
}
