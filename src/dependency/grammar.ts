/**
 * The reference's dependency-string grammar: anchored regular expressions
 * built from shared pieces (`[[:word:]]` is [0-9A-Za-z_]), plus the
 * `?query` options that may follow a name.
 */
import { DependencyError } from './types.ts'

const word = '0-9A-Za-z_'

/** Regex pieces, each with its named group. */
export const pieces = {
  dc: `(?:@(?<dc>[${word}.\\-]+))?`,
  key: `/?(?<key>[^@?]+)`,
  filter: `(?:\\|(?<filter>[${word},]+))?`,
  serviceName: `(?<name>[${word}\\-]+)`,
  query: `(?:\\?(?<query>[${word}\\-=&]+))?`,
  nodeName: `(?<name>[${word}.\\-]+)`,
  near: `(?:~(?<near>[${word}.\\-]+))?`,
  prefix: `/?(?<prefix>[^@?]+)`,
  tag: `(?:(?<tag>[${word}=:.\\-]+)\\.)?`,
} as const

/** Builds an anchored regex from pieces. */
export function anchored(...parts: string[]): RegExp {
  return new RegExp(`^${parts.join('')}$`)
}

/** Matches s and returns its named groups ('' for groups that did not
 * take part), or undefined when it does not match. */
export function matchGroups(re: RegExp, s: string): Record<string, string> | undefined {
  const m = re.exec(s)
  if (!m) return undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(m.groups ?? {})) out[k] = v ?? ''
  return out
}

/** The enterprise / peering options a `?query` may carry. */
export interface ConsulQueryOpts {
  ns: string
  partition: string
  peer: string
  samenessGroup: string
}

const allowedKeys = ['ns', 'peer', 'partition', 'sameness-group']

/** Parses the `query` group as the reference does: URL query syntax, only
 * ns, peer, partition and sameness-group allowed; the first value wins. */
export function parseQueryOpts(raw: string, label: string): ConsulQueryOpts {
  const out: ConsulQueryOpts = { ns: '', partition: '', peer: '', samenessGroup: '' }
  if (raw === '') return out
  const values = new Map<string, string>()
  for (const part of raw.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const k = eq < 0 ? part : part.slice(0, eq)
    const v = eq < 0 ? '' : part.slice(eq + 1)
    if (!allowedKeys.includes(k)) {
      throw new DependencyError(`${label}: invalid query parameter key ${goQuote(k)} ` +
        `in query ${goQuote(raw)}: supported keys: ns,peer,partition,sameness-group`,
        'EDEP_PARSE')
    }
    if (!values.has(k)) values.set(k, v)
  }
  out.ns = values.get('ns') ?? ''
  out.partition = values.get('partition') ?? ''
  out.peer = values.get('peer') ?? ''
  out.samenessGroup = values.get('sameness-group') ?? ''
  return out
}

/** Quotes a string as Go's %q does for printable ASCII and common escapes. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0) as number
    if (ch === '"' || ch === '\\') out += '\\' + ch
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0')
    else out += ch
  }
  return out + '"'
}

/** Builds a "<label>: invalid format: %q" parse error. */
export function invalidFormat(label: string, s: string): DependencyError {
  return new DependencyError(`${label}: invalid format: ${goQuote(s)}`, 'EDEP_PARSE')
}

/** Appends the query options to a key the way the reference's String()
 * methods do ("@partition=p@ns=n"); peer/sameness-group only for health. */
export function querySuffix(q: ConsulQueryOpts, withPeering: boolean): string {
  let s = ''
  if (q.partition) s += '@partition=' + q.partition
  if (q.ns) s += '@ns=' + q.ns
  if (withPeering && q.peer) s += '@peer=' + q.peer
  if (withPeering && q.samenessGroup) s += '@sameness-group=' + q.samenessGroup
  return s
}

/** A small parse cache: dependency strings repeat on every render. */
export class ParseCache<T> {
  readonly #map = new Map<string, T>()

  constructor(private readonly limit = 4096) {}

  /** Returns the cached value for s, computing it on a miss. */
  get(s: string, make: (s: string) => T): T {
    let v = this.#map.get(s)
    if (v === undefined) {
      if (this.#map.size >= this.limit) this.#map.clear()
      v = make(s)
      this.#map.set(s, v)
    }
    return v
  }
}
