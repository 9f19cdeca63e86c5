/**
 * Go's fmt for templates: Sprint, Sprintln and Sprintf over Go values as
 * value.ts models them, with Go's verbs, flags, widths, precisions and its
 * error forms (`%!d(string=x)`, `%!d(MISSING)`, `%!(EXTRA …)`).
 */
import { GoComplex, GoFloat, GoStruct, goTypeName, isGoMap } from './value.ts'
import { formatFloat } from './float.ts'
import { isPrint, quoteGo, quoteRune } from './quote.ts'
import { mapKeyValue, sortedMapKeys, structFields, structMethod } from './reflect.ts'

/** The flags and sizes of one verb. */
interface Flags {
  plus: boolean
  minus: boolean
  sharp: boolean
  space: boolean
  zero: boolean
  plusV: boolean
  sharpV: boolean
  wid: number
  widPresent: boolean
  prec: number
  precPresent: boolean
}

const noFlags: Flags = {
  plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false,
  sharpV: false, wid: 0, widPresent: false, prec: 0, precPresent: false,
}

const MAX_NUM = 1e6

/** Returns the number of code points in s, as Go counts runes. */
function runeCount(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) n--, i++
  }
  return n
}

class Printer {
  buf = ''
  f: Flags = noFlags
  reordered = false
  goodArgNum = true
  derefTop = false // print a top-level struct pointer as its value
  readonly flags: Flags = { ...noFlags } // reused for each verb of sprintf

