/**
 * Sprig's encoding functions: base64 and base32 (decoding errors come back
 * as the result string, as Sprig returns them) and JSON.
 */
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { argString } from './convert.ts'
import { marshal, unmarshal } from './json.ts'

const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const b32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

class CorruptInput extends Error {}

/** Decodes padded base64 as Go's base64.StdEncoding does, newlines skipped;
 * throws "illegal base64 data at input byte N" on bad input. */
export function decodeBase64(text: string): Buffer {
  const src = Buffer.from(text)
  const out: number[] = []
  const corrupt = (at: number) => new CorruptInput(`illegal base64 data at input byte ${at}`)
  const isNL = (c: number | undefined) => c === 0x0a || c === 0x0d
  let si = 0
  for (;;) {
    const quad: number[] = []
    let done = false
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out)
        throw corrupt(si - j)
      }
      const c = src[si++]!
      const d = b64.indexOf(String.fromCharCode(c))
      if (c < 0x80 && d >= 0) {
        quad.push(d)
        continue
      }
      if (isNL(c)) {
        j--
        continue
      }
      if (c !== 0x3d || j < 2) throw corrupt(si - 1)
      if (j === 2) {
        while (si < src.length && isNL(src[si])) si++
        if (si === src.length) throw corrupt(src.length)
        if (src[si] !== 0x3d) throw corrupt(si - 1)
        si++
      }
      while (si < src.length && isNL(src[si])) si++
      if (si < src.length) throw corrupt(si)
      done = true
      break
    }
    const bits = quad.reduce((acc, d) => acc * 64 + d, 0) * 64 ** (4 - quad.length)
    const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff]
    out.push(...bytes.slice(0, quad.length - 1))
    if (done) return Buffer.from(out)
  }
}

/** Encodes bytes as padded base32 (RFC 4648 standard alphabet). */
export function encodeBase32(data: Buffer): string {
  let out = ''
  for (let k = 0; k < data.length; k += 5) {
    const chunk = data.subarray(k, k + 5)
    let bits = 0n
    for (let n = 0; n < 5; n++) bits = (bits << 8n) | BigInt(chunk[n] ?? 0)
    const chars = Math.ceil((chunk.length * 8) / 5)
    for (let n = 0; n < 8; n++) {
      out += n < chars ? b32[Number((bits >> BigInt(35 - 5 * n)) & 31n)] : '='
    }
  }
  return out
}

/** Decodes padded base32 as Go's base32.StdEncoding does: newlines are
 * dropped first, then 8-character groups, with Go's error offsets. */
export function decodeBase32(text: string): Buffer {
  const src = Buffer.from(Buffer.from(text).filter((b) => b !== 0x0a && b !== 0x0d))
  const olen = src.length
  const corrupt = (at: number) => new CorruptInput(`illegal base32 data at input byte ${at}`)
  const out: number[] = []
  let k = 0
  let end = false
  while (k < olen && !end) {
    const group: number[] = []
    while (group.length < 8) {
      const left = olen - k
      if (left === 0) throw corrupt(olen - group.length)
      const c = src[k++]!
      if (c === 0x3d && group.length >= 2 && olen - k < 8) {
        const j = group.length
        if (olen - k + j < 7) throw corrupt(olen)
        for (let n = 0; n < 7 - j; n++) {
          if (k + n < olen && src[k + n] !== 0x3d) throw corrupt(k + n - 1)
        }
        if (j === 1 || j === 3 || j === 6) throw corrupt(k - 1)
        end = true
        break
      }
      const d = c < 0x80 ? b32.indexOf(String.fromCharCode(c)) : -1
      if (d < 0) throw corrupt(k - 1)
      group.push(d)
    }
    let bits = 0n
    for (let n = 0; n < 8; n++) bits = (bits << 5n) | BigInt(group[n] ?? 0)
    const nbytes = Math.floor((group.length * 5) / 8)
    for (let n = 0; n < nbytes; n++) out.push(Number((bits >> BigInt(32 - 8 * n)) & 0xffn))
  }
  return Buffer.from(out)
}

// Sprig hands a decoding error back as the function's result.
function orMessage(fn: () => Buffer): string {
  try {
    return fn().toString()
  } catch (e) {
    if (e instanceof CorruptInput) return e.message
    throw e
  }
}

const s = argString
const compact = { html: true, indent: '' }

/** Returns Sprig's encoding and JSON functions, keyed by Sprig name. */
export function encodingFuncs(): FuncMap {
  const quiet = (fn: () => string) => {
    try {
      return fn()
    } catch {
      return ''
    }
  }
  const pretty = (v: unknown) => marshal(v, { html: true, indent: '  ' })
  const raw = (v: unknown) => marshal(v, { html: false, indent: '' })
  return {
    b64enc: defineFunc((x) => Buffer.from(s(x)).toString('base64'), 1),
    b64dec: defineFunc((x) => orMessage(() => decodeBase64(s(x))), 1),
    b32enc: defineFunc((x) => encodeBase32(Buffer.from(s(x))), 1),
    b32dec: defineFunc((x) => orMessage(() => decodeBase32(s(x))), 1),
    toJson: defineFunc((v) => quiet(() => marshal(v, compact)), 1),
    mustToJson: defineFunc((v) => marshal(v, compact), 1),
    toPrettyJson: defineFunc((v) => quiet(() => pretty(v)), 1),
    mustToPrettyJson: defineFunc((v) => pretty(v), 1),
    toRawJson: defineFunc((v) => quiet(() => raw(v)), 1),
    mustToRawJson: defineFunc((v) => raw(v), 1),
    fromJson: defineFunc((x) => {
      const text = s(x)
      try {
        return unmarshal(text)
      } catch {
        return null
      }
    }, 1),
    mustFromJson: defineFunc((x) => unmarshal(s(x)), 1),
  }
}
