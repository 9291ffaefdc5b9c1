// One paper: metadata, abstract, the user's notes (sanitized tree), where it is cited, what cites it, what it cites.
import { isSafeUrl } from '../../src/protocol/safeMarkup';
import type { PaperView } from '../../src/protocol/viewModels';
import { post } from '../api';
import { h, safeMarkup } from '../dom';
import { listSection, rowActions, setCurrentPaper, smallList } from '../lists';
import { chip } from './shared';

function link(label: string, href: string): HTMLElement | null {
  return isSafeUrl('href', href) ? h('a', { attrs: { href } }, label) : null;
}

export function renderPaper(root: HTMLElement, model: PaperView): void {
  setCurrentPaper(model.key);
  const byline = [model.authors.join('; '), model.year, model.venue].filter(Boolean).join(' · ');
  const links = [
    model.doi && link(`doi:${model.doi}`, `https://doi.org/${model.doi}`),
    model.arxiv && link(`arXiv:${model.arxiv}`, `https://arxiv.org/abs/${model.arxiv}`),
    model.url && link('Web', model.url),
  ].filter((x): x is HTMLElement => Boolean(x));

  root.append(
    h(
      'header',
      { class: 'panel-header' },
      h('h1', {}, model.title),
      byline && h('p', { class: 'byline' }, byline),
      h('p', { class: 'key' }, h('code', {}, `@${model.key}`), !model.known && h('span', { class: 'gap-badge' }, 'unresolved')),
      links.length > 0 && h('p', { class: 'links' }, ...links.flatMap((a, i) => (i ? [' · ', a] : [a]))),
    ),
    smallList('Bibliography entries', model.entries) ?? '',
  );

  if (model.summary) root.append(h('section', { class: 'prose' }, h('h2', {}, 'Summary'), h('p', {}, model.summary)));
  if (model.abstract) root.append(h('section', { class: 'prose' }, h('h2', {}, 'Abstract'), h('p', { class: 'abstract' }, model.abstract)));
  if (model.methods.length + model.problems.length > 0) {
    root.append(
      h(
        'p',
        { class: 'chips' },
        ...model.methods.map((m) => chip(m.label, () => post({ type: 'openView', view: 'methods', focus: m.id }), `Method ${m.label}`)),
        ...model.problems.map((p) => chip(p.label, () => post({ type: 'openView', view: 'problems', focus: p.id }), `Open problem ${p.label}`)),
      ),
    );
  }

  const notes = h('section', { class: 'notes', attrs: { 'aria-label': 'Your notes' } }, h('h2', {}, 'Your notes'));
  if (model.notes.length === 0) notes.appendChild(h('p', { class: 'empty' }, 'No note on this paper yet.'));
  for (const note of model.notes) {
    notes.appendChild(
      h(
        'article',
        { class: 'note' },
        h(
          'p',
          { class: 'note-head' },
          h('button', { class: 'link', attrs: { type: 'button' }, on: { click: () => rowActions.open({ label: note.label, location: note.location }) } }, note.label),
          note.status && h('span', { class: 'status-tag' }, note.status),
          ...note.tags.map((tag) => h('span', { class: 'tag' }, tag)),
        ),
        h('div', { class: 'note-body markdown' }, ...safeMarkup(note.body)),
      ),
    );
  }
  root.append(
    notes,
    listSection('Cited in your workspace', model.citations, 'Not cited anywhere in the workspace.'),
    listSection('Cited by', model.citedBy, 'No paper in the corpus or your notes cites it.'),
    listSection('Cites', model.cites, 'No references known.'),
  );
}
