// Hover and completion as their providers compute them (src/vscode/hover.ts, completion.ts): the same pure
// functions over the same index, timed per request, without only the final conversion to VS Code types.
import { readFileSync } from 'node:fs';
import type { ReviewIndex } from '../src/core/index/types';
import { pathFromFileUri } from '../src/core/uri';
import { citationQueryAt } from '../src/vscode/citationQuery';
import { noteExcerpt, paperHoverMarkdown, unresolvedHoverMarkdown } from '../src/vscode/hoverContent';
import { PaperCatalog } from '../src/vscode/paperCatalog';

/** Completion offers at most this many items, as the provider does. */
const MAX_ITEMS = 400;

export function p95(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)];
}

function timed(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

/** One hover per citation site: find the citation under the cursor, resolve it, count its uses, render. */
export function hoverLatencies(index: ReviewIndex, uris: readonly string[], perDocument: number): number[] {
  const samples: number[] = [];
  for (const uri of uris) {
    const citations = index.document(uri)?.citations ?? [];
    const step = Math.max(1, Math.floor(citations.length / perDocument));
    for (let i = 0; i < citations.length && samples.length < uris.length * perDocument; i += step) {
      const offset = citations[i].keySpan.start + 1;
      samples.push(
        timed(() => {
          const citation = index.document(uri)!.citations.find((c) => c.keySpan.start <= offset && offset <= c.keySpan.end)!;
          const paper = index.resolve(citation.key, uri);
          if (!paper) return unresolvedHoverMarkdown(citation.key, index.suggest(citation.key, 3));
          const sites = index.citationsOf(citation.key);
          const note = paper.notes[0];
          const noteText = note ? readFileSync(pathFromFileUri(note.uri), 'utf8') : undefined;
          return paperHoverMarkdown({
            paper,
            stats: { citations: sites.length, documents: new Set(sites.map((s) => s.uri)).size },
            noteExcerpt: noteText && note ? noteExcerpt(noteText.slice(note.note.bodyStart)) : undefined,
            definedIn: [...paper.entries.map((e) => e.uri), ...paper.notes.map((n) => n.uri)],
          });
        }),
      );
    }
  }
  return samples;
}

/**
 * Completion after typing into a document: `@` plus the first letters of a key, or an author and a year
 * (`@nanda 2023`). The catalog is built once per index change, like the provider's; `catalogBuildMs` is that.
 */
export function completionLatencies(index: ReviewIndex, texts: readonly string[], queries: readonly string[]): { samples: number[]; catalogBuildMs: number } {
  const catalog = new PaperCatalog(index);
  const catalogBuildMs = timed(() => catalog.papers());
  const samples: number[] = [];
  queries.forEach((query, i) => {
    const text = `${texts[i % texts.length]}\nAs shown by [@${query}`;
    samples.push(
      timed(() => {
        const found = citationQueryAt(text, text.length, 'pandoc');
        if (!found) throw new Error(`no completion context for '@${query}'`);
        return catalog.search(found.query, MAX_ITEMS);
      }),
    );
  });
  catalog.dispose();
  return { samples, catalogBuildMs };
}
