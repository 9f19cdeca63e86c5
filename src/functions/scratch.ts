/**
 * `scratch`: a per-render key/value store templates use to carry state
 * across loops and nested templates. One Scratch lives for one render.
 */
import { GoStruct, isGoMap } from '../template/value.ts'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asString } from './args.ts'

/** The value `{{ scratch }}` returns; its methods are what templates call. */
export class Scratch extends GoStruct {
  static override goType = 'template.Scratch'
  static override goPointer = true

  // Kept off the instance's own enumerable fields: Go's Scratch has only
  // unexported fields, which templates can neither see nor print.
  #values = new Map<string, unknown>()

  /** Reports whether k has been set. */
  Key(k: unknown): boolean {
    return this.#values.has(asString(k))
  }

  /** Returns the value stored at k; a missing or nil one is Go's nil
   * interface, which prints as <no value>. */
  Get(k: unknown): unknown {
    const v = this.#values.get(asString(k))
    return v === null ? undefined : v
  }

  /** Stores v at k, replacing any value; returns "" so it prints nothing. */
  Set(k: unknown, v: unknown): string {
    this.#values.set(asString(k), v)
    return ''
  }

  /** Stores v at k only when k is not set yet. */
  SetX(k: unknown, v: unknown): string {
    const key = asString(k)
    if (!this.#values.has(key)) this.#values.set(key, v)
    return ''
  }

  /** Stores v under mk in the map at k (made on first use). */
  MapSet(k: unknown, mk: unknown, v: unknown): string {
    return this.#mapSet(asString(k), asString(mk), v, true)
  }

  /** Stores v under mk in the map at k unless mk is already there. */
  MapSetX(k: unknown, mk: unknown, v: unknown): string {
    return this.#mapSet(asString(k), asString(mk), v, false)
  }

  /** Returns the values of the map at k sorted by key; none when k holds
   * no map (Go's nil slice, which prints and measures as empty). */
  MapValues(k: unknown): unknown[] {
    const m = this.#values.get(asString(k))
    if (!isGoMap(m)) return []
    return Object.keys(m).sort().map((key) => m[key])
  }

  #mapSet(k: string, mk: string, v: unknown, overwrite: boolean): string {
    if (!this.#values.has(k)) this.#values.set(k, {})
    const m = this.#values.get(k)
    if (!isGoMap(m)) throw new Error(`"${k}" is not a map`)
    if (overwrite || !(mk in m)) m[mk] = v
    return ''
  }
}

for (const [name, params] of [['Key', 1], ['Get', 1], ['Set', 2], ['SetX', 2],
  ['MapSet', 3], ['MapSetX', 3], ['MapValues', 1]] as const) {
  defineFunc(Scratch.prototype[name] as (...args: unknown[]) => unknown, params)
}

/** Returns the `scratch` function bound to one Scratch for this render. */
export function scratchFuncs(scratch: Scratch = new Scratch()): FuncMap {
  return { scratch: defineFunc(() => scratch, 0) }
}
