import { networkInterfaces } from 'node:os';
import { InvalidConfigError } from '../../errors';
import { systemClock, type Clock } from '../../clock';
import { defaultNacosLogger, type NacosLogger } from './nacos-log';
import { DEFAULT_RPC_TIMING, type NacosRpcTiming } from './nacos-rpc-client';
import { clusterProblem, groupProblem, ipProblem, metadataProblem, namespaceProblem, serviceNameProblem } from './name-rules';
import { DEFAULT_NAMESPACE } from './namespace-defaults';
import { GRPC_PORT_OFFSET, parseServerAddress, type NacosServerAddress, type NacosServerEntry } from './server-address';

/** This process's own instance, registered as an ephemeral Nacos instance while the source runs. */
export interface NacosRegistration {
  /** Service name (Spring Cloud / Dubbo application name). */
  readonly service: string;
  /** IP to advertise; default: the first non-internal IPv4 address of this host. */
  readonly ip?: string;
  /** Port to advertise, 1..65535. */
  readonly port: number;
  /** Nacos weight, > 0 (default 1). */
  readonly weight?: number;
  /** Instance metadata, e.g. `{ version: 'v2' }` (≤ 1024 characters as JSON). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Nacos cluster name (default `DEFAULT`). */
  readonly cluster?: string;
  /** Group (default: the source's group). */
  readonly group?: string;
}

/** Options of the Nacos 2.x source. Validated at construction; every error names the field. */
export interface NacosSourceOptions {
  /**
   * Nacos servers: `host[:port]` (port 8848 by default; gRPC is dialed at port + 1000) or
   * `{ host, port, grpcPort }` with an explicit gRPC port. At least one.
   */
  readonly servers: readonly NacosServerEntry[];
  /**
   * Namespace id for watches without one and for registration (default `public`; `""` means the
   * default too, as in the Java client). Config requests of the default namespace send tenant `""`.
   */
  readonly namespace?: string;
  /** Group for watches without one and for registration (default `DEFAULT_GROUP`). */
  readonly group?: string;
  /** Login name; with `password`, turns on token auth (§4). */
  readonly username?: string;
  /** Login password; never logged or dumped. */
  readonly password?: string;
  /** HTTP context path of the login endpoint (default `/nacos`). */
  readonly contextPath?: string;
  /** Sent as the `AppName` connection label (default `sidecarless`). */
  readonly appName?: string;
  /** Register this process as an instance. */
  readonly register?: NacosRegistration;
  /**
   * Keep the last instance list when a push has no usable instance (none healthy with weight
   * > 0), as Nacos' `namingPushEmptyProtection`. Default true.
   */
  readonly pushEmptyProtection?: boolean;
  /**
   * Read traffic rules of each watched service from config data id `<service>.mesh.yaml` in this
   * group. Default `SIDECARLESS`; `false` turns rules off (no config connection).
   */
  readonly rulesGroup?: string | false;
  /** Offset of the gRPC port from the main port (default 1000). */
  readonly grpcPortOffset?: number;
  /** Timing overrides (ms): request timeout, heartbeat interval, SetupAck wait, retries. */
  readonly timing?: Partial<NacosRpcTiming>;
  /** Pause between redo attempts after a failed re-registration (default 3000 ms). */
  readonly redoDelayMs?: number;
  /** Clock for timers (heartbeat, backoff, token refresh); default the real clock. */
  readonly clock?: Clock;
  /** Log sink; default `NODE_DEBUG=sidecarless`. Never receives secrets. */
  readonly logger?: NacosLogger;
}

/** Options after validation, with defaults filled in. */
export interface ResolvedNacosSourceOptions {
  readonly servers: readonly NacosServerAddress[];
  readonly namespace: string;
  readonly group: string;
  readonly credentials: { readonly username: string; readonly password: string } | undefined;
  readonly contextPath: string;
  readonly appName: string;
  readonly register: Required<Omit<NacosRegistration, 'metadata'>> & { readonly metadata: Readonly<Record<string, string>> } | undefined;
  readonly pushEmptyProtection: boolean;
  readonly rulesGroup: string | false;
  readonly timing: NacosRpcTiming;
  readonly redoDelayMs: number;
  readonly clock: Clock;
  readonly logger: NacosLogger;
  readonly clientIp: string;
}

/** The first non-internal IPv4 address, else 127.0.0.1. */
export function localIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function name(field: string, value: unknown, check: (v: string) => string | undefined): string {
  if (typeof value !== 'string') throw new InvalidConfigError(field, 'must be a string');
  const problem = check(value);
  if (problem) throw new InvalidConfigError(field, `"${value}" ${problem}`);
  return value;
}

function positiveInt(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new InvalidConfigError(field, 'must be an integer >= 0');
  return value;
}

