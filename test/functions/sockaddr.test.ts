// sockaddr: address parsing and printing, the pipeline's errors, and, when
// the reference binary is installed, the same pipelines on this machine's
// interfaces compared with what the reference prints.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { evalSockaddr } from '../../src/functions/sockaddr.ts'
import { formatIP, parseIP } from '../../src/functions/sockaddr-net.ts'
import { referenceBinary } from '../../scripts/reference-binary.ts'

const addresses = [
  ['127.0.0.1', '127.0.0.1'], ['::1', '::1'], ['fe80::fc:ff:fe00:1', 'fe80::fc:ff:fe00:1'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], ['::', '::'], ['1::', '1::'],
['2001:0db8:0000:0000:0000:0000:0002:0001', '2001:db8::2:1'],
]

for (const [text, shown] of addresses) {
  test(`address ${text}`, () => {
    const ip = parseIP(text!)
    assert.ok(ip)
    assert.equal(formatIP(ip.family, ip.value), shown)
  })
}

test('an unknown function is the reference\'s parse error', () => {
  assert.throws(() => evalSockaddr('bogus'), {
    message: 'unable to parse template "{{ bogus }}": template: sockaddr.Parse:1: ' +
      'function "bogus" not defined',
  })
})

test('loopback addresses are found', () => {
  const out = evalSockaddr('GetAllInterfaces | include "flags" "loopback" | join "address" " "')
  assert.match(out, /(^| )127\.0\.0\.1( |$)/)
})

test('limit, offset and attr', () => {
  const all = evalSockaddr('GetAllInterfaces | join "address" " "').split(' ')
  assert.equal(evalSockaddr('GetAllInterfaces | limit 1 | attr "address"'), all[0])
  assert.equal(evalSockaddr('GetAllInterfaces | offset 1 | join "address" " "'),
    all.slice(1).join(' '))
  assert.equal(evalSockaddr('GetAllInterfaces | offset -1 | attr "address"'), all.at(-1))
})

const reference = referenceBinary() ?? 'consul-template (not installed)'

const pipelines = [
  'GetPrivateIP', 'GetPublicIP', 'GetPrivateIPs', 'GetPublicIPs', 'GetInterfaceIP "lo"',
  'GetInterfaceIPs "eth0"', 'GetAllInterfaces', 'GetDefaultInterfaces | attr "name"',
  'GetAllInterfaces | include "flags" "loopback" | join "address" " "',
  'GetAllInterfaces | join "name" ","',
  'GetAllInterfaces | include "type" "IPv4" | attr "address"',
  'GetPrivateInterfaces | join "address" " "',
  'GetAllInterfaces | sort "type,address" | join "address" " "',
  'GetAllInterfaces | include "name" "^lo" | join "network" " "',
  'GetAllInterfaces | include "rfc" "1918" | attr "address"',
  'GetAllInterfaces | exclude "type" "IPv6" | join "size" " "',
  'GetAllInterfaces | include "network" "127.0.0.0/8" | join "address" " "',
  'GetAllInterfaces | unique "name" | join "name" " "',
]

test('pipelines print what the reference prints on this machine', {
  skip: !existsSync(reference) && `SKIPPED LOUDLY: reference binary ${reference} not found`,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctmpl-sockaddr-'))
  try {
    for (const p of pipelines) {
      writeFileSync(join(dir, 'in.tmpl'), `{{ sockaddr ${JSON.stringify(p)} }}`)
      const res = spawnSync(reference, ['-once', '-consul-addr', '127.0.0.1:1',
        '-template', 'in.tmpl:out.txt'], { cwd: dir, encoding: 'utf8', timeout: 20_000 })
      assert.equal(res.status, 0, res.stderr)
      assert.equal(evalSockaddr(p), readFileSync(join(dir, 'out.txt'), 'utf8'), p)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
