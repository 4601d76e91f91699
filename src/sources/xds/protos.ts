import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Root, Type, IConversionOptions } from 'protobufjs';
import { DescriptorIndex } from './descriptor-index';
import { decodePlain } from './wire-decoder';
import { encodePlain } from './wire-encoder';

/**
 * Entry files of the lean xDS protos shipped in `protos/`; their imports pull in the rest.
 * Only messages and fields sidecarless reads are declared, with upstream names and numbers.
 */
export const XDS_PROTO_FILES: readonly string[] = Object.freeze([
  'envoy/service/discovery/v3/ads.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
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
  'xds/type/v3/typed_struct.proto',
  'udpa/type/v1/typed_struct.proto',
  'google/rpc/status.proto',
]);

/**
 * The lean protos precompiled to protobufjs JSON (`Root.toJSON()` of {@link parseXdsProtos}), in
 * `protos/`. `npm run build` regenerates it (scripts/build-xds-descriptor.js) and a test proves it
 * equals the .proto files. Loading it with protobufjs/light skips proto-loader and the .proto
 * parser: about 50 ms less at start-up, which is budgeted.
 */
export const XDS_DESCRIPTOR_FILE = 'xds-descriptor.json';

/** Conversion used for every decoded message: snake_case names, 64-bit ints and enums as strings, no defaults. */
export const TO_OBJECT_OPTIONS: IConversionOptions = Object.freeze({
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
});

let root: Root | undefined;
const types = new Map<string, Type>();

/**
 * The `protos/` directory of this package. Found by walking up from this file so it works from
 * `dist/sources/xds` (published) as well as `build/src/sources/xds` (tests).
 */
export function protosDir(): string {
  // Cached: the walk stats the file system, and start-up asks twice (package version, descriptor).
  if (protosDirCache !== undefined) return protosDirCache;
  protosDirCache = findProtosDir();
  return protosDirCache;
}

let protosDirCache: string | undefined;

function findProtosDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'protos');
    if (fs.existsSync(path.join(candidate, 'envoy')) && fs.existsSync(path.join(dir, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`sidecarless: cannot find the protos/ directory above ${__dirname}`);
    dir = parent;
  }
}

/**
 * Parses .proto files into a resolved protobufjs root with snake_case names, using proto-loader's
 * own loader (same include-path handling and bundled well-known types as grpc-js-xds).
 */
export function loadProtoRoot(files: readonly string[], includeDirs: readonly string[]): Root {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const util = require('@grpc/proto-loader/build/src/util') as {
    loadProtosWithOptionsSync(files: string[], options: { keepCase: boolean; includeDirs: string[] }): Root;
  };
  const loaded = util.loadProtosWithOptionsSync([...files], { keepCase: true, includeDirs: [...includeDirs] });
  loaded.resolveAll();
  return loaded;
}

/** Parses the lean .proto files (the slow path, and the source of truth for the descriptor). */
export function parseXdsProtos(): Root {
  return loadProtoRoot(XDS_PROTO_FILES, [protosDir()]);
}

/** protobufjs is proto-loader's dependency (not ours): resolve it from there. */
function requireProtobufjs<T>(entry: string): T {
  const protoLoader = require.resolve('@grpc/proto-loader');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve(entry, { paths: [protoLoader] })) as T;
}

/** The precompiled descriptor's JSON, or undefined when the file is absent. */
function readDescriptor(dir: string): object | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, XDS_DESCRIPTOR_FILE), 'utf8');
  } catch {
    return undefined;
  }
  return JSON.parse(text) as object;
}

let index: DescriptorIndex | undefined;

/**
 * The declarations the wire reader and writer use: from the precompiled descriptor (no protobufjs
 * reflection at start-up), or from the parsed .proto files when the descriptor is absent.
 */
function descriptorIndex(): DescriptorIndex {
  if (index) return index;
  const dir = protosDir();
  const json = readDescriptor(dir) ?? loadProtoRoot(XDS_PROTO_FILES, [dir]).toJSON();
  index = new DescriptorIndex(json as ConstructorParameters<typeof DescriptorIndex>[0]);
  return index;
}

/**
 * The protobufjs root over the lean protos (precompiled descriptor if present), loaded on first
 * use and kept. Encoding and decoding do not use it (see descriptor-index.ts); it serves the
 * reflection checks of the lean protos.
 */
export function xdsRoot(): Root {
  if (root) return root;
  const dir = protosDir();
  const json = readDescriptor(dir);
  root = json
    ? requireProtobufjs<{ Root: typeof Root }>('protobufjs/light').Root.fromJSON(json as Parameters<typeof Root.fromJSON>[0])
    : loadProtoRoot(XDS_PROTO_FILES, [dir]);
  return root;
}

/** The protobufjs message type with this fully-qualified name (no leading dot); throws if it is not in the lean protos. */
export function messageType(fullName: string): Type {
  let t = types.get(fullName);
  if (!t) {
    t = xdsRoot().lookupType(fullName);
    types.set(fullName, t);
  }
  return t;
}

/** True if the lean protos declare this message. */
export function hasMessageType(fullName: string): boolean {
  return descriptorIndex().hasMessage(fullName);
}

/**
 * Decodes bytes of the named message to a plain object, as `type.toObject(type.decode(bytes))`
 * with {@link TO_OBJECT_OPTIONS} would, in one pass (see wire-decoder.ts).
 */
export function decodeMessage<T>(fullName: string, bytes: Uint8Array): T {
  return decodePlain(descriptorIndex().message(fullName), bytes) as T;
}

/** Encodes a plain object (snake_case, enums and 64-bit ints as strings) as the named message. */
export function encodeMessage(fullName: string, value: object): Buffer {
  // Byte for byte what `type.encode(type.fromObject(value)).finish()` writes (see wire-encoder.ts).
  return encodePlain(descriptorIndex().message(fullName), value);
}

/** The fully-qualified message name of a `type.googleapis.com/<name>` type URL. */
export function messageNameOf(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
}
