// The integration entry picks a suite's files with this glob matcher; a wrong match runs the wrong suite.
import * as assert from 'node:assert/strict';
import { globToRegExp } from '../integration/index';

describe('integration suite globs', () => {
  it('keeps * inside one path segment', () => {
    const glob = globToRegExp('integration/*.test.js');
    assert.ok(glob.test('integration/activation.test.js'));
    assert.ok(!glob.test('integration/multiroot/workspace.test.js'));
    assert.ok(!glob.test('integration/activation.test.js.map'));
  });

  it('lets ** cross segments, including none', () => {
    const glob = globToRegExp('integration/**/*.test.js');
    assert.ok(glob.test('integration/activation.test.js'));
    assert.ok(glob.test('integration/multiroot/deep/workspace.test.js'));
    assert.ok(!glob.test('e2e/smoke.e2e.test.js'));
  });

  it('treats dots and other regular-expression characters literally', () => {
    const glob = globToRegExp('integration/a+b(1).test.js');
    assert.ok(glob.test('integration/a+b(1).test.js'));
    assert.ok(!glob.test('integration/aab1Xtest.js'));
  });
});
