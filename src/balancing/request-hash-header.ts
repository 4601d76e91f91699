import { requestValueHashes } from '../hashing/hash-memo';
import type { HeaderBag } from '../routing/request-context';

/**
 * A76 `request_hash_header`: XXH64 of the header's value (several values joined by `,`), or
 * undefined when the header is absent (the picker then uses a random point). `-bin` headers are
 * never hashed, as for route hash policies.
 * @param name lower-case header name.
 */
export function hashRequestHeader(headers: HeaderBag | undefined, name: string): bigint | undefined {
  if (headers === undefined || name.endsWith('-bin')) return undefined;
  const value = headers[name];
  if (value === undefined) return undefined;
  return requestValueHashes.hash(typeof value === 'string' ? value : value.join(','));
}
