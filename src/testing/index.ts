/**
 * Embedded control planes for tests, demos and local development (not for production).
 * @packageDocumentation
 */
export { XdsControlPlane } from './xds-control-plane';
export type {
  XdsControlPlaneOptions,
  XdsControlPlaneEvents,
  ControlPlaneStream,
  ReceivedNack,
} from './xds-control-plane';
