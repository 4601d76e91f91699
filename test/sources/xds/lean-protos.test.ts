import * as assert from 'node:assert/strict';
import { Enum, Namespace, Type, type Field, type ReflectionObject } from 'protobufjs';
import { xdsRoot } from '../../../src/sources/xds/protos';
import { upstreamRoot } from './upstream-protos';

function walk(ns: ReflectionObject, out: ReflectionObject[]): void {
  if (ns instanceof Type || ns instanceof Enum) out.push(ns);
  if (ns instanceof Namespace) for (const child of ns.nestedArray) walk(child, out);
}

describe('lean xDS protos', () => {
  it('declare only messages, fields, numbers, types and oneofs that exist identically upstream', () => {
    const lean: ReflectionObject[] = [];
    walk(xdsRoot(), lean);
    const up = upstreamRoot();
    let fields = 0;
    for (const obj of lean) {
      const name = obj.fullName.slice(1);
      if (name.startsWith('google.protobuf.')) continue;
      const other = up.lookup(name);
      assert.ok(other, `${name} missing upstream`);
      if (obj instanceof Enum) {
        assert.ok(other instanceof Enum, `${name} is not an enum upstream`);
        for (const [k, v] of Object.entries(obj.values)) assert.equal(other.values[k], v, `${name}.${k}`);
        continue;
      }
      const t = obj as Type;
      assert.ok(other instanceof Type, `${name} is not a message upstream`);
      for (const f of t.fieldsArray) {
        fields++;
        const u: Field | undefined = (other as Type).fields[f.name];
        assert.ok(u, `${name}.${f.name} missing upstream`);
        assert.equal(f.id, u.id, `${name}.${f.name} number`);
        assert.equal(f.repeated, u.repeated, `${name}.${f.name} label`);
        assert.equal(f.map, u.map, `${name}.${f.name} map`);
        const leanType: string = f.resolvedType ? f.resolvedType.fullName : f.type;
        const upType: string = u.resolvedType ? u.resolvedType.fullName : u.type;
        assert.equal(leanType, upType, `${name}.${f.name} type`);
        const leanOneof: string | undefined = f.partOf?.name;
        const upOneof: string | undefined = u.partOf?.name;
        assert.equal(leanOneof, upOneof, `${name}.${f.name} oneof`);
      }
    }
    assert.ok(fields > 250, `checked ${fields} fields`);
  });
});
