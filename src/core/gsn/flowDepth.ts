// Flow-nesting guard for YAML read by the `yaml` package. Its parser and composer are super-linear on deep
// (especially unclosed) `[`/`{` nesting: a run of 1 MB of `{` or of `[-@a; ` takes tens of seconds, and
// hundreds of thousands of levels can exhaust the stack. Documents nesting deeper than any real one are
// therefore refused before parsing. Depth is measured with the package's own lexer, so brackets inside plain,
// quoted or block scalars and comments count exactly as the parser would see them; the lexer is linear and
// stops at the first level too deep. Nothing here is specific to safety cases, so any YAML reader can share it
// (the character scanner in parsers/yamlGuard.ts guesses at quotes and plain scalars; this one does not).
import { CST, Lexer } from 'yaml';
import { MAX_YAML_FLOW_DEPTH } from '../parsers/yamlGuard';

const { DOCUMENT, FLOW_END: FLOW_ERROR_END, SCALAR } = CST;

/**
 * Offset of the `[` or `{` at which flow nesting first exceeds `limit`, or -1 when it never does.
 * Give it text with line breaks already normalised the way the caller parses it.
 */
export function excessiveFlowNesting(yaml: string, limit = MAX_YAML_FLOW_DEPTH): number {
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
