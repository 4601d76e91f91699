import type * as grpc from '@grpc/grpc-js';
import { decodeMessage, encodeMessage } from '../sources/xds/protos';

function bidi(path: string, request: string, response: string) {
  return {
    path,
    requestStream: true,
    responseStream: true,
    requestSerialize: (v: object) => encodeMessage(request, v),
    requestDeserialize: (b: Buffer) => decodeMessage<object>(request, b),
    responseSerialize: (v: object) => encodeMessage(response, v),
    responseDeserialize: (b: Buffer) => decodeMessage<object>(response, b),
  };
}

/**
 * The grpc-js service definition of envoy.service.discovery.v3.AggregatedDiscoveryService over the
 * lean protos: messages are plain snake_case objects, resources `{type_url, value}`.
 */
export function adsServiceDefinition(): grpc.ServiceDefinition {
  return {
    StreamAggregatedResources: bidi(
      '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources',
      'envoy.service.discovery.v3.DiscoveryRequest',
      'envoy.service.discovery.v3.DiscoveryResponse',
    ),
    DeltaAggregatedResources: bidi(
      '/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources',
      'envoy.service.discovery.v3.DeltaDiscoveryRequest',
      'envoy.service.discovery.v3.DeltaDiscoveryResponse',
    ),
  } as unknown as grpc.ServiceDefinition;
}
