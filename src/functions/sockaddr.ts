/**
 * `sockaddr`: a subset of go-sockaddr's template language, evaluated over
 * this machine's interfaces. Covered: the sources GetAllInterfaces,
 * GetDefaultInterfaces, GetPrivateInterfaces, GetPublicInterfaces,
 * GetPrivateIP(s), GetPublicIP(s), GetInterfaceIP(s); the filters include,
 * exclude (name, type, flags, rfc, network, address), sort (address,
 * default, name, private, size, type, each with +/-), attr, join, limit,
 * offset and unique. docs/functions.md lists what is not.
 */
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asStrings } from './args.ts'
import { compileGo } from './regex.ts'
import { allInterfaces, defaultInterfaceName, formatIP, parseIP } from './sockaddr-net.ts'
import type { IfAddr } from './sockaddr-net.ts'

type Net = [4 | 6, string, number]

// IANA special-purpose registries (RFC 6890) and the blocks it marks as
// not forwardable; the per-RFC tables name the blocks each RFC defines.
const rfcNets: Record<string, Net[]> = {
  '1918': [[4, '10.0.0.0', 8], [4, '172.16.0.0', 12], [4, '192.168.0.0', 16]],
  '6598': [[4, '100.64.0.0', 10]],
  '4193': [[6, 'fc00::', 7]],
  '5737': [[4, '192.0.2.0', 24], [4, '198.51.100.0', 24], [4, '203.0.113.0', 24]],
  '3927': [[4, '169.254.0.0', 16]],
  '4291': [[6, '::', 128], [6, '::1', 128], [6, '::ffff:0:0', 96], [6, 'fe80::', 10]],
  '6890': [[4, '0.0.0.0', 8], [4, '10.0.0.0', 8], [4, '100.64.0.0', 10],
    [4, '127.0.0.0', 8], [4, '169.254.0.0', 16], [4, '172.16.0.0', 12],
    [4, '192.0.0.0', 24], [4, '192.0.0.0', 29], [4, '192.0.2.0', 24],
    [4, '192.88.99.0', 24], [4, '192.168.0.0', 16], [4, '198.18.0.0', 15],
    [4, '198.51.100.0', 24], [4, '203.0.113.0', 24], [4, '240.0.0.0', 4],
    [4, '255.255.255.255', 32], [6, '::1', 128], [6, '::', 128],
    [6, '64:ff9b::', 96], [6, '::ffff:0:0', 96], [6, '100::', 64],
    [6, '2001::', 23], [6, '2001::', 32], [6, '2001:2::', 48],
    [6, '2001:db8::', 32], [6, '2001:10::', 28], [6, '2002::', 16],
    [6, 'fc00::', 7], [6, 'fe80::', 10]],
}
const notForwardable: Net[] = [[4, '0.0.0.0', 8], [4, '127.0.0.0', 8],
  [4, '169.254.0.0', 16], [4, '192.0.0.0', 24], [4, '192.0.2.0', 24],
  [4, '198.51.100.0', 24], [4, '203.0.113.0', 24], [4, '240.0.0.0', 4],
  [4, '255.255.255.255', 32], [6, '::1', 128], [6, '::', 128],
  [6, '::ffff:0:0', 96], [6, '2001:db8::', 32], [6, '2001:10::', 28],
  [6, 'fe80::', 10]]

function bits(a: IfAddr): number {
  return a.family === 4 ? 32 : 128
}

function inNet(a: IfAddr, [family, base, len]: Net): boolean {
  if (a.family !== family) return false
  const shift = BigInt(bits(a) - len)
  return (a.value >> shift) === (parseIP(base)!.value >> shift)
}

function isRFC(a: IfAddr, rfc: string): boolean {
  const nets = rfcNets[rfc]
  if (nets === undefined) throw new Error(`unsupported RFC ${rfc}`)
  return nets.some((n) => inNet(a, n))
}

function hasFlag(a: IfAddr, flag: string): boolean {
  switch (flag) {
    case 'forwardable': return !notForwardable.some((n) => inNet(a, n))
    case 'down': return !a.flags.includes('up')
    case 'point-to-point': return a.flags.includes('pointtopoint')
    case 'link-local unicast':
      return inNet(a, [4, '169.254.0.0', 16]) || inNet(a, [6, 'fe80::', 10])
    case 'global unicast':
      return !hasFlag(a, 'link-local unicast') && !a.flags.includes('loopback') &&
        !inNet(a, [4, '224.0.0.0', 4]) && !inNet(a, [6, 'ff00::', 8]) && a.value !== 0n
    case 'up': case 'loopback': case 'broadcast': case 'multicast':
      return a.flags.includes(flag)
  }
  throw new Error(`Invalid flag: ${JSON.stringify(flag)}`)
}

