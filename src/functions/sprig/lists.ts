/**
 * Sprig's list functions. They accept a slice of any element type and
 * return []interface{}; the `must` forms report by error what the plain
 * forms report by panic, which a template sees as the same error.
 */
import { defineFunc, type FuncMap, type GoFunc } from '../../template/func.ts'
import { argInt, kindName, nilSlice, toInt64, typedSlice } from './convert.ts'
import { deepEqual, isEmpty } from './values.ts'

// Returns the slice or throws Sprig's "Cannot <verb> type" error, which
// names the value's reflect.Kind ("map"), not its type.
function need(v: unknown, message: string): unknown[] {
  // Sprig asks reflect.TypeOf(nil) for its Kind, which Go cannot do.
  if (v === null || v === undefined) throw new Error(nilDeref)
  if (!Array.isArray(v)) throw new Error(message.replace('%s', kindName(v)))
  return v
}

function first(v: unknown): unknown {
  const l = need(v, 'Cannot find first on type %s')
  return l.length === 0 ? null : l[0]
}

function last(v: unknown): unknown {
  const l = need(v, 'Cannot find last on type %s')
  return l.length === 0 ? null : l[l.length - 1]
}

function rest(v: unknown): unknown {
  const l = need(v, 'Cannot find rest on type %s')
  return l.length === 0 ? nilSlice([]) : l.slice(1)
}

function initial(v: unknown): unknown {
  const l = need(v, 'Cannot find initial on type %s')
  return l.length === 0 ? nilSlice([]) : l.slice(0, -1)
}

function append(v: unknown, x: unknown): unknown[] {
  return [...need(v, 'Cannot push on type %s'), x]
}

function prepend(v: unknown, x: unknown): unknown[] {
  return [x, ...need(v, 'Cannot prepend on type %s')]
}

function reverse(v: unknown): unknown[] {
  return [...need(v, 'Cannot find reverse on type %s')].reverse()
}

function compact(v: unknown): unknown[] {
  return need(v, 'Cannot compact on type %s').filter((x) => !isEmpty(x))
}

function uniq(v: unknown): unknown[] {
  const out: unknown[] = []
  for (const x of need(v, 'Cannot find uniq on type %s')) {
    if (!out.some((y) => deepEqual(x, y))) out.push(x)
  }
  return out
}

function without(v: unknown, ...omit: unknown[]): unknown[] {
  return need(v, 'Cannot find without on type %s')
    .filter((x) => !omit.some((o) => deepEqual(x, o)))
}

function has(needle: unknown, haystack: unknown): boolean {
  if (haystack === null || haystack === undefined) return false
  return need(haystack, 'Cannot find has on type %s').some((x) => deepEqual(x, needle))
}

const nilDeref = 'runtime error: invalid memory address or nil pointer dereference'

function slice(v: unknown, ...idx: unknown[]): unknown {
  if (v === null || v === undefined) throw new Error(nilDeref)
  if (!Array.isArray(v)) {
    throw new Error(`list should be type of slice or array but ${kindName(v)}`)
  }
  const start = idx.length > 0 ? toInt64(idx[0]) : 0
  const end = idx.length > 1 ? toInt64(idx[1]) : v.length
  if (start < 0 || end > v.length || start > end) {
    throw new Error('reflect.Value.Slice: slice index out of bounds')
  }
  // An empty list slices to a nil interface (it prints as <no value>).
  return v.length === 0 ? null : v.slice(start, end)
}

function chunk(size: number, v: unknown): unknown[][] {
  const l = need(v, 'Cannot chunk type %s')
  if (size <= 0) throw new Error('runtime error: makeslice: len out of range')
  const out: unknown[][] = []
  for (let k = 0; k < l.length; k += size) out.push(l.slice(k, k + size))
  return out
}

function concat(...lists: unknown[]): unknown[] {
  const out: unknown[] = []
  for (const l of lists) out.push(...need(l, 'Cannot concat type %s as list'))
  return out.length === 0 ? nilSlice(out) : out
}

/** Returns [start, stop) by step as Sprig's untilStep does ([]int). */
export function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = []
  if (step > 0 && start < stop) for (let k = start; k < stop; k += step) out.push(k)
  if (step < 0 && start > stop) for (let k = start; k > stop; k += step) out.push(k)
  return typedSlice(out, '[]int')
}

// Sprig's seq mirrors the shell's: "seq LAST", "seq FIRST LAST" and
// "seq FIRST STEP LAST", counting down when LAST is below FIRST.
function seq(...params: unknown[]): string {
  const n = params.map((p) => argInt(p))
  let start = 1
  let end: number
  let step: number
  if (n.length === 1) {
    end = n[0]!
    step = end >= start ? 1 : -1
  } else if (n.length === 2) {
    start = n[0]!
    end = n[1]!
    step = end >= start ? 1 : -1
  } else if (n.length === 3) {
    start = n[0]!
    step = n[1]!
    end = n[2]!
    if (step === 0 || (end < start && step > 0) || (end > start && step < 0)) return ''
  } else {
    return ''
  }
  return untilStep(start, end + (step > 0 ? 1 : -1), step).join(' ')
}

// The must forms share the plain form's body: Go's panic and Go's error
// both reach the template as the same message.
function both(name: string, fn: GoFunc, params: number, variadic = false): FuncMap {
  const cap = name[0]!.toUpperCase() + name.slice(1)
  return {
    [name]: defineFunc(fn, params, variadic),
    ['must' + cap]: defineFunc((...a: unknown[]) => fn(...a), params, variadic),
  }
}

/** Returns Sprig's list functions, keyed by their Sprig names. */
export function listFuncs(): FuncMap {
  return {
    list: defineFunc((...xs: unknown[]) => xs, 1, true),
    tuple: defineFunc((...xs: unknown[]) => xs, 1, true),
    ...both('first', first, 1),
    ...both('last', last, 1),
    ...both('rest', rest, 1),
    ...both('initial', initial, 1),
    ...both('append', append, 2),
    ...both('prepend', prepend, 2),
    ...both('reverse', reverse, 1),
    ...both('compact', compact, 1),
    ...both('uniq', uniq, 1),
    ...both('without', without, 2, true),
    ...both('has', has, 2),
    ...both('slice', slice, 2, true),
    ...both('chunk', (size: unknown, v: unknown) => chunk(argInt(size), v), 2),
    concat: defineFunc(concat, 1, true),
    until: defineFunc((n) => {
      const c = argInt(n)
      return untilStep(0, c, c < 0 ? -1 : 1)
    }, 1),
    untilStep: defineFunc((a, b, c) => untilStep(argInt(a), argInt(b), argInt(c)), 3),
    seq: defineFunc(seq, 1, true),
  }
}
