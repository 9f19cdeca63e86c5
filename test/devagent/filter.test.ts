// The go-bexpr subset behind ?filter=, table-driven.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compileFilter } from '../../src/devagent/filter.ts'
import { HTTPError } from '../../src/devagent/types.ts'

const entry = {
  Node: { Node: 'n1', Meta: { rack: 'r1', 'a.b': 'dot' } },
  Service: { Service: 'web', Port: 8080, Tags: ['http', 'v1'], Meta: {}, Address: '' },
  Checks: [],
}

const cases: { name: string; expr: string; want: boolean }[] = [
  { name: 'equal string', expr: 'Service.Service == web', want: true },
  { name: 'equal quoted', expr: 'Service.Service == "web"', want: true },
  { name: 'not equal', expr: 'Service.Service != "web"', want: false },
  { name: 'number', expr: 'Service.Port == 8080', want: true },
  { name: 'map key', expr: 'Node.Meta.rack == r1', want: true },
  { name: 'bracket key', expr: 'Node.Meta["a.b"] == dot', want: true },
  { name: 'missing key', expr: 'Node.Meta.zone == x', want: false },
  { name: 'contains', expr: 'Service.Tags contains "http"', want: true },
  { name: 'not contains', expr: 'Service.Tags not contains "http"', want: false },
  { name: 'in', expr: '"v1" in Service.Tags', want: true },
  { name: 'not in', expr: '"v2" not in Service.Tags', want: true },
  { name: 'is empty', expr: 'Service.Meta is empty', want: true },
  { name: 'is not empty', expr: 'Checks is not empty', want: false },
  { name: 'matches', expr: 'Service.Service matches "^w.b$"', want: true },
  { name: 'not matches', expr: 'Service.Service not matches "^a"', want: true },
  { name: 'and/or precedence', expr: 'Service.Port == 1 or Service.Port == 8080 '
    + 'and Node.Node == n1', want: true },
  { name: 'not and parens', expr: 'not (Service.Port == 8080 and Node.Node == n2)',
    want: true },
  { name: 'substring', expr: 'Node.Node contains "1"', want: true },
  { name: 'backticks', expr: 'Service.Service == `web`', want: true },
]

describe('filter', () => {
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(compileFilter(c.expr)(entry), c.want, c.expr)
    })
  }

  for (const bad of ['Service.Port ==', '(Service.Port == 1', 'Service.Port ~ 1',
    'Service.Service == "open', 'Service.Service matches "("', 'a == b c']) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => compileFilter(bad), (err: unknown) =>
        err instanceof HTTPError && err.status === 400
        && err.message.startsWith('Failed to create boolean expression evaluator: '))
    })
  }
})
