/**
 * The built-in functions with Go's results and error texts. Arguments are
 * Go values as value.ts models them; `undefined` is Go's invalid value.
 * `and`, `or` and `call` need the executor and live there.
 */
import { defineFunc } from './func.ts'
import type { FuncMap } from './func.ts'
import {
  GoComplex, GoFloat, goTypeName, hasIntKeys, isGoInt, isGoMap, missingKeyValue,
} from './value.ts'
import { byteLength } from './errors.ts'
import { sprint, sprintf, sprintln } from './fmt.ts'
import { compareGoStrings, isTrue } from './reflect.ts'

/** The names of all built-ins, which parse-time checks accept. */
export const builtinNames = new Set([
  'and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf',
  'println', 'urlquery', 'eq', 'ge', 'gt', 'le', 'lt', 'ne',
])

/** Built-ins whose parameters are reflect.Value in Go: a nil stays invalid. */
export const valueParamBuiltins = new Set([
  'and', 'call', 'index', 'slice', 'len', 'not', 'or', 'eq', 'ge', 'gt', 'le', 'lt', 'ne',
])

const zeroValueError = 'reflect: call of reflect.Value.Type on zero Value'

/** Returns the length of a string (bytes), slice or map. */
function length(v: unknown): number {
  if (v === undefined) throw new Error(zeroValueError)
  if (v === null) throw new Error('len of nil pointer')
  if (typeof v === 'string') return byteLength(v)
  if (Array.isArray(v)) return v.length
  if (isGoMap(v)) return Object.keys(v).length
  throw new Error('len of type ' + goTypeName(v))
}

/** A slice index read from an interface{} slot (an untyped map or slice).
 * Go's slice does not look inside it, so it is never an integer there. */
export class IfaceArg {
  constructor(readonly value: unknown) {}
}

function indexArg(index: unknown, cap: number): number {
  let x: number
  if (index instanceof IfaceArg) {
    throw new Error('cannot index slice/array with type interface {}')
  }
  if (typeof index === 'number' && Number.isInteger(index)) x = index
  else if (typeof index === 'bigint') x = Number(index)
  else if (index === undefined || index === null) {
    throw new Error('cannot index slice/array with nil')
  } else throw new Error('cannot index slice/array with type ' + goTypeName(index))
  if (x < 0 || x > cap) throw new Error('index out of range: ' + String(index))
  return x
}

/** Returns the bytes of a string (ASCII strings are their own bytes). */
function bytesOf(s: string): Buffer | null {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? null : Buffer.from(s, 'utf8')
}

/** Returns item[i0][i1]…; a missing map key gives the map's zero value. */
export function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('index of untyped nil')
  for (const ix of indexes) {
    if (item === null || item === undefined) throw new Error('index of nil pointer')
    if (typeof item === 'string') {
      const b = bytesOf(item)
      const n = b === null ? item.length : b.length
      const x = indexArg(ix, n)
      if (x === n) throw new Error('reflect: string index out of range')
      item = b === null ? item.charCodeAt(x) : b[x]
    } else if (Array.isArray(item)) {
      const x = indexArg(ix, item.length)
      if (x === item.length) throw new Error('reflect: slice index out of range')
      item = item[x]
    } else if (isGoMap(item)) {
      const want = hasIntKeys(item) ? 'int' : 'string'
      if (ix === undefined || ix === null) {
        throw new Error(`value is nil; should be of type ${want}`)
      }
      if (want === 'int' ? !isGoInt(ix) : typeof ix !== 'string') {
        throw new Error(`value has type ${goTypeName(ix)}; should be ${want}`)
      }
      const key = String(ix)
      item = Object.hasOwn(item, key) ? item[key] : (missingKeyValue(item) ?? null)
    } else {
      throw new Error("can't index item of type " + goTypeName(item))
    }
  }
  return item
}

/** Returns item[a:b:c] for strings (bytes) and slices. */
export function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('slice of untyped nil')
  if (indexes.length > 3) throw new Error('too many slice indexes: ' + indexes.length)
  let len: number
  let b: Buffer | null = null
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string')
    b = bytesOf(item)
    len = b === null ? item.length : b.length
  } else if (Array.isArray(item)) {
    len = item.length
  } else {
    throw new Error("can't slice item of type " + goTypeName(item))
  }
  const idx = [0, len, len]
  indexes.forEach((ix, i) => (idx[i] = indexArg(ix, len)))
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`)
  if (indexes.length === 3 && idx[1]! > idx[2]!) {
    throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`)
  }
  if (typeof item === 'string') {
    return b === null ? item.slice(idx[0], idx[1]) : b.subarray(idx[0], idx[1]).toString()
  }
  return (item as unknown[]).slice(idx[0], idx[1])
}

/** The basic kinds Go's comparison functions tell apart. */
const Kind = { invalid: 0, bool: 1, int: 2, float: 3, string: 4, complex: 5 } as const
type BasicKind = (typeof Kind)[keyof typeof Kind]

