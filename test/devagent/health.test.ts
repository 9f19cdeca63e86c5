// /v1/health/*: entries, check order, passing (with Consul's reordering),
// tags, filter, and the check listings.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { useAgent } from './helpers.ts'

const { agent, get } = useAgent({ nodeName: 'agent-node' })

describe('health', () => {
  test('setup: four web instances with service and node checks', () => {
    const s = agent().store
    for (const n of ['n1', 'n2', 'n3', 'n4']) {
      s.registerService({
        Name: 'web', ID: `web-${n}`, Node: n, NodeAddress: `10.0.0.${n[1]}`,
        Port: 8000 + Number(n[1]), Tags: n === 'n4' ? ['blue'] : ['http'],
        Checks: [{ CheckID: `svc-${n}`, Name: 'svc', Status: 'passing' }],
      })
      s.registerCheck({ CheckID: 'node-ok', Name: 'node', Status: 'passing' }, n)
    }
    s.registerService({ Name: 'portless', Node: 'n1' })
  })

  test('an entry holds Node, Service and node-then-service checks', async () => {
    const r = await get('/v1/health/service/web')
    assert.equal(r.status, 200)
    const body = r.json()
    assert.deepEqual(body.map((e: any) => e.Service.ID),
      ['web-n1', 'web-n2', 'web-n3', 'web-n4'])
    const e = body[0]
    assert.deepEqual(Object.keys(e), ['Node', 'Service', 'Checks'])
    assert.equal(e.Node.Node, 'n1')
    assert.equal(e.Node.Address, '10.0.0.1')
    assert.equal(e.Service.Port, 8001)
    assert.deepEqual(e.Checks.map((c: any) => c.CheckID), ['node-ok', 'svc-n1'])
    assert.equal(e.Checks[0].ServiceID, '')
    assert.equal(e.Checks[1].ServiceName, 'web')
    assert.deepEqual(e.Checks[1].ServiceTags, ['http'])
    assert.equal(r.index, agent().store.catalog.serviceIndex('web'))
  })

  test('a zero port is omitted as Consul does', async () => {
    const e = (await get('/v1/health/service/portless')).json()[0]
    assert.equal('Port' in e.Service, false)
    assert.deepEqual(e.Checks.map((c: any) => c.CheckID), ['node-ok'])
  })

  test('passing drops any entry with a non-passing check, moving the last in', async () => {
    agent().store.setCheckStatus('svc-n2', 'warning', '', 'n2')
    const ids = (await get('/v1/health/service/web?passing')).json()
      .map((e: any) => e.Service.ID)
    assert.deepEqual(ids, ['web-n1', 'web-n4', 'web-n3'])
    const all = (await get('/v1/health/service/web?passing=false')).json()
    assert.equal(all.length, 4)
    const one = (await get('/v1/health/service/web?passing=1')).json()
    assert.equal(one.length, 3)
  })

  test('a node-level critical check removes every instance on the node', async () => {
    agent().store.setCheckStatus('node-ok', 'critical', 'down', 'n3')
    const ids = (await get('/v1/health/service/web?passing')).json()
      .map((e: any) => e.Service.ID)
    assert.deepEqual(ids, ['web-n1', 'web-n4'])
  })

  test('bad passing value is 400', async () => {
    const r = await get('/v1/health/service/web?passing=maybe')
    assert.equal(r.status, 400)
    assert.equal(r.text, 'Invalid value for ?passing')
  })

  test('tag and filter narrow the list; near is accepted', async () => {
    const tagged = (await get('/v1/health/service/web?tag=BLUE')).json()
    assert.deepEqual(tagged.map((e: any) => e.Service.ID), ['web-n4'])
    const f = encodeURIComponent('Node.Node == "n2" or Service.Port == 8001')
    const filtered = (await get(`/v1/health/service/web?filter=${f}`)).json()
    assert.deepEqual(filtered.map((e: any) => e.Service.ID), ['web-n1', 'web-n2'])
    const near = (await get('/v1/health/service/web?near=_agent')).json()
    assert.equal(near.length, 4)
  })

  test('unknown service is 200 []; missing name is 400', async () => {
    assert.equal((await get('/v1/health/service/ghost')).text, '[]')
    const r = await get('/v1/health/service/')
    assert.equal(r.status, 400)
    assert.equal(r.text, 'Missing service name')
  })

  test('checks/:service lists only service checks', async () => {
    const ids = (await get('/v1/health/checks/web')).json().map((c: any) => c.CheckID)
    assert.deepEqual(ids, ['svc-n1', 'svc-n2', 'svc-n3', 'svc-n4'])
  })

  test('node/:node lists the node checks in ID order', async () => {
    const r = (await get('/v1/health/node/n2')).json()
    assert.deepEqual(r.map((c: any) => c.CheckID), ['node-ok', 'svc-n2'])
  })

  test('state/:state filters by status; a bad state is 400', async () => {
    const warn = (await get('/v1/health/state/warning')).json()
    assert.deepEqual(warn.map((c: any) => `${c.Node}/${c.CheckID}`), ['n2/svc-n2'])
    const crit = (await get('/v1/health/state/critical')).json()
    assert.deepEqual(crit.map((c: any) => `${c.Node}/${c.CheckID}`), ['n3/node-ok'])
    const any = (await get('/v1/health/state/any')).json()
    assert.equal(any.length, 9)
    const bad = await get('/v1/health/state/bogus')
    assert.equal(bad.status, 400)
    assert.equal(bad.text, 'Bad check state')
  })

  test('connect lists proxies for the destination and native services', async () => {
    const s = agent().store
    s.registerService({
      Name: 'web-sidecar-proxy', ID: 'web-proxy', Node: 'n1', Port: 21000,
      Kind: 'connect-proxy', Proxy: { DestinationServiceName: 'web' },
    })
    s.registerService({ Name: 'native', Node: 'n1', Port: 9, Connect: { Native: true } })
    const web = (await get('/v1/health/connect/web')).json()
    assert.deepEqual(web.map((e: any) => e.Service.ID), ['web-proxy'])
    assert.equal(web[0].Service.Kind, 'connect-proxy')
    const native = (await get('/v1/health/connect/native')).json()
    assert.deepEqual(native.map((e: any) => e.Service.ID), ['native'])
    assert.equal((await get('/v1/health/connect/api')).text, '[]')
  })
})
