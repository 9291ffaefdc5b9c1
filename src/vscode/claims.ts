// Splits prose into claims — paragraphs, list items and headings — so code lenses can say what each cites.
// Works line by line over a `LineMap`-like accessor, O(lines), so a 5,000-line review stays cheap. Pure.

export interface LineSource {
  readonly lineCount: number;
  lineText(line: number): string;
}

export interface ClaimBlock {
  kind: 'paragraph' | 'list-item' | 'heading';
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
}

const HEADING = /^\s{0,3}#{1,6}(\s|$)|^\s*\\(part|chapter|section|subsection|subsubsection|paragraph)\*?[[{]/;
const LIST_ITEM = /^\s*([-*+]|\d{1,9}[.)])\s+\S|^\s*\\item\b/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const LATEX_ENVIRONMENT_EDGE = /^\s*\\(begin|end)\{(document|itemize|enumerate|description|abstract)\}/;
const SETEXT_UNDERLINE = /^\s{0,3}(=+|-+)\s*$/;

export function claimBlocks(source: LineSource): ClaimBlock[] {
  const blocks: ClaimBlock[] = [];
  let current: ClaimBlock | undefined;
  let fence: string | undefined;
  let line = 0;

  // YAML frontmatter is metadata, not prose.
  if (source.lineCount > 0 && source.lineText(0).trim() === '---') {
    for (let i = 1; i < source.lineCount; i++) {
      const text = source.lineText(i).trim();
      if (text === '---' || text === '...') {
        line = i + 1;
        break;
      }
    }
  }

  const close = () => {
    if (current) blocks.push(current);
    current = undefined;
  };

  for (; line < source.lineCount; line++) {
    const text = source.lineText(line);
    if (fence) {
      if (text.trim().startsWith(fence)) fence = undefined;
      continue;
    }
    const fenceMatch = FENCE.exec(text);
    if (fenceMatch) {
      close();
      fence = fenceMatch[1];
      continue;
    }
    if (!text.trim() || /^\s*%/.test(text) || LATEX_ENVIRONMENT_EDGE.test(text)) {
      close();
      continue;
    }
    if (HEADING.test(text)) {
      close();
      blocks.push({ kind: 'heading', startLine: line, endLine: line });
      continue;
    }
    if (current?.kind === 'paragraph' && SETEXT_UNDERLINE.test(text)) {
      current.kind = 'heading';
      current.endLine = line;
      close();
      continue;
    }
    if (LIST_ITEM.test(text)) {
      close();
      current = { kind: 'list-item', startLine: line, endLine: line };
      continue;
    }
    if (current) current.endLine = line;
    else current = { kind: 'paragraph', startLine: line, endLine: line };
  }
  close();
  return blocks;
}

/** Index of the block containing `line`, by binary search over the sorted blocks; -1 if none. */
export function blockAtLine(blocks: readonly ClaimBlock[], line: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid].endLine < line) lo = mid + 1;
    else if (blocks[mid].startLine > line) hi = mid - 1;
    else return mid;
  }
  return -1;
}
