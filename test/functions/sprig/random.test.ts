/**
 * The Sprig functions whose output changes on every call (keys,
 * certificates, salted hashes, random IVs, shuffles, the clock): checked
 * by shape and by verifying what they produce, not by value.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto'
import bcryptjs from 'bcryptjs'
import { sprigByName } from '../../../src/functions/sprig/index.ts'
import { Certificate } from '../../../src/functions/sprig/certs.ts'
import { GoTime } from '../../../src/functions/sprig/time.ts'

const f = sprigByName()

test('genPrivateKey writes each key type in the PEM form Sprig uses', () => {
  const cases = [
    ['rsa', 'RSA PRIVATE KEY', 'rsa', 4096],
    ['ecdsa', 'EC PRIVATE KEY', 'ec', undefined],
    ['ed25519', 'PRIVATE KEY', 'ed25519', undefined],
    ['dsa', 'DSA PRIVATE KEY', 'dsa', 2048],
  ] as const
  for (const [type, header, alg, bits] of cases) {
    const pem = f.genPrivateKey!(type) as string
    assert.match(pem, new RegExp(`^-----BEGIN ${header}-----\\n[A-Za-z0-9+/=\\n]+` +
      `-----END ${header}-----\\n$`), type)
    const key = createPrivateKey(pem)
    assert.equal(key.asymmetricKeyType, alg, type)
    if (bits) assert.equal(key.asymmetricKeyDetails?.modulusLength, bits, type)
  }
})

test('genCA makes a self-signed CA with a subject key id', () => {
  const ca = f.genCA!('my-ca', 365) as Certificate
  assert.ok(ca instanceof Certificate)
  const x = new X509Certificate(ca.Cert)
  assert.equal(x.subject, 'CN=my-ca')
  assert.equal(x.issuer, 'CN=my-ca')
  assert.equal(x.ca, true)
  assert.ok(x.verify(createPublicKey(ca.Key)))
  const days = (Date.parse(x.validTo) - Date.parse(x.validFrom)) / 86400_000
  assert.equal(days, 365)
  assert.match(ca.Key, /^-----BEGIN RSA PRIVATE KEY-----/)
  assert.equal(createPrivateKey(ca.Key).asymmetricKeyDetails?.modulusLength, 2048)
})

test('genSignedCert is issued by the CA and carries the SANs', () => {
  const ca = f.genCA!('ca', 30) as Certificate
  const leaf = f.genSignedCert!('srv', ['10.0.0.1', '::1'], ['a.example'], 10, ca) as Certificate
  const x = new X509Certificate(leaf.Cert)
  const caX = new X509Certificate(ca.Cert)
  assert.equal(x.subject, 'CN=srv')
  assert.equal(x.ca, false)
  assert.ok(x.checkIssued(caX))
  assert.ok(x.verify(caX.publicKey))
  assert.equal(x.subjectAltName, 'DNS:a.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1')
})

test('the WithKey forms keep the key they are given', () => {
  const ecKey = f.genPrivateKey!('ecdsa') as string
  const ca = f.genCAWithKey!('ec-ca', 5, ecKey) as Certificate
  assert.equal(ca.Key, ecKey)
  assert.ok(new X509Certificate(ca.Cert).verify(createPublicKey(ecKey)))
  const edKey = f.genPrivateKey!('ed25519') as string
  const self = f.genSelfSignedCertWithKey!('me', null, ['me.local'], 1, edKey) as Certificate
  assert.equal(self.Key, edKey)
  assert.ok(new X509Certificate(self.Cert).verify(createPublicKey(edKey)))
  const leaf = f.genSignedCertWithKey!('leaf', null, null, 1, ca, edKey) as Certificate
  assert.ok(new X509Certificate(leaf.Cert).verify(createPublicKey(ecKey)))
})

test('key and certificate errors read as Sprig words them', () => {
  assert.throws(() => f.genCAWithKey!('x', 1, 'junk'),
    { message: 'parsing private key: no PEM data in input' })
  assert.throws(() => f.genSelfSignedCert!('a', ['x'], null, 1), { message: 'error parsing ip: x' })
  assert.throws(() => f.genSelfSignedCert!('a', null, [1], 1),
    { message: 'error processing alternate dns name: 1 is not a string' })
  const ca = f.genSelfSignedCert!('a', null, null, 1) as Certificate
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  assert.deepEqual(f.buildCustomCert!(b64(ca.Cert), b64(ca.Key)), ca)
  assert.throws(() => f.buildCustomCert!('!', 'YWJj'),
    { message: 'unable to decode base64 certificate' })
})

test('bcrypt and htpasswd hash with Go\'s $2a$ prefix at cost 10', () => {
  const hash = f.bcrypt!('secret') as string
  assert.match(hash, /^\$2a\$10\$[./A-Za-z0-9]{53}$/)
  assert.ok(bcryptjs.compareSync('secret', hash))
  const line = f.htpasswd!('me', 'pw') as string
  assert.ok(bcryptjs.compareSync('pw', line.slice('me:'.length)))
})

test('encryptAES uses a fresh IV and decrypts back', () => {
  const a = f.encryptAES!('key', 'text') as string
  const b = f.encryptAES!('key', 'text') as string
  assert.notEqual(a, b)
  assert.equal(Buffer.from(a, 'base64').length, 32)
  assert.equal(f.decryptAES!('key', a), 'text')
})

test('shuffle permutes the characters; randInt stays in range', () => {
  const s = f.shuffle!('abcdefgh€') as string
  assert.deepEqual([...s].sort(), [...'abcdefgh€'].sort())
  for (let k = 0; k < 200; k++) {
    const n = f.randInt!(-3, 4) as number
    assert.ok(Number.isInteger(n) && n >= -3 && n < 4, String(n))
  }
  assert.throws(() => f.randInt!(2, 2), { message: 'invalid argument to Intn' })
})

test('ago measures from now, rounded to the second', () => {
  const ms = Date.now()
  const loc = (f.toDate!('2006', '2000') as GoTime).loc
  const past = new GoTime(Math.floor(ms / 1000) - 3725, (ms % 1000) * 1e6, loc)
  assert.equal(f.ago!(past), '1h2m5s')
  assert.match(f.ago!(5) as string, /^\d+h\d+m\d+s$/)
  assert.match(f.durationRound!(past) as string, /^1h$/)
})
