// Child process of bench/cold-start.bench.ts: the grpc-js-xds reference. The first statement
// reads the clock; then @grpc/grpc-js and @grpc/grpc-js-xds load, register, resolve the target
// through the parent's XdsControlPlane, and make one RPC to a loopback backend.
const firstLine = performance.now();

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
(require('@grpc/grpc-js-xds') as { register(): void }).register();

const PING: import('@grpc/grpc-js').ServiceDefinition = {
  Ping: {
    path: '/sidecarless.bench.Backend/Ping',
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};

const target = process.env.COLD_START_TARGET ?? 'xds:///reviews';
const Client = grpc.makeGenericClientConstructor(PING, 'Backend');
const client = new Client(target, grpc.credentials.createInsecure()) as unknown as {
  Ping(req: Buffer, options: { deadline: number }, cb: (err: Error | null) => void): void;
  close(): void;
};
client.Ping(Buffer.alloc(0), { deadline: Date.now() + 10_000 }, (err) => {
  if (err) {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  }
  const at = performance.now();
  const rss = process.memoryUsage().rss;
  process.stdout.write(`${JSON.stringify({ firstLine, at, rss })}\n`);
  client.close();
  process.exit(0);
});
