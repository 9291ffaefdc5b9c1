// Churn: 1,000 files created, edited, renamed and deleted on disk in bursts (as `git checkout` does it: many
// synchronous writes with no pause), plus unsaved edits in open editors. Afterwards the extension's index and
// the diagnostics it published must equal a fresh build over the same files and editor contents.
// The runner gives this suite a throw-away copy of test/fixtures/churn (see that folder's README).
import * as assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultParsers } from '../../../src/core/index/defaultParsers';
import { WorkspaceIndex } from '../../../src/core/index/workspaceIndex';
import { silentLogger } from '../../../src/core/workspace';
import { readCoreConfig } from '../../../src/vscode/config';
import { VsCodeWorkspaceFs } from '../../../src/vscode/workspaceFs';
import { sortedSnapshot as snapshot } from '../../unit/index-helpers';
import type { ReviewIndex } from '../../../src/core/index/types';
import type { CoreDiagnostic } from '../../../src/core/model';
import { folderUri, ourDiagnostics, ready } from '../editorHelpers';
import { seededRandom } from '../../seededRandom';

const FILES = 1000;
const BURST = 100;

const key = (i: number) => `churn${String(i).padStart(4, '0')}`;

function firstDifference(actual: string, expected: string): string {
  let i = 0;
  while (actual[i] === expected[i]) i++;
  return `at ${i}:\n  extension …${actual.slice(Math.max(0, i - 150), i + 150)}\n  fresh     …${expected.slice(Math.max(0, i - 150), i + 150)}`;
}

async function freshIndex(overlays: Map<string, string>): Promise<WorkspaceIndex> {
  const index = new WorkspaceIndex({ fs: new VsCodeWorkspaceFs(), config: readCoreConfig(), logger: silentLogger, parsers: defaultParsers });
  for (const [uri, text] of overlays) index.setOverlay(uri, text);
  await index.reindex();
  await index.ready();
  return index;
}

const diagnosticKey = (range: vscode.Range, code: string, message: string) =>
  `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character} ${code} ${message}`;


/** Where the diagnostics VS Code shows differ from the fresh build's (`shown` drops rules set to `off`). */
function publishedMismatches(fresh: ReviewIndex, shown: (uri: string) => (d: CoreDiagnostic) => boolean): string[] {
  const mismatches: string[] = [];
  for (const doc of fresh.documents()) {
      const expectedKeys = fresh.diagnostics(doc.uri).filter(shown(doc.uri)).map((d) => {
        const start = doc.lineMap.positionAt(d.span.start);
        const end = doc.lineMap.positionAt(d.span.end);
        return diagnosticKey(new vscode.Range(start.line, start.character, end.line, end.character), d.code, d.message);
      }).sort();
      const published = ourDiagnostics(vscode.Uri.parse(doc.uri)).map((d) => diagnosticKey(d.range, String(typeof d.code === 'object' ? d.code.value : d.code), d.message)).sort();
      if (JSON.stringify(published) !== JSON.stringify(expectedKeys)) mismatches.push(`${doc.uri}: published ${JSON.stringify(published)}, fresh ${JSON.stringify(expectedKeys)}`);
    }
    const indexed = new Set([...fresh.documents()].map((d) => d.uri));
    for (const [uri, list] of vscode.languages.getDiagnostics()) {
      if (!indexed.has(uri.toString()) && list.some((d) => d.source === 'interp-review')) mismatches.push(`${uri}: diagnostics left on a file that is gone`);
    }
  return mismatches;
}

