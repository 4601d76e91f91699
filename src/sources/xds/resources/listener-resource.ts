import type { Listener } from '../../../model/listener';
import { decodeMessage } from '../protos';
import { TypeUrl } from '../type-urls';
import { durationMs } from '../well-known';
import type { WireHttpConnectionManager, WireListener } from '../wire-types';
import { validateHttpFilters } from './http-filters';
import { decodeResource, registerResourceType, type XdsResourceType } from './resource-type';
import { invalidField } from './resource-error';
import { convertRouteConfiguration } from './route-configuration-resource';

/** A decoded client Listener → model: HCM with RDS name or inline routes (xds-reference §1.10). */
export function convertListener(l: WireListener): Listener {
  const name = l.name ?? '';
  if (!name) throw invalidField('name', 'must not be empty');
  const api = l.api_listener?.api_listener;
  if (!api) throw invalidField('api_listener', 'is required for a client listener');
  if (api.type_url !== TypeUrl.HTTP_CONNECTION_MANAGER) {
    throw invalidField('api_listener.api_listener', `expected HttpConnectionManager, got ${api.type_url ?? '(none)'}`);
  }
  const hcm = decodeMessage<WireHttpConnectionManager>(
    'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    api.value ?? new Uint8Array(),
  );
  const at = 'api_listener.api_listener';
  validateHttpFilters(hcm.http_filters, `${at}.http_filters`);
  const maxStreamDurationMs = durationMs(
    hcm.common_http_protocol_options?.max_stream_duration,
    `${at}.common_http_protocol_options.max_stream_duration`,
  );
  const common = { name, ...(maxStreamDurationMs ? { maxStreamDurationMs } : {}) };
  switch (hcm.route_specifier) {
    case 'rds': {
      const source = hcm.rds?.config_source;
      const kind = source?.config_source_specifier;
      if (kind !== 'ads' && kind !== 'self') {
        throw invalidField(`${at}.rds.config_source`, `must be ads or self, got ${kind ?? '(none)'}`);
      }
      const routeTableName = hcm.rds?.route_config_name ?? '';
      if (!routeTableName) throw invalidField(`${at}.rds.route_config_name`, 'must not be empty');
      return Object.freeze({ ...common, routeTableName });
    }
    case 'route_config':
      return Object.freeze({ ...common, routeTable: convertRouteConfiguration(hcm.route_config ?? {}, `${at}.route_config`) });
    case 'scoped_routes':
      throw invalidField(`${at}.scoped_routes`, 'scoped routes are not supported');
    default:
      throw invalidField(at, 'neither rds nor route_config is set');
  }
}

/** LDS: `envoy.config.listener.v3.Listener` (client listeners with an HCM api_listener). */
export const LISTENER_RESOURCE: XdsResourceType<Listener> = registerResourceType({
  typeUrl: TypeUrl.LISTENER,
  kind: 'Listener',
  allResourcesRequiredInSotW: true,
  decode: (bytes: Uint8Array) =>
    decodeResource<WireListener, Listener>('envoy.config.listener.v3.Listener', bytes, (w) => w.name, convertListener),
});
