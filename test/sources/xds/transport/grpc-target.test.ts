import * as assert from 'node:assert/strict';
import { ErrorCode, InvalidConfigError } from '../../../../src/errors';
import { isIpLiteral, parseGrpcTarget, targetAuthority } from '../../../../src/sources/xds/transport/grpc-target';

const F = 'xds_servers[0].server_uri';

describe('parseGrpcTarget', () => {
  const cases: [string, ReturnType<typeof parseGrpcTarget>][] = [
    ['127.0.0.1:15010', { kind: 'tcp', host: '127.0.0.1', port: 15010 }],
    ['istiod.istio-system.svc:15012', { kind: 'tcp', host: 'istiod.istio-system.svc', port: 15012 }],
    ['localhost', { kind: 'tcp', host: 'localhost', port: 443 }],
    ['dns:///istiod.istio-system.svc:15010', { kind: 'tcp', host: 'istiod.istio-system.svc', port: 15010 }],
    ['dns://8.8.8.8/xds.example:443', { kind: 'tcp', host: 'xds.example', port: 443 }],
    ['dns:xds.example:1', { kind: 'tcp', host: 'xds.example', port: 1 }],
    ['[::1]:18000', { kind: 'tcp', host: '::1', port: 18000 }],
    ['::1', { kind: 'tcp', host: '::1', port: 443 }],
    ['ipv4:127.0.0.1:9000,127.0.0.2:9000', { kind: 'tcp', host: '127.0.0.1', port: 9000 }],
    ['ipv6:[::1]:9000', { kind: 'tcp', host: '::1', port: 9000 }],
    ['unix:///etc/istio/proxy/XDS', { kind: 'unix', path: '/etc/istio/proxy/XDS' }],
    ['unix:/var/run/xds.sock', { kind: 'unix', path: '/var/run/xds.sock' }],
    ['unix:relative.sock', { kind: 'unix', path: 'relative.sock' }],
    ['unix-abstract:xds', { kind: 'unix', path: '\0xds' }],
  ];
  for (const [uri, want] of cases) {
    it(`parses ${JSON.stringify(uri)}`, () => assert.deepEqual(parseGrpcTarget(uri, F), want));
  }

  const bad: [string, RegExp][] = [
    ['127.0.0.1:0', /port must be 1\.\.65535/],
    ['127.0.0.1:70000', /port must be 1\.\.65535/],
    ['host:http', /port must be 1\.\.65535/],
    ['[::1', /unterminated IPv6/],
    ['[::1]x', /after the IPv6 literal/],
    ['unix://host/path', /no authority/],
    ['unix:', /no socket path/],
    ['ipv4:[::1]:80', /not an IPv4 address/],
    [':80', /no host/],
    ['fe80::1::2', /not a valid IPv6 address/],
  ];
  for (const [uri, problem] of bad) {
    it(`rejects ${JSON.stringify(uri)} with an error naming the key`, () => {
      assert.throws(
        () => parseGrpcTarget(uri, F),
        (e: unknown) => e instanceof InvalidConfigError && e.code === ErrorCode.INVALID_BOOTSTRAP && e.message.includes(F) && problem.test(e.message),
      );
    });
  }

  it('gives gRPC authorities: host:port, bracketed IPv6, localhost for Unix sockets', () => {
    assert.equal(targetAuthority(parseGrpcTarget('xds.example:15010', F)), 'xds.example:15010');
    assert.equal(targetAuthority(parseGrpcTarget('[::1]:1', F)), '[::1]:1');
    assert.equal(targetAuthority(parseGrpcTarget('unix:///x', F)), 'localhost');
  });
});

describe('isIpLiteral', () => {
  it('tells IP literals from host names (SNI carries names only)', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '::1', 'fe80::1']) assert.equal(isIpLiteral(ip), true, ip);
    for (const name of ['localhost', 'istiod.istio-system.svc', '1.2.3.example', 'a1.b2.c3.d4']) assert.equal(isIpLiteral(name), false, name);
  });
});
