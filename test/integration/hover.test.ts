// Hover through `vscode.executeHoverProvider` on the fixture workspace: Pandoc groups, keys across lines,
// LaTeX, bibliography entries, corpus papers, unresolved keys, and the trust settings of the Markdown.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverAt, markdownOf, open, positionOf, ready } from './editorHelpers';

describe('hover', () => {
  before(ready);

  it('describes a key inside a multi-key Pandoc group, with the note and usage', async () => {
    const doc = await open('review.md');
    const hovers = await hoverAt(doc, positionOf(doc, '@elhage2022toy;', 5));
    const md = markdownOf(hovers);
    assert.match(md, /\*\*Toy Models of Superposition\*\*/);
    assert.ok(md.includes('N\\. Elhage, T\\. Hume, C\\. Olsson et al\\.'), md);
    assert.ok(md.includes('2022'), md);
    assert.ok(md.includes('(https://arxiv.org/abs/2209.10652)'), md);
    assert.ok(md.includes('Neural networks often pack many unrelated concepts'), 'abstract shown');
    assert.ok(md.includes('[more](command:interpReview.openPaper?'), 'long abstract links to the paper panel');
    assert.ok(md.includes('*Note:* Small ReLU models store more sparse features'), 'first lines of the note');
    assert.ok(md.includes('cited 2 times in 2 documents'), md);
    const range = hovers.find((h) => markdownOf([h]).includes('Toy Models'))?.range;
    assert.equal(doc.getText(range), 'elhage2022toy');
  });

  it('works on the second key of a group that continues on the next line (CSL-JSON entry)', async () => {
    const doc = await open('review.md');
    const md = markdownOf(await hoverAt(doc, positionOf(doc, '@templeton2024scaling', 3)));
    assert.ok(md.includes('Scaling Monosemanticity'), md);
    assert.ok(md.includes('A\\. Templeton, T\\. Conerly and J\\. Marcus'), md);
    assert.ok(md.includes('defined in csl/references\\.json'), md);
  });

  it('shows a corpus paper with a create-note link', async () => {
    const doc = await open('review.md');
    const md = markdownOf(await hoverAt(doc, positionOf(doc, '@bereska2024mechanistic', 4)));
    assert.ok(md.includes('Mechanistic Interpretability for AI Safety'), md);
    assert.ok(md.includes('built\\-in corpus'), md);
    assert.ok(md.includes('command:interpReview.createPaperNote?'), md);
  });

  it('says an unresolved key is unknown and suggests the nearest keys', async () => {
    const doc = await open('review.md');
    const md = markdownOf(await hoverAt(doc, positionOf(doc, 'elhage2022toi', 2)));
    assert.ok(md.includes('**Unknown citation key** elhage2022toi'), md);
    assert.ok(md.includes('[elhage2022toy](command:interpReview.openPaper?'), md);
  });

  it('trusts only our allow-listed commands and never HTML', async () => {
    const doc = await open('review.md');
    const hovers = await hoverAt(doc, positionOf(doc, '@olah2020zoom', 2));
    const ours = hovers.flatMap((h) => h.contents).find((c): c is vscode.MarkdownString => typeof c !== 'string' && c.value.includes('Zoom In'));
    assert.ok(ours, 'our hover is present');
    assert.deepEqual(ours.isTrusted, { enabledCommands: ['interpReview.openPaper', 'interpReview.openPaperNote', 'interpReview.createPaperNote'] });
    assert.ok(!ours.supportHtml);
  });

  it('works on LaTeX keys, including a key on a continuation line', async () => {
    const doc = await open('drafts/draft.tex');
    const md = markdownOf(await hoverAt(doc, positionOf(doc, 'conmy2023automated', 3)));
    assert.ok(md.includes('Towards Automated Circuit Discovery'), md);
    const typo = markdownOf(await hoverAt(doc, positionOf(doc, 'olah2020zom', 1)));
    assert.ok(typo.includes('Unknown citation key'), typo);
  });

  it('works in Quarto documents, but not in their code cells', async () => {
    const doc = await open('drafts/editing.qmd');
    const md = markdownOf(await hoverAt(doc, positionOf(doc, '@meng2022locating]', 3)));
    assert.ok(md.includes('Locating and Editing Factual Associations in GPT'), md);
    assert.ok(md.includes('cited 2 times in 2 documents'), md);
    const inCode = markdownOf(await hoverAt(doc, positionOf(doc, '"@meng2022locating"', 4)));
    assert.ok(!inCode.includes('Locating and Editing'), inCode);
  });

  it('works on a bibliography entry key and counts its citations', async () => {
    const doc = await open('refs.bib');
    const md = markdownOf(await hoverAt(doc, positionOf(doc, 'nanda2023progress', 2)));
    assert.ok(md.includes('Progress Measures for Grokking'), md);
    assert.ok(md.includes('cited 3 times in 3 documents'), md);
  });

  it('stays silent on e-mail addresses, code spans and cross-references', async () => {
    const doc = await open('review.md');
    for (const [needle, at] of [['reviewer@example.org', 10], ['`[@notacitation]`', 4], ['@fig-overview', 3]] as const) {
      const md = markdownOf(await hoverAt(doc, positionOf(doc, needle, at)));
      assert.ok(!md.includes('citation key') && !md.includes('cited '), `${needle}: ${md}`);
    }
  });
});
