/**
 * How Go values are modelled in JavaScript. Every layer that hands data to a
 * template (functions, dependencies, the runner) builds values this way, and
 * the executor and `fmt` read them this way.
 *
 * | Go                         | JavaScript                                   |
 * | -------------------------- | -------------------------------------------- |
 * | int, int64, uint…          | `number` (an integer) or `bigint` beyond 2^53 |
 * | float64                    | `GoFloat`                                    |
 * | string                     | `string` (len/index/slice count UTF-8 bytes) |
 * | bool                       | `boolean`                                    |
 * | nil                        | `null`                                       |
 * | missing (invalid Value)    | `undefined`, printed as `<no value>`          |
 * | slice, array               | `Array`                                      |
 * | map[string]T               | plain object (prototype Object or null)      |
 * | struct, *struct            | instance of a `GoStruct` subclass            |
 * | func                       | `function`                                   |
 *
 * A plain object read with a key it lacks gives `undefined` (Go's
 * `<no value>` for `map[string]interface{}`), unless the map was made with
 * `typedMap(obj, zero)`: then it gives `zero`, as Go gives "" for a missing
 * key of a `map[string]string`. Struct fields are the instance's own
 * enumerable properties in declaration order; its methods are prototype
 * functions whose names start with an upper-case letter, as Go exports them.
 */

/** A Go float64. Plain numbers are Go ints, so 3 and 3.0 print alike but
 * `printf "%d"` and `%T` tell them apart, as Go does. */
export class GoFloat {
  constructor(readonly value: number) {}

  /** Returns the number, for arithmetic. */
  valueOf(): number {
    return this.value
  }
}

/** Wraps a number as a Go float64. */
export function float(n: number): GoFloat {
  return new GoFloat(n)
}

/** A Go complex128; only template constants such as 2i or 1+2i make one. */
export class GoComplex {
  constructor(readonly re: number, readonly im: number) {}
}

/** Base of every Go struct a template can see. Subclasses set `goType`
 * (the name Go prints in errors and for `%T`, e.g. "dependency.HealthService")
 * and `goPointer` when Go would hold the value behind a pointer (then `%v`
 * prints `&{…}`). */
export abstract class GoStruct {
  static goType = 'struct'
  static goPointer = false
}

const mapZero = Symbol.for('ctmpl.mapZero')
const goTypeKey = Symbol.for('ctmpl.goType')

/** Names the Go type of a slice or map (e.g. "dependency.ServiceTags"),
 * for `%T` and error messages; returns the same object. */
export function goNamedType<T extends object>(v: T, goType: string): T {
  Object.defineProperty(v, goTypeKey, { value: goType, enumerable: false })
  return v
}

/** Marks a plain object as a Go map whose missing keys read as `zero`
 * (for example "" for map[string]string). Returns the same object. */
export function typedMap<T extends object>(obj: T, zero: unknown): T {
  Object.defineProperty(obj, mapZero, { value: zero, enumerable: false })
  return obj
}

/** Returns a new map[string]string with the given entries (none if null). */
export function stringMap(entries?: Record<string, string> | null): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  if (entries) for (const k of Object.keys(entries)) out[k] = entries[k]!
  return typedMap(out, '')
}

/** Returns the value a Go map gives for a key it lacks. */
export function missingKeyValue(map: object): unknown {
  return (map as Record<symbol, unknown>)[mapZero]
}

/** Reports whether a map has int keys: its Go type, named with
 * goNamedType, is map[int]…; its JS keys are the numbers in decimal. */
export function hasIntKeys(m: object): boolean {
  const t = (m as Record<symbol, unknown>)[goTypeKey]
  return typeof t === 'string' && t.startsWith('map[int]')
}

/** Reports whether a map's elements are pointers (its Go type, named with
 * goNamedType, is map[K]*T): a missing key then reads as a typed nil
 * pointer, which prints <nil> where a nil interface prints <no value>. */
export function hasPointerElems(m: object): boolean {
  const t = (m as Record<symbol, unknown>)[goTypeKey]
  return typeof t === 'string' && /^map\[[^\]]*\]\*/.test(t)
}

/** Reports whether v is a Go map (a plain object, not a struct). */
export function isGoMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Reports whether v is a Go struct. */
export function isGoStruct(v: unknown): v is GoStruct {
  return v instanceof GoStruct
}

/** Reports whether v is a Go int (a JS integer number or a bigint). */
export function isGoInt(v: unknown): v is number | bigint {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint'
}

/** Returns the Go type name of a value, as `%T` prints it. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  switch (typeof v) {
    case 'string': return 'string'
    case 'boolean': return 'bool'
    case 'number': return Number.isInteger(v) ? 'int' : 'float64'
    case 'bigint': return 'int'
    case 'function': return 'func'
  }
  if (v instanceof GoFloat) return 'float64'
  if (v instanceof GoComplex) return 'complex128'
  const named = (v as Record<symbol, unknown>)[goTypeKey]
  if (typeof named === 'string') return named
  if (Array.isArray(v)) return '[]interface {}'
  if (v instanceof GoStruct) {
    const ctor = v.constructor as typeof GoStruct
    return (ctor.goPointer ? '*' : '') + ctor.goType
  }
  if (isGoMap(v)) {
    return missingKeyValue(v) === '' ? 'map[string]string' : 'map[string]interface {}'
  }
  return 'interface {}'
}
