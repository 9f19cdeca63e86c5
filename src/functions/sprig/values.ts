/**
 * Go's reflection-based notions Sprig builds on: "empty" (Sprig's own
 * rule), reflect.DeepEqual, and a deep copy.
 */
import { GoFloat, GoStruct, isGoMap } from '../../template/value.ts'
import { typeName, typedSlice } from './convert.ts'

/** Reports whether v is empty by Sprig's rule (zero, "", nil, no items). */
export function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true
  if (typeof v === 'string') return v.length === 0
  if (typeof v === 'boolean') return !v
  if (typeof v === 'number') return v === 0
  if (typeof v === 'bigint') return v === 0n
  if (v instanceof GoFloat) return v.value === 0
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0
  if (v instanceof GoStruct) return false
  if (isGoMap(v)) return Object.keys(v).length === 0
  return false
}

/** Reports whether two values are deeply equal as reflect.DeepEqual does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return a === a
  if (a === null || b === null || a === undefined || b === undefined) return false
  if (typeName(a) !== typeName(b)) return false
  if (a instanceof GoFloat && b instanceof GoFloat) return a.value === b.value
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    return BigInt(a as number) === BigInt(b as number)
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, k) => deepEqual(x, b[k]))
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  return ka.every((k) => Object.hasOwn(rb, k) && deepEqual(ra[k], rb[k]))
}

/** Returns a deep copy of maps and slices; other values are shared. */
export function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) {
    const t = typeName(v)
    return t === '[]interface {}' ? v.map(deepCopy) : typedSlice(v.map(deepCopy), t)
  }
  if (isGoMap(v)) {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(v))
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k])
    for (const sym of Object.getOwnPropertySymbols(v)) {
      Object.defineProperty(out, sym, { value: (v as Record<symbol, unknown>)[sym] })
    }
    return out
  }
  return v
}
