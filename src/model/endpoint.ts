/**
 * Health of an endpoint as its source reports it. Only `HEALTHY` and `UNKNOWN` endpoints receive
 * traffic (xds-reference §5.1).
 */
export type HealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

/** Where an endpoint runs. Empty strings mean "not set". */
export interface Locality {
  readonly region: string;
  readonly zone: string;
  readonly subZone: string;
}

/** The locality with every part empty. */
export const EMPTY_LOCALITY: Locality = Object.freeze({ region: '', zone: '', subZone: '' });

/** A stable string key for a locality, used to group and compare localities. */
export function localityKey(locality: Locality): string {
  return `${locality.region}/${locality.zone}/${locality.subZone}`;
}

/** One backend address of a cluster. Immutable; a change builds a new snapshot. */
export interface Endpoint {
  /** IP address or host name, without brackets for IPv6. */
  readonly host: string;
  /** TCP port, 1..65535. */
  readonly port: number;
  /** `host:port`, IPv6 as `[host]:port`. Identity of the endpoint across updates. */
  readonly address: string;
  /** Load-balancing weight, an integer >= 1 (default 1). */
  readonly weight: number;
  /** Health as reported by the source. */
  readonly health: HealthStatus;
  /** Locality of the endpoint. */
  readonly locality: Locality;
  /** Priority level, 0 is the highest. */
  readonly priority: number;
  /** Metadata labels, for example `version: v2`. Used by subsets and shown in dumps. */
  readonly labels: Readonly<Record<string, string>>;
  /** Ring-hash key override (`envoy.lb` `hash_key` metadata); the address is used when absent. */
  readonly hashKey?: string;
}

/** Fields accepted by {@link createEndpoint}; everything but host and port has a default. */
export interface EndpointInit {
  host: string;
  port: number;
  weight?: number;
  health?: HealthStatus;
  locality?: Partial<Locality>;
  priority?: number;
  labels?: Record<string, string>;
  hashKey?: string;
}

/** `host:port`, bracketing IPv6 literals. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Builds a frozen {@link Endpoint}, filling defaults. Sources validate their input before calling it. */
export function createEndpoint(init: EndpointInit): Endpoint {
  const locality = init.locality
    ? Object.freeze({
        region: init.locality.region ?? '',
        zone: init.locality.zone ?? '',
        subZone: init.locality.subZone ?? '',
      })
    : EMPTY_LOCALITY;
  const endpoint: Endpoint = {
    host: init.host,
    port: init.port,
    address: formatAddress(init.host, init.port),
    weight: init.weight ?? 1,
    health: init.health ?? 'UNKNOWN',
    locality,
    priority: init.priority ?? 0,
    labels: Object.freeze({ ...(init.labels ?? {}) }),
    ...(init.hashKey ? { hashKey: init.hashKey } : {}),
  };
  return Object.freeze(endpoint);
}

/** Whether the endpoint may receive traffic according to its reported health. */
export function isServingHealth(health: HealthStatus): boolean {
  return health === 'HEALTHY' || health === 'UNKNOWN';
}
