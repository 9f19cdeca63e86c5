// The HTTP front: unknown paths, Enterprise-only parameters, datacenters,
// ACL tokens, the per-client connection limit, counters, pretty JSON, and
// that junk input never takes the server down.
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { describe, test } from 'node:test'
import { startDevAgent } from '../../src/devagent/index.ts'
import { call, sleep, useAgent } from './helpers.ts'

const { agent, get, put } = useAgent()

describe('http front', () => {
  test('unknown paths get Consul 404 texts', async () => {
    const v1 = await get('/v1/nothing/here')
    assert.equal(v1.status, 404)
    assert.equal(v1.text, 'Invalid URL path: not a recognized HTTP API endpoint\n')
    const other = await get('/elsewhere')
    assert.equal(other.status, 404)
    assert.match(other.text, /ensure the path starts with '\/v1\/'/)
  })

  test('OPTIONS lists the allowed methods', async () => {
    const r = await call(agent().url, 'OPTIONS', '/v1/kv/x')
    assert.equal(r.status, 200)
    assert.equal(r.headers['allow'], 'OPTIONS,GET,PUT,DELETE')
  })

  test('ns and partition are Enterprise-only; another dc has no path', async () => {
    const ns = await get('/v1/catalog/services?ns=default')
    assert.equal(ns.status, 400)
    assert.equal(ns.text,
      'Invalid query parameter: "ns" - Namespaces are a Consul Enterprise feature')
    const part = await get('/v1/kv/a?partition=x')
    assert.equal(part.status, 400)
    const dc = await get('/v1/catalog/services?dc=dc9')
    assert.equal(dc.status, 500)
    assert.equal(dc.text, 'No path to datacenter')
    assert.equal((await get('/v1/catalog/services?dc=dc1')).status, 200)
  })

  test('pretty prints with four spaces and a newline', async () => {
    const r = await get('/v1/catalog/services?pretty')
    assert.equal(r.text, '{\n    "consul": []\n}\n')
    agent().store.kvPut('p', 'v', { flags: '18446744073709551615' })
    const kv = await get('/v1/kv/p?pretty')
    assert.match(kv.text, /^\[\n {4}\{\n {8}"LockIndex": 0,\n/)
    assert.match(kv.text, /"Flags": 18446744073709551615,/)
    assert.deepEqual(JSON.parse(kv.text.replace(/\d{15,}/, '1'))[0].Key, 'p')
  })

  test('counters count requests, connections and bytes, and reset', async () => {
    const before = agent().stats()
    await get('/v1/status/leader')
    await get('/v1/status/leader')
    const r = await get('/_ctmpl/stats')
    const s = r.json()
    const key = 'GET /v1/status/leader'
    assert.equal(s.requests[key] - (before.requests[key] ?? 0), 2)
    assert.ok(s.connectionsOpened >= before.connectionsOpened + 3)
    assert.ok(s.bytesSent > before.bytesSent)
    assert.equal((await call(agent().url, 'POST', '/_ctmpl/reset-stats')).text, 'true')
    await sleep(20)
    const z = agent().stats()
    assert.deepEqual(z.requests, {})
    assert.ok(z.bytesSent < 1000)
  })

  test('junk never crashes the server', async () => {
    const paths = ['/v1/kv/%zz', '/v1/catalog/register', '/v1/agent/service/register',
      '/v1/session/create', '/v1/agent/check/update/x', '/v1/catalog/deregister']
    const bodies = ['', 'null', '[]', '"s"', '{"Node":[]}', '{"Service":5,"Node":"n"}',
      '{"Name":{"a":1}}', '{"Checks":"x","Name":"n"}', '\u0000\u00ff', '{"TTL":5}',
      '{"Node":"n","Address":"a","Service":{"Service":"s","Port":"80"}}']
    for (const p of paths) {
      for (const b of bodies) {
        const r = await put(p, b)
        assert.ok(r.status >= 200 && r.status < 600, `${p} ${b}`)
        if (r.status === 500) assert.doesNotMatch(r.text, /TypeError|undefined/, `${p} ${b}`)
      }
    }
    assert.equal((await get('/v1/status/leader')).status, 200)
  })
})

describe('acl token', () => {
  test('requests need the token; status endpoints do not', async () => {
    const a = await startDevAgent({ aclToken: 'secret' })
    try {
      const none = await call(a.url, 'GET', '/v1/catalog/services')
      assert.equal(none.status, 403)
      assert.equal(none.text, 'Permission denied')
      const wrong = await call(a.url, 'GET', '/v1/kv/x', undefined,
        { 'X-Consul-Token': 'nope' })
      assert.equal(wrong.status, 403)
      assert.equal(wrong.text, 'ACL not found')
      const hdr = await call(a.url, 'GET', '/v1/catalog/services', undefined,
        { 'X-Consul-Token': 'secret' })
      assert.equal(hdr.status, 200)
      assert.equal(hdr.headers['x-consul-default-acl-policy'], 'deny')
      const q = await call(a.url, 'GET', '/v1/catalog/services?token=secret')
      assert.equal(q.status, 200)
      const bearer = await call(a.url, 'GET', '/v1/catalog/services', undefined,
        { Authorization: 'Bearer secret' })
      assert.equal(bearer.status, 200)
      assert.equal((await call(a.url, 'GET', '/v1/status/leader')).status, 200)
    } finally {
      await a.stop()
    }
  })
})

describe('connection limit', () => {
  test('connections over the per-client limit get 429 and are closed', async () => {
    const a = await startDevAgent({ maxConnsPerClient: 3 })
    const socks: Socket[] = []
    try {
      for (let i = 0; i < 3; i++) {
        const s = connect(a.port, '127.0.0.1')
        await new Promise((r) => s.once('connect', r))
        socks.push(s)
      }
      await sleep(50)
      assert.equal(a.stats().connectionsHeld, 3)
      const extra = connect(a.port, '127.0.0.1')
      socks.push(extra)
      let got = ''
      extra.on('data', (d) => { got += d.toString() })
      await new Promise((r) => extra.once('close', r))
      assert.match(got, /^HTTP\/1\.1 429 Too Many Requests\r\n/)
      assert.equal(a.stats().connectionsRejected, 1)
      socks[0]!.destroy()
      await sleep(50)
      const ok = await call(a.url, 'GET', '/v1/status/leader')
      assert.equal(ok.status, 200)
    } finally {
      for (const s of socks) s.destroy()
      await a.stop()
    }
  })
})
