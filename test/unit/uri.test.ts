import * as assert from 'node:assert/strict';
import { pathFromFileUri, resolveReference, uriBasename, uriDirname, uriExtname, uriJoin } from '../../src/core/uri';

describe('URI arithmetic', () => {
  it('splits local file URIs, stopping at the first query or fragment mark', () => {
    assert.equal(uriDirname('file:///ws/notes/a.md'), 'file:///ws/notes');
    assert.equal(uriDirname('file:///a.md'), 'file:///');
    assert.equal(uriBasename('file:///ws/notes/a.md#frag'), 'a.md');
    assert.equal(uriBasename('file:///ws/a.md?x=1#y'), 'a.md');
    // The first mark cuts, whichever it is and however many follow.
    assert.equal(uriBasename('file:///ws/a#b#c.md?d#e'), 'a');
    assert.equal(uriBasename('file:///ws/a.md?b#c'), 'a.md');
    assert.equal(uriExtname('file:///ws/Refs.BIB?v=2'), '.bib');
    assert.equal(uriExtname('file:///ws/.bib'), '');
    assert.equal(pathFromFileUri('file:///ws/sub%20dir/a.md#L3'), '/ws/sub dir/a.md');
    assert.equal(pathFromFileUri('file:///c%3A/Users/a.bib'), 'c:/Users/a.bib');
  });

  it('keeps a scheme and authority other than an empty file one', () => {
    assert.equal(uriDirname('vscode-vfs://github/owner/repo/a.md'), 'vscode-vfs://github/owner/repo');
    assert.equal(uriDirname('file://server/share/a.md'), 'file://server/share');
    assert.equal(pathFromFileUri('file://server/share/a.md'), '/share/a.md');
    assert.equal(uriBasename('mem:///x/%C3%BC.md'), 'ü.md');
    assert.equal(uriJoin('vscode-vfs://github/o/r/docs', '../refs.bib'), 'vscode-vfs://github/o/r/refs.bib');
  });

  it('resolves what a document names against its own folder', () => {
    assert.equal(resolveReference('file:///ws/review/main.md', 'refs.bib'), 'file:///ws/review/refs.bib');
    assert.equal(resolveReference('file:///ws/review/main.md', '../lib/my refs.bib'), 'file:///ws/lib/my%20refs.bib');
    assert.equal(resolveReference('file:///ws/review/main.md', '/abs/x.bib'), 'file:///abs/x.bib');
    assert.equal(resolveReference('file:///ws/main.md', 'https://example.org/x.bib'), 'https://example.org/x.bib');
  });
});
