import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Routing headers of the inbound request being handled (lower-case names), carried to outbound
 * requests made while handling it: canary flags, tenant, W3C `baggage`, `x-request-id`.
 */
export type MeshContextHeaders = Readonly<Record<string, string>>;

// One store per process, shared by every integration: the Express/Nest middleware writes it, the
// undici dispatcher, the http agent and the grpc interceptor read it.
const storage = new AsyncLocalStorage<MeshContextHeaders>();

/** Runs `fn` with `headers` as the current mesh context; outbound mesh requests made inside carry them. */
export function runWithMeshContext<T>(headers: MeshContextHeaders, fn: () => T): T {
  return storage.run(headers, fn);
}

/** The mesh context of the current async scope, or undefined outside one. */
export function currentMeshContext(): MeshContextHeaders | undefined {
  return storage.getStore();
}
