import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { FakeReader } from '../dependency/fake-reader.ts'
import { silentLogger } from '../../src/shared/logger.ts'
import { View, retryFunc } from '../../src/watch/index.ts'
import type { ViewInput } from '../../src/watch/index.ts'
import { ScriptedDependency, until } from './fake-dependency.ts'
import type { Step } from './fake-dependency.ts'

const views: View[] = []
afterEach(async () => {
  await Promise.all(views.splice(0).map((v) => v.stop()))
})

interface Harness {
  view: View
  dep: ScriptedDependency
  delivered: unknown[]
  errors: { err: Error; fatal: boolean }[]
}

function harness(steps: Step[], over: Partial<ViewInput> = {}): Harness {
  const dep = new ScriptedDependency('test.dep', steps)
  const h: Harness = { view: undefined as unknown as View, dep, delivered: [], errors: [] }
  h.view = new View({
    dependency: dep, context: { consul: new FakeReader() },
    blockQueryWaitMs: 60_000, maxStaleMs: 2_000, once: false, errOnFailedLookup: false,
    retry: undefined, logger: silentLogger, timings: { minDelayMs: 0, jitterMs: 0 },
    onData: (v) => h.delivered.push(v.data),
    onError: (_v, err, fatal) => h.errors.push({ err, fatal }),
    ...over,
  })
  views.push(h.view)
  h.view.start()
  return h
}

describe('view loop', () => {
  test('delivers new data, skips same index and equal contents', async () => {
    const h = harness([
      { data: ['a'], index: 10 },
      { data: ['b'], index: 10 }, // same index: nothing changed
      { data: ['a'], index: 11 }, // new index, equal contents
      { data: ['c'], index: 12 },
    ])
    await until(() => h.dep.seen.length === 5)
    assert.deepEqual(h.delivered, [['a'], ['c']])
    assert.deepEqual(h.dep.seen.map((s) => s.index), [0, 10, 10, 11, 12])
    assert.equal(h.view.lastIndex, 12)
  })

  test('an index going backwards resets to 0', async () => {
    const h = harness([
      { data: 1, index: 50 },
      { data: 2, index: 7 }, // went backwards: discard, ask without blocking
      { data: 3, index: 8 },
    ])
    await until(() => h.dep.seen.length === 4)
    assert.deepEqual(h.dep.seen.map((s) => s.index), [0, 50, 0, 8])
    assert.deepEqual(h.delivered, [1, 3])
  })

  test('index 0 answers are re-asked without an index', async () => {
    const h = harness([{ data: 1, index: 0 }, { data: 1, index: 0 }, { data: 2, index: 4 }])
    await until(() => h.dep.seen.length === 4)
    assert.deepEqual(h.dep.seen.map((s) => s.index), [0, 0, 0, 4])
    assert.deepEqual(h.delivered, [2])
  })

  test('loops without news are spaced by the minimum delay', async () => {
    const steps: Step[] = [{ data: 1, index: 5 }]
    for (let i = 0; i < 4; i++) steps.push({ data: 1, index: 5 })
    const h = harness(steps, { timings: { minDelayMs: 40, jitterMs: 0 } })
    await until(() => h.dep.seen.length === 6)
    const at = h.dep.seen.map((s) => s.at)
    // The first answer of each round is not delayed (the reference's
    // firstLoop), so the two calls after a delivery are back to back.
    assert.ok(at[1]! - at[0]! < 30, `first loop took ${at[1]! - at[0]!}`)
    assert.ok(at[2]! - at[1]! < 30, `second loop took ${at[2]! - at[1]!}`)
    for (let i = 3; i < at.length; i++) {
      assert.ok(at[i]! - at[i - 1]! >= 38, `gap ${i} was ${at[i]! - at[i - 1]!}`)
    }
  })

  test('jitter is added to the delay', async () => {
    const h = harness([{ data: 1, index: 5 }, { data: 1, index: 5 }, { data: 1, index: 5 }],
      { timings: { minDelayMs: 10, jitterMs: 50 }, random: () => 1 })
    await until(() => h.dep.seen.length === 4)
    const at = h.dep.seen.map((s) => s.at)
    assert.ok(at[3]! - at[2]! >= 55, `gap was ${at[3]! - at[2]!}`)
  })

  test('stale answers past max_stale are re-asked without stale', async () => {
    const h = harness([
      { data: 1, index: 5, lastContactMs: 5_000 },
      { data: 1, index: 5 },
      { data: 2, index: 6 },
    ])
    await until(() => h.dep.seen.length === 4)
    assert.deepEqual(h.dep.seen.map((s) => s.allowStale), [true, false, true, true])
    assert.deepEqual(h.delivered, [1, 2])
  })

  test('max_stale 0 never asks for stale', async () => {
    const h = harness([{ data: 1, index: 5 }], { maxStaleMs: 0 })
    await until(() => h.dep.seen.length === 2)
    assert.deepEqual(h.dep.seen.map((s) => s.allowStale), [false, false])
  })

  test('null data of a blockOnNil dependency keeps polling', async () => {
    const h = harness([
      { data: null, index: 3, blockOnNil: true },
      { data: 'v', index: 4, blockOnNil: true },
    ])
    await until(() => h.delivered.length === 1)
    assert.deepEqual(h.delivered, ['v'])
    assert.deepEqual(h.dep.seen.map((s) => s.index).slice(0, 2), [0, 3])
  })

  test('null data without blockOnNil is delivered', async () => {
    const h = harness([{ data: null, index: 3 }])
    await until(() => h.delivered.length === 1)
    assert.deepEqual(h.delivered, [null])
  })

  test('once mode stops after the first delivery', async () => {
    const h = harness([{ data: 1, index: 3 }, { data: 2, index: 4 }], { once: true })
    await until(() => h.delivered.length === 1)
    await new Promise((r) => setTimeout(r, 30))
    assert.equal(h.dep.seen.length, 1)
  })

  test('err_on_failed_lookup fails a view that never got data', async () => {
    const h = harness([
      { data: null, index: 3, blockOnNil: true },
      { data: null, index: 4, blockOnNil: true },
    ], { errOnFailedLookup: true, retry: retryFunc({ enabled: true, attempts: 5,
      backoffMs: 1, maxBackoffMs: 10 }) })
    await until(() => h.errors.length === 1)
    assert.equal(h.errors[0]!.fatal, true)
    assert.equal(h.errors[0]!.err.message, 'test.dep: lookup error: no data received')
    assert.equal(h.dep.seen.length, 2)
  })

  test('the wait and index are passed to every fetch', async () => {
    const h = harness([{ data: 1, index: 3 }], { blockQueryWaitMs: 1234 })
    await until(() => h.dep.seen.length === 2)
    assert.deepEqual(h.dep.seen.map((s) => [s.index, s.waitMs]), [[0, 1234], [3, 1234]])
  })

  test('stop aborts the query in flight and delivers nothing after', async () => {
    const h = harness([{ data: 1, index: 3 }])
    await until(() => h.dep.seen.length === 2)
    const t0 = Date.now()
    await h.view.stop()
    assert.ok(Date.now() - t0 < 100)
    h.dep.push({ data: 2, index: 9 })
    await new Promise((r) => setTimeout(r, 20))
    assert.deepEqual(h.delivered, [1])
    assert.equal(h.errors.length, 0)
  })
})

