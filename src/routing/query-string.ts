const AMP = 38; // '&'
const EQ = 61; // '='

function decode(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // malformed escapes are compared as sent
  }
}

/**
 * The first value of query parameter `name` in `path` (`/p?a=1&b=2#frag`), percent-decoded;
 * `''` when it appears without `=`; undefined when absent. Names are compared as sent. Scans in
 * place; only the returned value is allocated.
 */
export function findQueryParameter(path: string, name: string): string | undefined {
  const q = path.indexOf('?');
  if (q < 0) return undefined;
  let end = path.indexOf('#');
  if (end >= 0 && end < q) return undefined; // the '?' is inside the fragment
  if (end < 0) end = path.length;
  const n = name.length;
  let start = q + 1;
  while (start < end) {
    let stop = start;
    while (stop < end && path.charCodeAt(stop) !== AMP) stop++;
    if (path.startsWith(name, start)) {
      const after = start + n;
      if (after === stop) return '';
      if (after < stop && path.charCodeAt(after) === EQ) return decode(path.slice(after + 1, stop));
    }
    start = stop + 1;
  }
  return undefined;
}
