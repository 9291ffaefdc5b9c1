// Recovery for webview pages that never start. In VS Code for the Web served from one origin (code-server), every
// webview registers its own service worker in one shared scope; when two webviews start together, as after a
// window reload, one can lose its handshake with a worker that the other's replaces, and its frame then waits
// forever. Setting the HTML again reuses that frame, so only a new webview recovers: the owner of a stalled panel
// opens a fresh one in its place.
import * as vscode from 'vscode';

/** How long a visible page may take from loading (or being shown again) to saying `ready`. */
const PAGE_START_TIMEOUT_MS = 5000;
/** A page that stalls again after this many fresh webviews has a cause a new one will not fix. */
const MAX_REPLACEMENTS = 2;

/** Calls `onStall` when the visible page has not started in time after `expectStart`. */
export class PageStartWatch implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly onStall: () => void,
  ) {}

  /** The page is loading: its HTML was set, or it was shown again after VS Code dropped it while hidden. */
  expectStart(): void {
    this.dispose();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.panel.visible) this.onStall();
    }, PAGE_START_TIMEOUT_MS);
  }

  /** The page said `ready`. */
  started(): void {
    this.dispose();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Counts the fresh webviews each panel got for a stalled page, so an owner replaces a panel at most twice. */
export class StallReplacements {
  private readonly counts = new Map<string, number>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Whether panel `id` (shown as `title`) may get another webview; says so in the log either way. */
  allow(id: string, title: string): boolean {
    const replacements = this.counts.get(id) ?? 0;
    if (replacements >= MAX_REPLACEMENTS) {
      this.log.error(`${title}: the page did not start in ${replacements + 1} webviews; giving up`);
      return false;
    }
    this.counts.set(id, replacements + 1);
    this.log.warn(`${title}: the page did not start; replacing its webview`);
    return true;
  }

  /** Panel `id`'s page started: a later stall counts from zero. */
  started(id: string): void {
    this.counts.delete(id);
  }
}

/** Where a new webview panel opens: a column, or a column and whether the focus stays where it is. */
export type PanelPlacement = vscode.ViewColumn | { viewColumn: vscode.ViewColumn; preserveFocus: boolean };

/** Where a replacement goes: the stalled panel's column, without taking the focus from what the user is doing. */
export function replacementPlacement(stalled: vscode.WebviewPanel): PanelPlacement {
  return { viewColumn: stalled.viewColumn ?? vscode.ViewColumn.Active, preserveFocus: true };
}
