import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Enum, Namespace, Type, type ReflectionObject } from 'protobufjs';
import { DescriptorIndex } from '../../../src/sources/xds/descriptor-index';
import { XDS_DESCRIPTOR_FILE, parseXdsProtos, protosDir } from '../../../src/sources/xds/protos';

function types(ns: ReflectionObject, out: Type[]): Type[] {
  if (ns instanceof Type) out.push(ns);
  if (ns instanceof Namespace) for (const child of ns.nestedArray) types(child, out);
  return out;
}

describe('descriptor index (field tables for the wire reader and writer)', () => {
  it('has, for every message, the fields protobufjs resolves from the .proto files', () => {
    const json = JSON.parse(readFileSync(join(protosDir(), XDS_DESCRIPTOR_FILE), 'utf8')) as ConstructorParameters<typeof DescriptorIndex>[0];
    const index = new DescriptorIndex(json);
    const all = types(parseXdsProtos(), []);
    let fields = 0;
    for (const t of all) {
      const name = t.fullName.slice(1);
      const info = index.message(name);
      const expected = [...t.fieldsArray].sort((a, b) => a.id - b.id);
      assert.deepEqual(info.fields.map((f) => f.name), expected.map((f) => f.name), name);
      for (const [i, f] of expected.entries()) {
        const got = info.fields[i]!;
        const where = `${name}.${f.name}`;
        fields++;
        assert.equal(got.id, f.id, where);
        assert.equal(got.repeated, f.repeated, where);
        assert.equal(got.keyType, f.map ? (f as unknown as { keyType: string }).keyType : undefined, where);
        assert.equal(got.oneof, f.partOf?.name, where);
        const packed = f.repeated && !f.map && f.packed && !(f.resolvedType instanceof Type) && f.type !== 'string' && f.type !== 'bytes';
        assert.equal(got.packed, packed, where);
        assert.equal(got.resolved?.fullName, f.resolvedType?.fullName.slice(1), where);
        if (f.resolvedType instanceof Enum && got.resolved?.kind === 'enum') {
          assert.deepEqual({ ...got.resolved.values }, { ...f.resolvedType.values }, where);
          assert.deepEqual({ ...got.resolved.valuesById }, { ...f.resolvedType.valuesById }, where);
        }
      }
    }
    assert.ok(all.length > 50 && fields > 200, `${all.length} types, ${fields} fields`);
    assert.equal(index.hasMessage('envoy.config.cluster.v3.Cluster'), true);
    assert.equal(index.hasMessage('envoy.config.cluster.v3.NoSuchThing'), false);
    assert.throws(() => index.message('google.protobuf.NoSuchThing'), /no such type/);
  });
});
