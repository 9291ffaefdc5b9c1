// Cards below the fold are laid out and painted only when scrolled near: a panel of fourteen cards, each
// with two windowed lists, otherwise lays out all of them before its first frame. They stay in the DOM, so
// search, find-in-page, focus and screen readers see every card; the size is a placeholder until measured.
export function renderWhenNearView(card: HTMLElement, estimatedHeight: number): HTMLElement {
  card.style.contentVisibility = 'auto';
  card.style.containIntrinsicSize = `auto ${estimatedHeight}px`;
  return card;
}
