import assert from 'node:assert/strict';
import { systemClock } from '../../../src/clock';
import { DEFAULT_RPC_TIMING, NacosRpcClient } from '../../../src/sources/nacos/nacos-rpc-client';
import { RawNacosServer, until } from './nacos-test-kit';

describe('NacosRpcClient against a raw gRPC peer (client side of nacos-protocol §8)', () => {
  let peer: RawNacosServer;
  let client: NacosRpcClient;
  beforeEach(async () => {
    peer = new RawNacosServer();
    await peer.start();
    client = new NacosRpcClient({
      module: 'naming',
      servers: [{ host: '127.0.0.1', port: 8848, grpcPort: peer.port }],
      clientVersion: 'Nacos-Node-Client:test',
      clientIp: '127.0.0.1',
      clock: systemClock,
      log: () => {},
      timing: { ...DEFAULT_RPC_TIMING, healthCheckIntervalMs: 3_600_000 },
      auth: { headers: async () => ({ accessToken: 'tok-1' }), onForbidden: async () => {} },
    });
    client.start();
    await client.whenConnected();
  });
  afterEach(() => {
    client.close();
    peer.close();
  });

  it('1/6: sends ConnectionSetupRequest first with labels and abilityTable {}, and never answers SetupAck', async () => {
    const setup = peer.stream[0]!;
    assert.equal(setup.type, 'ConnectionSetupRequest');
    assert.deepEqual(setup.body?.['abilityTable'], {});
    assert.deepEqual(setup.body?.['labels'], { source: 'sdk', module: 'naming' });
    assert.equal(setup.body?.['module'], 'internal');
    assert.equal(setup.clientIp, '127.0.0.1');
    assert.equal(peer.unary[0]!.type, 'ServerCheckRequest');
    // 10: a ClientDetectionRequest is acked with its requestId; by then a SetupAckResponse would have been sent.
    peer.push('ClientDetectionRequest', { requestId: '7' });
    await until(() => peer.stream.length === 2, 'the detection ack');
    assert.deepEqual(peer.stream.map((p) => p.type), ['ConnectionSetupRequest', 'ClientDetectionResponse']);
    assert.deepEqual([peer.stream[1]!.body?.['requestId'], peer.stream[1]!.body?.['success'], peer.stream[1]!.body?.['resultCode']], ['7', true, 200]);
  });

  it('§2.5: leaves a push type it has no handler for unanswered, and answers the next push', async () => {
    peer.push('ClientConfigMetricRequest', { requestId: '8', metricsKeys: [] });
    peer.push('ClientDetectionRequest', { requestId: '9' });
    await until(() => peer.stream.length === 2, 'the detection ack');
    assert.deepEqual(peer.stream.slice(1).map((p) => [p.type, p.body?.['requestId']]), [['ClientDetectionResponse', '9']]);
  });

  it('24/25: puts accessToken and app in Metadata.headers, not in the body, and accepts unknown response fields', async () => {
    const res = await client.request('InstanceRequest', { headers: {}, namespace: 'public', serviceName: 's', groupName: 'DEFAULT_GROUP', type: 'registerInstance', module: 'naming' }, { app: 'a' });
    assert.equal(res.body?.['success'], true);
    const sent = peer.unary.find((p) => p.type === 'InstanceRequest')!;
    assert.deepEqual(sent.headers, { app: 'a', accessToken: 'tok-1' });
    assert.deepEqual(sent.body?.['headers'], {});
    // Connection-level requests carry no token (§4).
    assert.equal(peer.unary[0]!.headers['accessToken'], undefined);
  });
});
