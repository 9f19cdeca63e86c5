/**
 * String helpers: trimming, case, splitting and joining. Most take the
 * piped value last, as the reference does, so `{{ .x | trim "/" }}` reads
 * naturally.
 */
import { stringMap } from '../template/value.ts'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asInt, asString, asStringSlice, typedSlice } from './args.ts'

/** Unicode White_Space as Go's unicode.IsSpace defines it. */
const spaceChars = '\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003' +
  '\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000'

/** Returns s without leading and trailing code points found in cutset. */
export function goTrim(s: string, cutset: string, left = true, right = true): string {
  const cut = new Set(Array.from(cutset))
  const chars = Array.from(s)
  let start = 0
  let end = chars.length
  if (left) while (start < end && cut.has(chars[start]!)) start++
  if (right) while (end > start && cut.has(chars[end - 1]!)) end--
  return chars.slice(start, end).join('')
}

/** Maps each code point alone, as Go's unicode.ToUpper/ToLower do: a
 * character whose mapping is not a single code point (ß → SS) stays. */
function mapRunes(s: string, fn: (c: string) => string): string {
  let out = ''
  for (const c of s) {
    const m = fn(c)
    out += Array.from(m).length === 1 ? m : c
  }
  return out
}

/** Returns the simple (one-character) upper or title case of a Greek
 * letter with iota subscript, which JS only maps to two letters. */
function iotaSubscriptUpper(c: string): string | undefined {
  const cp = c.codePointAt(0)!
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) ||
    (cp >= 0x1fa0 && cp <= 0x1fa7)) return String.fromCodePoint(cp + 8)
  if ((cp >= 0x1f88 && cp <= 0x1f8f) || (cp >= 0x1f98 && cp <= 0x1f9f) ||
    (cp >= 0x1fa8 && cp <= 0x1faf)) return c
  const single: Record<number, number> = {
    0x1fb3: 0x1fbc, 0x1fc3: 0x1fcc, 0x1ff3: 0x1ffc, 0x1fbc: 0x1fbc, 0x1fcc: 0x1fcc,
    0x1ffc: 0x1ffc,
  }
  const to = single[cp]
  return to === undefined ? undefined : String.fromCodePoint(to)
}

/** Returns s upper-cased character by character, as strings.ToUpper. */
export function goToUpper(s: string): string {
  return mapRunes(s, (c) => iotaSubscriptUpper(c) ?? c.toUpperCase())
}

/** Returns s lower-cased character by character, as strings.ToLower. */
export function goToLower(s: string): string {
  // Only İ lower-cases to two code points in JS (i + combining dot); Go's
  // single-rune mapping gives a plain i.
  return mapRunes(s, (c) => (c === '\u0130' ? 'i' : c.toLowerCase()))
}

// Letters with case (plus circled letters and the like): the first one in
// a word is the one title-cased.
const cased = /[\p{Lowercase}\p{Uppercase}\p{Lt}]/u
// Word characters in Unicode word segmentation: alphabetic (which takes in
// circled letters), digits, marks, and format characters such as the soft
// hyphen, which never split a word; the zero-width space does.
const wordChar = /(?!\u200b)[\p{Alphabetic}\p{N}\p{M}\p{Cf}_]/u
// Characters that join two letters or digits into one word in Unicode word
// segmentation (it's, a.b, a:b).
const midWord = /['.:\u2019\u00b7]/u

// Title-case forms that differ from upper case: the Latin digraphs.
const digraphTitle: Record<string, string> = {
  '\u01c4': '\u01c5', '\u01c5': '\u01c5', '\u01c6': '\u01c5',
  '\u01c7': '\u01c8', '\u01c8': '\u01c8', '\u01c9': '\u01c8',
  '\u01ca': '\u01cb', '\u01cb': '\u01cb', '\u01cc': '\u01cb',
  '\u01f1': '\u01f2', '\u01f2': '\u01f2', '\u01f3': '\u01f2',
}

/** Returns the title-case form of one character, using the full mapping
 * (ß → Ss, ﬁ → Fi) as x/text's cases package does. */
function titleChar(c: string): string {
  const d = digraphTitle[c] ?? iotaSubscriptUpper(c)
  if (d !== undefined) return d
  const up = Array.from(c.toUpperCase())
  if (up.length === 1) return up[0]!
  // Ligatures title-case as capital plus small letters (ß → Ss, ﬁ → Fi);
  // a mapping led by an uncased mark (ŉ → ʼN) stays as upper case gives.
  if (!cased.test(up[0]!)) return up.join('')
  return up[0]! + up.slice(1).join('').toLowerCase()
}

/** Returns s with the first letter of each word title-cased and the rest
 * untouched, like x/text's cases.Title with NoLower. */
export function goToTitle(s: string): string {
  const chars = Array.from(s)
  let out = ''
  let inWord = false
  let titled = false
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (wordChar.test(c)) {
      if (!inWord) titled = false
      inWord = true
      if (!titled && cased.test(c)) {
        out += titleChar(c)
        titled = true
      } else {
        out += c
      }
      continue
    }
    const next = chars[i + 1]
    if (inWord && midWord.test(c) && next !== undefined && wordChar.test(next)) {
      out += c
      continue
    }
    inWord = false
    out += c
  }
  return out
}

