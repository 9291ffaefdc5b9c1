// Index state in the status bar ("indexing 120/400" → "42 papers · 3 unresolved"), a progress notification
// the first time a large workspace is indexed, and log lines for each build.
import * as vscode from 'vscode';
import type { IndexProgress } from '../core/index/types';
import type { ExtensionServices } from './services';
import { TimeSlicer } from '../core/timeSlice';
import { collectUnresolvedKeys } from './unresolvedKeys';

/** Below this many files the first build is quick enough that a notification would only flicker. */
const NOTIFY_FILES = 500;

export function registerStatusBar(services: ExtensionServices): vscode.Disposable {
  const { index } = services;
  const item = vscode.window.createStatusBarItem('interpReview.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Interpretability Review';
  item.command = 'interpReview.papers.focus';
  let progress: IndexProgress | undefined;
  let notified = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Bumped by every render, so a count still running for an older state stops. */
  let generation = 0;
  const render = () => {
    timer = undefined;
    const current = ++generation;
    if (index.indexing && progress && progress.total > 0) {
      item.text = `$(sync~spin) Indexing ${progress.done}/${progress.total}`;
      item.tooltip = 'Interpretability Review is indexing the workspace; hovers and completion answer from what is indexed so far.';
      // The last progress event can precede the end of the build; show the totals once it has settled.
      void index.ready().then(renderSoon);
    } else {
      void countPapers(current);
    }
  };

  /** Counts papers and unresolved keys over every document in short slices: 10,000 documents never block the host. */
  const countPapers = async (current: number) => {
    const keys = new Set<string>();
    const unresolvedKeys = await collectUnresolvedKeys(index, new TimeSlicer(), () => current !== generation, (doc) => {
      for (const entry of doc.entries) keys.add(entry.key);
      if (doc.note?.citekey) keys.add(doc.note.citekey);
    });
    if (!unresolvedKeys || current !== generation) return;
    const unresolved = unresolvedKeys.size;
    item.text = `$(book) ${keys.size} paper${keys.size === 1 ? '' : 's'}${unresolved ? ` · $(warning) ${unresolved} unresolved` : ''}`;
    item.tooltip = `${keys.size} papers in workspace bibliographies and notes, ${index.corpus.papers.length} in the built-in corpus; ${unresolved} unresolved citation keys. Click to show the Papers view.`;
  };
  const renderSoon = () => {
    timer ??= setTimeout(render, 150);
  };

  const notifyFirstBuild = (total: number) => {
    notified = true;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Indexing ${total} review files`, cancellable: false },
      async (report) => {
        let reported = 0;
        const subscription = index.onProgress((p) => {
          const percent = p.total ? Math.floor((p.done / p.total) * 100) : 0;
          if (percent > reported) {
            report.report({ increment: percent - reported, message: `${p.done}/${p.total}` });
            reported = percent;
          }
        });
        try {
          await index.ready();
        } finally {
          subscription.dispose();
        }
      },
    );
  };

  render();
  // Shown from the start and never hidden; its text follows the index.
  item.show();
  return vscode.Disposable.from(
    item,
    index.onProgress((p) => {
      progress = p;
      if (!notified && p.total >= NOTIFY_FILES && p.done < p.total) notifyFirstBuild(p.total);
      renderSoon();
    }),
    index.onDidChange((change) => {
      if (change.full) services.log.info('Index rebuilt');
      renderSoon();
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
