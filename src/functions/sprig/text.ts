/**
 * Go string primitives Sprig's string functions are made of: byte-indexed
 * slicing, per-rune case mapping, `unicode.IsSpace`, `strings.Trim`.
 */
import { unknownToGo } from './unicode.ts'

/** Reports whether a character is white space by Go's unicode.IsSpace. */
export function isSpace(ch: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/
    .test(ch)
}

// A rune newer than Go's tables is in no category at all for Go.
const known = (ch: string) => !unknownToGo(ch.codePointAt(0)!)

/** Reports whether a character is a letter (unicode.IsLetter). */
export function isLetter(ch: string): boolean {
  return /^\p{L}$/u.test(ch) && known(ch)
}

/** Reports whether a character is an upper-case letter (unicode.IsUpper). */
export function isUpper(ch: string): boolean {
  return /^\p{Lu}$/u.test(ch) && known(ch)
}

/** Reports whether a character is a lower-case letter (unicode.IsLower). */
export function isLower(ch: string): boolean {
  return /^\p{Ll}$/u.test(ch) && known(ch)
}

/** Reports whether a character is a digit (unicode.IsDigit). */
export function isDigit(ch: string): boolean {
  return /^\p{Nd}$/u.test(ch) && known(ch)
}

// Go maps case one rune to one rune; JS may expand ("ß" to "SS"), and Go
// then keeps the rune as it is.
function mapRune(ch: string, mapped: string): string {
  if ([...mapped].length !== 1 || unknownToGo(ch.codePointAt(0)!) ||
    unknownToGo(mapped.codePointAt(0)!)) return ch
  return mapped
}

// Greek vowels with ypogegrammeni: Unicode's simple upper-case mapping is
// the one-rune title form (U+1F80 to U+1F88), which Go uses and JS expands.
function greekIota(ch: string): string | undefined {
  const c = ch.codePointAt(0)!
  if ((c >= 0x1f80 && c <= 0x1f87) || (c >= 0x1f90 && c <= 0x1f97) ||
    (c >= 0x1fa0 && c <= 0x1fa7)) return String.fromCodePoint(c + 8)
  if (c === 0x1fb3 || c === 0x1fc3 || c === 0x1ff3) return String.fromCodePoint(c + 9)
  return undefined
}

/** Maps one rune to upper case as unicode.ToUpper does. */
export function runeUpper(ch: string): string {
  return greekIota(ch) ?? mapRune(ch, ch.toUpperCase())
}

/** Maps one rune to lower case as unicode.ToLower does. */
export function runeLower(ch: string): string {
  // U+0130's simple lower-case mapping is "i"; JS applies the full one.
  return ch === '\u0130' ? 'i' : mapRune(ch, ch.toLowerCase())
}

const titleForms: Record<string, string> = {
  'Ǆ': 'ǅ', 'ǅ': 'ǅ', 'ǆ': 'ǅ', 'Ǉ': 'ǈ', 'ǈ': 'ǈ', 'ǉ': 'ǈ',
  'Ǌ': 'ǋ', 'ǋ': 'ǋ', 'ǌ': 'ǋ', 'Ǳ': 'ǲ', 'ǲ': 'ǲ', 'ǳ': 'ǲ',
}

/** Maps one rune to title case as unicode.ToTitle does. */
export function runeTitle(ch: string): string {
  // Georgian Mkhedruli letters are their own title case (the capitals,
  // Mtavruli, are only their upper case).
  if (/[\u10d0-\u10fa\u10fd-\u10ff]/.test(ch)) return ch
  return titleForms[ch] ?? runeUpper(ch)
}

/** Maps a string to upper case as strings.ToUpper does. */
export function goUpper(s: string): string {
  let out = ''
  for (const ch of s) out += runeUpper(ch)
  return out
}

/** Maps a string to lower case as strings.ToLower does. */
export function goLower(s: string): string {
  let out = ''
  for (const ch of s) out += runeLower(ch)
  return out
}

/** Returns the UTF-8 length of a string, as Go's len counts it. */
export function byteLen(s: string): number {
  return Buffer.byteLength(s)
}

/** Slices a string by UTF-8 byte offsets, panicking as Go does. */
export function byteSlice(s: string, start: number, end?: number): string {
  const b = Buffer.from(s)
  const stop = end ?? b.length
  if (stop > b.length) {
    throw new Error(`runtime error: slice bounds out of range [:${stop}] ` +
      `with length ${b.length}`)
  }
  if (start < 0 || start > stop) {
    throw new Error(`runtime error: slice bounds out of range [${start}:${stop}]`)
  }
  return b.subarray(start, stop).toString()
}

/** Removes leading and trailing white space as strings.TrimSpace does. */
export function trimSpace(s: string): string {
  const chars = [...s]
  let i = 0
  let j = chars.length
  while (i < j && isSpace(chars[i]!)) i++
  while (j > i && isSpace(chars[j - 1]!)) j--
  return chars.slice(i, j).join('')
}

/** Removes leading and trailing runes in cutset as strings.Trim does. */
export function trimCutset(s: string, cutset: string): string {
  const cut = new Set(cutset)
  const chars = [...s]
  let i = 0
  let j = chars.length
  while (i < j && cut.has(chars[i]!)) i++
  while (j > i && cut.has(chars[j - 1]!)) j--
  return chars.slice(i, j).join('')
}

/** Compares strings by code point (UTF-8 byte order), as Go's < does. */
export function compareGo(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < x.length && i < y.length; i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!
    if (d !== 0) return d
  }
  return x.length - y.length
}

/** Splits as Go's strings.SplitN does (n < 0: all; n == 0: none). */
export function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return []
  if (sep === '') {
    const chars = [...s]
    if (n < 0 || n >= chars.length) return chars
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')]
  }
  const parts = s.split(sep)
  if (n < 0 || parts.length <= n) return parts
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)]
}
