import * as assert from 'node:assert/strict';
import { frameGrpcMessage, GrpcMessageReader } from '../../../../src/sources/xds/transport/grpc-message-reader';

function collect(reader: GrpcMessageReader, chunks: Buffer[]): string[] {
  const out: string[] = [];
  for (const c of chunks) reader.push(c, (m) => out.push(m.toString('utf8')));
  return out;
}

describe('GrpcMessageReader', () => {
  const messages = ['first', '', 'x'.repeat(70_000), 'last'];
  const stream = Buffer.concat(messages.map((m) => frameGrpcMessage(Buffer.from(m))));

  it('frames a message with a zero flag and a big-endian length', () => {
    assert.deepEqual([...frameGrpcMessage(Buffer.from('ab'))], [0, 0, 0, 0, 2, 0x61, 0x62]);
  });

  it('reads several messages from one chunk, empty ones included', () => {
    const r = new GrpcMessageReader();
    assert.deepEqual(collect(r, [stream]), messages);
    assert.equal(r.pending, false);
  });

  it('reads the same messages whatever the chunk boundaries (every split point of the prefixes and bodies)', () => {
    const small = Buffer.concat(['ab', '', 'cdef'].map((m) => frameGrpcMessage(Buffer.from(m))));
    for (let a = 0; a <= small.length; a++) {
      for (let b = a; b <= small.length; b++) {
        const r = new GrpcMessageReader();
        const got = collect(r, [small.subarray(0, a), small.subarray(a, b), small.subarray(b)]);
        assert.deepEqual(got, ['ab', '', 'cdef'], `split at ${a}/${b}`);
        assert.equal(r.pending, false);
      }
    }
  });

  it('reassembles a large message sent in 16 KiB frames', () => {
    const r = new GrpcMessageReader();
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 16_384) chunks.push(stream.subarray(i, i + 16_384));
    assert.deepEqual(collect(r, chunks), messages);
  });

  it('says when it holds part of a message', () => {
    const r = new GrpcMessageReader();
    collect(r, [stream.subarray(0, 3)]);
    assert.equal(r.pending, true);
  });

  it('rejects a compressed message (no encoding was negotiated)', () => {
    const framed = frameGrpcMessage(Buffer.from('z'));
    framed[0] = 1;
    assert.throws(() => new GrpcMessageReader().push(framed, () => undefined), /compressed/);
  });
});
