// Builds hover Markdown from untrusted file text. No `vscode` import: unit-tested in plain Node.
// Everything that came from a file goes through `escapeMarkdown`; only URLs we construct become links.

/** Characters with a meaning in CommonMark/GFM inline or block syntax, plus `<`/`&` (HTML and entities). */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&$:@=]/g;

/**
 * Renders `text` literally inside Markdown: collapses whitespace (so a file cannot start a heading, list or
 * code block) and backslash-escapes every special character, which also defuses `[x](command:…)`, `<img>`,
 * autolinks and entities.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/**
 * A link to a target we built ourselves. Characters that could end the destination early (whitespace,
 * parentheses, angle brackets, backslashes) are percent-encoded; existing escapes are kept as they are.
 */
export function markdownLink(label: string, url: string): string {
  const safe = url.replace(/[\s()<>\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${escapeMarkdown(label)}](${safe})`;
}

/** `command:` URI with JSON arguments, for commands on the hover allow-list. */
export function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** Only http(s) links from metadata are shown; anything else (javascript:, command:, file:) is dropped. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const trimmed = url.trim();
  return /^https?:\/\/[^\s<>"]+$/i.test(trimmed) ? trimmed : undefined;
}

/** "Family, Given" → "G. Family"; institutional names (no comma) stay as written. */
export function shortAuthor(name: string): string {
  const comma = name.indexOf(',');
  if (comma < 0) return name.trim();
  const family = name.slice(0, comma).trim();
  const given = name.slice(comma + 1).trim();
  if (!given) return family;
  const initials = given
    .split(/[\s.]+/)
    .filter(Boolean)
    .map((part) => part.split('-').map((p) => `${[...p][0]}.`).join('-'))
    .join(' ');
  return `${initials} ${family}`;
}

/** Up to three authors, then "et al." for the rest. */
export function formatAuthors(authors: readonly string[]): string {
  if (authors.length === 0) return '';
  const shown = authors.slice(0, 3).map(shortAuthor);
  if (authors.length > 3) return `${shown.join(', ')} et al.`;
  if (shown.length === 1) return shown[0];
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Cuts `text` at a word boundary near `max` characters; `cut` tells whether anything was dropped. */
export function trimText(text: string, max: number): { text: string; cut: boolean } {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return { text: flat, cut: false };
  const slice = flat.slice(0, max);
  const space = slice.lastIndexOf(' ');
  return { text: `${(space > max * 0.6 ? slice.slice(0, space) : slice).trimEnd()}…`, cut: true };
}