  /** Pads s to the width, with spaces or zeros, left or right. */
  pad(s: string): void {
    const f = this.f
    if (!f.widPresent || f.wid === 0) {
      this.buf += s
      return
    }
    const n = f.wid - runeCount(s)
    if (n <= 0) {
      this.buf += s
      return
    }
    if (f.minus) this.buf += s + ' '.repeat(n)
    else this.buf += (f.zero ? '0' : ' ').repeat(n) + s
  }

  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>')
      else this.badVerb(verb, arg)
      return
    }
    if (verb === 'T') {
      this.fmtString(goTypeName(arg), 's')
      return
    }
    this.printValue(arg, verb, 0)
  }

  printValue(v: unknown, verb: string, depth: number): void {
    if (v === null || v === undefined) {
      // A nil inside a composite value prints as <nil> whatever the verb.
      this.buf += '<nil>'
      return
    }
    switch (typeof v) {
      case 'string': return this.fmtString(v, verb)
      case 'boolean':
        if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false')
        else this.badVerb(verb, v)
        return
      case 'number':
        if (Number.isInteger(v)) return this.fmtInteger(v, verb, v)
        return this.fmtFloat(v, verb, v)
      case 'bigint': return this.fmtInteger(v, verb, v)
      case 'function':
        if (verb === 'v' || verb === 'p') this.pad('0x0')
        else this.badVerb(verb, v)
        return
    }
    if (v instanceof GoFloat) return this.fmtFloat(v.value, verb, v)
    if (v instanceof GoComplex) return this.fmtComplex(v, verb)
    if (v instanceof GoStruct) return this.fmtStruct(v, verb, depth)
    if (Array.isArray(v)) return this.fmtSlice(v, verb, depth)
    if (isGoMap(v)) return this.fmtMap(v, verb, depth)
    this.pad(String(v))
  }

  badVerb(verb: string, arg: unknown): void {
    this.buf += '%!' + verb + '('
    if (arg === null || arg === undefined) this.buf += '<nil>'
    else {
      this.buf += goTypeName(arg) + '='
      this.printValue(arg, 'v', 0)
    }
    this.buf += ')'
  }

  fmtString(s: string, verb: string): void {
    const f = this.f
    switch (verb) {
      case 'v':
        if (f.sharpV) return this.pad(quoteGo(this.truncate(s)))
        return this.padString(s)
      case 's': return this.padString(s)
      case 'x': case 'X': return this.fmtSbx(Buffer.from(s, 'utf8'), verb)
      case 'q':
        if (f.sharp && !s.includes('`') && canBackquote(s)) return this.pad('`' + s + '`')
        return this.pad(quoteGo(this.truncate(s), f.plus))
    }
    this.badVerb(verb, s)
  }

  truncate(s: string): string {
    if (!this.f.precPresent) return s
    const cps = Array.from(s)
    return cps.length > this.f.prec ? cps.slice(0, this.f.prec).join('') : s
  }

  padString(s: string): void {
    this.pad(this.truncate(s))
  }

  /** Hex-encodes bytes for %x / %X, with Go's space and # rules. */
  fmtSbx(b: Buffer, verb: string): void {
    const f = this.f
    const digits = verb === 'x' ? '0123456789abcdef' : '0123456789ABCDEF'
    let n = b.length
    if (f.precPresent && f.prec < n) n = f.prec
    let s = ''
    for (let i = 0; i < n; i++) {
      if (i > 0 && f.space) s += ' '
      if (f.sharp && (f.space || i === 0)) s += verb === 'x' ? '0x' : '0X'
      s += digits[b[i]! >> 4]! + digits[b[i]! & 15]!
    }
    this.pad(s)
  }

  fmtInteger(n: number | bigint, verb: string, orig: unknown): void {
    const f = this.f
    switch (verb) {
      case 'v':
        if (f.sharpV) return this.fmtInt(n, 10, 'v', '')
        return this.fmtInt(n, 10, 'v', '')
      case 'd': return this.fmtInt(n, 10, verb, '')
      case 'b': return this.fmtInt(n, 2, verb, '')
      case 'o': case 'O': return this.fmtInt(n, 8, verb, '')
      case 'x': return this.fmtInt(n, 16, verb, '0123456789abcdef')
      case 'X': return this.fmtInt(n, 16, verb, '0123456789ABCDEF')
      case 'c': return this.pad(runeString(BigInt(n)))
      case 'q': return this.pad(quoteRune(runeOf(BigInt(n)), f.plus))
      case 'U': return this.fmtUnicode(BigInt(n))
    }
    this.badVerb(verb, orig)
  }

  fmtInt(n: number | bigint, base: number, verb: string, digits: string): void {
    const f = this.f
    if (base === 10 && !f.widPresent && !f.precPresent && !f.plus && !f.space) {
      this.buf += String(n) // the common %d and %v
      return
    }
    const neg = n < 0
    let s = (neg ? -n : n).toString(base)
    if (digits === '0123456789ABCDEF') s = s.toUpperCase()
    let prec = -1
    if (f.precPresent) {
      prec = f.prec
      if (prec === 0 && n == 0) { // eslint-disable-line eqeqeq
        const saved = f.zero
        f.zero = false
        this.pad('')
        f.zero = saved
        return
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid
      if (neg || f.plus || f.space) prec-- // leave room for the sign
    }
    if (prec > s.length) s = '0'.repeat(prec - s.length) + s
    if (f.sharp) {
      if (base === 2) s = '0b' + s
      else if (base === 8 && s[0] !== '0') s = '0' + s
      else if (base === 16) s = (verb === 'X' ? '0X' : '0x') + s
    }
    if (verb === 'O') s = '0o' + s
    if (neg) s = '-' + s
    else if (f.plus) s = '+' + s
    else if (f.space) s = ' ' + s
    const saved = f.zero
    if (f.precPresent || f.minus) f.zero = false
    // Zero padding was done above through the precision.
    if (f.zero && f.widPresent) f.zero = false
    this.pad(s)
    f.zero = saved
  }

  fmtUnicode(n: bigint): void {
    const f = this.f
    let s = 'U+' + (n < 0n ? (n + (1n << 64n)) : n).toString(16).toUpperCase()
    const prec = f.precPresent && f.prec > 4 ? f.prec : 4
    if (s.length - 2 < prec) s = 'U+' + s.slice(2).padStart(prec, '0')
    const r = runeOf(n)
    if (f.sharp && n <= 0x10ffffn && n >= 0n && isPrint(r)) {
      s += " '" + String.fromCodePoint(r) + "'"
    }
    const saved = f.zero
    f.zero = false
    this.pad(s)
    f.zero = saved
  }

  fmtFloat(x: number, verb: string, orig: unknown): void {
    const f = this.f
    let prec: number
    let v = verb
    switch (verb) {
      case 'v': v = 'g'; prec = -1; break
      case 'g': case 'G': case 'b': case 'x': case 'X': prec = -1; break
      case 'e': case 'E': case 'f': prec = 6; break
      case 'F': v = 'f'; prec = 6; break
      default:
        return this.badVerb(verb, orig)
    }
    if (f.precPresent) prec = f.prec
    let num = formatFloat(x, v, prec)
    if (num[0] !== '-' && num[0] !== '+') num = '+' + num
    if (f.sharp && v !== 'b' && num[1] !== 'I' && num[1] !== 'N') {
      num = sharpFloat(num, verb, prec)
    }
    // num[0] is the sign: '+', '-', or ' ' for the space flag.
    if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1)
    if (num[1] === 'I' || num[1] === 'N') {
      const saved = f.zero
      f.zero = false
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1)
      this.pad(num)
      f.zero = saved
      return
    }
    if (f.plus || num[0] !== '+') {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.buf += num[0] + '0'.repeat(f.wid - num.length) + num.slice(1)
        return
      }
      this.pad(num)
      return
    }
    this.pad(num.slice(1))
  }

  fmtComplex(c: GoComplex, verb: string): void {
    if (!'vbgGxXfFeE'.includes(verb)) return this.badVerb(verb, c)
    const f = this.f
    const oldPlus = f.plus
    this.buf += '('
    this.fmtFloat(c.re, verb, c)
    // The imaginary part always has a sign.
    f.plus = true
    this.fmtFloat(c.im, verb, c)
    this.buf += 'i)'
    f.plus = oldPlus
  }

  fmtSlice(a: unknown[], verb: string, depth: number): void {
    if (this.f.sharpV) {
      this.buf += '[]interface {}{'
      a.forEach((e, i) => {
        if (i > 0) this.buf += ', '
        this.printValue(e, verb, depth + 1)
      })
      this.buf += '}'
      return
    }
    this.buf += '['
    for (let i = 0; i < a.length; i++) {
      if (i > 0) this.buf += ' '
      this.printValue(a[i], verb, depth + 1)
    }
    this.buf += ']'
  }

  fmtMap(m: Record<string, unknown>, verb: string, depth: number): void {
    const keys = sortedMapKeys(m)
    if (this.f.sharpV) {
      this.buf += goTypeName(m) + '{'
      keys.forEach((k, i) => {
        if (i > 0) this.buf += ', '
        this.printValue(mapKeyValue(m, k), verb, depth + 1)
        this.buf += ':'
        this.printValue(m[k], verb, depth + 1)
      })
      this.buf += '}'
      return
    }
    this.buf += 'map['
    keys.forEach((k, i) => {
      if (i > 0) this.buf += ' '
      this.printValue(mapKeyValue(m, k), verb, depth + 1)
      this.buf += ':'
      this.printValue(m[k], verb, depth + 1)
    })
    this.buf += ']'
  }

  fmtStruct(v: GoStruct, verb: string, depth: number): void {
    if (this.handleMethods(v, verb)) return
    const ctor = v.constructor as typeof GoStruct
    if (ctor.goPointer && !(depth === 0 && this.derefTop)) this.buf += '&'
    if (this.f.sharpV) this.buf += ctor.goType
    this.buf += '{'
    const fields = structFields(v)
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) this.buf += this.f.sharpV ? ', ' : ' '
      if (this.f.plusV || this.f.sharpV) this.buf += fields[i] + ':'
      this.printValue((v as unknown as Record<string, unknown>)[fields[i]!], verb, depth + 1)
    }
    this.buf += '}'
  }

  /** Uses an Error or String method for the verbs Go uses them for. */
  handleMethods(v: GoStruct, verb: string): boolean {
    if (this.f.sharpV) return false
    if (!'vsxXq'.includes(verb)) return false
    const m = structMethod(v, 'Error') ?? structMethod(v, 'String')
    if (m === undefined) return false
    const s = m.call(v)
    if (typeof s !== 'string') return false
    this.fmtString(s, verb)
    return true
  }
}

