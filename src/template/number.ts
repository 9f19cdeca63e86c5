/**
 * Go's rules for numeric constants in templates: which texts are ints,
 * which are floats, and which are errors (strconv.ParseInt/ParseFloat with
 * base 0, as text/template's parser uses them).
 */
import { GoComplex, GoFloat } from './value.ts'
import { QuoteSyntaxError, quoteGo, unquoteCharLiteral } from './quote.ts'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n

/** The run-time value of a number constant, or why it cannot have one. */
export interface NumberValue {
  value: unknown
  overflow: boolean // an integer beyond int64: an error when evaluated
}

/** Returns a Go int as a JS value: a number when safe, else a bigint. */
export function goInt(n: bigint): number | bigint {
  return n >= -(2n ** 53n) && n <= 2n ** 53n ? Number(n) : n
}

/** Reports whether the underscores in a literal sit only between digits. */
function underscoreOK(s: string): boolean {
  if (!s.includes('_')) return true
  let i = 0
  if (s[0] === '+' || s[0] === '-') i++
  let hex = false
  let prefixed = false
  if (s[i] === '0' && /[xXoObB]/.test(s[i + 1] ?? '')) {
    hex = s[i + 1] === 'x' || s[i + 1] === 'X'
    prefixed = true
    i += 2
  }
  const isDigit = (c: string | undefined): boolean =>
    c !== undefined && (hex ? /[0-9a-fA-F]/.test(c) : /[0-9]/.test(c))
  for (let j = i; j < s.length; j++) {
    if (s[j] !== '_') continue
    const prevOK = isDigit(s[j - 1]) || (prefixed && j === i)
    if (!prevOK || !isDigit(s[j + 1])) return false
  }
  return true
}

/** Parses like strconv.ParseInt(text, 0, bits) with sign allowed or not. */
function parseIntBase0(text: string, signed: boolean): bigint | null {
  let s = text
  let neg = false
  if (s[0] === '+' || s[0] === '-') {
    if (!signed) return null
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (!underscoreOK(s)) return null
  let base = 10
  if (s[0] === '0' && s.length > 1) {
    const p = s[1]!.toLowerCase()
    if (p === 'x') base = 16, s = s.slice(2)
    else if (p === 'o') base = 8, s = s.slice(2)
    else if (p === 'b') base = 2, s = s.slice(2)
    else base = 8, s = s.slice(1)
  }
  s = s.replaceAll('_', '')
  const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/
    : base === 2 ? /^[01]+$/ : /^[0-9]+$/
  if (!digits.test(s)) return null
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : ''
  let n = BigInt(prefix + s)
  if (neg) n = -n
  if (signed ? n < INT64_MIN || n > INT64_MAX : n > UINT64_MAX) return null
  return n
}

/** Parses like strconv.ParseFloat(text, 64); null on a syntax error. */
function parseFloat64(text: string): number | null {
  if (!underscoreOK(text)) return null
  const s = text.replaceAll('_', '')
  const dec = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
  if (dec.test(s)) {
    const v = Number(s)
    return Number.isFinite(v) ? v : null // out of range is an error in Go
  }
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s)
  if (!m || (m[2] === '' && m[3] === '')) return null
  const mant = parseInt((m[2] || '0') + (m[3] || ''), 16)
  const v = mant * 2 ** (Number(m[4]) - 4 * (m[3] ?? '').length)
  if (!Number.isFinite(v)) return null
  return m[1] === '-' ? -v : v
}

const isHexInt = (s: string): boolean =>
  s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s)

/** Returns the value of a number or character constant; throws its error text. */
export function numberValue(text: string, isChar: boolean, isComplex = false): NumberValue {
  if (isChar) return { value: unquoteCharLiteral(text), overflow: false }
  if (isComplex) {
    // "1+2i": the sign that starts the imaginary part is not an exponent's.
    let j = text.length - 1
    while (j > 0 && !('+-'.includes(text[j]!) && !'eEpP'.includes(text[j - 1]!))) j--
    const re = j > 0 ? parseFloat64(text.slice(0, j)) : null
    const im = j > 0 ? parseFloat64(text.slice(j, -1)) : null
    if (re === null || im === null) throw new QuoteSyntaxError('expected integer')
    return { value: new GoComplex(re, im), overflow: false }
  }
  if (text.endsWith('i')) {
    const im = parseFloat64(text.slice(0, -1))
    if (im !== null) return { value: new GoComplex(0, im), overflow: false }
  }
  const u = parseIntBase0(text, false)
  const i = parseIntBase0(text, true)
  let isFloat = i !== null || u !== null
  let f = 0
  if (!isFloat) {
    const pf = parseFloat64(text)
    if (pf !== null) {
      if (!/[.eEpP]/.test(text)) throw new QuoteSyntaxError('integer overflow: ' + quoteGo(text))
      isFloat = true
      f = pf
    }
  }
  if (i === null && u === null && !isFloat) {
    throw new QuoteSyntaxError('illegal number syntax: ' + quoteGo(text))
  }
  // As Go's idealConstant: a float if it looks like one, else an int.
  if (isFloat && !isHexInt(text) && /[.eEpP]/.test(text)) {
    return { value: new GoFloat(i === null && u === null ? f : Number(i ?? u)), overflow: false }
  }
  if (i !== null) return { value: goInt(i), overflow: false }
  return { value: null, overflow: true }
}
