import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { systemClock } from '../../../src/clock';
import { DEFAULT_RPC_TIMING, NacosRpcClient } from '../../../src/sources/nacos/nacos-rpc-client';
import { nacosMethods, type NacosBody, type NacosPayload, type OutgoingPayload } from '../../../src/sources/nacos/payload-codec';
import { until } from './nacos-test-kit';

/**
 * A hand-driven gRPC peer standing in for the Nacos server, for the client-side checks that need
 * to see exactly what the SDK writes: it answers ServerCheck, sends SetupAck, records every unary
 * request and every stream message, and pushes whatever a test asks for.
 */
class RawNacosPeer {
  readonly unary: NacosPayload[] = [];
  readonly stream: NacosPayload[] = [];
  #server = new grpc.Server();
  #call: grpc.ServerDuplexStream<NacosPayload, OutgoingPayload> | undefined;
  port = 0;

  async start(): Promise<void> {
    const m = nacosMethods();
    const unary = m.unary as unknown as grpc.MethodDefinition<NacosPayload, OutgoingPayload>;
    const bidi = m.bidi as unknown as grpc.MethodDefinition<NacosPayload, OutgoingPayload>;
    this.#server.addService({ request: unary }, {
      request: (call: grpc.ServerUnaryCall<NacosPayload, OutgoingPayload>, cb: grpc.sendUnaryData<OutgoingPayload>) => {
        this.unary.push(call.request);
        const type = call.request.type === 'ServerCheckRequest' ? 'ServerCheckResponse' : call.request.type.replace(/Request$/, 'Response');
        // Fields a future server might add must be ignored (§8 check 25).
        cb(null, { type, body: { resultCode: 200, errorCode: 0, success: true, connectionId: '1_127.0.0.1_1', supportAbilityNegotiation: true, futureField: { x: [1] } } });
      },
    });
    this.#server.addService({ requestBiStream: bidi }, {
      requestBiStream: (call: grpc.ServerDuplexStream<NacosPayload, OutgoingPayload>) => {
        this.#call = call;
        call.on('data', (p: NacosPayload) => {
          this.stream.push(p);
          if (p.type === 'ConnectionSetupRequest') call.write({ type: 'SetupAckRequest', body: { headers: {}, abilityTable: { supportPersistentInstanceByGrpc: true }, module: 'internal' } });
        });
        call.on('error', () => {});
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.#server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
  }

  push(type: string, body: NacosBody): void {
    this.#call!.write({ type, body: { headers: {}, module: 'internal', ...body } });
  }

  close(): void {
    this.#server.forceShutdown();
  }
}

describe('NacosRpcClient against a raw gRPC peer (client side of nacos-protocol §8)', () => {
  let peer: RawNacosPeer;
  let client: NacosRpcClient;
  beforeEach(async () => {
    peer = new RawNacosPeer();
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
