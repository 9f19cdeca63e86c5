import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ConsulClient } from '../../src/consul/index.ts'
import { parseHealthService, parseKVGet } from '../../src/dependency/index.ts'
import type { HealthService } from '../../src/dependency/index.ts'
import { silentLogger } from '../../src/shared/logger.ts'
import { Watcher } from '../../src/watch/index.ts'
import type { WatcherInput } from '../../src/watch/index.ts'
import { sendJSON, startFake } from '../consul/fake-server.ts'
import type { FakeServer } from '../consul/fake-server.ts'
import { until } from './fake-dependency.ts'

const entry = (id: string) => ({ Node: { Node: 'n1', Address: '10.0.0.1' },
  Service: { ID: id, Service: 'web', Port: 80 }, Checks: [] })

describe('view wire behaviour against a fault-injecting agent', () => {
  let fake: FakeServer
  let consul: ConsulClient
  const watchers: Watcher[] = []

  before(async () => {
    fake = await startFake((_req, res) => sendJSON(res, []))
    consul = new ConsulClient({ address: fake.address })
  })

  after(async () => {
    await Promise.all(watchers.map((w) => w.stop()))
    await consul.close()
    await fake.close()
  })

  function watch(over: Partial<WatcherInput> = {}) {
    const events: string[] = []
    const w = new Watcher({ context: { consul }, logger: silentLogger,
      retry: { enabled: true, attempts: 3, backoffMs: 10, maxBackoffMs: 100 },
      onData: (dep) => events.push(`data ${dep.key}`),
      onError: (err) => events.push(`fatal ${err.message}`),
      onServerError: (err) => events.push(`retry ${err.message}`), ...over })
    watchers.push(w)
    return { w, events }
  }

  test('sends the reference query strings', async () => {
    let n = 0
    fake.seen.length = 0
    fake.handler = (_req, res) => {
      n++
      if (n <= 2) return sendJSON(res, [entry(`web-${n}`)], 4 + n)
      // then hold the long-poll until the test ends
    }
    const { w } = watch()
    w.add(parseHealthService('web'))
    await until(() => fake.seen.length === 3)
    assert.deepEqual(fake.seen.map((s) => s.rawQuery), [
      'passing=1&stale=&wait=60000ms',
      'index=5&passing=1&stale=&wait=60000ms',
      'index=6&passing=1&stale=&wait=60000ms',
    ])
    const data = w.store.recall<HealthService[]>('health.service(web|passing)')!.data
    assert.equal(data[0]!.ID, 'web-2')
    await w.stop()
  })

  test('500s are retried with back-off and surfaced, then data flows', async () => {
    let n = 0
    fake.seen.length = 0
    fake.handler = (_req, res) => {
      n++
      if (n <= 2) {
        res.writeHead(500)
        return res.end('rpc error: No cluster leader')
      }
      if (n === 3) return sendJSON(res, [{ Key: 'k', Value: 'dg==' }], 9)
    }
    const { w, events } = watch()
    w.add(parseKVGet('k'))
    await until(() => events.includes('data kv.get(k)'))
    assert.deepEqual(events, [
      'retry kv.get(k): Unexpected response code: 500 (rpc error: No cluster leader)',
      'retry kv.get(k): Unexpected response code: 500 (rpc error: No cluster leader)',
      'data kv.get(k)',
    ])
    assert.ok(fake.seen[2]!.at - fake.seen[1]!.at >= 15)
    await w.stop()
  })

  test('dropped connections are retried; exhausting retries is fatal', async () => {
    fake.seen.length = 0
    fake.handler = (_req, res) => res.socket?.destroy()
    const { w, events } = watch()
    w.add(parseKVGet('gone'))
    await until(() => events.some((e) => e.startsWith('fatal')))
    assert.equal(events.filter((e) => e.startsWith('retry')).length, 4)
    assert.match(events.at(-1)!, new RegExp('^fatal kv\\.get\\(gone\\): Get ' +
      '"http://127\\.0\\.0\\.1:\\d+/v1/kv/gone\\?stale=&wait=60000ms": '))
    // undici may resend a GET whose socket closed before any answer.
    assert.ok(fake.seen.length >= 4 && fake.seen.length <= 8, String(fake.seen.length))
    await w.stop()
  })

  test('an index that goes backwards makes the next query non-blocking', async () => {
    const indexes = [20, 3, 4]
    fake.seen.length = 0
    fake.handler = (_req, res) => {
      const i = indexes.shift()
      if (i !== undefined) sendJSON(res, [{ Key: 'b', Value: null }], i)
    }
    const { w } = watch()
    w.add(parseKVGet('b'))
    await until(() => fake.seen.length === 4)
    assert.deepEqual(fake.seen.map((s) => s.query.get('index')), [null, '20', null, '4'])
    await w.stop()
  })

  test('an agent that always answers index 0 is polled at most ~10 times a second', async () => {
    fake.seen.length = 0
    fake.handler = (_req, res) => sendJSON(res, [], 0)
    const { w } = watch({ timings: {} })
    w.add(parseHealthService('zero'))
    await new Promise((r) => setTimeout(r, 550))
    await w.stop()
    const n = fake.seen.length
    assert.ok(n >= 4 && n <= 8, `${n} requests in 550 ms`)
    assert.ok(fake.seen.every((s) => s.query.get('index') === null))
  })

  test('an agent away for a while: retries bridge it and data resumes', async () => {
    let value = 'djE=' // v1
    const serve = (req: { query: URLSearchParams }, res: import('node:http').ServerResponse) => {
      if (req.query.get('index') === '7' && value === 'djE=') return // hold
      sendJSON(res, [{ Key: 'k', Value: value }], value === 'djE=' ? 7 : 8)
    }
    const first = await startFake(serve)
    const port = Number(first.address.split(':')[1])
    const client = new ConsulClient({ address: first.address })
    const { w, events } = watch({ context: { consul: client },
      retry: { enabled: true, attempts: 12, backoffMs: 20, maxBackoffMs: 200 } })
    try {
      w.add(parseKVGet('k'))
      await until(() => events.length === 1)
      await first.close() // the agent goes away, the long-poll breaks
      await until(() => events.filter((e) => e.startsWith('retry')).length >= 3)
      value = 'djI=' // v2, written while we could not see it
      const back = await startFake(serve, port)
      try {
        await until(() => w.store.recall('kv.get(k)')?.data === 'v2', 5_000)
        assert.ok(!events.some((e) => e.startsWith('fatal')), events.join('\n'))
      } finally {
        await w.stop()
        await back.close()
      }
    } finally {
      await client.close()
    }
  })

  test('once mode asks once per dependency', async () => {
    fake.seen.length = 0
    fake.handler = (_req, res) => sendJSON(res, [], 5)
    const { w, events } = watch({ once: true })
    w.add(parseHealthService('one'))
    await until(() => events.length === 1)
    await new Promise((r) => setTimeout(r, 50))
    assert.equal(fake.seen.length, 1)
    await w.stop()
  })
})
