// YAML frontmatter of Markdown documents: a leading `---` line, YAML, then a `---` or `...` line.
// Only the `yaml` package reads it, never an engine that can execute code: `---js` and friends (gray-matter's
// language openers) are reported and left alone. Alias expansion is capped so a billion-laughs block is a
// diagnostic rather than a hang, and any exception inside the YAML library is turned into a diagnostic.
import { isMap, isScalar, parseDocument } from 'yaml';
import type { CoreDiagnostic, Frontmatter, ParseResult, Span } from '../model';

/** More aliases than any real note needs; enough to stop exponential expansion early. */
const MAX_ALIAS_COUNT = 100;

const OPENER = /---[ \t]*(?:\r\n|\n|\r|$)/y;
const LANGUAGE_OPENER = /---([A-Za-z][\w+-]*)[ \t]*(?:\r\n|\n|\r|$)/y;

interface Fences {
  contentStart: number;
  contentEnd: number;
  /** End of the closing fence line including its line break. */
  blockEnd: number;
}

/** Finds the closing `---`/`...` line, scanning line by line (any line ending). */
function findClosingFence(text: string, contentStart: number): Fences | undefined {
  let lineStart = contentStart;
  const n = text.length;
  while (lineStart < n) {
    let lineEnd = lineStart;
    while (lineEnd < n) {
      const c = text.charCodeAt(lineEnd);
      if (c === 10 || c === 13) break;
      lineEnd++;
    }
    const c0 = text.charCodeAt(lineStart);
    if ((c0 === 45 || c0 === 46) && lineEnd - lineStart >= 3) {
      const line = text.slice(lineStart, lineEnd);
      if (/^(?:---|\.\.\.)[ \t]*$/.test(line)) {
        let blockEnd = lineEnd;
        if (text.charCodeAt(blockEnd) === 13) blockEnd++;
        if (text.charCodeAt(blockEnd) === 10) blockEnd++;
        return { contentStart, contentEnd: lineStart, blockEnd };
      }
    }
    if (lineEnd >= n) break;
    lineStart = lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
  }
  return undefined;
}

function clampSpan(start: number, end: number, min: number, max: number): Span {
  const s = Math.max(min, Math.min(start, max));
  return { start: s, end: Math.max(s, Math.min(end, max)) };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function parseFrontmatter(text: string): ParseResult<Frontmatter | undefined> {
  const diagnostics: CoreDiagnostic[] = [];
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  OPENER.lastIndex = bom;
  const opener = OPENER.exec(text);
  if (!opener) {
    LANGUAGE_OPENER.lastIndex = bom;
    const lang = LANGUAGE_OPENER.exec(text);
    if (lang) {
      diagnostics.push({
        span: { start: bom, end: bom + 3 + lang[1].length },
        severity: 'info',
        code: 'frontmatter-language',
        message: `'---${lang[1]}' front matter is not read: only YAML front matter is supported, and code in it is never executed.`,
      });
    }
    return { value: undefined, diagnostics };
  }
  const contentStart = bom + opener[0].length;
  // `---` as the very last line is a thematic break, not an unterminated block.
  if (contentStart >= text.length) return { value: undefined, diagnostics };
  const fences = findClosingFence(text, contentStart);
  if (!fences) {
    // A `---` followed by a blank line is a thematic break (Pandoc's rule), not a broken block.
    if (/^[ \t]*(?:\r\n|\n|\r|$)/.test(text.slice(contentStart, contentStart + 80))) return { value: undefined, diagnostics };
    diagnostics.push({
      span: { start: bom, end: bom + 3 },
      severity: 'warning',
      code: 'frontmatter-unclosed',
      message: "Front matter starts with '---' but has no closing '---' or '...' line; it is not read.",
    });
    return { value: undefined, diagnostics };
  }
  const { contentEnd, blockEnd } = fences;
  const yamlText = text.slice(contentStart, contentEnd);
  const frontmatter: Frontmatter = {
    span: { start: bom, end: blockEnd },
    contentSpan: { start: contentStart, end: contentEnd },
    valueSpans: {},
  };
  const at = (start: number, end: number): Span =>
    clampSpan(contentStart + start, contentStart + end, contentStart, contentEnd);

  try {
    const doc = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false });
    for (const error of doc.errors) {
      const [start, end] = error.pos;
      const duplicate = error.code === 'DUPLICATE_KEY';
      diagnostics.push({
        span: at(start, Math.max(end, start + 1)),
        severity: 'error',
        code: duplicate ? 'frontmatter-duplicate-key' : 'frontmatter-yaml',
        message: duplicate ? 'Duplicate key in front matter.' : `Front matter YAML: ${firstLine(error.message)}`,
      });
    }
    for (const warning of doc.warnings) {
      const [start, end] = warning.pos;
      diagnostics.push({
        span: at(start, Math.max(end, start + 1)),
        severity: 'warning',
        code: 'frontmatter-yaml',
        message: `Front matter YAML: ${firstLine(warning.message)}`,
      });
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      frontmatter.data = {};
    } else if (isMap(contents)) {
      for (const pair of contents.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined || key in frontmatter.valueSpans) continue;
        const range = (pair.value as { range?: [number, number, number] } | null)?.range;
        if (range) frontmatter.valueSpans[key] = at(range[0], range[1]);
      }
      // Even after errors the composed mapping is kept: one bad line should not hide the note's citekey.
      const data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
      if (data && typeof data === 'object' && !Array.isArray(data)) frontmatter.data = data as Record<string, unknown>;
    } else {
      diagnostics.push({
        span: { start: contentStart, end: contentEnd },
        severity: 'warning',
        code: 'frontmatter-not-mapping',
        message: 'Front matter should be a YAML mapping of keys to values.',
      });
    }
  } catch (e) {
    // toJS throws on excessive aliasing; the composer can overflow the stack on absurd nesting.
    const aliasAttack = /alias/i.test(errorMessage(e));
    diagnostics.push({
      span: { start: contentStart, end: contentEnd },
      severity: 'error',
      code: aliasAttack ? 'frontmatter-aliases' : 'frontmatter-yaml',
      message: aliasAttack
        ? `Front matter expands too many YAML aliases (limit ${MAX_ALIAS_COUNT}); it is not read.`
        : `Front matter could not be read: ${firstLine(errorMessage(e))}`,
    });
    frontmatter.data = undefined;
  }
  return { value: frontmatter, diagnostics };
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl >= 0 ? message.slice(0, nl) : message;
}
