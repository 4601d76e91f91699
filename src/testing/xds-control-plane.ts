import { createHash } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import type * as grpc from '@grpc/grpc-js';
import type { MeshSnapshot } from '../model/mesh-snapshot';
import { loadMeshConfigFile, parseMeshConfig } from '../sources/file/mesh-config';
import { loadGrpc } from './load-grpc';
import type {
  WireDeltaDiscoveryRequest,
  WireDiscoveryRequest,
  WireNode,
} from '../sources/xds/wire-types';
import { adsServiceDefinition } from './ads-service-definition';
import { encodeSnapshot, type EncodedResource, type EncodedSnapshot } from './xds-snapshot-encoder';

/** Options of {@link XdsControlPlane}. */
export interface XdsControlPlaneOptions {
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /**
   * Listen on this Unix domain socket instead of TCP (`host` and `port` are then unused), the way
   * istio-agent serves xDS to proxyless clients on `unix:///etc/istio/proxy/XDS`.
   */
  socketPath?: string;
  /** Server credentials (TLS); default insecure. */
  credentials?: grpc.ServerCredentials;
  /** The initial state. */
  snapshot?: MeshSnapshot;
}

/** A NACK received from a client. */
export interface ReceivedNack {
  readonly typeUrl: string;
  readonly nonce: string;
  readonly version: string;
  readonly message: string;
}

/** What the control plane knows about one client stream. */
export interface ControlPlaneStream {
  readonly id: number;
  readonly kind: 'sotw' | 'delta';
  /** The node of the first request. */
  node: WireNode | undefined;
  /** Every request received, in order. */
  readonly requests: (WireDiscoveryRequest | WireDeltaDiscoveryRequest)[];
  /** ACK count per type URL. */
  readonly acks: Map<string, number>;
  readonly nacks: ReceivedNack[];
  /** Subscribed names per type URL. */
  readonly subscriptions: Map<string, Set<string>>;
  open: boolean;
}

/** Events of {@link XdsControlPlane}. */
export interface XdsControlPlaneEvents {
  request: (request: WireDiscoveryRequest | WireDeltaDiscoveryRequest, stream: ControlPlaneStream) => void;
  ack: (typeUrl: string, stream: ControlPlaneStream) => void;
  nack: (nack: ReceivedNack, stream: ControlPlaneStream) => void;
  response: (response: { type_url: string; nonce: string }, stream: ControlPlaneStream) => void;
  stream: (stream: ControlPlaneStream) => void;
}

interface StreamImpl {
  readonly info: ControlPlaneStream;
  readonly call: grpc.ServerDuplexStream<object, object>;
  nonce: number;
  /** Per type: the nonce of the last response sent. */
  readonly lastNonce: Map<string, string>;
  /** Per type: bytes digests the client was sent (SotW) or told it has (delta). */
  readonly sent: Map<string, Map<string, string>>;
}

function digest(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex').slice(0, 16);
}

/**
 * A real ADS server (SotW and delta) for tests, demos and local development: serves a
 * {@link MeshSnapshot} as LDS/RDS/CDS/EDS over loopback, pushes changes, records ACKs and NACKs per
 * stream, and has fault hooks (break streams, delay or stop responses, inject raw or invalid
 * resources, restart on the same port). Not a production control plane.
 */
export class XdsControlPlane extends EventEmitter<XdsControlPlaneEvents> {
  readonly #host: string;
  readonly #socketPath: string | undefined;
  readonly #credentials: grpc.ServerCredentials | undefined;
  #port: number;
  #server: grpc.Server | undefined;
  #resources: EncodedSnapshot = new Map();
  readonly #overrides = new Map<string, Map<string, EncodedResource | null>>();
  #version = 0;
  readonly #streams = new Set<StreamImpl>();
  readonly #allStreams: ControlPlaneStream[] = [];
  #nextStreamId = 1;
  #delayMs = 0;
  #paused = false;
  readonly #held: (() => void)[] = [];

  constructor(options: XdsControlPlaneOptions = {}) {
    super();
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    this.#socketPath = options.socketPath;
    this.#credentials = options.credentials;
    if (options.snapshot) this.#resources = encodeSnapshot(options.snapshot);
  }

