// Seed files: the example loads, and mistakes name where they are.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { applySeed, loadSeedFile } from '../../src/devagent/seed.ts'
import { StateStore } from '../../src/devagent/state.ts'

describe('seed', () => {
  test('the demo catalog loads web, api, db and app/ keys', async () => {
    const s = new StateStore()
    await loadSeedFile(s, join(import.meta.dirname, '..', '..', 'examples',
      'demo-catalog.json'))
    assert.equal(s.catalog.instances('web').length, 3)
    assert.ok(s.catalog.instances('web').every((i) => i.svc.Tags.includes('http')))
    assert.equal(s.catalog.instances('api').length, 2)
    assert.ok(s.catalog.instances('db').every((i) => !i.svc.Tags.includes('http')))
    assert.deepEqual(s.kv.keys('app/', '/'), ['app/config/', 'app/maintenance', 'app/name'])
    s.close()
  })

  test('kv may be a list with flags', () => {
    const s = new StateStore()
    applySeed(s, { kv: [{ Key: 'a', Value: 'b', Flags: 7 }] })
    assert.equal(s.kvGet('a')?.Flags, '7')
    s.close()
  })

  const bad: [unknown, RegExp][] = [
    [[], /must be a JSON object/],
    [{ servers: [] }, /unknown section "servers"/],
    [{ nodes: {} }, /"nodes" must be a list/],
    [{ nodes: [{ Address: 'x' }] }, /nodes\[0\]: missing "Node"/],
    [{ services: [{ Node: 'n', Port: 1 }] }, /services\[0\]: Missing service name/],
    [{ services: [{ Name: 'x', Tags: 'http' }] }, /services\[0\]: .*Tags/],
    [{ kv: { a: 1 } }, /kv "a": value must be a string/],
  ]
  for (const [seed, msg] of bad) {
    test(`rejects ${JSON.stringify(seed)}`, () => {
      const s = new StateStore()
      assert.throws(() => applySeed(s, seed as Record<string, unknown>), msg)
      s.close()
    })
  }
})
