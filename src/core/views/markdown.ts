// Renders a note's Markdown body for the Paper panel: remark → rehype → rehype-sanitize → a `SafeNode` tree
// checked once more against the shared allowlist. Raw HTML in a note is shown as the text the user typed,
// never interpreted. No HTML string ever leaves the host.
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { Html, Parent, Root as MdastRoot } from 'mdast';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { filterSafeNodes } from '../../protocol/safeMarkup';
import type { SafeNode } from '../../protocol/viewModels';

const schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'], src: ['https'] },
};

/** Turns raw HTML nodes into literal text: block HTML becomes a paragraph, inline HTML a text run. */
function rawHtmlAsText() {
  const visit = (parent: Parent): void => {
    parent.children = parent.children.map((child) => {
      if (child.type === 'html') {
        const text = { type: 'text' as const, value: (child as Html).value };
        const inline = parent.type === 'paragraph' || parent.type === 'heading' || parent.type === 'emphasis' ||
          parent.type === 'strong' || parent.type === 'link' || parent.type === 'delete' || parent.type === 'tableCell';
        return inline ? text : { type: 'paragraph' as const, children: [text] };
      }
      if ('children' in child) visit(child as Parent);
      return child;
    }) as Parent['children'];
  };
  return (tree: MdastRoot) => visit(tree);
}

const processor = unified()
  .use(remarkParse)
  .use(rawHtmlAsText)
  .use(remarkRehype, { allowDangerousHtml: false })
  .use(rehypeSanitize, schema);

/** Above this many characters a note body is shown as plain text: rendering it would stall the panel. */
const MAX_RENDERED = 512 * 1024;

function toSafe(nodes: readonly (RootContent | ElementContent)[]): unknown[] {
  const out: unknown[] = [];
  for (const node of nodes) {
    if (node.type === 'text') out.push({ text: node.value });
    else if (node.type === 'element') out.push(elementToSafe(node));
  }
  return out;
}

function elementToSafe(element: Element): unknown {
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(element.properties ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') attrs[name.toLowerCase()] = String(value);
  }
  return { tag: element.tagName, attrs, children: toSafe(element.children) };
}

/** The sanitized tree of `markdown`. Never throws: text it cannot render comes back as plain text. */
export function renderMarkdown(markdown: string): SafeNode[] {
  if (markdown.length > MAX_RENDERED) return [{ tag: 'pre', attrs: {}, children: [{ text: markdown }] }];
  try {
    const tree = processor.runSync(processor.parse(markdown)) as Root;
    return filterSafeNodes(toSafe(tree.children));
  } catch {
    return [{ tag: 'pre', attrs: {}, children: [{ text: markdown }] }];
  }
}
