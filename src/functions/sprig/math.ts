/**
 * Sprig's math functions. Integer ones convert every argument with
 * cast.ToInt64 and compute in int64 (wrapping as Go does); the float ones
 * go through shopspring/decimal, so `addf 0.1 0.2` is 0.3, not 0.30000000000000004.
 */
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { float } from '../../template/value.ts'
import {
  argInt, argString, numeric, parseGoInt, strval, toFloat64, toInt64, wrongType,
} from './convert.ts'
import { formatFloat } from './fmt.ts'

// A cast.ToInt64 that keeps a bigint's full 64 bits.
function big(v: unknown): bigint {
  if (typeof v === 'bigint') return BigInt.asIntN(64, v)
  if (typeof v === 'string') {
    const m = /^(.*)\.0+$/.exec(v)
    const n = parseGoInt(m ? m[1]! : v)
    return n === undefined ? 0n : BigInt(n)
  }
  return BigInt(toInt64(v))
}

/** Returns an int64 result: a bigint, which is how ctmpl tells Go's int64
 * (what Sprig's integer math returns) from a plain int. Wraps on overflow. */
export function int64(n: bigint): bigint {
  return BigInt.asIntN(64, n)
}

/** Returns a Go int result, wrapping on overflow. */
export function goInt(n: bigint): number | bigint {
  const w = BigInt.asIntN(64, n)
  const x = Number(w)
  return Number.isSafeInteger(x) ? x : w
}

function div(a: unknown, b: unknown, op: 'div' | 'mod'): bigint {
  const y = big(b)
  if (y === 0n) throw new Error('runtime error: integer divide by zero')
  return int64(op === 'div' ? big(a) / y : big(a) % y)
}

/** A decimal number: coef × 10^exp, exact. */
interface Decimal { coef: bigint, exp: number }

