// Checks run on YAML text before it reaches the `yaml` package, shared by every YAML reader. The package
// recovers from unclosed `{`/`[` runs in super-linear time (1 MB of `{` took 16 s, 500 levels of `? {`
// over a minute), and it does not treat a lone CR as a line break.

/** Deeper flow nesting than any bibliography, note or safety case needs. */
export const MAX_YAML_FLOW_DEPTH = 64;

/**
 * Offset of the `[`/`{` where flow nesting first exceeds `maxDepth`, or -1. Quoted scalars and comments are
 * skipped. Over-approximates (brackets inside block plain scalars count too), which only matters for
 * documents holding more than `maxDepth` unbalanced brackets in a row.
 */
export function excessiveYamlFlowDepth(yaml: string, maxDepth = MAX_YAML_FLOW_DEPTH): number {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < yaml.length; i++) {
    const c = yaml.charCodeAt(i);
    if (quote) {
      if (c === 92 && quote === 34) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || c === 39) {
      // A quote inside a word (`don't`) is text, not the start of a quoted scalar.
      const before = i === 0 ? 32 : yaml.charCodeAt(i - 1);
      if (before <= 32 || before === 91 || before === 123 || before === 44 || before === 58) quote = c;
    } else if (c === 35 && (i === 0 || yaml.charCodeAt(i - 1) <= 32)) {
      while (i < yaml.length && yaml.charCodeAt(i) !== 10 && yaml.charCodeAt(i) !== 13) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return -1;
}

/** The text with every lone CR made LF: same length, so every offset the yaml package reports still holds. */
export function withLfLineBreaks(yaml: string): string {
  return yaml.indexOf('\r') < 0 ? yaml : yaml.replace(/\r(?!\n)/g, '\n');
}