/** Splits like Go's strings.Split (an empty separator splits characters). */
export function goSplit(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s)
  return s.split(sep)
}

/** Returns s with spaces prefixed to every non-empty line, as `indent`. */
export function indent(spaces: unknown, s: unknown): string {
  const n = asInt(spaces, 0)
  const text = asString(s, 1)
  if (n < 0) throw new Error('indent value must be a positive integer')
  const prefix = ' '.repeat(n)
  let out = ''
  let atLineStart = true
  for (const c of text) {
    if (atLineStart && c !== '\n') out += prefix
    out += c
    atLineStart = c === '\n'
  }
  return out
}

/** Returns the string helpers, keyed by template name. */
export function stringFuncs(): FuncMap {
  return {
    trimSpace: defineFunc((s: unknown) =>
      goTrim(asString(s), spaceChars), 1),
    trim: defineFunc((cutset: unknown, s: unknown) =>
      goTrim(asString(s), asString(cutset)), 2),
    trimPrefix: defineFunc((prefix: unknown, s: unknown) => {
      const p = asString(prefix)
      const str = asString(s)
      return str.startsWith(p) ? str.slice(p.length) : str
    }, 2),
    trimSuffix: defineFunc((suffix: unknown, s: unknown) => {
      const p = asString(suffix)
      const str = asString(s)
      return p !== '' && str.endsWith(p) ? str.slice(0, str.length - p.length) : str
    }, 2),
    toLower: defineFunc((s: unknown) => goToLower(asString(s)), 1),
    toUpper: defineFunc((s: unknown) => goToUpper(asString(s)), 1),
    toTitle: defineFunc((s: unknown) => goToTitle(asString(s)), 1),
    replaceAll: defineFunc((from: unknown, to: unknown, s: unknown) =>
      replaceAllLiteral(asString(s), asString(from), asString(to)), 3),
    split: defineFunc((sep: unknown, s: unknown) => {
      const str = goTrim(asString(s), spaceChars)
      return typedSlice(str === '' ? [] : goSplit(str, asString(sep)), '[]string')
    }, 2),
    splitToMap: defineFunc((sep1: unknown, sep2: unknown, s: unknown) => {
      const str = goTrim(asString(s), spaceChars)
      const out = stringMap()
      if (str === '') return out
      const kvSep = asString(sep2)
      for (const item of goSplit(str, asString(sep1))) {
        const at = item.indexOf(kvSep)
        if (at < 0) continue
        out[item.slice(0, at)] = item.slice(at + kvSep.length)
      }
      return out
    }, 3),
    join: defineFunc((sep: unknown, a: unknown) =>
      asStringSlice(a, 1).join(asString(sep, 0)), 2),
    indent: defineFunc(indent, 2),
  }
}

/** Replaces every occurrence like Go's strings.ReplaceAll (an empty `from`
 * inserts `to` around every character). */
export function replaceAllLiteral(s: string, from: string, to: string): string {
  if (from === '') return to + Array.from(s).join(to) + (s === '' ? '' : to)
  return s.split(from).join(to)
}
