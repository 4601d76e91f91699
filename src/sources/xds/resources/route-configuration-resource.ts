import type {
  HashPolicy,
  HeaderMatcher,
  PathMatcher,
  QueryParameterMatcher,
  RetryPolicy,
  Route,
  RouteAction,
  RouteTable,
  StringMatcher,
  VirtualHost,
} from '../../../model/route-table';
import { checkRe2 } from '../../../routing/re2-check';
import { TypeUrl } from '../type-urls';
import { durationMs, perMillion } from '../well-known';
import { invalidField } from './resource-error';
import type {
  WireHashPolicy,
  WireHeaderMatcher,
  WireRetryPolicy,
  WireRoute,
  WireRouteConfiguration,
  WireStringMatcher,
  WireVirtualHost,
} from '../wire-types';
import { decodeResource, registerResourceType, type XdsResourceType } from './resource-type';
import { validateFilterConfigOverrides } from './http-filters';

const UINT32_MAX = 4_294_967_295;

function checkRegex(regex: string | undefined, field: string): string {
  if (regex === undefined) throw invalidField(field, 'regex is required');
  try {
    checkRe2(regex, field);
  } catch (e) {
    throw invalidField(field, `invalid RE2 regex ${JSON.stringify(regex)}: ${(e as Error).message}`);
  }
  return regex;
}

/** envoy.type.matcher.v3.StringMatcher → model. */
export function convertStringMatcher(m: WireStringMatcher | undefined, field: string): StringMatcher {
  if (!m) throw invalidField(field, 'string matcher is required');
  const ignoreCase = m.ignore_case === true;
  switch (m.match_pattern) {
    case 'exact':
      return { kind: 'exact', value: m.exact ?? '', ignoreCase };
    case 'prefix':
      return { kind: 'prefix', value: m.prefix ?? '', ignoreCase };
    case 'suffix':
      return { kind: 'suffix', value: m.suffix ?? '', ignoreCase };
    case 'contains':
      return { kind: 'contains', value: m.contains ?? '', ignoreCase };
    case 'safe_regex':
      return { kind: 'regex', regex: checkRegex(m.safe_regex?.regex, `${field}.safe_regex.regex`) };
    default:
      throw invalidField(field, `unsupported match pattern ${m.match_pattern ?? '(none)'}`);
  }
}

function convertHeaderMatcher(h: WireHeaderMatcher, field: string): HeaderMatcher {
  const name = (h.name ?? '').toLowerCase();
  if (!name) throw invalidField(`${field}.name`, 'must not be empty');
  const base = { name, invert: h.invert_match === true, treatMissingAsEmpty: h.treat_missing_header_as_empty === true };
  const str = (kind: 'exact' | 'prefix' | 'suffix' | 'contains', value: string | undefined) =>
    ({ ...base, match: { kind: 'string', matcher: { kind, value: value ?? '', ignoreCase: false } } }) as const;
  switch (h.header_match_specifier) {
    case 'exact_match':
      return str('exact', h.exact_match);
    case 'prefix_match':
      return str('prefix', h.prefix_match);
    case 'suffix_match':
      return str('suffix', h.suffix_match);
    case 'contains_match':
      return str('contains', h.contains_match);
    case 'safe_regex_match':
      return {
        ...base,
        match: { kind: 'string', matcher: { kind: 'regex', regex: checkRegex(h.safe_regex_match?.regex, `${field}.safe_regex_match.regex`) } },
      };
    case 'string_match':
      return { ...base, match: { kind: 'string', matcher: convertStringMatcher(h.string_match, `${field}.string_match`) } };
    case 'range_match': {
      const start = BigInt(h.range_match?.start ?? 0);
      const end = BigInt(h.range_match?.end ?? 0);
      if (end < start) throw invalidField(`${field}.range_match`, 'end must be >= start');
      return { ...base, match: { kind: 'range', start, end } };
    }
    case 'present_match':
      return { ...base, match: { kind: 'present', present: h.present_match === true } };
    default:
      return { ...base, match: { kind: 'present', present: true } };
  }
}

