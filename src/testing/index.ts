/**
 * Embedded control planes for tests, demos and local development (not for production): an xDS
 * control plane (ADS, state-of-the-world and delta) and a Nacos-2.x-compatible server, both on
 * loopback.
 * @packageDocumentation
 */
export { XdsControlPlane } from './xds-control-plane';
export type {
  XdsControlPlaneOptions,
  XdsControlPlaneEvents,
  ControlPlaneStream,
  ReceivedNack,
} from './xds-control-plane';
export * from './nacos-server';
export type { NacosInstance } from '../sources/nacos/nacos-messages';
export type { WireNode, WireDiscoveryRequest, WireDeltaDiscoveryRequest, WireStatus, WireLocality, WireStruct, WireValue } from '../sources/xds/wire-types';
