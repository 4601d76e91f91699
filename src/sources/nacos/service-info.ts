import { GROUP_SEPARATOR, type NacosInstance, type NacosServiceInfo } from './nacos-messages';

/**
 * A metadata object as JSON.parse produced it, when every value is a string (the usual case): it
 * is then used as is, without a copy. Otherwise a copy without the non-string values.
 */
function stringMetadata(raw: unknown): Record<string, string> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const o = raw as Record<string, unknown>;
  for (const k in o) {
    if (typeof o[k] !== 'string') {
      const copy: Record<string, string> = {};
      for (const key in o) {
        const v = o[key];
        if (typeof v === 'string') copy[key] = v;
      }
      return copy;
    }
  }
  return o as Record<string, string>;
}

/** One instance of a pushed host list, or undefined when it has no usable ip/port. */
function parseInstance(h: unknown): NacosInstance | undefined {
  if (h === null || typeof h !== 'object') return undefined;
  const i = h as Record<string, unknown>;
  const ip = i['ip'];
  const port = i['port'];
  if (typeof ip !== 'string' || ip === '' || typeof port !== 'number' || !Number.isInteger(port)) return undefined;
  const weight = i['weight'];
  const clusterName = i['clusterName'];
  const instanceId = i['instanceId'];
  const serviceName = i['serviceName'];
  // One object shape for every instance (optional fields set to undefined, not left out): the
  // loops over 10,000s of instances stay monomorphic.
  return {
    instanceId: typeof instanceId === 'string' ? instanceId : undefined,
    ip,
    port,
    weight: typeof weight === 'number' && Number.isFinite(weight) ? weight : 1,
    healthy: i['healthy'] !== false,
    enabled: i['enabled'] !== false,
    ephemeral: i['ephemeral'] !== false,
    clusterName: typeof clusterName === 'string' && clusterName !== '' ? clusterName : 'DEFAULT',
    serviceName: typeof serviceName === 'string' ? serviceName : undefined,
    metadata: stringMetadata(i['metadata']),
  };
}

/**
 * Reads a ServiceInfo JSON object defensively (nacos-protocol §3.2). Returns a problem string
 * when it cannot be used (`hosts: null` included: see {@link hasNullHosts}); unknown fields are
 * ignored and optional ones defaulted. Instances without a usable ip/port are skipped, not fatal. Linear in the host count, one small object per
 * instance (metadata objects of the parsed JSON are kept, not copied).
 */
export function parseServiceInfo(raw: unknown): NacosServiceInfo | string {
  if (!raw || typeof raw !== 'object') return 'serviceInfo is missing';
  const o = raw as Record<string, unknown>;
  if (typeof o['name'] !== 'string' || o['name'] === '') return 'serviceInfo.name is missing';
  let name = o['name'];
  let groupName = typeof o['groupName'] === 'string' ? o['groupName'] : '';
  // Older servers send `group@@name` in name.
  const sep = name.indexOf(GROUP_SEPARATOR);
  if (sep >= 0) {
    if (!groupName) groupName = name.slice(0, sep);
    name = name.slice(sep + GROUP_SEPARATOR.length);
  }
  // Absent hosts are an empty list, as Jackson leaves the Java field's default (§8 check 25).
  const rawHosts = o['hosts'] === undefined ? [] : o['hosts'];
  if (!Array.isArray(rawHosts)) return 'serviceInfo.hosts is not a list';
  const hosts: NacosInstance[] = [];
  for (let n = 0; n < rawHosts.length; n++) {
    const instance = parseInstance(rawHosts[n]);
    if (instance !== undefined) hosts.push(instance);
  }
  return {
    name,
    groupName,
    clusters: typeof o['clusters'] === 'string' ? o['clusters'] : '',
    cacheMillis: typeof o['cacheMillis'] === 'number' ? o['cacheMillis'] : 1000,
    hosts,
    lastRefTime: typeof o['lastRefTime'] === 'number' ? o['lastRefTime'] : 0,
    checksum: typeof o['checksum'] === 'string' ? o['checksum'] : '',
    allIPs: o['allIPs'] === true,
    reachProtectionThreshold: o['reachProtectionThreshold'] === true,
    valid: o['valid'] !== false,
  };
}

/**
 * Whether a ServiceInfo carries `hosts: null`: the Java client ignores such data ("empty or error
 * push") yet acks the push successfully, so the server does not retry it (nacos-protocol §5).
 */
export function hasNullHosts(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && (raw as Record<string, unknown>)['hosts'] === null;
}
