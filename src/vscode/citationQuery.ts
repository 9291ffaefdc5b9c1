// Where a citation query starts and what it is: the partial key after `@` (Pandoc) or inside `\cite…{…}`
// (LaTeX), or a few words ("nanda 2023") that the completion matches across key, title, authors and year.
// Pure: the parsers decide what is citation context (not e-mail, code or comments).
import { latexCitePrefixAt } from '../core/parsers/latex';
import { citationPrefixAt } from '../core/parsers/pandoc';

/** How far back a multi-word query ("nanda 2023") may reach from the cursor. */
const MAX_QUERY_CHARS = 60;

export interface CitationQuery {
  /** Offset where the typed query starts (just after `@`, `{` or `,`). */
  start: number;
  query: string;
}

/**
 * The query being typed at `offset`, or undefined outside citation context (e-mail, code, comments — the
 * parsers decide). A query may hold spaces: the parser validates the context at the query's first word.
 */
export function citationQueryAt(text: string, offset: number, syntax: 'pandoc' | 'latex'): CitationQuery | undefined {
  const prefixAt = syntax === 'pandoc' ? citationPrefixAt : latexCitePrefixAt;
  const direct = prefixAt(text, offset);
  if (direct) return { start: direct.start, query: text.slice(direct.start, offset) };
  return multiWordQuery(text, offset, syntax, prefixAt);
}

function multiWordQuery(
  text: string,
  offset: number,
  syntax: 'pandoc' | 'latex',
  prefixAt: (text: string, offset: number) => { start: number; prefix: string } | undefined,
): CitationQuery | undefined {
  const before = text.slice(Math.max(0, offset - MAX_QUERY_CHARS), offset);
  const opener = syntax === 'pandoc' ? /@([^\s@;\][{}]+(?: [^\s@;\][{}]+){1,3})$/u : /[{,]\s*([^\s{},%\\]+(?: [^\s{},%\\]+){1,3})$/u;
  const match = opener.exec(before);
  if (!match) return undefined;
  const start = offset - match[1].length;
  const firstWordEnd = start + match[1].indexOf(' ');
  const context = prefixAt(text, firstWordEnd);
  if (!context || context.start !== start) return undefined;
  return { start, query: match[1] };
}

