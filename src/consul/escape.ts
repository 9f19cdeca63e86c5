/**
 * URL escaping as Go's net/url does it, so the requests ctmpl sends are the
 * bytes consul-template sends: query keys sorted, `QueryEscape` for keys and
 * values (space becomes `+`), `EscapedPath` rules for the path.
 */

const hex = '0123456789ABCDEF'

/** Reports whether a byte is one of RFC 3986's unreserved characters. */
function unreserved(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f ||
    b === 0x7e
}

// Go's shouldEscape for encodePath leaves these reserved bytes alone.
const pathSafe = new Set([...'$&+,/:;=@'].map((c) => c.charCodeAt(0)))

function escapeBytes(s: string, keep: (b: number) => boolean,
  spaceAsPlus: boolean): string {
  const bytes = Buffer.from(s, 'utf8')
  let out = ''
  for (const b of bytes) {
    if (keep(b)) out += String.fromCharCode(b)
    else if (spaceAsPlus && b === 0x20) out += '+'
    else out += '%' + hex[b >> 4] + hex[b & 15]
  }
  return out
}

/** Escapes a query key or value as Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  return escapeBytes(s, unreserved, true)
}

/** Escapes a URL path as Go's url.URL.EscapedPath does for a plain path. */
export function pathEscape(s: string): string {
  return escapeBytes(s, (b) => unreserved(b) || pathSafe.has(b), false)
}

/** One query parameter; repeated keys keep their order, as url.Values. */
export type QueryPair = readonly [key: string, value: string]

/** Encodes pairs as Go's url.Values.Encode: sorted by key (stable). */
export function encodeQuery(pairs: readonly QueryPair[]): string {
  const sorted = [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return sorted.map(([k, v]) => `${queryEscape(k)}=${queryEscape(v)}`).join('&')
}
