// The diagram page's messages are untrusted input: only the protocol's exact shapes get through, as fresh objects.
import * as assert from 'node:assert/strict';
import { MAX_SVG_CHARS, parseDiagramPageMessage, parseDiagramState } from '../../src/protocol/diagram';

describe('GSN diagram protocol', () => {
  it('accepts the page messages and copies only their known fields', () => {
    assert.deepEqual(parseDiagramPageMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseDiagramPageMessage({ type: 'reveal', uri: 'file:///a.gsn.yaml', offset: 12, command: 'x' }), { type: 'reveal', uri: 'file:///a.gsn.yaml', offset: 12 });
    assert.deepEqual(parseDiagramPageMessage({ type: 'svg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }), { type: 'svg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' });
  });

  it('rejects anything else', () => {
    for (const raw of [
      null,
      'ready',
      [],
      { type: 'open' },
      { type: 'reveal', uri: 'file:///a', offset: -1 },
      { type: 'reveal', uri: 'file:///a', offset: 1.5 },
      { type: 'reveal', uri: '', offset: 0 },
      { type: 'reveal', uri: 'x'.repeat(9000), offset: 0 },
      { type: 'reveal', uri: 42, offset: 0 },
      { type: 'svg', svg: '<html><script>alert(1)</script>' },
      { type: 'svg', svg: `<svg ${' '.repeat(MAX_SVG_CHARS)}` },
      { type: 'svg' },
      { type: '__proto__' },
    ]) {
      assert.equal(parseDiagramPageMessage(raw), undefined, JSON.stringify(raw)?.slice(0, 80));
    }
  });

  it('keeps only a valid uri from the stored state', () => {
    assert.deepEqual(parseDiagramState({ uri: 'file:///a.gsn.yaml', zoom: 3 }), { uri: 'file:///a.gsn.yaml' });
    assert.deepEqual(parseDiagramState({ uri: 7 }), {});
    assert.deepEqual(parseDiagramState(undefined), {});
  });
});
