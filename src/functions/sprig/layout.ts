/**
 * Go's reference-time layouts ("2006-01-02 15:04:05"): splitting a layout
 * into literal text and elements, formatting a broken-down time with it,
 * and parsing a value against it with Go's error messages.
 */
import type { Civil } from './time.ts'

/** A layout piece: literal text followed by one element (or none at the end). */
export interface Chunk { prefix: string, std: string }

const elements = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '002', '__2', '_2', '01', '02', '03',
  '04', '05', '06', '15', '1', '2', '3', '4', '5', 'PM', 'pm',
  'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07',
  '-07:00:00', '-070000', '-07:00', '-0700', '-07',
]

/** Splits a layout into chunks as Go's nextStdChunk does. */
export function splitLayout(layout: string): Chunk[] {
  const out: Chunk[] = []
  let prefix = ''
  let k = 0
  while (k < layout.length) {
    const rest = layout.slice(k)
    let std = elements.find((e) => rest.startsWith(e))
    // "Jan" and "Mon" only count when not the start of a longer word
    // ("Monday" is its own element; "Month" is text).
    if ((std === 'Jan' || std === 'Mon') && /^[a-z]/.test(rest.slice(3))) std = undefined
    if (std === '2' && rest.startsWith('2006')) std = '2006'
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(rest)
    if (frac) std = frac[0]
    if (std === undefined) {
      prefix += layout[k]
      k++
      continue
    }
    out.push({ prefix, std })
    prefix = ''
    k += std.length
  }
  out.push({ prefix, std: '' })
  return out
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December']
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday',
  'Saturday']

const pad = (n: number, w: number, ch = '0') => {
  const s = String(Math.abs(n)).padStart(w, ch)
  return n < 0 ? '-' + s : s
}

function formatZone(std: string, offset: number): string {
  if (std.startsWith('Z') && offset === 0) return 'Z'
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const [h, m, s] = [Math.floor(abs / 3600), Math.floor(abs / 60) % 60, abs % 60]
  const colon = std.includes(':') ? ':' : ''
  const body = std.replace(/^[Z-]/, '')
  let out = sign + pad(h, 2)
  if (body.length > 2) out += colon + pad(m, 2)
  if (body.replaceAll(':', '').length > 4) out += colon + pad(s, 2)
  return out
}

/** Formats broken-down time fields with a Go layout. */
export function formatLayout(t: Civil, layout: string): string {
  let out = ''
  for (const { prefix, std } of splitLayout(layout)) {
    out += prefix
    const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12
    switch (std) {
      case '': break
      case 'January': out += monthNames[t.month - 1]; break
      case 'Jan': out += monthNames[t.month - 1]!.slice(0, 3); break
      case 'Monday': out += dayNames[t.wday]; break
      case 'Mon': out += dayNames[t.wday]!.slice(0, 3); break
      case '2006': out += pad(t.year, 4); break
      case '06': out += pad(((t.year % 100) + 100) % 100, 2); break
      case '1': out += t.month; break
      case '01': out += pad(t.month, 2); break
      case '2': out += t.day; break
      case '_2': out += pad(t.day, 2, ' '); break
      case '02': out += pad(t.day, 2); break
      case '__2': out += pad(t.yday, 3, ' '); break
      case '002': out += pad(t.yday, 3); break
      case '15': out += pad(t.hour, 2); break
      case '3': out += h12; break
      case '03': out += pad(h12, 2); break
      case '4': out += t.min; break
      case '04': out += pad(t.min, 2); break
      case '5': out += t.sec; break
      case '05': out += pad(t.sec, 2); break
      case 'PM': out += t.hour >= 12 ? 'PM' : 'AM'; break
      case 'pm': out += t.hour >= 12 ? 'pm' : 'am'; break
      case 'MST':
        out += t.abbrev !== '' ? t.abbrev : formatZone('-0700', t.offset)
        break
      default:
        if (/^[.,]/.test(std)) out += formatFraction(std, t.nsec)
        else out += formatZone(std, t.offset)
    }
  }
  return out
}

function formatFraction(std: string, nsec: number): string {
  const digits = String(nsec).padStart(9, '0').slice(0, std.length - 1)
  if (std[1] === '0') return std[0] + digits
  const trimmed = digits.replace(/0+$/, '')
  return trimmed === '' ? '' : std[0] + trimmed
}

/** Fields read from a value; unset ones keep their defaults. */
export interface Parsed {
  year: number, month: number, day: number, yday: number, hour: number, min: number,
  sec: number, nsec: number, pm?: boolean, am?: boolean,
  zoneOffset?: number, zoneName?: string, utc?: boolean
}

