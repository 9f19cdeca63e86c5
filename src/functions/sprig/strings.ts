/**
 * Sprig's string functions. Argument order follows Sprig: the string being
 * worked on comes last, so it can be piped in.
 */
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { stringMap } from '../../template/value.ts'
import { formatValue, quote } from './fmt.ts'
import { stringSlice, strslice, strval, typed } from './convert.ts'
import {
  byteLen, byteSlice, compareGo, goLower, goSplitN, goUpper, isDigit, isLetter,
  isLower, isSpace, isUpper, runeLower, runeTitle, runeUpper, trimCutset,
  trimSpace,
} from './text.ts'
import { toCamel, toDelimited } from './casing.ts'

// goutils' AbbreviateFull: keep maxWidth bytes, marking cuts with "...".
function abbreviate(s: string, offset: number, maxWidth: number): string {
  if (s === '') return ''
  // goutils reports these as errors; Sprig then hands back the input.
  if (maxWidth < 4) return s
  const len = byteLen(s)
  if (len <= maxWidth) return s
  if (offset > 0 && maxWidth < 7) return s
  if (offset > len) offset = len
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3)
  if (offset <= 4) return byteSlice(s, 0, maxWidth - 3) + '...'
  if (offset + maxWidth - 3 < len) {
    return '...' + abbreviate(byteSlice(s, offset), 0, maxWidth - 3)
  }
  return '...' + byteSlice(s, len - (maxWidth - 3))
}

// goutils' WrapCustom: break at the last space that keeps a line within
// width; long words are split only when wrapLong is set.
function wrapText(s: string, width: number, nl: string, wrapLong: boolean): string {
  if (s === '') return ''
  if (nl === '') nl = '\n'
  if (width < 1) width = 1
  const b = Buffer.from(s)
  const len = b.length
  const part = (x: number, y?: number) => b.subarray(x, y).toString()
  let offset = 0
  let out = ''
  while (len - offset > width) {
    if (b[offset] === 0x20) {
      offset++
      continue
    }
    const window = b.subarray(offset, Math.min(width + offset + 1, len))
    const space = window.lastIndexOf(0x20) + offset
    if (space >= offset) {
      out += part(offset, space) + nl
      offset = space + 1
    } else if (wrapLong) {
      out += part(offset, width + offset) + nl
      offset += width
    } else {
      const next = b.indexOf(0x20, width + offset)
      if (next >= 0) {
        out += part(offset, next) + nl
        offset = next + 1
      } else {
        out += part(offset)
        offset = len
      }
    }
  }
  return out + part(offset)
}

function substr(start: number, end: number, s: string): string {
  if (start < 0) return byteSlice(s, 0, end)
  if (end < 0 || end > byteLen(s)) return byteSlice(s, start)
  return byteSlice(s, start, end)
}

function trunc(c: number, s: string): string {
  const len = byteLen(s)
  if (c < 0 && len + c > 0) return byteSlice(s, len + c)
  if (c >= 0 && len > c) return byteSlice(s, 0, c)
  return s
}

function title(s: string): string {
  let prev = ' '
  let out = ''
  for (const ch of s) {
    out += isSeparator(prev) ? runeTitle(ch) : ch
    prev = ch
  }
  return out
}

// strings.Title's word boundary: ASCII punctuation and any white space.
function isSeparator(ch: string): boolean {
  if (ch.codePointAt(0)! <= 0x7f) return !/[0-9A-Za-z_]/.test(ch)
  if (isLetter(ch) || isDigit(ch)) return false
  return isSpace(ch)
}

function untitle(s: string): string {
  let inWord = false
  let out = ''
  for (const ch of s) {
    if (isSpace(ch)) {
      inWord = false
      out += ch
    } else {
      out += inWord ? ch : runeLower(ch)
      inWord = true
    }
  }
  return out
}

// goutils' SwapCase: a lower-case letter right after white space (or at
// the start) becomes title case, as in commons-lang.
function swapcase(s: string): string {
  let out = ''
  let afterSpace = true
  for (const ch of s) {
    if (isUpper(ch) || /^\p{Lt}$/u.test(ch)) {
      out += runeLower(ch)
      afterSpace = false
    } else if (isLower(ch)) {
      out += afterSpace ? runeTitle(ch) : runeUpper(ch)
      afterSpace = false
    } else {
      out += ch
      afterSpace = isSpace(ch)
    }
  }
  return out
}

// goutils works on bytes here, reading each byte as a rune: non-ASCII text
// comes out as Latin-1 mojibake, exactly as the reference prints it.
function latin1Bytes(s: string): string[] {
  return Array.from(Buffer.from(s), (b) => String.fromCharCode(b))
}

