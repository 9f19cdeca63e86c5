/**
 * Sprig's key and certificate functions: `genPrivateKey`, `genCA`,
 * `genSelfSignedCert`, `genSignedCert` (each also `...WithKey`) and
 * `buildCustomCert`. Certificates are written the way Go's crypto/x509
 * writes Sprig's templates: same extensions, same order, same key sizes.
 */
import {
  X509Certificate, createHash, createPrivateKey, createPublicKey, generateKeyPairSync,
  randomBytes, sign, type KeyObject,
} from 'node:crypto'
import { isIP } from 'node:net'
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { GoStruct } from '../../template/value.ts'
import { argInt, argList, argString, wrongType } from './convert.ts'
import * as der from './der.ts'
import { decodeBase64 } from './encoding.ts'

/** Sprig's certificate value: PEM text of the certificate and its key. */
export class Certificate extends GoStruct {
  static override goType = 'sprig.certificate'
  constructor(public Cert: string, public Key: string) { super() }
}

function dsaKeyPem(): string {
  const { privateKey, publicKey } = generateKeyPairSync('dsa',
    { modulusLength: 2048, divisorLength: 256 })
  // PKCS#8: { version, { oid, { p, q, g } }, OCTET STRING { x } }
  const p8 = der.read(der.read(privateKey.export({ type: 'pkcs8', format: 'der' }))[0]!.body)
  const [p, q, g] = der.read(der.read(p8[1]!.body)[1]!.body).map(der.readInt)
  const x = der.readInt(der.read(p8[2]!.body)[0]!)
  const spki = der.read(der.read(publicKey.export({ type: 'spki', format: 'der' }))[0]!.body)
  const y = der.readInt(der.read(spki[1]!.body.subarray(1))[0]!)
  return der.pem('DSA PRIVATE KEY', der.seq(...[0n, p!, q!, g!, y, x].map(der.int)))
}

/** Returns a new private key in PEM, as Sprig's genPrivateKey does. */
export function genPrivateKey(type: string): string {
  switch (type) {
    case '':
    case 'rsa': {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 4096 })
      return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    }
    case 'dsa':
      return dsaKeyPem()
    case 'ecdsa': {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      return privateKey.export({ type: 'sec1', format: 'pem' }).toString()
    }
    case 'ed25519': {
      const { privateKey } = generateKeyPairSync('ed25519')
      return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    }
    default:
      return `Unknown type ${type}`
  }
}

// Sprig's parsePrivateKeyPEM: PKCS#8 "PRIVATE KEY", or "<ALG> PRIVATE KEY"
// for RSA (PKCS#1), EC (SEC 1) and DSA. Go's asn1 wording for a corrupt
// body is not reproduced; Node's reason follows the same prefix.
function parseKey(text: string): KeyObject {
  const m = /-----BEGIN ([^-\n]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text)
  if (!m) throw new Error('no PEM data in input')
  const type = m[1]!
  const body = Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')
  const load = (prefix: string, opts: Parameters<typeof createPrivateKey>[0]) => {
    try {
      return createPrivateKey(opts)
    } catch (e) {
      throw new Error(`${prefix}${(e as Error).message}`)
    }
  }
  if (type === 'PRIVATE KEY') {
    return load('decoding PEM as PKCS#8: ', { key: body, format: 'der', type: 'pkcs8' })
  }
  if (!type.endsWith(' PRIVATE KEY')) {
    throw new Error(`no private key data in PEM block of type ${type}`)
  }
  switch (type.slice(0, -12)) {
    case 'RSA':
      return load('parsing RSA private key from PEM: ', { key: body, format: 'der', type: 'pkcs1' })
    case 'EC':
      return load('parsing EC private key from PEM: ', { key: body, format: 'der', type: 'sec1' })
    case 'DSA':
      return load('parsing DSA private key from PEM: ', text)
    default:
      throw new Error(`invalid private key type ${type}`)
  }
}

function withKey(key: string): KeyObject {
  try {
    return parseKey(key)
  } catch (e) {
    throw new Error(`parsing private key: ${(e as Error).message}`)
  }
}

function keyPem(key: KeyObject): string {
  const type = key.asymmetricKeyType
  if (type === 'rsa') return key.export({ type: 'pkcs1', format: 'pem' }).toString()
  if (type === 'ec') return key.export({ type: 'sec1', format: 'pem' }).toString()
  return key.export({ type: 'pkcs8', format: 'pem' }).toString()
}

