// xds-reference §7, routing checks 15–22, expressed on the source-agnostic model: what an xDS
// source hands the router once it has decoded the Envoy resources.
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import type { HeaderMatcher, RouteTable } from '../../src/model/route-table';
import { normalizeRetryPolicy, maxGrpcAttempts, retriableGrpcCodes } from '../../src/routing/retry-policy';
import { Router, validateRouteTable } from '../../src/routing/router';
import { effectiveTimeoutMs } from '../../src/routing/timeout';
import { exact, route, seededRandom, single, table, thrown, virtualHost } from './fixtures';

const N = 100_000;
const GRPC_CANCELLED = 1;
const GRPC_UNAVAILABLE = 14;

function clusterFor(router: Router, authority: string, path = '/', headers: Record<string, string> = {}): string | undefined {
  return router.match(authority, { path, headers })?.pickCluster({ headers });
}

describe('routing conformance (xds-reference §7)', () => {
  it('15. domain matching: exact > suffix wildcard > prefix wildcard > *, longer suffix wins', () => {
    const t = table(
      virtualHost('any', ['*']),
      virtualHost('suffix', ['*.foo.com']),
      virtualHost('prefix', ['api.*']),
      virtualHost('exact', ['api.foo.com']),
      virtualHost('short-suffix', ['*.com']),
    );
    const r = new Router(t, { mode: 'grpc' });
    assert.equal(r.match('api.foo.com', {})?.virtualHost.name, 'exact');
    assert.equal(r.match('x.foo.com', {})?.virtualHost.name, 'suffix');
    assert.equal(r.match('api.bar', {})?.virtualHost.name, 'prefix');
    assert.equal(r.match('z.org', {})?.virtualHost.name, 'any');
    assert.equal(r.match('a.foo.com', {})?.virtualHost.name, 'suffix');
  });

  it('16. first match wins: prefix /svc.A/ listed first takes /svc.A/Get over path /svc.A/Get', () => {
    const t = single(
      route({ path: { kind: 'prefix', value: '/svc.A/' }, cluster: 'first' }),
      route({ path: { kind: 'path', value: '/svc.A/Get' }, cluster: 'second' }),
    );
    assert.equal(clusterFor(new Router(t, { mode: 'grpc' }), 'svc', '/svc.A/Get'), 'first');
  });

  it('17. header matching: inverted exact, range [10,20), -bin headers', () => {
    const inverted: HeaderMatcher = { name: 'x-env', match: { kind: 'string', matcher: exact('canary') }, invert: true, treatMissingAsEmpty: false };
    const r = new Router(single(route({ headers: [inverted] })), { mode: 'grpc' });
    assert.equal(r.match('svc', { headers: {} }), undefined, 'absent x-env does not match');
    assert.ok(r.match('svc', { headers: { 'x-env': 'prod' } }), 'x-env: prod matches');
    assert.equal(r.match('svc', { headers: { 'x-env': 'canary' } }), undefined, 'x-env: canary does not match');

    const ranged = new Router(
      single(route({ headers: [{ name: 'x-n', match: { kind: 'range', start: 10n, end: 20n }, invert: false, treatMissingAsEmpty: false }] })),
      { mode: 'grpc' },
    );
    assert.ok(ranged.match('svc', { headers: { 'x-n': '15' } }));
    for (const v of ['20', '1.5', '15a']) assert.equal(ranged.match('svc', { headers: { 'x-n': v } }), undefined, v);

    const bin = new Router(
      single(route({ headers: [{ name: 'x-id-bin', match: { kind: 'present', present: true }, invert: false, treatMissingAsEmpty: false }] })),
      { mode: 'grpc' },
    );
    assert.equal(bin.match('svc', { headers: { 'x-id-bin': 'AQID' } }), undefined);
  });

  it('18. case_sensitive=false makes prefix /Svc match /svc/Method; the default does not', () => {
    const insensitive = new Router(single(route({ path: { kind: 'prefix', value: '/Svc' }, caseSensitive: false })), { mode: 'grpc' });
    const sensitive = new Router(single(route({ path: { kind: 'prefix', value: '/Svc' } })), { mode: 'grpc' });
    assert.ok(insensitive.match('svc', { path: '/svc/Method' }));
    assert.equal(sensitive.match('svc', { path: '/svc/Method' }), undefined);
  });

  it('19. runtime_fraction 25/HUNDRED matches 25 % ± 1 % of 100,000 requests; query-parameter routes never match in gRPC mode', () => {
    const t = single(route({ runtimeFractionPerMillion: 250_000, cluster: 'sampled' }), route({ cluster: 'rest' }));
    const r = new Router(t, { mode: 'grpc', random: seededRandom(19) });
    let sampled = 0;
    for (let i = 0; i < N; i++) if (clusterFor(r, 'svc') === 'sampled') sampled++;
    assert.ok(Math.abs(sampled / N - 0.25) <= 0.01, `sampled ${sampled}`);

    const q = new Router(single(route({ queryParameters: [{ name: 'a' }], cluster: 'query' })), { mode: 'grpc' });
    assert.equal(q.match('svc', { path: '/pkg.S/M?a=1' }), undefined);
  });

  it('20. weighted split: 90/10 within ± 1 %, 90/10/0 never picks the third, total_weight ignored, sum 0 rejected', () => {
    const weighted = (...weights: number[]): RouteTable =>
      single(route({ action: { kind: 'weightedClusters', clusters: weights.map((weight, i) => ({ name: `c${i}`, weight })) } }));
    // A source ignores the deprecated total_weight (1000 here) and hands over the weights as they are.
    const r = new Router(weighted(90, 10, 0), { mode: 'grpc', random: seededRandom(20) });
    const matched = r.match('svc', {})!;
    const counts = [0, 0, 0];
    for (let i = 0; i < N; i++) counts[Number(matched.pickCluster({})!.slice(1))]!++;
    assert.ok(Math.abs(counts[1]! / N - 0.1) <= 0.01, `second ${counts[1]}`);
    assert.ok(Math.abs(counts[0]! / N - 0.9) <= 0.01, `first ${counts[0]}`);
    assert.equal(counts[2], 0);

    const err = thrown(() => validateRouteTable(weighted(0, 0), 'rds'));
    assert.equal(err.code, ErrorCode.INVALID_CONFIG);
    assert.equal(err.field, 'rds.virtualHosts[0].routes[0].action.clusters');
  });

  it('21. timeout: max_stream_duration 2 s with a 5 s deadline ⇒ 2 s; grpc_timeout_header_max 0 ⇒ 5 s; RouteAction.timeout alone has no effect in gRPC mode', () => {
    assert.equal(effectiveTimeoutMs(route({ maxStreamDurationMs: 2000 }), 'grpc', 5000), 2000);
    // grpc_timeout_header_max: 0s present means "no cap": the source sets maxStreamDurationMs to 0.
    assert.equal(effectiveTimeoutMs(route({ maxStreamDurationMs: 0 }), 'grpc', 5000), 5000);
    assert.equal(effectiveTimeoutMs(route({ timeoutMs: 1000 }), 'grpc', 5000), 5000);
  });

  it("22. retry conversion: Istio's default retry_on with num_retries 2 ⇒ {UNAVAILABLE, CANCELLED}, 3 attempts; base_interval 0 ⇒ rejected", () => {
    const istio = normalizeRetryPolicy({
      retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
      numRetries: 2,
    });
    assert.deepEqual(retriableGrpcCodes(istio), [GRPC_CANCELLED, GRPC_UNAVAILABLE]);
    assert.equal(maxGrpcAttempts(istio), 3);

    const err = thrown(() => normalizeRetryPolicy({ baseIntervalMs: 0 }, 'route.retryPolicy'));
    assert.equal(err.code, ErrorCode.INVALID_CONFIG);
    assert.equal(err.field, 'route.retryPolicy.baseIntervalMs');
    const inTable = thrown(() => validateRouteTable(single(route({ retryPolicy: { ...istio, baseIntervalMs: 0 } }))));
    assert.equal(inTable.field, 'virtualHosts[0].routes[0].retryPolicy.baseIntervalMs');
  });
});
