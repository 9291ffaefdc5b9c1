// Safety cases in the editor, through VS Code's own commands on the fixture cases in safety/: diagnostics from the
// index, code lenses, hover, definition/references and rename of element ids across files and formats,
// completion, the outline, and the diagram panel's SVG export (which runs the page's elkjs layout).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SafetyCaseTree, type SafetyCaseNode } from '../../src/vscode/safetyCase/outline';
import { fixture, markdownOf, open, ourDiagnostics, positionOf, rangeOf, ready, readText, scratchFolder, target, waitFor, writeText } from './editorHelpers';

const DEPLOYMENT = 'safety/deployment.gsn.yaml';
const EVIDENCE = 'safety/evidence.gsn.yaml';
const MONITORING = 'safety/monitoring.gsn.md';

function rel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri);
}

async function lensTitles(doc: vscode.TextDocument): Promise<Map<string, string[]>> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
  const byLine = new Map<string, string[]>();
  for (const lens of lenses) {
    const line = doc.lineAt(lens.range.start.line).text.trim();
    byLine.set(line, [...(byLine.get(line) ?? []), lens.command?.title ?? '']);
  }
  return byLine;
}

async function renameEdits(doc: vscode.TextDocument, position: vscode.Position, newName: string): Promise<{ file: string; text: string; range: vscode.Range }[]> {
  const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, position, newName);
  const out: { file: string; text: string; range: vscode.Range }[] = [];
  for (const [uri, edits] of edit.entries()) {
    const target = await vscode.workspace.openTextDocument(uri);
    for (const e of edits) out.push({ file: rel(uri), text: target.getText(e.range), range: e.range });
    for (const e of edits) assert.equal(e.newText, newName);
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.compareTo(b.range.start));
}

