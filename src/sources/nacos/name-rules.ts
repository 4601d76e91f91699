/**
 * The Nacos 2.x server's default parameter checks (nacos-protocol §3.6). Each function returns
 * the problem as text, or undefined when the value is acceptable. Used by the source to validate
 * options and by the test server to answer errorCode 400.
 */

const NAMESPACE = /^[\w-]+$/;
const DATA_ID_OR_GROUP = /^[a-zA-Z0-9\-_:.]*$/;
const CLUSTER = /^[0-9a-zA-Z\-_]+$/;
const WHITESPACE = /\s/;
// Nacos rejects CJK characters in service names.
const CJK = /[\u4e00-\u9fa5]/;

/** Namespace id: at most 64 characters of `[A-Za-z0-9_-]`. */
export function namespaceProblem(value: string): string | undefined {
  if (value.length > 64) return 'must be at most 64 characters';
  if (!NAMESPACE.test(value)) return 'may contain only letters, digits, "_" and "-"';
  return undefined;
}

/** Group (naming or config): at most 128 characters of `[A-Za-z0-9-_:.]`, not empty. */
export function groupProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > 128) return 'must be at most 128 characters';
  if (!DATA_ID_OR_GROUP.test(value)) return 'may contain only letters, digits, "-", "_", ":" and "."';
  return undefined;
}

/** Config data id: at most 256 characters of `[A-Za-z0-9-_:.]`, not empty. */
export function dataIdProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > 256) return 'must be at most 256 characters';
  if (!DATA_ID_OR_GROUP.test(value)) return 'may contain only letters, digits, "-", "_", ":" and "."';
  return undefined;
}

/** Service name: 1..512 characters, no leading "@", no "@@", no whitespace or CJK characters. */
export function serviceNameProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > 512) return 'must be at most 512 characters';
  if (value.startsWith('@')) return 'must not start with "@"';
  if (value.includes('@@')) return 'must not contain "@@"';
  if (WHITESPACE.test(value) || CJK.test(value)) return 'must not contain whitespace or CJK characters';
  return undefined;
}

/** Cluster name: 1..64 characters of `[A-Za-z0-9-_]`. */
export function clusterProblem(value: string): string | undefined {
  if (value.length > 64) return 'must be at most 64 characters';
  if (!CLUSTER.test(value)) return 'may contain only letters, digits, "-" and "_"';
  return undefined;
}

/** Instance IP: 1..128 characters, no whitespace. */
export function ipProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > 128) return 'must be at most 128 characters';
  if (WHITESPACE.test(value)) return 'must not contain whitespace';
  return undefined;
}

/** Instance port: an integer 0..65535. */
export function portProblem(value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 && value <= 65535 ? undefined : 'must be an integer 0..65535';
}

/** Instance metadata: at most 1024 characters as JSON. */
export function metadataProblem(value: Record<string, string>): string | undefined {
  return JSON.stringify(value).length > 1024 ? 'must be at most 1024 characters as JSON' : undefined;
}
