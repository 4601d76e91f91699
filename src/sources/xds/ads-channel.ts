import { channel } from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import { ErrorCode, InvalidConfigError } from '../../errors';
import type { XdsServerConfig } from './bootstrap';
import { decodeMessage, encodeMessage } from './protos';

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
export type AdsCall = grpc.ClientDuplexStream<object, object>;

let grpcModule: typeof grpc | undefined;

/** `@grpc/grpc-js`, a peer dependency, loaded when the first xDS connection is made. */
export function loadGrpc(): typeof grpc {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  grpcModule ??= require('@grpc/grpc-js') as typeof grpc;
  return grpcModule;
}

function readPem(file: string, field: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new InvalidConfigError(field, `cannot read ${file}`, { code: ErrorCode.INVALID_BOOTSTRAP, cause: e });
  }
}

/** grpc-js channel credentials for a bootstrap server entry. */
export function channelCredentials(server: XdsServerConfig): grpc.ChannelCredentials {
  const g = loadGrpc();
  const creds = server.channelCreds;
  if (creds.type === 'insecure') return g.credentials.createInsecure();
  const field = 'xds_servers[].channel_creds.tls.config';
  return g.credentials.createSsl(
    creds.caCertificateFile ? readPem(creds.caCertificateFile, `${field}.ca_certificate_file`) : null,
    creds.privateKeyFile ? readPem(creds.privateKeyFile, `${field}.private_key_file`) : null,
    creds.certificateFile ? readPem(creds.certificateFile, `${field}.certificate_file`) : null,
  );
}

/**
 * A gRPC channel to one xDS server, opening ADS calls (SotW or delta). Messages are (de)serialised
 * with the lean protos, so resources arrive as `{type_url, value}` and are decoded by type URL.
 */
export class AdsChannel {
  readonly server: XdsServerConfig;
  readonly #client: grpc.Client;
  #closed = false;

  constructor(server: XdsServerConfig) {
    this.server = server;
    const g = loadGrpc();
    this.#client = new g.Client(server.serverUri, channelCredentials(server), {
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      // grpc-js caps received messages at 4 MiB by default; one SotW EDS response of a large mesh
      // (10,000 clusters × 10 endpoints ≈ 5 MiB) exceeds it, the call fails with RESOURCE_EXHAUSTED
      // and every reconnect fails the same way. The control plane is trusted: no cap.
      'grpc.max_receive_message_length': -1,
    });
  }

  /** Opens a call. */
  open(delta: boolean): AdsCall {
    const req = delta ? 'envoy.service.discovery.v3.DeltaDiscoveryRequest' : 'envoy.service.discovery.v3.DiscoveryRequest';
    const res = delta ? 'envoy.service.discovery.v3.DeltaDiscoveryResponse' : 'envoy.service.discovery.v3.DiscoveryResponse';
    return this.#client.makeBidiStreamRequest<object, object>(
      delta ? DELTA_METHOD : SOTW_METHOD,
      (value: object) => encodeMessage(req, value),
      (bytes: Buffer) => {
        if (responseChannel.hasSubscribers) responseChannel.publish({ bytes: bytes.length });
        return decodeMessage<object>(res, bytes);
      },
    );
  }

  /** Calls `callback` once when the channel is READY (never after {@link close}). */
  whenReady(callback: () => void): void {
    const channel = this.#client.getChannel();
    const g = loadGrpc();
    const check = () => {
      if (this.#closed) return;
      const state = channel.getConnectivityState(true);
      if (state === g.connectivityState.READY) {
        callback();
        return;
      }
      if (state === g.connectivityState.SHUTDOWN) return;
      channel.watchConnectivityState(state, Infinity, () => check());
    };
    check();
  }

  close(): void {
    this.#closed = true;
    this.#client.close();
  }
}
