import * as grpc from '@grpc/grpc-js';

/** What the test Greeter answers. */
export interface HelloReply {
  backend: string;
  canary: string;
  tenant: string;
}

function json<T>(): { serialize: (v: T) => Buffer; deserialize: (b: Buffer) => T } {
  return { serialize: (v) => Buffer.from(JSON.stringify(v)), deserialize: (b) => JSON.parse(b.toString()) as T };
}

const req = json<{ name: string }>();
const res = json<HelloReply>();

function method(path: string, responseStream: boolean): grpc.MethodDefinition<{ name: string }, HelloReply> {
  return {
    path,
    requestStream: false,
    responseStream,
    requestSerialize: req.serialize,
    requestDeserialize: req.deserialize,
    responseSerialize: res.serialize,
    responseDeserialize: res.deserialize,
  };
}

/**
 * A JSON-encoded Greeter service (no .proto needed): `Hello` answers at once, `Slow` never,
 * `Watch` (server streaming) sends one reply and ends.
 */
export const greeterService = {
  hello: method('/demo.Greeter/Hello', false),
  slow: method('/demo.Greeter/Slow', false),
  watch: method('/demo.Greeter/Watch', true),
} satisfies grpc.ServiceDefinition;

/** The generated client class. */
export const GreeterClient = grpc.makeGenericClientConstructor(greeterService, 'Greeter');

/** A client with typed `hello`/`slow`/`watch` calls. */
export interface Greeter extends grpc.Client {
  hello(request: { name: string }, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<HelloReply>): grpc.ClientUnaryCall;
  slow(request: { name: string }, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<HelloReply>): grpc.ClientUnaryCall;
  watch(request: { name: string }, metadata: grpc.Metadata, options: grpc.CallOptions): grpc.ClientReadableStream<HelloReply>;
}

/** How a test backend answers one call: a reply (the default), or a failure, optionally after response headers. */
export interface GreeterAnswer {
  /** Fail the call with this status (unset or OK: reply). */
  code?: grpc.status;
  /** Send response headers before failing (the client's call is then committed: no retry). */
  headersFirst?: boolean;
}

/** A running test backend. */
export interface GreeterBackend {
  port: number;
  /** The metadata of every call it received (`hello` and `watch`), in arrival order. */
  calls: grpc.Metadata[];
  close(): Promise<void>;
}

/**
 * Starts a Greeter server named `backend` on 127.0.0.1, port 0. `answer` decides how each `hello`
 * and `watch` call ends (default: a reply naming the backend).
 */
export async function startGreeter(backend: string, answer: (metadata: grpc.Metadata) => GreeterAnswer = () => ({})): Promise<GreeterBackend> {
  const server = new grpc.Server();
  const calls: grpc.Metadata[] = [];
  const reply = (metadata: grpc.Metadata): HelloReply => ({
    backend,
    canary: String(metadata.get('x-canary')[0] ?? ''),
    tenant: String(metadata.get('x-tenant')[0] ?? ''),
  });
  const failure = (code: grpc.status): Partial<grpc.StatusObject> => ({ code, details: `${backend} fails with ${grpc.status[code]}` });
  server.addService(greeterService, {
    hello: (call: grpc.ServerUnaryCall<{ name: string }, HelloReply>, cb: grpc.sendUnaryData<HelloReply>) => {
      calls.push(call.metadata);
      const a = answer(call.metadata);
      if (a.code === undefined || a.code === grpc.status.OK) return cb(null, reply(call.metadata));
      if (a.headersFirst) call.sendMetadata(new grpc.Metadata());
      cb(failure(a.code));
    },
    slow: () => undefined,
    watch: (call: grpc.ServerWritableStream<{ name: string }, HelloReply>) => {
      calls.push(call.metadata);
      const a = answer(call.metadata);
      if (a.code === undefined || a.code === grpc.status.OK) {
        call.write(reply(call.metadata));
        call.end();
        return;
      }
      if (a.headersFirst) call.sendMetadata(new grpc.Metadata());
      call.emit('error', failure(a.code));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, calls, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())).then(() => server.forceShutdown()) };
}

/** Calls `hello` and resolves with the reply, or rejects with the gRPC error. */
export function hello(client: Greeter, metadata = new grpc.Metadata(), options: grpc.CallOptions = {}): Promise<HelloReply> {
  return new Promise((resolve, reject) => client.hello({ name: 'x' }, metadata, options, (err, reply) => (err ? reject(err) : resolve(reply!))));
}

/** Calls `watch` and resolves with every reply once the stream ends, or rejects with the gRPC error. */
export function watch(client: Greeter, metadata = new grpc.Metadata()): Promise<HelloReply[]> {
  return new Promise((resolve, reject) => {
    const replies: HelloReply[] = [];
    const stream = client.watch({ name: 'x' }, metadata, {});
    stream.on('data', (r: HelloReply) => replies.push(r));
    stream.on('error', reject);
    stream.on('end', () => resolve(replies));
  });
}
