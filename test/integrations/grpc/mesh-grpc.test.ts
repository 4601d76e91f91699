import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { MeshClient } from '../../../src/client/mesh-client';
import { ErrorCode } from '../../../src/errors';
import { meshGrpcInterceptor, registerMeshGrpc } from '../../../src/integrations/grpc/index';
import { runWithMeshContext } from '../../../src/integrations/outbound/mesh-context';
import { testMesh, testSnapshot, type TestRoute } from '../support/mesh-fixture';
import { GreeterClient, hello, startGreeter, type Greeter } from './grpc-test-service';

describe('sidecarless/grpc', () => {
  const open: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function setup(routes: TestRoute[], extraClusters: Array<{ name: string; ports: number[] }> = []): Promise<{ mesh: MeshClient; client: Greeter }> {
    const v1 = await startGreeter('v1');
    const v2 = await startGreeter('v2');
    open.push(v1, v2);
    const { mesh } = await testMesh(
      testSnapshot(
        [{ target: 'greeter', routes }],
        [{ name: 'v1', ports: [v1.port] }, { name: 'v2', ports: [v2.port] }, ...extraClusters],
      ),
    );
    open.push(mesh);
    registerMeshGrpc(grpc, mesh);
    const client = new GreeterClient('mesh:///greeter', grpc.credentials.createInsecure(), { interceptors: [meshGrpcInterceptor(grpc)] }) as unknown as Greeter;
    open.push(client);
    return { mesh, client };
  }

  it('splits calls 90/10 across weighted clusters', async () => {
    const { mesh, client } = await setup([{ action: { kind: 'weightedClusters', clusters: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] } }]);
    const counts: Record<string, number> = { v1: 0, v2: 0 };
    const total = 2000;
    for (let i = 0; i < total; i += 200) {
      const replies = await Promise.all(Array.from({ length: 200 }, () => hello(client)));
      for (const r of replies) counts[r.backend]! += 1;
    }
    const canaryShare = counts.v2! / total;
    assert.ok(Math.abs(canaryShare - 0.1) < 0.025, `v2 share ${canaryShare}`);
    const stats = new Map(mesh.stats().map((s) => [s.cluster, s]));
    assert.equal(stats.get('v1')!.requestsTotal + stats.get('v2')!.requestsTotal, total);
    assert.equal(stats.get('v1')!.inFlight + stats.get('v2')!.inFlight, 0);
    assert.equal(stats.get('v1')!.failuresTotal, 0);
  });

  it('routes by method path and metadata, and carries the mesh context through the interceptor', async () => {
    const { client } = await setup([
      { header: { name: 'x-canary', value: 'true' }, action: { kind: 'cluster', cluster: 'v2' } },
      { prefix: '/demo.Greeter/', action: { kind: 'cluster', cluster: 'v1' } },
    ]);
    const md = new grpc.Metadata();
    md.set('x-canary', 'true');
    assert.equal((await hello(client, md)).backend, 'v2');
    assert.equal((await hello(client)).backend, 'v1');
    const viaContext = await runWithMeshContext({ 'x-canary': 'true', 'x-tenant': 't9' }, () => hello(client));
    assert.deepEqual(viaContext, { backend: 'v2', canary: 'true', tenant: 't9' });
  });

  it('applies the route timeout as the call deadline', async () => {
    const { client, mesh } = await setup([{ action: { kind: 'cluster', cluster: 'v1' }, timeoutMs: 50 }]);
    await assert.rejects(
      new Promise((resolve, reject) => client.slow({ name: 'x' }, new grpc.Metadata(), {}, (err, r) => (err ? reject(err) : resolve(r)))),
      { code: grpc.status.DEADLINE_EXCEEDED },
    );
    const v1 = mesh.stats().find((s) => s.cluster === 'v1')!;
    assert.equal(v1.failuresTotal, 1);
    assert.equal(v1.inFlight, 0);
  });

  it('fails calls with UNAVAILABLE naming MESH_ERR_NO_ENDPOINT when the cluster is empty', async () => {
    const { client } = await setup([{ action: { kind: 'cluster', cluster: 'empty' } }], [{ name: 'empty', ports: [] }]);
    await assert.rejects(hello(client), (err: grpc.ServiceError) => err.code === grpc.status.UNAVAILABLE && err.details.includes(ErrorCode.NO_ENDPOINT));
  });

  it('fails calls to a target the mesh does not know once the ready timeout passes', async () => {
    const { mesh } = await testMesh(testSnapshot([], []));
    open.push(mesh);
    registerMeshGrpc(grpc, mesh, { scheme: 'meshtest', readyTimeoutMs: 20 });
    const client = new GreeterClient('meshtest:///nowhere', grpc.credentials.createInsecure()) as unknown as Greeter;
    open.push(client);
    await assert.rejects(hello(client), { code: grpc.status.UNAVAILABLE });
  });

  it('rejects a module that is not grpc-js and a bad scheme', async () => {
    const { mesh } = await testMesh(testSnapshot([], []));
    open.push(mesh);
    assert.throws(() => registerMeshGrpc({} as typeof grpc, mesh), { code: ErrorCode.INVALID_CONFIG, field: 'grpc' });
    assert.throws(() => registerMeshGrpc(grpc, mesh, { scheme: 'Bad Scheme' }), { field: 'scheme' });
  });
});
