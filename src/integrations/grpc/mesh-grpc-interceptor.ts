import type { Interceptor, InterceptorOptions, Metadata, NextCall } from '@grpc/grpc-js';
import { currentMeshContext } from '../outbound/mesh-context';
import type { GrpcModule } from './grpc-js-compat';

/**
 * A grpc-js client interceptor that adds the inbound request's mesh context headers (see
 * `meshContext`) to the call's metadata, so mesh routing and the next services see them. It runs
 * when the call starts, in the caller's async context. Route timeouts need no interceptor: the
 * `mesh:` resolver sets them as the call deadline.
 */
export function meshGrpcInterceptor(grpcModule: GrpcModule): Interceptor {
  const { InterceptingCall } = grpcModule;
  return (options: InterceptorOptions, nextCall: NextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata: Metadata, listener, next) {
        const context = currentMeshContext();
        if (context !== undefined) {
          for (const name of Object.keys(context)) if (metadata.get(name).length === 0) metadata.set(name, context[name]!);
        }
        next(metadata, listener);
      },
    });
}
