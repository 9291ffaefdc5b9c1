// The text of a citation hover, as Markdown. Pure (no `vscode` import) so its escaping is unit-tested.
import type { ResolvedPaper } from '../core/index/types';
import { commandUri, escapeMarkdown, formatAuthors, markdownLink, safeHttpUrl, trimText } from './markdownText';

/** The only commands a hover may link to; passed to `MarkdownString.isTrusted.enabledCommands`. */
export const HOVER_COMMANDS = ['interpReview.openPaper', 'interpReview.openPaperNote', 'interpReview.createPaperNote'] as const;

const ABSTRACT_CHARS = 420;

export interface CitationStats {
  citations: number;
  documents: number;
}

export interface PaperHoverInput {
  paper: ResolvedPaper;
  stats: CitationStats;
  /** First lines of the user's note body, if the key has a note. */
  noteExcerpt?: string;
  /** Workspace-relative labels of where the key is defined. */
  definedIn: string[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The host to label a link with; the whole URL when it does not parse (metadata is free text). */
function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

function citedLine(stats: CitationStats): string {
  return `cited ${plural(stats.citations, 'time')} in ${plural(stats.documents, 'document')}`;
}

export function paperHoverMarkdown({ paper, stats, noteExcerpt, definedIn }: PaperHoverInput): string {
  const { info } = paper;
  const blocks: string[] = [];
  const title = info.title ? escapeMarkdown(info.title) : escapeMarkdown(paper.key);
  blocks.push(`**${title}**`);

  const byline = [formatAuthors(info.authors), info.year, info.venue].filter((s): s is string => !!s && s.length > 0);
  if (byline.length) blocks.push(byline.map(escapeMarkdown).join(' · '));

  const abstract = info.abstract ?? paper.corpus?.summary;
  if (abstract) {
    const trimmed = trimText(abstract, ABSTRACT_CHARS);
    const more = trimmed.cut ? ` ${markdownLink('more', commandUri('interpReview.openPaper', [paper.key]))}` : '';
    blocks.push(`${escapeMarkdown(trimmed.text)}${more}`);
  }

  const links: string[] = [];
  if (info.doi) links.push(markdownLink(`doi:${info.doi}`, `https://doi.org/${info.doi.trim()}`));
  if (info.arxiv) links.push(markdownLink(`arXiv:${info.arxiv}`, `https://arxiv.org/abs/${info.arxiv.trim()}`));
  const url = safeHttpUrl(info.url);
  if (url) links.push(markdownLink(hostOf(url), url));
  links.push(markdownLink('Open paper', commandUri('interpReview.openPaper', [paper.key])));
  blocks.push(links.join(' · '));

  if (noteExcerpt) {
    blocks.push(`*Note:* ${escapeMarkdown(noteExcerpt)} ${markdownLink('open note', commandUri('interpReview.openPaperNote', [paper.key]))}`);
  } else if (paper.notes.length === 0) {
    blocks.push(markdownLink('Create paper note', commandUri('interpReview.createPaperNote', [paper.key])));
  }

  const sources = [...definedIn.map(escapeMarkdown)];
  if (paper.corpus) sources.push('built\\-in corpus');
  const footer = [`${escapeMarkdown(paper.key)} — ${citedLine(stats)}`];
  if (sources.length) footer.push(`defined in ${sources.join(', ')}`);
  if (paper.entries.length > 1) footer.push(`**${paper.entries.length} definitions** (duplicate key)`);
  blocks.push(`*${footer.join(' · ')}*`);
  return blocks.join('\n\n');
}

export function unresolvedHoverMarkdown(key: string, suggestions: readonly string[]): string {
  const blocks = [`**Unknown citation key** ${escapeMarkdown(key)}`, 'No bibliography, paper note or corpus paper defines this key.'];
  if (suggestions.length) {
    blocks.push(`Did you mean: ${suggestions.map((s) => markdownLink(s, commandUri('interpReview.openPaper', [s]))).join(', ')}?`);
  }
  return blocks.join('\n\n');
}

/** The first non-empty lines of a note body, skipping headings and the frontmatter-free preamble. */
export function noteExcerpt(body: string, maxChars = 280): string | undefined {
  const lines: string[] = [];
  for (const raw of body.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (!line || /^#{1,6}\s/.test(line) || /^(```|~~~)/.test(line)) continue;
    lines.push(line);
    if (lines.join(' ').length >= maxChars || lines.length >= 4) break;
  }
  if (!lines.length) return undefined;
  return trimText(lines.join(' '), maxChars).text;
}