function runeOf(n: bigint): number {
  if (n < 0n || n > 0x10ffffn) return 0xfffd
  const r = Number(n)
  return r >= 0xd800 && r <= 0xdfff ? 0xfffd : r
}

function runeString(n: bigint): string {
  return String.fromCodePoint(runeOf(n))
}

function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!
    if (r === 0xfeff) return false
    if (r < 0x20 && r !== 9) return false
    if (r === 0x7f) return false
  }
  return true
}

/** Applies the # flag to a formatted float (num starts with its sign): keep
 * the decimal point and, for %g and %x, pad to the precision with zeros.
 * Go counts the "x" of a hex prefix as a significant digit; so do we. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
    digits = prec === -1 ? 6 : prec
  }
  let tail = ''
  let hasPoint = false
  let sawNonzero = false
  for (let i = 1; i < num.length; i++) {
    const c = num[i]!
    if (c === '.') {
      hasPoint = true
      continue
    }
    if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = num.slice(i)
      num = num.slice(0, i)
      break
    }
    if (c !== '0') sawNonzero = true
    if (sawNonzero) digits--
  }
  if (!hasPoint) {
    if (num.length === 2 && num[1] === '0') digits-- // a lone 0 counts once
    num += '.'
  }
  if (digits > 0) num += '0'.repeat(digits)
  return num + tail
}

function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  let num = 0
  let isnum = false
  let i = start
  for (; i < end && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39; i++) {
    if (num > MAX_NUM) return [0, false, end]
    num = num * 10 + s.charCodeAt(i) - 0x30
    isnum = true
  }
  return [num, isnum, i]
}

function intFromArg(a: unknown[], argNum: number): [number, boolean, number] {
  if (argNum >= a.length) return [0, false, argNum]
  const v = a[argNum]
  let num = 0
  let ok = false
  if (typeof v === 'number' && Number.isInteger(v)) num = v, ok = true
  else if (typeof v === 'bigint') num = Number(v), ok = true
  if (num > MAX_NUM || num < -MAX_NUM) num = 0, ok = false
  return [num, ok, argNum + 1]
}

const pool: Printer[] = []

/** Returns a clean printer; String methods may re-enter, so keep a pool. */
function getPrinter(): Printer {
  const p = pool.pop() ?? new Printer()
  p.buf = ''
  p.reordered = false
  p.goodArgNum = true
  p.derefTop = false
  return p
}

