/**
 * Conversions Sprig performs on its arguments: `spf13/cast`'s ToInt64 and
 * ToFloat64 (errors read as zero), Sprig's `strval`/`strslice`, and the
 * argument checks Go's template executor applies to typed parameters.
 */
import { GoFloat, GoStruct, goTypeName, isGoMap, missingKeyValue } from '../../template/value.ts'
import { formatValue } from './fmt.ts'
import { GoArgTypeError } from '../args.ts'
import { defineFunc, type GoFunc } from '../../template/func.ts'

const sliceType = Symbol.for('ctmpl.sliceType')

/** Marks an array as a Go slice of a named element type ("[]string"). */
export function typedSlice<T extends unknown[]>(arr: T, type: string): T {
  Object.defineProperty(arr, sliceType, { value: type, enumerable: false })
  return arr
}

const nilMark = Symbol.for('ctmpl.nilSlice')

/** Marks an empty array as a nil slice: it prints as [] but encodes as
 * JSON null, as Go's nil slices do. */
export function nilSlice<T extends unknown[]>(arr: T): T {
  Object.defineProperty(arr, nilMark, { value: true, enumerable: false })
  return arr
}

/** Reports whether v is an array marked as a nil slice. */
export function isNilSlice(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0 &&
    (v as unknown as Record<symbol, unknown>)[nilMark] === true
}

/** Returns an array marked as a Go []string. */
export function stringSlice(arr: string[]): string[] {
  return typedSlice(arr, '[]string')
}

/** Returns the Go type name of v, as `%T` prints it. */
export function typeName(v: unknown): string {
  if (Array.isArray(v)) {
    const t = (v as unknown as Record<symbol, string | undefined>)[sliceType]
    if (t) return t
  }
  if (typeof v === 'number' && !Number.isInteger(v)) return 'float64'
  // Sprig's integer math returns int64, which ctmpl carries as a bigint.
  if (typeof v === 'bigint') return 'int64'
  return goTypeName(v)
}

/** Returns the Go reflect.Kind name of v, as `kindOf` prints it. */
export function kindName(v: unknown): string {
  if (v === null || v === undefined) return 'invalid'
  if (Array.isArray(v)) return 'slice'
  if (v instanceof GoStruct) {
    return (v.constructor as typeof GoStruct).goPointer ? 'ptr' : 'struct'
  }
  if (isGoMap(v)) return 'map'
  if (typeof v === 'function') return 'func'
  return typeName(v)
}

/** Reads a number out of a Go int or float, or undefined for anything else. */
export function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof GoFloat) return v.value
  return undefined
}

/** Reports whether v holds a Go float64. */
export function isFloat(v: unknown): boolean {
  return v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v))
}

const intRange = 2n ** 63n

/** Parses like Go's strconv.ParseInt(s, 0, 64); undefined on error. */
export function parseGoInt(s: string): number | bigint | undefined {
  const m = /^([+-]?)(0[xX]|0[oO]|0[bB]|0(?=[0-9_]))?([0-9a-zA-Z_]+)$/.exec(s)
  if (!m) return undefined
  const prefix = (m[2] ?? '').toLowerCase()
  const base = prefix === '0x' ? 16 : prefix === '0b' ? 2 : prefix === '' ? 10 : 8
  let body = m[3]!
  if (body.includes('_')) {
    // As in Go literals: one underscore between digits or after a prefix.
    if (/__|_$/.test(body) || (prefix === '' && body[0] === '_')) return undefined
    body = body.replaceAll('_', '')
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base)
  let n = 0n
  for (const ch of body.toLowerCase()) {
    const d = digits.indexOf(ch)
    if (d < 0) return undefined
    n = n * BigInt(base) + BigInt(d)
  }
  if (m[1] === '-') n = -n
  if (n >= intRange || n < -intRange) return undefined
  return Number.isSafeInteger(Number(n)) ? Number(n) : n
}

/** Parses like Go's strconv.ParseFloat(s, 64); undefined on error. */
export function parseGoFloat(text: string): number | undefined {
  let s = text
  if (s.includes('_')) {
    // As in Go literals: each underscore sits between two digits.
    const digits = '[0-9a-fA-F]+(_[0-9a-fA-F]+)*'
    const shape = new RegExp(`^[+-]?(0[xX])?${digits}(\\.${digits})?([eEpP][+-]?\\d+)?$`)
    if (!shape.test(s)) return undefined
    s = s.replaceAll('_', '')
  }
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s)
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return NaN
    return special[1] === '-' ? -Infinity : Infinity
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s)
  if (hex && (hex[2] || hex[3])) {
    const mant = parseInt((hex[2] || '0') + (hex[3] || ''), 16)
    const v = mant * 2 ** (Number(hex[4]) - 4 * hex[3]!.length)
    return hex[1] === '-' ? -v : v
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined
  const v = Number(s)
  return Number.isFinite(v) ? v : undefined
}

