// A windowed list: only the rows in view (plus a margin) exist in the DOM, so a list of 100,000 citations
// costs what a list of 30 does. Rows have a fixed height; keyboard focus moves with a roving tabindex.
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
  private items: readonly ListItem[] = [];
  private rowHeight = 40;
  private focusIndex = 0;
  private frame = 0;
  private readonly rows = new Map<number, HTMLElement>();

  constructor(
    items: readonly ListItem[],
    label: string,
    private readonly actions: RowActions,
    private readonly maxRows = 12,
  ) {
    this.spacer = h('div', { class: 'vlist-spacer' });
    this.element = h('div', { class: 'vlist', attrs: { role: 'list', 'aria-label': label } }, this.spacer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.setItems(items);
  }

  get size(): number {
    return this.items.length;
  }

  setItems(items: readonly ListItem[]): void {
    this.items = items;
    this.rowHeight = items.some((item) => item.context) ? 64 : 44;
    this.focusIndex = Math.min(this.focusIndex, Math.max(0, items.length - 1));
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    this.element.style.maxHeight = `${this.maxRows * this.rowHeight}px`;
    this.element.setAttribute('aria-rowcount', String(items.length));
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
    const last = Math.min(this.items.length, Math.ceil((this.element.scrollTop + viewport) / this.rowHeight) + OVERSCAN);
    for (const [index, row] of this.rows) {
      // The focused row survives scrolling away so keyboard focus is never dropped.
      if ((index < first || index >= last) && !(index === this.focusIndex && row.contains(document.activeElement))) {
        row.remove();
        this.rows.delete(index);
      }
    }
    for (let index = first; index < last; index++) {
      if (!this.rows.has(index)) {
        const row = this.renderRow(index);
        this.rows.set(index, row);
        this.element.appendChild(row);
      }
    }
  }

  private renderRow(index: number): HTMLElement {
    const item = this.items[index];
    const tabIndex = index === this.focusIndex ? 0 : -1;
    const primary = h(
      'button',
      {
        class: 'row-main',
        attrs: { type: 'button', tabindex: tabIndex, 'data-index': index, title: item.detail ?? item.label },
        on: { click: () => this.activate(index), focus: () => this.setFocus(index, false) },
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
      { class: 'row', attrs: { role: 'listitem', 'aria-setsize': this.items.length, 'aria-posinset': index + 1 } },
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
    row.style.top = `${index * this.rowHeight}px`;
    row.style.height = `${this.rowHeight}px`;
    return row;
  }

  private activate(index: number): void {
    const item = this.items[index];
    if (item.location) this.actions.open(item);
    else if (item.paperKey) this.actions.openPaper(item.paperKey);
  }

  private setFocus(index: number, moveFocus: boolean): void {
    const previous = this.rows.get(this.focusIndex)?.querySelector<HTMLElement>('.row-main');
    previous?.setAttribute('tabindex', '-1');
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
    const last = this.items.length - 1;
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
