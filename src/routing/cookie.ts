const EQ = 61;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function findInOne(header: string, name: string): string | undefined {
  const len = header.length;
  let start = 0;
  while (start < len) {
    while (start < len && isBlank(header.charCodeAt(start))) start++;
    let stop = header.indexOf(';', start);
    if (stop < 0) stop = len;
    const eq = start + name.length;
    if (eq < stop && header.charCodeAt(eq) === EQ && header.startsWith(name, start)) {
      let from = eq + 1;
      let to = stop;
      while (to > from && isBlank(header.charCodeAt(to - 1))) to--;
      if (to - from >= 2 && header.charCodeAt(from) === QUOTE && header.charCodeAt(to - 1) === QUOTE) {
        from++;
        to--;
      }
      return to > from ? header.slice(from, to) : undefined;
    }
    start = stop + 1;
  }
  return undefined;
}

/**
 * The value of cookie `name` in a `cookie` request header (`a=1; b="2"`), surrounding quotes
 * removed; the first occurrence wins; undefined when absent. A header given as several values
 * (HTTP/2 may split cookies) is searched value by value. An empty value counts as absent, as in
 * Envoy's cookie hash policy. Only the returned value is allocated.
 */
export function findCookie(cookieHeader: string | readonly string[] | undefined, name: string): string | undefined {
  if (typeof cookieHeader === 'string') return findInOne(cookieHeader, name);
  if (Array.isArray(cookieHeader)) {
    for (const one of cookieHeader) {
      if (typeof one !== 'string') continue;
      const value = findInOne(one, name);
      if (value !== undefined) return value;
    }
  }
  return undefined;
}
