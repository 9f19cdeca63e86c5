/**
 * Sprig's dictionary functions. They work on map[string]interface{} only
 * (a map[string]string argument is a type error in Go, and here too), and
 * `set`/`unset`/`merge` change the map they are given, as Go's do.
 */
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { isGoMap, missingKeyValue } from '../../template/value.ts'
import {
  argDict, argString, setKey, stringSlice, strval, typeName,
} from './convert.ts'
import { deepCopy, isEmpty } from './values.ts'

function dict(...xs: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (let k = 0; k < xs.length; k += 2) {
    setKey(out, strval(xs[k]), k + 1 < xs.length ? xs[k + 1] : '')
  }
  return out
}

function get(d: Record<string, unknown> | null, key: string): unknown {
  return d && Object.hasOwn(d, key) ? d[key] : ''
}

// Go writes into a nil map by panicking.
function writable(d: Record<string, unknown> | null): Record<string, unknown> {
  if (d === null) throw new Error('assignment to entry in nil map')
  return d
}

function pick(d: Record<string, unknown> | null, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of keys) if (d && Object.hasOwn(d, k)) setKey(out, k, d[k])
  return out
}

function omit(d: Record<string, unknown> | null, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(d ?? {})) if (!keys.includes(k)) setKey(out, k, d![k])
  return out
}

/** Merges src into dst as mergo does for maps: nested maps merge, and a
 * key is taken from src when dst lacks it, holds an empty value, or when
 * overwriting (then a nil in src is copied too). */
export function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>,
  overwrite: boolean): void {
  for (const k of Object.keys(src)) {
    const s = src[k]
    const has = Object.hasOwn(dst, k)
    const d = dst[k]
    if (s === null || s === undefined) {
      if (overwrite) setKey(dst, k, null)
      continue
    }
    if (isGoMap(s) && has && isGoMap(d)) {
      mergeInto(d, s, overwrite)
      continue
    }
    if (overwrite || !has || isEmpty(d)) setKey(dst, k, s)
  }
}

function merge(overwrite: boolean) {
  return (dst: unknown, ...srcs: unknown[]) => {
    // mergo allocates a nil destination map.
    const d = argDict(dst) ?? {}
    for (const s of srcs) {
      const src = argDict(s)
      if (src !== null) mergeInto(d, src, overwrite)
    }
    return d
  }
}

// A nil map: prints as map[], encodes as JSON null (the mark src/dependency
// and the JSON encoders share).
function nilMap(): Record<string, unknown> {
  const m = {}
  Object.defineProperty(m, Symbol.for('ctmpl.nilMap'), { value: true })
  return m
}

// dig asserts map[string]interface{} exactly; a map[string]string fails.
function isAnyMap(v: unknown): v is Record<string, unknown> {
  return isGoMap(v) && missingKeyValue(v) === undefined
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error('dig needs at least three arguments')
  const last = ps[ps.length - 1]
  if (!isAnyMap(last)) {
    throw new Error(`interface conversion: interface {} is ${typeName(last)}, ` +
      'not map[string]interface {}')
  }
  const def = ps[ps.length - 2]
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') {
      throw new Error(`interface conversion: interface {} is ${typeName(k)}, not string`)
    }
    return k
  })
  let cur: unknown = last
  for (let n = 0; n < keys.length; n++) {
    if (!isAnyMap(cur)) {
      throw new Error(`interface conversion: interface {} is ${typeName(cur)}, ` +
        'not map[string]interface {}')
    }
    if (!Object.hasOwn(cur, keys[n]!)) return def
    cur = cur[keys[n]!]
  }
  return cur
}

// copystructure reflects on its argument's type, which nil lacks.
function copyOf(v: unknown): unknown {
  if (v === null || v === undefined) {
    throw new Error('reflect: call of reflect.Value.Type on zero Value')
  }
  return deepCopy(v)
}

const d = argDict
const s = argString

/** Returns Sprig's dictionary functions, keyed by their Sprig names. */
export function dictFuncs(): FuncMap {
  return {
    dict: defineFunc(dict, 1, true),
    get: defineFunc((m, k) => get(d(m), s(k)), 2),
    set: defineFunc((m, k, v) => {
      const map = writable(d(m))
      setKey(map, s(k), v)
      return map
    }, 3),
    unset: defineFunc((m, k) => {
      const map = d(m)
      const key = s(k)
      if (!map) return nilMap()
      delete map[key]
      return map
    }, 2),
    hasKey: defineFunc((m, k) => {
      const map = d(m)
      return map !== null && Object.hasOwn(map, s(k))
    }, 2),
    pluck: defineFunc((k: unknown, ...ms: unknown[]) => {
      const key = s(k)
      return ms.map(d).filter((m) => m && Object.hasOwn(m, key)).map((m) => m![key])
    }, 2, true),
    keys: defineFunc((...ms: unknown[]) =>
      stringSlice(ms.flatMap((m) => Object.keys(d(m) ?? {}))), 1, true),
    pick: defineFunc((m: unknown, ...ks: unknown[]) => pick(d(m), ks.map(s)), 2, true),
    omit: defineFunc((m: unknown, ...ks: unknown[]) => omit(d(m), ks.map(s)), 2, true),
    values: defineFunc((m) => Object.values(d(m) ?? {}), 1),
    merge: defineFunc(merge(false), 2, true),
    mustMerge: defineFunc(merge(false), 2, true),
    mergeOverwrite: defineFunc(merge(true), 2, true),
    mustMergeOverwrite: defineFunc(merge(true), 2, true),
    deepCopy: defineFunc(copyOf, 1),
    mustDeepCopy: defineFunc(copyOf, 1),
    dig: defineFunc(dig, 1, true),
  }
}