describe('churn: 1,000 files changed on disk in bursts, plus unsaved edits', function () {
  this.timeout(240_000);

  it('afterwards the index and the diagnostics equal a fresh build', async () => {
    const services = await ready();
    const root = folderUri().fsPath;
    // Never churn the checked-in seed: a runner that does not honour the suite's `copyFolder` must fail here.
    const repo = path.resolve(__dirname, '../../../..');
    assert.ok(path.relative(repo, root).startsWith('..'), `churn needs a throw-away copy of its workspace, not ${root}`);
    const next = seededRandom(20260611);
    const live = new Set<string>();
    const file = (rel: string) => path.join(root, ...rel.split('/'));
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(file(rel)), { recursive: true });
      writeFileSync(file(rel), text);
      live.add(rel);
    };
    const pickLive = () => [...live][Math.floor(next() * live.size)];
    const cites = () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => `@${key(Math.floor(next() * FILES * 1.2))}`).join('; ');

    let operations = 0;
    const burst = async (ops: () => void) => {
      for (let i = 0; i < BURST; i++, operations++) ops();
      // A checkout's writes land within milliseconds; the next burst follows before the index has settled.
      await new Promise((resolve) => setTimeout(resolve, 30));
    };
    let n = 0;
    // 400 creations: bibliographies, notes and drafts that cite each other.
    for (let b = 0; b < 4; b++) {
      await burst(() => {
        const i = n++;
        const kind = i % 3;
        if (kind === 0) write(`bib/${key(i)}.bib`, `@article{${key(i)},\n  title = {Churned paper ${i}},\n  author = {Churn, C.},\n  year = {2025},\n}\n`);
        else if (kind === 1) write(`notes/${key(i)}.md`, `---\ncitekey: ${key(i)}\ntags: [t${i % 7}]\n---\n\n# Note ${i}\n\nSee [${cites()}].\n`);
        else write(`drafts/${key(i)}.md`, `# Draft ${i}\n\nClaim [${cites()}].\n`);
      });
    }
    // 200 edits, 200 renames (delete + create, across folders too), 200 deletions, interleaved.
    for (let b = 0; b < 6; b++) {
      await burst(() => {
        const rel = pickLive();
        const choice = b % 3;
        if (choice === 0) {
          const text = rel.endsWith('.bib') ? `@misc{${key(n++)}, title = {Edited}}\n@misc{${path.basename(rel, '.bib')}, title = {Edited too}}\n` : `# Edited\n\n[${cites()}] and [@seed2024anchor]\n`;
          write(rel, text);
        } else if (choice === 1) {
          const to = `moved/${b}/${path.basename(rel)}`;
          if (live.has(to)) return;
          mkdirSync(path.dirname(file(to)), { recursive: true });
          renameSync(file(rel), file(to));
          live.delete(rel);
          live.add(to);
        } else {
          rmSync(file(rel));
          live.delete(rel);
        }
      });
    }
    assert.equal(operations, FILES);

    // Unsaved edits in open editors: one on a churned draft, one on the seed review, one on a churned bibliography.
    const dirty = new Map<string, string>();
    const targets = ['review.md', [...live].find((r) => r.startsWith('drafts/')), [...live].find((r) => r.endsWith('.bib'))].filter((r): r is string => !!r);
    for (const rel of targets) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file(rel)));
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      const extra = rel.endsWith('.bib') ? `\n@misc{unsaved${dirty.size}, title = {Only in the editor}}\n` : `\n\nUnsaved claim [@unsaved0; @${key(3)}; @nowhere${dirty.size}].\n`;
      await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), extra));
      assert.ok(doc.isDirty);
      dirty.set(doc.uri.toString(), doc.getText());
    }

    // Wait until the extension's answers stop changing and match a fresh build (watcher events arrive late).
    const deadline = Date.now() + 120_000;
    let fresh = await freshIndex(dirty);
    let expected = snapshot(fresh);
    let actual = '';
    for (;;) {
      await services.index.ready();
      actual = snapshot(services.index);
      if (actual === expected || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      fresh.dispose();
      fresh = await freshIndex(dirty);
      expected = snapshot(fresh);
    }
    if (actual !== expected) {
      const uris = (index: ReviewIndex) => new Set([...index.documents()].map((d) => d.uri));
      const mine = uris(services.index);
      const theirs = uris(fresh);
      const stale = [...mine].filter((u) => !theirs.has(u));
      const missing = [...theirs].filter((u) => !mine.has(u));
      const changed = [...theirs].filter((u) => mine.has(u) && services.index.document(u)!.hash !== fresh.document(u)!.hash);
      assert.fail(
        `the index differs from a fresh build: ${stale.length} documents no longer on disk ${JSON.stringify(stale.slice(0, 10))}, ` +
          `${missing.length} not indexed ${JSON.stringify(missing.slice(0, 10))}, ${changed.length} with old content ${JSON.stringify(changed.slice(0, 10))}; ` +
          `first difference ${firstDifference(actual, expected)}`,
      );
    }

    // Published diagnostics: exactly the fresh build's, and none left on deleted or renamed-away files. Rules set to
    // `off` are not published; everything else is. Publishing sweeps the workspace in time slices after the index
    // settles, so it gets its own while to catch up.
    const shown = (uri: string) => (d: CoreDiagnostic) => services.settings.severity(d.code, d.severity, vscode.Uri.parse(uri)) !== undefined;
    const publishDeadline = Date.now() + 30_000;
    let mismatches = publishedMismatches(fresh, shown);
    while (mismatches.length > 0 && Date.now() < publishDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      mismatches = publishedMismatches(fresh, shown);
    }
    fresh.dispose();
    assert.deepEqual(mismatches, []);

    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
