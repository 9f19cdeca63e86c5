/**
 * Collection helpers: grouping services and keys (byTag, byKey, byMeta,
 * byPort), nesting flat keys (explode, explodeMap), merging maps, the
 * membership tests (in, contains*), and loop.
 */
import {
  GoFloat, GoStruct, goNamedType, goTypeName, isGoMap, typedMap,
} from '../template/value.ts'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asMap, asSlice, asString, wrongType } from './args.ts'
import { quoteForError } from './math.ts'
import { parseInt64 } from './strconv.ts'
import { compileGo, goReplaceAll } from './regex.ts'

type Fields = Record<string, unknown>

function fieldsOf(v: unknown): Fields {
  return v as Fields
}

/** Returns a shallow copy of a struct, keeping its class. */
function copyStruct<T extends object>(v: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(v) as object) as T, v)
}

function keyPairs(v: unknown): Fields[] {
  if (v === null) return []
  const isPair = (p: unknown) => p instanceof GoStruct && typeof fieldsOf(p)['Key'] === 'string'
  if (Array.isArray(v) && v.every(isPair)) {
    return v as Fields[]
  }
  throw wrongType('[]*dependency.KeyPair', v)
}

/** Go's zero map[string]*dependency.KeyPair: a missing folder of byKey. */
const nilPairMap = Object.freeze(
  typedMap(goNamedType({}, 'map[string]*dependency.KeyPair'), null))

/** Groups KV pairs by their top-level folder, stripping it from each key;
 * pairs with nothing below the folder are dropped. */
export function byKey(pairs: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const pair of keyPairs(pairs)) {
    const parts = String(pair['Key']).split('/')
    const top = parts[0]!
    const key = parts.slice(1).join('/')
    if (key === '') continue
    const copy = copyStruct(pair)
    copy['Key'] = key
    out[top] ??= typedMap(goNamedType({}, 'map[string]*dependency.KeyPair'), null)
    out[top][key] = copy
  }
  return typedMap(goNamedType(out, 'map[string]map[string]*dependency.KeyPair'), nilPairMap)
}

function structType(v: unknown): string {
  return (v as { constructor: { goType?: string } }).constructor.goType ?? ''
}

function serviceList(name: string, v: unknown): unknown[] {
  if (v === null || v === undefined) return []
  if (Array.isArray(v) && v.every((s) => s instanceof GoStruct)) return v
  throw new Error(`${name}: wrong argument type ${goTypeName(v)}`)
}

/** Go's zero value of []interface{}, what a missing key of a grouping
 * reads as: a nil slice, printed as []. */
const nilSlice: unknown[] = Object.freeze([]) as unknown as unknown[]

/** Groups services by each of their tags (`.Tags`, or `.ServiceTags` for
 * catalog services). */
export function byTag(services: unknown): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {}
  for (const s of serviceList('byTag', services)) {
    const f = fieldsOf(s)
    const tags = (f['Tags'] ?? f['ServiceTags'] ?? []) as string[]
    for (const t of tags) (out[t] ??= []).push(s)
  }
  return typedMap(goNamedType(out, 'map[string][]interface {}'), nilSlice)
}

/** Groups services by port (`.Port`, or `.ServicePort`): a map with int
 * keys (the ports in decimal), which ranges and prints in port order. */
export function byPort(services: unknown): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {}
  for (const s of serviceList('byPort', services)) {
    const f = fieldsOf(s)
    const port = String(f['Port'] ?? f['ServicePort'] ?? 0)
    ;(out[port] ??= []).push(s)
  }
  return typedMap(goNamedType(out, 'map[int][]interface {}'), nilSlice)
}

/** Groups services by one or more comma-separated ServiceMeta keys; a key
 * ending in `|int` is zero-padded to five digits so groups sort
 * numerically, and a missing key groups under `_no_KEY_`. */
export function byMeta(meta: unknown, services: unknown): Record<string, unknown[]> {
  const keys = asString(meta, 0).split(',')
  const unsafe = compileGo('[^a-zA-Z0-9_-]')
  const out: Record<string, unknown[]> = {}
  // byMeta declares []*dependency.HealthService, so Go refuses any other
  // list before the call.
  const list = services === null ? [] : services
  if (!Array.isArray(list) ||
    !list.every((s) => structType(s) === 'dependency.HealthService')) {
    throw wrongType('[]*dependency.HealthService', services, 1)
  }
  for (const s of list) {
    const sm = (fieldsOf(s)['ServiceMeta'] ?? {}) as Record<string, string>
    const parts: string[] = []
    for (const key of keys) {
      const isInt = key.endsWith('|int')
      const realKey = isInt ? key.slice(0, -4) : key
      let value = sm[realKey] ?? ''
      if (value === '') value = isInt ? '0' : `_no_${realKey}_`
      if (isInt) {
        if (!/^[+-]?[0-9]+$/.test(value)) {
          throw new Error(`cannot parse ${value} as number : strconv.Atoi: ` +
            `parsing "${value}": invalid syntax`)
        }
        const n = Number(value)
        value = (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(n < 0 ? 4 : 5, '0')
      }
      parts.push(goReplaceAll(unsafe, value, '_'))
    }
    ;(out[parts.join('_')] ??= []).push(s)
  }
  return out
}

function explodeInto(m: Record<string, unknown>, k: string, v: unknown, p: string): void {
  if (k.includes('/')) {
    const parts = k.split('/')
    const top = parts[0]!
    const rest = parts.slice(1).join('/')
    if (!(top in m)) m[top] = {}
    const nest = m[top]
    if (!isGoMap(nest)) {
      throw new Error(`not a map: ${quoteForError(p)}: ${quoteForError(top)} ` +
        `already has value ${quoteForError(nest)}`)
    }
    explodeInto(nest, rest, v, k)
    return
  }
  if (k !== '') m[k] = v
}

/** Turns KV pairs into nested maps, one level per path segment. */
export function explode(pairs: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const pair of keyPairs(pairs)) {
    try {
      explodeInto(out, String(pair['Key']), pair['Value'], String(pair['Key']))
    } catch (err) {
      throw new Error(`explode: ${(err as Error).message}`, { cause: err })
    }
  }
  return out
}

