import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Quiescence } from '../../src/runner/quiescence.ts'

test('a burst of ticks fires once after min of quiet', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  let fired = 0
  const q = new Quiescence(100, 5000, () => fired++)
  for (let i = 0; i < 50; i++) {
    q.tick()
    t.mock.timers.tick(50)
  }
  assert.equal(fired, 0)
  t.mock.timers.tick(100)
  assert.equal(fired, 1)
  assert.equal(q.pending, false)
})

test('max fires while ticks keep coming', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  let fired = 0
  const q = new Quiescence(100, 400, () => fired++)
  for (let i = 0; i < 9; i++) {
    q.tick()
    t.mock.timers.tick(50)
  }
  assert.equal(fired, 1)
  q.stop()
})

test('stop cancels a pending burst', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  let fired = 0
  const q = new Quiescence(100, 400, () => fired++)
  q.tick()
  q.stop()
  t.mock.timers.tick(1000)
  assert.equal(fired, 0)
})