/** RetryPolicy → model, with the A44 validation rules. */
function convertRetryPolicy(p: WireRetryPolicy | undefined, field: string): RetryPolicy | undefined {
  if (!p) return undefined;
  const numRetries = p.num_retries === undefined ? 1 : (p.num_retries.value ?? 0);
  if (numRetries < 1) throw invalidField(`${field}.num_retries`, 'must be >= 1 when set');
  let baseIntervalMs = 25;
  let maxIntervalMs = 250;
  if (p.retry_back_off) {
    const base = durationMs(p.retry_back_off.base_interval, `${field}.retry_back_off.base_interval`);
    if (base === undefined || base <= 0) throw invalidField(`${field}.retry_back_off.base_interval`, 'must be set and > 0');
    const max = durationMs(p.retry_back_off.max_interval, `${field}.retry_back_off.max_interval`);
    if (max !== undefined && max < base) throw invalidField(`${field}.retry_back_off.max_interval`, 'must be >= base_interval');
    baseIntervalMs = base;
    maxIntervalMs = max ?? base * 10;
  }
  const perTryTimeoutMs = durationMs(p.per_try_timeout, `${field}.per_try_timeout`);
  return Object.freeze({
    retryOn: Object.freeze(
      (p.retry_on ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
    numRetries,
    retriableStatusCodes: Object.freeze([...(p.retriable_status_codes ?? [])]),
    baseIntervalMs,
    maxIntervalMs,
    ...(perTryTimeoutMs ? { perTryTimeoutMs } : {}),
  });
}

function convertHashPolicy(p: WireHashPolicy, field: string): HashPolicy | undefined {
  const terminal = p.terminal === true;
  switch (p.policy_specifier) {
    case 'header': {
      const name = (p.header?.header_name ?? '').toLowerCase();
      if (!name) throw invalidField(`${field}.header.header_name`, 'must not be empty');
      const rw = p.header?.regex_rewrite;
      if (rw?.pattern) {
        const regex = checkRegex(rw.pattern.regex, `${field}.header.regex_rewrite.pattern.regex`);
        return { kind: 'header', name, terminal, regexRewrite: { regex, substitution: rw.substitution ?? '' } };
      }
      return { kind: 'header', name, terminal };
    }
    case 'cookie':
      return { kind: 'cookie', name: p.cookie?.name ?? '', terminal };
    case 'query_parameter':
      return { kind: 'queryParameter', name: p.query_parameter?.name ?? '', terminal };
    case 'filter_state':
      // Only gRPC's per-channel id is meaningful for a client (xds-reference §4.6).
      return p.filter_state?.key === 'io.grpc.channel_id' ? { kind: 'channelId', terminal } : undefined;
    default:
      // connection_properties and unknown policies never produce a hash: ignored, not NACKed.
      return undefined;
  }
}

function convertPath(route: WireRoute, field: string): PathMatcher {
  const m = route.match!;
  switch (m.path_specifier) {
    case 'prefix':
      return { kind: 'prefix', value: m.prefix ?? '' };
    case 'path':
      return { kind: 'path', value: m.path ?? '' };
    case 'safe_regex':
      return { kind: 'regex', regex: checkRegex(m.safe_regex?.regex, `${field}.match.safe_regex.regex`) };
    case 'path_separated_prefix': {
      const value = m.path_separated_prefix ?? '';
      if (value.endsWith('/')) throw invalidField(`${field}.match.path_separated_prefix`, 'must not end with /');
      return { kind: 'pathSeparatedPrefix', value };
    }
    default:
      throw invalidField(`${field}.match`, `unsupported path specifier ${m.path_specifier ?? '(none)'}`);
  }
}

/** The model action, or undefined when gRPC drops the route (unknown/unsupported cluster specifier). */
function convertAction(route: WireRoute, field: string): RouteAction | undefined {
  if (route.action !== 'route') {
    // redirect, direct_response, filter_action, non_forwarding_action: kept, requests to it fail.
    return route.action === undefined ? undefined : { kind: 'nonForwarding' };
  }
  const a = route.route!;
  switch (a.cluster_specifier) {
    case 'cluster':
      if (!a.cluster) throw invalidField(`${field}.route.cluster`, 'must not be empty');
      return { kind: 'cluster', cluster: a.cluster };
    case 'cluster_header':
      if (!a.cluster_header) throw invalidField(`${field}.route.cluster_header`, 'must not be empty');
      return { kind: 'clusterHeader', header: a.cluster_header.toLowerCase() };
    case 'weighted_clusters': {
      const clusters: { name: string; weight: number }[] = [];
      let sum = 0;
      (a.weighted_clusters?.clusters ?? []).forEach((c, i) => {
        const f = `${field}.route.weighted_clusters.clusters[${i}]`;
        if (!c.name) throw invalidField(`${f}.name`, 'must not be empty');
        validateFilterConfigOverrides(c.typed_per_filter_config, `${f}.typed_per_filter_config`);
        const weight = c.weight?.value ?? 0;
        if (weight > 0) {
          clusters.push(Object.freeze({ name: c.name, weight }));
          sum += weight;
        }
      });
      if (sum === 0) throw invalidField(`${field}.route.weighted_clusters`, 'weights sum to 0');
      if (sum > UINT32_MAX) throw invalidField(`${field}.route.weighted_clusters`, 'weights sum exceeds uint32 max');
      return { kind: 'weightedClusters', clusters: Object.freeze(clusters) };
    }
    default:
      return undefined;
  }
}

function convertRoute(r: WireRoute, field: string): Route | undefined {
  if (!r.match) throw invalidField(`${field}.match`, 'is required');
  const path = convertPath(r, field);
  validateFilterConfigOverrides(r.typed_per_filter_config, `${field}.typed_per_filter_config`);
  const headers = (r.match.headers ?? []).map((h, i) => Object.freeze(convertHeaderMatcher(h, `${field}.match.headers[${i}]`)));
  const queryParameters: QueryParameterMatcher[] = (r.match.query_parameters ?? []).map((q, i) => {
    const f = `${field}.match.query_parameters[${i}]`;
    if (q.query_parameter_match_specifier === 'string_match') {
      return Object.freeze({ name: q.name ?? '', matcher: convertStringMatcher(q.string_match, `${f}.string_match`) });
    }
    return Object.freeze({ name: q.name ?? '' });
  });
  const action = convertAction(r, field);
  if (!action) return undefined;
  const a = r.route;
  const hashPolicies = (a?.hash_policy ?? [])
    .map((p, i) => convertHashPolicy(p, `${field}.route.hash_policy[${i}]`))
    .filter((p): p is HashPolicy => p !== undefined);
  const timeoutMs = durationMs(a?.timeout, `${field}.route.timeout`);
  let maxStreamDurationMs: number | undefined;
  const msd = a?.max_stream_duration;
  if (msd) {
    // A31: grpc_timeout_header_max wins when set (0 = explicitly no cap), else max_stream_duration.
    const headerMax = durationMs(msd.grpc_timeout_header_max, `${field}.route.max_stream_duration.grpc_timeout_header_max`);
    const max = durationMs(msd.max_stream_duration, `${field}.route.max_stream_duration.max_stream_duration`);
    maxStreamDurationMs = headerMax ?? max;
  }
  const retryPolicy = convertRetryPolicy(a?.retry_policy, `${field}.route.retry_policy`);
  const caseSensitive = r.match.case_sensitive === undefined ? true : r.match.case_sensitive.value === true;
  const runtime = r.match.runtime_fraction?.default_value;
  return Object.freeze({
    ...(r.name ? { name: r.name } : {}),
    match: Object.freeze({
      path: Object.freeze(path),
      caseSensitive,
      headers: Object.freeze(headers),
      queryParameters: Object.freeze(queryParameters),
      ...(runtime ? { runtimeFractionPerMillion: perMillion(runtime, `${field}.match.runtime_fraction.default_value`) } : {}),
    }),
    action: Object.freeze(action),
    hashPolicies: Object.freeze(hashPolicies),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxStreamDurationMs !== undefined ? { maxStreamDurationMs } : {}),
    ...(retryPolicy ? { retryPolicy } : {}),
  });
}

function checkDomain(domain: string, field: string): string {
  const star = domain.indexOf('*');
  if (domain === '') throw invalidField(field, 'must not be empty');
  if (star !== -1 && domain !== '*' && !(star === 0 && domain.lastIndexOf('*') === 0) && !(star === domain.length - 1)) {
    throw invalidField(field, `invalid domain pattern ${JSON.stringify(domain)}: '*' only as the first or last character`);
  }
  return domain.toLowerCase();
}

function convertVirtualHost(vh: WireVirtualHost, field: string): VirtualHost {
  const domains = (vh.domains ?? []).map((d, i) => checkDomain(d, `${field}.domains[${i}]`));
  validateFilterConfigOverrides(vh.typed_per_filter_config, `${field}.typed_per_filter_config`);
  const routes: Route[] = [];
  (vh.routes ?? []).forEach((r, i) => {
    const route = convertRoute(r, `${field}.routes[${i}]`);
    if (route) routes.push(route);
  });
  const retryPolicy = convertRetryPolicy(vh.retry_policy, `${field}.retry_policy`);
  return Object.freeze({
    name: vh.name ?? '',
    domains: Object.freeze(domains),
    routes: Object.freeze(routes),
    ...(retryPolicy ? { retryPolicy } : {}),
  });
}

/** A decoded RouteConfiguration (RDS or inline in an HCM) → model, validated (xds-reference §1.10, §4). */
export function convertRouteConfiguration(rc: WireRouteConfiguration, field = ''): RouteTable {
  const prefix = field ? `${field}.` : '';
  const virtualHosts = (rc.virtual_hosts ?? []).map((vh, i) => convertVirtualHost(vh, `${prefix}virtual_hosts[${i}]`));
  // Envoy requires every domain to be unique across virtual hosts (xds-reference §4.1); the router
  // cannot choose between two owners of a domain, so such a table is rejected (NACKed) here.
  const owners = new Map<string, number>();
  virtualHosts.forEach((vh, i) =>
    vh.domains.forEach((domain, j) => {
      const owner = owners.get(domain);
      if (owner !== undefined) {
        throw invalidField(`${prefix}virtual_hosts[${i}].domains[${j}]`, `duplicate domain ${JSON.stringify(domain)} (also in virtual_hosts[${owner}])`);
      }
      owners.set(domain, i);
    }),
  );
  return Object.freeze({ name: rc.name ?? '', virtualHosts: Object.freeze(virtualHosts) });
}

/** RDS: `envoy.config.route.v3.RouteConfiguration`. */
export const ROUTE_CONFIGURATION_RESOURCE: XdsResourceType<RouteTable> = registerResourceType({
  typeUrl: TypeUrl.ROUTE_CONFIGURATION,
  kind: 'RouteConfiguration',
  allResourcesRequiredInSotW: false,
  decode: (bytes: Uint8Array) =>
    decodeResource<WireRouteConfiguration, RouteTable>('envoy.config.route.v3.RouteConfiguration', bytes, (w) => w.name, (w) => {
        if (!w.name) throw invalidField('name', 'must not be empty');
        return convertRouteConfiguration(w);
      }),
});
