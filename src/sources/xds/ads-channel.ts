import { channel } from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import { ErrorCode, InvalidConfigError } from '../../errors';
import type { XdsServerConfig } from './bootstrap';
import { decodeMessage, encodeMessage } from './protos';
import type { GrpcBidiCall } from './transport/grpc-bidi-call';
import { parseGrpcTarget } from './transport/grpc-target';
import { Http2GrpcChannel, type GrpcTlsOptions } from './transport/http2-grpc-channel';

const SOTW_METHOD = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';
const DELTA_METHOD = '/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources';

/**
 * `node:diagnostics_channel` on which every ADS response is announced, with `{ bytes }` (its size),
 * as it arrives: before it is decoded or applied. For tracing and for benchmarks that time the
 * client's processing apart from the network; nothing is published while no one subscribes.
 */
export const XDS_RESPONSE_CHANNEL = 'sidecarless:xds:response';
const responseChannel = channel(XDS_RESPONSE_CHANNEL);

/** One bidirectional ADS call: plain objects in (requests), plain objects out (responses). */
export type AdsCall = GrpcBidiCall<object, object>;

function readPem(file: string, field: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new InvalidConfigError(field, `cannot read ${file}`, { code: ErrorCode.INVALID_BOOTSTRAP, cause: e });
  }
}

/** TLS material of a bootstrap server entry, or undefined for `insecure`. */
export function tlsOptionsOf(server: XdsServerConfig): GrpcTlsOptions | undefined {
  const creds = server.channelCreds;
  if (creds.type === 'insecure') return undefined;
  const field = 'xds_servers[].channel_creds.tls.config';
  return {
    ...(creds.caCertificateFile ? { ca: readPem(creds.caCertificateFile, `${field}.ca_certificate_file`) } : {}),
    ...(creds.certificateFile ? { cert: readPem(creds.certificateFile, `${field}.certificate_file`) } : {}),
    ...(creds.privateKeyFile ? { key: readPem(creds.privateKeyFile, `${field}.private_key_file`) } : {}),
  };
}

/**
 * The connection to one xDS server, opening ADS calls (SotW or delta). Messages are (de)serialised
 * with the lean protos, so resources arrive as `{type_url, value}` and are decoded by type URL.
 */
export class AdsChannel {
  readonly server: XdsServerConfig;
  readonly #channel: Http2GrpcChannel;

  constructor(server: XdsServerConfig, userAgent: string) {
    this.server = server;
    const tls = tlsOptionsOf(server);
    this.#channel = new Http2GrpcChannel({
      target: parseGrpcTarget(server.serverUri, 'xds_servers[].server_uri'),
      ...(tls ? { tls } : {}),
      userAgent,
    });
  }

  /** Opens a call. */
  open(delta: boolean): AdsCall {
    const req = delta ? 'envoy.service.discovery.v3.DeltaDiscoveryRequest' : 'envoy.service.discovery.v3.DiscoveryRequest';
    const res = delta ? 'envoy.service.discovery.v3.DeltaDiscoveryResponse' : 'envoy.service.discovery.v3.DiscoveryResponse';
    return this.#channel.openBidi<object, object>(
      delta ? DELTA_METHOD : SOTW_METHOD,
      (value) => encodeMessage(req, value),
      (bytes) => {
        if (responseChannel.hasSubscribers) responseChannel.publish({ bytes: bytes.length });
        return decodeMessage<object>(res, bytes);
      },
    );
  }

  /** Calls `callback` once the connection is established (never after {@link close}). */
  whenReady(callback: () => void): void {
    this.#channel.whenReady(callback);
  }

  close(): void {
    this.#channel.close();
  }
}
