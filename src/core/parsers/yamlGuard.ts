// Checks run on YAML text before it reaches the `yaml` package, shared by every YAML reader (front matter,
// CSL-YAML, gsn2x safety cases). The package's parser is super-linear on deep, especially unclosed, `[`/`{`
// nesting (1 MB of `{` took 16 s; hundreds of thousands of levels can exhaust the stack), and it does not
// treat a lone CR as a line break.
import { CST, Lexer } from 'yaml';

/** Deeper flow nesting than any bibliography, note or safety case needs. */
export const MAX_YAML_FLOW_DEPTH = 64;

const { DOCUMENT, FLOW_END: FLOW_ERROR_END, SCALAR } = CST;

/**
 * Offset of the `[` or `{` at which flow nesting first exceeds `limit`, or -1 when it never does. Depth is
 * measured with the package's own (linear) lexer, so brackets inside plain, quoted or block scalars and
 * comments count exactly as the parser would see them.
 * Give it text with line breaks already normalised the way the caller parses it.
 */
export function excessiveYamlFlowDepth(yaml: string, limit = MAX_YAML_FLOW_DEPTH): number {
  // Nesting deeper than `limit` needs more than `limit` openers; most documents stop here without lexing.
  let openers = 0;
  for (let i = 0; i < yaml.length && openers <= limit; i++) {
    const c = yaml.charCodeAt(i);
    if (c === 91 || c === 123) openers++;
  }
  if (openers <= limit) return -1;
  let depth = 0;
  let offset = 0;
  let scalarSource = false;
  for (const token of new Lexer().lex(yaml)) {
    // Mirror the package's parser: control tokens occupy no source, and the token after a scalar marker is
    // the scalar's source even when it looks like a control token.
    if (scalarSource) {
      scalarSource = false;
      offset += token.length;
      continue;
    }
    if (token === SCALAR) scalarSource = true;
    else if (token === FLOW_ERROR_END) depth = 0; // the lexer dropped out of every open flow collection
    else if (token !== DOCUMENT) {
      if (token === '[' || token === '{') {
        if (++depth > limit) return offset;
      } else if ((token === ']' || token === '}') && depth > 0) {
        depth--;
      }
      offset += token.length;
    }
  }
  return -1;
}

/** The text with every lone CR made LF: same length, so every offset the yaml package reports still holds. */
export function withLfLineBreaks(yaml: string): string {
  return yaml.indexOf('\r') < 0 ? yaml : yaml.replace(/\r(?!\n)/g, '\n');
}