  /** The bound port (after {@link start}). */
  get port(): number {
    return this.#port;
  }

  /** `host:port` (or `unix:///path` with `socketPath`) to put in a bootstrap's `server_uri`. */
  get address(): string {
    if (this.#socketPath !== undefined) return `unix://${this.#socketPath}`;
    return this.#host.includes(':') ? `[${this.#host}]:${this.#port}` : `${this.#host}:${this.#port}`;
  }

  /** Current version string (bumped by every change). */
  get version(): string {
    return String(this.#version);
  }

  /** Every stream seen since start (open or closed), oldest first. */
  get streams(): readonly ControlPlaneStream[] {
    return this.#allStreams;
  }

  /**
   * A gRPC xDS bootstrap pointing at this server (insecure unless `channelCreds` is given). `node`
   * always has a `locality` (empty by default): @grpc/grpc-js-xds rejects a bootstrap without one.
   */
  bootstrap(
    extra: {
      nodeId?: string;
      channelCreds?: object[];
      serverFeatures?: string[];
      metadata?: Record<string, unknown>;
      locality?: { region?: string; zone?: string; sub_zone?: string };
    } = {},
  ): {
    xds_servers: { server_uri: string; channel_creds: object[]; server_features: string[] }[];
    node: { id: string; metadata: Record<string, unknown>; locality: { region?: string; zone?: string; sub_zone?: string } };
  } {
    return {
      xds_servers: [
        { server_uri: this.address, channel_creds: extra.channelCreds ?? [{ type: 'insecure' }], server_features: extra.serverFeatures ?? ['xds_v3'] },
      ],
      node: {
        id: extra.nodeId ?? 'sidecar~127.0.0.1~test.default~default.svc.cluster.local',
        metadata: extra.metadata ?? { GENERATOR: 'grpc' },
        locality: extra.locality ?? {},
      },
    };
  }

  /** Starts listening. Resolves with the port. */
  async start(): Promise<number> {
    if (this.#server) return this.#port;
    const g = loadGrpc();
    const server = new g.Server();
    server.addService(adsServiceDefinition(), {
      StreamAggregatedResources: (call: grpc.ServerDuplexStream<object, object>) => this.#onStream(call, 'sotw'),
      DeltaAggregatedResources: (call: grpc.ServerDuplexStream<object, object>) => this.#onStream(call, 'delta'),
    } as unknown as grpc.UntypedServiceImplementation);
    const creds = this.#credentials ?? g.ServerCredentials.createInsecure();
    this.#port = await new Promise<number>((resolve, reject) => {
      const bindTo = this.#socketPath !== undefined ? `unix://${this.#socketPath}` : `${this.#host.includes(':') ? `[${this.#host}]` : this.#host}:${this.#port}`;
      server.bindAsync(bindTo, creds, (err, port) =>
        err ? reject(err) : resolve(port),
      );
    });
    this.#server = server;
    return this.#port;
  }

  /** Stops the server and every stream. The port is kept for {@link restart}. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const s of this.#streams) this.#closeStream(s);
    this.#streams.clear();
    server.forceShutdown();
  }

  /** Stops, then starts again on the same port (clients reconnect). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Replaces the state and pushes what changed to every stream. */
  setSnapshot(snapshot: MeshSnapshot): void {
    this.#resources = encodeSnapshot(snapshot);
    this.#changed();
  }

  /**
   * Serves a mesh.yaml / mesh.json: the text itself (when it contains a newline or starts with `{`)
   * or a file path. Invalid input throws an InvalidConfigError and leaves the served state unchanged.
   */
  async setMeshConfig(textOrPath: string): Promise<void> {
    const isText = textOrPath.includes('\n') || textOrPath.trimStart().startsWith('{');
    this.setSnapshot(isText ? parseMeshConfig(textOrPath) : await loadMeshConfigFile(textOrPath));
  }

  /**
   * Serves `any` (raw bytes under any type URL, even an invalid resource) as resource `name` of
   * `typeUrl`, overriding the snapshot; `null` hides the snapshot's resource of that name.
   */
  setRawResource(typeUrl: string, name: string, any: { type_url: string; value: Uint8Array } | null): void {
    let m = this.#overrides.get(typeUrl);
    if (!m) this.#overrides.set(typeUrl, (m = new Map()));
    m.set(name, any === null ? null : { name, any: { type_url: any.type_url, value: Buffer.from(any.value) } });
    this.#changed();
  }

  /** Removes every raw override. */
  clearRawResources(): void {
    this.#overrides.clear();
    this.#changed();
  }

  /** Ends every open stream (clients see the stream close and reconnect). */
  breakStreams(): void {
    for (const s of [...this.#streams]) this.#closeStream(s);
  }

  /** Delays every response by `ms` (0 restores immediate responses). */
  delayResponses(ms: number): void {
    this.#delayMs = ms;
  }

  /** Stops answering (requests are still recorded) until {@link resume}. */
  pause(): void {
    this.#paused = true;
  }

  /** Answers again, sending what was held back. */
  resume(): void {
    this.#paused = false;
    for (const send of this.#held.splice(0)) send();
  }

  // ---- internals ----

  #current(typeUrl: string): Map<string, EncodedResource> {
    const base = this.#resources.get(typeUrl) ?? new Map<string, EncodedResource>();
    const over = this.#overrides.get(typeUrl);
    if (!over) return base;
    const merged = new Map(base);
    for (const [name, r] of over) {
      if (r === null) merged.delete(name);
      else merged.set(name, r);
    }
    return merged;
  }

  #changed(): void {
    this.#version++;
    for (const s of this.#streams) {
      for (const typeUrl of s.info.subscriptions.keys()) {
        if (s.info.kind === 'sotw') this.#sendSotw(s, typeUrl, false);
        else this.#sendDelta(s, typeUrl, new Set());
      }
    }
  }

  #closeStream(s: StreamImpl): void {
    if (!s.info.open) return;
    s.info.open = false;
    this.#streams.delete(s);
    try {
      s.call.end();
    } catch {
      // already closed
    }
  }

  #onStream(call: grpc.ServerDuplexStream<object, object>, kind: 'sotw' | 'delta'): void {
    const info: ControlPlaneStream = {
      id: this.#nextStreamId++,
      kind,
      node: undefined,
      requests: [],
      acks: new Map(),
      nacks: [],
      subscriptions: new Map(),
      open: true,
    };
    const s: StreamImpl = { info, call, nonce: 0, lastNonce: new Map(), sent: new Map() };
    this.#streams.add(s);
    this.#allStreams.push(info);
    this.emit('stream', info);
    call.on('data', (req: object) => {
      if (!info.open) return;
      if (kind === 'sotw') this.#onSotwRequest(s, req as WireDiscoveryRequest);
      else this.#onDeltaRequest(s, req as WireDeltaDiscoveryRequest);
    });
    const done = () => {
      info.open = false;
      this.#streams.delete(s);
    };
    call.on('end', () => {
      done();
      try {
        call.end();
      } catch {
        // ignore
      }
    });
    call.on('error', done);
    call.on('cancelled', done);
  }

