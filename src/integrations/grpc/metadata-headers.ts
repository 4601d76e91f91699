import type { Metadata } from '@grpc/grpc-js';
import type { HeaderBag } from '../../routing/request-context';

/** gRPC metadata as routing headers: text entries only (`-bin` entries never take part in routing, A28). */
export function metadataHeaders(metadata: Metadata): HeaderBag {
  const out: Record<string, string> = {};
  const map = metadata.getMap();
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
