import * as fs from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import { ErrorCode, InvalidConfigError } from '../../errors';
import type { XdsServerConfig } from './bootstrap';
import { decodeMessage, encodeMessage } from './protos';

const SOTW_METHOD = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';
const DELTA_METHOD = '/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources';

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
    });
  }

  /** Opens a call. */
  open(delta: boolean): AdsCall {
    const req = delta ? 'envoy.service.discovery.v3.DeltaDiscoveryRequest' : 'envoy.service.discovery.v3.DiscoveryRequest';
    const res = delta ? 'envoy.service.discovery.v3.DeltaDiscoveryResponse' : 'envoy.service.discovery.v3.DiscoveryResponse';
    return this.#client.makeBidiStreamRequest<object, object>(
      delta ? DELTA_METHOD : SOTW_METHOD,
      (value: object) => encodeMessage(req, value),
      (bytes: Buffer) => decodeMessage<object>(res, bytes),
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
