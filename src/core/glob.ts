// Glob matching for include/exclude settings (VS Code's `files.exclude` dialect): `**`, `*`, `?`, `{a,b}`,
// `[abc]`/`[!abc]`. Patterns are compiled once into one RegExp per set; paths are root-relative with `/`.

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? '\\' + ch : ch;
}

/** Translates one glob into a RegExp source (anchored by the caller). Unbalanced brackets match literally. */
export function globToRegExpSource(glob: string): string {
  let out = '';
  let braceDepth = 0;
  let i = 0;
  const n = glob.length;
  while (i < n) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        // `**` spans directories only as a whole segment: `a/**/b`, `**/b`, `a/**`.
        let j = i;
        while (glob[j] === '*') j++;
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        const atSegmentEnd = j === n || glob[j] === '/' || (braceDepth > 0 && (glob[j] === ',' || glob[j] === '}'));
        if (atSegmentStart && atSegmentEnd) {
          if (glob[j] === '/') {
            out += '(?:[^/]*/)*';
            i = j + 1;
          } else {
            out += '.*';
            i = j;
          }
          continue;
        }
        out += '[^/]*';
        i = j;
        continue;
      }
      out += '[^/]*';
      i++;
    } else if (ch === '?') {
      out += '[^/]';
      i++;
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        i++;
        continue;
      }
      let body = glob.slice(i + 1, close);
      let negate = false;
      if (body[0] === '!' || body[0] === '^') {
        negate = true;
        body = body.slice(1);
      }
      out += (negate ? '[^/' : '[') + body.replace(/[\\\]^]/g, '\\$&') + ']';
      i = close + 1;
    } else if (ch === '{') {
      braceDepth++;
      out += '(?:';
      i++;
    } else if (ch === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
      i++;
    } else if (ch === ',' && braceDepth > 0) {
      out += '|';
      i++;
    } else {
      out += escapeRegExp(ch);
      i++;
    }
  }
  // An unclosed `{` would leave an open group: close it so the RegExp stays valid.
  out += ')'.repeat(braceDepth);
  return out;
}

export type PathMatcher = (relativePath: string) => boolean;

/**
 * One matcher for a set of globs. A pattern without `/` also matches the base name anywhere
 * (`*.tmp` excludes `a/b.tmp`), as VS Code's exclude settings do. With `matchDescendants` a pattern that
 * names a folder also matches everything inside it (a `node_modules` pattern), as exclude settings expect.
 * Patterns that cannot compile (e.g. `[z-a]`) are dropped rather than disabling the whole set.
 */
export function compileGlobs(patterns: readonly string[], options: { matchDescendants?: boolean } = {}): PathMatcher {
  const sources: string[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (!pattern) continue;
    const body = globToRegExpSource(pattern);
    const source = pattern.includes('/') ? body : `(?:[^/]*/)*${body}`;
    try {
      new RegExp(source);
      sources.push(source);
    } catch {
      continue;
    }
  }
  if (sources.length === 0) return () => false;
  const regex = new RegExp(`^(?:${sources.join('|')})${options.matchDescendants ? '(?:/.*)?' : ''}$`);
  return (relativePath) => regex.test(relativePath);
}