/** Returns a printer to the pool and gives its text. */
function release(p: Printer): string {
  const s = p.buf
  p.buf = ''
  if (pool.length < 16) pool.push(p)
  return s
}

/** Formats args per a Go format string (fmt.Sprintf). */
export function sprintf(format: string, a: unknown[]): string {
  const p = getPrinter()
  let argNum = 0
  const end = format.length
  for (let i = 0; i < end;) {
    p.goodArgNum = true
    const lasti = i
    while (i < end && format.charCodeAt(i) !== 0x25) i++
    if (i > lasti) p.buf += format.slice(lasti, i)
    if (i >= end) break
    i++
    const f = p.flags
    f.plus = f.minus = f.sharp = f.space = f.zero = f.plusV = f.sharpV = false
    f.widPresent = f.precPresent = false
    f.wid = f.prec = 0
    p.f = f
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#': f.sharp = true; break
        case '0': f.zero = !f.minus; break
        case '+': f.plus = true; break
        case '-': f.minus = true; f.zero = false; break
        case ' ': f.space = true; break
        default: break flags
      }
    }
    // Argument index, width, precision.
    let afterIndex: boolean
    ;[argNum, i, afterIndex] = argNumber(p, argNum, format, i, a.length)
    if (i < end && format[i] === '*') {
      i++
      ;[f.wid, f.widPresent, argNum] = intFromArg(a, argNum)
      if (!f.widPresent) p.buf += '%!(BADWIDTH)'
      if (f.wid < 0) {
        f.wid = -f.wid
        f.minus = true
        f.zero = false
      }
      afterIndex = false
    } else {
      ;[f.wid, f.widPresent, i] = parsenum(format, i, end)
      if (afterIndex && f.widPresent) p.goodArgNum = false
    }
    if (i + 1 < end && format[i] === '.') {
      i++
      if (afterIndex) p.goodArgNum = false
      ;[argNum, i, afterIndex] = argNumber(p, argNum, format, i, a.length)
      if (i < end && format[i] === '*') {
        i++
        ;[f.prec, f.precPresent, argNum] = intFromArg(a, argNum)
        if (f.prec < 0) f.prec = 0, f.precPresent = false
        if (!f.precPresent) p.buf += '%!(BADPREC)'
        afterIndex = false
      } else {
        ;[f.prec, f.precPresent, i] = parsenum(format, i, end)
        if (!f.precPresent) f.prec = 0, f.precPresent = true
      }
    }
    if (!afterIndex) [argNum, i, afterIndex] = argNumber(p, argNum, format, i, a.length)
    if (i >= end) {
      p.buf += '%!(NOVERB)'
      break
    }
    const cp = format.codePointAt(i)!
    const verb = String.fromCodePoint(cp)
    i += verb.length
    if (verb === '%') p.buf += '%'
    else if (!p.goodArgNum) p.buf += '%!' + verb + '(BADINDEX)'
    else if (argNum >= a.length) p.buf += '%!' + verb + '(MISSING)'
    else {
      if (verb === 'v') {
        f.sharpV = f.sharp
        f.sharp = false
        f.plusV = f.plus
        f.plus = false
      }
      p.printArg(a[argNum], verb)
      argNum++
    }
  }
  if (!p.reordered && argNum < a.length) {
    p.f = noFlags
    p.buf += '%!(EXTRA '
    for (let i = argNum; i < a.length; i++) {
      if (i > argNum) p.buf += ', '
      const arg = a[i]
      if (arg === null || arg === undefined) p.buf += '<nil>'
      else {
        p.buf += goTypeName(arg) + '='
        p.printArg(arg, 'v')
      }
    }
    p.buf += ')'
  }
  return release(p)
}

