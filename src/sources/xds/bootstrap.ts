import * as fs from 'node:fs';
import { ErrorCode, InvalidConfigError } from '../../errors';
import { parseGrpcTarget } from './transport/grpc-target';

/** Credentials for the connection to an xDS server (gRFC A27 `insecure`, A65 `tls`). */
export type XdsChannelCreds =
  | { readonly type: 'insecure' }
  | {
      readonly type: 'tls';
      /** PEM file of the CA that signed the server certificate; system roots when absent. */
      readonly caCertificateFile?: string;
      /** Client certificate chain (PEM) for mTLS; needs `privateKeyFile`. */
      readonly certificateFile?: string;
      /** Client private key (PEM) for mTLS; needs `certificateFile`. */
      readonly privateKeyFile?: string;
    };

/** One entry of `xds_servers`, in priority order (the first is the primary, A71). */
export interface XdsServerConfig {
  /** A gRPC target: `host:port`, `dns:///host:port`, `unix:///path`. */
  readonly serverUri: string;
  /** The first supported entry of `channel_creds`. */
  readonly channelCreds: XdsChannelCreds;
  readonly serverFeatures: readonly string[];
  /** A53: keep LDS/CDS resources a SotW response leaves out instead of deleting them. */
  readonly ignoreResourceDeletion: boolean;
}

/** The bootstrap's `node`, in the JSON form of envoy.config.core.v3.Node. */
export interface XdsNodeConfig {
  readonly id: string;
  readonly cluster: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly locality?: { readonly region: string; readonly zone: string; readonly sub_zone: string };
}

/** A validated xDS bootstrap (xds-reference §6.5). Unknown keys are ignored. */
export interface XdsBootstrap {
  readonly xdsServers: readonly XdsServerConfig[];
  readonly node: XdsNodeConfig;
  /** `certificate_providers`: instance name → `{plugin_name, config}`, kept as given. */
  readonly certificateProviders: Readonly<Record<string, { readonly plugin_name: string; readonly config: unknown }>>;
  /** LDS name for a dial target; `%s` is replaced by the target (A47). Default `%s`. */
  readonly clientDefaultListenerResourceNameTemplate: string;
  readonly serverListenerResourceNameTemplate?: string;
}

function fail(field: string, problem: string, cause?: unknown): never {
  throw new InvalidConfigError(field, problem, { code: ErrorCode.INVALID_BOOTSTRAP, cause });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(o: Record<string, unknown>, key: string, field: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`${field}.${key}`, `must be a string, got ${typeof v}`);
  return v;
}

function parseCreds(list: unknown, field: string): XdsChannelCreds {
  if (!Array.isArray(list) || list.length === 0) fail(field, 'must be a non-empty array');
  const seen: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const c: unknown = list[i];
    if (!isObject(c)) fail(`${field}[${i}]`, 'must be an object');
    if (typeof c.type !== 'string') fail(`${field}[${i}].type`, 'must be a string');
    seen.push(c.type);
    if (c.type === 'insecure') return { type: 'insecure' };
    if (c.type === 'tls') {
      const config = c.config ?? {};
      if (!isObject(config)) fail(`${field}[${i}].config`, 'must be an object');
      const at = `${field}[${i}].config`;
      const caCertificateFile = optionalString(config, 'ca_certificate_file', at);
      const certificateFile = optionalString(config, 'certificate_file', at);
      const privateKeyFile = optionalString(config, 'private_key_file', at);
      if ((certificateFile === undefined) !== (privateKeyFile === undefined)) {
        fail(at, 'certificate_file and private_key_file must be set together');
      }
      return {
        type: 'tls',
        ...(caCertificateFile ? { caCertificateFile } : {}),
        ...(certificateFile ? { certificateFile } : {}),
        ...(privateKeyFile ? { privateKeyFile } : {}),
      };
    }
  }
  return fail(field, `no supported channel credentials (insecure, tls) among [${seen.join(', ')}]`);
}

function parseServers(v: unknown, field: string): XdsServerConfig[] {
  if (!Array.isArray(v) || v.length === 0) fail(field, 'must be a non-empty array');
  return v.map((s: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(s)) fail(at, 'must be an object');
    if (typeof s.server_uri !== 'string' || s.server_uri === '') fail(`${at}.server_uri`, 'must be a non-empty string');
    // Rejects what cannot be dialled now, naming the key, rather than at the first connection.
    parseGrpcTarget(s.server_uri, `${at}.server_uri`);
    const features = s.server_features ?? [];
    if (!Array.isArray(features) || features.some((f) => typeof f !== 'string')) {
      fail(`${at}.server_features`, 'must be an array of strings');
    }
    const serverFeatures = Object.freeze([...(features as string[])]);
    return Object.freeze({
      serverUri: s.server_uri,
      channelCreds: Object.freeze(parseCreds(s.channel_creds, `${at}.channel_creds`)),
      serverFeatures,
      ignoreResourceDeletion: serverFeatures.includes('ignore_resource_deletion'),
    });
  });
}

