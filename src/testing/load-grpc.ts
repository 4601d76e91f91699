import type * as grpc from '@grpc/grpc-js';

let grpcModule: typeof grpc | undefined;

/**
 * `@grpc/grpc-js`, a peer dependency, loaded on first use: the embedded control planes serve
 * with it, and code that never starts one never pays for loading it.
 */
export function loadGrpc(): typeof grpc {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  grpcModule ??= require('@grpc/grpc-js') as typeof grpc;
  return grpcModule;
}