function signatureAlgorithm(key: KeyObject): { alg: Buffer, hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa': return { alg: der.seq(der.oid('1.2.840.113549.1.1.11'), der.nul()), hash: 'sha256' }
    case 'ec': return { alg: der.seq(der.oid('1.2.840.10045.4.3.2')), hash: 'sha256' }
    case 'ed25519': return { alg: der.seq(der.oid('1.3.101.112')), hash: null }
    default: throw new Error(`x509: unsupported key type ${key.asymmetricKeyType}`)
  }
}

/** What a certificate says about itself. */
interface CertSpec {
  cn: string
  ips: Buffer[]
  dns: string[]
  days: number
  isCA: boolean
  key: KeyObject
  issuer?: { name: Buffer, key: KeyObject, ski?: Buffer }
}

const name = (cn: string) => der.seq(der.set(der.seq(der.oid('2.5.4.3'), der.dirString(cn))))

function ext(id: string, critical: boolean, value: Buffer): Buffer {
  return der.seq(der.oid(id), ...(critical ? [der.bool(true)] : []), der.octets(value))
}

function subjectKeyId(pub: KeyObject): Buffer {
  const spki = der.read(der.read(pub.export({ type: 'spki', format: 'der' }))[0]!.body)
  return createHash('sha1').update(spki[1]!.body.subarray(1)).digest()
}

// Finds the subject key identifier extension (2.5.29.14) in a TBS.
function subjectKeyIdOf(tbs: der.Node[]): Buffer | undefined {
  const exts = tbs.find((n) => n.tag === 0xa3)
  if (!exts) return undefined
  const skiOid = der.oid('2.5.29.14')
  for (const e of der.read(der.read(exts.body)[0]!.body)) {
    const parts = der.read(e.body)
    if (!der.tlv(parts[0]!.tag, parts[0]!.body).equals(skiOid)) continue
    return der.read(parts[parts.length - 1]!.body)[0]!.body
  }
  return undefined
}

function buildCert(spec: CertSpec): string {
  const pub = createPublicKey(spec.key)
  const signer = spec.issuer?.key ?? spec.key
  const { alg, hash } = signatureAlgorithm(signer)
  const serial = BigInt('0x' + randomBytes(16).toString('hex'))
  const from = new Date(Math.floor(Date.now() / 1000) * 1000)
  const until = new Date(from.getTime() + spec.days * 86400_000)
  // Key usage bits: digitalSignature (0), keyEncipherment (2), keyCertSign (5).
  const usage = spec.isCA ? Buffer.from([0x02, 0xa4]) : Buffer.from([0x05, 0xa0])
  const ski = spec.isCA ? subjectKeyId(pub) : undefined
  const exts = [
    ext('2.5.29.15', true, der.tlv(0x03, usage)),
    ext('2.5.29.37', false, der.seq(der.oid('1.3.6.1.5.5.7.3.1'), der.oid('1.3.6.1.5.5.7.3.2'))),
    ext('2.5.29.19', true, der.seq(...(spec.isCA ? [der.bool(true)] : []))),
  ]
  if (ski) exts.push(ext('2.5.29.14', false, der.octets(ski)))
  const authority = spec.issuer ? spec.issuer.ski : ski
  if (authority && spec.issuer) {
    exts.push(ext('2.5.29.35', false, der.seq(der.tlv(0x80, authority))))
  }
  const alt = [...spec.dns.map((d) => der.tlv(0x82, Buffer.from(d))),
    ...spec.ips.map((ip) => der.tlv(0x87, ip))]
  if (alt.length > 0) exts.push(ext('2.5.29.17', false, der.seq(...alt)))
  const tbs = der.seq(
    der.explicit(0, der.int(2)), der.int(serial), alg, spec.issuer?.name ?? name(spec.cn),
    der.seq(der.time(from), der.time(until)), name(spec.cn),
    pub.export({ type: 'spki', format: 'der' }), der.explicit(3, der.seq(...exts)))
  const signature = sign(hash, tbs, signer)
  return der.pem('CERTIFICATE', der.seq(tbs, alg, der.bits(signature)))
}

function newRsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
}

function ipBytes(list: unknown): Buffer[] {
  const items = Array.isArray(list) ? list : []
  return items.map((raw) => {
    if (typeof raw !== 'string') {
      throw new Error(`error parsing ip: ${raw} is not a string`)
    }
    const kind = isIP(raw)
    if (kind === 4) return Buffer.from(raw.split('.').map(Number))
    if (kind === 6) return ipv6Bytes(raw)
    throw new Error(`error parsing ip: ${raw}`)
  })
}

