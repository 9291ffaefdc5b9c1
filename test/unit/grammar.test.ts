// The citation injection grammars, run through vscode-textmate + vscode-oniguruma (VS Code's own engine) on
// top of small host grammars that scope code, comments and link destinations the way the real ones do.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const repo = resolve(__dirname, '../../..');

/** Host grammar with just the Markdown constructs our injection must stay out of. */
const markdownHost = {
  scopeName: 'text.html.markdown',
  patterns: [
    { begin: '^\\s*(`{3,}|~{3,})', end: '^\\s*\\1\\s*$', name: 'markup.fenced_code.block.markdown' },
    { match: '(`+)[^`]*?\\1', name: 'markup.inline.raw.string.markdown' },
    { begin: '<!--', end: '-->', name: 'comment.block.html' },
    {
      match: '(\\[)([^\\]]*)(\\])(\\()([^)\\s]*)(\\))',
      name: 'meta.link.inline.markdown',
      captures: { 5: { name: 'markup.underline.link.markdown' } },
    },
  ],
};

const latexHost = {
  scopeName: 'text.tex.latex',
  patterns: [
    { match: '(?<!\\\\)%.*$', name: 'comment.line.percentage.tex' },
    { begin: '\\\\begin\\{verbatim\\}', end: '\\\\end\\{verbatim\\}', name: 'markup.raw.verbatim.latex' },
  ],
};

const ourGrammars: Record<string, string> = {
  'citation.pandoc.injection': 'syntaxes/pandoc-citations.tmLanguage.json',
  'citation.latex.injection': 'syntaxes/latex-citations.tmLanguage.json',
};

let registry: textmate.Registry;

before(async () => {
  const wasm = readFileSync(resolve(repo, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const manifest = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8'));
  const contributed: { scopeName: string; injectTo?: string[] }[] = manifest.contributes.grammars;
  registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName === 'text.html.markdown') return textmate.parseRawGrammar(JSON.stringify(markdownHost), 'host.json');
      // Quarto's grammar (scope `text.html.quarto`) has the same structure with `.quarto` suffixes.
      if (scopeName === 'text.html.quarto') {
        const quartoHost = JSON.parse(JSON.stringify(markdownHost).replace(/\.markdown"/g, '.quarto"'));
        return textmate.parseRawGrammar(JSON.stringify({ ...quartoHost, scopeName }), 'quarto-host.json');
      }
      if (scopeName === 'text.tex.latex') return textmate.parseRawGrammar(JSON.stringify(latexHost), 'host.json');
      const path = ourGrammars[scopeName];
      return path ? textmate.parseRawGrammar(readFileSync(resolve(repo, path), 'utf8'), path) : null;
    },
    // Exactly what the manifest declares, so a wrong `injectTo` fails these tests.
    getInjections: (scopeName) => contributed.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
  });
});

interface Token {
  text: string;
  scopes: string[];
}

