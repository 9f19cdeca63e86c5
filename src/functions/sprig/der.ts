/**
 * Just enough ASN.1 DER to write X.509 certificates and DSA keys as Go's
 * crypto/x509 does, and to read back the few structures Node hands us.
 */

/** Encodes one element: tag, definite length, contents. */
export function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length
  let len: Buffer
  if (n < 0x80) len = Buffer.from([n])
  else {
    const bytes: number[] = []
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
    len = Buffer.from([0x80 | bytes.length, ...bytes])
  }
  return Buffer.concat([Buffer.from([tag]), len, body])
}

/** Encodes a SEQUENCE of already-encoded elements. */
export const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items))
/** Encodes a SET of already-encoded elements. */
export const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items))
/** Encodes an OCTET STRING. */
export const octets = (b: Buffer) => tlv(0x04, b)
/** Encodes a BIT STRING with no unused bits. */
export const bits = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]))
/** Encodes NULL. */
export const nul = () => Buffer.from([0x05, 0x00])
/** Encodes a BOOLEAN. */
export const bool = (v: boolean) => Buffer.from([0x01, 0x01, v ? 0xff : 0x00])
/** Encodes a context-specific constructed tag [n]. */
export const explicit = (n: number, body: Buffer) => tlv(0xa0 | n, body)

/** Encodes an INTEGER from a non-negative or negative bigint. */
export function int(v: bigint | number): Buffer {
  let n = BigInt(v)
  const bytes: number[] = []
  if (n >= 0n) {
    do {
      bytes.unshift(Number(n & 0xffn))
      n >>= 8n
    } while (n > 0n)
    if (bytes[0]! & 0x80) bytes.unshift(0)
  } else {
    do {
      bytes.unshift(Number(n & 0xffn))
      n >>= 8n
    } while (n < -1n || !(bytes[0]! & 0x80))
  }
  return tlv(0x02, Buffer.from(bytes))
}

/** Encodes an OBJECT IDENTIFIER from dotted text. */
export function oid(text: string): Buffer {
  const parts = text.split('.').map(Number)
  const out = [parts[0]! * 40 + parts[1]!]
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f]
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) {
      chunk.unshift(0x80 | (v & 0x7f))
    }
    out.push(...chunk)
  }
  return tlv(0x06, Buffer.from(out))
}

/** Encodes a time as UTCTime before 2050 and GeneralizedTime after, as Go does. */
export function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  const year = d.getUTCFullYear()
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(iso.slice(2)))
  return tlv(0x18, Buffer.from(iso))
}

/** Encodes a string as PrintableString when it can be, else UTF8String. */
export function dirString(s: string): Buffer {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s)
  return tlv(printable ? 0x13 : 0x0c, Buffer.from(s))
}

/** A decoded element: its tag and contents. */
export interface Node { tag: number, body: Buffer }

/** Splits DER bytes into its top-level elements. */
export function read(der: Buffer): Node[] {
  const out: Node[] = []
  let k = 0
  while (k < der.length) {
    const tag = der[k++]!
    let len = der[k++]!
    if (len & 0x80) {
      const n = len & 0x7f
      len = 0
      for (let j = 0; j < n; j++) len = len * 256 + der[k++]!
    }
    out.push({ tag, body: der.subarray(k, k + len) })
    k += len
  }
  return out
}

/** Reads an INTEGER's contents as a bigint (non-negative values). */
export function readInt(node: Node): bigint {
  return node.body.length === 0 ? 0n : BigInt('0x' + node.body.toString('hex'))
}

/** Wraps DER bytes in a PEM block with 64-column base64 lines. */
export function pem(type: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`
}