function ipv6Bytes(ip: string): Buffer {
  let text = ip
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const b = v4[1]!.split('.').map(Number)
    text = text.slice(0, -v4[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:` +
      ((b[2]! << 8) | b[3]!).toString(16)
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  const out = Buffer.alloc(16)
  groups.forEach((g, k) => out.writeUInt16BE(parseInt(g, 16), k * 2))
  return out
}

function dnsNames(list: unknown): string[] {
  const items = Array.isArray(list) ? list : []
  return items.map((d) => {
    if (typeof d !== 'string') {
      throw new Error(`error processing alternate dns name: ${d} is not a string`)
    }
    return d
  })
}

function genCA(cn: string, days: number, key?: string): Certificate {
  const k = key === undefined ? newRsaKey() : withKey(key)
  return new Certificate(buildCert({ cn, ips: [], dns: [], days, isCA: true, key: k }), keyPem(k))
}

function genSelfSigned(cn: string, ips: unknown, dns: unknown, days: number,
  key?: string): Certificate {
  const spec = { cn, ips: ipBytes(ips), dns: dnsNames(dns), days, isCA: false }
  const k = key === undefined ? newRsaKey() : withKey(key)
  return new Certificate(buildCert({ ...spec, key: k }), keyPem(k))
}

function genSigned(cn: string, ips: unknown, dns: unknown, days: number, ca: Certificate,
  key?: string): Certificate {
  const spec = { cn, ips: ipBytes(ips), dns: dnsNames(dns), days, isCA: false }
  if (!/-----BEGIN [^-]+-----/.test(ca.Cert)) throw new Error('unable to decode certificate')
  let caCert: X509Certificate
  try {
    caCert = new X509Certificate(ca.Cert)
  } catch (e) {
    throw new Error(`error parsing certificate: decodedSignerCert.Bytes: ${(e as Error).message}`)
  }
  let caKey: KeyObject
  try {
    caKey = parseKey(ca.Key)
  } catch (e) {
    throw new Error(`error parsing private key: ${(e as Error).message}`)
  }
  const tbs = der.read(der.read(der.read(caCert.raw)[0]!.body)[0]!.body)
  // The issuer is the CA's subject exactly as encoded (field 5 of its TBS),
  // and the authority key id is the CA's subject key id, when it has one.
  const subject = der.tlv(tbs[5]!.tag, tbs[5]!.body)
  const issuer = { name: subject, key: caKey, ski: subjectKeyIdOf(tbs) }
  const k = key === undefined ? newRsaKey() : withKey(key)
  return new Certificate(buildCert({ ...spec, key: k, issuer }), keyPem(k))
}

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  let cert: string
  let key: string
  try {
    cert = decodeBase64(b64cert).toString()
  } catch {
    throw new Error('unable to decode base64 certificate')
  }
  try {
    key = decodeBase64(b64key).toString()
  } catch {
    throw new Error('unable to decode base64 private key')
  }
  if (!/-----BEGIN [^-]+-----[\s\S]*-----END [^-]+-----/.test(cert)) {
    throw new Error('unable to decode certificate')
  }
  try {
    void new X509Certificate(cert)
  } catch (e) {
    throw new Error(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`)
  }
  try {
    parseKey(key)
  } catch (e) {
    throw new Error(`error parsing private key: ${(e as Error).message}`)
  }
  return new Certificate(cert, key)
}

const s = argString
const i = argInt
const list = argList

// The ca parameter is Sprig's certificate struct; Go refuses anything else
// before the call.
function cert(v: unknown): Certificate {
  if (!(v instanceof Certificate)) wrongType('sprig.certificate', v)
  return v
}

/** Returns Sprig's key and certificate functions, keyed by Sprig name. */
export function certFuncs(): FuncMap {
  return {
    genPrivateKey: defineFunc((t) => genPrivateKey(s(t)), 1),
    buildCustomCert: defineFunc((c, k) => buildCustomCert(s(c), s(k)), 2),
    genCA: defineFunc((cn, d) => genCA(s(cn), i(d)), 2),
    genCAWithKey: defineFunc((cn, d, k) => genCA(s(cn), i(d), s(k)), 3),
    genSelfSignedCert: defineFunc((cn, ips, dns, d) =>
      genSelfSigned(s(cn), list(ips), list(dns), i(d)), 4),
    genSelfSignedCertWithKey: defineFunc((cn, ips, dns, d, k) =>
      genSelfSigned(s(cn), list(ips), list(dns), i(d), s(k)), 5),
    genSignedCert: defineFunc((cn, ips, dns, d, ca) =>
      genSigned(s(cn), list(ips), list(dns), i(d), cert(ca)), 5),
    genSignedCertWithKey: defineFunc((cn, ips, dns, d, ca, k) =>
      genSigned(s(cn), list(ips), list(dns), i(d), cert(ca), s(k)), 6),
  }
}
