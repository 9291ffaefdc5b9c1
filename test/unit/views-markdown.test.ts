import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderMarkdown } from '../../src/core/views/markdown';
import { isSafeUrl, safeTags } from '../../src/protocol/safeMarkup';
import type { SafeNode } from '../../src/protocol/viewModels';

function tags(nodes: SafeNode[]): string[] {
  return nodes.flatMap((node) => ('text' in node ? [] : [node.tag, ...tags(node.children)]));
}

function text(nodes: SafeNode[]): string {
  return nodes.map((node) => ('text' in node ? node.text : text(node.children))).join('');
}

describe('note Markdown rendering', () => {
  it('renders ordinary Markdown', () => {
    const nodes = renderMarkdown('# Title\n\nSome *emphasis* and `code`.\n\n- one\n- two\n\n[arXiv](https://arxiv.org/abs/2404.14082)\n');
    assert.deepEqual(tags(nodes), ['h1', 'p', 'em', 'code', 'ul', 'li', 'li', 'p', 'a']);
    const link = nodes.find((n): n is Extract<SafeNode, { tag: string }> => 'tag' in n && n.tag === 'p' && n.children.some((c) => 'tag' in c && c.tag === 'a'));
    assert.deepEqual(link?.children[0], { tag: 'a', attrs: { href: 'https://arxiv.org/abs/2404.14082' }, children: [{ text: 'arXiv' }] });
  });

  it('shows raw HTML as the text the user wrote, never as elements', () => {
    const source = 'Inline <img src=x onerror="alert(1)"> here.\n\n<script>alert(2)</script>\n\n<div onclick="x()">block</div>\n';
    const nodes = renderMarkdown(source);
    assert.deepEqual(tags(nodes), ['p', 'p', 'p']);
    const shown = text(nodes);
    assert.ok(shown.includes('<img src=x onerror="alert(1)">'));
    assert.ok(shown.includes('<script>alert(2)</script>'));
    assert.ok(shown.includes('<div onclick="x()">block</div>'));
  });

  it('strips script, command and relative links but keeps their text', () => {
    const nodes = renderMarkdown('[a](javascript:alert(1)) [b](command:workbench.action.quit) [c](./note.md) [d](mailto:x@y.z)\n\n![i](http://x/i.png)');
    const anchors = JSON.stringify(nodes);
    assert.ok(!anchors.includes('javascript:'));
    assert.ok(!anchors.includes('command:'));
    assert.ok(!anchors.includes('note.md'));
    assert.ok(anchors.includes('mailto:x@y.z'));
    assert.ok(!anchors.includes('http://x/i.png'), 'images load only over https');
    assert.ok(text(nodes).includes('a b c d'));
  });

  it('never throws and emits only allowlisted markup for arbitrary input', () => {
    const markdownish = fc.array(
      fc.oneof(fc.string(), fc.constantFrom('<script>', '</script>', '<img src=x onerror=alert(1)>', '[x](javascript:y)', '`', '*', '#', '\n', '<!--', '](', '![', '<a href="command:x">')),
      { maxLength: 30 },
    );
    const check = (nodes: SafeNode[]): void => {
      for (const node of nodes) {
        if ('text' in node) continue;
        assert.ok(safeTags.has(node.tag), node.tag);
        for (const [name, value] of Object.entries(node.attrs)) {
          assert.ok(!name.startsWith('on') && name !== 'style', name);
          if (name === 'href' || name === 'src') assert.ok(isSafeUrl(name, value), value);
        }
        check(node.children);
      }
    };
    fc.assert(fc.property(markdownish, (parts) => check(renderMarkdown(parts.join('')))), { numRuns: 500 });
  });
});
