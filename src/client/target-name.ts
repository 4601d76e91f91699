/** A pick target split into its explicit source scheme (if any) and the name within the source. */
export interface TargetName {
  /** `xds`, `nacos`, `file`, … or undefined for a bare name (resolved through sources in order). */
  readonly scheme: string | undefined;
  /** The name within the source: `reviews.default.svc.cluster.local:9080`, `ns/group/service`, `reviews`. */
  readonly name: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/\/?(.*)$/i;

/**
 * Splits `xds:///reviews:9080`, `nacos://ns/group/svc` or a bare `reviews`. Both `scheme://name`
 * and `scheme:///name` are accepted because gRPC targets use the latter and Nacos URLs the former.
 */
export function parseTargetName(target: string): TargetName {
  const m = SCHEME.exec(target);
  if (m === null) return { scheme: undefined, name: target };
  return { scheme: m[1]!.toLowerCase(), name: m[2]! };
}
