/**
 * Math helpers with Go's rules: int op int stays int64 (wrapping on
 * overflow, integer division truncating), anything with a float64 becomes
 * float64, and integer division by zero is the runtime error Go reports.
 * Each takes the piped value last: `{{ 10 | subtract 3 }}` is 7.
 */
import { GoFloat, float, goTypeName, isGoMap } from '../template/value.ts'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { formatFloatG } from './gofloat.ts'
import { goQuote } from './strconv.ts'
import { goTypeOf } from './args.ts'

type Num = { kind: 'int'; v: bigint } | { kind: 'float'; v: number }

/** Returns v formatted as Go's %q prints the value in a math error. */
export function quoteForError(v: unknown): string {
  if (v === null || v === undefined) return '<invalid reflect.Value>'
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'boolean') return `%!q(bool=${v})`
  if (v instanceof GoFloat) return `%!q(float64=${formatFloatG(v.value)})`
  if (Array.isArray(v)) return '[' + v.map(quoteForError).join(' ') + ']'
  if (isGoMap(v)) {
    const keys = Object.keys(v).sort()
    return 'map[' + keys.map((k) => `${goQuote(k)}:${quoteForError(v[k])}`).join(' ') + ']'
  }
  return `%!q(${goTypeName(v)})`
}

function toNum(name: string, v: unknown): Num {
  if (typeof v === 'number' && Number.isInteger(v)) return { kind: 'int', v: BigInt(v) }
  if (typeof v === 'bigint') return { kind: 'int', v }
  if (v instanceof GoFloat) return { kind: 'float', v: v.value }
  throw new Error(`${name}: unknown type for ${quoteForError(v)} (${goTypeOf(v)})`)
}

/** Returns an int64 result as a JS number when exact, else a bigint. */
function intResult(n: bigint): number | bigint {
  const w = BigInt.asIntN(64, n)
  return w >= BigInt(Number.MIN_SAFE_INTEGER) && w <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(w) : w
}

function divByZero(): Error {
  return new Error('runtime error: integer divide by zero')
}

type Op = {
  int: (a: bigint, b: bigint) => bigint
  float: ((a: number, b: number) => number) | null
}

const ops: Record<string, Op> = {
  add: { int: (a, b) => a + b, float: (a, b) => a + b },
  subtract: { int: (a, b) => a - b, float: (a, b) => a - b },
  multiply: { int: (a, b) => a * b, float: (a, b) => a * b },
  divide: {
    int: (a, b) => {
      if (b === 0n) throw divByZero()
      return a / b
    },
    float: (a, b) => a / b,
  },
  modulo: {
    int: (a, b) => {
      if (b === 0n) throw divByZero()
      return a % b
    },
    float: null,
  },
}

// The reference checks the piped (second) argument's type first, so its
// error names that one when both are wrong.
function arith(name: string, op: Op) {
  return defineFunc((b: unknown, a: unknown): unknown => {
    const an = toNum(name, a)
    if (op.float === null && an.kind === 'float') {
      throw new Error(`${name}: unknown type for ${quoteForError(a)} (float64)`)
    }
    const bn = toNum(name, b)
    if (op.float === null && bn.kind === 'float') {
      throw new Error(`${name}: unknown type for ${quoteForError(b)} (float64)`)
    }
    if (an.kind === 'int' && bn.kind === 'int') return intResult(op.int(an.v, bn.v))
    return float(op.float!(Number(an.v), Number(bn.v)))
  }, 2)
}

function pick(name: string, wantLess: boolean) {
  return defineFunc((b: unknown, a: unknown): unknown => {
    const an = toNum(name, a)
    const bn = toNum(name, b)
    const av = Number(an.v)
    const bv = Number(bn.v)
    const aWins = an.kind === 'int' && bn.kind === 'int'
      ? (wantLess ? an.v < bn.v : an.v > bn.v)
      : (wantLess ? av < bv : av > bv)
    const w = aWins ? an : bn
    return w.kind === 'int' ? intResult(w.v) : float(w.v)
  }, 2)
}

/** Returns the math helpers, keyed by template name. */
export function mathFuncs(): FuncMap {
  const out: FuncMap = {}
  for (const [name, op] of Object.entries(ops)) out[name] = arith(name, op)
  out['minimum'] = pick('minimum', true)
  out['maximum'] = pick('maximum', false)
  return out
}
