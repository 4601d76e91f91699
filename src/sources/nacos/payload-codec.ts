import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MethodDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** The JSON body of a Nacos request or response (a Java object serialised by Jackson). */
export type NacosBody = Record<string, unknown>;

/**
 * One decoded `Payload`. `body` is null when the JSON could not be parsed; `malformed` then says
 * why. Decoding never throws, so one bad message cannot kill a stream.
 */
export interface NacosPayload {
  /** `Metadata.type`: the simple Java class name, e.g. `InstanceRequest`. */
  readonly type: string;
  /** `Metadata.headers`. */
  readonly headers: Readonly<Record<string, string>>;
  /** `Metadata.clientIp`: the sender's self-reported IP. */
  readonly clientIp: string;
  /** The parsed JSON body, or null when it was not a JSON object. */
  readonly body: NacosBody | null;
  /** Why the body could not be decoded. */
  readonly malformed?: string;
}

/** What to send: the body is serialised to JSON with `undefined` members left out (Jackson NON_NULL). */
export interface OutgoingPayload {
  readonly type: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly clientIp?: string;
  readonly body: NacosBody;
}

/** The proto file, shipped under `protos/` next to `dist/`; found by walking up from this file. */
function protoPath(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'protos', 'nacos', 'nacos_grpc_service.proto');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('protos/nacos/nacos_grpc_service.proto not found next to the sidecarless package');
}

interface WirePayload {
  metadata?: { type?: string; headers?: Record<string, string>; clientIp?: string };
  body?: { type_url?: string; value?: Buffer };
}

type RawMethod = MethodDefinition<WirePayload, WirePayload>;

let raw: { unary: RawMethod; bidi: RawMethod } | undefined;

function rawMethods(): { unary: RawMethod; bidi: RawMethod } {
  if (!raw) {
    const pkg = loadSync(protoPath(), { keepCase: true, longs: String, enums: String, defaults: false });
    const request = pkg['Request'] as unknown as Record<string, RawMethod>;
    const bidi = pkg['BiRequestStream'] as unknown as Record<string, RawMethod>;
    raw = { unary: request['request']!, bidi: bidi['requestBiStream']! };
  }
  return raw;
}

/** Encodes a payload to the wire object; `Any.type_url` stays empty as every Nacos peer leaves it. */
function toWire(p: OutgoingPayload): WirePayload {
  // Empty proto3 fields are left out, as protobuf-java writes them (byte-identical output).
  const metadata: WirePayload['metadata'] = { type: p.type };
  if (p.headers && Object.keys(p.headers).length > 0) metadata.headers = { ...p.headers };
  if (p.clientIp) metadata.clientIp = p.clientIp;
  return { metadata, body: { value: Buffer.from(JSON.stringify(p.body), 'utf8') } };
}

/** Decodes a wire object; never throws. */
function fromWire(w: WirePayload): NacosPayload {
  const type = w.metadata?.type ?? '';
  const headers = w.metadata?.headers ?? {};
  const clientIp = w.metadata?.clientIp ?? '';
  const value = w.body?.value;
  if (!value || value.length === 0) return { type, headers, clientIp, body: null, malformed: 'empty body' };
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { type, headers, clientIp, body: null, malformed: 'body is not a JSON object' };
    }
    return { type, headers, clientIp, body: parsed as NacosBody };
  } catch (err) {
    return { type, headers, clientIp, body: null, malformed: `body is not JSON: ${(err as Error).message}` };
  }
}

function safeDeserialize(method: RawMethod, bytes: Buffer): NacosPayload {
  try {
    return fromWire(method.requestDeserialize(bytes));
  } catch (err) {
    return { type: '', headers: {}, clientIp: '', body: null, malformed: `not a Payload: ${(err as Error).message}` };
  }
}

function wrap(method: RawMethod): MethodDefinition<OutgoingPayload, NacosPayload> & {
  responseSerialize: (p: OutgoingPayload) => Buffer;
  requestDeserialize: (b: Buffer) => NacosPayload;
} {
  return {
    path: method.path,
    requestStream: method.requestStream,
    responseStream: method.responseStream,
    requestSerialize: (p: OutgoingPayload) => method.requestSerialize(toWire(p)),
    requestDeserialize: (b: Buffer) => safeDeserialize(method, b),
    responseSerialize: (p: OutgoingPayload) => method.responseSerialize(toWire(p)),
    responseDeserialize: (b: Buffer) => safeDeserialize(method, b),
  } as MethodDefinition<OutgoingPayload, NacosPayload> & {
    responseSerialize: (p: OutgoingPayload) => Buffer;
    requestDeserialize: (b: Buffer) => NacosPayload;
  };
}

/** The two Nacos gRPC methods, with JSON-aware serialisers. Loaded once, on first use. */
export interface NacosMethods {
  /** `/Request/request`: every client→server request. */
  readonly unary: MethodDefinition<OutgoingPayload, NacosPayload>;
  /** `/BiRequestStream/requestBiStream`: setup, server pushes and their acks. */
  readonly bidi: MethodDefinition<OutgoingPayload, NacosPayload>;
}

let methods: NacosMethods | undefined;

/** The Nacos gRPC method definitions (shared by the client and the in-repo server). */
export function nacosMethods(): NacosMethods {
  if (!methods) {
    const r = rawMethods();
    methods = Object.freeze({ unary: wrap(r.unary), bidi: wrap(r.bidi) });
  }
  return methods;
}

/** Serialises one payload to protobuf bytes (used by tests and tools). */
export function encodePayload(p: OutgoingPayload): Buffer {
  return rawMethods().unary.requestSerialize(toWire(p));
}

/** Parses protobuf bytes into a payload; never throws. */
export function decodePayload(bytes: Buffer): NacosPayload {
  return safeDeserialize(rawMethods().unary, bytes);
}
