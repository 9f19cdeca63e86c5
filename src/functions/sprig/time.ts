/**
 * Go's time.Time and time.Duration as templates see them: a time is an
 * instant (Unix seconds + nanoseconds) in a location, printed by Go's
 * String form "2006-01-02 15:04:05.999999999 -0700 MST".
 */
import { GoStruct } from '../../template/value.ts'
import { quote } from './fmt.ts'
import { formatLayout } from './layout.ts'

/** A time zone: a fixed offset, or the machine's local zone. */
export interface Location {
  name: string
  /** Returns the offset east of UTC in seconds and the abbreviation. */
  lookup(unixSec: number): { offset: number, abbrev: string }
}

/** Returns a zone with one fixed offset (Go's time.FixedZone). */
export function fixedZone(name: string, offset: number): Location {
  return { name, lookup: () => ({ offset, abbrev: name }) }
}

/** Go's time.UTC. */
export const UTC = fixedZone('UTC', 0)

function systemZone(): Location {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  if (!zone || /^(Etc\/)?(UTC|GMT|Universal|Zulu)$/.test(zone)) return { ...UTC, name: 'Local' }
  const offsetFmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
  const nameFmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
  const part = (f: Intl.DateTimeFormat, ms: number) =>
    f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? ''
  return {
    name: 'Local',
    lookup(unixSec: number) {
      const ms = unixSec * 1000
      const m = /GMT([+-])(\d\d):(\d\d)/.exec(part(offsetFmt, ms))
      const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0
      return { offset, abbrev: part(nameFmt, ms) }
    },
  }
}

let system: Location | undefined

/** Go's time.Local: the zone of the machine (TZ or /etc/localtime), looked
 * up at first use: building the Intl formatters cost 10-25 ms of every
 * start-up, templates with dates or not. */
export const Local: Location = {
  name: 'Local',
  lookup: (unixSec) => (system ??= systemZone()).lookup(unixSec),
}

/** Returns days since 1970-01-01 for a proleptic Gregorian date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** Returns [year, month, day] for days since 1970-01-01. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) -
    Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d]
}

/** Reports the number of days in a month (month 1-12). */
export function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December']
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday',
  'Saturday']

/** A Go time.Month: prints as its name. */
export class GoMonth extends GoStruct {
  static override goType = 'time.Month'
  constructor(readonly n: number) { super() }
  /** Returns the English month name. */
  String(): string { return monthNames[this.n - 1] ?? `%!Month(${this.n})` }
}

/** A Go time.Weekday: prints as its name. */
export class GoWeekday extends GoStruct {
  static override goType = 'time.Weekday'
  constructor(readonly n: number) { super() }
  /** Returns the English day name. */
  String(): string { return dayNames[this.n]! }
}

/** Broken-down fields of a time in its zone. */
export interface Civil {
  year: number, month: number, day: number, hour: number, min: number, sec: number,
  nsec: number, yday: number, wday: number, offset: number, abbrev: string
}

/** A Go time.Time. */
export class GoTime extends GoStruct {
  static override goType = 'time.Time'

  constructor(readonly unix: number, readonly nsec: number, readonly loc: Location) {
    super()
  }

  /** Builds a time from civil fields in a zone (Go's time.Date, normalizing). */
  static date(f: { year: number, month: number, day: number, hour: number, min: number,
    sec: number, nsec: number }, loc: Location): GoTime {
    const y = f.year + Math.floor((f.month - 1) / 12)
    const m = ((f.month - 1) % 12 + 12) % 12 + 1
    const local = daysFromCivil(y, m, 1) * 86400 + (f.day - 1) * 86400 +
      f.hour * 3600 + f.min * 60 + f.sec + Math.floor(f.nsec / 1e9)
    const nsec = ((f.nsec % 1e9) + 1e9) % 1e9
    // Guess with the offset at the local reading, then correct once.
    let unix = local - loc.lookup(local).offset
    unix = local - loc.lookup(unix).offset
    return new GoTime(unix, nsec, loc)
  }

  /** Returns the fields of this time as read in its zone. */
  civil(): Civil {
    const { offset, abbrev } = this.loc.lookup(this.unix)
    const local = this.unix + offset
    const days = Math.floor(local / 86400)
    const secs = local - days * 86400
    const [year, month, day] = civilFromDays(days)
    return {
      year, month, day, hour: Math.floor(secs / 3600), min: Math.floor(secs / 60) % 60,
      sec: secs % 60, nsec: this.nsec, yday: days - daysFromCivil(year, 1, 1) + 1,
      wday: ((days % 7) + 11) % 7, offset, abbrev,
    }
  }

  /** Formats with a Go reference-time layout. */
  Format(layout: string): string { return formatLayout(this.civil(), layout) }

  /** Returns Go's default print form. */
  String(): string { return this.Format('2006-01-02 15:04:05.999999999 -0700 MST') }

  /** Encodes as JSON the way time.Time.MarshalJSON does (RFC 3339). */
  MarshalJSON(): string { return quote(this.Format('2006-01-02T15:04:05.999999999Z07:00')) }