// cast strips a ".000" tail before parsing an integer ("10.0" reads as 10).
function trimZeroDecimal(s: string): string {
  const m = /^(.*)\.0+$/.exec(s)
  return m ? m[1]! : s
}

/** Converts as cast.ToInt64 does: numbers truncate, strings parse, else 0. */
export function toInt64(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v)
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof GoFloat) return Number.isFinite(v.value) ? Math.trunc(v.value) : 0
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'string') {
    const n = parseGoInt(trimZeroDecimal(v))
    return n === undefined ? 0 : Number(n)
  }
  return 0
}

/** Converts as cast.ToFloat64 does: numbers widen, strings parse, else 0. */
export function toFloat64(v: unknown): number {
  const n = numeric(v)
  if (n !== undefined) return n
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'string') return parseGoFloat(v) ?? 0
  return 0
}

/** Converts any value to a string as Sprig's strval does (`%v`). */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1')
  return formatValue(v)
}

/** Converts a list (or one value) to strings as Sprig's strslice does. */
export function strslice(v: unknown): string[] {
  if (v === null || v === undefined) return []
  if (Array.isArray(v)) {
    return v.filter((e) => e !== null && e !== undefined).map(strval)
  }
  return [strval(v)]
}

/** Throws Go's error for an argument of the wrong type, marked so that the
 * executor reports it at the argument, as Go does before the call. */
export function wrongType(expected: string, v: unknown, arg?: number): never {
  if (v === null || v === undefined) {
    throw new GoArgTypeError(`invalid value; expected ${expected}`, expected, null, arg)
  }
  throw new GoArgTypeError(`wrong type for value; expected ${expected}; got ${typeName(v)}`,
    expected, v, arg)
}

/** A declared Go parameter type that `typed` checks. */
export type ParamType = 'string' | 'int' | 'any'

/** Declares a function with Go parameter types: the arguments are checked
 * in order, as Go converts them before the call, so the first bad one is
 * the one reported. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function typed(types: ParamType[], fn: (...args: any[]) => unknown): GoFunc {
  return defineFunc((...args: unknown[]) => {
    args.forEach((v, k) => {
      const t = types[k]
      if (t === 'string' && typeof v !== 'string') wrongType('string', v, k)
      if (t === 'int' && !(typeof v === 'number' && Number.isInteger(v))) wrongType('int', v, k)
    })
    return fn(...args)
  }, types.length)
}

/** Checks a `string` parameter. */
export function argString(v: unknown): string {
  if (typeof v !== 'string') wrongType('string', v)
  return v
}

/** Checks an `int` parameter; an int64 is refused, as Go refuses it. */
export function argInt(v: unknown, type = 'int'): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  return wrongType(type, v)
}

/** Checks a `float64` parameter (Go converts an int constant to it). */
export function argFloat(v: unknown): number {
  const n = numeric(v)
  if (n === undefined) wrongType('float64', v)
  return n
}

/** Checks a `bool` parameter. */
export function argBool(v: unknown): boolean {
  if (typeof v !== 'boolean') wrongType('bool', v)
  return v
}

/** Checks a `map[string]interface{}` parameter; nil reads as a nil map. */
export function argDict(v: unknown): Record<string, unknown> | null {
  if (v === null || v === undefined) return null
  if (!isGoMap(v) || missingKeyValue(v) !== undefined) {
    wrongType('map[string]interface {}', v)
  }
  return v
}

/** Checks a `[]interface{}` parameter; nil reads as a nil slice. */
export function argList(v: unknown): unknown[] {
  if (v === null || v === undefined) return []
  if (!Array.isArray(v) || typeName(v) !== '[]interface {}') {
    wrongType('[]interface {}', v)
  }
  return v
}

/** Returns the elements of a slice of any element type, or undefined. */
export function listOf(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined
}

/** Sets a map entry; a key such as "__proto__" becomes an ordinary entry,
 * as any string is in a Go map. */
export function setKey(m: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Returns a new Go map[string]interface{}. */
export function newDict(): Record<string, unknown> {
  return {}
}
