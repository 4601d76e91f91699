/**
 * Writes the UTF-8 bytes of `s` into `out` from index 0, exactly as `Buffer.from(s, 'utf8')`
 * encodes them (a lone surrogate becomes U+FFFD, EF BF BD). `out` must hold `3 × s.length` bytes.
 *
 * Hand-written because the built-in encoders cost more than the hashing they feed on short
 * strings: `TextEncoder.encodeInto` and `Buffer#write` call into C++ (tens of ns each) and
 * `encodeInto` allocates its result object; this loop is one store per ASCII character.
 * @returns the number of bytes written.
 * @internal
 */
export function utf8Into(s: string, out: Uint8Array): number {
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    out[i] = c;
  }
  let o = i;
  for (; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
    } else if (c < 0x800) {
      out[o++] = 0xc0 | (c >>> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[o++] = 0xf0 | (c >>> 18);
          out[o++] = 0x80 | ((c >>> 12) & 0x3f);
          out[o++] = 0x80 | ((c >>> 6) & 0x3f);
          out[o++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd; // lone surrogate
      }
      out[o++] = 0xe0 | (c >>> 12);
      out[o++] = 0x80 | ((c >>> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o;
}
