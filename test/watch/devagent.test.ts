import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ConsulClient } from '../../src/consul/index.ts'
import {
  parseCatalogNode, parseCatalogServices, parseHealthService, parseKVGet, parseKVList,
} from '../../src/dependency/index.ts'
import type {
  CatalogNode, CatalogSnippet, HealthService, KeyPair,
} from '../../src/dependency/index.ts'
import { startDevAgent } from '../../src/devagent/agent.ts'
import type { DevAgent } from '../../src/devagent/agent.ts'
import { silentLogger } from '../../src/shared/logger.ts'
import { Watcher } from '../../src/watch/index.ts'
import { until } from './fake-dependency.ts'

describe('views against the development agent', () => {
  let agent: DevAgent
  let consul: ConsulClient
  let watcher: Watcher
  const seen: string[] = []

  before(async () => {
    agent = await startDevAgent({ nodeName: 'dev-node' })
    consul = new ConsulClient({ address: agent.addr })
    watcher = new Watcher({ context: { consul }, logger: silentLogger,
      blockQueryWaitMs: 5_000, onData: (dep) => seen.push(dep.key),
      onError: (err) => seen.push(`fatal ${err.message}`) })
  })

  after(async () => {
    await watcher.stop()
    await consul.close()
    await agent.stop()
  })

  const recall = <T>(key: string) => watcher.store.recall<T>(key)?.data

  test('register, go critical, deregister', async () => {
    const dep = parseHealthService('web')
    watcher.add(dep)
    await until(() => recall<HealthService[]>(dep.key) !== undefined)
    assert.deepEqual(recall<HealthService[]>(dep.key), [])

    agent.store.registerService({ Name: 'web', ID: 'web-1', Port: 8080, Tags: ['b', 'a'],
      Checks: [{ CheckID: 'web-1-ttl', TTL: '60s', Status: 'passing' }] })
    await until(() => recall<HealthService[]>(dep.key)?.length === 1)
    const [svc] = recall<HealthService[]>(dep.key)!
    assert.equal(svc!.ID, 'web-1')
    assert.equal(svc!.Node, 'dev-node')
    assert.equal(svc!.Port, 8080)
    assert.deepEqual([...svc!.Tags], ['a', 'b'])
    assert.equal(svc!.Status, 'passing')

    agent.store.setCheckStatus('web-1-ttl', 'critical', 'down')
    await until(() => recall<HealthService[]>(dep.key)?.length === 0)

    const any = parseHealthService('web|any')
    watcher.add(any)
    await until(() => recall<HealthService[]>(any.key)?.length === 1)
    assert.equal(recall<HealthService[]>(any.key)![0]!.Status, 'critical')

    agent.store.deregisterService('web-1')
    await until(() => recall<HealthService[]>(any.key)?.length === 0)
  })

  test('services and the agent node', async () => {
    const services = parseCatalogServices('')
    const node = parseCatalogNode('')
    watcher.add(services)
    watcher.add(node)
    agent.store.registerService({ Name: 'api', ID: 'api-1', Port: 9000, Tags: ['v1'] })
    await until(() => (recall<CatalogSnippet[]>(services.key) ?? [])
      .some((s) => s.Name === 'api'))
    await until(() => (recall<CatalogNode>(node.key)?.Services ?? [])
      .some((s) => s.ID === 'api-1'))
    assert.equal(recall<CatalogNode>(node.key)!.Node!.Node, 'dev-node')
  })

  test('one connection per long-poll, reused across rounds', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => parseKVGet(`conn/k${i}`))
    const before = agent.stats().connectionsOpened
    const held = agent.stats().connectionsHeld
    for (const k of keys) watcher.add(k)
    await until(() => keys.every((k) => watcher.store.has(k.key)))
    await until(() => agent.stats().blockedQueries >= 30)
    // Every key changes: each view answers and blocks again on its socket.
    for (let i = 0; i < 30; i++) agent.store.kvPut(`conn/k${i}`, 'v')
    await until(() => keys.every((k) => recall(k.key) === 'v'))
    await until(() => agent.stats().blockedQueries >= 30)
    const opened = agent.stats().connectionsOpened - before
    assert.ok(opened <= 31, `${opened} connections for 30 views`)
    assert.ok(agent.stats().connectionsHeld - held <= 31)
    for (const k of keys) watcher.remove(k)
  })

  test('key blocks until it exists and keeps its value after delete', async () => {
    const block = parseKVGet('app/color', true)
    const exists = parseKVGet('app/color')
    const list = parseKVList('app')
    watcher.add(block)
    watcher.add(exists)
    watcher.add(list)
    await until(() => recall(exists.key) === null)
    assert.equal(watcher.store.has(block.key), false)

    agent.store.kvPut('app/color', 'blue')
    await until(() => recall(block.key) === 'blue' && recall(exists.key) === 'blue')
    await until(() => recall<KeyPair[]>(list.key)?.[0]?.Key === 'color')

    agent.store.kvDelete('app/color')
    await until(() => recall(exists.key) === null)
    assert.equal(recall(block.key), 'blue')
    assert.ok(!seen.some((s) => s.startsWith('fatal')), seen.join('\n'))
  })
})
