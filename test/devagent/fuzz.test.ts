// Property test: whatever method, path, query and body arrive, the agent
// answers with a status code (never a JavaScript error text) and stays up.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { call, useAgent } from './helpers.ts'

const { agent } = useAgent({ seed: { kv: { 'a/b': 'c' } } })

const paths = [
  '/v1/kv/', '/v1/kv/a/b', '/v1/catalog/register', '/v1/catalog/deregister',
  '/v1/catalog/service/', '/v1/catalog/node/', '/v1/health/service/',
  '/v1/health/state/', '/v1/health/checks/', '/v1/session/create',
  '/v1/session/renew/', '/v1/session/info/', '/v1/agent/service/register',
  '/v1/agent/check/register', '/v1/agent/check/update/', '/v1/agent/check/pass/',
  '/v1/agent/service/maintenance/', '/v1/agent/service/deregister/',
]
const params = ['index', 'wait', 'recurse', 'keys', 'separator', 'raw', 'cas',
  'acquire', 'release', 'flags', 'passing', 'tag', 'filter', 'near', 'stale',
  'consistent', 'enable', 'reason', 'node-meta', 'max_stale']

const request = fc.record({
  method: fc.constantFrom('GET', 'PUT', 'DELETE', 'POST'),
  path: fc.constantFrom(...paths),
  tail: fc.string({ maxLength: 12 }),
  query: fc.array(fc.tuple(fc.constantFrom(...params), fc.string({ maxLength: 8 })),
    { maxLength: 4 }),
  body: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 60 }),
    fc.json({ maxDepth: 3 })),
})

describe('fuzz', () => {
  test('random requests get HTTP answers, never crashes', async () => {
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const q = new URLSearchParams(r.query.map(([k, v]): [string, string] =>
        [k, k === 'wait' || k === 'index' ? v.slice(0, 3) : v]))
      // Keep blocking short: any index waits at most 20ms.
      if (q.has('index')) q.set('wait', '20ms')
      const path = r.path + encodeURIComponent(r.tail) + '?' + q.toString()
      const res = await call(agent().url, r.method, path, r.body)
      assert.ok(res.status >= 200 && res.status < 600)
      assert.doesNotMatch(res.text, /TypeError|ReferenceError|is not a function|of undefined/)
    }), { numRuns: 300 })
    const alive = await call(agent().url, 'GET', '/v1/status/leader')
    assert.equal(alive.text, '"127.0.0.1:8300"')
  })
})
