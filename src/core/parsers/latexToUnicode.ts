// LaTeX → Unicode for display: titles, names and abstracts from .bib files. One iterative pass over the
// string (no recursion, so 2,000-deep braces are harmless); unknown commands vanish but their braced
// arguments stay, which is what a reader wants from `\mbox{x}`, `\textsc{x}` or a macro we never heard of.

/** Combining marks for accent commands: `\'e`, `\"{u}`, `\c{c}`, `\v s` … */
const ACCENTS: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  c: '\u0327',
  v: '\u030C',
  u: '\u0306',
  H: '\u030B',
  k: '\u0328',
  r: '\u030A',
  d: '\u0323',
  b: '\u0331',
  t: '\u0361',
};

/** What an accent with an empty argument (`\~{}`, `\^{}`) prints. */
const SPACING_ACCENTS: Record<string, string> = { '~': '~', '^': '^', '"': '¨', "'": '´', '`': '`', '=': '¯' };

const SYMBOLS: Record<string, string> = {
  // Letters outside ASCII
  ss: 'ß', SS: 'SS', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', l: 'ł', L: 'Ł',
  i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ', dj: 'đ', DJ: 'Đ',
  // Text symbols
  textendash: '–', textemdash: '—', ldots: '…', dots: '…', textellipsis: '…', LaTeX: 'LaTeX', TeX: 'TeX',
  LaTeXe: 'LaTeX2ε', BibTeX: 'BibTeX', copyright: '©', textcopyright: '©', textregistered: '®',
  texttrademark: '™', S: '§', P: '¶', dag: '†', ddag: '‡', pounds: '£', textsterling: '£', euro: '€',
  texteuro: '€', textless: '<', textgreater: '>', textbackslash: '\\', textasciitilde: '~',
  textasciicircum: '^', textunderscore: '_', textbar: '|', textbullet: '•', textdegree: '°',
  textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“', textquotedblright: '”',
  guillemotleft: '«', guillemotright: '»', textperiodcentered: '·', textsection: '§', textparagraph: '¶',
  quad: ' ', qquad: ' ', space: ' ', slash: '/', textslash: '/', nobreakspace: ' ', textvisiblespace: '␣',
  checkmark: '✓',
  // Math that titles actually contain
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ',
  Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', ell: 'ℓ', infty: '∞', leq: '≤',
  le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡',
  propto: '∝', times: '×', cdot: '·', pm: '±', mp: '∓', div: '÷', to: '→', rightarrow: '→', leftarrow: '←',
  Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔', Leftrightarrow: '⇔', mapsto: '↦', in: '∈',
  notin: '∉', subset: '⊂', subseteq: '⊆', supset: '⊃', supseteq: '⊇', cup: '∪', cap: '∩', setminus: '∖',
  emptyset: '∅', forall: '∀', exists: '∃', neg: '¬', lnot: '¬', land: '∧', wedge: '∧', lor: '∨', vee: '∨',
  oplus: '⊕', otimes: '⊗', partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', sqrt: '√',
  circ: '∘', star: '⋆', ast: '∗', cdots: '⋯', ll: '≪', gg: '≫', langle: '⟨', rangle: '⟩', lvert: '|',
  rvert: '|', mid: '|', vert: '|', lbrace: '{', rbrace: '}', top: '⊤', bot: '⊥', perp: '⊥', prime: '′',
  log: 'log', exp: 'exp', sin: 'sin', cos: 'cos', tanh: 'tanh', max: 'max', min: 'min', arg: 'arg',
  det: 'det', dim: 'dim', lim: 'lim', sup: 'sup', inf: 'inf', Pr: 'Pr',
};

/** Control symbols other than accents: `\&`, `\%`, `\,` … */
const CONTROL_SYMBOLS: Record<string, string> = {
  '&': '&', '%': '%', $: '$', _: '_', '#': '#', '{': '{', '}': '}', ' ': ' ', '\\': ' ', ',': ' ',
  ';': ' ', ':': ' ', '!': '', '-': '', '/': '', '@': '', '(': '', ')': '', '[': '', ']': '', '|': '‖',
  '\n': ' ', '\r': ' ', '\t': ' ',
};

/** Commands whose first argument is not text: `\href{url}{text}` keeps only `text`. */
const DROP_FIRST_ARGUMENT = new Set([
  'href', 'textcolor', 'color', 'colorbox', 'hspace', 'vspace', 'label', 'ref', 'eqref', 'cite', 'citep',
  'citet', 'nocite', 'footnotemark', 'includegraphics', 'hypersetup', 'setlength', 'addtolength',
]);

