// Go duration parsing and printing as Consul's parameters use them.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatDurationMs, parseDurationMs } from '../../src/devagent/duration.ts'

describe('durations', () => {
  const good: [string, number][] = [
    ['0', 0], ['10s', 10_000], ['60000ms', 60_000], ['15.000000s', 15_000],
    ['1m30s', 90_000], ['1.5h', 5_400_000], ['500us', 0.5], ['2µs', 0.002],
    ['-1s', -1000], ['.5s', 500],
  ]
  for (const [text, ms] of good) {
    test(`parses ${text}`, () => assert.equal(parseDurationMs(text), ms))
  }
  for (const text of ['', '10', 's', '1x', '1s2', 'abc', '1..2s']) {
    test(`rejects ${JSON.stringify(text)}`, () =>
      assert.equal(parseDurationMs(text), undefined))
  }
  const shown: [number, string][] = [
    [0, '0s'], [10_000, '10s'], [90_000, '1m30s'], [86_400_000, '24h0m0s'],
    [1, '1ms'], [1500, '1.5s'],
  ]
  for (const [ms, text] of shown) {
    test(`formats ${ms}ms as ${text}`, () => assert.equal(formatDurationMs(ms), text))
  }
})
