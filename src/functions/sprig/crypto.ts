/**
 * Sprig's hashing, password and symmetric-encryption functions.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes,
  scryptSync } from 'node:crypto'
import bcryptjs from 'bcryptjs'
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { argInt, argString, wrongType } from './convert.ts'
import { decodeBase64 } from './encoding.ts'

function adler32(data: Buffer): number {
  let a = 1
  let b = 0
  for (const byte of data) {
    a = (a + byte) % 65521
    b = (b + a) % 65521
  }
  return (b * 65536 + a) >>> 0
}

// Go's x/crypto/bcrypt at its default cost, with Go's "$2a$" prefix.
function bcrypt(input: string): string {
  if (Buffer.byteLength(input) > 72) {
    return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes'
  }
  return bcryptjs.hashSync(input, bcryptjs.genSaltSync(10)).replace(/^\$2b\$/, '$2a$')
}

function htpasswd(user: string, password: string): string {
  if (user.includes(':')) return `invalid username: ${user}`
  return `${user}:${bcrypt(password)}`
}

// The Master Password algorithm (v3) behind derivePassword: templates per
// password type, then one character class per template letter.
const templates: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv',
    'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno',
    'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno', 'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc',
    'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
}

const classes: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
}

const scope = 'com.lyndir.masterpassword'

function withLength(s: string): Buffer {
  const b = Buffer.from(s)
  const len = Buffer.alloc(4)
  len.writeUInt32BE(b.length)
  return Buffer.concat([len, b])
}

function derivePassword(counter: number, type: string, password: string, user: string,
  site: string): string {
  const choices = templates[type]
  if (!choices) return `cannot find password template ${type}`
  const salt = Buffer.concat([Buffer.from(scope), withLength(user)])
  const key = scryptSync(password, salt, 64, { N: 32768, r: 8, p: 2, maxmem: 64 << 20 })
  const count = Buffer.alloc(4)
  count.writeUInt32BE(counter >>> 0)
  const seed = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(scope), withLength(site), count])).digest()
  const tmpl = choices[seed[0]! % choices.length]!
  let out = ''
  for (let k = 0; k < tmpl.length; k++) {
    const chars = classes[tmpl[k]!]!
    out += chars[seed[k + 1]! % chars.length]
  }
  return out
}

// Sprig's AES: a 32-byte key from the password (zero padded or cut),
// CBC with a random IV in front, PKCS#7-style padding, base64 around it.
function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32)
  Buffer.from(password).copy(key, 0, 0, 32)
  return key
}

function encryptAES(password: string, text: string): string {
  const content = Buffer.from(text)
  const padding = 16 - (content.length % 16)
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv).setAutoPadding(false)
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)])
  return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString('base64')
}

function decryptAES(password: string, crypt: string): string {
  const data = decodeBase64(crypt)
  if (data.length === 0) return ''
  if (data.length < 16) {
    throw new Error(`runtime error: slice bounds out of range [:16] with capacity ${data.length}`)
  }
  const body = data.subarray(16)
  if (body.length % 16 !== 0) throw new Error('crypto/cipher: input not full blocks')
  if (body.length === 0) throw new Error('runtime error: index out of range [-1]')
  const decipher = createDecipheriv('aes-256-cbc', aesKey(password), data.subarray(0, 16))
    .setAutoPadding(false)
  const plain = Buffer.concat([decipher.update(body), decipher.final()])
  const end = plain.length - plain[plain.length - 1]!
  if (end < 0) throw new Error(`runtime error: slice bounds out of range [:${end}]`)
  return plain.subarray(0, end).toString()
}

const s = argString

// The counter is a uint32: a negative or too large number is refused
// before the call, as Go refuses the constant.
function uint32(v: unknown): number {
  const n = argInt(v, 'uint32')
  if (n < 0 || n > 0xffffffff) wrongType('uint32', v, 0)
  return n
}

const hex = (alg: string) => (x: unknown) => createHash(alg).update(s(x)).digest('hex')

/** Returns Sprig's hashing, password and AES functions, by Sprig name. */
export function cryptoFuncs(): FuncMap {
  return {
    sha1sum: defineFunc(hex('sha1'), 1),
    sha256sum: defineFunc(hex('sha256'), 1),
    sha512sum: defineFunc(hex('sha512'), 1),
    adler32sum: defineFunc((x) => String(adler32(Buffer.from(s(x)))), 1),
    bcrypt: defineFunc((x) => bcrypt(s(x)), 1),
    htpasswd: defineFunc((u, p) => htpasswd(s(u), s(p)), 2),
    derivePassword: defineFunc((c, t, p, u, site) =>
      derivePassword(uint32(c), s(t), s(p), s(u), s(site)), 5),
    encryptAES: defineFunc((p, t) => encryptAES(s(p), s(t)), 2),
    decryptAES: defineFunc((p, c) => decryptAES(s(p), s(c)), 2),
  }
}
