import * as sinon from 'sinon';
import type * as grpc from '@grpc/grpc-js';
import { createCluster, type LbPolicy } from '../../../src/model/cluster';
import { createEndpoint } from '../../../src/model/endpoint';
import { createMeshSnapshot, type MeshSnapshot } from '../../../src/model/mesh-snapshot';
import type { Route, RouteTable } from '../../../src/model/route-table';
import { loadGrpc } from '../../../src/testing/load-grpc';
import type { Clock } from '../../../src/clock';
import { encodeMessage, messageNameOf } from '../../../src/sources/xds/protos';
import { adsServiceDefinition } from '../../../src/testing/ads-service-definition';
import { TypeUrl } from '../../../src/sources/xds/type-urls';
import type { WireDeltaDiscoveryRequest, WireDiscoveryRequest } from '../../../src/sources/xds/wire-types';
import type { XdsSource } from '../../../src/sources/xds/xds-source';
import {
  clusterLoadAssignmentOf,
  clusterOf,
  listenerOf,
  routeConfigurationOf,
} from '../../../src/testing/xds-snapshot-encoder';

/** A fake clock that is not installed globally (grpc-js keeps its real timers). */
export function fakeClock(): { clock: Clock; tick(ms: number): void; restore(): void } {
  const g = { Date, setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate };
  // `global` installs the fake timers on this private object only (sinon passes it to fake-timers).
  const fake = sinon.useFakeTimers({ global: g, toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_700_000_000_000 } as Parameters<typeof sinon.useFakeTimers>[0]);
  return {
    clock: {
      now: () => g.Date.now(),
      setTimeout: (fn, ms) => g.setTimeout(fn, ms),
      clearTimeout: (h) => g.clearTimeout(h as never),
    },
    tick: (ms) => void fake.tick(ms),
    restore: () => fake.restore(),
  };
}

/** A route sending every path to `action`. */
export function catchAllRoute(action: Route['action']): Route {
  return {
    match: { path: { kind: 'prefix', value: '/' }, caseSensitive: true, headers: [], queryParameters: [] },
    action,
    hashPolicies: [],
  };
}

/** A route table with one `*` virtual host and one catch-all route. */
export function routeTable(name: string, action: Route['action']): RouteTable {
  return { name, virtualHosts: [{ name: 'vh', domains: ['*'], routes: [catchAllRoute(action)] }] };
}

/** The canonical test mesh: target `reviews:9080` split 90/10 between clusters v1 and v2. */
export function canarySnapshot(opts: { v1Policy?: LbPolicy; weights?: [number, number] } = {}): MeshSnapshot {
  const [w1, w2] = opts.weights ?? [90, 10];
  return createMeshSnapshot({
    listeners: [{ name: 'reviews:9080', routeTableName: 'reviews-routes' }],
    routeTables: [
      routeTable('reviews-routes', {
        kind: 'weightedClusters',
        clusters: [
          { name: 'v1', weight: w1 },
          { name: 'v2', weight: w2 },
        ],
      }),
    ],
    clusters: [
      createCluster({
        name: 'v1',
        ...(opts.v1Policy ? { lbPolicy: opts.v1Policy } : {}),
        endpoints: [createEndpoint({ host: '10.0.0.1', port: 9080, labels: { version: 'v1' } })],
      }),
      createCluster({ name: 'v2', endpoints: [createEndpoint({ host: '10.0.0.2', port: 9080, labels: { version: 'v2' } })] }),
    ],
  });
}

/** Resolves with the first snapshot of `source` that satisfies `predicate` (the current one included). */
export function snapshotWhere(source: XdsSource, predicate: (s: MeshSnapshot) => boolean): Promise<MeshSnapshot> {
  if (source.synced && predicate(source.snapshot)) return Promise.resolve(source.snapshot);
  return new Promise((resolve) => {
    const on = (s: MeshSnapshot) => {
      if (!predicate(s)) return;
      source.off('changed', on);
      resolve(s);
    };
    source.on('changed', on);
  });
}

/* eslint-disable @typescript-eslint/no-explicit-any -- test helper over emitters of any event map */
type AnyEmitter = { on(e: string, f: (...a: any[]) => void): unknown; off(e: string, f: (...a: any[]) => void): unknown };

