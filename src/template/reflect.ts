/**
 * What Go's reflect gives the executor and fmt: struct fields and methods
 * of GoStruct instances, truth, and byte-order string comparison.
 */
import { GoComplex, GoFloat, GoStruct, hasIntKeys, isGoMap } from './value.ts'
import type { GoFunc } from './func.ts'

/** Returns the field names of a struct value, in declaration order. */
export function structFields(v: GoStruct): string[] {
  return Object.keys(v)
}

const methodCache = new WeakMap<object, Map<string, GoFunc | null>>()

/** Returns the exported method `name` of a struct value, if it has one. */
export function structMethod(v: GoStruct, name: string): GoFunc | undefined {
  const proto = Object.getPrototypeOf(v) as object
  let byName = methodCache.get(proto)
  if (byName === undefined) methodCache.set(proto, (byName = new Map()))
  let m = byName.get(name)
  if (m === undefined) {
    m = null
    const c = name.charCodeAt(0)
    if (c >= 0x41 && c <= 0x5a && name !== 'constructor') {
      for (let p = proto; p !== null && p !== GoStruct.prototype && p !== Object.prototype;
        p = Object.getPrototypeOf(p) as object) {
        const d = Object.getOwnPropertyDescriptor(p, name)
        if (d !== undefined) {
          if (typeof d.value === 'function') m = d.value as GoFunc
          break
        }
      }
    }
    byName.set(name, m)
  }
  return m ?? undefined
}

/** Compares two strings by their UTF-8 bytes, as Go orders strings. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // UTF-16 puts surrogates (astral code points) below U+E000; UTF-8 above.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000
    return x - y
  }
  return a.length - b.length
}

/** Returns a Go map's keys in the order Go's fmt and range use: by value
 * for a map with int keys, else by bytes. */
export function sortedMapKeys(m: object): string[] {
  const keys = Object.keys(m)
  if (hasIntKeys(m)) return keys.sort((a, b) => Number(a) - Number(b))
  return keys.sort(compareGoStrings)
}

/** Returns a map key as a template sees it: a number for int keys. */
export function mapKeyValue(m: object, k: string): string | number {
  return hasIntKeys(m) ? Number(k) : k
}

/** Reports Go's truth of a value (isTrue); null and undefined are false. */
export function isTrue(v: unknown): boolean {
  if (v === null || v === undefined) return false
  switch (typeof v) {
    case 'boolean': return v
    case 'string': return v.length > 0
    case 'number': return v !== 0
    case 'bigint': return v !== 0n
    case 'function': return true
  }
  if (v instanceof GoFloat) return v.value !== 0
  if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0
  if (Array.isArray(v)) return v.length > 0
  if (isGoMap(v)) {
    for (const _ in v) return true
    return false
  }
  return true
}