function basicKind(v: unknown): BasicKind {
  switch (typeof v) {
    case 'boolean': return Kind.bool
    case 'string': return Kind.string
    case 'bigint': return Kind.int
    case 'number': return Number.isInteger(v) ? Kind.int : Kind.float
  }
  if (v instanceof GoComplex) return Kind.complex
  return v instanceof GoFloat ? Kind.float : Kind.invalid
}

function num(v: unknown): number | bigint {
  return v instanceof GoFloat ? v.value : (v as number | bigint)
}

function incompatible(a: unknown, b: unknown): Error {
  return new Error(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`)
}

function isComparable(v: unknown): boolean {
  return !(Array.isArray(v) || isGoMap(v) || typeof v === 'function')
}

/** Reports whether a equals any of bs, with Go's type rules. */
export function eq(a: unknown, ...bs: unknown[]): boolean {
  if (bs.length === 0) throw new Error('missing argument for comparison')
  const k1 = basicKind(a)
  for (const b of bs) {
    const k2 = basicKind(b)
    let truth: boolean
    if (k1 !== k2) {
      if (a !== undefined && a !== null && b !== undefined && b !== null) {
        if (k1 !== Kind.invalid || k2 !== Kind.invalid) throw incompatible(a, b)
      }
      truth = false
    } else if (k1 === Kind.invalid) {
      const n1 = a === undefined || a === null
      const n2 = b === undefined || b === null
      if (n1 || n2) truth = n1 === n2
      else {
        if (!isComparable(b)) {
          throw new Error(`non-comparable type ${sprintf('%s', [b])}: ${goTypeName(b)}`)
        }
        truth = a === b
      }
    } else if (k1 === Kind.complex) {
      const x = a as GoComplex
      const y = b as GoComplex
      truth = x.re === y.re && x.im === y.im
    } else if (k1 === Kind.int || k1 === Kind.float) {
      truth = num(a) == num(b) // eslint-disable-line eqeqeq
    } else {
      truth = a === b
    }
    if (truth) return true
  }
  return false
}

/** Reports whether a < b, with Go's type rules. */
export function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (k1 === Kind.invalid || k2 === Kind.invalid) {
    throw new Error('invalid type for comparison')
  }
  if (k1 !== k2) throw incompatible(a, b)
  switch (k1) {
    case Kind.bool: case Kind.complex: throw new Error('invalid type for comparison')
    case Kind.string: return compareGoStrings(a as string, b as string) < 0
  }
  return num(a) < num(b)
}

function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b)
}

/** Returns the text of fmt.Sprint for the escaping functions. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0]
  // Go prints each argument as a template action would: a nil is no value
  // and a struct pointer shows its struct.
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)), true)
}

/** Escapes text for HTML as Go's template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[<>&'"\0]/g, (c) => {
    switch (c) {
      case '<': return '&lt;'
      case '>': return '&gt;'
      case '&': return '&amp;'
      case "'": return '&#39;'
      case '"': return '&#34;'
    }
    return '\uFFFD'
  })
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

/** Escapes text for JavaScript as Go's template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = ''
  for (const ch of s) {
    const r = ch.codePointAt(0)!
    switch (ch) {
      case '\\': out += '\\\\'; continue
      case "'": out += "\\'"; continue
      case '"': out += '\\"'; continue
      case '<': out += '\\u003C'; continue
      case '>': out += '\\u003E'; continue
      case '&': out += '\\u0026'; continue
      case '=': out += '\\u003D'; continue
    }
    if (r < 0x80) {
      if (r < 0x20) out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0')
      else out += ch
    } else if (printable.test(ch)) out += ch
    else out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0')
  }
  return out
}

/** Escapes text as Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = ''
  for (const b of Buffer.from(s, 'utf8')) {
    if ((b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a) ||
      b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e) {
      out += String.fromCharCode(b)
    } else if (b === 0x20) out += '+'
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

/** The built-ins other than and, or and call, with Go's arities. */
export const builtinFuncs: FuncMap = {
  eq: defineFunc(eq, 2, true),
  ge: defineFunc((a: unknown, b: unknown) => !lt(a, b), 2),
  gt: defineFunc((a: unknown, b: unknown) => !le(a, b), 2),
  le: defineFunc(le, 2),
  lt: defineFunc(lt, 2),
  ne: defineFunc((a: unknown, b: unknown) => !eq(a, b), 2),
  html: defineFunc((...a: unknown[]) => htmlEscape(evalArgs(a)), 1, true),
  index: defineFunc(index, 2, true),
  slice: defineFunc(slice, 2, true),
  js: defineFunc((...a: unknown[]) => jsEscape(evalArgs(a)), 1, true),
  len: defineFunc(length, 1),
  not: defineFunc((v: unknown) => !isTrue(v), 1),
  print: defineFunc((...a: unknown[]) => sprint(a), 1, true),
  printf: defineFunc((f: string, ...a: unknown[]) => sprintf(f, a), 2, true),
  println: defineFunc((...a: unknown[]) => sprintln(a), 1, true),
  urlquery: defineFunc((...a: unknown[]) => queryEscape(evalArgs(a)), 1, true),
}
