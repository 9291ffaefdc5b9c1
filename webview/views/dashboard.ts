// Review dashboard: counts, cited papers per year, coverage of problems and methods; every number opens the
// list behind it in the details pane.
import type { CoverageRow, DashboardView } from '../../src/protocol/viewModels';
import { getState, updateState } from '../api';
import { clear, h } from '../dom';
import { pagedList } from '../lists';

export function renderDashboard(root: HTMLElement, model: DashboardView): void {
  const details = h('section', { class: 'details', attrs: { 'aria-live': 'polite', 'aria-label': 'Details' } });
  const titles = new Map<string, string>();
  const totals = new Map<string, number>();
  const show = (listId: string, title: string, moveFocus = true) => {
    updateState({ tab: listId });
    clear(details);
    details.append(h('h2', { attrs: { tabindex: -1 } }, title), pagedList(listId, title, totals.get(listId) ?? 0).element);
    if (moveFocus) details.querySelector<HTMLElement>('h2')?.focus();
  };
  const numberButton = (value: number, listId: string | undefined, title: string, listTotal = value) => {
    if (listId) {
      titles.set(listId, title);
      totals.set(listId, listTotal);
    }
    return listId
      ? h('button', { class: 'number', attrs: { type: 'button', 'aria-label': `${title}: ${value}. Show list` }, on: { click: () => show(listId, title) } }, value)
      : h('span', { class: 'number' }, value);
  };

  const stats = h(
    'div',
    { class: 'stats', attrs: { role: 'list', 'aria-label': 'Workspace numbers' } },
    ...model.stats.map((stat) =>
      h('div', { class: `stat stat-${stat.id}`, attrs: { role: 'listitem' } }, numberButton(stat.value, stat.list, stat.label), h('span', { class: 'stat-label' }, stat.label)),
    ),
  );

  const max = Math.max(1, ...model.years.map((y) => y.count));
  const chart = h(
    'div',
    { class: 'chart', attrs: { role: 'list', 'aria-label': 'Cited papers per year' } },
    ...model.years.map((bar) => {
      titles.set(bar.list, `Cited papers from ${bar.year}`);
      totals.set(bar.list, bar.count);
      const fill = h('span', { class: 'bar-fill' });
      fill.style.height = `${Math.round((bar.count / max) * 100)}%`;
      return h(
        'button',
        {
          class: 'bar',
          attrs: { type: 'button', role: 'listitem', title: `${bar.year}: ${bar.count}`, 'aria-label': `${bar.year}: ${bar.count} cited papers. Show list` },
          on: { click: () => show(bar.list, `Cited papers from ${bar.year}`) },
        },
        h('span', { class: 'bar-count' }, bar.count),
        h('span', { class: 'bar-track' }, fill),
        h('span', { class: 'bar-year' }, bar.year),
      );
    }),
  );

  const coverage = (title: string, data: DashboardView['problems'], noun: string) => {
    const row = (r: CoverageRow) =>
      h(
        'tr',
        { class: r.notes + r.citations === 0 ? 'gap' : '' },
        h('th', { attrs: { scope: 'row' } }, r.label),
        h('td', {}, numberButton(r.notes, r.list, `${noun} “${r.label}”: notes and citations`, r.notes + r.citations)),
        h('td', {}, numberButton(r.citations, r.list, `${noun} “${r.label}”: notes and citations`, r.notes + r.citations)),
      );
    return h(
      'section',
      { class: 'coverage' },
      h('h2', {}, `${title}: ${data.covered} of ${data.total} covered`),
      h(
        'table',
        { attrs: { 'aria-label': title } },
        h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, noun), h('th', { attrs: { scope: 'col' } }, 'Notes'), h('th', { attrs: { scope: 'col' } }, 'Citations'))),
        h('tbody', {}, ...data.rows.map(row)),
      ),
    );
  };

  root.append(
    h('header', { class: 'panel-header' }, h('h1', {}, 'Review dashboard')),
    stats,
    h('section', { class: 'years' }, h('h2', {}, 'Cited papers per year'), model.years.length ? chart : h('p', { class: 'empty' }, 'No resolved citations yet.')),
    details,
    h('div', { class: 'coverage-grid' }, coverage('Open problems', model.problems, 'Problem'), coverage('Methods', model.methods, 'Method')),
  );

  // After a reload, reopen the list the user was looking at.
  const restored = getState().tab;
  if (restored && titles.has(restored)) show(restored, titles.get(restored) ?? restored, false);
}
