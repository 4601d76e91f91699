import { GROUP_SEPARATOR, type NacosInstance, type NacosServiceInfo } from './nacos-messages';

/**
 * Reads a ServiceInfo JSON object defensively (nacos-protocol §3.2). Returns a problem string
 * when it cannot be used; unknown fields are ignored and optional ones defaulted. Instances
 * without a usable ip/port are skipped, not fatal.
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
  if (!Array.isArray(o['hosts'])) return 'serviceInfo.hosts is not a list';
  const hosts: NacosInstance[] = [];
  for (const h of o['hosts'] as unknown[]) {
    if (!h || typeof h !== 'object') continue;
    const i = h as Record<string, unknown>;
    if (typeof i['ip'] !== 'string' || i['ip'] === '' || typeof i['port'] !== 'number' || !Number.isInteger(i['port'])) continue;
    const metadata: Record<string, string> = {};
    if (i['metadata'] && typeof i['metadata'] === 'object') {
      for (const [k, v] of Object.entries(i['metadata'] as Record<string, unknown>)) if (typeof v === 'string') metadata[k] = v;
    }
    hosts.push({
      ...(typeof i['instanceId'] === 'string' ? { instanceId: i['instanceId'] } : {}),
      ip: i['ip'],
      port: i['port'],
      weight: typeof i['weight'] === 'number' && Number.isFinite(i['weight']) ? i['weight'] : 1,
      healthy: i['healthy'] !== false,
      enabled: i['enabled'] !== false,
      ephemeral: i['ephemeral'] !== false,
      clusterName: typeof i['clusterName'] === 'string' && i['clusterName'] ? i['clusterName'] : 'DEFAULT',
      ...(typeof i['serviceName'] === 'string' ? { serviceName: i['serviceName'] } : {}),
      metadata,
    });
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
