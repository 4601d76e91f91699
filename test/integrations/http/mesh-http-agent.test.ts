import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { MeshClient } from '../../../src/client/mesh-client';
import { ErrorCode } from '../../../src/errors';
import { MeshHttpAgent, MeshHttpsAgent, meshAxiosInterceptor } from '../../../src/integrations/http/index';
import { runWithMeshContext } from '../../../src/integrations/outbound/mesh-context';
import { startBackend, testTls, type TestBackend } from '../support/http-backend';
import { headerCanary, testMesh, testSnapshot, type TestCluster, type TestRoute } from '../support/mesh-fixture';

interface Answer {
  status: number;
  body: string;
}

function get(url: string, options: http.RequestOptions): Promise<Answer> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sidecarless/http', () => {
  const open: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function backend(...args: Parameters<typeof startBackend>): Promise<TestBackend> {
    const b = await startBackend(...args);
    open.push(b);
    return b;
  }

  async function meshOf(routes: TestRoute[], clusters: TestCluster[]): Promise<MeshClient> {
    const { mesh } = await testMesh(testSnapshot([{ target: 'reviews', routes }], clusters));
    open.push(mesh);
    return mesh;
  }

  function agentOf(mesh: MeshClient): MeshHttpAgent {
    const agent = new MeshHttpAgent(mesh);
    open.push({ close: () => agent.destroy() });
    return agent;
  }

  it('connects node:http requests for a logical host to a picked endpoint, keeping Host', async () => {
    const v1 = await backend('v1');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [v1.port] }]);
    const agent = agentOf(mesh);
    const answer = await get('http://reviews/a?b=1', { agent });
    assert.deepEqual(JSON.parse(answer.body), { backend: 'v1', host: 'reviews', url: '/a?b=1' });
    const stats = mesh.stats()[0]!;
    assert.equal(stats.requestsTotal, 1);
    assert.equal(stats.inFlight, 0);
  });

  it('routes by the request headers and by the mesh context', async () => {
    const v1 = await backend('v1');
    const v2 = await backend('v2');
    const mesh = await meshOf(...headerCanary(v1.port, v2.port));
    const agent = agentOf(mesh);
    assert.equal(JSON.parse((await get('http://reviews/', { agent, headers: { 'x-canary': 'true' } })).body).backend, 'v2');
    assert.equal(JSON.parse((await get('http://reviews/', { agent })).body).backend, 'v1');
    const viaContext = await runWithMeshContext({ 'x-canary': 'true', 'x-request-id': 'r1' }, () => get('http://reviews/', { agent }));
    assert.equal(JSON.parse(viaContext.body).backend, 'v2');
    assert.equal(v2.seen.at(-1)!.headers['x-request-id'], 'r1');
  });

  it('passes other hosts through', async () => {
    const direct = await backend('direct');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [1] }]);
    const answer = await get(`http://127.0.0.1:${direct.port}/`, { agent: agentOf(mesh) });
    assert.equal(JSON.parse(answer.body).backend, 'direct');
  });

  it('fails the request with MESH_ERR_NO_ENDPOINT', async () => {
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [] }]);
    await assert.rejects(get('http://reviews/', { agent: agentOf(mesh) }), { code: ErrorCode.NO_ENDPOINT });
  });

  it('applies the route timeout', async () => {
    const silent = await backend('silent', () => undefined);
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' }, timeoutMs: 50 }], [{ name: 'v1', ports: [silent.port] }]);
    await assert.rejects(get('http://reviews/', { agent: agentOf(mesh) }), { code: ErrorCode.TIMEOUT });
    assert.equal(mesh.stats()[0]!.inFlight, 0);
    assert.equal(mesh.stats()[0]!.failuresTotal, 1);
  });

  it('reports 5xx answers as failures', async () => {
    const down = await backend('down', (_r, res) => {
      res.statusCode = 502;
      res.end();
    });
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [down.port] }]);
    assert.equal((await get('http://reviews/', { agent: agentOf(mesh) })).status, 502);
    assert.equal(mesh.stats()[0]!.failuresTotal, 1);
  });

  it('sets SNI to the logical host with MeshHttpsAgent', async () => {
    const secure = await backend('secure', undefined, { tls: true });
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [secure.port] }]);
    const agent = new MeshHttpsAgent(mesh, { ca: testTls().cert });
    open.push({ close: () => agent.destroy() });
    const answer = await get('https://reviews/s', { agent });
    assert.equal(JSON.parse(answer.body).host, 'reviews');
    assert.equal(secure.seen[0]!.servername, 'reviews');
  });

  it('meshAxiosInterceptor sets the mesh agents on a request config and keeps agents already set', async () => {
    const v1 = await backend('v1');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [v1.port] }]);
    const interceptor = meshAxiosInterceptor(mesh);
    open.push({ close: () => (interceptor.agents.http.destroy(), interceptor.agents.https.destroy()) });
    const config = interceptor({ url: 'http://reviews/x' });
    assert.equal(config.httpAgent, interceptor.agents.http);
    assert.equal(config.httpsAgent, interceptor.agents.https);
    const own = new http.Agent();
    assert.equal(interceptor({ httpAgent: own }).httpAgent, own);
    own.destroy();
    const answer = await get(config.url, { agent: config.httpAgent });
    assert.equal(JSON.parse(answer.body).backend, 'v1');
  });

  it('pools sockets per endpoint (keep-alive)', async () => {
    const v1 = await backend('v1');
    const mesh = await meshOf([{ action: { kind: 'cluster', cluster: 'v1' } }], [{ name: 'v1', ports: [v1.port] }]);
    const agent = agentOf(mesh);
    await get('http://reviews/', { agent });
    const socketsAfterFirst = Object.keys(agent.freeSockets);
    assert.deepEqual(socketsAfterFirst.length, 1);
    await get('http://reviews/', { agent });
    assert.equal(Object.values(agent.freeSockets).flat().length, 1);
  });
});
