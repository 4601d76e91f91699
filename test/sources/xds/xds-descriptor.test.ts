import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TO_OBJECT_OPTIONS, XDS_DESCRIPTOR_FILE, parseXdsProtos, protosDir, xdsRoot } from '../../../src/sources/xds/protos';
import { encodeSnapshot } from '../../../src/testing/xds-snapshot-encoder';
import { parseMeshConfig } from '../../../src/sources/file/mesh-config';
import { MESH } from './wire-fixture';


describe('precompiled xDS descriptor (protos/xds-descriptor.json)', () => {
  it('equals the lean .proto files parsed by proto-loader (run `npm run build` to regenerate)', () => {
    const onDisk: unknown = JSON.parse(readFileSync(join(protosDir(), XDS_DESCRIPTOR_FILE), 'utf8'));
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(parseXdsProtos().toJSON())), 'stale: run `npm run build`');
  });

  it('is what xdsRoot() serves, and encodes and decodes every resource exactly like the parsed protos', () => {
    const parsed = parseXdsProtos();
    const served = xdsRoot();
    const json = (root: typeof served): unknown => JSON.parse(JSON.stringify(root.toJSON()));
    assert.deepEqual(json(served), json(parsed));
    let resources = 0;
    for (const [typeUrl, byName] of encodeSnapshot(parseMeshConfig(MESH))) {
      const name = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
      const a = served.lookupType(name);
      const b = parsed.lookupType(name);
      for (const r of byName.values()) {
        resources++;
        const fromServed = a.toObject(a.decode(r.any.value), TO_OBJECT_OPTIONS);
        assert.deepEqual(fromServed, b.toObject(b.decode(r.any.value), TO_OBJECT_OPTIONS));
        assert.deepEqual(Buffer.from(a.encode(a.fromObject(fromServed)).finish()), Buffer.from(b.encode(b.fromObject(fromServed)).finish()));
      }
    }
    assert.equal(resources, 5);
  });
});
