// /v1/kv/*: reads, writes, deletes, locks and the index each returns.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { useAgent } from './helpers.ts'

const { agent, get, put, del } = useAgent()

describe('kv', () => {
  test('PUT answers true; GET returns one base64 entry', async () => {
    const w = await put('/v1/kv/app/name', 'demo')
    assert.equal(w.status, 200)
    assert.equal(w.text, 'true')
    const r = await get('/v1/kv/app/name')
    assert.equal(r.status, 200)
    const [e] = r.json()
    assert.deepEqual(Object.keys(e),
      ['LockIndex', 'Key', 'Flags', 'Value', 'CreateIndex', 'ModifyIndex'])
    assert.equal(e.Key, 'app/name')
    assert.equal(Buffer.from(e.Value, 'base64').toString(), 'demo')
    assert.equal(r.index, e.ModifyIndex)
  })

  test('a missing key is 404 with an empty body and index headers', async () => {
    const r = await get('/v1/kv/app/none')
    assert.equal(r.status, 404)
    assert.equal(r.text, '')
    assert.ok(r.index >= 1)
    assert.equal(r.headers['x-consul-knownleader'], 'true')
  })

  test('an empty value is null; raw returns the bytes as text/plain', async () => {
    await put('/v1/kv/app/empty', '')
    assert.equal((await get('/v1/kv/app/empty')).json()[0].Value, null)
    await put('/v1/kv/app/bin', Buffer.from([0, 255, 10]))
    const raw = await get('/v1/kv/app/bin?raw')
    assert.equal(raw.headers['content-type'], 'text/plain')
    assert.equal(raw.headers['x-content-type-options'], 'nosniff')
    assert.ok(raw.index >= 1)
    assert.deepEqual([...raw.body], [0, 255, 10])
    assert.equal(raw.headers['content-length'], '3')
  })

  test('flags keep 64-bit precision', async () => {
    const big = '3304740253564472344'
    await put(`/v1/kv/lock/key?flags=${big}`, 'x')
    const r = await get('/v1/kv/lock/key')
    assert.match(r.text, new RegExp(`"Flags":${big},`))
    const bad = await put('/v1/kv/lock/key?flags=abc', 'x')
    assert.equal(bad.status, 500)
  })

  test('recurse returns entries in key order; a plain prefix matches', async () => {
    await put('/v1/kv/app/config/b', '2')
    await put('/v1/kv/app/config/a', '1')
    await put('/v1/kv/apple', 'fruit')
    const keys = (await get('/v1/kv/app?recurse')).json().map((e: any) => e.Key)
    assert.deepEqual(keys, ['app/bin', 'app/config/a', 'app/config/b',
      'app/empty', 'app/name', 'apple'])
    const miss = await get('/v1/kv/zzz?recurse')
    assert.equal(miss.status, 404)
  })

  test('keys with a separator cut and de-duplicate', async () => {
    const r = await get('/v1/kv/app/?keys&separator=/')
    assert.deepEqual(r.json(), ['app/bin', 'app/config/', 'app/empty', 'app/name'])
    const all = await get('/v1/kv/?keys')
    assert.ok(all.json().includes('apple'))
    assert.equal((await get('/v1/kv/nothing/?keys')).status, 404)
  })

  test('a prefix index is the max ModifyIndex under it, deletes included', async () => {
    const before = (await get('/v1/kv/app/config/?recurse')).index
    await put('/v1/kv/other', 'x')
    assert.equal((await get('/v1/kv/app/config/?recurse')).index, before)
    await del('/v1/kv/app/config/a')
    const after = await get('/v1/kv/app/config/?recurse')
    assert.equal(after.index, agent().store.index)
    assert.deepEqual(after.json().map((e: any) => e.Key), ['app/config/b'])
  })

  test('an identical PUT is a no-op that keeps the index', async () => {
    const idx = agent().store.index
    await put('/v1/kv/app/name', 'demo')
    assert.equal(agent().store.index, idx)
  })

  test('cas: 0 creates only; >0 must match ModifyIndex', async () => {
    assert.equal((await put('/v1/kv/cas/k?cas=0', 'a')).text, 'true')
    assert.equal((await put('/v1/kv/cas/k?cas=0', 'b')).text, 'false')
    const mi = (await get('/v1/kv/cas/k')).json()[0].ModifyIndex
    assert.equal((await put(`/v1/kv/cas/k?cas=${mi + 100}`, 'c')).text, 'false')
    assert.equal((await put(`/v1/kv/cas/k?cas=${mi}`, 'c')).text, 'true')
    const mi2 = (await get('/v1/kv/cas/k')).json()[0].ModifyIndex
    assert.equal((await del(`/v1/kv/cas/k?cas=${mi}`)).text, 'false')
    assert.equal((await del(`/v1/kv/cas/k?cas=${mi2}`)).text, 'true')
    assert.equal((await get('/v1/kv/cas/k')).status, 404)
  })

  test('acquire and release follow the lock rules', async () => {
    const s1 = agent().store.createSession({ Name: 'one' }).ID
    const s2 = agent().store.createSession({ Name: 'two' }).ID
    assert.equal((await put(`/v1/kv/lk?acquire=${s1}`, 'v1')).text, 'true')
    let e = (await get('/v1/kv/lk')).json()[0]
    assert.equal(e.Session, s1)
    assert.equal(e.LockIndex, 1)
    assert.equal((await put(`/v1/kv/lk?acquire=${s2}`, 'v2')).text, 'false')
    assert.equal((await put(`/v1/kv/lk?acquire=${s1}`, 'v3')).text, 'true')
    e = (await get('/v1/kv/lk')).json()[0]
    assert.equal(e.LockIndex, 1)
    assert.equal(Buffer.from(e.Value, 'base64').toString(), 'v3')
    assert.equal((await put('/v1/kv/lk', 'plain')).text, 'true')
    assert.equal((await get('/v1/kv/lk')).json()[0].Session, s1)
    assert.equal((await put(`/v1/kv/lk?release=${s2}`, 'x')).text, 'false')
    assert.equal((await put(`/v1/kv/lk?release=${s1}`, 'x')).text, 'true')
    e = (await get('/v1/kv/lk')).json()[0]
    assert.equal(e.Session, undefined)
    assert.equal(e.LockIndex, 1)
    assert.equal((await put(`/v1/kv/lk?acquire=${s2}`, 'y')).text, 'true')
    assert.equal((await get('/v1/kv/lk')).json()[0].LockIndex, 2)
  })

  test('acquire with an unknown session is 500; combined flags are 400', async () => {
    const r = await put('/v1/kv/lk2?acquire=00000000-0000-0000-0000-000000000000', 'x')
    assert.equal(r.status, 500)
    assert.equal(r.text, 'invalid session "00000000-0000-0000-0000-000000000000"')
    const c = await put('/v1/kv/lk2?cas=0&release=abc', 'x')
    assert.equal(c.status, 400)
    assert.match(c.text, /^Conflicting flags/)
  })

  test('DELETE recurse removes a prefix; a missing key is still true', async () => {
    assert.equal((await del('/v1/kv/app?recurse')).text, 'true')
    assert.equal((await get('/v1/kv/app?recurse')).status, 404)
    assert.equal((await get('/v1/kv/apple')).status, 404)
    assert.equal((await del('/v1/kv/never')).text, 'true')
  })

  test('missing key names and oversize values are rejected', async () => {
    assert.equal((await put('/v1/kv/', 'x')).status, 400)
    assert.equal((await get('/v1/kv/')).status, 400)
    assert.equal((await del('/v1/kv/')).status, 400)
    const big = await put('/v1/kv/huge', Buffer.alloc(512 * 1024 + 1))
    assert.equal(big.status, 413)
    assert.equal((await get('/v1/kv/huge')).status, 404)
    const post = await put('/v1/kv/x?cas=abc', 'x')
    assert.equal(post.status, 400)
  })

  test('keys are case-sensitive and may contain escaped characters', async () => {
    await put('/v1/kv/Case/Key', 'upper')
    assert.equal((await get('/v1/kv/case/key')).status, 404)
    await put('/v1/kv/sp%20ace', 'spaced')
    const e = (await get('/v1/kv/sp%20ace')).json()[0]
    assert.equal(e.Key, 'sp ace')
  })
})
