import * as assert from 'node:assert/strict';
import { fnv1a64, hashBytes, hashString } from '../../src/core/hash';

describe('content hashes', () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it('FNV-1a 64 matches the published test vectors', () => {
    assert.equal(fnv1a64(enc('')), 'cbf29ce484222325');
    assert.equal(fnv1a64(enc('a')), 'af63dc4c8601ec8c');
    assert.equal(fnv1a64(enc('foobar')), '85944171f73967e8');
  });

  it('hashBytes is stable, 64-bit hex, and independent of buffer alignment', () => {
    const data = enc('The quick brown fox jumps over the lazy dog, 0123456789.');
    const h = hashBytes(data);
    assert.match(h, /^[0-9a-f]{16}$/);
    const shifted = new Uint8Array(data.length + 3);
    shifted.set(data, 3);
    assert.equal(hashBytes(shifted.subarray(3)), h);
    assert.equal(hashBytes(data.slice()), h);
  });

  it('hashBytes changes when any single byte or the length changes', () => {
    const base = new Uint8Array(257).map((_, i) => (i * 31) & 0xff);
    const seen = new Set([hashBytes(base)]);
    for (let i = 0; i < base.length; i++) {
      const copy = base.slice();
      copy[i] ^= 1;
      seen.add(hashBytes(copy));
    }
    seen.add(hashBytes(base.subarray(0, 256)));
    seen.add(hashBytes(new Uint8Array(258).fill(0).map((_, i) => (i < 257 ? base[i] : 0))));
    assert.equal(seen.size, 260);
  });

  it('hashString never collides with hashBytes digests and tracks edits', () => {
    assert.notEqual(hashString('abc'), hashBytes(enc('abc')));
    assert.notEqual(hashString('abc'), hashString('abd'));
    assert.equal(hashString('abc'), hashString('abc'));
  });
});
