import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  formatGoDuration, normalizeGoDuration, parseGoDuration,
} from '../../src/dependency/duration.ts'
import { shapeHealthEntries } from '../../src/dependency/health-service.ts'
import { HealthCheck, jsonEntriesMark, nilMapMark } from '../../src/dependency/structs.ts'
import { Template } from '../../src/template/index.ts'

const isNil = (m: object) => (m as Record<symbol, unknown>)[nilMapMark] === true

describe('Go durations', () => {
  const cases: [string, string][] = [
    ['', '0s'], ['0', '0s'], ['10s', '10s'], ['60s', '1m0s'], ['1m30s', '1m30s'],
    ['1.5s', '1.5s'], ['100ms', '100ms'], ['1500ms', '1.5s'], ['2h', '2h0m0s'],
    ['250us', '250µs'], ['5ns', '5ns'], ['-3s', '-3s'], ['bogus', '0s'],
  ]
  for (const [input, want] of cases) {
    test(JSON.stringify(input), () => assert.equal(normalizeGoDuration(input), want))
  }
  test('parse and format', () => {
    assert.equal(parseGoDuration('1h1m1s'), 3_661e9)
    assert.equal(formatGoDuration(90e9), '1m30s')
  })
})

describe('JSON shape hooks', () => {
  test('nil maps are marked, present ones are not', () => {
    const [s] = shapeHealthEntries([{ Node: { Node: 'n', Meta: {} },
      Service: { ID: 'a', Meta: null }, Checks: [] }], ['any'])
    assert.equal(isNil(s!.NodeMeta), false)
    assert.equal(isNil(s!.ServiceMeta), true)
    assert.equal(isNil(s!.ServiceTaggedAddresses), true)
    assert.equal(isNil(s!.NodeTaggedAddresses), true)
  })

  test('check entries leave empty omitempty fields out', () => {
    const c = HealthCheck.from({ CheckID: 'c', Status: 'passing', PeerName: 'p',
      Definition: { Interval: '10s', HTTP: 'http://x' } })
    const keys = c[jsonEntriesMark]().map(([k]) => k)
    assert.deepEqual(keys, ['Node', 'CheckID', 'Name', 'Status', 'Notes', 'Output',
      'ServiceID', 'ServiceName', 'ServiceTags', 'Type', 'ExposedPort', 'PeerName',
      'Definition', 'CreateIndex', 'ModifyIndex'])
    const def = c.Definition[jsonEntriesMark]()
    assert.deepEqual(def.slice(0, 4), [['Interval', '10s'], ['Timeout', '0s'],
      ['DeregisterCriticalServiceAfter', '0s'], ['HTTP', 'http://x']])
    assert.equal(c.Definition.IntervalDuration, '10s')
    assert.ok(isNil(c.Definition.Header))
  })

  test('a missing check header is a nil []string, as Go prints it', () => {
    // consul-template v0.42.1 prints [[]][map[]] for a check without headers.
    const tpl = Template.parse('t', '[{{ .Definition.Header.X }}][{{ .Definition.Header }}]' +
      '[{{ index .Definition.Header "X" }}]')
    for (const def of [{}, { Header: { Y: ['1'] } }]) {
      const c = HealthCheck.from({ CheckID: 'c', Definition: def })
      const want = def.Header === undefined ? '[[]][map[]][[]]' : '[[]][map[Y:[1]]][[]]'
      assert.equal(tpl.execute(c, { missingKey: 'zero' }), want)
    }
  })
})
