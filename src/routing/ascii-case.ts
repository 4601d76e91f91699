// Envoy's `ignore_case` and `case_sensitive: false` fold ASCII letters only (absl::EqualsIgnoreCase),
// so these helpers do the same, and compare in place: no lower-cased copy of the request value.

const UPPER_A = 65;
const UPPER_Z = 90;

function fold(code: number): number {
  return code >= UPPER_A && code <= UPPER_Z ? code + 32 : code;
}

/** `s` with ASCII letters lower-cased (non-ASCII characters are left as they are). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/**
 * Whether `s` holds `lowerPattern` at `offset`, ASCII letters compared case-insensitively.
 * `lowerPattern` must already be {@link asciiLower}ed.
 */
export function regionEqualsIgnoreCase(s: string, offset: number, lowerPattern: string): boolean {
  const n = lowerPattern.length;
  if (offset < 0 || offset + n > s.length) return false;
  for (let i = 0; i < n; i++) {
    if (fold(s.charCodeAt(offset + i)) !== lowerPattern.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether `s` (up to `end`) contains `lowerPattern`, ASCII letters compared case-insensitively. */
export function containsIgnoreCase(s: string, lowerPattern: string, end: number = s.length): boolean {
  const last = end - lowerPattern.length;
  for (let i = 0; i <= last; i++) {
    if (regionEqualsIgnoreCase(s, i, lowerPattern)) return true;
  }
  return false;
}
