import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { FakeReader } from '../dependency/fake-reader.ts'
import { silentLogger } from '../../src/shared/logger.ts'
import type { Logger } from '../../src/shared/logger.ts'
import { Recorder, Store, Watcher } from '../../src/watch/index.ts'
import type { WatcherInput } from '../../src/watch/index.ts'
import { ScriptedDependency, until } from './fake-dependency.ts'

function watcher(over: Partial<WatcherInput> = {}) {
  const events: string[] = []
  const w = new Watcher({
    context: { consul: new FakeReader() }, logger: silentLogger,
    timings: { minDelayMs: 0, jitterMs: 0 },
    onData: (dep, data) => events.push(`data ${dep.key} ${JSON.stringify(data)}`),
    onError: (err, dep) => events.push(`fatal ${dep.key} ${err.message}`),
    onServerError: (err, dep) => events.push(`retry ${dep.key} ${err.message}`),
    ...over,
  })
  return { w, events }
}

describe('watcher', () => {
  test('one view per key, shared by every user', async () => {
    const { w, events } = watcher()
    const a = new ScriptedDependency('kv.get(a)', [{ data: 'x', index: 2 }])
    const a2 = new ScriptedDependency('kv.get(a)', [{ data: 'other', index: 3 }])
    try {
      assert.equal(w.add(a), true)
      assert.equal(w.add(a2), false)
      assert.equal(w.size, 1)
      await until(() => events.length === 1)
      assert.deepEqual(events, ['data kv.get(a) "x"'])
      assert.deepEqual(w.store.recall('kv.get(a)'), { data: 'x' })
      assert.equal(a2.seen.length, 0)
    } finally {
      await w.stop()
    }
  })

  test('remove stops the view and forgets its data', async () => {
    const { w, events } = watcher()
    const a = new ScriptedDependency('kv.get(a)', [{ data: 'x', index: 2 }])
    try {
      w.add(a)
      await until(() => events.length === 1 && a.seen.length === 2)
      assert.equal(w.remove('kv.get(a)'), true)
      assert.equal(w.remove(a), false)
      assert.equal(w.watching(a), false)
      assert.equal(w.store.has('kv.get(a)'), false)
      a.push({ data: 'late', index: 9 })
      await new Promise((r) => setTimeout(r, 20))
      assert.deepEqual(events, ['data kv.get(a) "x"'])
    } finally {
      await w.stop()
    }
  })

  test('retain keeps only the used keys', async () => {
    const { w } = watcher()
    try {
      for (const k of ['a', 'b', 'c']) w.add(new ScriptedDependency(k))
      assert.deepEqual(w.retain(new Set(['b'])), ['a', 'c'])
      assert.deepEqual(w.keys(), ['b'])
    } finally {
      await w.stop()
    }
  })

  test('consul errors are retried, local ones are fatal at once', async () => {
    const { w, events } = watcher({
      retry: { enabled: true, attempts: 1, backoffMs: 1, maxBackoffMs: 10 } })
    const remote = new ScriptedDependency('kv.get(r)', [
      { error: new Error('kv.get(r): down') }, { error: new Error('kv.get(r): down') }])
    const local = new ScriptedDependency('file(x)',
      [{ error: new Error('file(x): ENOENT') }], 'local')
    try {
      w.add(remote)
      w.add(local)
      await until(() => events.filter((e) => e.startsWith('fatal')).length === 2)
      assert.deepEqual(events.sort(), [
        'fatal file(x) file(x): ENOENT',
        'fatal kv.get(r) kv.get(r): down',
        'retry kv.get(r) kv.get(r): down',
        'retry kv.get(r) kv.get(r): down',
      ])
      assert.equal(w.size, 0)
    } finally {
      await w.stop()
    }
  })

  test('stop ends every long-poll at once and refuses new views', async () => {
    const { w } = watcher()
    const deps = Array.from({ length: 20 }, (_, i) => new ScriptedDependency(`d${i}`))
    for (const d of deps) w.add(d)
    await until(() => deps.every((d) => d.seen.length === 1))
    const t0 = Date.now()
    await w.stop()
    assert.ok(Date.now() - t0 < 200)
    assert.equal(w.add(new ScriptedDependency('late')), false)
    assert.equal(w.size, 0)
  })

  test('options are checked', () => {
    assert.throws(() => new Watcher({ context: { consul: new FakeReader() },
      logger: silentLogger, maxStaleMs: -1 }), /maxStaleMs must be a non-negative number/)
  })

  test('views log their decisions at trace level', async () => {
    const lines: string[] = []
    const rec: Logger = {
      trace: (m: unknown) => { lines.push(String(m)) },
      debug: () => {}, info: () => {}, warn: () => {}, error: () => {},
      child: () => rec,
    }
    const { w } = watcher({ logger: rec })
    const d = new ScriptedDependency('kv.get(t)', [
      { data: 1, index: 4 }, { data: 1, index: 4 }, { data: 1, index: 5 },
      { data: 1, index: 2 }])
    try {
      w.add(d)
      await until(() => d.seen.length === 5)
      for (const want of ['kv.get(t) received data',
        'kv.get(t) no new data (index was the same)',
        'kv.get(t) no new data (contents were the same)',
        'kv.get(t) had a lower index, resetting']) {
        assert.ok(lines.includes(want), `missing trace line ${JSON.stringify(want)}`)
      }
    } finally {
      await w.stop()
    }
  })
})

describe('recorder', () => {
  test('records used and missing in first-use order', () => {
    const store = new Store()
    const a = new ScriptedDependency('a')
    const b = new ScriptedDependency('b')
    store.remember('b', null)
    const r = new Recorder(store)
    assert.equal(r.recall(a), undefined)
    assert.deepEqual(r.recall(b), { data: null })
    r.recall(a)
    assert.deepEqual([...r.used.keys()], ['a', 'b'])
    assert.deepEqual([...r.missing.keys()], ['a'])
    assert.equal(r.complete, false)
    r.markMissing(b)
    assert.deepEqual([...r.missing.keys()], ['a', 'b'])
  })

  test('store version moves on change', () => {
    const s = new Store()
    const v0 = s.version
    s.remember('k', 1)
    s.forget('k')
    s.forget('k')
    assert.equal(s.version, v0 + 2)
  })
})
