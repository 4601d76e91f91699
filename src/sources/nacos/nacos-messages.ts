/**
 * JSON shapes of the Nacos 2.x requests and responses that sidecarless sends or reads
 * (nacos-protocol §3). Field names are the Java ones; the type name of each message travels in
 * `Metadata.type`.
 */

/** Error codes of Nacos responses (nacos-protocol §3.4). */
export const NacosErrorCode = {
  /** Server starting; also "config not found" in ConfigQueryResponse. */
  INVALID_SERVER_STATUS: 300,
  /** Unary request on an unregistered connection. */
  UN_REGISTER: 301,
  /** Unknown Metadata.type. */
  NO_HANDLER: 302,
  INVALID_PARAM: 400,
  NO_RIGHT: 403,
  SERVER_ERROR: 500,
  BAD_GATEWAY: 502,
  /** Naming operation on a connection without a naming client. */
  CLIENT_DISCONNECT: -401,
  /** The client failed to handle a push. */
  CLIENT_ERROR: -500,
} as const;

/** Fields every response carries (Jackson output of `Response`). */
export interface ResponseBase {
  resultCode: number;
  errorCode: number;
  message?: string;
  requestId?: string;
  success: boolean;
}

/** A Nacos naming instance (`com.alibaba.nacos.api.naming.pojo.Instance`). */
export interface NacosInstance {
  instanceId?: string;
  ip: string;
  port: number;
  weight: number;
  healthy: boolean;
  enabled: boolean;
  ephemeral: boolean;
  clusterName: string;
  /** In server output always `group@@service`. */
  serviceName?: string;
  metadata: Record<string, string>;
}

/** A Nacos service with its instances (`ServiceInfo`). */
export interface NacosServiceInfo {
  name: string;
  groupName: string;
  clusters: string;
  cacheMillis: number;
  hosts: NacosInstance[];
  lastRefTime: number;
  checksum: string;
  allIPs: boolean;
  reachProtectionThreshold: boolean;
  valid: boolean;
}

/** A config key as used by listen contexts and change notifications. */
export interface ConfigKey {
  dataId: string;
  group: string;
  tenant: string;
}

/** The connection labels the client sends in ConnectionSetupRequest (§2.2). */
export type ConnectionLabels = Readonly<Record<string, string>>;

/** The separator of a grouped service name, `group@@service`. */
export const GROUP_SEPARATOR = '@@';

/** `group@@service`. */
export function groupedServiceName(group: string, service: string): string {
  return `${group}${GROUP_SEPARATOR}${service}`;
}
