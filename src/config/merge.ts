/**
 * Merging of configuration layers. One rule for every block, so it lives in
 * one place: a value that is `undefined` never overrides a set one, blocks
 * merge key by key, scalars and commands are replaced by the right-hand
 * layer, and the lists consul-template appends (templates, environment
 * lists, function denylists) are appended.
 */
import type { PartialConfig } from './types.ts'

/** Keys whose values replace, never merge, even though they are objects. */
const atomicKeys = new Set(['command', 'origin'])

/** Keys whose lists are concatenated across layers. */
const appendKeys = new Set([
  'templates', 'unsupported', 'custom', 'allowlist', 'denylist', 'functionDenylist',
])

type Obj = Record<string, unknown>

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Merges two plain values with the rules above; returns a new value. */
function mergeValue(key: string, a: unknown, b: unknown): unknown {
  if (b === undefined) return copy(a)
  if (a === undefined) return copy(b)
  if (appendKeys.has(key) && Array.isArray(a) && Array.isArray(b)) {
    return [...(copy(a) as unknown[]), ...(copy(b) as unknown[])]
  }
  if (!atomicKeys.has(key) && isPlainObject(a) && isPlainObject(b)) {
    const out: Obj = {}
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const v = mergeValue(k, a[k], b[k])
      if (v !== undefined) out[k] = v
    }
    return out
  }
  return copy(b)
}

/** Deep-copies plain data so merged layers never share mutable parts. */
function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy)
  if (isPlainObject(v)) {
    const out: Obj = {}
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = copy(x)
    return out
  }
  return v
}

/** Merges layer `b` over layer `a` (b wins); neither input is changed. */
export function mergeConfig(a: PartialConfig, b: PartialConfig): PartialConfig {
  return mergeValue('', a, b) as PartialConfig
}

/** An empty layer. */
export function emptyConfig(): PartialConfig {
  return { positions: {} }
}
