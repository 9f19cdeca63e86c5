import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConsulError } from '../../src/consul/index.ts'
import {
  CatalogNode, DependencyError, HealthCheck, HealthService, goSliceType, parseCatalogNode,
  parseCatalogNodes, parseCatalogServices, parseHealthService, parseKVGet, parseKVList,
  aggregatedStatus, shapeHealthEntries, datacentersDependency, compareGo,
} from '../../src/dependency/index.ts'
import { goTypeName, missingKeyValue } from '../../src/template/value.ts'
import { FakeReader, firstFetch } from './fake-reader.ts'

function entry(node: string, id: string, checks: [string, string][],
  svc: Record<string, unknown> = {}): unknown {
  return {
    Node: { ID: `id-${node}`, Node: node, Address: `10.0.0.${node.length}`,
      Datacenter: 'dc1', TaggedAddresses: { lan: '10.0.0.1' }, Meta: null },
    Service: { ID: id, Service: 'web', Tags: ['z', 'a', 'M'], Address: '', Port: 8080,
      Meta: { version: '1' }, Weights: { Passing: 1, Warning: 1 },
      TaggedAddresses: { lan_ipv4: { Address: '10.1.1.1', Port: 80 },
        wan: { address: '1.2.3.4', port: 81 } }, ...svc },
    Checks: checks.map(([CheckID, Status]) => ({ Node: node, CheckID, Status,
      ServiceTags: [], Definition: {} })),
  }
}

describe('health.service shaping', () => {
  const entries = [
    entry('node-b', 'web-2', [['serfHealth', 'passing'], ['service:web-2', 'warning']]),
    entry('node-a', 'web-9', [['serfHealth', 'passing']], { Address: '192.168.0.9' }),
    entry('node-a', 'web-1', [['serfHealth', 'critical']]),
    entry('node-c', 'web-3', [['_node_maintenance', 'critical'], ['x', 'passing']]),
    entry('node-d', 'web-4', []),
  ]

  test('default filter keeps passing and no-check entries, sorted', () => {
    const got = shapeHealthEntries(entries, ['passing'])
    assert.deepEqual(got.map((s) => `${s.Node}/${s.ID}/${s.Status}`),
      ['node-a/web-9/passing', 'node-d/web-4/passing'])
  })

  test('any keeps all, sorted by node then ID', () => {
    const got = shapeHealthEntries(entries, ['any'])
    assert.deepEqual(got.map((s) => `${s.Node}/${s.ID}/${s.Status}`), [
      'node-a/web-1/critical', 'node-a/web-9/passing', 'node-b/web-2/warning',
      'node-c/web-3/maintenance', 'node-d/web-4/passing'])
  })

  test('near keeps the agent order', () => {
    const got = shapeHealthEntries(entries, ['any'], false)
    assert.deepEqual(got.map((s) => s.ID), ['web-2', 'web-9', 'web-1', 'web-3', 'web-4'])
  })

  test('fields, address fallback and Go types', () => {
    const [a, b] = shapeHealthEntries(entries, ['passing', 'warning'])
    assert.ok(a instanceof HealthService && b instanceof HealthService)
    assert.deepEqual(Object.keys(a), ['Node', 'NodeID', 'NodeAddress', 'NodeTaggedAddresses',
      'NodeMeta', 'ServiceMeta', 'Address', 'ServiceTaggedAddresses', 'ID', 'Name', 'Tags',
      'Checks', 'Status', 'Port', 'Weights'])
    assert.equal(a.Address, '192.168.0.9')
    assert.equal(b.Address, b.NodeAddress)
    assert.deepEqual([...a.Tags], ['M', 'a', 'z'])
    assert.equal((a.Tags as unknown as Record<symbol, string>)[goSliceType],
      'dependency.ServiceTags')
    assert.equal((a.Checks as unknown as Record<symbol, string>)[goSliceType],
      'api.HealthChecks')
    assert.equal(a.Port, 8080)
    assert.equal(a.Weights.Passing, 1)
    assert.equal(a.ServiceMeta.version, '1')
    assert.equal(missingKeyValue(a.NodeMeta), '')
    assert.equal(a.ServiceTaggedAddresses.wan!.Address, '1.2.3.4')
    assert.equal(a.ServiceTaggedAddresses.wan!.Port, 81)
    assert.equal(goTypeName(a), '*dependency.HealthService')
    assert.ok(a.Checks[0] instanceof HealthCheck)
  })

  test('tags sort byte-wise', () => {
    assert.ok(compareGo('\uffff', '\u{10000}') < 0)
    assert.ok(compareGo('B', 'a') < 0)
    assert.ok(compareGo('a', 'ab') < 0)
  })
})

