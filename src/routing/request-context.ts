/**
 * Request headers as sidecarless reads them: lower-case names; a value may be a list (joined with
 * `,` for matching). The same shape as Node's `IncomingHttpHeaders`.
 */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What routing looks at for one request. Every field is optional. */
export interface RequestContext {
  /** URL path, optionally with `?query` (HTTP mode reads query parameters from it); gRPC: `/pkg.Service/Method`. Default `/`. */
  readonly path?: string;
  /** Request headers, lower-case names. */
  readonly headers?: HeaderBag;
  /** HTTP method (exposed to header matchers as `:method`). */
  readonly method?: string;
  /** Authority used for virtual-host matching; defaults to the target name. */
  readonly authority?: string;
}
