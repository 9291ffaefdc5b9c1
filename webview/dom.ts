// Building DOM without HTML strings: every value from the workspace becomes a text node or a checked
// attribute, so nothing a file contains is ever parsed as markup here.
import { isSafeAttribute, safeTags } from '../src/protocol/safeMarkup';
import type { SafeNode } from '../src/protocol/viewModels';

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Attribute names are always literals in our code; values may come from files and are set as text. */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    element.addEventListener(type, listener as EventListener);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(element: Element): void {
  element.replaceChildren();
}

/**
 * DOM for a sanitized note tree. The host already sanitized it; the allowlist is checked again here so a
 * bug on either side cannot turn file content into script.
 */
export function safeMarkup(nodes: readonly SafeNode[], depth = 0): Node[] {
  const out: Node[] = [];
  if (depth > 64) return out;
  for (const node of nodes) {
    if ('text' in node) {
      out.push(document.createTextNode(node.text));
      continue;
    }
    const children = safeMarkup(node.children, depth + 1);
    if (!safeTags.has(node.tag)) {
      out.push(...children);
      continue;
    }
    const element = document.createElement(node.tag);
    for (const [name, value] of Object.entries(node.attrs)) {
      if (isSafeAttribute(node.tag, name, value)) element.setAttribute(name, value);
    }
    if (node.tag === 'img') element.setAttribute('loading', 'lazy');
    append(element, children);
    out.push(element);
  }
  return out;
}