  /** Returns seconds since the Unix epoch. */
  Unix(): number { return this.unix }
  /** Returns milliseconds since the Unix epoch. */
  UnixMilli(): number { return this.unix * 1000 + Math.floor(this.nsec / 1e6) }
  /** Returns nanoseconds since the Unix epoch. */
  UnixNano(): number | bigint {
    const n = BigInt(this.unix) * 1000000000n + BigInt(this.nsec)
    return Number.isSafeInteger(Number(n)) ? Number(n) : n
  }

  /** Returns the year. */
  Year(): number { return this.civil().year }
  /** Returns the month. */
  Month(): GoMonth { return new GoMonth(this.civil().month) }
  /** Returns the day of the month. */
  Day(): number { return this.civil().day }
  /** Returns the hour (0-23). */
  Hour(): number { return this.civil().hour }
  /** Returns the minute. */
  Minute(): number { return this.civil().min }
  /** Returns the second. */
  Second(): number { return this.civil().sec }
  /** Returns the nanosecond within the second. */
  Nanosecond(): number { return this.nsec }
  /** Returns the day of the year (1-366). */
  YearDay(): number { return this.civil().yday }
  /** Returns the day of the week. */
  Weekday(): GoWeekday { return new GoWeekday(this.civil().wday) }
  /** Returns the same instant in UTC. */
  UTC(): GoTime { return new GoTime(this.unix, this.nsec, UTC) }
  /** Returns the same instant in the local zone. */
  Local(): GoTime { return new GoTime(this.unix, this.nsec, Local) }
  /** Reports whether this is the zero time, January 1, year 1, 00:00:00 UTC. */
  IsZero(): boolean { return this.unix === zeroUnix && this.nsec === 0 }

  /** Returns the time plus a duration in nanoseconds. */
  Add(d: number | bigint): GoTime {
    const total = BigInt(this.nsec) + BigInt(d)
    const sec = total >= 0n ? total / 1000000000n : -((-total + 999999999n) / 1000000000n)
    return new GoTime(this.unix + Number(sec), Number(total - sec * 1000000000n), this.loc)
  }

  /** Returns the time plus years, months and days, as Go's AddDate does. */
  AddDate(years: number, months: number, days: number): GoTime {
    const c = this.civil()
    return GoTime.date({ ...c, year: c.year + years, month: c.month + months,
      day: c.day + days }, this.loc)
  }

  /** Reports whether this instant is before u. */
  Before(u: GoTime): boolean { return this.compare(u) < 0 }
  /** Reports whether this instant is after u. */
  After(u: GoTime): boolean { return this.compare(u) > 0 }
  /** Reports whether both are the same instant. */
  Equal(u: GoTime): boolean { return this.compare(u) === 0 }

  private compare(u: GoTime): number {
    return this.unix !== u.unix ? this.unix - u.unix : this.nsec - u.nsec
  }
}

const zeroUnix = daysFromCivil(1, 1, 1) * 86400

/** Returns Go's zero time.Time. */
export function zeroTime(): GoTime {
  return new GoTime(zeroUnix, 0, UTC)
}

/** Returns the current time in the local zone. */
export function now(): GoTime {
  const ms = Date.now()
  return new GoTime(Math.floor(ms / 1000), (ms % 1000) * 1e6, Local)
}

const units: [string, bigint][] = [['h', 3600n * 10n ** 9n], ['m', 60n * 10n ** 9n]]

/** Formats nanoseconds as Go's Duration.String does ("1h2m3.5s"). */
export function formatDuration(d: bigint): string {
  if (d === 0n) return '0s'
  const neg = d < 0n
  let u = neg ? -d : d
  let out = ''
  const frac = (v: bigint, digits: number) => {
    const s = v.toString().padStart(digits + 1, '0')
    const whole = s.slice(0, -digits)
    const f = s.slice(-digits).replace(/0+$/, '')
    return f ? `${whole}.${f}` : whole
  }
  if (u < 1000000000n) {
    if (u < 1000n) out = `${u}ns`
    else if (u < 1000000n) out = frac(u, 3) + 'µs'
    else out = frac(u, 6) + 'ms'
  } else {
    for (const [name, size] of units) {
      if (u >= size || out !== '') out += `${u / size}${name}`
      u %= size
    }
    out += frac(u, 9) + 's'
  }
  return neg ? '-' + out : out
}

const unitNanos: Record<string, number> = {
  ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
}

/** Parses a Go duration ("1h30m", "-1.5s") to nanoseconds. */
export function parseDuration(s: string): bigint {
  const bad = (msg = `time: invalid duration ${quote(s)}`): never => { throw new Error(msg) }
  let rest = s
  let neg = false
  if (rest[0] === '-' || rest[0] === '+') {
    neg = rest[0] === '-'
    rest = rest.slice(1)
  }
  if (rest === '0') return 0n
  if (rest === '') bad()
  let total = 0n
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!
    if (m[0] === '' || m[0] === '.') bad()
    rest = rest.slice(m[0].length)
    const unit = /^[^\d.]*/.exec(rest)![0]
    if (unit === '') bad(`time: missing unit in duration ${quote(s)}`)
    const size = unitNanos[unit]
    if (size === undefined) bad(`time: unknown unit ${quote(unit)} in duration ${quote(s)}`)
    rest = rest.slice(unit.length)
    total += BigInt(m[1] || '0') * BigInt(size!) +
      BigInt(Math.floor(Number('0.' + (m[2] || '0')) * size!))
  }
  if (total >= 2n ** 63n) bad()
  return neg ? -total : total
}