/** Resolves with the arguments of the next emission of `event` that satisfy `predicate`. */
export function nextEvent(emitter: AnyEmitter, event: string, predicate: (...args: any[]) => boolean = () => true): Promise<any[]> {
  return new Promise((resolve) => {
    const on = (...args: any[]) => {
      if (!predicate(...args)) return;
      emitter.off(event, on);
      resolve(args);
    };
    emitter.on(event, on);
  });
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Any helpers: encode model pieces (or raw objects) as resources with the lean protos. */
export const res = {
  any(typeUrl: string, value: object): { type_url: string; value: Buffer } {
    return { type_url: typeUrl, value: encodeMessage(messageNameOf(typeUrl), value) };
  },
  listener(name: string, routeTableName: string) {
    return res.any(TypeUrl.LISTENER, listenerOf({ name, routeTableName }));
  },
  routes(name: string, clusters: string[]) {
    const action: Route['action'] =
      clusters.length === 1
        ? { kind: 'cluster', cluster: clusters[0]! }
        : { kind: 'weightedClusters', clusters: clusters.map((c) => ({ name: c, weight: 1 })) };
    return res.any(TypeUrl.ROUTE_CONFIGURATION, routeConfigurationOf(routeTable(name, action)));
  },
  cluster(name: string, extra: object = {}) {
    return res.any(TypeUrl.CLUSTER, { ...clusterOf(createCluster({ name })), ...extra });
  },
  endpoints(name: string, hosts: string[]) {
    const c = createCluster({ name, endpoints: hosts.map((h) => createEndpoint({ host: h, port: 80 })) });
    return res.any(TypeUrl.CLUSTER_LOAD_ASSIGNMENT, clusterLoadAssignmentOf(c));
  },
};

type AnyRequest = WireDiscoveryRequest & WireDeltaDiscoveryRequest;

/** One client stream on a {@link RawAdsServer}: read requests in order, write exact responses. */
export class RawStream {
  readonly kind: 'sotw' | 'delta';
  readonly call: grpc.ServerDuplexStream<object, object>;
  readonly received: AnyRequest[] = [];
  readonly #read = new Set<number>();
  #waiters: (() => void)[] = [];
  ended = false;

  constructor(kind: 'sotw' | 'delta', call: grpc.ServerDuplexStream<object, object>) {
    this.kind = kind;
    this.call = call;
    call.on('data', (r: object) => {
      this.received.push(r as AnyRequest);
      for (const w of this.#waiters.splice(0)) w();
    });
    const end = () => {
      this.ended = true;
      for (const w of this.#waiters.splice(0)) w();
    };
    call.on('end', end);
    call.on('cancelled', end);
    call.on('error', end);
  }

  /** The next unread request (optionally the next unread one of a type; others stay unread). */
  async next(typeUrl?: string): Promise<AnyRequest> {
    for (;;) {
      const i = this.received.findIndex((r, j) => !this.#read.has(j) && (!typeUrl || r.type_url === typeUrl));
      if (i !== -1) {
        this.#read.add(i);
        return this.received[i]!;
      }
      if (this.ended) throw new Error('stream ended');
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Requests not read yet (without waiting). */
  pending(): AnyRequest[] {
    return this.received.filter((_, j) => !this.#read.has(j));
  }

  send(response: object): void {
    this.call.write(response);
  }

  /** Ends the stream from the server side. */
  end(): void {
    this.call.end();
  }
}

/** A bare ADS server over loopback for conformance checks that need exact control of responses. */
export class RawAdsServer {
  readonly streams: RawStream[] = [];
  #server: grpc.Server | undefined;
  #waiters: (() => void)[] = [];
  port = 0;

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    const g = loadGrpc();
    const server = new g.Server();
    server.addService(
      adsServiceDefinition(),
      {
        StreamAggregatedResources: (call: grpc.ServerDuplexStream<object, object>) => this.#add(new RawStream('sotw', call)),
        DeltaAggregatedResources: (call: grpc.ServerDuplexStream<object, object>) => this.#add(new RawStream('delta', call)),
      } as unknown as grpc.UntypedServiceImplementation,
    );
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, g.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    this.#server = server;
  }

  #add(s: RawStream): void {
    this.streams.push(s);
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves with stream number `index` (0-based) once it has been opened. */
  async stream(index: number): Promise<RawStream> {
    while (this.streams.length <= index) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return this.streams[index]!;
  }

  stop(): void {
    this.#server?.forceShutdown();
    this.#server = undefined;
  }

  bootstrap(features: string[] = ['xds_v3']): object {
    return {
      xds_servers: [{ server_uri: this.address, channel_creds: [{ type: 'insecure' }], server_features: features }],
      node: { id: 'sidecar~127.0.0.1~app-1.default~default.svc.cluster.local', metadata: { GENERATOR: 'grpc', NAMESPACE: 'default' } },
    };
  }
}
