/**
 * This machine's interface addresses in the shape go-sockaddr reasons
 * about (name, index, MTU, flags, address and prefix), read from
 * os.networkInterfaces and, on Linux, /sys/class/net and /proc/net/route.
 */
import { readFileSync } from 'node:fs'
import { networkInterfaces } from 'node:os'

/** One address of one interface. */
export interface IfAddr {
  name: string
  index: number
  mtu: number
  hw: string
  flags: string[]
  family: 4 | 6
  /** The address as a 32- or 128-bit integer. */
  value: bigint
  prefix: number
  address: string
}

const flagBits: Array<[number, string]> = [[0x1, 'up'], [0x2, 'broadcast'],
  [0x8, 'loopback'], [0x10, 'pointtopoint'], [0x1000, 'multicast'], [0x40, 'running']]

function readSys(name: string, file: string): string | undefined {
  try {
    return readFileSync(`/sys/class/net/${name}/${file}`, 'utf8').trim()
  } catch {
    return undefined
  }
}

/** Parses a dotted IPv4 or RFC 4291 IPv6 text address into an integer. */
export function parseIP(text: string): { family: 4 | 6; value: bigint } | null {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) {
    const parts = text.split('.').map(Number)
    if (parts.some((p) => p > 255)) return null
    return { family: 4, value: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n) }
  }
  if (!text.includes(':')) return null
  let t = text.replace(/%.*$/, '')
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t)
  if (v4) {
    const n = parseIP(v4[1]!)!.value
    t = t.slice(0, -v4[1]!.length) + (n >> 16n).toString(16) + ':' + (n & 0xffffn).toString(16)
  }
  const [head, tail] = t.split('::') as [string, string?]
  const h = head === '' ? [] : head.split(':')
  const tl = tail === undefined || tail === '' ? [] : tail.split(':')
  const fill = tail === undefined ? 0 : 8 - h.length - tl.length
  const groups = [...h, ...Array<string>(Math.max(fill, 0)).fill('0'), ...tl]
  if (groups.length !== 8) return null
  return { family: 6, value: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n) }
}

/** Formats an address integer as Go's net.IP String does. */
export function formatIP(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.')
  }
  const g = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn))
  let bestStart = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && g[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = g.map((x) => x.toString(16))
  if (bestStart < 0) return hex.join(':')
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':')
}

/** Returns every interface address, interfaces in index order. */
export function allInterfaces(): IfAddr[] {
  const out: IfAddr[] = []
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    const index = Number(readSys(name, 'ifindex') ?? 0)
    const mtu = Number(readSys(name, 'mtu') ?? 0)
    const bits = parseInt(readSys(name, 'flags') ?? '0', 16)
    // sysfs shows the administrative flags only; the kernel derives
    // IFF_RUNNING from the carrier, which sysfs exposes on its own.
    const running = readSys(name, 'carrier') === '1' ? 0x40 : 0
    const flags = flagBits.filter(([b]) => ((bits | running) & b) !== 0).map(([, n]) => n)
    for (const a of addrs ?? []) {
      const ip = parseIP(a.address)
      if (ip === null) continue
      const prefix = Number(a.cidr?.split('/')[1] ?? (ip.family === 4 ? 32 : 128))
      out.push({
        name, index, mtu, flags, ...ip, prefix,
        hw: a.mac === '00:00:00:00:00:00' ? '' : a.mac,
        address: formatIP(ip.family, ip.value),
      })
    }
  }
  return out.sort((a, b) => a.index - b.index)
}

/** Returns the name of the interface holding the IPv4 default route. */
export function defaultInterfaceName(): string | undefined {
  let text: string
  try {
    text = readFileSync('/proc/net/route', 'utf8')
  } catch {
    return undefined
  }
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/)
    if (f[1] === '00000000' && f[7] === '00000000') return f[0]
  }
  return undefined
}
