// A windowed list: only the rows in view (plus a margin) exist in the DOM, and rows the host has not sent yet
// are fetched a page at a time as they scroll into view, so a list of 100,000 citations costs what 30 do.
// Rows have a fixed height; keyboard focus moves with a roving tabindex.
import type { ListItem } from '../src/protocol/viewModels';
import { h } from './dom';

export interface RowActions {
  open(item: ListItem): void;
  openPaper(key: string): void;
  /** The Paper panel showing this key hides the redundant "paper" button. */
  currentPaper?: string;
}

const OVERSCAN = 8;

export class VirtualList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  /** Sparse: holes are rows not fetched yet. */
  private items: (ListItem | undefined)[] = [];
  private total = 0;
  private rowHeight = 44;
  private focusIndex = 0;
  private frame = 0;
  private readonly rows = new Map<number, HTMLElement>();

  /** `fetch` asks for the rows around an index the host has not sent; without it the list is complete. */
  constructor(
    items: readonly ListItem[],
    total: number,
    label: string,
    private readonly actions: RowActions,
    private readonly fetch?: (index: number) => void,
    private readonly maxRows = 12,
  ) {
    this.spacer = h('div', { class: 'vlist-spacer' });
    this.element = h('div', { class: 'vlist', attrs: { role: 'list', 'aria-label': label } }, this.spacer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.items = [...items];
    this.resize(total, items.some((item) => item.context));
  }

  /** Rows `start`… arrived from the host; `total` may have changed since the preview. */
  fill(start: number, total: number, items: readonly ListItem[]): void {
    items.forEach((item, i) => (this.items[start + i] = item));
    if (this.items.length > total) this.items.length = total;
    this.resize(total, this.rowHeight > 44 || items.some((item) => item.context));
  }

  private resize(total: number, withContext: boolean): void {
    this.total = total;
    this.rowHeight = withContext ? 64 : 44;
    this.focusIndex = Math.min(this.focusIndex, Math.max(0, total - 1));
    this.spacer.style.height = `${total * this.rowHeight}px`;
    this.element.style.maxHeight = `${this.maxRows * this.rowHeight}px`;
    this.element.setAttribute('aria-rowcount', String(total));
    for (const row of this.rows.values()) row.remove();
    this.rows.clear();
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const viewport = this.element.clientHeight || this.maxRows * this.rowHeight;
    const first = Math.max(0, Math.floor(this.element.scrollTop / this.rowHeight) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil((this.element.scrollTop + viewport) / this.rowHeight) + OVERSCAN);
    for (const [index, row] of this.rows) {
      // The focused row survives scrolling away so keyboard focus is never dropped.
      if ((index < first || index >= last) && !(index === this.focusIndex && row.contains(document.activeElement))) {
        row.remove();
        this.rows.delete(index);
      }
    }
    for (let index = first; index < last; index++) {
      if (this.rows.has(index)) continue;
      const item = this.items[index];
      if (!item) this.fetch?.(index);
      const row = item ? this.renderRow(index, item) : this.renderPlaceholder(index);
      this.rows.set(index, row);
      this.element.appendChild(row);
    }
  }

  private place(row: HTMLElement, index: number): HTMLElement {
    row.style.top = `${index * this.rowHeight}px`;
    row.style.height = `${this.rowHeight}px`;
    return row;
  }

  private renderPlaceholder(index: number): HTMLElement {
    const main = h('button', { class: 'row-main', attrs: { type: 'button', tabindex: index === this.focusIndex ? 0 : -1, 'aria-busy': true } }, h('span', { class: 'row-detail' }, 'Loading…'));
    return this.place(h('div', { class: 'row', attrs: { role: 'listitem', 'aria-setsize': this.total, 'aria-posinset': index + 1 } }, main), index);
  }

  private renderRow(index: number, item: ListItem): HTMLElement {
    const primary = h(
      'button',
      {
        class: 'row-main',
        attrs: { type: 'button', tabindex: index === this.focusIndex ? 0 : -1, title: item.detail ?? item.label },
        on: { click: () => this.activate(item), focus: () => this.setFocus(index, false) },
      },
      h('span', { class: 'row-label' }, item.label),
      item.detail && h('span', { class: 'row-detail' }, item.detail),
      item.context &&
        h('span', { class: 'row-context' }, item.context.before, h('mark', {}, item.context.match), item.context.after),
    );
    const paperKey = item.paperKey;
    const showPaper = paperKey !== undefined && item.location !== undefined && paperKey !== this.actions.currentPaper;
    const row = h(
      'div',
      { class: 'row', attrs: { role: 'listitem', 'aria-setsize': this.total, 'aria-posinset': index + 1 } },
      primary,
      showPaper &&
        h(
          'button',
          {
            class: 'row-paper',
            attrs: { type: 'button', tabindex: -1, 'aria-label': `Open paper ${paperKey}` },
            on: { click: () => this.actions.openPaper(paperKey) },
          },
          'Paper',
        ),
    );
    return this.place(row, index);
  }

  private activate(item: ListItem): void {
    if (item.location) this.actions.open(item);
    else if (item.paperKey) this.actions.openPaper(item.paperKey);
  }

  private setFocus(index: number, moveFocus: boolean): void {
    this.rows.get(this.focusIndex)?.querySelector<HTMLElement>('.row-main')?.setAttribute('tabindex', '-1');
    this.focusIndex = index;
    if (moveFocus) {
      const top = index * this.rowHeight;
      if (top < this.element.scrollTop) this.element.scrollTop = top;
      else if (top + this.rowHeight > this.element.scrollTop + this.element.clientHeight) {
        this.element.scrollTop = top + this.rowHeight - this.element.clientHeight;
      }
      this.render();
    }
    const current = this.rows.get(index)?.querySelector<HTMLElement>('.row-main');
    current?.setAttribute('tabindex', '0');
    if (moveFocus) current?.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (!target.classList.contains('row-main') && !target.classList.contains('row-paper')) return;
    const last = this.total - 1;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(last, this.focusIndex + 1),
      ArrowUp: Math.max(0, this.focusIndex - 1),
      Home: 0,
      End: last,
      PageDown: Math.min(last, this.focusIndex + this.maxRows),
      PageUp: Math.max(0, this.focusIndex - this.maxRows),
    };
    if (event.key in moves) {
      event.preventDefault();
      this.setFocus(moves[event.key], true);
    } else if (event.key === 'ArrowRight' && target.classList.contains('row-main')) {
      const paper = target.parentElement?.querySelector<HTMLElement>('.row-paper');
      if (paper) {
        event.preventDefault();
        paper.focus();
      }
    } else if (event.key === 'ArrowLeft' && target.classList.contains('row-paper')) {
      event.preventDefault();
      target.parentElement?.querySelector<HTMLElement>('.row-main')?.focus();
    }
  }
}
