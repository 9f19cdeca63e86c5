/**
 * Go's float64 formatting (strconv.FormatFloat) for the verbs e, f and g:
 * shortest round-trip digits, or digits rounded half-to-even from the
 * exact binary value, as Go rounds them.
 */

/** Decimal digits without leading zeros and the decimal point position. */
interface Digits {
  d: string // digits; empty for zero
  dp: number // the value is 0.d × 10^dp
}

/** Returns the shortest digits that read back as x (x finite, ≥ 0). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 }
  const s = x.toExponential()
  const e = s.indexOf('e')
  const d = (s[0]! + s.slice(2, e)).replace(/0+$/, '')
  return { d, dp: Number(s.slice(e + 1)) + 1 }
}

const view = new DataView(new ArrayBuffer(8))

/** Returns the exact decimal expansion of x (x finite, ≥ 0). */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 }
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const bexp = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e2: number
  if (bexp === 0) e2 = -1074
  else {
    mant |= 1n << 52n
    e2 = bexp - 1075
  }
  let digits: string
  let dp: number
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString()
    dp = digits.length
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString()
    dp = digits.length + e2
  }
  const t = digits.replace(/0+$/, '')
  const lead = t.length - t.replace(/^0+/, '').length
  return { d: t.slice(lead), dp: dp - lead }
}

/** Rounds digits to nd digits, half to even on exact ties, as Go does. */
function roundDigits(a: Digits, nd: number): Digits {
  if (nd < 0) return { d: '', dp: 0 }
  if (nd >= a.d.length) return a
  const c = a.d.charCodeAt(nd)
  let up = c > 0x35
  if (c === 0x35) {
    up = nd + 1 < a.d.length || (nd > 0 && (a.d.charCodeAt(nd - 1) - 0x30) % 2 === 1)
  }
  if (!up) {
    const d = a.d.slice(0, nd).replace(/0+$/, '')
    return { d, dp: d.length === 0 ? 0 : a.dp }
  }
  let i = nd - 1
  while (i >= 0 && a.d[i] === '9') i--
  if (i < 0) return { d: '1', dp: a.dp + 1 }
  const d = a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1)
  return { d, dp: a.dp }
}

function fmtE(neg: boolean, a: Digits, prec: number, e: string): string {
  let s = neg ? '-' : ''
  s += a.d.length === 0 ? '0' : a.d[0]
  if (prec > 0) s += '.' + a.d.slice(1, 1 + prec).padEnd(prec, '0')
  const exp = a.d.length === 0 ? 0 : a.dp - 1
  const ae = Math.abs(exp)
  return s + e + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae))
}

function fmtF(neg: boolean, a: Digits, prec: number): string {
  let s = neg ? '-' : ''
  if (a.dp > 0) s += a.d.slice(0, a.dp).padEnd(a.dp, '0')
  else s += '0'
  if (prec > 0) {
    let frac = ''
    for (let i = 0; i < prec; i++) {
      const j = a.dp + i
      frac += j < 0 || j >= a.d.length ? '0' : a.d[j]
    }
    s += '.' + frac
  }
  return s
}

/** Returns the mantissa (implicit bit included) and unbiased exponent. */
function floatBits(x: number): { mant: bigint; exp: number } {
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4))
  let exp = (hi >>> 20) & 0x7ff
  if (exp === 0) exp++
  else mant |= 1n << 52n
  return { mant, exp: exp - 1023 }
}

/** Formats %b: decimal mantissa and binary exponent, e.g. 4503599627370496p-52. */
function fmtB(neg: boolean, x: number): string {
  const { mant, exp } = floatBits(x)
  const e = exp - 52
  return (neg ? '-' : '') + mant.toString() + 'p' + (e >= 0 ? '+' : '') + e
}

/** Formats %x / %X: -0x1.yyyp±dd, rounding to prec hex digits if prec ≥ 0. */
function fmtX(neg: boolean, x: number, prec: number, verb: string): string {
  let { mant, exp } = floatBits(x)
  if (mant === 0n) exp = 0
  const one = 1n << 60n
  mant <<= 8n // leading 1 (if any) at bit 60
  while (mant !== 0n && (mant & one) === 0n) {
    mant <<= 1n
    exp--
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4)
    const extra = (mant << shift) & (one - 1n)
    mant >>= 60n - shift
    if ((extra | (mant & 1n)) > 1n << 59n) mant++
    mant <<= 60n - shift
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n
      exp++
    }
  }
  const hex = verb === 'X' ? '0123456789ABCDEF' : '0123456789abcdef'
  let s = (neg ? '-' : '') + '0' + verb + String((mant >> 60n) & 1n)
  mant = (mant << 4n) & ((1n << 64n) - 1n)
  const digit = (): string => {
    const d = hex[Number((mant >> 60n) & 15n)]!
    mant = (mant << 4n) & ((1n << 64n) - 1n)
    return d
  }
  if (prec < 0 && mant !== 0n) {
    s += '.'
    while (mant !== 0n) s += digit()
  } else if (prec > 0) {
    s += '.'
    for (let i = 0; i < prec; i++) s += digit()
  }
  const ae = Math.abs(exp)
  return s + (verb === 'X' ? 'P' : 'p') + (exp < 0 ? '-' : '+') + String(ae).padStart(2, '0')
}

/** Formats x as strconv.FormatFloat(x, verb, prec, 64); verb is one of
 * b e E f g G x X. */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return '+Inf'
  if (x === -Infinity) return '-Inf'
  const neg = x < 0 || Object.is(x, -0)
  const ax = Math.abs(x)
  if (verb === 'b') return fmtB(neg, ax)
  if (verb === 'x' || verb === 'X') return fmtX(neg, ax, prec, verb)
  const shortest = prec < 0
  let digs: Digits
  if (shortest) {
    digs = shortestDigits(ax)
  } else if (verb === 'f') {
    const ex = exactDigits(ax)
    digs = roundDigits(ex, ex.dp + prec)
  } else {
    const nd = verb === 'e' || verb === 'E' ? prec + 1 : prec === 0 ? 1 : prec
    if (verb === 'g' || verb === 'G') prec = prec === 0 ? 1 : prec
    digs = roundDigits(exactDigits(ax), nd)
  }
  switch (verb) {
    case 'e': case 'E':
      return fmtE(neg, digs, shortest ? Math.max(digs.d.length - 1, 0) : prec, verb)
    case 'f':
      return fmtF(neg, digs, shortest ? Math.max(digs.d.length - digs.dp, 0) : prec)
  }
  // g, G
  if (shortest) prec = digs.d.length
  let eprec = prec
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length
  // Shortest output uses %e from an exponent of 6 (or -5) on, like %v.
  if (shortest) eprec = 6
  const exp = digs.dp - 1
  if (exp < -4 || exp >= eprec) {
    if (prec > digs.d.length) prec = digs.d.length
    return fmtE(neg, digs, prec - 1, verb === 'g' ? 'e' : 'E')
  }
  if (prec > digs.dp) prec = digs.d.length
  return fmtF(neg, digs, Math.max(prec - digs.dp, 0))
}
