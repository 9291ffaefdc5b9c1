// Which kind of document a file is, from its name and (for JSON/YAML, which many tools use) a cheap look at
// its first bytes: package.json or a CI workflow must not be parsed as a bibliography.
import { uriBasename, uriExtname } from '../uri';
import type { DocumentKind } from './types';

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.qmd', '.rmd']);
const BIBTEX_EXTENSIONS = new Set(['.bib', '.biblatex']);
const SNIFF_CHARS = 4096;

/** The kind implied by the file name alone; `undefined` for files the index never reads. */
export function kindFromName(uri: string): DocumentKind | 'json' | 'yaml' | undefined {
  const ext = uriExtname(uri);
  if (MARKDOWN_EXTENSIONS.has(ext)) return 'markdown';
  if (ext === '.tex') return 'latex';
  if (BIBTEX_EXTENSIONS.has(ext)) return 'bibtex';
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return /\.gsn\.ya?ml$/i.test(uriBasename(uri)) ? 'gsn' : 'yaml';
  return undefined;
}

/** CSL-JSON is a top-level array of objects with an `id` and a `type` or `title`. */
export function looksLikeCslJson(text: string): boolean {
  const head = text.slice(0, SNIFF_CHARS);
  const first = /\S/.exec(head.replace(/^\uFEFF/, ''));
  if (!first || first[0] !== '[') return false;
  return /"id"\s*:/.test(head) && /"(?:type|title)"\s*:/.test(head);
}

/** CSL-YAML has a top-level `references:` list, or is itself a list of items with `id:`. */
export function looksLikeCslYaml(text: string): boolean {
  const head = text.slice(0, SNIFF_CHARS);
  return /^references[ \t]*:/m.test(head) || /^-[ \t]+id[ \t]*:/m.test(head);
}

/** The document kind of a file given its decoded text; `undefined` when it is not ours to index. */
export function documentKind(uri: string, text: string): DocumentKind | undefined {
  const byName = kindFromName(uri);
  if (byName === 'json') return looksLikeCslJson(text) ? 'csl-json' : undefined;
  if (byName === 'yaml') return looksLikeCslYaml(text) ? 'csl-yaml' : undefined;
  return byName;
}

/** Git's heuristic: a NUL byte in the first 8 KB means binary. */
export function isBinary(bytes: Uint8Array): boolean {
  // A native search: the per-byte loop was a measurable share of a cold index of small notes, and so was making
  // a view for each of them (0.24 against 0.06 µs per note).
  return (bytes.length > 8192 ? bytes.subarray(0, 8192) : bytes).indexOf(0) !== -1;
}
