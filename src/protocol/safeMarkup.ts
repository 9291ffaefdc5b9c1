// The allowlist for rendered note Markdown, shared by the host (which produces `SafeNode` trees after
// rehype-sanitize) and the page (which re-checks every node before building DOM from it).
import type { SafeNode } from './viewModels';

/** Tags rehype-sanitize's default schema keeps, minus form and media elements we never render. */
export const safeTags: ReadonlySet<string> = new Set([
  'a', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'ol', 'p', 'pre',
  'q', 's', 'samp', 'section', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'ul', 'var',
]);

/** Attributes allowed per tag; `*` applies to every tag. No `style`, no event handlers, no `id`. */
const safeAttributes: Record<string, readonly string[]> = {
  '*': ['title'],
  a: ['href'],
  img: ['src', 'alt'],
  ol: ['start'],
  td: ['align', 'colspan', 'rowspan'],
  th: ['align', 'colspan', 'rowspan'],
};

/** Links may leave only to the web or mail; `command:`, `javascript:`, `data:` and relative paths never pass. */
export function isSafeUrl(attribute: string, value: string): boolean {
  const trimmed = value.trim();
  if (attribute === 'href') return /^(https?:\/\/|mailto:)/i.test(trimmed);
  if (attribute === 'src') return /^https:\/\//i.test(trimmed);
  return true;
}

export function isSafeAttribute(tag: string, attribute: string, value: string): boolean {
  const allowed = safeAttributes['*'].includes(attribute) || (safeAttributes[tag]?.includes(attribute) ?? false);
  return allowed && isSafeUrl(attribute, value);
}

/** Keeps only allowed tags and attributes; a disallowed element is replaced by its children. */
export function filterSafeNodes(nodes: readonly unknown[], depth = 0): SafeNode[] {
  const out: SafeNode[] = [];
  if (depth > 64) return out;
  for (const node of nodes) {
    if (typeof node !== 'object' || node === null) continue;
    const record = node as Record<string, unknown>;
    if (typeof record.text === 'string') {
      out.push({ text: record.text });
      continue;
    }
    const children = Array.isArray(record.children) ? filterSafeNodes(record.children, depth + 1) : [];
    const tag = typeof record.tag === 'string' ? record.tag.toLowerCase() : '';
    if (!safeTags.has(tag)) {
      out.push(...children);
      continue;
    }
    const attrs: Record<string, string> = {};
    if (typeof record.attrs === 'object' && record.attrs !== null) {
      for (const [name, value] of Object.entries(record.attrs as Record<string, unknown>)) {
        const lower = name.toLowerCase();
        if (typeof value === 'string' && isSafeAttribute(tag, lower, value)) attrs[lower] = value;
      }
    }
    out.push({ tag, attrs, children });
  }
  return out;
}
