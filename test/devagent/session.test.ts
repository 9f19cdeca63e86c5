// /v1/session/*: create defaults and errors, renew, info, list, and what
// invalidation does to held locks (release or delete, then lock-delay).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { sleep, useAgent } from './helpers.ts'

const { agent, get, put } = useAgent({ nodeName: 'agent-node', sessionTtlMinMs: 100 })

async function create(body?: object): Promise<string> {
  const r = await put('/v1/session/create', body)
  assert.equal(r.status, 200, r.text)
  return r.json().ID
}

describe('sessions', () => {
  test('create applies Consul defaults', async () => {
    const id = await create()
    assert.match(id, /^[0-9a-f-]{36}$/)
    const r = await get(`/v1/session/info/${id}`)
    assert.ok(r.index >= 1)
    const [s] = r.json()
    assert.deepEqual(Object.keys(s), ['ID', 'Name', 'Node', 'LockDelay', 'Behavior',
      'TTL', 'NodeChecks', 'ServiceChecks', 'CreateIndex', 'ModifyIndex'])
    assert.equal(s.Node, 'agent-node')
    assert.equal(s.LockDelay, 15e9)
    assert.equal(s.Behavior, 'release')
    assert.equal(s.TTL, '')
    assert.deepEqual(s.NodeChecks, ['serfHealth'])
  })

  test('the dedup body (fractional TTL, 1ms lock delay) is accepted', async () => {
    const id = await create({ Name: 'Consul-Template de-duplication',
      Behavior: 'delete', TTL: '15.000000s', LockDelay: '1ms' })
    const [s] = (await get(`/v1/session/info/${id}`)).json()
    assert.equal(s.TTL, '15.000000s')
    assert.equal(s.LockDelay, 1e6)
    assert.equal(s.Behavior, 'delete')
    const renew = await put(`/v1/session/renew/${id}`)
    assert.equal(renew.status, 200)
    assert.equal(renew.json()[0].TTL, '15.000000s')
  })

  test('numeric lock delays under 1000 mean seconds', async () => {
    const id = await create({ LockDelay: 5 })
    assert.equal((await get(`/v1/session/info/${id}`)).json()[0].LockDelay, 5e9)
  })

  test('bad sessions are refused with Consul errors', async () => {
    const cases: [object | string, number, RegExp][] = [
      [{ TTL: '1ms' }, 500, /^Invalid Session TTL '1000000', must be between/],
      [{ Behavior: 'explode' }, 500, /^Invalid Behavior setting 'explode'/],
      [{ Node: 'nowhere' }, 500, /^Missing node registration/],
      [{ Checks: ['nope'] }, 500, /^Missing check 'nope' registration/],
      ['{bad', 400, /^Request decode failed/],
    ]
    for (const [body, status, msg] of cases) {
      const r = await put('/v1/session/create', body)
      assert.equal(r.status, status, JSON.stringify(body))
      assert.match(r.text, msg)
    }
  })

  test('renew of an unknown session is 404; info of one is []', async () => {
    const id = '11111111-2222-3333-4444-555555555555'
    const r = await put(`/v1/session/renew/${id}`)
    assert.equal(r.status, 404)
    assert.equal(r.text, `Session id '${id}' not found`)
    assert.equal((await get(`/v1/session/info/${id}`)).text, '[]')
    assert.equal((await put(`/v1/session/destroy/${id}`)).text, 'true')
    assert.equal((await put('/v1/session/destroy/not-a-uuid')).status, 500)
  })

  test('list and node/:node show live sessions', async () => {
    const all = (await get('/v1/session/list')).json()
    assert.ok(all.length >= 3)
    const mine = (await get('/v1/session/node/agent-node')).json()
    assert.equal(mine.length, all.length)
    assert.deepEqual((await get('/v1/session/node/other')).json(), [])
  })

  test('destroy releases held keys and starts the lock-delay', async () => {
    const a = await create({ LockDelay: '1s' })
    const b = await create()
    assert.equal((await put(`/v1/kv/locked?acquire=${a}`, 'x')).text, 'true')
    const info = get(`/v1/session/info/${a}?index=${agent().store.index}&wait=5s`)
    assert.equal((await put(`/v1/session/destroy/${a}`)).text, 'true')
    assert.equal((await info).text, '[]')
    const e = (await get('/v1/kv/locked')).json()[0]
    assert.equal(e.Session, undefined)
    assert.equal(e.LockIndex, 1)
    assert.equal((await put(`/v1/kv/locked?acquire=${b}`, 'y')).text, 'false')
    await sleep(1100)
    assert.equal((await put(`/v1/kv/locked?acquire=${b}`, 'y')).text, 'true')
  })

  test('a delete-behaviour session deletes its keys when it ends', async () => {
    const id = await create({ Behavior: 'delete', LockDelay: 0 })
    await put(`/v1/kv/dedup/data?acquire=${id}`, 'blob')
    await put(`/v1/session/destroy/${id}`)
    assert.equal((await get('/v1/kv/dedup/data')).status, 404)
  })

  test('a TTL session ends after twice its TTL unless renewed', async () => {
    // Expiry at 2 x 300ms; renewed at ~300ms, so alive at ~600ms, gone by ~1100ms.
    const id = await create({ TTL: '300ms', LockDelay: 0 })
    await put(`/v1/kv/ttl-lock?acquire=${id}`, 'x')
    await sleep(300)
    assert.equal((await put(`/v1/session/renew/${id}`)).status, 200)
    await sleep(300)
    assert.equal((await get(`/v1/session/info/${id}`)).json().length, 1)
    await sleep(500)
    assert.equal((await get(`/v1/session/info/${id}`)).text, '[]')
    assert.equal((await get('/v1/kv/ttl-lock')).json()[0].Session, undefined)
  })

  test('a linked check going critical ends the session', async () => {
    const s = agent().store
    s.registerCheck({ CheckID: 'guard', Name: 'guard', Status: 'passing' })
    const id = await create({ Checks: ['guard'] })
    const crit = await create({ Checks: [] })
    s.setCheckStatus('guard', 'critical')
    assert.equal((await get(`/v1/session/info/${id}`)).text, '[]')
    assert.equal((await get(`/v1/session/info/${crit}`)).json().length, 1)
    const refused = await put('/v1/session/create', { Checks: ['guard'] })
    assert.equal(refused.status, 500)
    assert.equal(refused.text, "Check 'guard' is in critical state")
  })
})
