// The completion query at the cursor: single partial keys, multi-word searches, and no query outside citations.
import * as assert from 'node:assert/strict';
import { citationQueryAt } from '../../src/vscode/citationQuery';

/** The query at `|` in `text`. */
function at(text: string, syntax: 'pandoc' | 'latex') {
  const offset = text.indexOf('|');
  const found = citationQueryAt(text.replace('|', ''), offset, syntax);
  return found && { start: found.start, query: found.query };
}

describe('citation query at the cursor', () => {
  it('takes the partial key after @ in Pandoc', () => {
    assert.deepEqual(at('See [@elha|', 'pandoc'), { start: 6, query: 'elha' });
    assert.deepEqual(at('See [@a; @ol|', 'pandoc'), { start: 10, query: 'ol' });
    assert.deepEqual(at('@nan|', 'pandoc'), { start: 1, query: 'nan' });
  });

  it('takes a few words after @ as one query', () => {
    assert.deepEqual(at('As shown by @nanda 2023|', 'pandoc'), { start: 13, query: 'nanda 2023' });
    assert.deepEqual(at('[@toy models superposition|', 'pandoc'), { start: 2, query: 'toy models superposition' });
    assert.equal(at('@a b c d e|', 'pandoc'), undefined, 'at most four words');
    assert.equal(at('@ nanda|', 'pandoc'), undefined, 'a bare @ starts nothing');
  });

  it('gives nothing in e-mail addresses, code and comments', () => {
    assert.equal(at('write to someone@nan|', 'pandoc'), undefined);
    assert.equal(at('write to someone@nanda 2023|', 'pandoc'), undefined);
    assert.equal(at('Inline `[@nan|` code', 'pandoc'), undefined);
    assert.equal(at('<!-- [@nan| -->', 'pandoc'), undefined);
  });

  it('takes the partial key inside LaTeX cite braces', () => {
    assert.deepEqual(at('\\citep[p.~3]{ola|', 'latex'), { start: 13, query: 'ola' });
    assert.deepEqual(at('\\citet{a, nan|', 'latex'), { start: 10, query: 'nan' });
    assert.deepEqual(at('\\cite{nanda 2023|', 'latex'), { start: 6, query: 'nanda 2023' });
    assert.equal(at('plain {ola|', 'latex'), undefined);
    assert.equal(at('% \\cite{ola|', 'latex'), undefined);
  });
});