function argNumber(p: Printer, argNum: number, format: string, i: number,
  numArgs: number): [number, number, boolean] {
  if (format.length <= i || format[i] !== '[') return [argNum, i, false]
  p.reordered = true
  let index = 0
  let wid = 1
  let ok = false
  if (format.length - i >= 3) {
    for (let j = i + 1; j < format.length; j++) {
      if (format[j] === ']') {
        const [n, isnum, newi] = parsenum(format, i + 1, j)
        wid = j - i + 1
        ok = isnum && newi === j
        index = ok ? n - 1 : 0
        break
      }
    }
  }
  if (ok && index >= 0 && index < numArgs) return [index, i + wid, true]
  p.goodArgNum = false
  return [argNum, i + wid, ok]
}

/** Formats args as fmt.Sprint: spaces only between two non-strings. With
 * deref, top-level struct pointers print as {…}, as templates show them. */
export function sprint(a: unknown[], deref = false): string {
  const p = new Printer()
  p.derefTop = deref
  let prevString = false
  for (let i = 0; i < a.length; i++) {
    const isString = typeof a[i] === 'string'
    if (i > 0 && !isString && !prevString) p.buf += ' '
    p.f = noFlags
    p.printArg(a[i], 'v')
    prevString = isString
  }
  return p.buf
}

/** Formats args as fmt.Sprintln: spaces between all, newline at the end. */
export function sprintln(a: unknown[]): string {
  const p = new Printer()
  for (let i = 0; i < a.length; i++) {
    if (i > 0) p.buf += ' '
    p.f = noFlags
    p.printArg(a[i], 'v')
  }
  return p.buf + '\n'
}

/** Formats one value as `%v` does; deref prints a struct pointer as {…}. */
export function formatValue(v: unknown, deref = false): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isInteger(v)) return String(v)
  const p = new Printer()
  p.derefTop = deref
  p.printArg(v, 'v')
  return p.buf
}
