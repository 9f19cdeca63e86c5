/**
 * `urlParse` and `urlJoin`: the part of Go's net/url they rely on
 * (url.Parse, URL.String, Hostname, Userinfo) with Go's escaping rules.
 */
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { argDict, argString, strval } from './convert.ts'
import { quote } from './fmt.ts'

type Mode = 'path' | 'host' | 'user' | 'query' | 'fragment'

// Go's shouldEscape: which bytes a URL component writes as %XX.
function shouldEscape(c: number, mode: Mode): boolean {
  const ch = String.fromCharCode(c)
  if (/[A-Za-z0-9\-_.~]/.test(ch)) return false
  if (mode === 'host') return !/[!$&'()*+,;=:[\]<>"]/.test(ch)
  if ('$&+,/:;=?@'.includes(ch)) {
    if (mode === 'path') return ch === '?'
    if (mode === 'user') return '@/?:'.includes(ch)
    if (mode === 'query') return true
    return false
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false
  return true
}

/** Escapes a URL component as Go's url.escape does. */
export function escape(s: string, mode: Mode): string {
  let out = ''
  for (const b of Buffer.from(s)) {
    out += shouldEscape(b, mode)
      ? '%' + b.toString(16).toUpperCase().padStart(2, '0')
      : String.fromCharCode(b)
  }
  return out
}

/** Decodes %XX escapes; throws Go's `invalid URL escape "%zz"`. */
export function unescape(s: string, mode: Mode): string {
  const bytes: number[] = []
  const src = Buffer.from(s)
  for (let k = 0; k < src.length; k++) {
    if (src[k] !== 0x25) {
      bytes.push(src[k]!)
      continue
    }
    const hex = src.subarray(k, k + 3).toString('latin1')
    if (!/^%[0-9a-fA-F]{2}$/.test(hex)) {
      throw new Error(`invalid URL escape ${quote(hex)}`)
    }
    const v = parseInt(hex.slice(1), 16)
    if (mode === 'host' && v < 0x80 && hex !== '%25') {
      throw new Error(`invalid URL escape ${quote(hex)}`)
    }
    bytes.push(v)
    k += 2
  }
  return Buffer.from(bytes).toString()
}

// Go's parseHost: an optional [IPv6] part, a port of digits only, and no
// character a host may not hold.
function parseHost(host: string): string {
  const validPort = (p: string) => p === '' || /^:\d*$/.test(p)
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']')
    if (close < 0) throw new Error("missing ']' in host")
    const port = host.slice(close + 1)
    if (!validPort(port)) throw new Error(`invalid port ${quote(port)} after host`)
  } else {
    const colon = host.lastIndexOf(':')
    if (colon >= 0 && !validPort(host.slice(colon))) {
      throw new Error(`invalid port ${quote(host.slice(colon))} after host`)
    }
  }
  for (const ch of host) {
    if (ch.charCodeAt(0) < 0x80 && ch !== '%' && shouldEscape(ch.charCodeAt(0), 'host')) {
      throw new Error(`invalid character ${quote(ch)} in host name`)
    }
  }
  return unescape(host, 'host')
}

/** The fields of a parsed URL that Sprig reads and writes. */
export interface ParsedURL {
  scheme: string
  opaque: string
  user: { name: string, password?: string } | null
  host: string
  path: string
  rawQuery: string
  forceQuery: boolean
  fragment: string
}

