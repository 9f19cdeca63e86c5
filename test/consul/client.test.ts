import assert from 'node:assert/strict'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { ConsulClient, ConsulError, encodeQuery, parseAddress } from '../../src/consul/index.ts'
import { sendJSON, startFake } from './fake-server.ts'
import type { FakeServer } from './fake-server.ts'

describe('consul client', () => {
  let fake: FakeServer
  let client: ConsulClient
  const dir = mkdtempSync(join(tmpdir(), 'ctmpl-consul-'))

  before(async () => {
    fake = await startFake((_req, res) => sendJSON(res, []))
    client = new ConsulClient({ address: fake.address, token: 'secret-token' })
  })

  after(async () => {
    await client.close()
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('sends the Go client query string', async () => {
    fake.handler = (_req, res) => sendJSON(res, [], 7)
    await client.query('/v1/health/service/web', {
      index: 5, waitMs: 60_000, stale: true, dc: 'dc2', near: '_agent',
      params: [['tag', 'blue'], ['passing', '1']],
    })
    const seen = fake.seen.at(-1)!
    assert.equal(seen.path, '/v1/health/service/web')
    assert.equal(seen.rawQuery,
      'dc=dc2&index=5&near=_agent&passing=1&stale=&tag=blue&wait=60000ms')
    assert.equal(seen.headers['x-consul-token'], 'secret-token')
    assert.equal(seen.headers['authorization'], undefined)
  })

  test('cached is sent unless consistent', async () => {
    fake.handler = (_req, res) => sendJSON(res, [], 7)
    await client.query('/v1/health/service/web', { cached: true, index: 2, waitMs: 1000 })
    assert.equal(fake.seen.at(-1)!.rawQuery, 'cached=&index=2&wait=1000ms')
    await client.query('/v1/health/service/web', { cached: true, consistent: true })
    assert.equal(fake.seen.at(-1)!.rawQuery, 'consistent=')
  })

  test('first query sends no index', async () => {
    fake.handler = (_req, res) => sendJSON(res, [], 3)
    await client.query('/v1/catalog/nodes', { index: 0, waitMs: 60_000, stale: true })
    assert.equal(fake.seen.at(-1)!.rawQuery, 'stale=&wait=60000ms')
  })

  test('reads index, last contact and known leader', async () => {
    fake.handler = (_req, res) => sendJSON(res, { a: ['x'] }, 42, {
      'x-consul-lastcontact': '1500', 'x-consul-knownleader': 'true',
    })
    const got = await client.query<Record<string, string[]>>('/v1/catalog/services')
    assert.deepEqual(got.body, { a: ['x'] })
    assert.deepEqual(got.meta,
      { status: 200, index: 42, lastContactMs: 1500, knownLeader: true })
  })

  test('bad index header reads as 0', async () => {
    fake.handler = (_req, res) => sendJSON(res, [], undefined, { 'x-consul-index': 'x1' })
    const got = await client.query('/v1/catalog/nodes')
    assert.equal(got.meta.index, 0)
  })

  test('non-200 is a ConsulError with status, body and path', async () => {
    fake.handler = (_req, res) => {
      res.writeHead(403, { 'x-consul-index': '1' })
      res.end('ACL not found\n')
    }
    await assert.rejects(client.query('/v1/kv/app/x', { index: 3 }), (err) => {
      assert.ok(err instanceof ConsulError)
      assert.equal(err.code, 'ECONSUL_STATUS')
      assert.equal(err.status, 403)
      assert.equal(err.body, 'ACL not found')
      assert.equal(err.path, '/v1/kv/app/x')
      assert.equal(err.message, 'Unexpected response code: 403 (ACL not found)')
      assert.ok(!String(err.stack).includes('secret-token'))
      return true
    })
  })

  test('404 with notFoundOk is null data with the index', async () => {
    fake.handler = (_req, res) => {
      res.writeHead(404, { 'x-consul-index': '9' })
      res.end()
    }
    const got = await client.query('/v1/kv/missing', { notFoundOk: true })
    assert.equal(got.body, null)
    assert.equal(got.meta.index, 9)
    await assert.rejects(client.query('/v1/kv/missing'), { status: 404 })
  })

  test('bad JSON is ECONSUL_DECODE when the body is read', async () => {
    fake.handler = (_req, res) => { res.writeHead(200); res.end('{nope') }
    const got = await client.query('/v1/catalog/nodes')
    assert.equal(got.text, '{nope')
    assert.throws(() => got.body, { code: 'ECONSUL_DECODE' })
  })

  test('gzip bodies are decoded', async () => {
    fake.handler = (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'x-consul-index': '2' })
      res.end(gzipSync(JSON.stringify(['dc1', 'dc2'])))
    }
    const got = await client.query('/v1/catalog/datacenters')
    assert.deepEqual(got.body, ['dc1', 'dc2'])
  })

  test('keys are path-escaped as Go escapes them', async () => {
    fake.handler = (_req, res) => sendJSON(res, [], 1)
    await client.query('/v1/kv/a b/c%d:e@f', { notFoundOk: true })
    assert.equal(fake.seen.at(-1)!.path, '/v1/kv/a b/c%d:e@f')
  })

  test('an aborted blocking query ends at once', async () => {
    fake.handler = () => { /* never answers: a long-poll */ }
    const ac = new AbortController()
    const started = Date.now()
    const p = client.query('/v1/catalog/nodes', { index: 5, waitMs: 60_000, signal: ac.signal })
    setTimeout(() => ac.abort(), 50)
    await assert.rejects(p, (err: Error) => err.name === 'AbortError')
    assert.ok(Date.now() - started < 2_000)
  })

  test('a request that never answers times out', async () => {
    fake.handler = () => { /* silent */ }
    const c = new ConsulClient({ address: fake.address, requestTimeoutMs: 100 })
    try {
      await assert.rejects(c.query('/v1/catalog/nodes'), (err) => {
        assert.ok(err instanceof ConsulError)
        assert.equal(err.code, 'ECONSUL_TRANSPORT')
        assert.match(err.message, /^Get "http:\/\/127\.0\.0\.1:\d+\/v1\/catalog\/nodes": /)
        return true
      })
    } finally {
      await c.close()
    }
  })

  test('connection refused is ECONSUL_TRANSPORT', async () => {
    const gone = await startFake(() => {})
    const addr = gone.address
    await gone.close()
    const c = new ConsulClient({ address: addr })
    try {
      await assert.rejects(c.query('/v1/catalog/nodes'), { code: 'ECONSUL_TRANSPORT' })
    } finally {
      await c.close()
    }
  })

  test('basic auth and namespace', async () => {
    fake.handler = (_req, res) => sendJSON(res, [], 1)
    const c = new ConsulClient({ address: `http://${fake.address}`,
      auth: { username: 'u', password: 'p:w' }, namespace: 'team' })
    try {
      await c.query('/v1/catalog/nodes', { stale: true })
      const seen = fake.seen.at(-1)!
      assert.equal(seen.headers['authorization'],
        'Basic ' + Buffer.from('u:p:w').toString('base64'))
      assert.equal(seen.rawQuery, 'ns=team&stale=')
      assert.equal(seen.headers['x-consul-token'], undefined)
      await c.query('/v1/catalog/nodes', { ns: 'other' })
      assert.equal(fake.seen.at(-1)!.rawQuery, 'ns=other')
    } finally {
      await c.close()
    }
  })

  test('token file wins and is re-read when it changes', async () => {
    fake.handler = (_req, res) => sendJSON(res, [], 1)
    const file = join(dir, 'token')
    writeFileSync(file, '  first\n')
    const c = new ConsulClient({ address: fake.address, token: 'literal', tokenFile: file })
    try {
      await c.query('/v1/catalog/nodes')
      assert.equal(fake.seen.at(-1)!.headers['x-consul-token'], 'first')
      writeFileSync(file, 'second-token\n')
      await new Promise((r) => setTimeout(r, 1_100))
      await c.query('/v1/catalog/nodes')
      assert.equal(fake.seen.at(-1)!.headers['x-consul-token'], 'second-token')
    } finally {
      await c.close()
    }
  })

  test('a missing token file fails at construction', () => {
    assert.throws(() => new ConsulClient({ address: fake.address,
      tokenFile: join(dir, 'nope') }), { code: 'ECONSUL_CONFIG' })
  })

  test('diagnostics channels see requests without the token', async () => {
    fake.handler = (_req, res) => sendJSON(res, [], 11)
    const events: unknown[] = []
    const onMsg = (m: unknown) => events.push(m)
    subscribe('ctmpl:consul:request', onMsg)
    subscribe('ctmpl:consul:response', onMsg)
    try {
      await client.query('/v1/catalog/nodes', { stale: true })
    } finally {
      unsubscribe('ctmpl:consul:request', onMsg)
      unsubscribe('ctmpl:consul:response', onMsg)
    }
    assert.equal(events.length, 2)
    assert.deepEqual(events[0], { method: 'GET', path: '/v1/catalog/nodes', query: 'stale=' })
    assert.equal((events[1] as { index: number }).index, 11)
    assert.ok(!JSON.stringify(events).includes('secret'))
  })

  test('options are validated eagerly', () => {
    assert.throws(() => new ConsulClient({ address: fake.address, maxConnections: 0 }),
      /maxConnections must be a positive number/)
    assert.throws(() => new ConsulClient({ address: 'ftp://x' }),
      /Unknown protocol scheme: ftp/)
  })
})

