/**
 * Go's string quoting and unquoting (strconv.Quote, QuoteRune, Unquote) and
 * the `%#U` form, shared by the lexer, the parser and fmt.
 */

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

/** Reports whether Go's unicode.IsPrint holds for code point r. */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f
  return printable.test(String.fromCodePoint(r))
}

const hex = '0123456789abcdef'

/** Appends the Go escape of code point r inside quote q. */
function escapeRune(r: number, q: number, asciiOnly: boolean): string {
  if (r === q || r === 0x5c) return '\\' + String.fromCharCode(r)
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return String.fromCodePoint(r)
  switch (r) {
    case 7: return '\\a'
    case 8: return '\\b'
    case 12: return '\\f'
    case 10: return '\\n'
    case 13: return '\\r'
    case 9: return '\\t'
    case 11: return '\\v'
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + hex[r >> 4] + hex[r & 15]
  if (r < 0x10000) return '\\u' + r.toString(16).padStart(4, '0')
  return '\\U' + r.toString(16).padStart(8, '0')
}

/** Returns s as a Go double-quoted string literal (strconv.Quote). */
export function quoteGo(s: string, asciiOnly = false): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    let r = s.codePointAt(i)!
    if (r > 0xffff) i++
    else if (r >= 0xd800 && r <= 0xdfff) r = 0xfffd // a lone surrogate
    out += escapeRune(r, 0x22, asciiOnly)
  }
  return out + '"'
}

/** Returns r as a Go single-quoted character literal (strconv.QuoteRune). */
export function quoteRune(r: number, asciiOnly = false): string {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) || r < 0) r = 0xfffd
  return "'" + escapeRune(r, 0x27, asciiOnly) + "'"
}

/** Returns r in Go's `%#U` form, e.g. U+0023 '#'. */
export function quoteRuneU(r: number): string {
  const u = 'U+' + r.toString(16).toUpperCase().padStart(4, '0')
  return isPrint(r) ? `${u} '${String.fromCodePoint(r)}'` : u
}

/** The error strconv reports for a malformed literal. */
export class QuoteSyntaxError extends Error {}

const invalid = (): never => {
  throw new QuoteSyntaxError('invalid syntax')
}

/** Decodes one escape or character at s[i]; returns the bytes and next i. */
function unquoteChar(s: string, i: number, quote: string, bytes: number[]): number {
  const c = s[i]!
  if (c === quote && (quote === "'" || quote === '"')) invalid()
  if (c !== '\\') {
    const r = s.codePointAt(i)!
    pushRune(bytes, r)
    return i + (r > 0xffff ? 2 : 1)
  }
  const e = s[i + 1]
  if (e === undefined) invalid()
  i += 2
  switch (e) {
    case 'a': bytes.push(7); return i
    case 'b': bytes.push(8); return i
    case 'f': bytes.push(12); return i
    case 'n': bytes.push(10); return i
    case 'r': bytes.push(13); return i
    case 't': bytes.push(9); return i
    case 'v': bytes.push(11); return i
    case '\\': bytes.push(0x5c); return i
    case "'": case '"':
      if (e !== quote) invalid()
      bytes.push(e.charCodeAt(0))
      return i
    case 'x': case 'u': case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const digits = s.slice(i, i + n)
      if (digits.length < n || !/^[0-9a-fA-F]+$/.test(digits)) invalid()
      const v = parseInt(digits, 16)
      if (e === 'x') {
        if (quote === "'") pushRune(bytes, v)
        else bytes.push(v)
      } else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) invalid()
        pushRune(bytes, v)
      }
      return i + n
    }
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      const digits = s.slice(i - 1, i + 2)
      if (!/^[0-7]{3}$/.test(digits)) invalid()
      const v = parseInt(digits, 8)
      if (v > 255) invalid()
      if (quote === "'") pushRune(bytes, v)
      else bytes.push(v)
      return i + 2
    }
  }
  return invalid()
}

function pushRune(bytes: number[], r: number): void {
  for (const b of Buffer.from(String.fromCodePoint(r), 'utf8')) bytes.push(b)
}

/** Decodes a Go string literal, quoted or raw (strconv.Unquote). */
export function unquote(lit: string): string {
  if (lit.length < 2) invalid()
  const q = lit[0]
  if (q !== lit[lit.length - 1]) invalid()
  const body = lit.slice(1, -1)
  if (q === '`') {
    if (body.includes('`')) invalid()
    return body.includes('\r') ? body.replaceAll('\r', '') : body
  }
  if (q !== '"') invalid()
  if (!body.includes('\\') && !body.includes('"')) {
    if (body.includes('\n')) invalid()
    return body
  }
  const bytes: number[] = []
  for (let i = 0; i < body.length;) {
    if (body[i] === '\n') invalid()
    i = unquoteChar(body, i, '"', bytes)
  }
  return Buffer.from(bytes).toString('utf8')
}

/** Decodes a Go character literal such as 'a' or '\n' to its code point. */
export function unquoteCharLiteral(lit: string): number {
  const bytes: number[] = []
  if (lit.length < 3 || lit[0] !== "'") invalid()
  const next = unquoteChar(lit, 1, "'", bytes)
  if (lit.slice(next) !== "'") {
    throw new QuoteSyntaxError('malformed character constant: ' + lit)
  }
  return Buffer.from(bytes).toString('utf8').codePointAt(0)!
}