function parseNode(v: unknown): XdsNodeConfig {
  if (v === undefined || v === null) return { id: '', cluster: '', metadata: {} };
  if (!isObject(v)) fail('node', 'must be an object');
  const id = optionalString(v, 'id', 'node') ?? '';
  const cluster = optionalString(v, 'cluster', 'node') ?? '';
  const metadata = v.metadata ?? {};
  if (!isObject(metadata)) fail('node.metadata', 'must be an object');
  let locality: XdsNodeConfig['locality'];
  if (v.locality !== undefined && v.locality !== null) {
    if (!isObject(v.locality)) fail('node.locality', 'must be an object');
    locality = Object.freeze({
      region: optionalString(v.locality, 'region', 'node.locality') ?? '',
      zone: optionalString(v.locality, 'zone', 'node.locality') ?? '',
      sub_zone: optionalString(v.locality, 'sub_zone', 'node.locality') ?? '',
    });
  }
  return Object.freeze({ id, cluster, metadata: Object.freeze({ ...metadata }), ...(locality ? { locality } : {}) });
}

function parseProviders(v: unknown): XdsBootstrap['certificateProviders'] {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) fail('certificate_providers', 'must be an object');
  const out: Record<string, { plugin_name: string; config: unknown }> = {};
  for (const [name, p] of Object.entries(v)) {
    const at = `certificate_providers.${name}`;
    if (!isObject(p)) fail(at, 'must be an object');
    if (typeof p.plugin_name !== 'string') fail(`${at}.plugin_name`, 'must be a string');
    out[name] = Object.freeze({ plugin_name: p.plugin_name, config: p.config ?? {} });
  }
  return Object.freeze(out);
}

/** Validates a parsed bootstrap object. Every problem is an InvalidConfigError (MESH_ERR_INVALID_BOOTSTRAP). */
export function parseBootstrap(raw: unknown): XdsBootstrap {
  if (!isObject(raw)) fail('', 'the bootstrap must be a JSON object');
  const template = optionalString(raw, 'client_default_listener_resource_name_template', '') ?? '%s';
  const serverTemplate = optionalString(raw, 'server_listener_resource_name_template', '');
  return Object.freeze({
    xdsServers: Object.freeze(parseServers(raw.xds_servers, 'xds_servers')),
    node: parseNode(raw.node),
    certificateProviders: parseProviders(raw.certificate_providers),
    clientDefaultListenerResourceNameTemplate: template,
    ...(serverTemplate !== undefined ? { serverListenerResourceNameTemplate: serverTemplate } : {}),
  });
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    return fail(field, `invalid JSON: ${(e as Error).message}`, e);
  }
}

function readFile(file: string, field: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail(field, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, e);
  }
}

/**
 * Loads the bootstrap: from `input` when given (an object, JSON text, or a file path), else from
 * the file named by `GRPC_XDS_BOOTSTRAP`, else from the JSON in `GRPC_XDS_BOOTSTRAP_CONFIG`.
 */
export function loadBootstrap(input?: string | object, env: NodeJS.ProcessEnv = process.env): XdsBootstrap {
  if (input !== undefined && typeof input !== 'string') return parseBootstrap(input);
  if (typeof input === 'string') {
    if (input.trimStart().startsWith('{')) return parseBootstrap(parseJson(input, 'bootstrap'));
    return parseBootstrap(parseJson(readFile(input, 'bootstrap'), 'bootstrap'));
  }
  const file = env.GRPC_XDS_BOOTSTRAP;
  if (file) return parseBootstrap(parseJson(readFile(file, 'GRPC_XDS_BOOTSTRAP'), 'GRPC_XDS_BOOTSTRAP'));
  const config = env.GRPC_XDS_BOOTSTRAP_CONFIG;
  if (config) return parseBootstrap(parseJson(config, 'GRPC_XDS_BOOTSTRAP_CONFIG'));
  return fail('bootstrap', 'no bootstrap: pass xds.bootstrap, or set GRPC_XDS_BOOTSTRAP or GRPC_XDS_BOOTSTRAP_CONFIG');
}
