import * as assert from 'node:assert/strict';
import type { Analysis } from '../../src/core/index/analyze';
import { contributionsOf } from '../../src/core/index/analyze';
import { CACHE_SCHEMA, decodeCache, decodePayload, encodeCache, encodeCacheSteps, encodePayload, type CacheRow } from '../../src/core/index/cacheCodec';

const analysis: Analysis = {
  kind: 'markdown',
  citations: [
    { key: 'a', keySpan: { start: 12, end: 13 }, span: { start: 11, end: 20 }, syntax: 'pandoc', mode: 'normal', group: 0, groupSpan: { start: 6, end: 27 }, prefix: 'see', locator: 'p. 3' },
    { key: 'b:c', keySpan: { start: 30, end: 33 }, span: { start: 28, end: 33 }, syntax: 'pandoc', mode: 'suppress-author', group: 1, groupSpan: { start: 28, end: 33 } },
    { key: 'd', keySpan: { start: 50, end: 51 }, span: { start: 49, end: 51 }, syntax: 'pandoc', mode: 'in-text', group: 2, groupSpan: { start: 49, end: 60 }, suffix: 'and more' },
    { key: 'e', keySpan: { start: 70, end: 71 }, span: { start: 62, end: 72 }, syntax: 'latex', mode: 'nocite', group: 3, groupSpan: { start: 62, end: 72 }, command: 'nocite' },
  ],
  crossRefs: [{ label: 'fig-x', kind: 'fig', span: { start: 80, end: 86 } }],
  entries: [{ key: 'inline', type: 'article', format: 'inline', span: { start: 4, end: 5 }, keySpan: { start: 4, end: 5 }, info: { title: 'T', authors: ['A, B'], keywords: [] } }],
  frontmatter: { span: { start: 0, end: 5 }, contentSpan: { start: 4, end: 4 } },
  bibliography: { files: [{ path: 'x.bib', span: { start: 1, end: 2 } }], references: [] },
  diagnostics: [{ span: { start: 1, end: 2 }, severity: 'warning', code: 'frontmatter-yaml', message: 'm' }],
  reduced: 'no-links',
};

