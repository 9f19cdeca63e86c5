/**
 * Argument conversion shared by the helper functions. Go's executor converts
 * each argument to the parameter type the function declares; these helpers
 * do the same for the few types the helpers take, with Go's wording.
 */
import { GoFloat, goTypeName, isGoMap } from '../template/value.ts'

/** Returns v as a string, or throws Go's wrong-type message. */
export function asString(v: unknown, arg?: number): string {
  if (typeof v === 'string') return v
  throw wrongType('string', v, arg)
}

/** Returns every argument as a string (a variadic ...string parameter). */
export function asStrings(vs: unknown[]): string[] {
  return vs.map(asString)
}

/** Returns v as a Go int, or throws Go's wrong-type message. */
export function asInt(v: unknown, arg?: number): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'bigint') return Number(v)
  throw wrongType('int', v, arg)
}

/** Symbol under which an array carries its Go slice type (the same one
 * src/dependency uses for dependency.ServiceTags and friends). */
const goSliceType = Symbol.for('ctmpl.goType')

/** Tags an array with its Go slice type name; returns it. */
export function typedSlice<T extends unknown[]>(arr: T, goType: string): T {
  Object.defineProperty(arr, goSliceType, { value: goType, enumerable: false })
  return arr
}

/** Returns the Go type of v, reading an array's slice-type tag. */
export function goTypeOf(v: unknown): string {
  if (Array.isArray(v)) {
    const tag = (v as unknown as Record<symbol, unknown>)[goSliceType]
    if (typeof tag === 'string') return tag
  }
  return goTypeName(v)
}

/** Returns v as a []string: an array whose elements are all strings.
 * An array tagged []interface{} (from parseJSON) is refused, as in Go;
 * untagged arrays are taken as they are. */
export function asStringSlice(v: unknown, arg?: number): string[] {
  if (v === null) return []
  if (Array.isArray(v) && goTypeOf(v) !== '[]interface {}' &&
    v.every((e) => typeof e === 'string')) return v
  throw wrongType('[]string', v, arg)
}

/** Returns v as a []interface{}; a slice tagged with a named element type
 * (a []string from split, dependency.ServiceTags) is refused, as in Go. */
export function asSlice(v: unknown): unknown[] {
  if (v === null) return []
  if (Array.isArray(v) && goTypeOf(v) === '[]interface {}') return v
  throw wrongType('[]interface {}', v)
}

/** Returns v as a map[string]interface{}. */
export function asMap(v: unknown): Record<string, unknown> {
  // A map[string]string or a map of slices (byTag's) is not assignable to
  // map[string]interface{} in Go.
  if (isGoMap(v) && goTypeOf(v) === 'map[string]interface {}') return v
  throw wrongType('map[string]interface {}', v)
}

/** An argument Go would have refused before the call, from the declared
 * parameter type. The code lets the executor report it as Go does (at the
 * argument, without "error calling NAME:"); `want` is the parameter's Go
 * type and `value` the argument, by which the executor finds it. A function
 * whose parameters differ in type gives `arg`, the argument's index, since
 * a value that fits one parameter may be refused by another. */
export class GoArgTypeError extends Error {
  readonly code = 'EGOARGTYPE'

  constructor(message: string, readonly want: string, readonly value: unknown,
    readonly arg?: number) {
    super(message)
  }
}
GoArgTypeError.prototype.name = 'GoArgTypeError'

/** Builds Go's message for an argument of the wrong type. */
export function wrongType(want: string, v: unknown, arg?: number): GoArgTypeError {
  if (v === null || v === undefined) {
    return new GoArgTypeError(`invalid value; expected ${want}`, want, null, arg)
  }
  return new GoArgTypeError(`wrong type for value; expected ${want}; got ${goTypeOf(v)}`,
    want, v, arg)
}

/** Reports whether v is a Go float64. */
export function isFloat(v: unknown): v is GoFloat {
  return v instanceof GoFloat
}