describe('address and query helpers', () => {
  const cases = [
    { addr: '127.0.0.1:8500', ssl: false, origin: 'http://127.0.0.1:8500' },
    { addr: '127.0.0.1:8501', ssl: true, origin: 'https://127.0.0.1:8501' },
    { addr: 'https://c.example:8501/', ssl: false, origin: 'https://c.example:8501' },
    { addr: 'unix:///run/consul.sock', ssl: false, origin: 'http://localhost' },
    { addr: 'http://c:8501', ssl: true, origin: 'https://c:8501' },
    { addr: 'http://proxy:80/consul/', ssl: false, origin: 'http://proxy:80',
      prefix: '/consul' },
  ]
  for (const c of cases) {
    test(`address ${c.addr}`, () => {
      const ep = parseAddress(c.addr, c.ssl)
      assert.equal(ep.origin, c.origin)
      assert.equal(ep.pathPrefix, c.prefix ?? '')
    })
  }

  test('a path prefix is put before every request path', async () => {
    const fake = await startFake((_req, res) => sendJSON(res, [], 1))
    const c = new ConsulClient({ address: `http://${fake.address}/consul` })
    try {
      await c.query('/v1/catalog/nodes')
      assert.equal(fake.seen[0]!.path, '/consul/v1/catalog/nodes')
    } finally {
      await c.close()
      await fake.close()
    }
  })

  test('query encoding sorts keys and escapes as Go', () => {
    assert.equal(encodeQuery([['wait', '60000ms'], ['filter', 'Service.Tags contains "a b"'],
      ['stale', '']]), 'filter=Service.Tags+contains+%22a+b%22&stale=&wait=60000ms')
  })
})
