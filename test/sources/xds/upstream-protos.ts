import * as path from 'node:path';
import type { Root, Type } from 'protobufjs';
import { loadProtoRoot } from '../../../src/sources/xds/protos';

const DEPS = path.join(__dirname, '../../../../node_modules/@grpc/grpc-js-xds/deps');

let upstream: Root | undefined;

/**
 * The complete upstream Envoy/xDS protos shipped with @grpc/grpc-js-xds (a devDependency), used to
 * prove that the lean protos are wire-identical: we decode what we send with them, and encode
 * fixtures with them.
 */
export function upstreamRoot(): Root {
  if (upstream) return upstream;
  const protobufjsDir = path.dirname(require.resolve('protobufjs/package.json'));
  upstream = loadProtoRoot(
    [
      'envoy/service/discovery/v3/ads.proto',
      'envoy/config/listener/v3/listener.proto',
      'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
      'envoy/extensions/filters/http/router/v3/router.proto',
      'envoy/extensions/filters/http/fault/v3/fault.proto',
      'envoy/config/route/v3/route.proto',
      'envoy/config/cluster/v3/cluster.proto',
      'envoy/extensions/clusters/aggregate/v3/cluster.proto',
      'envoy/config/endpoint/v3/endpoint.proto',
      'envoy/extensions/load_balancing_policies/round_robin/v3/round_robin.proto',
      'envoy/extensions/load_balancing_policies/ring_hash/v3/ring_hash.proto',
      'envoy/extensions/load_balancing_policies/least_request/v3/least_request.proto',
      'envoy/extensions/load_balancing_policies/wrr_locality/v3/wrr_locality.proto',
      'envoy/extensions/load_balancing_policies/client_side_weighted_round_robin/v3/client_side_weighted_round_robin.proto',
      'envoy/extensions/load_balancing_policies/pick_first/v3/pick_first.proto',
      'envoy/extensions/load_balancing_policies/maglev/v3/maglev.proto',
      'envoy/extensions/load_balancing_policies/random/v3/random.proto',
      'envoy/extensions/transport_sockets/tls/v3/tls.proto',
      'xds/type/v3/typed_struct.proto',
      'udpa/type/v1/typed_struct.proto',
      'google/rpc/status.proto',
    ],
    [
      path.join(DEPS, 'envoy-api'),
      path.join(DEPS, 'xds'),
      path.join(DEPS, 'googleapis'),
      path.join(DEPS, 'protoc-gen-validate'),
      protobufjsDir,
    ],
  );
  return upstream;
}

/** An upstream message type by fully-qualified name. */
export function upstreamType(name: string): Type {
  return upstreamRoot().lookupType(name);
}

/** Encodes a plain (snake_case) object with the complete upstream schema. */
export function upstreamEncode(name: string, value: object): Buffer {
  const t = upstreamType(name);
  return Buffer.from(t.encode(t.fromObject(value as Record<string, unknown>)).finish());
}

/** Decodes bytes with the complete upstream schema. */
export function upstreamDecode<T = Record<string, unknown>>(name: string, bytes: Uint8Array): T {
  const t = upstreamType(name);
  return t.toObject(t.decode(bytes), { longs: String, enums: String, defaults: false, oneofs: true }) as T;
}

/** An Any packing `value` encoded with the upstream message `name`. */
export function upstreamAny(name: string, value: object): { type_url: string; value: Buffer } {
  return { type_url: `type.googleapis.com/${name}`, value: upstreamEncode(name, value) };
}
