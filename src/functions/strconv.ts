/**
 * Go's strconv parsers, with its syntax rules and error texts
 * (`strconv.ParseInt: parsing "x": invalid syntax`).
 */
import { float } from '../template/value.ts'
import type { GoFloat } from '../template/value.ts'

const maxInt64 = (1n << 63n) - 1n
const minInt64 = -(1n << 63n)
const maxUint64 = (1n << 64n) - 1n

function numError(fn: string, s: string, why: string): Error {
  return new Error(`strconv.${fn}: parsing ${goQuote(s)}: ${why}`)
}

const shortQuote: Record<number, string> = { 0x07: 'a', 0x08: 'b', 0x0c: 'f', 0x0b: 'v' }
// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and
// the ASCII space.
const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u

/** Returns s quoted as Go's strconv.Quote does. */
export function goQuote(s: string): string {
  let out = '"'
  for (const c of s) {
    const cp = c.codePointAt(0)!
    if (c === '"' || c === '\\') out += '\\' + c
    else if (c === '\n') out += '\\n'
    else if (c === '\t') out += '\\t'
    else if (c === '\r') out += '\\r'
    else if (shortQuote[cp] !== undefined) out += '\\' + shortQuote[cp]
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0')
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'
    else if (!printable.test(c)) {
      out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0')
        : '\\u' + cp.toString(16).padStart(4, '0')
    } else out += c
  }
  return out + '"'
}

/** Returns a JS number when exact, else a bigint (Go int64 beyond 2^53). */
function toGoInt(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n) : n
}

/** Parses a base-10 int64 as strconv.ParseInt(s, 10, 64). */
export function parseInt64(s: string): number | bigint {
  let body = s
  let neg = false
  if (body.startsWith('+') || body.startsWith('-')) {
    neg = body[0] === '-'
    body = body.slice(1)
  }
  if (!/^[0-9]+$/.test(body)) throw numError('ParseInt', s, 'invalid syntax')
  const n = neg ? -BigInt(body) : BigInt(body)
  if (n > maxInt64 || n < minInt64) throw numError('ParseInt', s, 'value out of range')
  return toGoInt(n)
}

/** Parses a base-10 uint64 as strconv.ParseUint(s, 10, 64). */
export function parseUint64(s: string): number | bigint {
  if (!/^[0-9]+$/.test(s)) throw numError('ParseUint', s, 'invalid syntax')
  const n = BigInt(s)
  if (n > maxUint64) throw numError('ParseUint', s, 'value out of range')
  return toGoInt(n)
}

/** Parses a bool as strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false
  throw numError('ParseBool', s, 'invalid syntax')
}

// Digit runs may hold single underscores between digits.
const dec = '[0-9](?:_?[0-9])*'
const hex = '[0-9a-fA-F](?:_?[0-9a-fA-F])*'
const decimalFloat = new RegExp(
  `^[+-]?(?:${dec}(?:\\.(?:${dec})?)?|\\.${dec})(?:[eE][+-]?${dec})?$`)
const hexFloat = new RegExp(
  `^[+-]?0[xX](?:_?[0-9a-fA-F])*(?:\\.(?:${hex})?)?[pP][+-]?${dec}$`)
const special = /^[+-]?(?:inf|infinity|nan)$/i

/** Parses a float64 as strconv.ParseFloat(s, 64): decimal and hex forms,
 * inf/infinity/nan in any case, underscores between digits. */
export function parseFloat64(s: string): GoFloat {
  if (special.test(s)) {
    const lower = s.toLowerCase()
    if (lower.endsWith('nan')) {
      if (lower !== 'nan') throw numError('ParseFloat', s, 'invalid syntax')
      return float(NaN)
    }
    return float(s.startsWith('-') ? -Infinity : Infinity)
  }
  let value: number
  if (decimalFloat.test(s)) {
    value = Number(s.replace(/_/g, ''))
  } else if (hexFloat.test(s) && hexDigitsPresent(s)) {
    value = parseHexFloat(s.replace(/_/g, ''))
  } else {
    throw numError('ParseFloat', s, 'invalid syntax')
  }
  if (!Number.isFinite(value)) throw numError('ParseFloat', s, 'value out of range')
  return float(value)
}

function hexDigitsPresent(s: string): boolean {
  const mant = s.replace(/^[+-]?0[xX]/, '').split(/[pP]/)[0]!
  return /[0-9a-fA-F]/.test(mant) && !mant.startsWith('.') || /^\.[0-9a-fA-F]/.test(mant)
}

function parseHexFloat(s: string): number {
  const neg = s.startsWith('-')
  const body = s.replace(/^[+-]?0[xX]/, '')
  const [mant, exp] = body.split(/[pP]/) as [string, string]
  const [whole, frac = ''] = mant.split('.') as [string, string?]
  let v = 0
  for (const d of whole + frac) v = v * 16 + parseInt(d, 16)
  v *= Math.pow(2, Number(exp) - 4 * frac.length)
  return neg ? -v : v
}

/** Parses an unsigned integer in a base (2 to 36) with a bit size, as
 * strconv.ParseUint does (no prefixes, no underscores). */
export function parseUintBase(s: string, base: number, bits: number): bigint {
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base)
  if (s === '' || ![...s.toLowerCase()].every((c) => digits.includes(c))) {
    throw numError('ParseUint', s, 'invalid syntax')
  }
  let n = 0n
  for (const c of s.toLowerCase()) n = n * BigInt(base) + BigInt(digits.indexOf(c))
  if (n >= 1n << BigInt(bits)) throw numError('ParseUint', s, 'value out of range')
  return n
}
