import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import type { RouteTable } from '../../src/model/route-table';
import { Router, validateRouteTable } from '../../src/routing/router';
import { headerExact, retry, route, single, table, thrown, virtualHost } from './fixtures';

describe('Router', () => {
  describe('match', () => {
    it('selects the virtual host by authority, then the first matching route', () => {
      const t = table(
        virtualHost('reviews', ['reviews:9080'], [
          route({ path: { kind: 'prefix', value: '/api' }, cluster: 'api' }),
          route({ cluster: 'rest' }),
        ]),
        virtualHost('ratings', ['ratings:9080']),
      );
      const r = new Router(t, { mode: 'http' });
      assert.equal(r.match('reviews:9080', { path: '/api/v1' })?.pickCluster({}), 'api');
      assert.equal(r.match('reviews:9080', { path: '/other' })?.pickCluster({}), 'rest');
      assert.equal(r.match('ratings:9080', {})?.virtualHost.name, 'ratings');
    });
    it('returns undefined when no virtual host or no route matches', () => {
      const r = new Router(table(virtualHost('a', ['a'], [route({ path: { kind: 'path', value: '/x' } })])), { mode: 'http' });
      assert.equal(r.match('b', { path: '/x' }), undefined);
      assert.equal(r.match('a', { path: '/y' }), undefined);
    });
    it('defaults the path to /', () => {
      const r = new Router(single(route({ path: { kind: 'path', value: '/' } })), { mode: 'http' });
      assert.ok(r.match('any', {}));
    });
    it('requires every header matcher to match', () => {
      const r = new Router(single(route({ headers: [headerExact('a', '1'), headerExact('b', '2')] })), { mode: 'http' });
      assert.ok(r.match('x', { headers: { a: '1', b: '2' } }));
      assert.equal(r.match('x', { headers: { a: '1' } }), undefined);
    });
    it('matches query parameters in HTTP mode; in gRPC mode such routes never match', () => {
      const t = single(route({ queryParameters: [{ name: 'v' }], cluster: 'q' }), route({ cluster: 'fallback' }));
      assert.equal(new Router(t, { mode: 'http' }).match('x', { path: '/p?v=1' })?.pickCluster({}), 'q');
      assert.equal(new Router(t, { mode: 'http' }).match('x', { path: '/p' })?.pickCluster({}), 'fallback');
      assert.equal(new Router(t, { mode: 'grpc' }).match('x', { path: '/p?v=1' })?.pickCluster({}), 'fallback');
    });
    it('exposes :authority from the authority being routed', () => {
      const r = new Router(single(route({ headers: [headerExact(':authority', 'svc:80')] })), { mode: 'http' });
      assert.ok(r.match('svc:80', {}));
      assert.equal(r.match('other', {}), undefined);
    });
    it('draws the runtime fraction only for otherwise matching routes', () => {
      let draws = 0;
      const random = () => {
        draws++;
        return 0.5;
      };
      const r = new Router(single(route({ path: { kind: 'path', value: '/a' }, runtimeFractionPerMillion: 600_000 })), { mode: 'http', random });
      assert.equal(r.match('x', { path: '/b' }), undefined);
      assert.equal(draws, 0);
      assert.ok(r.match('x', { path: '/a' }));
      assert.equal(draws, 1);
    });
    it('never throws, even for malformed request objects', () => {
      const r = new Router(single(route({ headers: [headerExact('a', '1')] })), { mode: 'http' });
      const hostile = { get headers(): never { throw new Error('boom'); } };
      assert.equal(r.match('x', hostile), undefined);
    });
  });

  describe('CompiledRoute', () => {
    it('takes the route retry policy, else the virtual host one', () => {
      const own = retry({ numRetries: 3 });
      const shared = retry({ numRetries: 2 });
      const t = table(virtualHost('v', ['*'], [route({ path: { kind: 'path', value: '/own' }, retryPolicy: own }), route()], shared));
      const r = new Router(t, { mode: 'http' });
      assert.equal(r.match('x', { path: '/own' })?.retryPolicy, own);
      assert.equal(r.match('x', { path: '/other' })?.retryPolicy, shared);
      assert.equal(new Router(single(route()), { mode: 'http' }).match('x', {})?.retryPolicy, undefined);
    });
    it('picks from weighted clusters with the injected random source', () => {
      const t = single(route({ action: { kind: 'weightedClusters', clusters: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }] } }));
      let next = 0;
      const r = new Router(t, { mode: 'http', random: () => next });
      const matched = r.match('x', {})!;
      assert.equal(matched.pickCluster({}), 'v1');
      next = 0.6;
      assert.equal(matched.pickCluster({}), 'v2');
    });
    it('takes the cluster from the cluster header; a missing header gives undefined', () => {
      const r = new Router(single(route({ action: { kind: 'clusterHeader', header: 'X-Cluster' } })), { mode: 'http' });
      const matched = r.match('x', {})!;
      assert.equal(matched.pickCluster({ headers: { 'x-cluster': 'blue' } }), 'blue');
      assert.equal(matched.pickCluster({}), undefined);
      assert.equal(matched.pickCluster({ headers: { 'x-cluster': '' } }), undefined);
    });
    it('gives no cluster for a non-forwarding route, which still matches', () => {
      const matched = new Router(single(route({ action: { kind: 'nonForwarding' } })), { mode: 'grpc' }).match('x', {});
      assert.ok(matched);
      assert.equal(matched.pickCluster({}), undefined);
    });
    it('computes the request hash from the route hash policies, with the router channel id', () => {
      const t = single(route({ hashPolicies: [{ kind: 'channelId', terminal: false }] }));
      const a = new Router(t, { mode: 'grpc', channelId: 7n }).match('x', {})!;
      assert.equal(a.requestHash({}), 7n);
      const r1 = new Router(t, { mode: 'grpc' }).match('x', {})!;
      const r2 = new Router(t, { mode: 'grpc' }).match('x', {})!;
      assert.equal(typeof r1.requestHash({}), 'bigint');
      assert.equal(r1.requestHash({}), r1.requestHash({}), 'stable per router');
      assert.notEqual(r1.requestHash({}), r2.requestHash({}), 'random per router by default');
      assert.equal(new Router(single(route()), { mode: 'http' }).match('x', {})!.requestHash({}), undefined);
    });
  });

  it('rejects an invalid table at construction', () => {
    assert.equal(thrown(() => new Router(table(virtualHost('a', ['a.*.b'])), { mode: 'http' })).code, ErrorCode.INVALID_CONFIG);
    assert.equal(thrown(() => new Router(single(route()), { mode: 'tcp' as 'http' })).field, 'mode');
  });
});