/** Parses a URL as Go's url.Parse does (scheme lower-cased). */
export function parseURL(raw: string): ParsedURL {
  // Go quotes the URL without its fragment, unless the fragment failed.
  let shown = raw.split('#')[0]!
  const fail = (msg: string): never => {
    throw new Error(`parse ${quote(shown)}: ${msg}`)
  }
  const u: ParsedURL = {
    scheme: '', opaque: '', user: null, host: '', path: '', rawQuery: '',
    forceQuery: false, fragment: '',
  }
  let rest = raw
  const hash = rest.indexOf('#')
  if (hash >= 0) {
    rest = rest.slice(0, hash)
  }
  if (/[\x00-\x1f\x7f]/.test(rest)) fail('net/url: invalid control character in URL')
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest)
  if (scheme) {
    u.scheme = scheme[1]!.toLowerCase()
    rest = rest.slice(scheme[0].length)
  } else if (rest.startsWith(':')) {
    fail('missing protocol scheme')
  }
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    u.forceQuery = true
    rest = rest.slice(0, -1)
  } else if (rest.includes('?')) {
    u.rawQuery = rest.slice(rest.indexOf('?') + 1)
    rest = rest.slice(0, rest.indexOf('?'))
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest
      return u
    }
    const seg = rest.split('/')[0]!
    if (seg.includes(':')) fail('first path segment in URL cannot contain colon')
  }
  if (rest.startsWith('//') && (u.scheme !== '' || !rest.startsWith('///'))) {
    const slash = rest.indexOf('/', 2)
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash)
    rest = slash < 0 ? '' : rest.slice(slash)
    const at = authority.lastIndexOf('@')
    const host = at < 0 ? authority : authority.slice(at + 1)
    const info = authority.slice(0, Math.max(at, 0))
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(info)) fail('net/url: invalid userinfo')
    try {
      if (at >= 0) {
        const colon = info.indexOf(':')
        u.user = colon < 0
          ? { name: unescape(info, 'user') }
          : { name: unescape(info.slice(0, colon), 'user'),
              password: unescape(info.slice(colon + 1), 'user') }
      }
      u.host = parseHost(host)
    } catch (e) {
      fail((e as Error).message)
    }
  }
  try {
    u.path = unescape(rest, 'path')
    if (hash >= 0) {
      shown = raw
      u.fragment = unescape(raw.slice(hash + 1), 'fragment')
    }
  } catch (e) {
    fail((e as Error).message)
  }
  return u
}

/** Returns the host without its port and IPv6 brackets (URL.Hostname). */
export function hostname(host: string): string {
  const bracket = /^\[([^\]]*)\]/.exec(host)
  if (bracket) return bracket[1]!
  const colon = host.lastIndexOf(':')
  return colon < 0 ? host : host.slice(0, colon)
}

function userString(user: NonNullable<ParsedURL['user']>): string {
  const name = escape(user.name, 'user')
  return user.password === undefined ? name : name + ':' + escape(user.password, 'user')
}

/** Formats a URL as Go's URL.String does. */
export function formatURL(u: ParsedURL): string {
  let out = u.scheme ? u.scheme + ':' : ''
  if (u.opaque) {
    out += u.opaque
  } else {
    if (u.scheme || u.host || u.user) {
      if (u.host || u.path || u.user) out += '//'
      if (u.user) out += userString(u.user) + '@'
      if (u.host) out += escape(u.host, 'host')
    }
    const path = u.path === '*' ? '*' : escape(u.path, 'path')
    if (path !== '' && path[0] !== '/' && u.host) out += '/'
    if (out === '' && path.split('/')[0]!.includes(':')) out += './'
    out += path
  }
  if (u.forceQuery || u.rawQuery) out += '?' + u.rawQuery
  if (u.fragment) out += '#' + escape(u.fragment, 'fragment')
  return out
}

function urlParse(v: string): Record<string, unknown> {
  let u: ParsedURL
  try {
    u = parseURL(v)
  } catch (e) {
    throw new Error(`unable to parse url: ${(e as Error).message}`)
  }
  return {
    scheme: u.scheme, host: u.host, hostname: hostname(u.host), path: u.path,
    query: u.rawQuery, opaque: u.opaque, fragment: u.fragment,
    userinfo: u.user ? userString(u.user) : '',
  }
}

function urlJoin(d: Record<string, unknown> | null): string {
  const get = (k: string) => {
    const v = d?.[k]
    return v === undefined || v === null ? '' : strval(v)
  }
  let user: ParsedURL['user'] = null
  const info = d?.userinfo
  if (info !== undefined && info !== '') {
    try {
      user = parseURL(`proto://${strval(info)}@host`).user
    } catch (e) {
      throw new Error(`unable to parse userinfo in dict: ${(e as Error).message}`)
    }
  }
  return formatURL({
    scheme: get('scheme'), host: get('host'), path: get('path'), rawQuery: get('query'),
    opaque: get('opaque'), fragment: get('fragment'), user, forceQuery: false,
  })
}

/** Returns Sprig's URL functions, keyed by their Sprig names. */
export function urlFuncs(): FuncMap {
  return {
    urlParse: defineFunc((v) => urlParse(argString(v)), 1),
    urlJoin: defineFunc((d) => urlJoin(argDict(d)), 1),
  }
}
