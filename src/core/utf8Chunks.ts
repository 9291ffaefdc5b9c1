// UTF-8 bytes decoded a chunk at a time, for parsers that take large files in pieces instead of as one string.

/**
 * The line break that ends a text's lines: `\r` only in old Mac files, which have `\r` and no `\n` at all. Read
 * from the text, or from its UTF-8 bytes, where 10 and 13 are never part of another character.
 */
export function lineBreakOf(content: string | Uint8Array): '\n' | '\r' {
  if (typeof content === 'string') return content.includes('\n') || !content.includes('\r') ? '\n' : '\r';
  return content.includes(10) || !content.includes(13) ? '\n' : '\r';
}

/**
 * A reader of the text of `bytes`, `chunkBytes` bytes per call; undefined once all is read. A streaming decoder
 * carries a character split between two chunks over to the next, so the chunks joined are exactly the one-call
 * decode (a byte-order mark dropped, invalid bytes as U+FFFD).
 */
export function utf8Chunks(bytes: Uint8Array, chunkBytes: number): () => string | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let at = 0;
  let flushed = false;
  return () => {
    if (at < bytes.length) {
      const chunk = decoder.decode(bytes.subarray(at, at + chunkBytes), { stream: true });
      at += chunkBytes;
      return chunk;
    }
    if (flushed) return undefined;
    flushed = true;
    return decoder.decode();
  };
}
