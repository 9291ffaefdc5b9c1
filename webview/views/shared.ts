// Pieces several views share: the search/filter bar, chips, focusing an item by id.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { h } from '../dom';

export function matches(text: string, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = text.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export interface FilterPatch {
  filter?: string;
  tab?: string;
  gapsOnly?: boolean;
}

export interface FilterBarOptions {
  label: string;
  filter: string;
  groups?: { id: string; label: string }[];
  group?: string;
  gapsOnly?: boolean;
  gapsLabel?: string;
  onChange(patch: FilterPatch): void;
}

export function filterBar(options: FilterBarOptions): HTMLElement {
  const search = h('vscode-textfield', {
    attrs: { type: 'search', placeholder: options.label, 'aria-label': options.label, class: 'search' },
  }) as HTMLElement & { value: string };
  search.value = options.filter;
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => options.onChange({ filter: search.value }), 80);
  });
  const bar = h('div', { class: 'filter-bar', attrs: { role: 'search' } }, search);

  if (options.groups) {
    const select = h(
      'vscode-single-select',
      { attrs: { 'aria-label': 'Group' } },
      ...options.groups.map((g) => h('vscode-option', { attrs: { value: g.id, selected: g.id === options.group } }, g.label)),
    ) as HTMLElement & { value: string };
    select.addEventListener('change', () => options.onChange({ tab: select.value }));
    bar.appendChild(select);
  }
  if (options.gapsLabel) {
    const checkbox = h('vscode-checkbox', { attrs: { label: options.gapsLabel, checked: options.gapsOnly ?? false } }) as HTMLElement & {
      checked: boolean;
    };
    checkbox.addEventListener('change', () => options.onChange({ gapsOnly: checkbox.checked }));
    bar.appendChild(checkbox);
  }
  return bar;
}

export function chip(label: string, onClick: () => void, ariaLabel?: string): HTMLElement {
  return h('button', { class: 'chip', attrs: { type: 'button', 'aria-label': ariaLabel }, on: { click: onClick } }, label);
}

/** Scrolls the card with `data-id` into view and moves keyboard focus to its heading. */
export function focusItem(root: HTMLElement, id: string): void {
  const card = [...root.querySelectorAll<HTMLElement>('[data-id]')].find((el) => el.dataset.id === id);
  if (!card) return;
  card.hidden = false;
  card.scrollIntoView({ block: 'start' });
  card.querySelector<HTMLElement>('h3')?.focus();
  card.classList.add('flash');
  setTimeout(() => card.classList.remove('flash'), 1500);
}
