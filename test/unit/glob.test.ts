import * as assert from 'node:assert/strict';
import { compileGlobs } from '../../src/core/glob';

describe('compileGlobs', () => {
  const cases: [string[], string, boolean][] = [
    [['**/*.md'], 'a.md', true],
    [['**/*.md'], 'notes/deep/a.md', true],
    [['**/*.md'], 'a.mdx', false],
    [['*.md'], 'sub/a.md', true],
    [['notes/*.md'], 'notes/a.md', true],
    [['notes/*.md'], 'notes/x/a.md', false],
    [['notes/**'], 'notes/x/a.md', true],
    [['a/**/b.md'], 'a/b.md', true],
    [['a/**/b.md'], 'a/x/y/b.md', true],
    [['**/*.{md,qmd}'], 'x/y.qmd', true],
    [['**/*.{md,qmd}'], 'x/y.tex', false],
    [['file?.bib'], 'file1.bib', true],
    [['file?.bib'], 'file12.bib', false],
    [['[ab].md'], 'a.md', true],
    [['[ab].md'], 'c.md', false],
    [['[!ab].md'], 'c.md', true],
    [['x.(1).md'], 'x.(1).md', true],
    [['x+y.md'], 'xxy.md', false],
    [['[z-a].md', '*.bib'], 'r.bib', true],
    [[], 'a.md', false],
  ];
  for (const [patterns, path, expected] of cases) {
    it(`${JSON.stringify(patterns)} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(compileGlobs(patterns)(path), expected);
    });
  }

  it('matches everything inside an excluded folder when asked to', () => {
    const excluded = compileGlobs(['**/node_modules', 'build'], { matchDescendants: true });
    assert.ok(excluded('node_modules/pkg/readme.md'));
    assert.ok(excluded('a/node_modules/x.md'));
    assert.ok(excluded('build/x.md'));
    assert.ok(!excluded('src/build.md'));
    assert.ok(!compileGlobs(['**/*.md'])('a.md/b.txt'));
  });

  it('tolerates unbalanced brackets and braces', () => {
    assert.ok(compileGlobs(['a[b.md'])('a[b.md'));
    assert.ok(compileGlobs(['{a,b'])('a'));
  });
});
