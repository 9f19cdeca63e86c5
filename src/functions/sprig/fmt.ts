/**
 * The slice of Go's `fmt` and `strconv` that Sprig leans on: `%v` of any
 * value (Sprig turns most arguments into strings that way), shortest float
 * formatting, and `strconv.Quote`.
 */
import { GoFloat, GoStruct, isGoMap } from '../../template/value.ts'
import { isGoPrint } from './unicode.ts'

/** Formats a float64 as Go's `%v` (`strconv` 'g', shortest) prints it. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN'
  if (f === Infinity) return '+Inf'
  if (f === -Infinity) return '-Inf'
  if (f === 0) return Object.is(f, -0) ? '-0' : '0'
  // toExponential() with no argument gives the shortest round-trip digits.
  const [mant, expText] = f.toExponential().split('e') as [string, string]
  const neg = mant.startsWith('-')
  const digits = mant.replace('-', '').replace('.', '')
  const exp = Number(expText)
  let out: string
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : ''
    const e = Math.abs(exp)
    out = digits[0] + frac + 'e' + (exp < 0 ? '-' : '+') + (e < 10 ? '0' : '') + e
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length)
  } else {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1)
  }
  return neg ? '-' + out : out
}

/** Returns the names of a struct's fields, in declaration order. */
export function structFields(s: GoStruct): string[] {
  return Object.keys(s)
}

/** Formats any Go value as `fmt.Sprintf("%v", v)` does. */
export function formatValue(v: unknown, top = true): string {
  if (v === null || v === undefined) return '<nil>'
  switch (typeof v) {
    case 'string': return v
    case 'boolean': return v ? 'true' : 'false'
    case 'bigint': return v.toString()
    case 'number': return Number.isInteger(v) ? String(v) : formatFloat(v)
    // Go prints a func's code address, which a template can never rely on.
    case 'function': return '0x0'
  }
  if (v instanceof GoFloat) return formatFloat(v.value)
  if (v instanceof Uint8Array) return '[' + Array.from(v).join(' ') + ']'
  if (Array.isArray(v)) return '[' + v.map((e) => formatValue(e, false)).join(' ') + ']'
  if (v instanceof Error) return v.message
  if (v instanceof GoStruct) {
    const str = (v as unknown as { String?: () => string }).String
    if (typeof str === 'function') return str.call(v)
    const ctor = v.constructor as typeof GoStruct
    const body = '{' + structFields(v)
      .map((k) => formatValue((v as unknown as Record<string, unknown>)[k], false))
      .join(' ') + '}'
    return ctor.goPointer && top ? '&' + body : body
  }
  if (isGoMap(v)) {
    const keys = Object.keys(v).sort()
    return 'map[' + keys.map((k) => k + ':' + formatValue(v[k], false)).join(' ') + ']'
  }
  return String(v)
}


/** Quotes a string as Go's `strconv.Quote` does. */
export function quote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    switch (ch) {
      case '"': out += '\\"'; continue
      case '\\': out += '\\\\'; continue
      case '\x07': out += '\\a'; continue
      case '\b': out += '\\b'; continue
      case '\f': out += '\\f'; continue
      case '\n': out += '\\n'; continue
      case '\r': out += '\\r'; continue
      case '\t': out += '\\t'; continue
      case '\v': out += '\\v'; continue
    }
    if (isGoPrint(ch)) {
      out += ch
    } else if (c < 0x20 || c === 0x7f) {
      out += '\\x' + c.toString(16).padStart(2, '0')
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += '\\ufffd'
    } else if (c < 0x10000) {
      out += '\\u' + c.toString(16).padStart(4, '0')
    } else {
      out += '\\U' + c.toString(16).padStart(8, '0')
    }
  }
  return out + '"'
}