async function tokenize(scopeName: string, text: string): Promise<Token[]> {
  const grammar = await registry.loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} did not load`);
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) tokens.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    state = result.ruleStack;
  }
  return tokens;
}

/** Texts of the tokens whose innermost scope starts with `scope`. */
function tokensWith(tokens: Token[], scope: string): string[] {
  return tokens.filter((t) => t.scopes[t.scopes.length - 1].startsWith(scope)).map((t) => t.text);
}

const PANDOC_KEY = 'variable.other.citation-key.pandoc';
const LATEX_KEY = 'variable.other.citation-key.latex';

describe('Pandoc citation grammar', () => {
  it('scopes a bracketed group: brackets, keys, suppress-author, locator and separators', async () => {
    const tokens = await tokenize('text.html.markdown', 'As shown [see @elhage2021mathematical, pp. 33-35; -@olah2020zoom] here.');
    assert.deepEqual(tokensWith(tokens, PANDOC_KEY), ['elhage2021mathematical', 'olah2020zoom']);
    assert.deepEqual(tokensWith(tokens, 'punctuation.definition.citation.begin.pandoc'), ['[']);
    assert.deepEqual(tokensWith(tokens, 'punctuation.definition.citation.end.pandoc'), [']']);
    assert.deepEqual(tokensWith(tokens, 'keyword.operator.suppress-author.pandoc'), ['-']);
    assert.deepEqual(tokensWith(tokens, 'keyword.other.locator.term.pandoc'), ['pp.']);
    assert.deepEqual(tokensWith(tokens, 'constant.numeric.locator.pandoc'), ['33-35']);
    assert.deepEqual(tokensWith(tokens, 'punctuation.separator.citation.pandoc'), [';']);
    const see = tokens.find((t) => t.text.includes('see'));
    assert.ok(see?.scopes.includes('meta.citation.group.pandoc'), 'the prefix belongs to the group');
    const after = tokens.find((t) => t.text.includes('here'));
    assert.ok(after && !after.scopes.includes('meta.citation.group.pandoc'), 'the group ends at its bracket');
  });

  it('scopes in-text keys and stops before trailing punctuation', async () => {
    const tokens = await tokenize('text.html.markdown', '@nanda2023progress shows it, as does @doe:2020.');
    assert.deepEqual(tokensWith(tokens, PANDOC_KEY), ['nanda2023progress', 'doe:2020']);
    assert.deepEqual(tokensWith(tokens, 'punctuation.definition.citation.marker.pandoc'), ['@', '@']);
  });

  it('scopes braced keys with spaces', async () => {
    const tokens = await tokenize('text.html.markdown', 'Per [@{Some Key 2020}].');
    assert.deepEqual(tokensWith(tokens, PANDOC_KEY), ['Some Key 2020']);
  });

  it('gives Quarto and pandoc-crossref references their own scope, never a key scope', async () => {
    const tokens = await tokenize('text.html.markdown', 'See @fig-attention and [@sec:method] but cite @figueroa2020.');
    assert.deepEqual(tokensWith(tokens, 'entity.name.label.crossref.pandoc'), ['fig-attention', 'sec:method']);
    assert.deepEqual(tokensWith(tokens, PANDOC_KEY), ['figueroa2020']);
  });

  it('is injected into Quarto documents too, and stays out of their code', async () => {
    const tokens = await tokenize('text.html.quarto', 'Per [@elhage2022toy] and `[@code]`, see @fig-plot.');
    assert.deepEqual(tokensWith(tokens, PANDOC_KEY), ['elhage2022toy']);
    assert.deepEqual(tokensWith(tokens, 'entity.name.label.crossref.pandoc'), ['fig-plot']);
  });

  it('leaves e-mail addresses, escaped @, code, comments and link destinations alone', async () => {
    const text = [
      'Write to someone@example.org or \\@handle.',
      'Inline `[@notakey]` code.',
      '<!-- [@commented] -->',
      '[profile](https://example.org/@user)',
      '```',
      '[@fenced] @fenced2',
      '```',
      'After the fence, @real2024key counts.',
    ].join('\n');
    assert.deepEqual(tokensWith(await tokenize('text.html.markdown', text), PANDOC_KEY), ['real2024key']);
  });
});

describe('LaTeX citation grammar', () => {
  it('scopes every key of natbib and biblatex commands with optional arguments', async () => {
    const tokens = await tokenize('text.tex.latex', 'As \\citep[see][p.~3]{elhage2021mathematical, olah2020zoom} and \\textcite{nanda2023progress}.');
    assert.deepEqual(tokensWith(tokens, LATEX_KEY), ['elhage2021mathematical', 'olah2020zoom', 'nanda2023progress']);
    assert.deepEqual(tokensWith(tokens, 'keyword.control.cite.latex'), ['\\citep', '\\textcite']);
    const see = tokens.find((t) => t.text === 'see');
    assert.ok(see?.scopes.includes('meta.citation.optional.latex'));
  });

  it('follows keys across lines and multi-cite arguments', async () => {
    const tokens = await tokenize('text.tex.latex', '\\cites[p.~1]{alpha2020}[p.~2]{beta2021,\n  gamma2022} then {not a key}.');
    assert.deepEqual(tokensWith(tokens, LATEX_KEY), ['alpha2020', 'beta2021', 'gamma2022']);
  });

  it('handles starred and capitalised forms and ignores comments and verbatim', async () => {
    const text = ['\\Citet*{upper2020} \\citeauthor*{star2021}', '% \\cite{commented}', '\\begin{verbatim}', '\\cite{verbatim}', '\\end{verbatim}', '\\cite{a1,% trailing comment', 'b2}'].join('\n');
    assert.deepEqual(tokensWith(await tokenize('text.tex.latex', text), LATEX_KEY), ['upper2020', 'star2021', 'a1', 'b2']);
  });

  it('does not treat look-alike commands as citations', async () => {
    const tokens = await tokenize('text.tex.latex', '\\citation{x} \\excite{y} \\cite{z}');
    assert.deepEqual(tokensWith(tokens, LATEX_KEY), ['z']);
  });
});
