import * as assert from 'node:assert/strict';
import { TO_OBJECT_OPTIONS, decodeMessage, encodeMessage, parseXdsProtos } from '../../../src/sources/xds/protos';
import { encodeSnapshot } from '../../../src/testing/xds-snapshot-encoder';
import { parseMeshConfig } from '../../../src/sources/file/mesh-config';
import { MESH } from './wire-fixture';

describe('wire decoder on edge values and malformed input', () => {
  const root = parseXdsProtos();
  const reference = (name: string, bytes: Uint8Array): unknown => {
    const t = root.lookupType(name);
    return t.toObject(t.decode(bytes), TO_OBJECT_OPTIONS);
  };

  it('decodes 64-bit and floating-point fields at their extremes like protobufjs, and re-encodes them to the same bytes', () => {
    const cases: [string, object][] = [
      ['google.protobuf.Duration', { seconds: '-9223372036854775808', nanos: -999999999 }],
      ['google.protobuf.Duration', { seconds: '9223372036854775807', nanos: 999999999 }],
      ['google.protobuf.Duration', { seconds: '9007199254740993' }],
      ['google.protobuf.Int64Value', { value: '-9007199254740993' }],
      ['google.protobuf.Int64Value', { value: '-1' }],
      ['google.protobuf.UInt64Value', { value: '18446744073709551615' }],
      ['google.protobuf.UInt64Value', { value: '9223372036854775808' }],
      ['google.protobuf.UInt64Value', { value: 4096 }],
      ['envoy.type.v3.Int64Range', { start: '-5', end: '1152921504606846976' }],
      ['google.protobuf.DoubleValue', { value: -0.1 }],
      ['google.protobuf.FloatValue', { value: 3.4028234663852886e38 }],
      ['google.protobuf.UInt32Value', { value: 4294967295 }],
      ['google.protobuf.Int32Value', { value: -2147483648 }],
      ['google.rpc.Status', { code: -1, message: 'é€😀' }],
    ];
    for (const [name, value] of cases) {
      const bytes = encodeMessage(name, value);
      const t = root.lookupType(name);
      assert.deepStrictEqual(bytes, Buffer.from(t.encode(t.fromObject(value as Record<string, unknown>)).finish()), `${name} encode`);
      const decoded = decodeMessage<object>(name, bytes);
      assert.deepStrictEqual(decoded, reference(name, bytes), `${name} decode`);
      assert.deepStrictEqual(encodeMessage(name, decoded), bytes, `${name} round trip`);
    }
    // Unpaired surrogates: written as protobufjs writes them, read back as it reads them (U+FFFD).
    for (const message of ['a\ud800', `${'a'.repeat(40)}\udc00`]) {
      const bytes = encodeMessage('google.rpc.Status', { message });
      const t = root.lookupType('google.rpc.Status');
      assert.deepStrictEqual(bytes, Buffer.from(t.encode(t.fromObject({ message })).finish()));
      assert.deepStrictEqual(decodeMessage('google.rpc.Status', bytes), reference('google.rpc.Status', bytes));
    }
  });

  it('keeps the nesting limit: messages 100 levels below the top decode, 101 levels throw, as protobufjs', () => {
    // `messages` messages in a chain: Value → list_value (ListValue) → values[0] (Value) → …
    const nested = (messages: number): Buffer => {
      let value: object = messages % 2 === 0 ? { listValue: {} } : { stringValue: 'leaf' };
      for (let n = messages % 2 === 0 ? 2 : 1; n < messages; n += 2) value = { listValue: { values: [value] } };
      return encodeMessage('google.protobuf.Value', value);
    };
    const deepest = nested(101);
    assert.deepStrictEqual(decodeMessage('google.protobuf.Value', deepest), reference('google.protobuf.Value', deepest));
    const tooDeep = nested(102);
    assert.throws(() => decodeMessage('google.protobuf.Value', tooDeep), /maximum nesting depth exceeded/);
    assert.throws(() => reference('google.protobuf.Value', tooDeep), /maximum nesting depth exceeded/);
  });

  it('cut anywhere, a resource either decodes as protobufjs decodes it or throws a RangeError saying where', () => {
    let cuts = 0;
    let failures = 0;
    for (const [typeUrl, byName] of encodeSnapshot(parseMeshConfig(MESH))) {
      const name = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
      for (const r of byName.values()) {
        const bytes = Buffer.from(r.any.value);
        for (let cut = 0; cut < bytes.length; cut++) {
          cuts++;
          const prefix = bytes.subarray(0, cut);
          let ours: unknown;
          try {
            ours = decodeMessage(name, prefix);
          } catch (e) {
            failures++;
            assert.ok(e instanceof RangeError, `${name} cut at ${cut}: ${String(e)}`);
            assert.match(e.message, /^protobuf: (truncated input: \d+ byte\(s\) needed at offset \d+, \d+ left|a field runs past the end of its message \(offset \d+, message ends at \d+\))$/);
            continue;
          }
          // A cut between two top-level fields leaves a valid, shorter message.
          assert.deepStrictEqual(ours, reference(name, prefix), `${name} cut at ${cut}`);
        }
      }
    }
    assert.ok(cuts > 200 && failures > cuts / 2, `${failures} of ${cuts} cuts failed`);
  });
});