/** Parses a value against a layout as Go's time.Parse reads it. */
export function parseLayout(layout: string, value: string): Parsed {
  const q = (s: string) => '"' + s + '"'
  const p: Parsed = { year: 0, month: -1, day: -1, yday: -1, hour: 0, min: 0, sec: 0, nsec: 0 }
  const orig = value
  const fail = (rest: string, elem: string): never => {
    throw new Error(`parsing time ${q(orig)} as ${q(layout)}: ` +
      `cannot parse ${q(rest)} as ${q(elem)}`)
  }
  const range = (what: string): never => {
    throw new Error(`parsing time ${q(orig)}: ${what} out of range`)
  }
  const chunks = splitLayout(layout)
  for (let c = 0; c < chunks.length; c++) {
    const { prefix, std } = chunks[c]!
    value = skipPrefix(value, prefix) ?? fail(value, prefix)
    if (std === '') {
      if (value !== '') throw new Error(`parsing time ${q(orig)}: extra text: ${q(value)}`)
      break
    }
    const hold = value
    const num = (min: number, max: number, fixed: boolean) => {
      const m = (fixed ? /^\d\d/ : /^\d\d?/).exec(value)
      if (!m) return fail(hold, std)
      value = value.slice(m[0].length)
      const n = Number(m[0])
      if (n < min || n > max) return NaN
      return n
    }
    const check = (n: number, what: string) => (Number.isNaN(n) ? range(what) : n)
    switch (std) {
      case '2006': {
        if (!/^\d{4}/.test(value)) fail(hold, std)
        p.year = Number(value.slice(0, 4))
        value = value.slice(4)
        break
      }
      case '06': {
        const y = num(0, 99, true)
        p.year = y >= 69 ? 1900 + y : 2000 + y
        break
      }
      case 'January': case 'Jan': {
        const names = std === 'Jan' ? monthNames.map((n) => n.slice(0, 3)) : monthNames
        const k = names.findIndex((n) => value.slice(0, n.length).toLowerCase() === n.toLowerCase())
        if (k < 0) fail(hold, std)
        p.month = k + 1
        value = value.slice(names[k]!.length)
        break
      }
      case 'Monday': case 'Mon': {
        const names = std === 'Mon' ? dayNames.map((n) => n.slice(0, 3)) : dayNames
        const k = names.findIndex((n) => value.slice(0, n.length).toLowerCase() === n.toLowerCase())
        if (k < 0) fail(hold, std)
        value = value.slice(names[k]!.length)
        break
      }
      case '1': case '01': p.month = check(num(1, 12, std === '01'), 'month'); break
      case '2': case '_2': case '02':
        if (std === '_2' && value[0] === ' ') value = value.slice(1)
        p.day = num(0, 99, std === '02')
        break
      case '__2': case '002': {
        if (std === '__2') value = value.replace(/^ {1,2}/, '')
        const m = (std === '002' ? /^\d{3}/ : /^\d{1,3}/).exec(value)
        if (!m) fail(hold, std)
        value = value.slice(m![0].length)
        p.yday = Number(m![0])
        if (p.yday < 1 || p.yday > 366) range('day-of-year')
        break
      }
      case '15': p.hour = check(num(0, 23, false), 'hour'); break
      case '3': case '03': p.hour = check(num(0, 12, std === '03'), 'hour'); break
      case '4': case '04': p.min = check(num(0, 59, std === '04'), 'minute'); break
      case '5': case '05': {
        p.sec = check(num(0, 59, std === '05'), 'second')
        // A fraction the layout does not mention is still read here.
        const frac = /^[.,](\d+)/.exec(value)
        const next = chunks[c + 1]
        if (frac && !(next && /^[.,]/.test(next.std))) {
          p.nsec = fraction(frac[1]!)
          value = value.slice(frac[0].length)
        }
        break
      }
      case 'PM': case 'pm': {
        const v = value.slice(0, 2)
        const [am, pm] = std === 'PM' ? ['AM', 'PM'] : ['am', 'pm']
        if (v === pm) p.pm = true
        else if (v === am) p.am = true
        else fail(hold, std)
        value = value.slice(2)
        break
      }
      case 'MST': {
        if (value.startsWith('UTC')) {
          p.utc = true
          value = value.slice(3)
          break
        }
        const m = /^(GMT[+-]\d{1,2}|[A-Z]{3,5})/.exec(value)
        if (!m) fail(hold, std)
        p.zoneName = m![0]
        value = value.slice(m![0].length)
        break
      }
      default:
        if (/^[.,]/.test(std)) {
          const digits = std.length - 1
          if (std[1] === '0') {
            const m = new RegExp(`^[.,](\\d{${digits}})`).exec(value)
            if (!m) fail(hold, std)
            p.nsec = fraction(m![1]!)
            value = value.slice(m![0].length)
          } else {
            const m = /^[.,](\d+)/.exec(value)
            if (m) {
              p.nsec = fraction(m[1]!)
              value = value.slice(m[0].length)
            }
          }
        } else {
          value = parseZone(std, value, p) ?? fail(hold, std)
        }
    }
  }
  if (p.pm && p.hour < 12) p.hour += 12
  if (p.am && p.hour === 12) p.hour = 0
  return p
}

function fraction(digits: string): number {
  return Number(digits.slice(0, 9).padEnd(9, '0'))
}

// Go's skip: literal text must match byte for byte, except that a space
// in the layout matches any run of spaces (or the end) in the value.
function skipPrefix(value: string, prefix: string): string | undefined {
  let v = value
  let k = 0
  while (k < prefix.length) {
    if (prefix[k] === ' ') {
      if (v.length > 0 && v[0] !== ' ') return undefined
      while (prefix[k] === ' ') k++
      v = v.replace(/^ +/, '')
      continue
    }
    if (v[0] !== prefix[k]) return undefined
    v = v.slice(1)
    k++
  }
  return v
}

function parseZone(std: string, value: string, p: Parsed): string | undefined {
  if (std.startsWith('Z') && value.startsWith('Z')) {
    p.utc = true
    return value.slice(1)
  }
  const body = std.replace(/^[Z-]/, '')
  const colon = body.includes(':')
  const parts = body.replaceAll(':', '').length / 2
  const re = new RegExp('^([+-])(\\d\\d)' + (parts > 1 ? (colon ? ':' : '') + '(\\d\\d)' : '') +
    (parts > 2 ? (colon ? ':' : '') + '(\\d\\d)' : ''))
  const m = re.exec(value)
  if (!m) return undefined
  const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)
  p.zoneOffset = m[1] === '-' ? -secs : secs
  return value.slice(m[0].length)
}
