import assert from 'node:assert/strict';
import { InstanceEndpointPool } from '../../../src/sources/nacos/endpoint-pool';
import type { NacosInstance } from '../../../src/sources/nacos/nacos-messages';
import { parseServiceInfo } from '../../../src/sources/nacos/service-info';

const inst = (ip: string, extra: Partial<NacosInstance> = {}): NacosInstance => ({
  ip,
  port: 8080,
  weight: 1,
  healthy: true,
  enabled: true,
  ephemeral: true,
  clusterName: 'DEFAULT',
  metadata: { version: 'v1' },
  ...extra,
});

describe('InstanceEndpointPool', () => {
  it('maps instances to endpoints (weight ×100, health, locality, labels) and skips unroutable ones', () => {
    const { endpoints, changed } = new InstanceEndpointPool().update([
      inst('10.0.0.1', { weight: 0.5, healthy: false, clusterName: 'BJ', metadata: { region: 'r', zone: 'z', version: 'v2' } }),
      inst('10.0.0.2', { enabled: false }),
      inst('10.0.0.3', { weight: 0 }),
      inst('10.0.0.4', { port: 0 }),
      inst('::1', { port: 9090 }),
    ]);
    assert.equal(changed, true);
    assert.deepEqual(
      endpoints.map((e) => [e.address, e.weight, e.health, e.locality, e.priority, e.labels]),
      [
        ['10.0.0.1:8080', 50, 'UNHEALTHY', { region: 'r', zone: 'z', subZone: 'BJ' }, 0, { region: 'r', zone: 'z', version: 'v2', 'nacos.cluster': 'BJ' }],
        ['[::1]:9090', 100, 'HEALTHY', { region: '', zone: '', subZone: 'DEFAULT' }, 0, { version: 'v1', 'nacos.cluster': 'DEFAULT' }],
      ],
    );
    assert.ok(endpoints.every((e) => Object.isFrozen(e) && Object.isFrozen(e.labels) && Object.isFrozen(e.locality)));
  });

  it('reuses the endpoints of unchanged instances and reports an identical list (any order) as unchanged', () => {
    const pool = new InstanceEndpointPool();
    const list = Array.from({ length: 100 }, (_, i) => inst(`10.0.${i >> 8}.${i & 255}`, { metadata: { version: i % 2 ? 'v2' : 'v1' } }));
    const first = pool.update(list).endpoints;
    // Instances with the same cluster and metadata share one labels and one locality object.
    assert.equal(first[0]!.labels, first[2]!.labels);
    assert.notEqual(first[0]!.labels, first[1]!.labels);
    assert.equal(first[0]!.locality, first[1]!.locality);
    // A new push (new objects from a new JSON parse, reversed) of the same instances.
    const again = pool.update(JSON.parse(JSON.stringify([...list].reverse())) as NacosInstance[]);
    assert.equal(again.changed, false);
    assert.deepEqual(new Set(again.endpoints), new Set(first));
    // One weight changes: one new endpoint, every other one the same object.
    const changed = list.map((i, n) => (n === 7 ? { ...i, weight: 2 } : i));
    const third = pool.update(changed);
    assert.equal(third.changed, true);
    assert.equal(third.endpoints.filter((e, n) => e !== first[n]).length, 1);
    assert.equal(third.endpoints[7]!.weight, 200);
    assert.equal(third.endpoints[7]!.labels, first[7]!.labels);
  });

  it('tells apart ports of one host, metadata changes, a removed or a duplicated instance', () => {
    const pool = new InstanceEndpointPool();
    const a = inst('10.0.0.1', { port: 1 });
    const b = inst('10.0.0.1', { port: 2 });
    const c = inst('10.0.0.2');
    const [e1, e2, e3] = pool.update([a, b, c]).endpoints;
    const same = pool.update([{ ...b }, { ...a }, { ...c }]);
    assert.equal(same.changed, false);
    assert.deepEqual(same.endpoints, [e2, e1, e3]);
    const meta = pool.update([a, { ...b, metadata: { version: 'v1', extra: 'x' } }, c]);
    assert.equal(meta.changed, true);
    assert.notEqual(meta.endpoints[1], e2);
    assert.deepEqual(meta.endpoints[1]!.labels, { version: 'v1', extra: 'x', 'nacos.cluster': 'DEFAULT' });
    pool.update([a, b, c]);
    assert.equal(pool.update([a, b]).changed, true);
    assert.equal(pool.update([a, b, b]).changed, true);
    assert.equal(pool.update([a, b, b]).changed, false);
    // Metadata that sets nacos.cluster itself: the label is the cluster name, and it still matches.
    const odd = inst('10.0.0.3', { metadata: { 'nacos.cluster': 'x' } });
    assert.deepEqual(pool.update([odd]).endpoints[0]!.labels, { 'nacos.cluster': 'DEFAULT' });
    assert.equal(pool.update([{ ...odd }]).changed, false);
  });
});

describe('parseServiceInfo', () => {
  it('keeps string metadata, drops other values, defaults fields and skips hosts without ip/port', () => {
    const info = parseServiceInfo({
      name: 'G@@svc',
      hosts: [
        { ip: '10.0.0.1', port: 80, metadata: { a: '1', n: 2, o: {} } },
        { ip: '10.0.0.2', port: 80.5 },
        { ip: '', port: 80 },
        null,
        { ip: '10.0.0.3', port: 81, weight: 'x', healthy: false, clusterName: '' },
      ],
    });
    assert.ok(typeof info !== 'string');
    assert.deepEqual([info.name, info.groupName], ['svc', 'G']);
    assert.deepEqual(
      info.hosts.map((h) => [h.ip, h.port, h.weight, h.healthy, h.enabled, h.clusterName, h.metadata]),
      [
        ['10.0.0.1', 80, 1, true, true, 'DEFAULT', { a: '1' }],
        ['10.0.0.3', 81, 1, false, true, 'DEFAULT', {}],
      ],
    );
    assert.equal(parseServiceInfo({ name: 'svc', hosts: {} }), 'serviceInfo.hosts is not a list');
  });
});
