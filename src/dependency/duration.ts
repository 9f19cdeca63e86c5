/**
 * Go's time.Duration text: parsing "1m30s"-style strings and printing a
 * duration as Duration.String() does. Check definitions carry intervals
 * this way, and the reference shows them re-printed ("" → "0s",
 * "60s" → "1m0s").
 */

const units: Record<string, number> = {
  ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
}

/** Parses a Go duration into nanoseconds; undefined when malformed. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0
  const m = /^([-+]?)((?:\d*\.?\d+(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text)
  if (!m) return undefined
  let total = 0
  for (const part of m[2]!.matchAll(/(\d*\.?\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * units[part[2]!]!
  }
  return m[1] === '-' ? -total : total
}

/** Formats nanoseconds as Go's Duration.String(). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s'
  const neg = ns < 0
  let n = Math.round(Math.abs(ns))
  let out: string
  if (n < 1e9) {
    const [unit, size] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6]
    out = trim((n / size).toFixed(9)) + unit
  } else {
    const h = Math.floor(n / 3600e9)
    n -= h * 3600e9
    const m = Math.floor(n / 60e9)
    n -= m * 60e9
    out = trim((n / 1e9).toFixed(9)) + 's'
    if (h > 0) out = `${h}h${m}m${out}`
    else if (m > 0) out = `${m}m${out}`
  }
  return neg ? '-' + out : out
}

/** Re-prints a duration string as Go would after parsing it; text that
 * does not parse (or is empty) reads as zero, as the API client does. */
export function normalizeGoDuration(text: string): string {
  return formatGoDuration(parseGoDuration(text) ?? 0)
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed
}
