/**
 * How a {@link Router} reads requests.
 * - `http`: Envoy semantics. Header matchers may read the pseudo-headers `:method`, `:path` and
 *   `:authority`; query-parameter matchers and the cookie / query-parameter hash policies work;
 *   the request timeout is the route's `timeoutMs`.
 * - `grpc`: gRPC (A28/A31/A42) semantics. Only application metadata is matchable (no
 *   pseudo-headers, `-bin` headers are absent, `content-type` defaults to `application/grpc`);
 *   routes with query-parameter matchers never match; the timeout is the route's
 *   `maxStreamDurationMs` cap on the application's deadline.
 */
export type RoutingMode = 'http' | 'grpc';
