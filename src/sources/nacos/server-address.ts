import { InvalidConfigError } from '../../errors';

/** The default main (HTTP) port of a Nacos server. */
export const DEFAULT_NACOS_PORT = 8848;
/** Clients dial gRPC at the main port plus this offset (`Constants.SDK_GRPC_PORT_DEFAULT_OFFSET`). */
export const GRPC_PORT_OFFSET = 1000;

/** A Nacos server: its main HTTP port (login) and its SDK gRPC port. */
export interface NacosServerAddress {
  /** Host name or IP literal, without brackets. */
  readonly host: string;
  /** Main HTTP port (login endpoint). */
  readonly port: number;
  /** SDK gRPC port; `port + 1000` unless given explicitly. */
  readonly grpcPort: number;
}

/** A server entry as accepted in options: `host[:port]` (optionally with `http://`) or an object. */
export type NacosServerEntry = string | { host: string; port?: number; grpcPort?: number };

function checkPort(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new InvalidConfigError(field, `must be an integer 1..65535, got ${String(value)}`);
  }
  return value;
}

/**
 * Parses one server entry. `host` alone means port 8848; a leading `http://`/`https://` is
 * stripped (as the Java client does); IPv6 literals use brackets: `[::1]:8848`. The gRPC port is
 * `port + grpcPortOffset` unless the entry gives `grpcPort`.
 */
export function parseServerAddress(entry: NacosServerEntry, field: string, grpcPortOffset = GRPC_PORT_OFFSET): NacosServerAddress {
  if (typeof entry === 'object' && entry !== null) {
    if (typeof entry.host !== 'string' || entry.host === '') throw new InvalidConfigError(`${field}.host`, 'must be a non-empty string');
    const port = checkPort(`${field}.port`, entry.port ?? DEFAULT_NACOS_PORT);
    const grpcPort = checkPort(`${field}.grpcPort`, entry.grpcPort ?? port + grpcPortOffset);
    return Object.freeze({ host: entry.host, port, grpcPort });
  }
  if (typeof entry !== 'string' || entry.trim() === '') throw new InvalidConfigError(field, 'must be a non-empty "host[:port]" string');
  let text = entry.trim().replace(/^https?:\/\//i, '');
  text = text.replace(/\/.*$/, '');
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else {
    const parts = text.split(':');
    if (parts.length > 2) throw new InvalidConfigError(field, `"${entry}" is not "host[:port]" (bracket IPv6 literals)`);
    host = parts[0]!;
    portText = parts[1];
  }
  if (host === '') throw new InvalidConfigError(field, `"${entry}" has no host`);
  if (portText !== undefined && !/^\d+$/.test(portText)) throw new InvalidConfigError(field, `"${entry}" has a non-numeric port`);
  const port = checkPort(field, portText === undefined ? DEFAULT_NACOS_PORT : Number(portText));
  return Object.freeze({ host, port, grpcPort: checkPort(field, port + grpcPortOffset) });
}

