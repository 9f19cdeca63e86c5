import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { TLSSocket } from 'node:tls'
import { ConsulClient, ConsulError } from '../../src/consul/index.ts'

/** Makes a CA, a server certificate for consul.test and a client one. */
function makePki(dir: string): void {
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key',
    '-out', 'ca.pem', '-days', '2', '-subj', '/CN=ctmpl test CA')
  for (const [name, cn, ext] of [
    ['server', 'consul.test', 'subjectAltName=DNS:consul.test'],
    ['client', 'ctmpl', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`,
      '-out', `${name}.csr`, '-subj', `/CN=${cn}`)
    writeFileSync(join(dir, `${name}.ext`), ext + '\n')
    ossl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key',
      '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`)
  }
}

describe('consul client over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctmpl-tls-'))
  let server: Server
  let port = 0
  const peers: (string | undefined)[] = []

  before(async () => {
    makePki(dir)
    const read = (f: string) => readFileSync(join(dir, f))
    server = createServer({
      key: read('server.key'), cert: read('server.pem'), ca: read('ca.pem'),
      requestCert: true, rejectUnauthorized: false,
    }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate()
      const cn = peer?.subject?.CN
      peers.push(Array.isArray(cn) ? cn[0] : cn)
      res.writeHead(200, { 'x-consul-index': '4' })
      res.end('["dc1"]')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
  })

  after(async () => {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
    rmSync(dir, { recursive: true, force: true })
  })

  test('CA file, server name and client certificate', async () => {
    const c = new ConsulClient({ address: `127.0.0.1:${port}`, ssl: true, tls: {
      caFile: join(dir, 'ca.pem'), serverName: 'consul.test',
      certFile: join(dir, 'client.pem'), keyFile: join(dir, 'client.key'),
    } })
    try {
      const got = await c.query('/v1/catalog/datacenters')
      assert.deepEqual(got.body, ['dc1'])
      assert.equal(peers.at(-1), 'ctmpl')
    } finally {
      await c.close()
    }
  })

  test('CA directory', async () => {
    const caDir = join(dir, 'cas')
    mkdirSync(caDir, { recursive: true })
    writeFileSync(join(caDir, 'a.pem'), readFileSync(join(dir, 'ca.pem')))
    writeFileSync(join(caDir, 'notes.txt'), 'not a certificate')
    const c = new ConsulClient({ address: `https://127.0.0.1:${port}`,
      tls: { caPath: caDir, serverName: 'consul.test' } })
    try {
      assert.deepEqual((await c.query('/v1/catalog/datacenters')).body, ['dc1'])
    } finally {
      await c.close()
    }
  })

  test('wrong server name is refused', async () => {
    const c = new ConsulClient({ address: `https://127.0.0.1:${port}`,
      tls: { caFile: join(dir, 'ca.pem'), serverName: 'other.test' } })
    try {
      await assert.rejects(c.query('/v1/catalog/datacenters'), (err) => {
        assert.ok(err instanceof ConsulError)
        assert.equal(err.code, 'ECONSUL_TRANSPORT')
        return true
      })
    } finally {
      await c.close()
    }
  })

  test('verify off accepts an unknown CA', async () => {
    const c = new ConsulClient({ address: `https://127.0.0.1:${port}`,
      tls: { verify: false } })
    try {
      assert.deepEqual((await c.query('/v1/catalog/datacenters')).body, ['dc1'])
    } finally {
      await c.close()
    }
  })

  test('cert without key is a config error', () => {
    assert.throws(() => new ConsulClient({ address: `127.0.0.1:${port}`,
      tls: { certFile: join(dir, 'client.pem') } }), { code: 'ECONSUL_CONFIG' })
  })
})
