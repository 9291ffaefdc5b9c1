// Diagnostics through `vscode.languages.getDiagnostics`: exact ranges, configurable severities, live updates
// from unsaved text, and no Markdown-link warnings on Pandoc citations.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixture, open, ourDiagnostics, rangeOf, ready, waitFor, withSetting } from './editorHelpers';

function withCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return ourDiagnostics(uri).filter((d) => d.code === code);
}

describe('diagnostics', () => {
  before(async () => {
    await ready();
    await waitFor('diagnostics for review.md', () => ourDiagnostics(fixture('review.md')).length > 0);
  });

  it('flags an unresolved key at the key itself, as an error, and nothing else in the review', async () => {
    const doc = await open('review.md');
    const unresolved = withCode(doc.uri, 'unresolved-citation');
    assert.equal(unresolved.length, 1, unresolved.map((d) => d.message).join('\n'));
    assert.ok(unresolved[0].range.isEqual(rangeOf(doc, 'elhage2022toi')));
    assert.equal(unresolved[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(unresolved[0].message, /elhage2022toi/);
  });

  it('flags unresolved LaTeX keys but not commented-out ones', async () => {
    const doc = await open('drafts/draft.tex');
    const keys = withCode(doc.uri, 'unresolved-citation').map((d) => doc.getText(d.range));
    assert.deepEqual(keys, ['olah2020zom']);
  });

  it('reports duplicate keys in both bibliographies and a malformed entry in refs.bib', async () => {
    const refs = await open('refs.bib');
    const duplicates = withCode(refs.uri, 'duplicate-key').map((d) => refs.getText(d.range));
    assert.ok(duplicates.includes('geiger2021causal'), duplicates.join());
    assert.ok(duplicates.some((k) => k.includes('olah2020zoom')), duplicates.join());
    const other = await open('more refs/other.bib');
    assert.ok(withCode(other.uri, 'duplicate-key').some((d) => other.getText(d.range) === 'geiger2021causal'));
    const syntax = withCode(refs.uri, 'bib-syntax');
    assert.ok(syntax.length >= 1, 'the broken entry is reported');
    const brokenLine = rangeOf(refs, 'broken2023entry').start.line;
    assert.ok(syntax.some((d) => d.range.start.line >= brokenLine), syntax.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
  });

  it('reports a note whose key no bibliography has, and malformed frontmatter', async () => {
    const orphan = await open('notes/orphan-note.md');
    const noEntry = withCode(orphan.uri, 'note-without-entry');
    assert.equal(noEntry.length, 1);
    assert.equal(orphan.getText(noEntry[0].range), 'smith2099imaginary');
    const broken = await open('notes/broken-frontmatter.md');
    const yaml = ourDiagnostics(broken.uri).filter((d) => String(d.code).startsWith('frontmatter'));
    assert.ok(yaml.length >= 1);
    assert.ok(yaml.every((d) => d.range.start.line >= 1 && d.range.end.line <= 4), 'inside the frontmatter');
  });

  it('applies configured severities per rule, and "off"', async () => {
    const uri = fixture('review.md');
    await withSetting('interpReview', 'diagnostics.severity', { 'unresolved-citation': 'hint' }, async () => {
      await waitFor('hint severity', () => withCode(uri, 'unresolved-citation')[0]?.severity === vscode.DiagnosticSeverity.Hint);
    });
    await withSetting('interpReview', 'diagnostics.severity', { 'unresolved-citation': 'off' }, async () => {
      await waitFor('rule switched off', () => withCode(uri, 'unresolved-citation').length === 0);
    });
    await waitFor('default severity back', () => withCode(uri, 'unresolved-citation')[0]?.severity === vscode.DiagnosticSeverity.Error);
  });

  it('updates live from unsaved edits and clears when they are undone', async () => {
    const doc = await open('review.md');
    const editor = await vscode.window.showTextDocument(doc);
    try {
      await editor.edit((b) => b.insert(doc.lineAt(doc.lineCount - 1).range.end, ' Also [@livetypo2099].'));
      await waitFor('diagnostic on unsaved text', () => withCode(doc.uri, 'unresolved-citation').some((d) => doc.getText(d.range) === 'livetypo2099'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    await waitFor('diagnostic gone after revert', () => withCode(doc.uri, 'unresolved-citation').length === 1);
  });

  it('keeps VS Code Markdown validation from flagging [@key] while it still checks real links', async function () {
    this.timeout(40_000);
    assert.equal(vscode.workspace.getConfiguration('markdown.validate').get('referenceLinks.enabled'), 'ignore', 'our configuration default applies');
    const uri = fixture('linkcheck.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    try {
      // The Markdown language server does not set a source; its rule ids start with `link.`.
      const linkCode = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
      const markdown = await waitFor('Markdown link validation to run', () => {
        const found = vscode.languages.getDiagnostics(uri).filter((d) => linkCode(d).startsWith('link.'));
        return found.length > 0 && found;
      }, 30_000);
      assert.deepEqual(markdown.map(linkCode), ['link.no-such-file'], markdown.map((d) => d.message).join('\n'));
      assert.ok(markdown[0].message.includes('no-such-appendix'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
