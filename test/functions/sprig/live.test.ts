/**
 * Re-checks a sample of the fixtures against the reference consul-template
 * when it is installed ($CTMPL_REFERENCE or ~/go/bin), so a stale fixture
 * cannot hide a difference; and feeds ctmpl's random outputs (AES cipher
 * text, generated certificates) to the reference to prove they interoperate.
 * Without the binary every test here is skipped, loudly.
 */
import { test } from 'node:test'
import { X509Certificate } from 'node:crypto'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findReference, renderWithReference } from '../../../scripts/gen-sprig-fixtures.ts'
import { sprigByName } from '../../../src/functions/sprig/index.ts'
import type { Certificate } from '../../../src/functions/sprig/certs.ts'
import { read as readDer } from '../../../src/functions/sprig/der.ts'
import { renderWithEngine } from './engine-render.ts'

interface Fixture { name: string, tmpl: string, out?: string, err?: string }

const bin = findReference()
const skip = bin ? false : 'reference consul-template not found (set CTMPL_REFERENCE)'
if (!bin) console.warn(`SKIPPED live Sprig checks: ${skip}`)

const dir = join(fileURLToPath(import.meta.url), '..', 'fixtures')
const sample: Fixture[] = []
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const all = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture[]
  // Every fifth case of each domain, so each domain is sampled.
  sample.push(...all.filter((_, k) => k % 5 === 0))
}

test('a sample of fixtures still matches the reference', { skip }, async () => {
  for (const fx of sample) {
    const live = await renderWithReference(bin!, fx.tmpl)
    assert.equal(JSON.stringify({ out: live.out, err: live.err }),
      JSON.stringify({ out: fx.out, err: fx.err }), fx.name)
  }
})

test('the reference decrypts what ctmpl encrypts', { skip }, async () => {
  const f = sprigByName()
  const secret = f.encryptAES!('pass phrase', 'hello from ctmpl é') as string
  const live = await renderWithReference(bin!,
    `{{ sprig_decryptAES "pass phrase" "${secret}" }}`)
  assert.equal(live.out, 'hello from ctmpl é')
})

test('the reference accepts and signs with a CA ctmpl generated', { skip }, async () => {
  const f = sprigByName()
  const ca = f.genCA!('ctmpl-ca', 10) as Certificate
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  const tmpl = `{{ $ca := sprig_buildCustomCert "${b64(ca.Cert)}" "${b64(ca.Key)}" }}` +
    '{{ $c := sprig_genSignedCert "leaf" nil nil 1 $ca }}{{ $c.Cert }}'
  const live = await renderWithReference(bin!, tmpl)
  assert.match(live.out ?? live.err ?? '', /^-----BEGIN CERTIFICATE-----/)
})

test('the engine and the reference agree on a fresh template', { skip }, async () => {
  const tmpl = '{{ range $i, $v := sprig_until 4 }}{{ $v | sprig_add1 | sprig_toString | ' +
    'sprig_repeat 2 }},{{ end }}{{ sprig_dict "k" (sprig_list 1 2) | sprig_toPrettyJson }}'
  const live = await renderWithReference(bin!, tmpl)
  assert.deepEqual(renderWithEngine(tmpl), { out: live.out })
})

test('case mapping agrees with the reference on every letter', { skip }, async () => {
  const f = sprigByName()
  let letters = ''
  for (let c = 0x41; c < 0x20000; c++) {
    if (c >= 0xd800 && c < 0xe000) continue
    const ch = String.fromCodePoint(c)
    if (/[\p{L}\p{M}\p{N}\p{S}]/u.test(ch) && ch !== '`') letters += ch
  }
  const spaced = [...letters].join(' ')
  const live = await renderWithReference(bin!, `{{ sprig_upper \`${letters}\` }}\n` +
    `{{ sprig_lower \`${letters}\` }}\n{{ sprig_title \`${spaced}\` }}\n` +
    `{{ sprig_swapcase \`${letters}\` }}`)
  const [upper, lower, title, swap] = (live.out ?? '').split('\n')
  assert.ok(upper === f.upper!(letters), 'upper')
  assert.ok(lower === f.lower!(letters), 'lower')
  assert.ok(title === f.title!(spaced), 'title')
  assert.ok(swap === f.swapcase!(letters), 'swapcase')
})

test('quote escapes exactly the runes Go cannot print, over all of Unicode', { skip },
  async () => {
    const f = sprigByName()
    let chunk = ''
    const chunks: string[] = []
    for (let c = 0; c < 0x110000; c++) {
      // Raw strings lose \r in Go templates; a back quote would end one.
      if ((c >= 0xd800 && c < 0xe000) || c === 0x0d || c === 0x60) continue
      chunk += String.fromCodePoint(c)
      if (chunk.length >= 60000) {
        chunks.push(chunk)
        chunk = ''
      }
    }
    chunks.push(chunk)
    for (const s of chunks) {
      const live = await renderWithReference(bin!, '{{ sprig_quote `' + s + '` }}')
      assert.ok(live.out === f.quote!(s), `first rune U+${s.codePointAt(0)!.toString(16)}`)
    }
  })

// Lists a DER tree as "depth:tag" lines, with OIDs and names spelled out,
// leaving out what is random (serials, keys, times, signatures).
function derShape(der: Buffer, depth = 0): string[] {
  const out: string[] = []
  for (const node of readDer(der)) {
    const tag = node.tag.toString(16)
    if ((node.tag & 0x20) !== 0) {
      out.push(`${depth}:${tag}`, ...derShape(node.body, depth + 1))
    } else if (node.tag === 0x06 || node.tag === 0x13 || node.tag === 0x0c ||
      node.tag === 0x01 || node.tag === 0x82 || node.tag === 0x87) {
      out.push(`${depth}:${tag}:${node.body.toString('hex')}`)
    } else {
      out.push(`${depth}:${tag}`)
    }
  }
  return out
}

test('certificates have the same DER shape as the reference\'s', { skip }, async () => {
  const f = sprigByName()
  const tmpl = '{{ $ca := sprig_genCA "my-ca" 365 }}{{ $ca.Cert }}' +
    '{{ $c := sprig_genSignedCert "srv" (sprig_list "10.0.0.1" "::1") ' +
    '(sprig_list "a.example") 30 $ca }}{{ $c.Cert }}' +
    '{{ $s := sprig_genSelfSignedCert "self" nil (sprig_list "x.y") 10 }}{{ $s.Cert }}'
  const live = await renderWithReference(bin!, tmpl)
  const ca = f.genCA!('my-ca', 365) as Certificate
  const leaf = f.genSignedCert!('srv', ['10.0.0.1', '::1'], ['a.example'], 30, ca) as Certificate
  const self = f.genSelfSignedCert!('self', null, ['x.y'], 10) as Certificate
  const shapes = (pems: string) => [...pems.matchAll(/-----BEGIN CERTIFICATE-----[^-]+/g)]
    .map((m) => derShape(new X509Certificate(m[0] + '-----END CERTIFICATE-----\n').raw))
  assert.deepEqual(shapes(ca.Cert + leaf.Cert + self.Cert), shapes(live.out ?? ''))
})