describe('safety cases', () => {
  before(async () => {
    await ready();
    await waitFor('safety-case diagnostics', () => ourDiagnostics(fixture(DEPLOYMENT)).length > 0, 15_000);
  });

  it('shows the index diagnostics of *.gsn.yaml files at the offending id and key', async () => {
    const deployment = await open(DEPLOYMENT);
    const c03 = ourDiagnostics(deployment.uri).filter((d) => d.code === 'gsn-C03');
    assert.equal(c03.length, 1, ourDiagnostics(deployment.uri).map((d) => `${d.code} ${d.message}`).join('\n'));
    assert.equal(deployment.getText(c03[0].range), 'Sn99');
    assert.equal(c03[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(c03[0].message, /G13 has unresolved "supported by" element: Sn99/);

    const evidence = await open(EVIDENCE);
    const unresolved = ourDiagnostics(evidence.uri).filter((d) => d.code === 'safety-unresolved-evidence');
    assert.equal(unresolved.length, 1);
    assert.equal(evidence.getText(unresolved[0].range), 'bricken2023monosemantcity');
    assert.equal(unresolved[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(ourDiagnostics(fixture(MONITORING)), [], 'the Markdown case is clean');
  });

  it('sums up what each Goal and Strategy rests on, and lists the papers above each Solution', async () => {
    const deployment = await open(DEPLOYMENT);
    const lenses = await lensTitles(deployment);
    assert.deepEqual(lenses.get('G10:'), ['supported by 1 · evidence: 2 papers (1 unresolved) · undeveloped: 1']);
    assert.deepEqual(lenses.get('S10:'), ['supported by 3 · evidence: 2 papers (1 unresolved) · undeveloped: 1']);
    assert.deepEqual(lenses.get('G11:'), ['supported by 2 · evidence: 2 papers (1 unresolved)']);
    assert.deepEqual(lenses.get('G12:'), ['undeveloped · evidence: none']);
    assert.deepEqual(lenses.get('G13:'), ['supported by 2 · evidence: none']);
    assert.equal(lenses.get('C10:'), undefined, 'no lens on context');

    const evidence = await open(EVIDENCE);
    const raw = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', evidence.uri, 100);
    const sn10 = raw.filter((l) => l.range.start.line === positionOf(evidence, 'Sn10:').line);
    assert.equal(sn10.length, 1);
    assert.match(sn10[0].command!.title, /^Templeton et al\. 2024: Scaling Monosemanticity/);
    assert.equal(sn10[0].command!.command, 'interpReview.openPaper');
    assert.deepEqual(sn10[0].command!.arguments, ['templeton2024scaling']);
    const titles = await lensTitles(evidence);
    assert.deepEqual(titles.get('Sn11:'), ['bricken2023monosemantcity (unresolved)']);
    assert.deepEqual(titles.get('Sn12:'), ['evidence: link only, no papers cited']);

    const monitoring = await open(MONITORING);
    const md = await lensTitles(monitoring);
    assert.deepEqual(md.get('## G20: Deceptive completions are caught before merge')?.filter((t) => t.startsWith('supported')), ['supported by 1 · evidence: 1 paper · undeveloped: 1']);
  });

  it('hovers an element id with the element, its parents and its children, across modules', async () => {
    const deployment = await open(DEPLOYMENT);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', deployment.uri, positionOf(deployment, 'S10]', 1));
    const md = markdownOf(hovers);
    assert.ok(md.includes('**S10** · Strategy · module deployment'), md);
    assert.ok(md.includes('Argue over the feature audit, the circuit analysis and the probes'), md);
    assert.match(md, /\*\*Parents\*\*[^]*\[G10\]\([^)]*deployment\.gsn\.yaml#L6\)/);
    for (const child of ['G11', 'G12', 'G13']) assert.ok(md.includes(`[${child}]`), `${child} in\n${md}`);
    const range = hovers.find((h) => markdownOf([h]).includes('**S10**'))?.range;
    assert.equal(range && deployment.getText(range), 'S10');

    const sn10 = markdownOf(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', deployment.uri, positionOf(deployment, 'Sn10', 1)));
    assert.ok(sn10.includes('**Sn10** · Solution · module evidence'), sn10);
    assert.ok(sn10.includes('cites `templeton2024scaling`'), sn10);
    const sn99 = markdownOf(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', deployment.uri, positionOf(deployment, 'Sn99', 1)));
    assert.ok(sn99.includes('**Sn99** is not defined'), sn99);

    const monitoring = await open(MONITORING);
    const g21 = markdownOf(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', monitoring.uri, positionOf(monitoring, 'G21, Sn20', 1)));
    assert.ok(g21.includes('**G21** · Goal · module monitoring'), g21);
    assert.ok(g21.includes('*undeveloped*'), g21);
  });

  it('goes to the definition in another file and finds every reference', async () => {
    const deployment = await open(DEPLOYMENT);
    const at = positionOf(deployment, 'Sn10', 2);
    const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', deployment.uri, at);
    const evidence = await open(EVIDENCE);
    const found = definitions.map(target).filter((t) => rel(t.uri) === EVIDENCE);
    assert.equal(found.length, 1, definitions.map((d) => rel(target(d).uri)).join());
    assert.ok(found[0].range.isEqual(rangeOf(evidence, 'Sn10')));

    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', evidence.uri, positionOf(evidence, 'Sn10', 1));
    const ours = refs.filter((r) => [DEPLOYMENT, EVIDENCE].includes(rel(r.uri))).map((r) => `${rel(r.uri)}:${r.range.start.line}`).sort();
    assert.deepEqual(ours, [`${DEPLOYMENT}:${rangeOf(deployment, 'Sn10').start.line}`, `${EVIDENCE}:${rangeOf(evidence, 'Sn10').start.line}`]);
  });

  it('renames an id in its definition and every reference, across files, in one edit', async () => {
    const evidence = await open(EVIDENCE);
    const edits = await renameEdits(evidence, positionOf(evidence, 'Sn10', 2), 'Sn-features');
    assert.deepEqual(edits.map((e) => `${e.file}:${e.range.start.line}:${e.text}`), [
      `${DEPLOYMENT}:${rangeOf(await open(DEPLOYMENT), 'Sn10').start.line}:Sn10`,
      `${EVIDENCE}:${rangeOf(evidence, 'Sn10').start.line}:Sn10`,
    ]);
    const monitoring = await open(MONITORING);
    const md = await renameEdits(monitoring, positionOf(monitoring, 'S20', 1), 'S21');
    assert.deepEqual(md.map((e) => `${e.range.start.line}:${e.text}`), [`${positionOf(monitoring, 'S20').line}:S20`, `${positionOf(monitoring, '## S20').line}:S20`]);
  });

  it('refuses a rename to an existing id or to something that is no id', async () => {
    const deployment = await open(DEPLOYMENT);
    const at = positionOf(deployment, 'G12', 1);
    await assert.rejects(() => Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', deployment.uri, at, 'G13')), /already exists/);
    await assert.rejects(() => Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', deployment.uri, at, 'two words')), /not a valid element id/);
    const monitoring = await open(MONITORING);
    await assert.rejects(
      () => Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', monitoring.uri, positionOf(monitoring, 'G21', 1), 'Claim21')),
      /would not be read as an element in Markdown/,
    );
  });

  it('applies a rename to a Markdown case and the YAML module it uses', async () => {
    const scratch = await scratchFolder();
    try {
      const caseUri = vscode.Uri.joinPath(scratch.uri, 'case.gsn.md');
      const evidenceUri = vscode.Uri.joinPath(scratch.uri, 'ev.gsn.yaml');
      await writeText(evidenceUri, 'Sn1:\n  text: Shared evidence\n');
      await writeText(caseUri, '---\ngsn-module: { name: scratch-case, uses: [ev.gsn.yaml] }\n---\n\n## G1: Claim\nsupported by: Sn1\n');
      const services = await ready();
      await waitFor('the scratch case indexed', () => services.index.document(caseUri.toString())?.safetyCase?.elements.length === 1 && !!services.index.document(evidenceUri.toString())?.safetyCase, 15_000);
      const doc = await vscode.workspace.openTextDocument(caseUri);
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, 'Sn1', 1), 'Sn-shared');
      assert.equal(edit.size, 2);
      assert.ok(await vscode.workspace.applyEdit(edit));
      for (const uri of [caseUri, evidenceUri]) assert.ok(await (await vscode.workspace.openTextDocument(uri)).save(), `saved ${uri.path}`);
      assert.equal(await readText(caseUri), '---\ngsn-module: { name: scratch-case, uses: [ev.gsn.yaml] }\n---\n\n## G1: Claim\nsupported by: Sn-shared\n');
      assert.equal(await readText(evidenceUri), 'Sn-shared:\n  text: Shared evidence\n');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await scratch.dispose();
    }
  });

  it('completes only valid targets in supportedBy, and citation keys in text', async () => {
    const deployment = await open(DEPLOYMENT);
    const list = positionOf(deployment, 'supportedBy: [Sn10', 'supportedBy: ['.length);
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', deployment.uri, list);
    const labels = completions.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const id of ['G12', 'G13', 'Sn12']) assert.ok(labels.includes(id), `${id} offered: ${labels.join()}`);
    for (const id of ['G10', 'S10', 'G11', 'Sn10', 'Sn11', 'C10', 'A10', 'G20']) assert.ok(!labels.includes(id), `${id} must not be offered: ${labels.join()}`);

    const evidence = await open(EVIDENCE);
    const inText = positionOf(evidence, '@templeton2024scaling', 5);
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', evidence.uri, inText);
    const keyLabels = keys.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(keyLabels.includes('templeton2024scaling'), keyLabels.slice(0, 20).join());
  });

  it('outlines the elements of a file with their type and status', async () => {
    const deployment = await open(DEPLOYMENT);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', deployment.uri);
    const ours = symbols.filter((s) => /^(G|S|C|A|Sn)\d+$/.test(s.name));
    assert.deepEqual(ours.map((s) => s.name), ['G10', 'C10', 'A10', 'S10', 'G11', 'G12', 'G13']);
    assert.equal(ours.find((s) => s.name === 'G12')?.detail, 'Goal · undeveloped');
    assert.equal(ours.find((s) => s.name === 'S10')?.detail, 'Strategy');
    assert.ok(ours[0].selectionRange.isEqual(rangeOf(deployment, 'G10')));
  });

  it('shows each safety case in the Safety Case view as a tree with the status of every element', async () => {
    const tree = new SafetyCaseTree(await ready());
    try {
      const label = (node: SafetyCaseNode) => {
        const item = tree.getTreeItem(node);
        return `${typeof item.label === 'string' ? item.label : item.label?.label} | ${item.description}`;
      };
      const cases = tree.getChildren().map((n) => vscode.workspace.asRelativePath(vscode.Uri.parse(n.uri)));
      for (const top of [DEPLOYMENT, MONITORING, 'safety/interp-case.gsn.yaml']) assert.ok(cases.includes(top), cases.join());
      assert.ok(!cases.includes(EVIDENCE), 'a used module is not a case of its own');
      const deployment = tree.getChildren().find((n) => n.uri === fixture(DEPLOYMENT).toString())!;
      const roots = tree.getChildren(deployment);
      assert.deepEqual(roots.map((n) => tree.getTreeItem(n).label), ['G10']);
      const g10 = tree.getChildren(roots[0]);
      assert.deepEqual(g10.map(label), [
        'S10 | Argue over the feature audit, the circuit analysis and the probes',
        'C10 | context · Pilot with fifty engineers, every change reviewed',
        'A10 | context · Deceptive behaviour leaves a trace in the features the audit inspects',
      ]);
      const s10 = tree.getChildren(g10[0]);
      const g13 = tree.getChildren(s10.find((n) => tree.getTreeItem(n).label === 'G13')!);
      assert.deepEqual(g13.map(label), ['Sn12 | Held-out probe evaluation', 'Sn99 | not defined']);
      const g11 = tree.getChildren(s10.find((n) => tree.getTreeItem(n).label === 'G11')!);
      assert.deepEqual(g11.map(label), ['Sn10 | Dictionary features at scale [@templeton2024scaling]', 'Sn11 | 1 unresolved · Replication of the dictionary [@bricken2023monosemantcity]']);
      const item = tree.getTreeItem(g11[1]);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
      assert.equal(item.command?.command, 'vscode.open');
      assert.equal(vscode.workspace.asRelativePath(item.command!.arguments![0] as vscode.Uri), EVIDENCE, 'opens the element where it is defined');
    } finally {
      tree.dispose();
    }
  });

  it('redraws the diagram as the safety case is edited, before it is saved', async function () {
    this.timeout(60_000);
    const scratch = await scratchFolder();
    let doc: vscode.TextDocument | undefined;
    try {
      const caseUri = vscode.Uri.joinPath(scratch.uri, 'live.gsn.yaml');
      await writeText(caseUri, 'G1:\n  text: Top\n  supportedBy: [Sn1]\nSn1:\n  text: Evidence\n  url: https://example.org\n');
      const services = await ready();
      await waitFor('the scratch case indexed', () => !!services.index.document(caseUri.toString())?.safetyCase, 15_000);
      doc = await vscode.workspace.openTextDocument(caseUri);
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('interpReview.showSafetyCaseDiagram', caseUri);
      const svgFile = vscode.Uri.joinPath(scratch.uri, 'live.svg');
      const exported = async () => {
        await vscode.commands.executeCommand('interpReview.exportSafetyCaseDiagram', svgFile);
        return readText(svgFile);
      };
      assert.ok(!(await exported()).includes('data-id="G2"'));
      const edit = new vscode.WorkspaceEdit();
      edit.insert(caseUri, new vscode.Position(2, '  supportedBy: [Sn1'.length), ', G2');
      edit.insert(caseUri, doc.positionAt(doc.getText().length), 'G2:\n  text: Added while typing\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('the diagram to show G2', async () => {
        const svg = await exported();
        return svg.includes('data-id="G2"') && svg.includes('Added while typing') && svg.includes('status-unsupported');
      }, 20_000);
    } finally {
      // Unsaved edits would make closing the editor ask what to do; revert them first.
      if (doc) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await scratch.dispose();
    }
  });

  it('draws the diagram and exports it as SVG', async function () {
    this.timeout(60_000);
    const scratch = await scratchFolder();
    try {
      const deployment = await open(DEPLOYMENT);
      const shown = await vscode.commands.executeCommand<string>('interpReview.showSafetyCaseDiagram', deployment.uri);
      assert.equal(shown, deployment.uri.toString());
      const out = vscode.Uri.joinPath(scratch.uri, 'deployment.svg');
      const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('interpReview.exportSafetyCaseDiagram', out);
      assert.equal(written?.toString(), out.toString());
      const svg = await readText(out);
      assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), svg.slice(0, 80));
      for (const id of ['G10', 'S10', 'G11', 'G12', 'G13', 'Sn10', 'Sn11', 'Sn12', 'Sn99', 'C10', 'A10']) assert.ok(svg.includes(`data-id="${id}"`), `${id} drawn`);
      assert.match(svg, /class="node type-solution shape-circle status-unresolved" data-id="Sn11"/);
      assert.match(svg, /class="node type-goal shape-rectangle status-undeveloped" data-id="G12"/);
      assert.match(svg, /status-missing" data-id="Sn99"/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await scratch.dispose();
    }
  });
});
