/**
 * Encoding helpers: base64, hashes, and the structured formats (JSON, YAML,
 * TOML) in both directions.
 */
import { createHash, createHmac } from 'node:crypto'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asString } from './args.ts'
import { decodeJSON, encodeJSON } from './json.ts'
import { decodeYAML, encodeYAML } from './yaml.ts'
import { encodeTOML } from './toml.ts'

const stdAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function corrupt(at: number): Error {
  return new Error(`illegal base64 data at input byte ${at}`)
}

/** Decodes padded base64 strictly, as Go's base64 DecodeString does: line
 * breaks are skipped, anything else out of place is an error naming the
 * byte offset where Go's decoder stops. */
export function decodeBase64Strict(src: string, alphabet: string): Buffer {
  const bytes = Buffer.from(src, 'utf8')
  const out: number[] = []
  let si = 0
  const skipNewlines = () => {
    while (si < bytes.length && (bytes[si] === 0x0a || bytes[si] === 0x0d)) si++
  }
  for (;;) {
    const quantum: number[] = []
    let j = 0
    for (; j < 4; j++) {
      skipNewlines()
      if (si === bytes.length) {
        if (j === 0) return Buffer.from(out)
        throw corrupt(si - j)
      }
      const c = bytes[si]!
      si++
      const idx = c < 0x80 ? alphabet.indexOf(String.fromCharCode(c)) : -1
      if (idx >= 0) {
        quantum.push(idx)
        continue
      }
      if (c !== 0x3d) throw corrupt(si - 1)
      // Padding: only in the last two places, and then nothing may follow.
      if (j < 2) throw corrupt(si - 1)
      if (j === 2) {
        skipNewlines()
        if (si === bytes.length) throw corrupt(bytes.length)
        if (bytes[si] !== 0x3d) throw corrupt(si - 1)
        si++
      }
      skipNewlines()
      if (si < bytes.length) throw corrupt(si)
      break
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum
    const n = (a << 18) | (b << 12) | (c << 6) | d
    out.push((n >> 16) & 0xff)
    if (quantum.length > 2) out.push((n >> 8) & 0xff)
    if (quantum.length > 3) out.push(n & 0xff)
    if (j < 4) return Buffer.from(out)
  }
}

function encodeBase64(s: string, url: boolean): string {
  const b64 = Buffer.from(s, 'utf8').toString('base64')
  return url ? b64.replace(/\+/g, '-').replace(/\//g, '_') : b64
}

function trimSpaceBytes(s: string): string {
  return s.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '')
}

/** Returns the encoding helpers, keyed by template name. */
export function encodingFuncs(): FuncMap {
  const wrap = (name: string, fn: () => string): string => {
    try {
      return fn()
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`, { cause: err })
    }
  }
  return {
    base64Encode: defineFunc((s: unknown) => encodeBase64(asString(s), false), 1),
    base64URLEncode: defineFunc((s: unknown) => encodeBase64(asString(s), true), 1),
    base64Decode: defineFunc((s: unknown) => wrap('base64Decode', () =>
      decodeBase64Strict(asString(s), stdAlphabet).toString('utf8')), 1),
    base64URLDecode: defineFunc((s: unknown) => wrap('base64URLDecode', () =>
      decodeBase64Strict(asString(s), urlAlphabet).toString('utf8')), 1),
    sha256Hex: defineFunc((s: unknown) =>
      createHash('sha256').update(asString(s), 'utf8').digest('hex'), 1),
    md5sum: defineFunc((s: unknown) =>
      createHash('md5').update(asString(s), 'utf8').digest('hex'), 1),
    hmacSHA256Hex: defineFunc((message: unknown, key: unknown) =>
      createHmac('sha256', asString(key)).update(asString(message), 'utf8').digest('hex'), 2),
    toJSON: defineFunc((v: unknown) => wrap('toJSON', () =>
      encodeJSON(v, { escapeHTML: true, indent: '' })), 1),
    toJSONPretty: defineFunc((v: unknown) => wrap('toJSONPretty', () =>
      encodeJSON(v, { escapeHTML: true, indent: '  ' })), 1),
    toUnescapedJSON: defineFunc((v: unknown) => wrap('toUnescapedJSON', () =>
      encodeJSON(v, { escapeHTML: false, indent: '' })), 1),
    toUnescapedJSONPretty: defineFunc((v: unknown) => wrap('toUnescapedJSONPretty', () =>
      encodeJSON(v, { escapeHTML: false, indent: '  ' })), 1),
    toYAML: defineFunc((v: unknown) => wrap('toYAML', () =>
      trimSpaceBytes(encodeYAML(v))), 1),
    toTOML: defineFunc((v: unknown) => wrap('toTOML', () =>
      trimSpaceBytes(encodeTOML(v))), 1),
    parseJSON: defineFunc((s: unknown) => {
      const text = asString(s)
      return text === '' ? {} : decodeJSON(text)
    }, 1),
    parseYAML: defineFunc((s: unknown) => {
      const text = asString(s)
      return text === '' ? {} : decodeYAML(text)
    }, 1),
  }
}
