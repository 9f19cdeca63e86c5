/**
 * Go duration strings (`10s`, `60000ms`, `15.000000s`, `1m30s`), which
 * Consul accepts for `wait`, session TTLs, lock delays and check TTLs.
 */

const unitNs: Record<string, number> = {
  ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
}

const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/

/** Parses a Go duration into nanoseconds; returns undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  let rest = text
  let sign = 1
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1
    rest = rest.slice(1)
  }
  if (rest === '0') return 0
  if (rest === '') return undefined
  let total = 0
  while (rest.length > 0) {
    const m = part.exec(rest)
    if (!m) return undefined
    total += Number(m[1]) * unitNs[m[2]!]!
    rest = rest.slice(m[0].length)
  }
  return sign * total
}

/** Parses a Go duration into milliseconds; undefined when invalid. */
export function parseDurationMs(text: string): number | undefined {
  const ns = parseDuration(text)
  return ns === undefined ? undefined : ns / 1e6
}

/** Formats milliseconds the way Go's Duration.String does (`1m30s`). */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s'
  const neg = ms < 0
  let rest = Math.abs(ms)
  let out = ''
  if (rest < 1000) {
    out = `${trimFloat(rest)}ms`
  } else {
    const h = Math.floor(rest / 3600e3)
    rest -= h * 3600e3
    const m = Math.floor(rest / 60e3)
    rest -= m * 60e3
    if (h > 0) out += `${h}h`
    if (h > 0 || m > 0) out += `${m}m`
    out += `${trimFloat(rest / 1000)}s`
  }
  return neg ? `-${out}` : out
}

function trimFloat(n: number): string {
  return String(Number(n.toFixed(9)))
}
