import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { systemClock } from '../../../src/clock';
import { NacosConfigClient } from '../../../src/sources/nacos/config-client';
import type { NacosServiceInfo } from '../../../src/sources/nacos/nacos-messages';
import type { NacosRpcClient } from '../../../src/sources/nacos/nacos-rpc-client';
import { NacosNamingClient } from '../../../src/sources/nacos/naming-client';
import type { NacosBody, NacosPayload } from '../../../src/sources/nacos/payload-codec';
import { RawNacosServer, rpcClient, until } from './nacos-test-kit';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** A ServiceInfo as a 2.x server pushes it, with `hosts` and any field overridden. */
const SERVICE_INFO = (hosts: unknown, extra: NacosBody = {}): NacosBody => ({
  name: 'orders',
  groupName: 'DEFAULT_GROUP',
  clusters: '',
  cacheMillis: 10_000,
  lastRefTime: 1,
  checksum: '',
  allIPs: false,
  reachProtectionThreshold: false,
  valid: true,
  hosts,
  ...extra,
});

describe('§8 check 25 (tolerance), client side: the SDK against a raw server that sends unknown fields, omits optional ones and sends nulls', () => {
  let peer: RawNacosServer;
  let rpc: NacosRpcClient;
  beforeEach(async () => {
    peer = new RawNacosServer();
    await peer.start();
  });
  afterEach(() => {
    rpc?.close();
    peer.close();
  });
  async function connect(overrides: Parameters<typeof rpcClient>[1] = {}): Promise<NacosRpcClient> {
    rpc = rpcClient(peer, overrides);
    rpc.start();
    await until(() => rpc.connected, 'the connection');
    return rpc;
  }
  const acks = (type: string) => peer.received(type).map((p) => p.body ?? {});

  describe('connection level', () => {
    it('25: a ServerCheckResponse without supportAbilityNegotiation and connectionId connects without waiting for a SetupAck', async () => {
      peer.setupAck = null;
      peer.respond = (p) => (p.type === 'ServerCheckRequest' ? { type: 'ServerCheckResponse', body: { resultCode: 200, errorCode: 0, success: true } } : undefined);
      // Waiting for a SetupAck would take a minute: `until` gives up after 10 s.
      await connect({ timing: { requestTimeoutMs: 1000, healthCheckIntervalMs: 60_000, setupAckTimeoutMs: 60_000, retryTimes: 3 } });
      assert.equal(rpc.connectionId, '');
      assert.equal(peer.received('ConnectionSetupRequest').length, 1);
    });

    it('25: a ServerCheckResponse without resultCode and success is a success (Java Response defaults resultCode to 200)', async () => {
      peer.respond = (p) => (p.type === 'ServerCheckRequest' ? { type: 'ServerCheckResponse', body: { connectionId: '5_127.0.0.1_1', supportAbilityNegotiation: true } } : undefined);
      await connect();
      assert.equal(rpc.connectionId, '5_127.0.0.1_1');
    });

    it('25: takes a SetupAckRequest that carries a requestId and unknown fields without answering it', async () => {
      peer.setupAck = { requestId: '3', abilityTable: { supportPersistentInstanceByGrpc: true, futureAbility: true }, futureField: [1] };
      await connect();
      peer.push('ClientDetectionRequest', { requestId: '9' });
      await until(() => peer.stream.length === 2, 'the detection ack');
      assert.deepEqual(peer.stream.map((p) => p.type), ['ConnectionSetupRequest', 'ClientDetectionResponse']);
    });

    it('25: acks a ClientDetectionRequest without requestId and headers, and a ConnectResetRequest without target, then reconnects', async () => {
      await connect();
      peer.send({ type: 'ClientDetectionRequest', body: { module: 'internal' } });
      await until(() => acks('ClientDetectionResponse').length === 1, 'the detection ack');
      const detectionAck = acks('ClientDetectionResponse')[0]!;
      assert.deepEqual([detectionAck['success'], detectionAck['resultCode'], 'requestId' in detectionAck], [true, 200, false]);
      peer.send({ type: 'ConnectResetRequest', body: { requestId: '4', futureField: 'x' } });
      await until(() => acks('ConnectResetResponse').length === 1, 'the reset ack');
      assert.deepEqual([acks('ConnectResetResponse')[0]!['requestId'], acks('ConnectResetResponse')[0]!['success']], ['4', true]);
      await until(() => peer.streams === 2 && rpc.connected, 'the reconnect');
    });
  });

  describe('naming pushes', () => {
    let naming: NacosNamingClient;
    const infos: NacosServiceInfo[] = [];
    beforeEach(async () => {
      infos.length = 0;
      await connect();
      naming = new NacosNamingClient(rpc, 'public', systemClock, () => {});
      naming.on('serviceInfo', (_key, info) => infos.push(info));
      await naming.subscribe('DEFAULT_GROUP', 'orders');
    });
    afterEach(() => naming.close());
    async function notify(body: NacosBody, acked: number): Promise<NacosBody> {
      peer.send({ type: 'NotifySubscriberRequest', body });
      await until(() => acks('NotifySubscriberResponse').length === acked, `ack ${acked}`);
      return acks('NotifySubscriberResponse')[acked - 1]!;
    }

    it('25: applies a NotifySubscriberRequest with unknown fields in the request, the ServiceInfo and the instances, and acks its requestId', async () => {
      const host = {
        ip: '10.0.0.1',
        port: 80,
        weight: 2,
        healthy: true,
        enabled: true,
        ephemeral: true,
        clusterName: 'BJ',
        serviceName: 'DEFAULT_GROUP@@orders',
        metadata: { version: 'v1' },
        // Derived getters the Java server writes, and a field from the future.
        instanceHeartBeatInterval: 5000,
        instanceHeartBeatTimeOut: 15000,
        ipDeleteTimeout: 30000,
        instanceIdGenerator: 'simple',
        futureHost: { a: 1 },
      };
      const ack = await notify(
        {
          headers: {},
          requestId: '17',
          module: 'naming',
          namespace: 'public',
          serviceName: 'orders',
          groupName: 'DEFAULT_GROUP',
          futureTopLevel: [1, 2],
          serviceInfo: SERVICE_INFO([host], { jsonFromServer: '', key: 'DEFAULT_GROUP@@orders', futureInfo: { deep: true } }),
        },
        1,
      );
      assert.deepEqual([ack['requestId'], ack['resultCode'], ack['errorCode'], ack['success']], ['17', 200, 0, true]);
      assert.equal(infos.length, 1);
      const h = infos[0]!.hosts[0]!;
      assert.deepEqual([h.ip, h.port, h.weight, h.clusterName, h.metadata], ['10.0.0.1', 80, 2, 'BJ', { version: 'v1' }]);
    });

    it('25: keeps the string values of a metadata map with null values, defaults absent instance fields as Java does, and skips only hosts without ip', async () => {
      const ack = await notify(
        {
          requestId: '18',
          serviceInfo: SERVICE_INFO([
            { ip: '10.0.0.1', port: 80, metadata: { version: 'v1', zone: null, 'preserved.register.source': null } },
            { ip: '10.0.0.2', port: 81, metadata: null, clusterName: null, weight: null },
            { ip: '10.0.0.3', port: 82 },
            { ip: null, port: 83 },
          ]),
        },
        1,
      );
      assert.equal(ack['success'], true);
      const hosts = infos[0]!.hosts;
      assert.deepEqual(hosts.map((h) => h.ip), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
      assert.deepEqual(hosts[0]!.metadata, { version: 'v1' });
      for (const h of hosts.slice(1)) {
        assert.deepEqual([h.weight, h.healthy, h.enabled, h.ephemeral, h.clusterName, h.metadata], [1, true, true, true, 'DEFAULT', {}]);
      }
    });

    it('25: applies a push without requestId and acks it without one', async () => {
      const ack = await notify({ serviceInfo: SERVICE_INFO([{ ip: '10.0.0.1', port: 80 }]) }, 1);
      assert.equal(ack['success'], true);
      assert.equal('requestId' in ack, false);
      assert.deepEqual(infos.map((i) => i.hosts.length), [1]);
    });

    it('25: a ServiceInfo without hosts is an empty list (the Java field default); one with hosts null is ignored yet acked as success, as the Java client does', async () => {
      await notify({ requestId: '20', serviceInfo: SERVICE_INFO([{ ip: '10.0.0.1', port: 80 }]) }, 1);
      const withoutHosts = SERVICE_INFO([]);
      delete withoutHosts['hosts'];
      const emptied = await notify({ requestId: '21', serviceInfo: withoutHosts }, 2);
      assert.deepEqual([emptied['requestId'], emptied['success']], ['21', true]);
      assert.deepEqual(infos.map((i) => i.hosts.length), [1, 0]);
      // A failure ack would make the server retry this push every 6 s for as long as we are connected.
      const ignored = await notify({ requestId: '22', serviceInfo: SERVICE_INFO(null) }, 3);
      assert.deepEqual([ignored['requestId'], ignored['success'], ignored['resultCode']], ['22', true, 200]);
      assert.deepEqual(infos.map((i) => i.hosts.length), [1, 0]);
    });

    it('25: a SubscribeServiceResponse with unknown fields and an older-server group@@name is applied', async () => {
      peer.respond = (p) =>
        p.type === 'SubscribeServiceRequest'
          ? {
              type: 'SubscribeServiceResponse',
              body: { resultCode: 200, errorCode: 0, success: true, message: 'success', futureField: 1, serviceInfo: SERVICE_INFO([{ ip: '10.0.0.7', port: 80 }], { name: 'G2@@payments', groupName: null }) },
            }
          : undefined;
      await naming.subscribe('G2', 'payments');
      assert.deepEqual(infos.map((i) => [i.groupName, i.name, i.hosts[0]?.ip]), [['G2', 'payments', '10.0.0.7']]);
    });
  });

  describe('config pushes and answers', () => {
    let config: NacosConfigClient;
    const contents = new Map<string, string>();
    let changedConfigs: unknown[] = [];
    beforeEach(async () => {
      contents.clear();
      changedConfigs = [];
      peer.respond = (p: NacosPayload) => {
        if (p.type === 'ConfigQueryRequest') {
          const content = contents.get(p.body?.['dataId'] as string);
          if (content === undefined) return { type: 'ConfigQueryResponse', body: { resultCode: 500, errorCode: 300, message: 'config data not exist', success: false } };
          // No md5, contentType or lastModified; fields from the future.
          return { type: 'ConfigQueryResponse', body: { resultCode: 200, errorCode: 0, success: true, content, configType: 'yaml', futureField: { a: 1 } } };
        }
        if (p.type === 'ConfigBatchListenRequest') {
          return { type: 'ConfigChangeBatchListenResponse', body: { resultCode: 200, errorCode: 0, success: true, changedConfigs } };
        }
        return undefined;
      };
      await connect({ module: 'config' });
      config = new NacosConfigClient(rpc, () => {});
    });

    it('25: reads a ConfigQueryResponse without md5, contentType and lastModified and with unknown fields: md5 computed, type text', async () => {
      contents.set('app.yaml', 'a: 1\n');
      const got = await config.get('app.yaml', 'DEFAULT_GROUP');
      assert.deepEqual(got, { content: 'a: 1\n', md5: md5('a: 1\n'), contentType: 'text' });
    });

    it('25: a ConfigChangeNotifyRequest without tenant, with tenant null or "public", and with unknown fields refreshes the default-namespace listen (Nacos 3.x omits the tenant)', async () => {
      contents.set('app.yaml', 'v: 0');
      const seen: Array<string | undefined> = [];
      await config.listen('app.yaml', 'DEFAULT_GROUP', 'public', (c) => seen.push(c));
      const variants: NacosBody[] = [{}, { tenant: null }, { tenant: 'public' }, { tenant: '', futureField: true, headers: null }];
      for (const [n, tenant] of variants.entries()) {
        contents.set('app.yaml', `v: ${n + 1}`);
        peer.send({ type: 'ConfigChangeNotifyRequest', body: { requestId: `c${n}`, dataId: 'app.yaml', group: 'DEFAULT_GROUP', module: 'config', ...tenant } });
        await until(() => seen.length === n + 2, `refresh ${n + 1} (${JSON.stringify(tenant)})`);
        assert.deepEqual(acks('ConfigChangeNotifyResponse').map((a) => a['requestId']).at(-1), `c${n}`);
      }
      assert.deepEqual(seen, ['v: 0', 'v: 1', 'v: 2', 'v: 3', 'v: 4']);
    });

    it('25: a re-listen answer whose changedConfigs holds nulls, junk, unknown fields and entries without tenant re-reads the listed keys', async () => {
      contents.set('a.yaml', 'a: 0');
      contents.set('b.yaml', 'b: 0');
      const seen: string[] = [];
      await config.listen('a.yaml', 'DEFAULT_GROUP', 'public', (c) => seen.push(`a=${c}`));
      await config.listen('b.yaml', 'DEFAULT_GROUP', 'public', (c) => seen.push(`b=${c}`));
      contents.set('b.yaml', 'b: 1');
      changedConfigs = [null, 'junk', { dataId: 'b.yaml', group: 'DEFAULT_GROUP', futureField: 1 }];
      peer.endStream();
      await until(() => seen.includes('b=b: 1'), 'the re-read of b.yaml after the reconnect');
      assert.deepEqual(seen, ['a=a: 0', 'b=b: 0', 'b=b: 1']);
    });
  });
});
