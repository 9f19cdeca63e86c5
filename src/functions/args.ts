/**
 * Argument conversion shared by the helper functions. Go's executor converts
 * each argument to the parameter type the function declares; these helpers
 * do the same for the few types the helpers take, with Go's wording.
 */
import { GoFloat, goTypeName, isGoMap, missingKeyValue } from '../template/value.ts'

/** Returns v as a string, or throws Go's wrong-type message. */
export function asString(v: unknown): string {
  if (typeof v === 'string') return v
  throw wrongType('string', v)
}

/** Returns every argument as a string (a variadic ...string parameter). */
export function asStrings(vs: unknown[]): string[] {
  return vs.map(asString)
}

/** Returns v as a Go int, or throws Go's wrong-type message. */
export function asInt(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'bigint') return Number(v)
  throw wrongType('int', v)
}

/** Returns v as a []string: an array whose elements are all strings. */
export function asStringSlice(v: unknown): string[] {
  if (v === null) return []
  if (Array.isArray(v) && v.every((e) => typeof e === 'string')) return v
  throw wrongType('[]string', v)
}

/** Returns v as a []interface{}. */
export function asSlice(v: unknown): unknown[] {
  if (v === null) return []
  if (Array.isArray(v)) return v
  throw wrongType('[]interface {}', v)
}

/** Returns v as a map[string]interface{}. */
export function asMap(v: unknown): Record<string, unknown> {
  // A map[string]string (typedMap with "" as zero) is not assignable to
  // map[string]interface{} in Go.
  if (isGoMap(v) && missingKeyValue(v) !== '') return v
  throw wrongType('map[string]interface {}', v)
}

/** Builds Go's message for an argument of the wrong type. */
export function wrongType(want: string, v: unknown): Error {
  if (v === null || v === undefined) {
    return new Error(`invalid value; expected ${want}`)
  }
  return new Error(`wrong type for value; expected ${want}; got ${goTypeName(v)}`)
}

/** Reports whether v is a Go float64. */
export function isFloat(v: unknown): v is GoFloat {
  return v instanceof GoFloat
}
