// Text we generate from paper metadata: a BibTeX entry, a plain-text reference and a new paper note.
// Pure (no `vscode` import) so the output is unit-tested.
import type { CorpusPaper } from '../core/corpus/types';
import type { PaperInfo } from '../core/model';

const BIBTEX_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  '$': '\\$',
  '#': '\\#',
  '_': '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Escapes the characters BibTeX/LaTeX treat specially inside a braced field value. */
export function bibtexValue(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\{}&%$#_~^]/g, (c) => BIBTEX_ESCAPES[c]);
}

/** A BibTeX entry for a corpus paper, so the project's own bibliography can carry it. */
export function corpusPaperToBibtex(paper: CorpusPaper): string {
  const fields: [string, string][] = [];
  fields.push(['title', `{${bibtexValue(paper.title)}}`]);
  if (paper.authors.length) fields.push(['author', bibtexValue(paper.authors.join(' and '))]);
  fields.push(['year', String(paper.year)]);
  // Corpus venues are journals, proceedings and online threads alike; `journal` renders acceptably for all.
  const type = paper.venue ? 'article' : 'misc';
  if (paper.venue) fields.push(['journal', bibtexValue(paper.venue)]);
  if (paper.arxiv) {
    fields.push(['eprint', bibtexValue(paper.arxiv)]);
    fields.push(['archiveprefix', 'arXiv']);
  }
  if (paper.url) fields.push(['url', paper.url.replace(/[{}\s]/g, encodeURIComponent)]);
  const width = Math.max(...fields.map(([name]) => name.length));
  const body = fields.map(([name, value]) => `  ${name.padEnd(width)} = {${value}}`).join(',\n');
  return `@${type}{${paper.key},\n${body}\n}\n`;
}

/** "Elhage, N., Nanda, N. (2021). Title. Venue. https://doi.org/…" — for the clipboard. */
export function plainReference(key: string, info: PaperInfo): string {
  const authors = info.authors.length > 6 ? `${info.authors.slice(0, 6).join('; ')}; et al.` : info.authors.join('; ');
  const parts = [authors ? `${authors} (${info.year ?? 'n.d.'}).` : `(${info.year ?? 'n.d.'}).`];
  parts.push(`${info.title ?? key}.`);
  if (info.venue) parts.push(`${info.venue}.`);
  if (info.doi) parts.push(`https://doi.org/${info.doi}`);
  else if (info.arxiv) parts.push(`arXiv:${info.arxiv}`);
  else if (info.url) parts.push(info.url);
  return parts.join(' ');
}

/** File name for a key's note: characters that are unsafe in paths on any OS become `-`. */
export function noteFileName(key: string): string {
  const safe = key.replace(/[\\/:*?"<>|#%\s]/g, '-').replace(/^\.+/, '');
  return `${safe || 'note'}.md`;
}

export const DEFAULT_NOTE_TEMPLATE = [
  '---',
  'citekey: ${key}',
  'title: ${title}',
  'authors: ${authors}',
  'year: ${year}',
  'tags: []',
  'methods: []',
  'problems: []',
  'status: to-read',
  '---',
  '',
  '# ${title}',
  '',
  '## Summary',
  '',
  '## Claims and evidence',
  '',
  '## Relevance to the review',
  '',
].join('\n');

/** YAML-safe scalar: quoted with JSON rules whenever plain style could be misread. */
function yamlScalar(text: string): string {
  if (text === '') return "''";
  return /^[\w][\w .,()'’-]*$/u.test(text) && !/: |\s#/.test(text) && !/^(true|false|null|yes|no|~)$/i.test(text)
    ? text
    : JSON.stringify(text);
}

/**
 * Fills `${key}`, `${title}`, `${authors}`, `${year}`, `${venue}`, `${url}` and `${date}`. Values in the
 * frontmatter are YAML-quoted as needed; `${authors}` becomes a YAML flow list there.
 */
export function renderNoteTemplate(template: string, key: string, info: PaperInfo, today: Date): string {
  const values: Record<string, string> = {
    key,
    title: info.title ?? key,
    year: info.year ?? '',
    venue: info.venue ?? '',
    url: info.url ?? (info.doi ? `https://doi.org/${info.doi}` : info.arxiv ? `https://arxiv.org/abs/${info.arxiv}` : ''),
    date: today.toISOString().slice(0, 10),
  };
  const fence = /^---\r?\n[\s\S]*?\r?\n---(\r?\n|$)/.exec(template);
  const frontEnd = fence ? fence[0].length : 0;
  const fill = (text: string, inYaml: boolean) =>
    text.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
      if (name === 'authors') {
        return inYaml ? `[${info.authors.map((a) => JSON.stringify(a)).join(', ')}]` : info.authors.join('; ');
      }
      const value = values[name];
      if (value === undefined) return whole;
      return inYaml ? yamlScalar(value) : value;
    });
  return fill(template.slice(0, frontEnd), true) + fill(template.slice(frontEnd), false);
}

/**
 * What to insert for `key` at a cursor preceded by `lineBefore`: Pandoc `[@key]`, or `@key` / `; @key` inside an
 * open citation group; LaTeX `\cite{key}`, or the bare key / `,key` inside an open cite command's braces.
 */
export function citationSnippet(lineBefore: string, key: string, syntax: 'pandoc' | 'latex'): string {
  if (syntax === 'latex') {
    const insideCite = /\\[A-Za-z]*cite[A-Za-z]*\*?(\[[^\]]*\]|\([^)]*\)|\{[^}]*\})*\{[^}]*$/.test(lineBefore);
    if (!insideCite) return `\\cite{${key}}`;
    return /[{,]\s*$/.test(lineBefore) ? key : `,${key}`;
  }
  const openGroup = /\[[^\]]*$/.exec(lineBefore);
  if (openGroup?.[0].includes('@')) return /[;[]\s*$/.test(lineBefore) ? `@${key}` : `; @${key}`;
  if (openGroup && /\[\s*$/.test(lineBefore)) return `@${key}`;
  return `[@${key}]`;
}
