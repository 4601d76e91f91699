import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { XdsControlPlane } from '../../src/testing/xds-control-plane';

// A real @grpc/grpc-js + @grpc/grpc-js-xds client routed by XdsControlPlane: proves the encoder's
// LDS/RDS/CDS/EDS are accepted by another xDS implementation, not only by our own decoder.

/** One unary method with raw bytes in and out: no .proto needed for a loopback backend. */
const WHO_SERVICE: grpc.ServiceDefinition = {
  Who: {
    path: '/sidecarless.interop.Backend/Who',
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};
const WhoClient = grpc.makeGenericClientConstructor(WHO_SERVICE, 'Backend');
type WhoClientInstance = InstanceType<typeof WhoClient> & {
  Who(req: Buffer, options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Buffer) => void): grpc.ClientUnaryCall;
};

interface Backend {
  readonly server: grpc.Server;
  readonly port: number;
  calls: number;
}

async function startBackend(name: string): Promise<Backend> {
  const server = new grpc.Server();
  const backend = { server, port: 0, calls: 0 };
  server.addService(WHO_SERVICE, {
    Who: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      backend.calls++;
      cb(null, Buffer.from(name));
    },
  });
  backend.port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
  return backend;
}

const CLUSTERS = (v1Port: number, v2Port: number) => `
clusters:
  who-v1:
    endpoints: [ { host: 127.0.0.1, port: ${v1Port} } ]
  who-v2:
    endpoints: [ { host: 127.0.0.1, port: ${v2Port} } ]
`;
const WEIGHTED = (w1: number, w2: number) => `[ { route: { weighted: [ { cluster: who-v1, weight: ${w1} }, { cluster: who-v2, weight: ${w2} } ] } } ]`;

/** Routes inline in the Listener's HttpConnectionManager (no RDS). */
const inlineYaml = (v1Port: number, v2Port: number, w1: number, w2: number) => `
services:
  who:
    routes: ${WEIGHTED(w1, w2)}
${CLUSTERS(v1Port, v2Port)}`;

/** A Listener naming a RouteConfiguration fetched over RDS. */
const rdsYaml = (v1Port: number, v2Port: number, w1: number, w2: number) => `
listeners:
  who-rds: { routeTable: who-routes }
routeTables:
  who-routes:
    virtualHosts: [ { name: who, domains: [ "who-rds" ], routes: ${WEIGHTED(w1, w2)} } ]
${CLUSTERS(v1Port, v2Port)}`;

function call(client: WhoClientInstance): Promise<string> {
  return new Promise((resolve, reject) =>
    client.Who(Buffer.alloc(0), { deadline: Date.now() + 5000 }, (err, res) => (err ? reject(err) : resolve(res!.toString()))),
  );
}

async function counts(client: WhoClientInstance, n: number): Promise<Record<string, number>> {
  const out: Record<string, number> = { v1: 0, v2: 0 };
  // Sequential in small batches: each RPC makes its own weighted pick in the xDS config selector.
  for (let i = 0; i < n; i += 20) {
    for (const who of await Promise.all(Array.from({ length: 20 }, () => call(client)))) out[who] = (out[who] ?? 0) + 1;
  }
  return out;
}

describe('interop: @grpc/grpc-js-xds routed by XdsControlPlane', () => {
  const ENV = ['GRPC_XDS_BOOTSTRAP', 'GRPC_XDS_BOOTSTRAP_CONFIG'] as const;
  const savedEnv = new Map<string, string | undefined>();
  let cp: XdsControlPlane;
  let v1: Backend;
  let v2: Backend;
  let client: WhoClientInstance | undefined;

  before(async () => {
    v1 = await startBackend('v1');
    v2 = await startBackend('v2');
    cp = new XdsControlPlane();
    await cp.start();
    for (const k of ENV) savedEnv.set(k, process.env[k]);
    delete process.env.GRPC_XDS_BOOTSTRAP;
    process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify(cp.bootstrap({ nodeId: 'grpc-js-xds-interop' }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('@grpc/grpc-js-xds') as { register(): void }).register();
  });

  after(async () => {
    client?.close();
    for (const [k, v] of savedEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    // grpc-js has no way to unregister a resolver scheme; `xds:` stays registered for the process,
    // which only affects channels to `xds:` targets (no other test dials one).
    await cp.stop();
    v1.server.forceShutdown();
    v2.server.forceShutdown();
  });

  const cases = [
    { name: 'inline routes', target: 'who', yaml: inlineYaml, routesIn: 'Listener', types: ['Listener', 'Cluster', 'ClusterLoadAssignment'] },
    {
      name: 'RDS',
      target: 'who-rds',
      yaml: rdsYaml,
      routesIn: 'RouteConfiguration',
      types: ['Listener', 'RouteConfiguration', 'Cluster', 'ClusterLoadAssignment'],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: splits 80/20 by route weight, ACKs every resource type, and follows a push to 0/100`, async () => {
      v1.calls = 0;
      v2.calls = 0;
      await cp.setMeshConfig(c.yaml(v1.port, v2.port, 80, 20));
      client?.close();
      client = new WhoClient(`xds:///${c.target}`, grpc.credentials.createInsecure()) as WhoClientInstance;
      const first = await counts(client, 200);
      assert.equal(first.v1! + first.v2!, 200);
      const share = first.v2! / 200;
      assert.ok(share >= 0.1 && share <= 0.3, `v2 share ${share} (v1 ${first.v1}, v2 ${first.v2}) should be about 0.2`);
      assert.equal(v1.calls, first.v1);
      assert.equal(v2.calls, first.v2);

      // The first channel's close may end its ADS stream; look at the one open now.
      const stream = cp.streams.find((s) => s.open && s.node?.id === 'grpc-js-xds-interop');
      assert.ok(stream, 'grpc-js-xds opened an ADS stream to the control plane');
      assert.deepEqual(stream.nacks, [], 'grpc-js-xds rejected nothing');
      for (const type of c.types) {
        assert.ok([...stream.acks.keys()].some((url) => url.endsWith(`.${type}`)), `${type} was ACKed`);
      }

      // grpc-js-xds applies a resource (watchers, config selector) before its ACK is even written,
      // so once the control plane sees the ACK of the pushed routes every new RPC uses them.
      const acked = new Promise<void>((resolve) => {
        const onAck = (typeUrl: string) => {
          if (!typeUrl.endsWith(`.${c.routesIn}`)) return;
          cp.off('ack', onAck);
          resolve();
        };
        cp.on('ack', onAck);
      });
      await cp.setMeshConfig(c.yaml(v1.port, v2.port, 0, 100));
      await acked;
      const after = await counts(client, 100);
      assert.deepEqual(after, { v1: 0, v2: 100 });
    });
  }
});
