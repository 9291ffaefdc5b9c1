// List sections: a heading with the count, the preview rows, and "Show all" fetching the rest from the host.
import type { ListItem, ListPreview } from '../src/protocol/viewModels';
import { post } from './api';
import { h } from './dom';
import { VirtualList, type RowActions } from './virtualList';

/** Callbacks waiting for the host's full answer, by list id. */
const pending = new Map<string, Set<(items: ListItem[]) => void>>();

function waitForList(id: string, fill: (items: ListItem[]) => void): void {
  const waiting = pending.get(id) ?? new Set();
  waiting.add(fill);
  pending.set(id, waiting);
  post({ type: 'requestList', id });
}

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

/** Fills every list waiting for `id` with the full rows. */
export function receiveList(id: string, items: ListItem[]): void {
  for (const fill of pending.get(id) ?? []) fill(items);
  pending.delete(id);
}

/** A list whose full content is requested from the host right away (dashboard drill-downs). */
export function requestedList(id: string, label: string): VirtualList {
  const list = new VirtualList([], label, rowActions);
  waitForList(id, (items) => list.setItems(items));
  return list;
}

export function forgetPendingLists(): void {
  pending.clear();
}

export function listSection(title: string, list: ListPreview, empty: string): HTMLElement {
  const headingId = `h-${list.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const section = h(
    'section',
    { class: 'list-section', attrs: { 'aria-labelledby': headingId } },
    h('h4', { attrs: { id: headingId } }, title, ' ', h('span', { class: 'count', attrs: { 'aria-label': `${list.total} items` } }, list.total)),
  );
  if (list.total === 0) {
    section.appendChild(h('p', { class: 'empty' }, empty));
    return section;
  }
  const rows = new VirtualList(list.items, title, rowActions);
  section.appendChild(rows.element);
  if (list.total > list.items.length) {
    const more = h(
      'button',
      {
        class: 'more',
        attrs: { type: 'button' },
        on: {
          click: () => {
            more.disabled = true;
            more.textContent = 'Loading…';
            waitForList(list.id, (items) => {
              rows.setItems(items);
              more.remove();
            });
          },
        },
      },
      `Show all ${list.total}`,
    );
    section.appendChild(more);
  }
  return section;
}

/** Static rows (source papers, key papers) that are short by nature. */
export function smallList(title: string, items: ListItem[]): HTMLElement | null {
  if (items.length === 0) return null;
  return h('section', { class: 'list-section' }, h('h4', {}, title), new VirtualList(items, title, rowActions).element);
}