/** Fast path: strings with none of these characters decode to themselves (after whitespace collapse). */
const NEEDS_WORK = /[\\{}$~\-`'\n\r\t]| {2}/;

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Decodes LaTeX markup to readable Unicode. Never throws; malformed input degrades to its visible characters.
 * Braces (case protection, grouping) disappear; whitespace runs collapse to one space; the result is NFC.
 */
export function latexToUnicode(s: string): string {
  if (!NEEDS_WORK.test(s)) return s.trim();
  const len = s.length;
  let out = '';
  let runStart = 0;
  let combining = false;
  // Closing text of each open group; `enquote` closes with a quote mark, ordinary groups with nothing.
  const groupClosers: string[] = [];
  let nextGroupOpener = '';
  let nextGroupCloser = '';
  let inMath = false;
  let i = 0;
  while (i < len) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 92 /* \ */: {
        out += s.slice(runStart, i);
        let j = i + 1;
        let name: string;
        if (j < len && isAsciiLetter(s.charCodeAt(j))) {
          while (j < len && isAsciiLetter(s.charCodeAt(j))) j++;
          name = s.slice(i + 1, j);
          // TeX swallows spaces after a control word in text (`Stra\ss e`); in math they only separate
          // symbols, and a reader wants `α ≤ β`, not `α≤β`.
          if (!inMath) while (j < len && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
        } else {
          name = j < len ? s[j] : '';
          j++;
          if (name === '(' || name === '[') inMath = true;
          else if (name === ')' || name === ']') inMath = false;
        }
        const accent = ACCENTS[name];
        if (accent !== undefined) {
          j = decodeAccentArgument(s, j, name, accent, groupClosers);
          out += accentResult;
          combining = true;
        } else if (Object.hasOwn(SYMBOLS, name)) {
          out += SYMBOLS[name];
        } else if (Object.hasOwn(CONTROL_SYMBOLS, name)) {
          out += CONTROL_SYMBOLS[name];
        } else if (DROP_FIRST_ARGUMENT.has(name)) {
          j = skipGroup(s, j);
        } else if (name === 'enquote' || name === 'mkbibquote') {
          nextGroupOpener = '“';
          nextGroupCloser = '”';
        }
        // Any other command (formatting, unknown) is dropped; its braced argument is decoded as text.
        i = j;
        runStart = i;
        continue;
      }
      case 123 /* { */:
        out += s.slice(runStart, i) + nextGroupOpener;
        groupClosers.push(nextGroupCloser);
        nextGroupOpener = nextGroupCloser = '';
        runStart = ++i;
        continue;
      case 125 /* } */:
        out += s.slice(runStart, i) + (groupClosers.pop() ?? '');
        runStart = ++i;
        continue;
      case 36 /* $ */:
        out += s.slice(runStart, i);
        inMath = !inMath;
        if (s.charCodeAt(i + 1) === 36) i++; // `$$` display math
        runStart = ++i;
        continue;
      case 126 /* ~ */:
        out += s.slice(runStart, i) + ' ';
        runStart = ++i;
        continue;
      case 45 /* - */: {
        if (s.charCodeAt(i + 1) !== 45) {
          i++;
          continue;
        }
        out += s.slice(runStart, i);
        if (s.charCodeAt(i + 2) === 45) {
          out += '—';
          i += 3;
        } else {
          out += '–';
          i += 2;
        }
        runStart = i;
        continue;
      }
      case 96 /* ` */:
        out += s.slice(runStart, i);
        if (s.charCodeAt(i + 1) === 96) {
          out += '“';
          i += 2;
        } else {
          out += '‘';
          i++;
        }
        runStart = i;
        continue;
      case 39 /* ' */:
        if (s.charCodeAt(i + 1) === 39) {
          out += s.slice(runStart, i) + '”';
          i += 2;
          runStart = i;
        } else i++;
        continue;
      default:
        i++;
    }
  }
  out += s.slice(runStart);
  out = out.replace(/\s+/g, ' ').trim();
  return combining ? out.normalize('NFC') : out;
}

// Set by decodeAccentArgument; a module-level slot avoids allocating a result object per accent.
let accentResult = '';

/**
 * Reads the argument of an accent command starting at `j` (`{u}`, `u`, `{\i}`, ` c`), stores the accented
 * text in `accentResult` and returns the index after the argument.
 */
function decodeAccentArgument(s: string, j: number, name: string, mark: string, groupClosers: string[]): number {
  const len = s.length;
  while (j < len && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
  let braced = false;
  if (s.charCodeAt(j) === 123) {
    braced = true;
    j++;
    while (j < len && s.charCodeAt(j) === 32) j++;
  }
  let base = '';
  if (s.charCodeAt(j) === 92 && (s[j + 1] === 'i' || s[j + 1] === 'j') && !isAsciiLetter(s.charCodeAt(j + 2))) {
    // Dotless i/j carry the accent in old-style input; the composed character uses the dotted letter.
    base = s[j + 1];
    j += 2;
  } else if (j < len && s.charCodeAt(j) !== 125 && s.charCodeAt(j) !== 92) {
    const code = s.codePointAt(j) ?? 0;
    base = String.fromCodePoint(code);
    j += code > 0xffff ? 2 : 1;
  }
  if (braced) {
    while (j < len && s.charCodeAt(j) === 32) j++;
    if (s.charCodeAt(j) === 125) j++;
    else groupClosers.push(''); // `\t{oo}`: the rest of the group is ordinary text.
  }
  accentResult = base === '' ? (SPACING_ACCENTS[name] ?? '') : base + mark;
  return j;
}

/** Skips optional spaces and one balanced `{…}` group starting at `j`; returns the index after it. */
function skipGroup(s: string, j: number): number {
  const len = s.length;
  while (j < len && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
  if (s.charCodeAt(j) !== 123) return j;
  let depth = 0;
  for (; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return j + 1;
  }
  return len;
}
