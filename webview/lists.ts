// List sections: a heading with the count and a windowed list that fetches its rows from the host by page.
import { MAX_LIST_PAGE } from '../src/protocol/messages';
import type { ListItem, ListPreview } from '../src/protocol/viewModels';
import { post } from './api';
import { h } from './dom';
import { VirtualList, type RowActions } from './virtualList';

const PAGE = Math.min(100, MAX_LIST_PAGE);

/** Lists on the page by list id, and the pages each has asked for. */
const lists = new Map<string, { views: Set<VirtualList>; requested: Set<number> }>();

export const rowActions: RowActions = {
  open(item: ListItem) {
    if (item.location) post({ type: 'open', target: item.location });
  },
  openPaper(key: string) {
    post({ type: 'openPaper', key });
  },
};

export function setCurrentPaper(key: string | undefined): void {
  rowActions.currentPaper = key;
}

/** Rows arrived from the host. */
export function receiveList(id: string, start: number, total: number, items: ListItem[]): void {
  for (const view of lists.get(id)?.views ?? []) view.fill(start, total, items);
}

/** A new model replaces every list; pages asked for under the old one are forgotten. */
export function forgetLists(): void {
  lists.clear();
}

/** A windowed list over the host's list `id`, starting with the rows it already has. */
export function pagedList(id: string, label: string, total: number, items: readonly ListItem[] = []): VirtualList {
  let entry = lists.get(id);
  if (!entry) {
    entry = { views: new Set(), requested: new Set() };
    lists.set(id, entry);
  }
  const { requested } = entry;
  const fetch = (index: number) => {
    const start = Math.floor(index / PAGE) * PAGE;
    if (requested.has(start)) return;
    requested.add(start);
    post({ type: 'requestList', id, start, count: PAGE });
  };
  const view = new VirtualList(items, total, label, rowActions, fetch);
  entry.views.add(view);
  return view;
}

export function listSection(title: string, list: ListPreview, empty: string): HTMLElement {
  const headingId = `h-${list.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const section = h(
    'section',
    { class: 'list-section', attrs: { 'aria-labelledby': headingId, 'data-list': list.id } },
    h('h4', { attrs: { id: headingId } }, title, ' ', h('span', { class: 'count', attrs: { 'aria-label': `${list.total} items` } }, list.total)),
  );
  section.appendChild(list.total === 0 ? h('p', { class: 'empty' }, empty) : pagedList(list.id, title, list.total, list.items).element);
  return section;
}

/** Static rows (source papers, key papers) that are short by nature and sent whole. */
export function smallList(title: string, items: ListItem[]): HTMLElement | null {
  if (items.length === 0) return null;
  return h('section', { class: 'list-section' }, h('h4', {}, title), new VirtualList(items, items.length, title, rowActions).element);
}
