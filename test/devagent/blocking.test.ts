// Blocking queries: a query at the current index waits; a write wakes only
// the queries whose data it changed; `wait` expiry returns the same index.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { describe, test } from 'node:test'
import { blockTimeoutMs } from '../../src/devagent/blocking.ts'
import type { Ctx } from '../../src/devagent/respond.ts'
import { startDevAgent } from '../../src/devagent/index.ts'
import { settledWithin, sleep, useAgent } from './helpers.ts'

const { agent, get } = useAgent()

describe('blocking queries', () => {
  test('setup', () => {
    const s = agent().store
    s.registerService({ Name: 'web', ID: 'web-1', Port: 80 })
    s.registerService({ Name: 'api', ID: 'api-1', Port: 81 })
    s.kvPut('app/a', '1')
    s.kvPut('other/a', '1')
  })

  test('a query at the current index waits until its service changes', async () => {
    const first = await get('/v1/health/service/web')
    const pending = get(`/v1/health/service/web?index=${first.index}&wait=10s`)
    assert.equal(await settledWithin(pending, 150), 'pending')
    agent().store.registerService({ Name: 'web', ID: 'web-2', Port: 82 })
    const r = await settledWithin(pending, 3000)
    assert.notEqual(r, 'pending')
    if (r === 'pending') return
    assert.ok(r.index > first.index)
    assert.equal(r.json().length, 2)
  })

  test('a change wakes exactly the queries whose data changed', async () => {
    const s = agent().store
    const web = await get('/v1/health/service/web')
    const api = await get('/v1/health/service/api')
    const app = await get('/v1/kv/app/?recurse')
    const key = await get('/v1/kv/app/a')
    const qs = {
      web: get(`/v1/health/service/web?index=${web.index}&wait=5s`),
      api: get(`/v1/health/service/api?index=${api.index}&wait=5s`),
      app: get(`/v1/kv/app/?recurse&index=${app.index}&wait=5s`),
      key: get(`/v1/kv/app/a?index=${key.index}&wait=5s`),
    }
    await sleep(100)
    assert.equal(agent().stats().blockedQueries, 4)

    // Unrelated writes: another prefix, another service's check.
    s.kvPut('other/b', '2')
    s.registerService({ Name: 'db', ID: 'db-1', Port: 5432 })
    await sleep(100)
    assert.equal(agent().stats().blockedQueries, 4)

    // A sibling key under app/ wakes the prefix watch, not the single key.
    s.kvPut('app/b', '2')
    const appRes = await settledWithin(qs.app, 3000)
    assert.notEqual(appRes, 'pending')
    await sleep(50)
    assert.equal(await settledWithin(qs.key, 10), 'pending')
    assert.equal(await settledWithin(qs.web, 10), 'pending')
    assert.equal(agent().stats().blockedQueries, 3)

    // A check on web wakes web only.
    s.registerCheck({ CheckID: 'web-ttl', Name: 'ttl', ServiceID: 'web-1',
      Status: 'passing' })
    const webRes = await settledWithin(qs.web, 3000)
    assert.notEqual(webRes, 'pending')
    if (webRes !== 'pending') assert.ok(webRes.index > web.index)
    assert.equal(await settledWithin(qs.api, 50), 'pending')

    s.kvPut('app/a', 'changed')
    s.registerService({ Name: 'api', ID: 'api-2', Port: 83 })
    for (const p of [qs.key, qs.api]) assert.notEqual(await settledWithin(p, 3000), 'pending')
    assert.equal(agent().stats().blockedQueries, 0)
  })

  test('wait expiry returns the same index after about `wait`', async () => {
    const first = await get('/v1/health/service/api')
    const t0 = Date.now()
    const r = await get(`/v1/health/service/api?index=${first.index}&wait=300ms`)
    const took = Date.now() - t0
    assert.equal(r.status, 200)
    assert.equal(r.index, first.index)
    assert.ok(took >= 290, `returned after ${took}ms`)
    assert.ok(took < 300 * 17 / 16 + 1000, `returned after ${took}ms`)
  })

  test('an unrelated write does not end the wait early', async () => {
    const first = await get('/v1/kv/app/a')
    const p = get(`/v1/kv/app/a?index=${first.index}&wait=400ms`)
    await sleep(50)
    agent().store.kvPut('other/c', 'x')
    assert.equal(await settledWithin(p, 200), 'pending')
    const r = await p
    assert.equal(r.index, first.index)
  })

  test('a missing key blocks until it is created', async () => {
    const miss = await get('/v1/kv/later')
    assert.equal(miss.status, 404)
    const p = get(`/v1/kv/later?index=${miss.index}&wait=5s`)
    assert.equal(await settledWithin(p, 100), 'pending')
    agent().store.kvPut('later', 'here')
    const r = await p
    assert.equal(r.status, 200)
    assert.equal(r.json()[0].Key, 'later')
  })

  test('an index from the future waits out `wait` and returns the lower index', async () => {
    const now = agent().store.index
    const r = await get(`/v1/catalog/services?index=${now + 1000}&wait=100ms`)
    assert.equal(r.status, 200)
    assert.ok(r.index <= now)
  })

  test('a deregistration wakes watchers of a service that goes away', async () => {
    const first = await get('/v1/health/service/db')
    const p = get(`/v1/health/service/db?index=${first.index}&wait=5s`)
    await sleep(50)
    agent().store.deregisterService('db-1')
    const r = await p
    assert.equal(r.text, '[]')
    assert.ok(r.index > first.index)
  })

  test('a client that hangs up releases its waiter', async () => {
    const first = await get('/v1/catalog/nodes')
    const req = request(`${agent().url}/v1/catalog/nodes?index=${first.index}&wait=30s`,
      { agent: false })
    req.on('error', () => {})
    req.end()
    await sleep(100)
    assert.equal(agent().stats().blockedQueries, 1)
    req.destroy()
    await sleep(100)
    assert.equal(agent().stats().blockedQueries, 0)
  })

  test('bad index, wait and consistency flags get 400', async () => {
    const cases: [string, string][] = [
      ['index=abc', 'Invalid index'],
      ['index=-1', 'Invalid index'],
      ['index=1&wait=soon', 'Invalid wait time'],
      ['stale&consistent', 'Cannot specify ?stale with ?consistent, conflicting semantics.'],
      ['max_stale=1s&consistent',
        'Cannot specify ?stale with ?consistent, conflicting semantics.'],
      ['max_stale=x', 'Invalid max_stale value "x"'],
    ]
    for (const [q, msg] of cases) {
      const r = await get(`/v1/catalog/services?${q}`)
      assert.equal(r.status, 400, q)
      assert.equal(r.text, msg, q)
    }
  })

  test('stale and consistent are accepted and reported', async () => {
    const s = await get('/v1/catalog/services?stale=')
    assert.equal(s.headers['x-consul-effective-consistency'], 'stale')
    const c = await get('/v1/catalog/services?consistent')
    assert.equal(c.headers['x-consul-effective-consistency'], 'consistent')
    const d = await get('/v1/catalog/services')
    assert.equal(d.headers['x-consul-effective-consistency'], 'leader')
  })

  test('the index header is never 0', async () => {
    const fresh = await startDevAgent()
    try {
      const r = await fetch(`${fresh.url}/v1/kv/nothing`)
      assert.equal(r.status, 404)
      assert.equal(r.headers.get('x-consul-index'), '1')
    } finally {
      await fresh.stop()
    }
  })

  test('wait defaults to 5m, is capped at 10m, and gets up to wait/16 jitter', () => {
    for (let i = 0; i < 200; i++) {
      const d = blockTimeoutMs(0)
      assert.ok(d >= 300_000 && d < 300_000 * 17 / 16)
      const c = blockTimeoutMs(3_600_000)
      assert.ok(c >= 600_000 && c < 600_000 * 17 / 16)
      const w = blockTimeoutMs(60_000)
      assert.ok(w >= 60_000 && w < 60_000 * 17 / 16)
    }
  })
})

describe('serveBlocking', () => {
  test('a query that fails on re-run answers 500 instead of throwing', async () => {
    const { EventEmitter } = await import('node:events')
    const { serveBlocking } = await import('../../src/devagent/blocking.ts')
    const { StateStore } = await import('../../src/devagent/state.ts')
    const store = new StateStore()
    const res = Object.assign(new EventEmitter(), {
      headersSent: false, destroyed: false, status: 0, body: '',
      writeHead(status: number) { this.status = status; this.headersSent = true },
      end(b: Buffer) { this.body = b.toString() },
    })
    let runs = 0
    const ctx = {
      req: {}, res, method: 'GET', rest: '', body: Buffer.alloc(0), store,
      pretty: false, baseHeaders: {},
      query: new URLSearchParams(`index=${store.index + 5}&wait=5s`),
    } as unknown as Ctx
    serveBlocking(ctx, () => {
      if (runs++ > 0) throw new Error('boom')
      return { index: 1, topics: ['kv:x'], body: [] }
    })
    store.kvPut('x', '1')
    await sleep(20)
    assert.equal(res.status, 500)
    assert.equal(res.body, 'boom')
    assert.equal(store.raft.hub.waiting, 0)
    store.close()
  })
})