describe('aggregated status', () => {
  const cases: { name: string; checks: [string, string][]; want: string }[] = [
    { name: 'none', checks: [], want: 'passing' },
    { name: 'worst wins', checks: [['a', 'passing'], ['b', 'critical'], ['c', 'warning']],
      want: 'critical' },
    { name: 'warning', checks: [['a', 'passing'], ['b', 'warning']], want: 'warning' },
    { name: 'node maintenance', checks: [['_node_maintenance', 'critical']],
      want: 'maintenance' },
    { name: 'service maintenance', checks: [['_service_maintenance:web', 'critical'],
      ['b', 'critical']], want: 'maintenance' },
    { name: 'unknown status', checks: [['a', 'passing'], ['b', 'weird']], want: '' },
  ]
  for (const c of cases) {
    test(c.name, () => {
      const checks = c.checks.map(([CheckID, Status]) => HealthCheck.from({ CheckID, Status }))
      assert.equal(aggregatedStatus(checks), c.want)
    })
  }
})

describe('fetches', () => {
  test('service sends tag, passing, dc, near, stale and index', async () => {
    const r = new FakeReader({ '/v1/health/service/web': { body: [], index: 7 } })
    const got = await parseHealthService('blue.web@dc2~n1').fetch({ consul: r },
      { ...firstFetch(), index: 3 })
    assert.deepEqual(got, { data: [], index: 7, lastContactMs: 0 })
    const q = r.calls[0]!.q
    assert.deepEqual(q.params, [['tag', 'blue'], ['passing', '1']])
    assert.equal(q.dc, 'dc2')
    assert.equal(q.near, 'n1')
    assert.equal(q.stale, true)
    assert.equal(q.index, 3)
    assert.equal(q.waitMs, 60_000)
  })

  test('cachedHealth asks the agent cache', async () => {
    const r = new FakeReader({ '/v1/health/service/web': { body: [] } })
    await parseHealthService('web').fetch({ consul: r, cachedHealth: true }, firstFetch())
    assert.equal(r.calls[0]!.q.cached, true)
  })

  test('non-default filter does not ask for passing', async () => {
    const r = new FakeReader({ '/v1/health/connect/web': { body: [] } })
    await parseHealthService('web|passing,warning', true).fetch({ consul: r }, firstFetch())
    assert.deepEqual(r.calls[0]!.q.params, [])
  })

  test('errors are wrapped with the key', async () => {
    const r = new FakeReader({ '/v1/catalog/nodes':
      new ConsulError('Unexpected response code: 500 (boom)', 'ECONSUL_STATUS') })
    await assert.rejects(parseCatalogNodes('').fetch({ consul: r }, firstFetch()), (e) => {
      assert.ok(e instanceof DependencyError)
      assert.equal(e.message, 'catalog.nodes: Unexpected response code: 500 (boom)')
      assert.equal(e.dependency, 'catalog.nodes')
      return true
    })
  })

  test('the same bytes are not parsed or shaped twice', async () => {
    const text = JSON.stringify([{ Node: { Node: 'n' }, Service: { ID: 'a' }, Checks: [] }])
    let parses = 0
    const answer = () => ({
      text, meta: { status: 200, index: 3, lastContactMs: 0, knownLeader: true },
      get body() { parses++; return JSON.parse(text) },
    })
    const r = new FakeReader({ '/v1/health/service/web': answer })
    const dep = parseHealthService('web')
    const opts = firstFetch()
    const a = await dep.fetch({ consul: r }, opts)
    const b = await dep.fetch({ consul: r }, { ...opts, index: 3 })
    assert.equal(a.data, b.data)
    assert.equal(parses, 1)
  })

  test('undecodable bodies fail with the key', async () => {
    const r = new FakeReader({ '/v1/catalog/nodes': () => ({
      text: '{x', meta: { status: 200, index: 1, lastContactMs: 0, knownLeader: true },
      get body(): unknown { throw new ConsulError('decoding: bad', 'ECONSUL_DECODE') },
    }) })
    await assert.rejects(parseCatalogNodes('').fetch({ consul: r }, firstFetch()),
      { message: 'catalog.nodes: decoding: bad' })
  })

  test('services become sorted snippets', async () => {
    const r = new FakeReader({ '/v1/catalog/services':
      { body: { web: ['b', 'a'], consul: [], api: null } } })
    const got = await parseCatalogServices('').fetch({ consul: r }, firstFetch())
    assert.deepEqual(got.data.map((s) => [s.Name, [...s.Tags]]),
      [['api', []], ['consul', []], ['web', ['a', 'b']]])
  })

  test('nodes sorted by name then address', async () => {
    const body = [
      { Node: 'b', Address: '2' }, { Node: 'a', Address: '9' }, { Node: 'a', Address: '1' }]
    const r = new FakeReader({ '/v1/catalog/nodes': { body } })
    const got = await parseCatalogNodes('').fetch({ consul: r }, firstFetch())
    assert.deepEqual(got.data.map((n) => n.Node + n.Address), ['a1', 'a9', 'b2'])
    assert.deepEqual(Object.keys(got.data[0]!),
      ['ID', 'Node', 'Address', 'Datacenter', 'TaggedAddresses', 'Meta'])
  })

  test('node without a name asks the agent first', async () => {
    const body = {
      Node: { ID: 'x', Node: 'self-node', Address: '127.0.0.1' },
      Services: {
        'web-2': { ID: 'web-2', Service: 'web', Tags: ['b', 'a'], Port: 2 },
        'api': { ID: 'api', Service: 'api', Tags: null, Port: 1 },
        'web-1': { ID: 'web-1', Service: 'web', Port: 3, EnableTagOverride: true },
      },
    }
    const r = new FakeReader({
      '/v1/agent/self': { body: { Config: { NodeName: 'self-node' } } },
      '/v1/catalog/node/self-node': { body, index: 12 },
    })
    const got = await parseCatalogNode('').fetch({ consul: r }, firstFetch())
    assert.deepEqual(r.calls.map((c) => c.path),
      ['/v1/agent/self', '/v1/catalog/node/self-node'])
    assert.equal(got.data.Node!.Node, 'self-node')
    assert.deepEqual(got.data.Services.map((s) => s.ID), ['api', 'web-1', 'web-2'])
    assert.deepEqual([...got.data.Services[2]!.Tags], ['a', 'b'])
    assert.equal(got.data.Services[1]!.EnableTagOverride, true)
  })

  test('unknown node is an empty CatalogNode', async () => {
    const r = new FakeReader({ '/v1/catalog/node/nope': { body: null } })
    const got = await parseCatalogNode('nope').fetch({ consul: r }, firstFetch())
    assert.ok(got.data instanceof CatalogNode)
    assert.equal(got.data.Node, null)
    assert.deepEqual(got.data.Services, [])
  })

  test('kv.get decodes, 404 is null, kv.block says blockOnNil', async () => {
    const r = new FakeReader({
      '/v1/kv/app/x': { body: [{ Key: 'app/x', Value: Buffer.from('héllo').toString('base64') }] },
      '/v1/kv/app/empty': { body: [{ Key: 'app/empty', Value: null }] },
      '/v1/kv/app/none': { body: null, index: 44 },
    })
    const ctx = { consul: r }
    assert.equal((await parseKVGet('/app/x').fetch(ctx, firstFetch())).data, 'héllo')
    assert.equal((await parseKVGet('app/empty').fetch(ctx, firstFetch())).data, '')
    const none = await parseKVGet('app/none', true).fetch(ctx, firstFetch())
    assert.deepEqual(none, { data: null, index: 44, lastContactMs: 0, blockOnNil: true })
    assert.equal(r.calls[0]!.q.notFoundOk, true)
  })

  test('kv.list trims the prefix string and leading slashes', async () => {
    const body = ['app', 'app/', 'app/a', 'app/b/c', 'app//d', 'apple/x'].map((Key, i) =>
      ({ Key, Value: Buffer.from(`v${i}`).toString('base64'), CreateIndex: i, ModifyIndex: i,
        LockIndex: 0, Flags: 3, Session: i === 2 ? 'sess' : undefined }))
    const r = new FakeReader({ '/v1/kv/app': { body } })
    const got = await parseKVList('app').fetch({ consul: r }, firstFetch())
    assert.deepEqual(r.calls[0]!.q.params, [['recurse', '']])
    assert.deepEqual(got.data.map((p) => [p.Path, p.Key, p.Value]), [
      ['app', '', 'v0'], ['app/', '', 'v1'], ['app/a', 'a', 'v2'], ['app/b/c', 'b/c', 'v3'],
      ['app//d', 'd', 'v4'], ['apple/x', 'le/x', 'v5']])
    assert.equal(got.data[2]!.Session, 'sess')
    assert.equal(got.data[2]!.Flags, 3)
    assert.deepEqual(Object.keys(got.data[0]!), ['Path', 'Key', 'Value', 'CreateIndex',
      'ModifyIndex', 'LockIndex', 'Flags', 'Session'])
  })

  test('kv.list 404 is an empty list', async () => {
    const r = new FakeReader({ '/v1/kv/none': { body: null } })
    assert.deepEqual((await parseKVList('none').fetch({ consul: r }, firstFetch())).data, [])
  })

  test('datacenters: sorted, no query options, failing ones dropped', async () => {
    const r = new FakeReader({
      '/v1/catalog/datacenters': { body: ['dc2', 'dc1', 'dc3'] },
      '/v1/catalog/services': (q) => {
        if (q.dc === 'dc3') throw new ConsulError('No path to datacenter', 'ECONSUL_STATUS')
        return { body: {}, meta: { status: 200, index: 1, lastContactMs: 0, knownLeader: true } }
      },
    })
    const ctx = { consul: r }
    const plain = await datacentersDependency(false).fetch(ctx, firstFetch())
    assert.deepEqual(plain.data, ['dc1', 'dc2', 'dc3'])
    assert.deepEqual(r.calls[0]!.q, { signal: r.calls[0]!.q.signal })
    const ignoring = await datacentersDependency(true).fetch(ctx, firstFetch())
    assert.deepEqual(ignoring.data, ['dc1', 'dc2'])
    assert.equal(r.calls.at(-1)!.q.consistent, true)
  })

  test('datacenters sleeps before every call but the first', async () => {
    const r = new FakeReader({ '/v1/catalog/datacenters': { body: ['dc1'] } })
    const ctx = { consul: r, timings: { nonBlockingSleepMs: 80 } }
    const t0 = Date.now()
    const first = await datacentersDependency(false).fetch(ctx, firstFetch())
    assert.ok(Date.now() - t0 < 60)
    const t1 = Date.now()
    const second = await datacentersDependency(false).fetch(ctx,
      { ...firstFetch(), index: first.index })
    assert.ok(Date.now() - t1 >= 75)
    assert.ok(second.index > first.index)
  })
})