function fromFloat(f: number): Decimal {
  if (!Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${formatFloat(f)}`)
  const [mant, e] = f.toExponential().split('e') as [string, string]
  const frac = mant.split('.')[1] ?? ''
  return { coef: BigInt(mant.replace('.', '')), exp: Number(e) - frac.length }
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp)
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp]
}

function addD(a: Decimal, b: Decimal, sign = 1n): Decimal {
  const [x, y, exp] = align(a, b)
  return { coef: x + sign * y, exp }
}

// decimal.Div: the quotient rounded half away from zero to 16 places.
function divD(a: Decimal, b: Decimal): Decimal {
  if (b.coef === 0n) throw new Error('decimal division by 0')
  const places = 16
  // a/b = (a.coef / b.coef) × 10^(a.exp - b.exp); scale so the integer
  // quotient carries one more digit than the precision, then round.
  const shift = places + 1 + a.exp - b.exp
  let num = a.coef
  let den = b.coef
  if (shift >= 0) num *= 10n ** BigInt(shift)
  else den *= 10n ** BigInt(-shift)
  const neg = (num < 0n) !== (den < 0n)
  const abs = (x: bigint) => (x < 0n ? -x : x)
  const q = abs(num) / abs(den)
  let r = q / 10n + (q % 10n >= 5n ? 1n : 0n)
  if (neg) r = -r
  return { coef: r, exp: -places }
}

function toNumber(d: Decimal): number {
  return Number(`${d.coef}e${d.exp}`)
}

function floats(xs: unknown[]): Decimal[] {
  return xs.map((x) => fromFloat(toFloat64(x)))
}

function round(a: unknown, p: unknown, ...opt: unknown[]): number {
  opt.forEach((o, k) => {
    if (numeric(o) === undefined) wrongType('float64', o, 2 + k)
  })
  const roundOn = opt.length > 0 ? toFloat64(opt[0]) : 0.5
  const pow = 10 ** argInt(p)
  const digit = pow * toFloat64(a)
  const frac = digit - Math.trunc(digit)
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow
}

// strconv.Atoi: base 10 only; out of range saturates (Sprig drops the error).
function atoi(s: string): number | bigint {
  if (!/^[+-]?\d+$/.test(s)) return 0
  const n = BigInt(s)
  const max = 2n ** 63n - 1n
  return goInt(n > max ? max : n < -max - 1n ? -max - 1n : n)
}

function toDecimal(v: unknown): bigint {
  const s = strval(v)
  if (!/^[+-]?[0-7]+$/.test(s)) return 0n
  const mag = BigInt('0o' + s.replace(/^[+-]/, ''))
  const n = s.startsWith('-') ? -mag : mag
  if (n >= 2n ** 63n || n < -(2n ** 63n)) return 0n
  return n
}

/** Returns Sprig's math functions, keyed by their Sprig names. */
export function mathFuncs(): FuncMap {
  const sum = (xs: unknown[]) => int64(xs.reduce<bigint>((t, x) => t + big(x), 0n))
  const prod = (xs: unknown[]) =>
    int64(xs.reduce<bigint>((t, x) => BigInt.asIntN(64, t * big(x)), 1n))
  const pickInt = (pick: (a: bigint, b: bigint) => boolean) =>
    (a: unknown, ...xs: unknown[]) =>
      int64(xs.map(big).reduce((m, x) => (pick(x, m) ? x : m), big(a)))
  const fl = (f: (xs: Decimal[]) => Decimal) => (...xs: unknown[]) => float(toNumber(f(floats(xs))))
  const pickFloat = (pick: (...n: number[]) => number) =>
    (a: unknown, ...xs: unknown[]) => float(pick(toFloat64(a), ...xs.map(toFloat64)))
  return {
    add1: defineFunc((a) => int64(big(a) + 1n), 1),
    add: defineFunc((...xs: unknown[]) => sum(xs), 1, true),
    sub: defineFunc((a, b) => int64(big(a) - big(b)), 2),
    div: defineFunc((a, b) => div(a, b, 'div'), 2),
    mod: defineFunc((a, b) => div(a, b, 'mod'), 2),
    mul: defineFunc((a: unknown, ...xs: unknown[]) => prod([a, ...xs]), 2, true),
    max: defineFunc(pickInt((x, m) => x > m), 2, true),
    biggest: defineFunc(pickInt((x, m) => x > m), 2, true),
    min: defineFunc(pickInt((x, m) => x < m), 2, true),
    add1f: defineFunc(fl(([a]) => addD(a!, { coef: 1n, exp: 0 })), 1),
    addf: defineFunc(fl((ds) => ds.reduce((t, x) => addD(t, x), { coef: 0n, exp: 0 })),
      1, true),
    subf: defineFunc(fl(([a, ...ds]) => ds.reduce((t, x) => addD(t, x, -1n), a!)), 2, true),
    mulf: defineFunc(fl(([a, ...ds]) => ds.reduce((t, x) =>
      ({ coef: t.coef * x.coef, exp: t.exp + x.exp }), a!)), 2, true),
    divf: defineFunc(fl(([a, ...ds]) => ds.reduce((t, x) => divD(t, x), a!)), 2, true),
    maxf: defineFunc(pickFloat(Math.max), 2, true),
    minf: defineFunc(pickFloat(Math.min), 2, true),
    floor: defineFunc((a) => float(Math.floor(toFloat64(a))), 1),
    ceil: defineFunc((a) => float(Math.ceil(toFloat64(a))), 1),
    round: defineFunc((a, p, ...o: unknown[]) => float(round(a, p, ...o)), 3, true),
    randInt: defineFunc((lo, hi) => {
      const min = argInt(lo)
      const n = argInt(hi) - min
      if (n <= 0) throw new Error('invalid argument to Intn')
      return min + Math.floor(Math.random() * n)
    }, 2),
    int: defineFunc((v) => goInt(big(v)), 1),
    int64: defineFunc((v) => int64(big(v)), 1),
    float64: defineFunc((v) => float(toFloat64(v)), 1),
    atoi: defineFunc((s) => atoi(argString(s)), 1),
    toDecimal: defineFunc((v) => toDecimal(v), 1),
  }
}
