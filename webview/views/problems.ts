// Open problems: grouped cards, each with what the workspace holds on it; gaps stand out; search and filters.
import type { ProblemsView, ProblemView } from '../../src/protocol/viewModels';
import { getState, post, updateState } from '../api';
import { h } from '../dom';
import { renderWhenNearView } from '../cards';
import { listSection, smallList } from '../lists';
import { chip, filterBar, matches } from './shared';

export function renderProblems(root: HTMLElement, model: ProblemsView): void {
  const state = getState();
  const cards: { card: HTMLElement; problem: ProblemView; text: string }[] = [];
  const groupSections: { section: HTMLElement; group: string }[] = [];
  const status = h('p', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });

  const apply = () => {
    const { filter = '', tab = 'all', gapsOnly = false } = getState();
    let shown = 0;
    for (const { card, problem, text } of cards) {
      const visible = (tab === 'all' || problem.group === tab) && (!gapsOnly || problem.gap) && matches(text, filter);
      card.hidden = !visible;
      if (visible) shown++;
    }
    for (const { section, group } of groupSections) {
      section.hidden = !cards.some(({ card, problem }) => problem.group === group && !card.hidden);
    }
    status.textContent = `${shown} of ${model.totals.problems} problems shown · ${model.totals.gaps} with nothing in your workspace`;
  };

  const bar = filterBar({
    label: 'Search open problems',
    filter: state.filter ?? '',
    groups: [{ id: 'all', label: 'All groups' }, ...model.groups.map((g) => ({ id: g.id, label: g.label }))],
    group: state.tab ?? 'all',
    gapsOnly: state.gapsOnly ?? false,
    gapsLabel: 'Gaps only',
    onChange: (patch) => {
      updateState(patch);
      apply();
    },
  });

  root.append(
    h('header', { class: 'panel-header' }, h('h1', {}, 'Open problems in mechanistic interpretability'), bar, status),
  );

  for (const group of model.groups) {
    const headingId = `group-${group.id}`;
    const section = h('section', { class: 'group', attrs: { 'aria-labelledby': headingId } }, h('h2', { attrs: { id: headingId } }, group.label));
    for (const problem of group.problems) {
      const card = renderWhenNearView(problemCard(problem), 720);
      section.appendChild(card);
      const text = [problem.title, problem.summary, ...problem.sourcePapers.map((p) => `${p.label} ${p.detail ?? ''}`), ...problem.methods.map((m) => m.label)].join(' ');
      cards.push({ card, problem, text });
    }
    groupSections.push({ section, group: group.id });
    root.appendChild(section);
  }
  if (model.groups.length === 0) root.appendChild(h('p', { class: 'empty' }, 'The corpus has no open problems.'));
  apply();
}

function problemCard(problem: ProblemView): HTMLElement {
  const titleId = `problem-${problem.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return h(
    'article',
    { class: problem.gap ? 'card gap' : 'card', attrs: { 'aria-labelledby': titleId, 'data-id': problem.id } },
    h(
      'h3',
      { attrs: { id: titleId, tabindex: -1 } },
      problem.title,
      problem.gap && h('span', { class: 'gap-badge', attrs: { title: 'Nothing in your workspace on this problem' } }, 'gap'),
    ),
    h(
      'p',
      { class: 'counts' },
      h('vscode-badge', { attrs: { 'aria-label': `${problem.notes.total} notes` } }, problem.notes.total),
      ' notes · ',
      h('vscode-badge', { attrs: { 'aria-label': `${problem.claims.total} claims` } }, problem.claims.total),
      ' claims citing linked papers',
    ),
    h('p', { class: 'summary' }, problem.summary),
    problem.methods.length > 0 &&
      h(
        'p',
        { class: 'chips', attrs: { 'aria-label': 'Methods' } },
        'Methods: ',
        ...problem.methods.map((m) => chip(m.label, () => post({ type: 'openView', view: 'methods', focus: m.id }))),
      ),
    smallList('Source papers', problem.sourcePapers),
    h('h4', { class: 'subhead' }, 'In your workspace'),
    listSection('Notes tagged with it', problem.notes, 'No note lists this problem under problems:.'),
    listSection('Claims citing its papers', problem.claims, 'No citation of a linked paper.'),
  );
}