describe('index cache codec', () => {
  it('round-trips an analysis exactly, inline references included', () => {
    const contributions = contributionsOf(analysis);
    const row = { hash: 'h', kind: analysis.kind, reduced: analysis.reduced, contributions, payload: encodePayload(analysis) };
    const rows = decodeCache(encodeCache(new Map([['mem:///a.md', row]]), 'f'), 'f');
    assert.ok(rows instanceof Map);
    const back = rows.get('mem:///a.md')!;
    assert.deepEqual({ ...back, payload: analysis.kind }, { ...row, payload: analysis.kind });
    assert.deepEqual(contributions, { definedKeys: ['inline'], citedKeys: ['a', 'b:c', 'd', 'e'], bibliographyFiles: ['x.bib'] });
    assert.deepEqual(decodePayload(back.payload), { ...analysis, bibliography: { files: analysis.bibliography!.files, references: analysis.entries } });
  });

  it('stores BibTeX entries without field values and marks them for re-reading', () => {
    const bib: Analysis = {
      kind: 'bibtex', citations: [], crossRefs: [], diagnostics: [],
      entries: [{ key: 'k', type: 'book', format: 'bibtex', span: { start: 0, end: 9 }, keySpan: { start: 6, end: 7 }, aliases: ['k2'], fields: { title: 'Secret' } }],
    };
    const payload = encodePayload(bib);
    assert.ok(!payload.includes('Secret'));
    const back = decodePayload(payload);
    assert.equal(back.fieldsDeferred, true);
    assert.deepEqual(back.entries, [{ key: 'k', type: 'book', format: 'bibtex', span: { start: 0, end: 9 }, keySpan: { start: 6, end: 7 }, aliases: ['k2'] }]);
  });

  it('keeps non-ASCII text exact through the ASCII-escaped header and the payload bytes', () => {
    const a: Analysis = { kind: 'markdown', citations: [], crossRefs: [], entries: [], diagnostics: [{ span: { start: 0, end: 1 }, severity: 'info', code: 'x', message: 'Müller – 東京 😀' }] };
    const row = { hash: 'h', kind: a.kind, contributions: { definedKeys: ['Ørsted'], citedKeys: ['東京'] }, payload: encodePayload(a) };
    const bytes = encodeCache(new Map([['mem:///ü.md', row]]), 'f');
    assert.ok(bytes.subarray(bytes.lastIndexOf(10) + 1).every((b) => b < 128));
    const back = (decodeCache(bytes, 'f') as Map<string, typeof row>).get('mem:///ü.md')!;
    assert.deepEqual(back.contributions, row.contributions);
    assert.deepEqual(decodePayload(back.payload), a);
    // Re-encoding a payload that is still in the blob copies it unchanged.
    const again = decodeCache(encodeCache(new Map([['mem:///ü.md', back]]), 'f'), 'f') as Map<string, typeof row>;
    assert.deepEqual(decodePayload(again.get('mem:///ü.md')!.payload), a);
  });

  it('refuses a payload or a header whose bytes changed after writing', () => {
    const row = { hash: 'h', kind: analysis.kind, contributions: { definedKeys: ['k1'], citedKeys: [] }, payload: encodePayload(analysis) };
    const bytes = encodeCache(new Map([['mem:///a.md', row]]), 'f');
    // A digit inside the payload: still valid JSON, so only the checksum can tell.
    const payloadDamaged = Uint8Array.from(bytes);
    const digit = payloadDamaged.indexOf('1'.charCodeAt(0));
    assert.ok(digit < payloadDamaged.lastIndexOf(10), 'the digit is in the payload section');
    payloadDamaged[digit] = '2'.charCodeAt(0);
    const rows = decodeCache(payloadDamaged, 'f') as Map<string, typeof row>;
    assert.throws(() => decodePayload(rows.get('mem:///a.md')!.payload), /checksum/);
    // A key in the header: the rows still parse, so again only the checksum can tell.
    const at = new TextDecoder().decode(bytes).lastIndexOf('"k1"') + 2;
    const keyDamaged = Uint8Array.from(bytes);
    keyDamaged[at] = '2'.charCodeAt(0);
    assert.equal(decodeCache(keyDamaged, 'f'), 'corrupt (header checksum mismatch)');
  });

  it('keeps file stamps exactly (fractional times, with and without a status-change time)', () => {
    const base = { kind: analysis.kind, contributions: { definedKeys: [], citedKeys: [] }, payload: encodePayload(analysis) };
    const stamped = { ...base, hash: 'h1', stamp: { size: 120, mtime: 1732245123456.789, ctime: 1732245123999.25, readAt: 1732245200000 } };
    const noCtime = { ...base, hash: 'h2', stamp: { size: 0, mtime: 7, readAt: 9 } };
    const unstamped = { ...base, hash: 'h3' };
    const rows = decodeCache(encodeCache(new Map([['mem:///a.md', stamped], ['mem:///b.md', noCtime], ['mem:///c.md', unstamped]]), 'f'), 'f');
    assert.ok(rows instanceof Map);
    assert.deepEqual(rows.get('mem:///a.md')!.stamp, stamped.stamp);
    assert.deepEqual(rows.get('mem:///b.md')!.stamp, noCtime.stamp);
    assert.equal('stamp' in rows.get('mem:///c.md')!, false);
  });

  it('drops a malformed stamp and keeps the row, which is then checked by content', () => {
    const base = { kind: analysis.kind, contributions: { definedKeys: [], citedKeys: [] }, payload: encodePayload(analysis) };
    const bad = { ...base, hash: 'h', stamp: { size: '120', mtime: 5, readAt: 9 } as unknown as { size: number; mtime: number; readAt: number } };
    const rows = decodeCache(encodeCache(new Map([['mem:///a.md', bad]]), 'f'), 'f');
    assert.ok(rows instanceof Map);
    assert.equal(rows.get('mem:///a.md')!.hash, 'h');
    assert.equal('stamp' in rows.get('mem:///a.md')!, false);
  });

  /** An analysis whose every list spans several 2,000-item encoding pieces (one more than a multiple). */
  function largeAnalysis(): Analysis {
    const n = 4001;
    const citations: Analysis['citations'] = Array.from({ length: n }, (_, i) => ({
      key: `k${i % 97}`, keySpan: { start: 10 * i + 1, end: 10 * i + 4 }, span: { start: 10 * i, end: 10 * i + 5 }, syntax: 'pandoc' as const,
      mode: 'normal' as const, group: i, groupSpan: { start: 10 * i, end: 10 * i + 6 }, ...(i % 3 === 0 ? { locator: `p. ${i}` } : {}),
    }));
    return {
      kind: 'csl-json',
      citations,
      crossRefs: Array.from({ length: n }, (_, i) => ({ label: `fig-${i}`, kind: 'fig', span: { start: i, end: i + 1 } })),
      entries: Array.from({ length: n }, (_, i) => ({ key: `e${i}`, type: 'article', format: 'csl-json' as const, span: { start: i, end: i + 1 }, keySpan: { start: i, end: i + 1 }, fields: { title: `Tïtle ${i}` } })),
      diagnostics: Array.from({ length: n }, (_, i) => ({ span: { start: i, end: i }, severity: 'info' as const, code: 'c', message: `m ${i} “q”` })),
    };
  }

  it('encodes a large payload in pieces that make one canonical JSON row', () => {
    const a = largeAnalysis();
    const payload = encodePayload(a);
    // Re-serialising what was parsed gives the same text only if the pieces joined exactly (no stray or missing commas).
    assert.equal(JSON.stringify(JSON.parse(payload)), payload);
    assert.deepEqual(decodePayload(payload), a);
  });

  it('saves a large row and a large header over many steps, and reads them back', () => {
    const a = largeAnalysis();
    const rows = new Map<string, CacheRow>([['mem:///big.json', { hash: 'big', kind: a.kind, contributions: contributionsOf(a), payload: { analysis: a } }]]);
    let largeRowSteps = 0;
    const single = encodeCacheSteps(rows, 'f');
    for (let step = single.next(); !step.done; step = single.next()) largeRowSteps++;
    // One pause per row would be 1 step; the ~1 MB payload pauses every 64 KB, the header once.
    assert.ok(largeRowSteps > 5, `${largeRowSteps} steps`);
    for (let i = 0; i < 1201; i++) {
      rows.set(`mem:///n${i}.md`, { hash: `h${i}`, kind: 'markdown', contributions: { definedKeys: [], citedKeys: [`c${i}`, 'ü'] }, payload: encodePayload(analysis) });
    }
    const bytes = encodeCache(rows, 'f');
    const decoded = decodeCache(bytes, 'f');
    assert.ok(decoded instanceof Map, String(decoded));
    assert.equal(decoded.size, 1202);
    assert.deepEqual(decodePayload(decoded.get('mem:///big.json')!.payload), a);
    assert.deepEqual(decoded.get('mem:///n1200.md')!.contributions, { definedKeys: [], citedKeys: ['c1200', 'ü'] });
    // The header checksum written after its rows still guards them.
    const damaged = bytes.slice();
    damaged[Buffer.from(damaged).lastIndexOf('"c1200"') + 2] ^= 1; // c1200 -> c0200: still valid JSON
    assert.equal(decodeCache(damaged, 'f'), 'corrupt (header checksum mismatch)');
  });

  it('refuses blobs from another schema or other settings', () => {
    const bytes = encodeCache(new Map(), 'settings-a');
    assert.equal(decodeCache(bytes, 'settings-b'), 'settings changed');
    const old = new TextEncoder().encode('\n' + JSON.stringify({ schema: CACHE_SCHEMA - 1, fingerprint: 'f', rows: [] }));
    assert.match(decodeCache(old, 'f') as string, /^schema/);
  });
});
