// The page script of every panel: receives models from the host and renders the view named by <body data-view>.
import './nonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { HostMessage } from '../src/protocol/messages';
import { getState, post, resumeState, updateState, view } from './api';
import { clear, h } from './dom';
import { forgetLists, receiveList } from './lists';
import { renderDashboard } from './views/dashboard';
import { renderMethods } from './views/methods';
import { renderPaper } from './views/paper';
import { renderProblems } from './views/problems';
import { focusItem } from './views/shared';

const root = document.getElementById('app') ?? document.body;
let firstRender = true;

function render(message: Extract<HostMessage, { type: 'model' }>): void {
  if (message.state) resumeState(message.state);
  // A live update replaces the content; keep the reader where they were.
  const scrollTop = firstRender ? (getState().scrollTop ?? 0) : document.scrollingElement?.scrollTop ?? 0;
  forgetLists();
  clear(root);
  if (message.indexing) root.appendChild(h('p', { class: 'banner', attrs: { role: 'status' } }, 'Indexing the workspace… numbers will update.'));
  switch (message.view) {
    case 'problems':
      renderProblems(root, message.model);
      break;
    case 'methods':
      renderMethods(root, message.model);
      break;
    case 'paper':
      updateState({ key: message.model.key });
      renderPaper(root, message.model);
      break;
    case 'dashboard':
      renderDashboard(root, message.model);
      break;
  }
  root.setAttribute('aria-busy', 'false');
  // Setting (or reading) scrollTop forces a layout before the page's components have rendered; new content
  // starts at the top anyway.
  if (document.scrollingElement && scrollTop > 0) document.scrollingElement.scrollTop = scrollTop;
  firstRender = false;
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'model':
      if (message.view === view) render(message);
      break;
    case 'list':
      receiveList(message.id, message.start, message.total, message.items);
      break;
    case 'focus':
      // The host sends this only after a model, so the item is on the page.
      focusItem(root, message.id);
      break;
  }
});

let scrollFrame = 0;
window.addEventListener(
  'scroll',
  () => {
    if (scrollFrame) return;
    scrollFrame = requestAnimationFrame(() => {
      scrollFrame = 0;
      if (!firstRender) updateState({ scrollTop: document.scrollingElement?.scrollTop ?? 0 });
    });
  },
  { passive: true },
);

root.appendChild(h('p', { class: 'loading' }, 'Loading…'));
post({ type: 'ready' });