/** Turns a flat map with slash-separated keys into nested maps. */
export function explodeMap(m: unknown): Record<string, unknown> {
  const src = asMap(m)
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(src).sort()) {
    try {
      explodeInto(out, k, src[k], k)
    } catch (err) {
      throw new Error(`explodeMap: ${(err as Error).message}`, { cause: err })
    }
  }
  return out
}

/** Reports whether v is Go's zero value for its type, as mergo judges. */
function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === false || v === 0) return true
  if (typeof v === 'bigint') return v === 0n
  if (v instanceof GoFloat) return v.value === 0
  if (Array.isArray(v)) return v.length === 0
  if (isGoMap(v)) return Object.keys(v).length === 0
  return false
}

/** Merges src into dst in place (as the reference's mergo call does) and
 * returns dst; nested maps merge key by key. */
export function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>,
  override: boolean): Record<string, unknown> {
  for (const k of Object.keys(src)) {
    const sv = src[k]
    if (!(k in dst)) {
      dst[k] = sv
      continue
    }
    const dv = dst[k]
    if (isGoMap(dv) && isGoMap(sv)) {
      mergeInto(dv, sv, override)
    } else if (override || (isEmptyValue(dv) && !isEmptyValue(sv))) {
      // With override the reference's mergo call lets src win even with
      // an empty value (null, ""); without, only an empty dst is filled.
      dst[k] = sv
    }
  }
  return dst
}

/** Reports whether v is in the list l (same Go kind, equal value) or, when
 * l is a string, whether the string v is a substring of it. */
export function inList(l: unknown, v: unknown): boolean {
  if (typeof l === 'string') return typeof v === 'string' && l.includes(v)
  if (!Array.isArray(l)) return false
  const vIsInt = (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint'
  for (const e of l) {
    if ((typeof e === 'number' && Number.isInteger(e)) || typeof e === 'bigint') {
      if (vIsInt && BigInt(e) === BigInt(v as number)) return true
    } else if (e instanceof GoFloat) {
      if (v instanceof GoFloat && v.value === e.value) return true
    } else if (typeof e === 'string') {
      if (typeof v === 'string' && v === e) return true
    }
  }
  return false
}

function containsSome(retTrue: boolean, invert: boolean) {
  return defineFunc((vs: unknown, l: unknown) => {
    for (const v of asSlice(vs)) {
      if (inList(l, v) !== invert) return !retTrue
    }
    return retTrue
  }, 2)
}

function toInt64(v: unknown): bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v)
  if (typeof v === 'bigint') return v
  if (typeof v === 'string') {
    try {
      return BigInt(parseInt64(v))
    } catch (err) {
      throw new Error(`parseInt: ${(err as Error).message}`, { cause: err })
    }
  }
  throw new Error(`loop: bad argument type: ${goTypeName(v)}`)
}

/** Returns the integers from start (default 0) up to but not including
 * stop. The reference streams them through a channel; ranging gives the
 * same elements. */
export function loop(...args: unknown[]): number[] {
  if (args.length < 1 || args.length > 2) {
    throw new Error('loop: wrong number of arguments, expected 1 or 2, ' +
      `but got ${args.length}`)
  }
  const start = args.length === 2 ? toInt64(args[0]) : 0n
  const stop = toInt64(args[args.length - 1])
  const out: number[] = []
  for (let i = start; i < stop; i++) out.push(Number(i))
  return out
}

/** Returns the collection helpers, keyed by template name. */
export function collectionFuncs(): FuncMap {
  return {
    byKey: defineFunc(byKey, 1),
    byTag: defineFunc(byTag, 1),
    byPort: defineFunc(byPort, 1),
    byMeta: defineFunc(byMeta, 2),
    explode: defineFunc(explode, 1),
    explodeMap: defineFunc(explodeMap, 1),
    mergeMap: defineFunc((dst: unknown, src: unknown) =>
      mergeInto(asMap(dst), asMap(src), false), 2),
    mergeMapWithOverride: defineFunc((dst: unknown, src: unknown) =>
      mergeInto(asMap(dst), asMap(src), true), 2),
    in: defineFunc(inList, 2),
    contains: defineFunc((v: unknown, l: unknown) => inList(l, v), 2),
    containsAll: containsSome(true, true),
    containsAny: containsSome(false, false),
    containsNone: containsSome(true, false),
    containsNotAll: containsSome(false, true),
    loop: defineFunc(loop, 1, true),
  }
}