// goutils' DeleteWhiteSpace: unchanged when no byte reads as a space.
function deleteSpace(s: string): string {
  const bytes = latin1Bytes(s)
  if (!bytes.some(isSpace)) return s
  return bytes.filter((c) => !isSpace(c)).join('')
}

function initials(s: string): string {
  let out = ''
  let atStart = true
  for (const ch of latin1Bytes(s)) {
    if (isSpace(ch)) atStart = true
    else if (atStart) {
      out += ch
      atStart = false
    }
  }
  return out
}

function shuffle(s: string): string {
  const chars = [...s]
  for (let i = chars.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[chars[i], chars[j]] = [chars[j]!, chars[i]!]
  }
  return chars.join('')
}

function repeat(count: number, s: string): string {
  if (count < 0) throw new Error('strings: negative Repeat count')
  return s.repeat(count)
}

function indent(spaces: number, s: string): string {
  const pad = ' '.repeat(Math.max(spaces, 0))
  return pad + s.replaceAll('\n', '\n' + pad)
}

function splitMap(parts: string[]): Record<string, string> {
  const out = stringMap()
  parts.forEach((p, i) => { out['_' + i] = p })
  return out
}

function sortAlpha(list: unknown): string[] {
  if (!Array.isArray(list)) return stringSlice([strval(list)])
  return stringSlice(strslice(list).sort(compareGo))
}

const S = 'string'
const I = 'int'

/** Returns Sprig's string functions, keyed by their Sprig names. */
export function stringFuncs(): FuncMap {
  const str = (fn: (x: string) => unknown) => typed([S], fn)
  return {
    hello: defineFunc(() => 'Hello!', 0),
    abbrev: typed([I, S], (w: number, x: string) => abbreviate(x, 0, w)),
    abbrevboth: typed([I, I, S], (l: number, r: number, x: string) => abbreviate(x, l, r)),
    upper: str(goUpper),
    lower: str(goLower),
    title: str(title),
    untitle: str(untitle),
    substr: typed([I, I, S], substr),
    repeat: typed([I, S], repeat),
    trim: str(trimSpace),
    trimAll: typed([S, S], (c: string, x: string) => trimCutset(x, c)),
    trimall: typed([S, S], (c: string, x: string) => trimCutset(x, c)),
    trimSuffix: typed([S, S], (suf: string, x: string) =>
      (suf !== '' && x.endsWith(suf) ? x.slice(0, -suf.length) : x)),
    trimPrefix: typed([S, S], (pre: string, x: string) =>
      (x.startsWith(pre) ? x.slice(pre.length) : x)),
    nospace: str(deleteSpace),
    initials: str(initials),
    swapcase: str(swapcase),
    shuffle: str(shuffle),
    snakecase: str((x) => toDelimited(x, '_')),
    kebabcase: str((x) => toDelimited(x, '-')),
    camelcase: str(toCamel),
    wrap: typed([I, S], (w: number, x: string) => wrapText(x, w, '', false)),
    wrapWith: typed([I, S, S], (w: number, nl: string, x: string) => wrapText(x, w, nl, true)),
    contains: typed([S, S], (sub: string, x: string) => x.includes(sub)),
    hasPrefix: typed([S, S], (p: string, x: string) => x.startsWith(p)),
    hasSuffix: typed([S, S], (p: string, x: string) => x.endsWith(p)),
    quote: defineFunc((...xs: unknown[]) => xs.filter((x) => x != null)
      .map((x) => quote(strval(x))).join(' '), 1, true),
    squote: defineFunc((...xs: unknown[]) => xs.filter((x) => x != null)
      .map((x) => `'${strval(x)}'`).join(' '), 1, true),
    cat: defineFunc((...xs: unknown[]) => xs.filter((x) => x != null)
      .map((x) => formatValue(x)).join(' '), 1, true),
    indent: typed([I, S], indent),
    nindent: typed([I, S], (n: number, x: string) => '\n' + indent(n, x)),
    replace: typed([S, S, S], (o: string, n: string, x: string) => x.replaceAll(o, n)),
    plural: typed([S, S, I], (one: string, many: string, n: number) => (n === 1 ? one : many)),
    trunc: typed([I, S], trunc),
    toString: defineFunc((x: unknown) => strval(x), 1),
    toStrings: defineFunc((x) => stringSlice(strslice(x)), 1),
    join: typed([S, 'any'], (sep: string, x: unknown) => strslice(x).join(sep)),
    sortAlpha: defineFunc((x) => sortAlpha(x), 1),
    split: typed([S, S], (sep: string, x: string) => splitMap(goSplitN(x, sep, -1))),
    splitList: typed([S, S], (sep: string, x: string) =>
      stringSlice(goSplitN(x, sep, -1))),
    splitn: typed([S, I, S], (sep: string, n: number, x: string) =>
      splitMap(goSplitN(x, sep, n))),
  }
}