function networkOf(a: IfAddr): string {
  const host = BigInt(bits(a) - a.prefix)
  return formatIP(a.family, (a.value >> host) << host)
}

function attrOf(a: IfAddr, attr: string): string {
  switch (attr.toLowerCase()) {
    case 'address': return a.address
    case 'name': return a.name
    case 'network': return networkOf(a)
    case 'size': return String(2n ** BigInt(bits(a) - a.prefix))
    case 'type': return a.family === 4 ? 'IPv4' : 'IPv6'
    case 'flags': return a.flags.join('|')
    case 'mtu': return String(a.mtu)
    case 'hardwareaddr': return a.hw
    case 'prefixlen': return String(a.prefix)
    case 'string': return `${a.address}/${a.prefix}`
  }
  throw new Error(`unsupported attribute name ${JSON.stringify(attr)}`)
}

function matches(a: IfAddr, selector: string, param: string): boolean {
  switch (selector.toLowerCase()) {
    case 'name': return compileGo(param).matcher(a.name).find()
    case 'address': return compileGo(param).matcher(a.address).find()
    case 'type': {
      const want = param.toLowerCase()
      if (want === 'ip') return true
      return want === (a.family === 4 ? 'ipv4' : 'ipv6')
    }
    case 'flag': case 'flags':
      return param.split('|').every((f) => hasFlag(a, f.trim().toLowerCase()))
    case 'rfc': case 'rfcs':
      return param.split(',').some((r) => isRFC(a, r.trim()))
    case 'network': {
      const [base, len] = param.split('/') as [string, string?]
      const ip = parseIP(base)
      if (ip === null) throw new Error(`unable to parse network ${JSON.stringify(param)}`)
      return inNet(a, [ip.family, base, Number(len ?? (ip.family === 4 ? 32 : 128))])
    }
  }
  throw new Error(`invalid selector ${JSON.stringify(selector)}`)
}

