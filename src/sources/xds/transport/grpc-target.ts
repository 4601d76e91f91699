import { isIP } from 'node:net';
import { ErrorCode, InvalidConfigError } from '../../../errors';

/** Where a gRPC target URI says to connect: a TCP host and port, or a Unix domain socket. */
export type GrpcTarget =
  | {
      readonly kind: 'tcp';
      /** A DNS name or an IP literal (IPv6 without brackets). */
      readonly host: string;
      readonly port: number;
    }
  | {
      readonly kind: 'unix';
      /** Socket path; abstract sockets start with a NUL byte. */
      readonly path: string;
    };

/** The port gRPC uses when a target names none. */
const DEFAULT_PORT = 443;

function fail(field: string, uri: string, problem: string): never {
  throw new InvalidConfigError(field, `${JSON.stringify(uri)}: ${problem}`, { code: ErrorCode.INVALID_BOOTSTRAP });
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 literal. */
function hostPort(text: string, field: string, uri: string): GrpcTarget {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) fail(field, uri, 'unterminated IPv6 literal');
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) fail(field, uri, 'unexpected text after the IPv6 literal');
    portText = rest === '' ? undefined : rest.slice(1);
  } else if (text.indexOf(':') !== text.lastIndexOf(':')) {
    // Two colons or more: a bare IPv6 literal (`host:port` has one). Checked by counting, not with
    // net.isIP, whose IPv6 pattern costs V8 ~10 ms to compile on first use, on the cold-start path.
    if (isIP(text) !== 6) fail(field, uri, 'not a valid IPv6 address (bracket it to add a port: [addr]:port)');
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
  }
  if (host === '') fail(field, uri, 'no host');
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) fail(field, uri, `port must be 1..65535, got ${JSON.stringify(portText)}`);
  }
  return { kind: 'tcp', host, port };
}

/**
 * Parses a gRPC target URI as gRPC's naming document defines it: `dns:[//authority/]host[:port]`,
 * `ipv4:addr[:port][,…]` and `ipv6:addr[:port][,…]` (the first address is used), `unix:path`,
 * `unix:///absolute/path`, `unix-abstract:name`, or a bare `host[:port]` (DNS, port 443 by
 * default). Istio's proxyless bootstrap uses `unix:///etc/istio/proxy/XDS`.
 *
 * @param field names the bootstrap key in errors (`xds_servers[0].server_uri`).
 * @throws InvalidConfigError (`MESH_ERR_INVALID_BOOTSTRAP`) naming `field` and the problem.
 */
export function parseGrpcTarget(uri: string, field: string): GrpcTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(uri);
  const name = scheme?.[1]?.toLowerCase();
  const rest = scheme?.[2] ?? '';
  switch (name) {
    case 'unix': {
      // `unix:///abs` and `unix:/abs` are absolute; `unix:rel` is relative; `unix://host/…` is not allowed.
      let path = rest;
      if (path.startsWith('//')) {
        if (!path.startsWith('///')) fail(field, uri, 'unix targets take no authority (use unix:///absolute/path)');
        path = path.slice(2);
      }
      if (path === '') fail(field, uri, 'no socket path');
      return { kind: 'unix', path };
    }
    case 'unix-abstract':
      if (rest === '') fail(field, uri, 'no socket name');
      return { kind: 'unix', path: `\0${rest}` };
    case 'dns': {
      let body = rest;
      if (body.startsWith('//')) {
        // The DNS server authority is not supported by Node's resolver; the host follows the next '/'.
        const slash = body.indexOf('/', 2);
        if (slash < 0) fail(field, uri, 'no host after the authority');
        body = body.slice(slash + 1);
      }
      return hostPort(body, field, uri);
    }
    case 'ipv4':
    case 'ipv6': {
      const first = rest.split(',')[0] ?? '';
      const t = hostPort(first, field, uri);
      const family = name === 'ipv4' ? 4 : 6;
      if (t.kind === 'tcp' && isIP(t.host) !== family) fail(field, uri, `${JSON.stringify(t.host)} is not an IPv${family} address`);
      return t;
    }
    default:
      // No known scheme: the whole text is `host[:port]` (grpc-js does the same for `localhost:1234`).
      if (uri === '') fail(field, uri, 'must be a non-empty target');
      return hostPort(uri, field, uri);
  }
}

/** True when `host` is an IP literal (IPv4 dotted quad or IPv6), without compiling net.isIP's IPv6 pattern. */
export function isIpLiteral(host: string): boolean {
  return host.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** The `:authority` gRPC sends for a target (`localhost` for Unix sockets, as gRPC does). */
export function targetAuthority(target: GrpcTarget): string {
  if (target.kind === 'unix') return 'localhost';
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}
