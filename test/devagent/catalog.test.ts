// /v1/catalog/*: shapes, ordering, index rules and error answers.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { useAgent } from './helpers.ts'

const { agent, get, put } = useAgent({ nodeName: 'agent-node' })

function register(node: string, id: string, name: string, extra: object = {}) {
  return put('/v1/catalog/register', {
    Node: node, Address: '10.0.0.1',
    Service: { ID: id, Service: name, Port: 80, ...extra },
  })
}

describe('catalog', () => {
  test('a fresh agent lists only the consul service', async () => {
    const r = await get('/v1/catalog/services')
    assert.equal(r.status, 200)
    assert.deepEqual(r.json(), { consul: [] })
    assert.ok(r.index >= 1)
    assert.equal(r.headers['x-consul-knownleader'], 'true')
    assert.equal(r.headers['x-consul-lastcontact'], '0')
    assert.equal(r.headers['content-type'], 'application/json')
  })

  test('register answers true and the service appears with its tags', async () => {
    const r = await register('Beta', 'web-b', 'web', { Tags: ['http', 'b'] })
    assert.equal(r.status, 200)
    assert.equal(r.text, 'true')
    await register('alpha', 'web-a', 'web', { Tags: ['http', 'a'] })
    await register('alpha', 'api-1', 'api')
    const s = (await get('/v1/catalog/services')).json()
    assert.deepEqual(Object.keys(s), ['api', 'consul', 'web'])
    assert.deepEqual([...s.web].sort(), ['a', 'b', 'http'])
    assert.deepEqual(s.api, [])
  })

  test('service/:name orders by node then ID and flattens the node', async () => {
    const r = await get('/v1/catalog/service/web')
    const body = r.json()
    assert.deepEqual(body.map((e: any) => [e.Node, e.ServiceID]),
      [['alpha', 'web-a'], ['Beta', 'web-b']])
    const e = body[0]
    assert.equal(e.Address, '10.0.0.1')
    assert.equal(e.Datacenter, 'dc1')
    assert.equal(e.ServiceName, 'web')
    assert.equal(e.ServicePort, 80)
    assert.deepEqual(e.ServiceWeights, { Passing: 1, Warning: 1 })
    assert.equal(e.ServiceAddress, '')
    assert.equal(typeof e.ID, 'string')
    assert.ok(e.CreateIndex > 0 && e.ModifyIndex >= e.CreateIndex)
    assert.equal(r.index, agent().store.catalog.serviceIndex('web', false, false))
  })

  test('tag filters are ANDed and case-insensitive; names too', async () => {
    const one = (await get('/v1/catalog/service/WEB?tag=HTTP&tag=a')).json()
    assert.deepEqual(one.map((e: any) => e.ServiceID), ['web-a'])
    const none = (await get('/v1/catalog/service/web?tag=a&tag=b')).json()
    assert.deepEqual(none, [])
  })

  test('unknown service is 200 [] and a missing name is 400', async () => {
    const r = await get('/v1/catalog/service/nope')
    assert.equal(r.status, 200)
    assert.equal(r.text, '[]')
    const bad = await get('/v1/catalog/service/')
    assert.equal(bad.status, 400)
    assert.equal(bad.text, 'Missing service name')
  })

  test('a write to another service leaves this service index alone', async () => {
    const before = (await get('/v1/catalog/service/web')).index
    await register('alpha', 'api-2', 'api')
    const after = await get('/v1/catalog/service/web')
    assert.equal(after.index, before)
    assert.ok(agent().store.index > before)
  })

  test('nodes are sorted case-insensitively; node-meta filters them', async () => {
    await put('/v1/catalog/register', {
      Node: 'gamma', Address: '10.0.0.3', NodeMeta: { rack: 'r9' },
    })
    const names = (await get('/v1/catalog/nodes')).json().map((n: any) => n.Node)
    assert.deepEqual(names, ['agent-node', 'alpha', 'Beta', 'gamma'])
    const meta = (await get('/v1/catalog/nodes?node-meta=rack:r9')).json()
    assert.deepEqual(meta.map((n: any) => n.Node), ['gamma'])
    assert.deepEqual(Object.keys(meta[0]), ['ID', 'Node', 'Address', 'Datacenter',
      'TaggedAddresses', 'Meta', 'CreateIndex', 'ModifyIndex'])
  })

  test('node/:node returns the node and its services by ID', async () => {
    const r = (await get('/v1/catalog/node/ALPHA')).json()
    assert.equal(r.Node.Node, 'alpha')
    assert.deepEqual(Object.keys(r.Services).sort(), ['api-1', 'api-2', 'web-a'])
    assert.equal(r.Services['web-a'].Service, 'web')
    assert.deepEqual(r.Services['web-a'].Tags, ['http', 'a'])
  })

  test('an unknown node is 200 null; a missing name is 400', async () => {
    const r = await get('/v1/catalog/node/nobody')
    assert.equal(r.status, 200)
    assert.equal(r.text, 'null')
    assert.ok(r.index >= 1)
    const bad = await get('/v1/catalog/node/')
    assert.equal(bad.status, 400)
    assert.equal(bad.text, 'Missing node name')
  })

  test('datacenters is a plain list without index headers', async () => {
    const r = await get('/v1/catalog/datacenters')
    assert.deepEqual(r.json(), ['dc1'])
    assert.equal(r.headers['x-consul-index'], undefined)
  })

  test('filter selects by service fields; a bad filter is 400', async () => {
    await register('gamma', 'web-g', 'web', { Meta: { version: '2' } })
    const r = await get('/v1/catalog/service/web?filter='
      + encodeURIComponent('ServiceMeta.version == "2"'))
    assert.deepEqual(r.json().map((e: any) => e.ServiceID), ['web-g'])
    const bad = await get('/v1/catalog/service/web?filter='
      + encodeURIComponent('ServiceMeta.version =='))
    assert.equal(bad.status, 400)
    assert.match(bad.text, /^Failed to create boolean expression evaluator/)
  })

  test('deregister removes a service, then a whole node', async () => {
    assert.equal((await put('/v1/catalog/deregister',
      { Node: 'gamma', ServiceID: 'web-g' })).text, 'true')
    const ids = (await get('/v1/catalog/service/web')).json().map((e: any) => e.ServiceID)
    assert.deepEqual(ids, ['web-a', 'web-b'])
    await put('/v1/catalog/deregister', { Node: 'alpha' })
    assert.equal((await get('/v1/catalog/node/alpha')).text, 'null')
    const svc = (await get('/v1/catalog/service/api')).json()
    assert.deepEqual(svc, [])
    assert.equal('api' in (await get('/v1/catalog/services')).json(), false)
  })

  test('an identical re-registration does not move the index', async () => {
    await register('Beta', 'web-b', 'web', { Tags: ['http', 'b'] })
    const before = agent().store.index
    await register('Beta', 'web-b', 'web', { Tags: ['http', 'b'] })
    assert.equal(agent().store.index, before)
  })

  test('bad bodies get Consul 400 answers', async () => {
    const noNode = await put('/v1/catalog/register', { Address: '1.2.3.4' })
    assert.equal(noNode.status, 400)
    assert.equal(noNode.text, 'Must provide node')
    const noAddr = await put('/v1/catalog/register', { Node: 'x' })
    assert.equal(noAddr.status, 400)
    assert.equal(noAddr.text, 'Must provide address')
    const junk = await put('/v1/catalog/register', '{nope')
    assert.equal(junk.status, 400)
    assert.match(junk.text, /^Request decode failed: /)
    const wrongType = await put('/v1/catalog/register', { Node: 5 })
    assert.equal(wrongType.status, 400)
  })

  test('wrong methods get 405 with an Allow header', async () => {
    const r = await put('/v1/catalog/services')
    assert.equal(r.status, 405)
    assert.equal(r.text, 'method PUT not allowed')
    assert.equal(r.headers['allow'], 'OPTIONS,GET')
  })
})
