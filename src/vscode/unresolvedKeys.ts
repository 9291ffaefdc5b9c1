// The citation keys that resolve nowhere, collected over the whole index in time slices (the status bar counts
// them, the Papers view lists them). The index's own `unresolved()` is one synchronous pass over every citation.
import type { IndexedDocument, ReviewIndex } from '../core/index/types';
import type { TimeSlicer } from '../core/timeSlice';

/**
 * Keys cited somewhere and resolvable from nowhere they are cited, or undefined once `stale()` says a newer
 * index state has made the answer useless. `visit` sees every document on the way.
 */
export async function collectUnresolvedKeys(
  index: ReviewIndex,
  slicer: TimeSlicer,
  stale: () => boolean,
  visit?: (doc: IndexedDocument) => void,
): Promise<Set<string> | undefined> {
  const unresolved = new Set<string>();
  // Only a document with its own `bibliography:` resolves differently from the workspace at large; a long
  // review cites the same keys over and over, so its answers are remembered too.
  const inWorkspace = new Map<string, boolean>();
  for (const doc of [...index.documents()]) {
    if (stale()) return undefined;
    visit?.(doc);
    const scope = doc.bibliography ? doc.uri : undefined;
    const known = scope ? new Map<string, boolean>() : inWorkspace;
    for (const key of doc.citedKeys) {
      if (!unresolved.has(key)) {
        let resolves = known.get(key);
        if (resolves === undefined) known.set(key, (resolves = index.resolve(key, scope) !== undefined));
        if (!resolves) unresolved.add(key);
      }
      if ((await slicer.pauseIfOver()) && stale()) return undefined;
    }
    if ((await slicer.pauseIfOver()) && stale()) return undefined;
  }
  return unresolved;
}
