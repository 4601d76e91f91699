import type { NacosInstance } from './nacos-messages';

/** Nacos weights are doubles; endpoint weights are integers. 1.0 → 100 keeps two decimals. */
export const NACOS_WEIGHT_SCALE = 100;

/** Endpoint weight of a Nacos weight: `round(weight × 100)`, at least 1, at most 1,000,000. */
export function endpointWeight(nacosWeight: number): number {
  return Math.min(1_000_000, Math.max(1, Math.round(nacosWeight * NACOS_WEIGHT_SCALE)));
}

/** Whether Nacos would route to the instance at all: enabled and weight > 0 (Java `selectInstances`). */
export function isRoutable(i: NacosInstance): boolean {
  return i.enabled && i.weight > 0;
}

/** Whether the instance can take traffic now (routable and healthy), as Nacos `ServiceInfo.validate()`. */
export function isUsable(i: NacosInstance): boolean {
  return isRoutable(i) && i.healthy;
}