describe('validateRouteTable', () => {
  function fieldOf(t: RouteTable, prefix = 'routeTables[0]'): string | undefined {
    const err = thrown(() => validateRouteTable(t, prefix));
    assert.equal(err.code, ErrorCode.INVALID_CONFIG);
    assert.ok(err.message.startsWith(`${err.field}: `), err.message);
    return err.field;
  }

  it('accepts a valid table', () => {
    assert.doesNotThrow(() =>
      validateRouteTable(table(virtualHost('a', ['a', '*.b', 'c.*']), virtualHost('d', ['*'], [route({ retryPolicy: retry() })]))),
    );
  });
  it('rejects an invalid domain pattern', () => {
    assert.equal(fieldOf(table(virtualHost('a', ['ok']), virtualHost('b', ['x', 'a*b']))), 'routeTables[0].virtualHosts[1].domains[1]');
  });
  it('rejects a domain repeated across virtual hosts', () => {
    assert.equal(fieldOf(table(virtualHost('a', ['*']), virtualHost('b', ['*']))), 'routeTables[0].virtualHosts[1].domains[0]');
  });
  it('rejects weighted clusters summing to 0 or above 4294967295', () => {
    const w = (...weights: number[]) =>
      single(route({ action: { kind: 'weightedClusters', clusters: weights.map((weight, i) => ({ name: `c${i}`, weight })) } }));
    assert.equal(fieldOf(w(0, 0)), 'routeTables[0].virtualHosts[0].routes[0].action.clusters');
    assert.equal(fieldOf(w(4294967295, 1)), 'routeTables[0].virtualHosts[0].routes[0].action.clusters');
  });
  it('rejects invalid regexes wherever they appear', () => {
    const base = 'virtualHosts[0].routes[0]';
    assert.equal(fieldOf(single(route({ path: { kind: 'regex', regex: '(' } })), ''), `${base}.match.path.regex`);
    assert.equal(
      fieldOf(single(route({ headers: [{ name: 'h', match: { kind: 'string', matcher: { kind: 'regex', regex: '[' } }, invert: false, treatMissingAsEmpty: false }] })), ''),
      `${base}.match.headers[0].match.matcher.regex`,
    );
    assert.equal(
      fieldOf(single(route({ queryParameters: [{ name: 'q', matcher: { kind: 'regex', regex: '(?=a)' } }] })), ''),
      `${base}.match.queryParameters[0].matcher.regex`,
    );
    assert.equal(
      fieldOf(single(route({ hashPolicies: [{ kind: 'header', name: 'h', terminal: false, regexRewrite: { regex: '*', substitution: '' } }] })), ''),
      `${base}.hashPolicies[0].regexRewrite.regex`,
    );
  });
  it('rejects empty prefix/suffix/contains string matchers', () => {
    const t = single(
      route({ headers: [{ name: 'h', match: { kind: 'string', matcher: { kind: 'suffix', value: '', ignoreCase: false } }, invert: false, treatMissingAsEmpty: false }] }),
    );
    assert.equal(fieldOf(t), 'routeTables[0].virtualHosts[0].routes[0].match.headers[0].match.matcher.value');
  });
  it('rejects a pathSeparatedPrefix ending in /', () => {
    assert.equal(
      fieldOf(single(route(), route({ path: { kind: 'pathSeparatedPrefix', value: '/a/' } }))),
      'routeTables[0].virtualHosts[0].routes[1].match.path.value',
    );
  });
  it('rejects a retry backoff base of 0 on a route or a virtual host', () => {
    assert.equal(fieldOf(single(route({ retryPolicy: retry({ baseIntervalMs: 0 }) }))), 'routeTables[0].virtualHosts[0].routes[0].retryPolicy.baseIntervalMs');
    assert.equal(fieldOf(table(virtualHost('v', ['*'], [route()], retry({ baseIntervalMs: 0 })))), 'routeTables[0].virtualHosts[0].retryPolicy.baseIntervalMs');
  });
  it('rejects a header range with start > end', () => {
    const t = single(route({ headers: [{ name: 'n', match: { kind: 'range', start: 2n, end: 1n }, invert: false, treatMissingAsEmpty: false }] }));
    assert.equal(fieldOf(t), 'routeTables[0].virtualHosts[0].routes[0].match.headers[0].match.start');
  });
  it('rejects empty cluster and cluster-header names', () => {
    assert.equal(fieldOf(single(route({ cluster: '' }))), 'routeTables[0].virtualHosts[0].routes[0].action.cluster');
    assert.equal(
      fieldOf(single(route({ action: { kind: 'clusterHeader', header: '' } }))),
      'routeTables[0].virtualHosts[0].routes[0].action.header',
    );
  });
  it('rejects negative timeouts and runtime fractions', () => {
    assert.equal(fieldOf(single(route({ timeoutMs: -1 }))), 'routeTables[0].virtualHosts[0].routes[0].timeoutMs');
    assert.equal(fieldOf(single(route({ runtimeFractionPerMillion: -5 }))), 'routeTables[0].virtualHosts[0].routes[0].match.runtimeFractionPerMillion');
  });
});
