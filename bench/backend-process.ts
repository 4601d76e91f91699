import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';

/** The kinds of loopback backend a benchmark can start. */
export type BackendKind = 'http' | 'grpc';

/** A backend running in its own process, so it does not share the client's event loop. */
export interface BackendProcess {
  readonly port: number;
  stop(): Promise<void>;
}

/** `/bench.Echo/Ping`: a unary method on raw bytes (no serialisation cost on either side). */
export const ECHO_METHOD = {
  path: '/bench.Echo/Ping',
  requestStream: false,
  responseStream: false,
  requestSerialize: (b: Buffer): Buffer => b,
  requestDeserialize: (b: Buffer): Buffer => b,
  responseSerialize: (b: Buffer): Buffer => b,
  responseDeserialize: (b: Buffer): Buffer => b,
} as const;

/** Starts `kind` in a child process on 127.0.0.1, port 0; resolves once it listens. */
export async function startBackendProcess(kind: BackendKind): Promise<BackendProcess> {
  const child: ChildProcess = fork(__filename, ['serve', kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [port] = (await once(child, 'message')) as [number];
  return {
    port,
    stop: async () => {
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
}

async function serveHttp(): Promise<number> {
  const body = Buffer.from('{"ok":true}');
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

async function serveGrpc(): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
  const server = new grpc.Server();
  const reply = Buffer.from('pong');
  server.addService({ ping: ECHO_METHOD }, { ping: (_call: unknown, cb: (e: null, r: Buffer) => void) => cb(null, reply) });
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
}

if (require.main === module && process.argv[2] === 'serve') {
  const kind = process.argv[3] as BackendKind;
  void (kind === 'grpc' ? serveGrpc() : serveHttp()).then((port) => process.send?.(port));
  process.on('disconnect', () => process.exit(0));
}
