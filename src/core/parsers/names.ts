// BibTeX name lists: `and`-separated names in the three BibTeX forms ("First von Last", "von Last, First",
// "von Last, Jr, First"), brace-protected corporate names and `and others`. Splitting happens on the raw
// LaTeX (braces decide what is one token); each part is decoded to Unicode afterwards.
import { latexToUnicode } from './latexToUnicode';

export interface PersonName {
  family: string;
  given?: string;
  /** The "von" part: `van der`, `de`, `von`. */
  particle?: string;
  /** The "Jr" part. */
  suffix?: string;
  /** Set for names that must not be split: `{OpenAI}`, `others`. */
  literal?: string;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Splits a raw BibTeX name list on ` and ` at brace depth 0 (case-insensitive, as BibTeX does). */
export function splitNameList(s: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125) depth = Math.max(0, depth - 1);
    else if (
      depth === 0 &&
      isSpace(c) &&
      (s.charCodeAt(i + 1) | 32) === 97 &&
      (s.charCodeAt(i + 2) | 32) === 110 &&
      (s.charCodeAt(i + 3) | 32) === 100 &&
      isSpace(s.charCodeAt(i + 4))
    ) {
      names.push(s.slice(start, i));
      start = i + 4;
      i += 3;
    }
  }
  names.push(s.slice(start));
  return names.map((n) => n.trim()).filter((n) => n !== '');
}

/** Splits at depth-0 occurrences of `separator` (a char code); with `whitespace`, any whitespace or `~` splits. */
function splitTopLevel(s: string, separator: number, whitespace: boolean): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125) depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === separator || (whitespace && (isSpace(c) || c === 126)))) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const LETTER = /\p{L}/u;

/**
 * BibTeX's "von" test: the case of the first letter at brace depth 0. A special character `{\…}` counts
 * as depth 0; other brace groups are skipped (`{van}` is not a von part). Tokens without letters are not von.
 */
function isLowerCaseToken(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 123) {
      const close = matchingBrace(token, i);
      if (token.charCodeAt(i + 1) === 92) return firstLetterIsLower(latexToUnicode(token.slice(i, close + 1)));
      i = close;
    } else if (c === 92) {
      return firstLetterIsLower(latexToUnicode(token.slice(i)));
    } else if (LETTER.test(token[i])) {
      return firstLetterIsLower(token[i]);
    }
  }
  return false;
}

function firstLetterIsLower(s: string): boolean {
  const match = /\p{L}/u.exec(s);
  return match !== null && match[0] !== match[0].toUpperCase();
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return s.length - 1;
}

function decodeTokens(tokens: string[]): string {
  return latexToUnicode(tokens.join(' '));
}

/** Splits "von Last" tokens: von = everything up to the last lower-case token before the final token. */
function splitVonLast(tokens: string[]): { von: string[]; last: string[] } {
  let vonEnd = -1;
  for (let k = 0; k < tokens.length - 1; k++) if (isLowerCaseToken(tokens[k])) vonEnd = k;
  return { von: tokens.slice(0, vonEnd + 1), last: tokens.slice(vonEnd + 1) };
}

/** Parses one raw BibTeX name. */
export function parseBibtexName(raw: string): PersonName {
  const trimmed = raw.trim();
  if (trimmed.toLowerCase() === 'others') return { family: 'others', literal: 'others' };
  if (trimmed.charCodeAt(0) === 123 && matchingBrace(trimmed, 0) === trimmed.length - 1) {
    const literal = latexToUnicode(trimmed);
    return { family: literal, literal };
  }
  const parts = splitTopLevel(trimmed, 44 /* , */, false);
  let given: string[] = [];
  let suffix: string[] = [];
  let von: string[];
  let last: string[];
  if (parts.length <= 1) {
    const tokens = splitTopLevel(trimmed, -1, true);
    let vonStart = -1;
    for (let k = 0; k < tokens.length - 1; k++) {
      if (isLowerCaseToken(tokens[k])) {
        vonStart = k;
        break;
      }
    }
    if (vonStart < 0) {
      given = tokens.slice(0, -1);
      von = [];
      last = tokens.slice(-1);
    } else {
      given = tokens.slice(0, vonStart);
      ({ von, last } = splitVonLast(tokens.slice(vonStart)));
    }
  } else {
    ({ von, last } = splitVonLast(splitTopLevel(parts[0], -1, true)));
    if (parts.length === 2) given = [parts[1]];
    else {
      suffix = [parts[1]];
      given = parts.slice(2);
    }
  }
  const name: PersonName = { family: decodeTokens(last) };
  if (given.length) name.given = decodeTokens(given);
  if (von.length) name.particle = decodeTokens(von);
  if (suffix.length) name.suffix = decodeTokens(suffix);
  return name;
}

/** Parses a raw BibTeX name list (`author`, `editor` field). */
export function parseBibtexNames(s: string): PersonName[] {
  return splitNameList(s).map(parseBibtexName);
}

/** "von Last, First, Jr" — the family part (with particle) always comes before the first comma. */
export function formatName(name: PersonName): string {
  if (name.literal !== undefined) return name.literal;
  const family = name.particle ? `${name.particle} ${name.family}` : name.family;
  let out = name.given ? `${family}, ${name.given}` : family;
  if (name.suffix) out += `, ${name.suffix}`;
  return out;
}
