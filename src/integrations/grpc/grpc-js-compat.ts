import type * as grpc from '@grpc/grpc-js';
import type { experimental } from '@grpc/grpc-js';

/** The user's `@grpc/grpc-js` module (a peer dependency: we register into their copy). */
export type GrpcModule = typeof grpc;

/** The experimental grpc-js types this integration relies on. */
export type ResolverListener = experimental.ResolverListener;
export type ConfigSelector = experimental.ConfigSelector;
export type Endpoint = experimental.Endpoint;

type ServiceConfig = Parameters<experimental.ResolverListener>[2] extends infer S ? S : never;

/** What a config selector returns for one call (gRFC A31 shape). */
export type CallConfig = ReturnType<ConfigSelector['invoke']>;

/** The A6 retry policy of a method config, as grpc-js reads it (durations as `"0.025s"` strings). */
export type GrpcRetryPolicy = NonNullable<CallConfig['methodConfig']['retryPolicy']>;

/** The `pickInformation` object of a call, as the picker receives it (`extraPickInfo`). */
export type PickInformation = CallConfig['pickInformation'];

/**
 * Per-call state found again from a pick's `extraPickInfo`. grpc-js (1.10 to 1.14 at least) hands
 * the config selector's `pickInformation` object itself, not a copy, to the picker on every pick of
 * every attempt of the call (`LoadBalancingCall.doPick`), so the object is the key: {@link bind}
 * returns a fresh empty `pickInformation` tied to the state. A WeakMap, so the state lives exactly
 * as long as grpc-js keeps the call's config.
 */
export class CallStateByPickInformation<S extends object> {
  readonly #states = new WeakMap<PickInformation, S>();

  /** A new `pickInformation` object for one call, tied to `state`. */
  bind(state: S): PickInformation {
    const info: PickInformation = {};
    this.#states.set(info, state);
    return info;
  }

  /** The state tied to a pick's `extraPickInfo`, undefined when the call was not set up by {@link bind}. */
  of(info: PickInformation): S | undefined {
    return this.#states.get(info);
  }
}

/** The resolver listener of grpc-js 1.10–1.13 (an object with callbacks). */
interface LegacyResolverListener {
  onSuccessfulResolution(
    endpointList: Endpoint[],
    serviceConfig: unknown,
    serviceConfigError: unknown,
    configSelector: ConfigSelector | null,
    attributes: Record<string, unknown>,
  ): void;
  onError(error: { code: number; details: string; metadata: grpc.Metadata }): void;
}

/**
 * Reports a resolution result through either listener shape: grpc-js >= 1.14 passes a function
 * `(endpoints: StatusOr, attributes, serviceConfig: StatusOr | null, note)` and reads the config
 * selector from `attributes`; 1.10–1.13 pass an object with `onSuccessfulResolution(..., configSelector, attributes)`.
 */
export function reportResolution(
  listener: ResolverListener | LegacyResolverListener,
  serviceConfig: object,
  configSelector: ConfigSelector,
  selectorKey: string,
): void {
  if (typeof listener === 'function') {
    listener({ ok: true, value: [] }, { [selectorKey]: configSelector }, { ok: true, value: serviceConfig } as ServiceConfig, '');
  } else {
    listener.onSuccessfulResolution([], serviceConfig, null, configSelector, {});
  }
}

/** Reports a resolution failure through either listener shape. */
export function reportResolutionError(grpcModule: GrpcModule, listener: ResolverListener | LegacyResolverListener, code: number, details: string): void {
  const error = { code, details, metadata: new grpcModule.Metadata() };
  if (typeof listener === 'function') listener({ ok: false, error }, {}, null, details);
  else listener.onError(error);
}
