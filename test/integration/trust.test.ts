// Command links smuggled into metadata must stay inert: a `.bib` title/abstract and a note body that contain
// `[x](command:workbench.action.closeWindow)` are shown in the citation hover, whose MarkdownString trusts only
// our own allow-listed commands, and whose text escapes the link syntax so nothing renders as a link.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HOVER_COMMANDS } from '../../src/vscode/hoverContent';
import { hoverAt, positionOf, ready, scratchFolder, waitFor, writeText } from './editorHelpers';

const HOSTILE_BIB = readFileSync(path.resolve(__dirname, '../../../test/fixtures/hostile/command-links.bib'), 'utf8');
const KEY = 'hostile2024commands';
const HOSTILE_COMMANDS = ['workbench.action.closeWindow', 'workbench.action.quit'];

const NOTE = `---
citekey: ${KEY}
title: "Note [open](command:workbench.action.closeWindow)"
---

# My reading notes

Click [x](command:workbench.action.closeWindow) or <a href="command:workbench.action.quit">this</a> to continue.
`;

/** Every command a Markdown link or autolink in `value` would run. */
function linkedCommands(value: string): string[] {
  return [...value.matchAll(/(?<!\\)\]\(\s*<?command:([\w.-]+)/g), ...value.matchAll(/<command:([\w.-]+)/g)].map((m) => m[1]);
}

describe('trust: command links in metadata are not clickable', function () {
  this.timeout(60_000);
  let scratch: { uri: vscode.Uri; dispose(): Promise<void> };

  before(async () => {
    const services = await ready();
    scratch = await scratchFolder();
    await writeText(vscode.Uri.joinPath(scratch.uri, 'hostile.bib'), HOSTILE_BIB);
    await writeText(vscode.Uri.joinPath(scratch.uri, 'notes', `${KEY}.md`), NOTE);
    await writeText(vscode.Uri.joinPath(scratch.uri, 'cites.md'), `# Draft\n\nAs shown before [@${KEY}].\n`);
    await waitFor('the hostile entry and note to be indexed', async () => {
      await services.index.ready();
      const paper = services.index.resolve(KEY);
      return paper && paper.entries.length > 0 && paper.notes.length > 0;
    });
  });

  after(() => scratch?.dispose());

  it('the hover trusts only our allow-listed commands and escapes the hostile links', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(scratch.uri, 'cites.md'));
    const hovers = await waitFor('a hover on the hostile key', async () => {
      const found = await hoverAt(doc, positionOf(doc, KEY, 2));
      return found.length > 0 && found;
    });
    const contents = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString);
    assert.ok(contents.length > 0, 'the hover is Markdown');
    const all = contents.map((c) => c.value).join('\n');
    assert.ok(all.includes('Probing') && all.includes('abstract'), `the hostile title and abstract are shown: ${all}`);
    assert.ok(all.includes('reading notes') || all.includes('Click'), `the note excerpt is shown: ${all}`);
    for (const content of contents) {
      const trusted = content.isTrusted;
      assert.notEqual(trusted, true, 'never trusted for every command');
      if (typeof trusted === 'object') {
        for (const command of trusted.enabledCommands) assert.ok((HOVER_COMMANDS as readonly string[]).includes(command), `${command} is allow-listed`);
        for (const command of HOSTILE_COMMANDS) assert.ok(!trusted.enabledCommands.includes(command), `${command} is not enabled`);
      }
      assert.notEqual(content.supportHtml, true, 'raw HTML (an <a href="command:…">) is not rendered');
      for (const command of linkedCommands(content.value)) {
        assert.ok((HOVER_COMMANDS as readonly string[]).includes(command), `a link to ${command} survived in: ${content.value}`);
      }
    }
    assert.ok(!all.includes('[x](command:'), 'the link syntax is escaped');
    assert.ok(!all.includes('[click me](command:'), 'the link syntax in the title is escaped');
  });
});