/** Validates and normalises {@link NacosSourceOptions}. */
export function resolveNacosSourceOptions(o: NacosSourceOptions): ResolvedNacosSourceOptions {
  if (!o || typeof o !== 'object') throw new InvalidConfigError('nacos', 'options must be an object');
  if (!Array.isArray(o.servers) || o.servers.length === 0) throw new InvalidConfigError('servers', 'must list at least one server');
  const offset = o.grpcPortOffset ?? GRPC_PORT_OFFSET;
  if (!Number.isInteger(offset)) throw new InvalidConfigError('grpcPortOffset', 'must be an integer');
  const servers = o.servers.map((s, i) => parseServerAddress(s, `servers[${i}]`, offset));
  // Java's InitUtils.initNamespaceForNaming: an empty namespace is the default one.
  const namespace = o.namespace === undefined || o.namespace === '' ? DEFAULT_NAMESPACE : name('namespace', o.namespace, namespaceProblem);
  const group = o.group === undefined ? 'DEFAULT_GROUP' : name('group', o.group, groupProblem);
  if ((o.username === undefined) !== (o.password === undefined)) {
    throw new InvalidConfigError(o.username === undefined ? 'username' : 'password', 'username and password must be given together');
  }
  if (o.username !== undefined && (typeof o.username !== 'string' || o.username === '')) throw new InvalidConfigError('username', 'must be a non-empty string');
  if (o.password !== undefined && typeof o.password !== 'string') throw new InvalidConfigError('password', 'must be a string');
  const contextPath = o.contextPath ?? '/nacos';
  if (typeof contextPath !== 'string' || (contextPath !== '' && !contextPath.startsWith('/'))) {
    throw new InvalidConfigError('contextPath', 'must be empty or start with "/"');
  }
  let register: ResolvedNacosSourceOptions['register'];
  if (o.register !== undefined) {
    const r = o.register;
    if (!r || typeof r !== 'object') throw new InvalidConfigError('register', 'must be an object');
    const service = name('register.service', r.service, serviceNameProblem);
    if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) throw new InvalidConfigError('register.port', 'must be an integer 1..65535');
    const weight = r.weight ?? 1;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > 10_000) {
      throw new InvalidConfigError('register.weight', 'must be a number > 0 and <= 10000');
    }
    const metadata = { ...(r.metadata ?? {}) };
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new InvalidConfigError(`register.metadata.${k}`, 'must be a string');
    const mp = metadataProblem(metadata);
    if (mp) throw new InvalidConfigError('register.metadata', mp);
    register = Object.freeze({
      service,
      port: r.port,
      weight,
      metadata: Object.freeze(metadata),
      ip: r.ip === undefined ? localIPv4() : name('register.ip', r.ip, ipProblem),
      cluster: r.cluster === undefined ? 'DEFAULT' : name('register.cluster', r.cluster, clusterProblem),
      group: r.group === undefined ? group : name('register.group', r.group, groupProblem),
    });
  }
  const rulesGroup = o.rulesGroup === undefined ? 'SIDECARLESS' : o.rulesGroup === false ? false : name('rulesGroup', o.rulesGroup, groupProblem);
  const t = o.timing ?? {};
  const timing: NacosRpcTiming = Object.freeze({
    requestTimeoutMs: t.requestTimeoutMs === undefined ? DEFAULT_RPC_TIMING.requestTimeoutMs : positiveInt('timing.requestTimeoutMs', t.requestTimeoutMs),
    healthCheckIntervalMs:
      t.healthCheckIntervalMs === undefined ? DEFAULT_RPC_TIMING.healthCheckIntervalMs : positiveInt('timing.healthCheckIntervalMs', t.healthCheckIntervalMs),
    setupAckTimeoutMs: t.setupAckTimeoutMs === undefined ? DEFAULT_RPC_TIMING.setupAckTimeoutMs : positiveInt('timing.setupAckTimeoutMs', t.setupAckTimeoutMs),
    retryTimes: t.retryTimes === undefined ? DEFAULT_RPC_TIMING.retryTimes : positiveInt('timing.retryTimes', t.retryTimes),
  });
  return Object.freeze({
    servers: Object.freeze(servers),
    namespace,
    group,
    credentials: o.username === undefined ? undefined : Object.freeze({ username: o.username, password: o.password! }),
    contextPath,
    appName: o.appName ?? 'sidecarless',
    register,
    pushEmptyProtection: o.pushEmptyProtection ?? true,
    rulesGroup,
    timing,
    redoDelayMs: o.redoDelayMs === undefined ? 3000 : positiveInt('redoDelayMs', o.redoDelayMs),
    clock: o.clock ?? systemClock,
    logger: o.logger ?? defaultNacosLogger,
    clientIp: register?.ip ?? localIPv4(),
  });
}
