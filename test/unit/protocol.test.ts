import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePageMessage, parsePanelState, type PageMessage } from '../../src/protocol/messages';
import { filterSafeNodes, isSafeUrl, safeTags } from '../../src/protocol/safeMarkup';
import type { SafeNode } from '../../src/protocol/viewModels';

const uri = 'file:///ws/notes/a.md';

describe('panel protocol', () => {
  describe('parsePageMessage', () => {
    it('accepts each message shape and keeps only its known fields', () => {
      const valid: [unknown, PageMessage][] = [
        [{ type: 'ready', extra: 1 }, { type: 'ready' }],
        [{ type: 'state', state: { view: 'problems', filter: 'sae', evil: 1 } }, { type: 'state', state: { view: 'problems', filter: 'sae' } }],
        [{ type: 'open', target: { kind: 'note', uri, offset: 12, command: 'x' } }, { type: 'open', target: { kind: 'note', uri, offset: 12 } }],
        [{ type: 'open', target: { kind: 'entry', uri, offset: 0 } }, { type: 'open', target: { kind: 'entry', uri, offset: 0 } }],
        [{ type: 'open', target: { kind: 'citation', uri, offset: 3 } }, { type: 'open', target: { kind: 'citation', uri, offset: 3 } }],
        [{ type: 'openPaper', key: 'smith2023' }, { type: 'openPaper', key: 'smith2023' }],
        [{ type: 'openView', view: 'methods', focus: 'method:sae' }, { type: 'openView', view: 'methods', focus: 'method:sae' }],
        [{ type: 'openView', view: 'dashboard' }, { type: 'openView', view: 'dashboard' }],
        [{ type: 'requestList', id: 'dashboard:notes', start: 100, count: 100 }, { type: 'requestList', id: 'dashboard:notes', start: 100, count: 100 }],
      ];
      for (const [raw, expected] of valid) assert.deepEqual(parsePageMessage(raw), expected);
    });

    it('rejects commands, unknown kinds and malformed fields', () => {
      const invalid: unknown[] = [
        null,
        'ready',
        [],
        { type: 'command', command: 'workbench.action.terminal.new' },
        { type: 'executeCommand', command: 'workbench.action.quit', args: [] },
        { type: 'open', target: { kind: 'command', uri: 'command:workbench.action.quit', offset: 0 } },
        { type: 'open', target: { kind: 'note', uri, offset: -1 } },
        { type: 'open', target: { kind: 'note', uri, offset: 1.5 } },
        { type: 'open', target: { kind: 'note', uri, offset: '3' } },
        { type: 'open', target: { kind: 'note', uri: '', offset: 0 } },
        { type: 'open', target: { kind: 'note', offset: 0 } },
        { type: 'open' },
        { type: 'openPaper', key: '' },
        { type: 'openPaper', key: 'k'.repeat(5000) },
        { type: 'openPaper', key: 42 },
        { type: 'openView', view: 'paper' },
        { type: 'openView', view: 'workbench.action.openSettings' },
        { type: 'openView', view: 'problems', focus: 7 },
        { type: 'state' },
        { type: 'state', state: { view: 'terminal' } },
        { type: 'requestList' },
        { type: 'requestList', id: '', start: 0, count: 10 },
        { type: 'requestList', id: 'a', start: -1, count: 10 },
        { type: 'requestList', id: 'a', start: 0, count: 0 },
        { type: 'requestList', id: 'a', start: 0, count: 100_000 },
        { type: 'requestList', id: 'a', start: 0 },
      ];
      for (const raw of invalid) assert.equal(parsePageMessage(raw), undefined, JSON.stringify(raw));
    });

    it('never throws, and whatever it returns parses back to itself', () => {
      const message = fc.oneof(
        fc.anything(),
        fc.record({
          type: fc.constantFrom('ready', 'open', 'openPaper', 'openView', 'requestList', 'other'),
          target: fc.anything(),
          key: fc.anything(),
          view: fc.constantFrom('problems', 'methods', 'paper', 'dashboard', 'x'),
          focus: fc.anything(),
          id: fc.anything(),
          start: fc.oneof(fc.integer(), fc.anything()),
          count: fc.oneof(fc.integer({ min: -5, max: 600 }), fc.anything()),
        }),
      );
      fc.assert(
        fc.property(message, (raw) => {
          const parsed = parsePageMessage(raw);
          if (parsed !== undefined) assert.deepEqual(parsePageMessage(JSON.parse(JSON.stringify(parsed))), parsed);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('parsePanelState', () => {
    it('keeps well-typed fields, drops the rest, and forces the panel kind', () => {
      const state = parsePanelState(
        { view: 'dashboard', key: 'k1', filter: 'sae', tab: 'matrix', gapsOnly: true, scrollTop: 120, evil: 'x' },
        'paper',
      );
      assert.deepEqual(state, { view: 'paper', key: 'k1', filter: 'sae', tab: 'matrix', gapsOnly: true, scrollTop: 120 });
      assert.deepEqual(parsePanelState({ key: 5, filter: 3, tab: '', gapsOnly: 'yes', scrollTop: -3 }, 'problems'), { view: 'problems' });
      assert.deepEqual(parsePanelState(undefined, 'methods'), { view: 'methods' });
    });
  });

  describe('safe markup', () => {
    it('lets links go only to http(s) and mailto, images only to https', () => {
      for (const href of ['https://arxiv.org/abs/1', 'http://x.org', 'mailto:a@b.c']) assert.ok(isSafeUrl('href', href), href);
      for (const href of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'command:workbench.action.quit', 'data:text/html,x', './other.md', 'vscode://x', '#top']) {
        assert.ok(!isSafeUrl('href', href), href);
      }
      assert.ok(isSafeUrl('src', 'https://x.org/a.png'));
      assert.ok(!isSafeUrl('src', 'http://x.org/a.png'));
      assert.ok(!isSafeUrl('src', 'x'));
    });

    it('unwraps disallowed elements and drops disallowed attributes', () => {
      const nodes = filterSafeNodes([
        { tag: 'script', attrs: {}, children: [{ text: 'alert(1)' }] },
        { tag: 'img', attrs: { src: 'x', onerror: 'alert(1)', alt: 'pic' }, children: [] },
        { tag: 'a', attrs: { href: 'command:x', style: 'color:red', title: 't' }, children: [{ text: 'go' }] },
        { tag: 'IFRAME', attrs: { src: 'https://evil' }, children: [] },
        { tag: 'p', attrs: { id: 'x', class: 'y' }, children: ['bad', { text: 'ok' }] },
      ]);
      assert.deepEqual(nodes, [
        { text: 'alert(1)' },
        { tag: 'img', attrs: { alt: 'pic' }, children: [] },
        { tag: 'a', attrs: { title: 't' }, children: [{ text: 'go' }] },
        { tag: 'p', attrs: {}, children: [{ text: 'ok' }] },
      ]);
    });

    it('yields only allowlisted tags and attributes for arbitrary trees', () => {
      const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          fc.record({ text: fc.string() }),
          fc.record({
            tag: fc.oneof(fc.constantFrom('script', 'a', 'img', 'p', 'style', 'iframe', 'svg'), fc.string()),
            attrs: fc.dictionary(fc.constantFrom('href', 'src', 'onclick', 'style', 'title', 'alt'), fc.oneof(fc.string(), fc.constant('javascript:x'))),
            children: fc.array(tie('node'), { maxLength: 4 }),
          }),
          fc.anything(),
        ),
      })).node;
      const check = (nodes: SafeNode[]): void => {
        for (const node of nodes) {
          if ('text' in node) continue;
          assert.ok(safeTags.has(node.tag), node.tag);
          for (const [name, value] of Object.entries(node.attrs)) {
            assert.ok(['href', 'src', 'title', 'alt'].includes(name), name);
            if (name === 'href' || name === 'src') assert.ok(isSafeUrl(name, value));
          }
          check(node.children);
        }
      };
      fc.assert(fc.property(fc.array(tree, { maxLength: 5 }), (nodes) => check(filterSafeNodes(nodes))), { numRuns: 1000 });
    });
  });
});