function sortBy(list: IfAddr[], spec: string): IfAddr[] {
  const def = defaultInterfaceName()
  const keys = spec.split(',').map((k) => k.trim().toLowerCase())
  const cmp = (x: IfAddr, y: IfAddr): number => {
    for (const key of keys) {
      const desc = key.startsWith('-')
      const k = key.replace(/^[+-]/, '')
      let c = 0
      if (k === 'address') c = x.family - y.family || compareBig(x.value, y.value)
      else if (k === 'name') c = x.name < y.name ? -1 : x.name > y.name ? 1 : 0
      else if (k === 'type') c = x.family - y.family
      else if (k === 'size') c = x.family - y.family || x.prefix - y.prefix
      else if (k === 'default') c = Number(y.name === def) - Number(x.name === def)
      else if (k === 'private') c = Number(isRFC(y, '6890')) - Number(isRFC(x, '6890'))
      else throw new Error(`unsupported sort key ${JSON.stringify(k)}`)
      if (c !== 0) return desc ? -c : c
    }
    return 0
  }
  return [...list].sort(cmp)
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function sourcePrivate(publicOnes: boolean): IfAddr[] {
  const ups = allInterfaces().filter((a) => hasFlag(a, 'forwardable') && hasFlag(a, 'up'))
  return sortBy(ups, 'default,type,size').filter((a) => isRFC(a, '6890') !== publicOnes)
}

type Value = IfAddr[] | string

const sources: Record<string, (...args: string[]) => Value> = {
  GetAllInterfaces: () => allInterfaces(),
  GetDefaultInterfaces: () => {
    const def = defaultInterfaceName()
    return allInterfaces().filter((a) => a.name === def)
  },
  GetPrivateInterfaces: () => sourcePrivate(false),
  GetPublicInterfaces: () => sourcePrivate(true),
  GetPrivateIP: () => sourcePrivate(false)[0]?.address ?? '',
  GetPublicIP: () => sourcePrivate(true)[0]?.address ?? '',
  GetPrivateIPs: () => sortBy(allInterfaces(), 'type,size')
    .filter((a) => isRFC(a, '6890') && hasFlag(a, 'forwardable'))
    .map((a) => a.address).join(' '),
  GetPublicIPs: () => sortBy(allInterfaces(), 'type,size')
    .filter((a) => !isRFC(a, '6890')).map((a) => a.address).join(' '),
  // Only the single-address form keeps forwardable addresses alone.
  GetInterfaceIP: (re = '') => interfaceIPs(re, true)[0] ?? '',
  GetInterfaceIPs: (re = '') => interfaceIPs(re, false).join(' '),
}

function interfaceIPs(re: string, forwardableOnly: boolean): string[] {
  const named = allInterfaces().filter((a) => compileGo(re).matcher(a.name).find())
  const kept = forwardableOnly ? named.filter((a) => hasFlag(a, 'forwardable')) : named
  return sortBy(kept, '+type,+size').map((a) => a.address)
}

function list(v: Value, fn: string): IfAddr[] {
  if (typeof v === 'string') throw new Error(`${fn}: expected a list of interfaces`)
  return v
}

const filters: Record<string, (v: Value, ...args: string[]) => Value> = {
  include: (v, sel = '', p = '') => list(v, 'include').filter((a) => matches(a, sel, p)),
  exclude: (v, sel = '', p = '') => list(v, 'exclude').filter((a) => !matches(a, sel, p)),
  sort: (v, spec = '') => sortBy(list(v, 'sort'), spec),
  attr: (v, name = '') => {
    const first = list(v, 'attr')[0]
    return first === undefined ? '' : attrOf(first, name)
  },
  join: (v, name = '', sep = '') => list(v, 'join').map((a) => attrOf(a, name)).join(sep),
  limit: (v, n = '0') => list(v, 'limit').slice(0, Number(n)),
  offset: (v, n = '0') => {
    const l = list(v, 'offset')
    const k = Number(n)
    return k >= 0 ? l.slice(k) : l.slice(Math.max(l.length + k, 0))
  },
  unique: (v, name = '') => {
    const seen = new Set<string>()
    return list(v, 'unique').filter((a) => {
      const key = attrOf(a, name)
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  },
}

/** Splits a pipeline into commands of words, honouring quoted strings. */
function parsePipeline(text: string): string[][] {
  const cmds: string[][] = [[]]
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\|)|([^\s|"`]+))/gy
  let m: RegExpExecArray | null
  let last = 0
  while ((m = re.exec(text)) !== null && m[0] !== '') {
    last = re.lastIndex
    if (m[3] !== undefined) cmds.push([])
    else if (m[1] !== undefined) cmds[cmds.length - 1]!.push(JSON.parse(`"${m[1]}"`) as string)
    else cmds[cmds.length - 1]!.push(m[2] ?? m[4]!)
  }
  if (text.slice(last).trim() !== '') throw new Error(`unable to parse ${JSON.stringify(text)}`)
  return cmds
}

function printValue(v: Value): string {
  if (typeof v === 'string') return v
  const host = (a: IfAddr) => a.prefix === bits(a) ? a.address : `${a.address}/${a.prefix}`
  return '[' + v.map((a) => `${host(a)} {${a.index} ${a.mtu} ${a.name} ` +
    `${a.hw} ${a.flags.join('|')}}`).join(' ') + ']'
}

/** Evaluates a go-sockaddr pipeline ("GetAllInterfaces | limit 1"). */
export function evalSockaddr(text: string): string {
  const where = `unable to parse template "{{ ${text} }}"`
  const cmds = parsePipeline(text)
  let value: Value | undefined
  for (const [name, ...args] of cmds) {
    if (name === undefined) throw new Error(`${where}: missing command`)
    if (value === undefined) {
      const src = sources[name]
      if (src === undefined) {
        throw new Error(`${where}: template: sockaddr.Parse:1: function "${name}" not defined`)
      }
      value = src(...args)
    } else {
      const f = filters[name]
      if (f === undefined) {
        throw new Error(`${where}: template: sockaddr.Parse:1: function "${name}" not defined`)
      }
      value = f(value, ...args)
    }
  }
  return value === undefined ? '' : printValue(value)
}

/** Returns `sockaddr`. */
export function sockaddrFuncs(): FuncMap {
  return {
    sockaddr: defineFunc((...args: unknown[]) => evalSockaddr(asStrings(args).join(' ')), 1, true),
  }
}
