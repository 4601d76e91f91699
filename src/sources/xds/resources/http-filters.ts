import { decodeMessage, messageNameOf } from '../protos';
import { TypeUrl } from '../type-urls';
import type { WireAny, WireHttpFilter } from '../wire-types';
import { invalidField } from './resource-error';

/**
 * HTTP filter types a client knows (A39). sidecarless applies none of them itself; knowing them
 * means they are accepted instead of NACKed. Istio always lists the fault filter (§6.3) and
 * prepends stateful-session for persistent sessions. `terminal` filters must come last.
 */
const KNOWN_FILTERS: ReadonlyMap<string, { readonly terminal: boolean }> = new Map([
  [TypeUrl.ROUTER, { terminal: true }],
  [TypeUrl.FAULT, { terminal: false }],
  [TypeUrl.RBAC, { terminal: false }],
  [TypeUrl.STATEFUL_SESSION, { terminal: false }],
]);

/** Per-route override config types that are known (and ignored). */
const KNOWN_OVERRIDES: ReadonlySet<string> = new Set([
  TypeUrl.FAULT,
  TypeUrl.RBAC_PER_ROUTE,
  TypeUrl.STATEFUL_SESSION_PER_ROUTE,
]);

/** The type URL of an Any, looking inside an xds/udpa TypedStruct wrapper. */
export function unwrapTypeUrl(any: WireAny | undefined): string | undefined {
  if (!any?.type_url) return undefined;
  if (any.type_url === TypeUrl.XDS_TYPED_STRUCT || any.type_url === TypeUrl.UDPA_TYPED_STRUCT) {
    return decodeMessage<{ type_url?: string }>(messageNameOf(any.type_url), any.value ?? new Uint8Array()).type_url;
  }
  return any.type_url;
}

/** HCM `http_filters` rules (A39): at least one, unique names, known or optional types, router last. */
export function validateHttpFilters(filters: readonly WireHttpFilter[] | undefined, field: string): void {
  const list = filters ?? [];
  if (list.length === 0) throw invalidField(field, 'at least one HTTP filter (the router) is required');
  const names = new Set<string>();
  list.forEach((f, i) => {
    const at = `${field}[${i}]`;
    const name = f.name ?? '';
    if (!name) throw invalidField(`${at}.name`, 'must not be empty');
    if (names.has(name)) throw invalidField(`${at}.name`, `duplicate filter name ${JSON.stringify(name)}`);
    names.add(name);
    const last = i === list.length - 1;
    if (f.config_type === 'config_discovery') {
      if (f.is_optional) return;
      throw invalidField(`${at}.config_discovery`, 'filter config discovery (ECDS) is not supported');
    }
    const typeUrl = unwrapTypeUrl(f.typed_config);
    const known = typeUrl === undefined ? undefined : KNOWN_FILTERS.get(typeUrl);
    if (!known) {
      if (f.is_optional && !last) return;
      throw invalidField(`${at}.typed_config`, `unsupported filter type ${typeUrl ?? '(none)'}`);
    }
    if (known.terminal && !last) throw invalidField(`${at}`, `terminal filter ${JSON.stringify(name)} must be last`);
    if (!known.terminal && last) throw invalidField(`${at}`, `the last filter must be terminal (the router), got ${typeUrl}`);
  });
}

/** `typed_per_filter_config` rules (A39): unknown types are rejected unless marked optional. */
export function validateFilterConfigOverrides(map: Record<string, WireAny> | undefined, field: string): void {
  if (!map) return;
  for (const [name, any] of Object.entries(map)) {
    let typeUrl = unwrapTypeUrl(any);
    let optional = false;
    if (typeUrl === TypeUrl.FILTER_CONFIG) {
      const fc = decodeMessage<{ config?: WireAny; is_optional?: boolean; disabled?: boolean }>(
        'envoy.config.route.v3.FilterConfig',
        any.value ?? new Uint8Array(),
      );
      optional = fc.is_optional === true;
      if (fc.disabled && !fc.config) continue;
      typeUrl = unwrapTypeUrl(fc.config);
    }
    if (typeUrl && (KNOWN_OVERRIDES.has(typeUrl) || KNOWN_FILTERS.has(typeUrl))) continue;
    if (!optional) throw invalidField(`${field}[${JSON.stringify(name)}]`, `unsupported filter config type ${typeUrl ?? '(none)'}`);
  }
}
