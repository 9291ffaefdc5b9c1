// Claim blocks for code lenses: paragraphs, list items and headings; code and frontmatter are not claims.
import * as assert from 'node:assert/strict';
import { LineMap } from '../../src/core/text';
import { blockAtLine, claimBlocks } from '../../src/vscode/claims';

function blocks(text: string) {
  return claimBlocks(new LineMap(text)).map((b) => [b.kind, b.startLine, b.endLine]);
}

describe('claim blocks', () => {
  it('splits Markdown into headings, paragraphs and list items, skipping frontmatter and fences', () => {
    const text = [
      '---', // 0
      'title: x', // 1
      '---', // 2
      '# Superposition', // 3
      '', // 4
      'Models store features [@elhage2022toy]', // 5
      'in almost-orthogonal directions.', // 6
      '', // 7
      '- SAEs recover them [@bricken2023monosemanticity]', // 8
      '  with some dead latents.', // 9
      '- Probes find them [@alain2016probes]', // 10
      '', // 11
      '```', // 12
      '[@notaclaim]', // 13
      '```', // 14
      'Setext heading', // 15
      '---', // 16
    ].join('\n');
    assert.deepEqual(blocks(text), [
      ['heading', 3, 3],
      ['paragraph', 5, 6],
      ['list-item', 8, 9],
      ['list-item', 10, 10],
      ['heading', 15, 16],
    ]);
  });

  it('understands LaTeX sections, items and comments', () => {
    const text = ['\\section{Results}', 'We see \\cite{a}', 'and more.', '% a comment', '\\begin{itemize}', '\\item one \\cite{b}', '\\item two', '\\end{itemize}'].join('\n');
    assert.deepEqual(blocks(text), [
      ['heading', 0, 0],
      ['paragraph', 1, 2],
      ['list-item', 5, 5],
      ['list-item', 6, 6],
    ]);
  });

  it('finds the block of a line', () => {
    const found = claimBlocks(new LineMap('a\nb\n\nc\n\n- d'));
    assert.equal(blockAtLine(found, 1), 0);
    assert.equal(blockAtLine(found, 2), -1);
    assert.equal(blockAtLine(found, 3), 1);
    assert.equal(blockAtLine(found, 5), 2);
    assert.equal(blockAtLine(found, 9), -1);
  });

  it('handles CRLF and an unclosed frontmatter', () => {
    assert.deepEqual(blocks('para one\r\nstill one\r\n\r\npara two'), [
      ['paragraph', 0, 1],
      ['paragraph', 3, 3],
    ]);
    assert.deepEqual(blocks('---\nno closing fence'), [
      ['paragraph', 0, 1],
    ]);
  });
});
