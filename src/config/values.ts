/**
 * Conversions from configuration text to typed values, with the reference's
 * rules: Go durations ("1m30s"; a bare integer counts nanoseconds, as Go's
 * mapstructure reads it), signals by name, octal permissions, wait specs
 * ("5s:10s", or "5s" meaning max = 4 × min) and commands.
 */
import { constants } from 'node:os'
import type { CommandSpec, SignalName, WaitConfig } from './types.ts'

/** A conversion failure; the caller adds key path and position. */
export class ValueError extends Error {}
ValueError.prototype.name = 'ValueError'

const unitMs: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
}

/** Parses a Go duration string ("300ms", "1m30s", "0") into milliseconds. */
export function parseDuration(text: string): number {
  const quoted = JSON.stringify(text)
  let s = text
  let sign = 1
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? -1 : 1
    s = s.slice(1)
  }
  if (s === '0') return 0
  if (s === '') throw new ValueError(`invalid duration ${quoted}`)
  let total = 0
  const part = /^([0-9]*(?:\.[0-9]*)?)([a-zµμ]+)/
  while (s !== '') {
    const m = part.exec(s)
    if (!m || m[1] === '' || m[1] === '.') throw new ValueError(`invalid duration ${quoted}`)
    const scale = Object.hasOwn(unitMs, m[2]!) ? unitMs[m[2]!] : undefined
    if (scale === undefined) {
      throw new ValueError(`unknown unit ${JSON.stringify(m[2])} in duration ${quoted}`)
    }
    total += Number(m[1]) * scale
    s = s.slice(m[0].length)
  }
  return sign * total
}

/** Formats milliseconds the way Go prints a time.Duration ("1m30s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  const neg = ms < 0
  let rest = Math.abs(ms)
  let out = ''
  if (rest < 1000) {
    out = rest >= 1 ? `${trimNum(rest)}ms` : `${trimNum(rest * 1000)}µs`
    return (neg ? '-' : '') + out
  }
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  if (h > 0) out += `${h}h`
  if (h > 0 || m > 0) out += `${m}m`
  out += `${trimNum(rest / 1000)}s`
  return (neg ? '-' : '') + out
}

function trimNum(n: number): string {
  return String(Number(n.toFixed(9)))
}

const signalNames = new Set(Object.keys(constants.signals))

/**
 * Parses a signal name ("SIGHUP", also "HUP" or lower case). The empty
 * string means "no signal" and gives null, as in consul-template.
 */
export function parseSignal(text: string): SignalName | null {
  if (text.trim() === '') return null
  let name = text.trim().toUpperCase()
  if (!name.startsWith('SIG')) name = 'SIG' + name
  if (!signalNames.has(name)) throw new ValueError(`unknown signal ${JSON.stringify(text)}`)
  return name as SignalName
}

/** Parses permissions written as a string: always octal ("0600", "644"). */
export function parsePermsString(text: string): number {
  if (!/^[0-7]{1,4}$/.test(text.replace(/^0o/, ''))) {
    throw new ValueError(`invalid permissions ${JSON.stringify(text)}: expected octal digits`)
  }
  return parseInt(text.replace(/^0o/, ''), 8)
}

/** Checks a numeric permission value (already read with HCL1's bases). */
export function checkPerms(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0o7777) {
    throw new ValueError(`invalid permissions ${n}: must be between 0 and 07777`)
  }
  return n
}

/**
 * Parses a wait spec "min(:max)". A missing max is four times min, as the
 * reference documents.
 */
export function parseWaitString(text: string): Partial<WaitConfig> {
  const parts = text.split(':')
  if (parts.length > 2 || parts[0]!.trim() === '') {
    throw new ValueError(`invalid wait ${JSON.stringify(text)}: expected "min" or "min:max"`)
  }
  const minMs = parseDuration(parts[0]!.trim())
  const maxMs = parts.length === 2 ? parseDuration(parts[1]!.trim()) : minMs * 4
  return { minMs, maxMs }
}

/**
 * Builds a command: a string, or a list of one string, runs under `sh -c`
 * (the reference passes a one-element list to the shell too); a longer list
 * runs directly. Empty means no command.
 */
export function toCommand(value: string | string[]): CommandSpec | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : { shell: value }
  if (value.length === 0) return undefined
  if (value.length === 1) return value[0]!.trim() === '' ? undefined : { shell: value[0]! }
  return { argv: [...value] }
}

/**
 * Parses a template flag "in:out[:command]" with the reference's rules:
 * colons split the parts, except one after a single drive letter
 * ("C:\\x"); everything after the second separator is the command, colons
 * included.
 */
export function splitTemplateFlag(text: string): {
  source: string
  destination: string | undefined
  command: string | undefined
} {
  if (text.trim() === '') throw new ValueError('template: cannot be empty')
  const parts = text.match(/([a-zA-Z]:)?([^:]+)/g) ?? []
  if (parts.length === 0) throw new ValueError(`invalid template ${JSON.stringify(text)}`)
  const source = parts[0]!
  const destination = parts[1]
  const command = parts.length > 2 ? parts.slice(2).join(':') : undefined
  return { source, destination, command }
}