describe('view retries', () => {
  const boom = () => ({ error: new Error('test.dep: boom') })

  test('backs off exponentially, then fails', async () => {
    const h = harness([boom(), boom(), boom()], {
      retry: retryFunc({ enabled: true, attempts: 2, backoffMs: 20, maxBackoffMs: 1_000 }),
    })
    await until(() => h.errors.some((e) => e.fatal))
    assert.deepEqual(h.errors.map((e) => e.fatal), [false, false, false, true])
    const at = h.dep.seen.map((s) => s.at)
    assert.equal(at.length, 3)
    assert.ok(at[1]! - at[0]! >= 18, `first back-off ${at[1]! - at[0]!}`)
    assert.ok(at[2]! - at[1]! >= 38, `second back-off ${at[2]! - at[1]!}`)
  })

  test('a success resets the count; a query after an error does not block', async () => {
    const h = harness([
      { data: 1, index: 7 }, boom(), boom(), { data: 1, index: 7 }, boom(), boom(),
      { data: 2, index: 8 },
    ], { retry: retryFunc({ enabled: true, attempts: 2, backoffMs: 1, maxBackoffMs: 5 }) })
    await until(() => h.delivered.length === 2)
    assert.deepEqual(h.delivered, [1, 2])
    assert.ok(h.errors.every((e) => !e.fatal))
    // Unlike the reference, which keeps blocking at 7 after each error: a
    // restarted agent may count from a lower index (see view.ts).
    assert.deepEqual(h.dep.seen.map((s) => s.index).slice(0, 7), [0, 7, 0, 0, 7, 0, 0])
  })

  test('no retry policy: the first error is fatal', async () => {
    const h = harness([boom()])
    await until(() => h.errors.length === 1)
    assert.equal(h.errors[0]!.fatal, true)
    assert.equal(h.errors[0]!.err.message, 'test.dep: boom')
  })

  test('stop during a back-off ends the loop', async () => {
    const h = harness([boom()], {
      retry: retryFunc({ enabled: true, attempts: 0, backoffMs: 60_000, maxBackoffMs: 0 }),
    })
    await until(() => h.errors.length === 1)
    const t0 = Date.now()
    await h.view.stop()
    assert.ok(Date.now() - t0 < 100)
    assert.equal(h.errors.length, 1)
  })
})

describe('retry policy', () => {
  test('reference sequence with the defaults', () => {
    const f = retryFunc({ enabled: true, attempts: 12, backoffMs: 250, maxBackoffMs: 60_000 })
    const sleeps = Array.from({ length: 13 }, (_, n) => f(n))
    assert.deepEqual(sleeps.slice(0, 12).map((s) => s.sleepMs), [250, 500, 1_000, 2_000,
      4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000])
    assert.ok(sleeps.slice(0, 12).every((s) => s.retry))
    assert.equal(sleeps[12]!.retry, false)
  })

  test('unlimited attempts and no cap', () => {
    const f = retryFunc({ enabled: true, attempts: 0, backoffMs: 100, maxBackoffMs: 0 })
    assert.deepEqual(f(20), { retry: true, sleepMs: 100 * 2 ** 20 })
  })

  test('disabled', () => {
    const f = retryFunc({ enabled: false, attempts: 12, backoffMs: 250, maxBackoffMs: 60_000 })
    assert.deepEqual(f(0), { retry: false, sleepMs: 0 })
  })
})
