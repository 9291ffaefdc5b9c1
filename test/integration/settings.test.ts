// Settings reach the index and the features: `files.exclude` and our own excludes, the corpus switch, the note
// template and folder.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixture, hoverAt, markdownOf, open, positionOf, readText, ready, waitFor, withSetting } from './editorHelpers';

describe('settings', () => {
  before(ready);

  it('honours files.exclude and interpReview.files.exclude', async () => {
    const services = await ready();
    const draft = fixture('drafts/draft.tex').toString();
    assert.ok(services.index.document(draft));
    await withSetting('files', 'exclude', { '**/drafts': true }, async () => {
      await waitFor('drafts/ to leave the index (files.exclude)', () => !services.index.document(draft));
    });
    await waitFor('drafts/ to come back', () => !!services.index.document(draft));
    await withSetting('interpReview', 'files.exclude', ['**/*.tex'], async () => {
      await waitFor('*.tex to leave the index (our exclude)', () => !services.index.document(draft));
    });
    await waitFor('drafts/draft.tex to come back', () => !!services.index.document(draft));
  });

  it('falls back to defaults for hand-edited values of the wrong type', async () => {
    const services = await ready();
    const review = fixture('review.md');
    await withSetting('interpReview', 'files.include', 'oops, not a list', () =>
      withSetting('interpReview', 'diagnostics.severity', { 'unresolved-citation': 'loud' }, async () => {
        await vscode.commands.executeCommand('interpReview.reindex');
        assert.ok(services.index.document(review.toString()), 'still indexed with the default globs');
        await waitFor('the unknown severity to keep the rule at error', () =>
          vscode.languages.getDiagnostics(review).some((d) => d.code === 'unresolved-citation' && d.severity === vscode.DiagnosticSeverity.Error));
      }),
    );
  });

  it('stops resolving corpus keys when the corpus is switched off', async () => {
    const doc = await open('review.md');
    const at = positionOf(doc, '@bereska2024mechanistic', 4);
    await withSetting('interpReview', 'corpus.enabled', false, async () => {
      await waitFor('the corpus key to be unknown', async () => markdownOf(await hoverAt(doc, at)).includes('Unknown citation key'));
    });
    await waitFor('the corpus key to resolve again', async () => markdownOf(await hoverAt(doc, at)).includes('Mechanistic Interpretability for AI Safety'));
  });

  it('creates notes from the configured template in the configured folder', async () => {
    const uri = fixture('reading/alain2016probes.md');
    await withSetting('interpReview', 'notes.folder', 'reading', () =>
      withSetting('interpReview', 'notes.template', '---\ncitekey: ${key}\nyear: ${year}\n---\n\n# ${title}\n\nBy ${authors}.\n', async () => {
        try {
          await vscode.commands.executeCommand('interpReview.createPaperNote', 'alain2016probes');
          assert.equal(await readText(uri), '---\ncitekey: alain2016probes\nyear: 2016\n---\n\n# Understanding intermediate layers using linear classifier probes\n\nBy Alain, Guillaume; Bengio, Yoshua.\n');
        } finally {
          await vscode.commands.executeCommand('workbench.action.closeAllEditors');
          await vscode.workspace.fs.delete(fixture('reading'), { recursive: true }).then(undefined, () => undefined);
        }
      }),
    );
  });
});
