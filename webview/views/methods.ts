// Methods: one card per method (what it decomposes, strengths and limits as the seeds state them, key papers,
// the user's notes) and a methods × open problems matrix.
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import type { MethodsView, MethodView } from '../../src/protocol/viewModels';
import { getState, post, updateState } from '../api';
import { h } from '../dom';
import { renderWhenNearView } from '../cards';
import { listSection, smallList } from '../lists';
import { chip, filterBar, matches } from './shared';

const TABS = ['methods', 'matrix'] as const;

export function renderMethods(root: HTMLElement, model: MethodsView): void {
  const state = getState();
  const cards: { card: HTMLElement; text: string }[] = [];
  const status = h('p', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const apply = () => {
    const filter = getState().filter ?? '';
    let shown = 0;
    for (const { card, text } of cards) {
      card.hidden = !matches(text, filter);
      if (!card.hidden) shown++;
    }
    status.textContent = `${shown} of ${model.methods.length} methods shown`;
  };

  const list = h('div', { class: 'cards' });
  for (const method of model.methods) {
    const card = renderWhenNearView(methodCard(method), 900);
    cards.push({ card, text: [method.name, ...method.aliases, method.summary, ...method.strengths, ...method.limits, method.decomposes].join(' ') });
    list.appendChild(card);
  }
  if (model.methods.length === 0) list.appendChild(h('p', { class: 'empty' }, 'The corpus has no methods.'));

  const selected = Math.max(0, TABS.indexOf((state.tab ?? 'methods') as (typeof TABS)[number]));
  const tabs = h(
    'vscode-tabs',
    { attrs: { 'selected-index': selected, 'aria-label': 'Methods views' } },
    h('vscode-tab-header', { attrs: { slot: 'header' } }, 'Methods'),
    h('vscode-tab-panel', {}, h('div', { class: 'tab-body' }, filterBar({
      label: 'Search methods',
      filter: state.filter ?? '',
      onChange: (patch) => {
        updateState(patch);
        apply();
      },
    }), status, list)),
    h('vscode-tab-header', { attrs: { slot: 'header' } }, 'Methods × open problems'),
    h('vscode-tab-panel', {}, h('div', { class: 'tab-body' }, matrix(model))),
  );
  tabs.addEventListener('vsc-tabs-select', (event) => {
    const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    updateState({ tab: TABS[index] ?? 'methods' });
  });

  root.append(h('header', { class: 'panel-header' }, h('h1', {}, 'Methods of mechanistic interpretability')), tabs);
  apply();
}

function methodCard(method: MethodView): HTMLElement {
  const titleId = `method-${method.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return h(
    'article',
    { class: 'card', attrs: { 'aria-labelledby': titleId, 'data-id': method.id } },
    h(
      'h3',
      { attrs: { id: titleId, tabindex: -1 } },
      method.name,
      method.aliases.length > 0 && h('span', { class: 'aliases' }, ` (${method.aliases.join(', ')})`),
    ),
    h(
      'p',
      { class: 'counts' },
      h('span', { class: `decomposes ${method.decomposes}` }, method.decomposes === 'neither' ? 'decomposes neither' : `decomposes ${method.decomposes}`),
      ' · ',
      h('vscode-badge', { attrs: { 'aria-label': `${method.notes.total} notes` } }, method.notes.total),
      ' notes',
    ),
    h('p', { class: 'summary' }, method.summary),
    bullets('Strengths reported', method.strengths),
    bullets('Limits reported', method.limits),
    method.problems.length > 0 &&
      h(
        'p',
        { class: 'chips', attrs: { 'aria-label': 'Open problems' } },
        'Open problems: ',
        ...method.problems.map((p) => chip(p.label, () => post({ type: 'openView', view: 'problems', focus: p.id }))),
      ),
    smallList('Key papers', method.keyPapers),
    listSection('Your notes tagged with it', method.notes, 'No note lists this method under methods:.'),
  );
}

function bullets(title: string, items: string[]): HTMLElement | null {
  if (items.length === 0) return null;
  return h('div', { class: 'bullets' }, h('h4', {}, title), h('ul', {}, ...items.map((item) => h('li', {}, item))));
}

function matrix(model: MethodsView): HTMLElement {
  const { problems, rows } = model.matrix;
  if (rows.length === 0 || problems.length === 0) return h('p', { class: 'empty' }, 'Nothing to compare.');
  const table = h(
    'table',
    { class: 'matrix', attrs: { 'aria-label': 'Methods by open problems: ● linked in the corpus, number = your notes tagged with both' } },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { attrs: { scope: 'col' } }, 'Method'),
        ...problems.map((p) =>
          h('th', { attrs: { scope: 'col', title: p.label } }, chip(p.label, () => post({ type: 'openView', view: 'problems', focus: p.id }), `Open problem ${p.label}`)),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          {},
          h('th', { attrs: { scope: 'row' } }, row.method.label),
          ...row.cells.map((cell, i) => {
            const description = `${row.method.label} × ${problems[i].label}: ${cell.linked ? 'linked in the corpus' : 'not linked'}, ${cell.notes} notes`;
            return h(
              'td',
              { class: cell.linked ? 'linked' : cell.notes > 0 ? 'noted' : '', attrs: { title: description, 'aria-label': description } },
              cell.linked ? '●' : '',
              cell.notes > 0 ? ` ${cell.notes}` : '',
            );
          }),
        ),
      ),
    ),
  );
  return h('div', { class: 'matrix-wrap', attrs: { tabindex: 0, role: 'region', 'aria-label': 'Matrix (scrollable)' } }, table);
}