  #record(s: StreamImpl, req: WireDiscoveryRequest | WireDeltaDiscoveryRequest): void {
    if (!s.info.node && req.node) s.info.node = req.node;
    s.info.requests.push(req);
    this.emit('request', req, s.info);
  }

  #onSotwRequest(s: StreamImpl, req: WireDiscoveryRequest): void {
    this.#record(s, req);
    const typeUrl = req.type_url ?? '';
    const nonce = req.response_nonce ?? '';
    if (req.error_detail) {
      const nack = { typeUrl, nonce, version: req.version_info ?? '', message: req.error_detail.message ?? '' };
      s.info.nacks.push(nack);
      this.emit('nack', nack, s.info);
      return; // like istiod: a NACK is not answered and carries no subscription change
    }
    const last = s.lastNonce.get(typeUrl);
    if (nonce !== '' && last !== undefined && nonce !== last) return; // stale (istiod ShouldRespond)
    const names = new Set(req.resource_names ?? []);
    const previous = s.info.subscriptions.get(typeUrl);
    const changed = !previous || previous.size !== names.size || [...names].some((n) => !previous.has(n));
    s.info.subscriptions.set(typeUrl, names);
    if (nonce !== '' && nonce === last && !changed) {
      s.info.acks.set(typeUrl, (s.info.acks.get(typeUrl) ?? 0) + 1);
      this.emit('ack', typeUrl, s.info);
      return;
    }
    if (nonce !== '' && nonce === last) {
      s.info.acks.set(typeUrl, (s.info.acks.get(typeUrl) ?? 0) + 1);
      this.emit('ack', typeUrl, s.info);
    }
    this.#sendSotw(s, typeUrl, true);
  }

  #sendSotw(s: StreamImpl, typeUrl: string, force: boolean): void {
    const names = s.info.subscriptions.get(typeUrl);
    if (!names) return;
    const current = this.#current(typeUrl);
    const chosen = [...names].map((n) => current.get(n)).filter((r): r is EncodedResource => r !== undefined);
    const digests = new Map(chosen.map((r) => [r.name, digest(r.any.value)]));
    const sent = s.sent.get(typeUrl);
    const same = sent && sent.size === digests.size && [...digests].every(([n, d]) => sent.get(n) === d);
    if (same && !force) return;
    s.sent.set(typeUrl, digests);
    const nonce = String(++s.nonce);
    s.lastNonce.set(typeUrl, nonce);
    // RDS/EDS may carry only what changed, but the full subscribed set is simplest and valid.
    const response = { version_info: this.version, type_url: typeUrl, nonce, resources: chosen.map((r) => r.any) };
    this.#deliver(s, response);
  }

  #onDeltaRequest(s: StreamImpl, req: WireDeltaDiscoveryRequest): void {
    this.#record(s, req);
    const typeUrl = req.type_url ?? '';
    if (req.error_detail) {
      const nack = { typeUrl, nonce: req.response_nonce ?? '', version: '', message: req.error_detail.message ?? '' };
      s.info.nacks.push(nack);
      this.emit('nack', nack, s.info);
    } else if (req.response_nonce) {
      s.info.acks.set(typeUrl, (s.info.acks.get(typeUrl) ?? 0) + 1);
      this.emit('ack', typeUrl, s.info);
    }
    let subs = s.info.subscriptions.get(typeUrl);
    if (!subs) s.info.subscriptions.set(typeUrl, (subs = new Set()));
    let known = s.sent.get(typeUrl);
    if (!known) s.sent.set(typeUrl, (known = new Map()));
    for (const [name, version] of Object.entries(req.initial_resource_versions ?? {})) known.set(name, version);
    const added = new Set<string>();
    for (const n of req.resource_names_subscribe ?? []) {
      subs.add(n);
      added.add(n);
    }
    for (const n of req.resource_names_unsubscribe ?? []) {
      subs.delete(n);
      known.delete(n);
    }
    if (added.size > 0) this.#sendDelta(s, typeUrl, added);
  }

  /** Sends changed resources and removals; `fresh` names are answered even when unchanged or missing. */
  #sendDelta(s: StreamImpl, typeUrl: string, fresh: ReadonlySet<string>): void {
    const subs = s.info.subscriptions.get(typeUrl);
    const known = s.sent.get(typeUrl);
    if (!subs || !known) return;
    const current = this.#current(typeUrl);
    const resources: { name: string; version: string; resource: object }[] = [];
    const removed: string[] = [];
    for (const name of subs) {
      const r = current.get(name);
      if (r) {
        const version = digest(r.any.value);
        if (known.get(name) === version && !(fresh.has(name) && !known.has(name))) continue;
        known.set(name, version);
        resources.push({ name, version, resource: r.any });
      } else if (known.has(name) || fresh.has(name)) {
        known.delete(name);
        removed.push(name);
      }
    }
    if (resources.length === 0 && removed.length === 0) return;
    const nonce = String(++s.nonce);
    s.lastNonce.set(typeUrl, nonce);
    this.#deliver(s, { system_version_info: this.version, type_url: typeUrl, nonce, resources, removed_resources: removed });
  }

  #deliver(s: StreamImpl, response: { type_url: string; nonce: string; [field: string]: unknown }): void {
    const send = () => {
      if (!s.info.open) return;
      s.call.write(response);
      this.emit('response', response, s.info);
    };
    if (this.#paused) this.#held.push(send);
    else if (this.#delayMs > 0) setTimeout(send, this.#delayMs);
    else send();
  }
}
