/**
 * Word-case conversions behind `snakecase`, `kebabcase` and `camelcase`
 * (huandu/xstrings v1.5 as Sprig v3.3 calls it). The rules here were worked
 * out from what the reference binary prints; the fixtures pin them.
 */
import {
  isDigit, isLetter, isSpace, isUpper, runeLower, runeUpper,
} from './text.ts'

// Runs of these separate words in both directions of conversion.
function isConnector(ch: string): boolean {
  return ch === '_' || ch === '-' || isSpace(ch)
}

function isLowerish(ch: string | undefined): boolean {
  return ch !== undefined && isLetter(ch) && !isUpper(ch)
}

// Reports whether the run of digits starting at k is followed by a
// lower-case letter.
function lowerAfterDigits(cs: string[], k: number): boolean {
  let j = k
  while (j < cs.length && isDigit(cs[j]!)) j++
  return isLowerish(cs[j])
}

/** Converts to lower-case words joined by `sep` ("HTTPServer" to
 * "http_server"); digits followed by lower case start a word of their own. */
export function toDelimited(s: string, sep: string): string {
  const cs = [...s]
  let out = ''
  let wordFromDigit = false
  let atWordStart = true
  let verbatim = false
  for (let k = 0; k < cs.length; k++) {
    const c = cs[k]!
    const prev = cs[k - 1]
    if (isConnector(c)) {
      // After punctuation ("." or "/") xstrings copies "_" and "-" as they
      // are, and keeps doing so along the run; a space always converts.
      verbatim = verbatim && !isSpace(c)
      out += verbatim ? c : sep
      atWordStart = true
      continue
    }
    const isWord = (ch: string | undefined) => ch !== undefined && (isLetter(ch) || isDigit(ch))
    if (!isWord(c)) {
      // Punctuation ends a word and is copied as is. Any other rune (a
      // symbol, a mark, a control) stands apart: it gets a separator on
      // each side that touches a letter or digit ("a+b" is "a_+_b").
      verbatim = /^\p{P}$/u.test(c)
      if (!verbatim && isWord(prev)) out += sep
      out += c
      atWordStart = true
      continue
    }
    const afterOther = prev !== undefined && !isWord(prev) && !isConnector(prev) &&
      !/^\p{P}$/u.test(prev)
    // After such a rune a letter always starts a new word; digits do only
    // when lower-case letters follow them, as after a letter.
    if (afterOther && (!isDigit(c) || lowerAfterDigits(cs, k))) out += sep
    verbatim = false
    let boundary = false
    if (!atWordStart && prev !== undefined) {
      if (isUpper(c)) {
        boundary = isLowerish(prev) || isDigit(prev) ||
          (isUpper(prev) && isLowerish(cs[k + 1]))
      } else if (isDigit(c) && isLetter(prev) && !wordFromDigit) {
        boundary = lowerAfterDigits(cs, k)
      }
    }
    if (boundary) out += sep
    if (boundary || atWordStart) wordFromDigit = isDigit(c)
    atWordStart = false
    out += runeLower(c)
  }
  return out
}

// Upper-cases a word's first rune; a word opening with several capitals
// keeps only the first ("HTTPServer" becomes "Httpserver").
function capitalize(word: string[]): string {
  if (word.length === 0) return ''
  if (!isUpper(word[0]!)) return runeUpper(word[0]!) + word.slice(1).join('')
  let k = 1
  while (k < word.length && isUpper(word[k]!)) k++
  if (k === 1) return word.join('')
  return word[0]! + word.slice(1, k).map(runeLower).join('') + word.slice(k).join('')
}

/** Converts words separated by "_", "-" or spaces to "PascalCase"; a run
 * of separators between words loses its last character. */
export function toCamel(s: string): string {
  const cs = [...s]
  // A string of separators only comes back with its last one doubled.
  if (cs.length > 0 && cs.every(isConnector)) return s + cs[cs.length - 1]
  let out = ''
  let k = 0
  let first = true
  while (k < cs.length) {
    let j = k
    while (j < cs.length && isConnector(cs[j]!)) j++
    const run = cs.slice(k, j).join('')
    const atEdge = first || j === cs.length
    out += atEdge ? run : run.slice(0, -1)
    first = false
    k = j
    while (j < cs.length && !isConnector(cs[j]!)) j++
    out += capitalize(cs.slice(k, j))
    k = j
  }
  return out
}
