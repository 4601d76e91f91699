// Base64 text to bytes, for `bytes` fields given as strings in the plain objects the xDS encoder
// takes (wire-encoder.ts), read exactly as protobufjs' fromObject reads them: the standard
// alphabet only, padding optional, anything after the padding ignored, any other character (or a
// lone trailing character) an `invalid encoding` error. Buffer.from(s, 'base64') would instead
// skip bad characters silently and take the URL alphabet too. Hand-written so that the encoder
// does not load protobufjs/minimal (see proto-writer.ts).

const INVALID = 'invalid encoding';

/** Character code → 6-bit value, -1 outside the standard alphabet. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  VALUES['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
}

/** The buffer size protobufjs allocates for a base64 string: 3/4 of its length less its padding. */
function decodedLength(s: string): number {
  let p = s.length;
  if (p === 0) return 0;
  let padding = 0;
  while (--p % 4 > 1 && s.charCodeAt(p) === 61) padding++;
  return Math.floor((s.length * 3) / 4 - padding);
}

/** The bytes of a base64 string (see the file comment); throws `invalid encoding`. */
export function base64Decode(s: string): Buffer {
  const out = Buffer.alloc(decodedLength(s));
  let o = 0;
  let j = 0;
  let t = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code === 61 && j > 1) break;
    const c = code < 128 ? VALUES[code]! : -1;
    if (c < 0) throw new Error(INVALID);
    switch (j) {
      case 0:
        t = c;
        j = 1;
        break;
      case 1:
        out[o++] = (t << 2) | ((c & 48) >> 4);
        t = c;
        j = 2;
        break;
      case 2:
        out[o++] = ((t & 15) << 4) | ((c & 60) >> 2);
        t = c;
        j = 3;
        break;
      default:
        out[o++] = ((t & 3) << 6) | c;
        j = 0;
    }
  }
  if (j === 1) throw new Error(INVALID);
  return out;
}
