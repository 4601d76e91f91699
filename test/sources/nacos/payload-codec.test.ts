import assert from 'node:assert/strict';
import { decodePayload, encodePayload, nacosMethods } from '../../../src/sources/nacos/payload-codec';

describe('Nacos Payload codec', () => {
  it('serves the upstream paths, with no proto package', () => {
    assert.equal(nacosMethods().unary.path, '/Request/request');
    assert.equal(nacosMethods().bidi.path, '/BiRequestStream/requestBiStream');
  });

  it('encodes byte-for-byte as protobuf-java does: Metadata 2 {type 3, headers 7, clientIp 8}, body 3 = Any{value 2}', () => {
    const bytes = encodePayload({ type: 'A', headers: { k: 'v' }, clientIp: '1', body: {} });
    const expected = Buffer.from([
      0x12, 0x0e, // Payload.metadata (field 2), 14 bytes
      0x1a, 0x01, 0x41, // Metadata.type (3) "A"
      0x3a, 0x06, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76, // Metadata.headers (7) entry {k: v}
      0x42, 0x01, 0x31, // Metadata.clientIp (8) "1"
      0x1a, 0x04, // Payload.body (3), 4 bytes
      0x12, 0x02, 0x7b, 0x7d, // Any.value (2) "{}"; type_url left empty
    ]);
    assert.deepEqual(bytes, expected);
  });

  it('leaves undefined members out of the JSON body (Jackson NON_NULL)', () => {
    const p = decodePayload(encodePayload({ type: 'X', body: { a: 1, b: undefined, c: null } }));
    assert.deepEqual(p.body, { a: 1, c: null });
  });

  it('decodes a payload with a type_url and unknown fields, tolerating both', () => {
    const json = Buffer.from('{"resultCode":200,"unknownField":[1,2]}');
    const bytes = Buffer.concat([
      Buffer.from([0x12, 0x05, 0x1a, 0x03]), Buffer.from('Foo'),
      Buffer.from([0x1a, 2 + 3 + 2 + json.length, 0x0a, 0x03]), Buffer.from('x/y'),
      Buffer.from([0x12, json.length]), json,
      Buffer.from([0x48, 0x07]), // unknown field 9 (varint)
    ]);
    const p = decodePayload(bytes);
    assert.equal(p.type, 'Foo');
    assert.deepEqual(p.body, { resultCode: 200, unknownField: [1, 2] });
  });

  it('reports a malformed body instead of throwing', () => {
    const bad = Buffer.concat([Buffer.from([0x12, 0x05, 0x1a, 0x03]), Buffer.from('Foo'), Buffer.from([0x1a, 0x05, 0x12, 0x03]), Buffer.from('{{{')]);
    const p = decodePayload(bad);
    assert.equal(p.body, null);
    assert.match(p.malformed ?? '', /not JSON/);
    assert.equal(decodePayload(Buffer.from([0xff, 0xff, 0xff])).body, null);
  });
});
