/**
 * Go's strconv.FormatFloat for the shortest representation, in the 'g' and
 * 'f' forms the encoders need.
 */

/** Returns shortest decimal digits and the decimal point position of n
 * (n = 0.d1d2... × 10^point), for finite non-zero n. */
function shortestDigits(n: number): { digits: string; point: number } {
  const [mant, exp] = Math.abs(n).toExponential().split('e') as [string, string]
  return { digits: mant.replace('.', ''), point: Number(exp) + 1 }
}

/** Formats n as strconv.FormatFloat(n, 'g', -1, 64). */
export function formatFloatG(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf'
  if (n === 0) return Object.is(n, -0) ? '-0' : '0'
  const sign = n < 0 ? '-' : ''
  const { digits, point } = shortestDigits(n)
  // Shortest 'g' switches to exponent form outside [1e-4, 1e6).
  const exp = point - 1
  if (exp < -4 || exp >= 6) return sign + expForm(digits, exp)
  return sign + fixedForm(digits, point)
}

function expForm(digits: string, exp: number): string {
  const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits
  const e = Math.abs(exp)
  return mant + 'e' + (exp < 0 ? '-' : '+') + (e < 10 ? '0' + e : String(e))
}

function fixedForm(digits: string, point: number): string {
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length)
  return digits.slice(0, point) + '.' + digits.slice(point)
}

/** Formats n as strconv.FormatFloat(n, 'f', -1, 64). */
export function formatFloatF(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf'
  if (n === 0) return Object.is(n, -0) ? '-0' : '0'
  const { digits, point } = shortestDigits(n)
  return (n < 0 ? '-' : '') + fixedForm(digits, point)
}
