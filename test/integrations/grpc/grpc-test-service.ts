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

function unary(path: string): grpc.MethodDefinition<{ name: string }, HelloReply> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: req.serialize,
    requestDeserialize: req.deserialize,
    responseSerialize: res.serialize,
    responseDeserialize: res.deserialize,
  };
}

/** A JSON-encoded Greeter service (no .proto needed): `Hello` answers at once, `Slow` never. */
export const greeterService = {
  hello: unary('/demo.Greeter/Hello'),
  slow: unary('/demo.Greeter/Slow'),
} satisfies grpc.ServiceDefinition;

/** The generated client class. */
export const GreeterClient = grpc.makeGenericClientConstructor(greeterService, 'Greeter');

/** A client with typed `hello`/`slow` calls. */
export interface Greeter extends grpc.Client {
  hello(request: { name: string }, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<HelloReply>): grpc.ClientUnaryCall;
  slow(request: { name: string }, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<HelloReply>): grpc.ClientUnaryCall;
}

/** Starts a Greeter server named `backend` on 127.0.0.1, port 0. */
export async function startGreeter(backend: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = new grpc.Server();
  server.addService(greeterService, {
    hello: (call: grpc.ServerUnaryCall<{ name: string }, HelloReply>, cb: grpc.sendUnaryData<HelloReply>) =>
      cb(null, { backend, canary: String(call.metadata.get('x-canary')[0] ?? ''), tenant: String(call.metadata.get('x-tenant')[0] ?? '') }),
    slow: () => undefined,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())).then(() => server.forceShutdown()) };
}

/** Calls `hello` and resolves with the reply, or rejects with the gRPC error. */
export function hello(client: Greeter, metadata = new grpc.Metadata(), options: grpc.CallOptions = {}): Promise<HelloReply> {
  return new Promise((resolve, reject) => client.hello({ name: 'x' }, metadata, options, (err, reply) => (err ? reject(err) : resolve(reply!))));
}
