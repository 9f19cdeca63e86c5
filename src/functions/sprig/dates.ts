/**
 * Sprig's date functions that consul-template keeps (its hermetic map
 * drops `now`, `date`, `dateInZone`, `dateModify` and `htmlDate*`).
 */
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { argString, wrongType } from './convert.ts'
import { parseLayout } from './layout.ts'
import {
  GoTime, Local, UTC, daysFromCivil, civilFromDays, daysIn, fixedZone, formatDuration, now,
  parseDuration, zeroTime, type Location,
} from './time.ts'

/** Parses a value with a Go layout in a default zone (time.ParseInLocation). */
export function parseInLocation(layout: string, value: string, loc: Location): GoTime {
  const p = parseLayout(layout, value)
  const q = '"' + value + '"'
  let { month, day } = p
  if (p.yday >= 0) {
    const leap = daysIn(2, p.year) === 29
    if (p.yday > (leap ? 366 : 365)) throw new Error(`parsing time ${q}: day-of-year out of range`)
    const [, m, d] = civilFromDays(daysFromCivil(p.year, 1, 1) + p.yday - 1)
    if ((month >= 0 && month !== m) || (day >= 0 && day !== d)) {
      throw new Error(`parsing time ${q}: day-of-year does not match ` +
        (month >= 0 && month !== m ? 'month' : 'day'))
    }
    month = m
    day = d
  }
  if (month < 0) month = 1
  if (day < 0) day = 1
  if (day < 1 || day > daysIn(month, p.year)) throw new Error(`parsing time ${q}: day out of range`)
  const fields = { year: p.year, month, day, hour: p.hour, min: p.min, sec: p.sec, nsec: p.nsec }
  if (p.utc) return GoTime.date(fields, UTC)
  if (p.zoneOffset !== undefined) {
    const t = GoTime.date(fields, fixedZone('', p.zoneOffset))
    if (loc.lookup(t.unix).offset === p.zoneOffset) return new GoTime(t.unix, t.nsec, loc)
    return new GoTime(t.unix, t.nsec, fixedZone(p.zoneName ?? '', p.zoneOffset))
  }
  if (p.zoneName !== undefined) {
    const utc = GoTime.date(fields, UTC)
    const local = loc.lookup(utc.unix)
    if (local.abbrev === p.zoneName) return GoTime.date(fields, loc)
    // Go keeps the clock reading as UTC here and only labels it with the
    // zone (so "10:00 GMT+3" is 13:00 +0300): copied on purpose.
    const gmt = /^GMT([+-]\d+)$/.exec(p.zoneName)
    const offset = gmt ? Number(gmt[1]) * 3600 : 0
    return new GoTime(utc.unix, utc.nsec, fixedZone(p.zoneName, offset))
  }
  return GoTime.date(fields, loc)
}

function argTime(v: unknown): GoTime {
  if (v instanceof GoTime) return v
  return wrongType('time.Time', v)
}

const second = 1000000000n

// Sprig's duration takes a string of seconds or an int64 (a bigint here);
// any other value, a plain int included, reads as 0, as in Sprig.
function duration(v: unknown): string {
  let n = 0n
  if (typeof v === 'string') n = /^[+-]?\d+$/.test(v) ? BigInt(v) : 0n
  else if (typeof v === 'bigint') n = v
  return formatDuration(BigInt.asIntN(64, n * second))
}

function durationRound(v: unknown): string {
  let d = 0n
  if (typeof v === 'string') {
    try {
      d = parseDuration(v)
    } catch {
      d = 0n
    }
  } else if (typeof v === 'bigint') d = v
  else if (v instanceof GoTime) d = sinceNanos(v)
  const u = d < 0n ? -d : d
  const hour = 3600n * second
  const steps: [bigint, string][] = [[hour * 24n * 365n, 'y'], [hour * 24n * 30n, 'mo'],
    [hour * 24n, 'd'], [hour, 'h'], [60n * second, 'm'], [second, 's']]
  for (const [size, unit] of steps) if (u > size) return `${u / size}${unit}`
  return '0s'
}

function sinceNanos(t: GoTime): bigint {
  const n = now()
  return (BigInt(n.unix) - BigInt(t.unix)) * second + BigInt(n.nsec - t.nsec)
}

function ago(v: unknown): string {
  let t: GoTime
  if (v instanceof GoTime) t = v
  else if (typeof v === 'number' && Number.isInteger(v)) t = new GoTime(v, 0, Local)
  else if (typeof v === 'bigint') t = new GoTime(Number(v), 0, Local)
  else t = now()
  // time.Since(t).Round(time.Second): halves round away from zero.
  const d = sinceNanos(t)
  const abs = d < 0n ? -d : d
  const r = ((abs + second / 2n) / second) * second
  return formatDuration(d < 0n ? -r : r)
}

function dateModify(fmt: unknown, date: unknown): GoTime {
  const layout = argString(fmt)
  return argTime(date).Add(parseDuration(layout))
}

/** Returns Sprig's date functions, keyed by their Sprig names. */
export function dateFuncs(): FuncMap {
  return {
    ago: defineFunc(ago, 1),
    duration: defineFunc(duration, 1),
    durationRound: defineFunc(durationRound, 1),
    toDate: defineFunc((f, s) => {
      const layout = argString(f)
      const value = argString(s)
      try {
        return parseInLocation(layout, value, Local)
      } catch {
        return zeroTime()
      }
    }, 2),
    mustToDate: defineFunc((f, s) => parseInLocation(argString(f), argString(s), Local), 2),
    unixEpoch: defineFunc((d) => String(argTime(d).Unix()), 1),
    mustDateModify: defineFunc(dateModify, 2),
    must_date_modify: defineFunc(dateModify, 2),
  }
}
