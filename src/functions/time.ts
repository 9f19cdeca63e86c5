/**
 * `timestamp` and Go's reference-time layouts ("2006-01-02T15:04:05Z07:00").
 * The reference formats the current time in UTC.
 */
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asStrings } from './args.ts'

/** Go's time.RFC3339 layout, timestamp's default. */
export const rfc3339 = '2006-01-02T15:04:05Z07:00'

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December']
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday',
  'Saturday']

// Longest first, so "January" wins over "Jan" and "2006" over "2".
const tokens = ['January', 'Monday', 'Z07:00:00', '-07:00:00', 'Z07:00', '-07:00',
  'Z070000', '-070000', 'Z0700', '-0700', 'Z07', '-07', '2006', '__2', '002',
  'Jan', 'Mon', 'MST', '01', '02', '03', '04', '05', '06', '15', '_2', 'PM',
  'pm', '1', '2', '3', '4', '5']

const pad = (n: number, w: number, c = '0') => String(n).padStart(w, c)

/** Formats a UTC instant with a Go layout string. */
export function formatGoTime(d: Date, layout: string): string {
  let out = ''
  let i = 0
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i))
    if (frac !== null) {
      out += fraction(d, frac[0])
      i += frac[0].length
      continue
    }
    const tok = tokens.find((t) => layout.startsWith(t, i) && !breaksWord(layout, i, t))
    if (tok === undefined) {
      out += layout[i]
      i++
      continue
    }
    out += field(d, tok)
    i += tok.length
  }
  return out
}

// Go does not read "Jan"/"Mon" as tokens when a lower-case letter follows
// ("Janet", "Month").
function breaksWord(layout: string, at: number, tok: string): boolean {
  if (tok !== 'Jan' && tok !== 'Mon') return false
  const next = layout[at + tok.length]
  return next !== undefined && next >= 'a' && next <= 'z'
}

function fraction(d: Date, spec: string): string {
  const sep = spec[0]!
  const digits = spec.length - 1
  const nanos = pad(d.getUTCMilliseconds() * 1e6, 9)
  const shown = nanos.slice(0, Math.min(digits, 9)).padEnd(digits, '0')
  if (spec[1] === '0') return sep + shown
  const trimmed = shown.replace(/0+$/, '')
  return trimmed === '' ? '' : sep + trimmed
}

function field(d: Date, tok: string): string {
  const h = d.getUTCHours()
  switch (tok) {
    case '2006': return pad(d.getUTCFullYear(), 4)
    case '06': return pad(d.getUTCFullYear() % 100, 2)
    case 'January': return months[d.getUTCMonth()]!
    case 'Jan': return months[d.getUTCMonth()]!.slice(0, 3)
    case '01': return pad(d.getUTCMonth() + 1, 2)
    case '1': return String(d.getUTCMonth() + 1)
    case 'Monday': return days[d.getUTCDay()]!
    case 'Mon': return days[d.getUTCDay()]!.slice(0, 3)
    case '02': return pad(d.getUTCDate(), 2)
    case '_2': return pad(d.getUTCDate(), 2, ' ')
    case '2': return String(d.getUTCDate())
    case '002': return pad(dayOfYear(d), 3)
    case '__2': return pad(dayOfYear(d), 3, ' ')
    case '15': return pad(h, 2)
    case '03': return pad(h % 12 === 0 ? 12 : h % 12, 2)
    case '3': return String(h % 12 === 0 ? 12 : h % 12)
    case '04': return pad(d.getUTCMinutes(), 2)
    case '4': return String(d.getUTCMinutes())
    case '05': return pad(d.getUTCSeconds(), 2)
    case '5': return String(d.getUTCSeconds())
    case 'PM': return h >= 12 ? 'PM' : 'AM'
    case 'pm': return h >= 12 ? 'pm' : 'am'
    case 'MST': return 'UTC'
  }
  // Every zone token prints "Z" (the Z forms) or a zero offset in UTC.
  if (tok.startsWith('Z')) return 'Z'
  return { '-07': '+00', '-0700': '+0000', '-07:00': '+00:00',
    '-070000': '+000000', '-07:00:00': '+00:00:00' }[tok] ?? tok
}

function dayOfYear(d: Date): number {
  const start = Date.UTC(d.getUTCFullYear(), 0, 1)
  return Math.floor((d.getTime() - start) / 86_400_000) + 1
}

/** Returns `timestamp`; `now` is injectable for tests. */
export function timeFuncs(now: () => Date = () => new Date()): FuncMap {
  return {
    timestamp: defineFunc((...args: unknown[]) => {
      const layouts = asStrings(args)
      if (layouts.length > 1) {
        throw new Error('timestamp: wrong number of arguments, expected 0 or 1, ' +
          `but got ${layouts.length}`)
      }
      const t = now()
      if (layouts[0] === 'unix') return String(Math.floor(t.getTime() / 1000))
      return formatGoTime(t, layouts[0] ?? rfc3339)
    }, 1, true),
  }
}
