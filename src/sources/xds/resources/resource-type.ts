import type { MeshError } from '../../../errors';
import { decodeMessage } from '../protos';
import { asResourceError } from './resource-error';

/** The outcome of decoding one resource: its name, and either a value or the reason it is invalid. */
export type DecodeResult<T> =
  | { readonly name: string; readonly value: T; readonly error?: undefined }
  | { readonly name: string | undefined; readonly value?: undefined; readonly error: MeshError };

/**
 * One xDS resource type, keyed by its type URL: how to decode and validate it into the model.
 * The xDS client knows no concrete type; it works only through this interface (xds-reference §1).
 */
export interface XdsResourceType<T> {
  /** `type.googleapis.com/...` of the resource message. */
  readonly typeUrl: string;
  /** Short name for messages and dumps: `Listener`, `RouteConfiguration`, `Cluster`, `ClusterLoadAssignment`. */
  readonly kind: string;
  /**
   * SotW: every response carries the complete set of subscribed resources, so a previously received
   * resource missing from a response is deleted (LDS, CDS). False for RDS/EDS (xds-reference §1.6).
   */
  readonly allResourcesRequiredInSotW: boolean;
  /** Decodes the bytes of one resource and validates it. Never throws. */
  decode(bytes: Uint8Array): DecodeResult<T>;
}

const registry = new Map<string, XdsResourceType<unknown>>();

/** Registers a resource type under its type URL (last registration wins). */
export function registerResourceType<T>(type: XdsResourceType<T>): XdsResourceType<T> {
  registry.set(type.typeUrl, type as XdsResourceType<unknown>);
  return type;
}

/** The resource type registered for a type URL, if any. */
export function resourceTypeFor(typeUrl: string): XdsResourceType<unknown> | undefined {
  return registry.get(typeUrl);
}

/**
 * Decodes `bytes` as `messageName`, takes the resource name with `nameOf` and converts with
 * `convert`; any failure becomes the resource's error (keeping the name when it was readable).
 */
export function decodeResource<W, T>(
  messageName: string,
  bytes: Uint8Array,
  nameOf: (wire: W) => string | undefined,
  convert: (wire: W) => T,
): DecodeResult<T> {
  let name: string | undefined;
  try {
    const wire = decodeMessage<W>(messageName, bytes);
    name = nameOf(wire);
    return { name: name ?? '', value: convert(wire) };
  } catch (e) {
    return { name, error: asResourceError(e) };
  }
}
