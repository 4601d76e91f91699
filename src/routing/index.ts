/**
 * Routing: matching requests to routes and choosing their cluster, hash, retries and timeout.
 * @packageDocumentation
 */
export type { RequestContext, HeaderBag } from './request-context';
export type { RoutingMode } from './routing-mode';
export { Router, validateRouteTable, type RouterOptions, type CompiledRoute } from './router';
export { validateDomain, VirtualHostMatcher, type DomainPatternKind, type HasDomains } from './virtual-host-matcher';
export { compileStringMatcher, validateStringMatcher, type StringPredicate } from './string-matcher';
export { compileSafeRegex, compileRegexRewrite, validateRe2, type SafeRegex, type RegexRewrite } from './safe-regex';
export { compilePathMatcher, pathEnd, type PathPredicate } from './path-matcher';
export { CompiledHeaderMatcher } from './header-matcher';
export { CompiledQueryParameterMatcher } from './query-parameter-matcher';
export { readHeader } from './header-value';
export { Int64Range } from './int64-range';
export { drawRuntimeFraction, validateRuntimeFraction, MILLION } from './runtime-fraction';
export { WeightedClusterPicker, MAX_TOTAL_WEIGHT } from './weighted-cluster-picker';
export { compileClusterPicker, type ClusterPicker } from './cluster-picker';
export { RequestHasher, rotl64By1 } from './request-hash';
export { findCookie } from './cookie';
export { findQueryParameter } from './query-string';
export * from './retry-policy';
export { effectiveTimeoutMs } from './timeout';
