import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  datacentersDependency, parseCatalogNode, parseCatalogNodes, parseCatalogServices,
  parseHealthService, parseKVGet, parseKVList,
} from '../../src/dependency/index.ts'

interface Case { name: string; in: string; key?: string; err?: string }

function run(kind: string, parse: (s: string) => { key: string }, cases: Case[]): void {
  describe(kind, () => {
    for (const c of cases) {
      test(c.name, () => {
        if (c.err !== undefined) {
          assert.throws(() => parse(c.in), (e: Error) => {
            assert.equal(e.message, c.err)
            return true
          })
        } else {
          assert.equal(parse(c.in).key, c.key)
        }
      })
    }
  })
}

run('health.service', (s) => parseHealthService(s), [
  // good
  { name: 'name', in: 'web', key: 'health.service(web|passing)' },
  { name: 'dash and underscore', in: 'my-web_1', key: 'health.service(my-web_1|passing)' },
  { name: 'tag', in: 'blue.web', key: 'health.service(blue.web|passing)' },
  { name: 'greedy tag', in: 'a.b.web', key: 'health.service(a.b.web|passing)' },
  { name: 'tag chars', in: 'v=1:x.web', key: 'health.service(v=1:x.web|passing)' },
  { name: 'dc', in: 'web@dc2', key: 'health.service(web@dc2|passing)' },
  { name: 'near', in: 'web~_agent', key: 'health.service(web~_agent|passing)' },
  { name: 'everything', in: 'blue.web?ns=n&partition=p@dc1~node1|warning,passing',
    key: 'health.service(blue.web@dc1@partition=p@ns=n~node1|passing,warning)' },
  { name: 'filters sorted', in: 'web|critical,any', key: 'health.service(web|any,critical)' },
  { name: 'empty filter tokens', in: 'web|,passing,', key: 'health.service(web|passing)' },
  { name: 'no filters left', in: 'web|,', key: 'health.service(web)' },
  { name: 'peer', in: 'web?peer=other', key: 'health.service(web@peer=other|passing)' },
  { name: 'sameness group', in: 'web?sameness-group=g',
    key: 'health.service(web@sameness-group=g|passing)' },
  // bad
  { name: 'space', in: 'a b', err: 'health.service: invalid format: "a b"' },
  { name: 'dot in name only', in: 'web.', err: 'health.service: invalid format: "web."' },
  { name: 'empty', in: '', err: 'health.service: invalid format: ""' },
  { name: 'bad filter', in: 'web|bogus',
    err: 'health.service: invalid filter: "bogus" in "web|bogus"' },
  { name: 'bad query key', in: 'web?x=1', err: 'health.service: invalid query parameter ' +
    'key "x" in query "x=1": supported keys: ns,peer,partition,sameness-group' },
  { name: 'peer and group', in: 'web?peer=a&sameness-group=b',
    err: 'health.service: cannot specify both peer and sameness-group' },
  { name: 'two dcs', in: 'web@a@b', err: 'health.service: invalid format: "web@a@b"' },
])

run('health.connect', (s) => parseHealthService(s, true), [
  { name: 'name', in: 'web', key: 'health.connect(web|passing)' },
  { name: 'bad', in: 'we b', err: 'health.service: invalid format: "we b"' },
])

run('catalog.services', parseCatalogServices, [
  { name: 'none', in: '', key: 'catalog.services' },
  { name: 'dc', in: '@dc2', key: 'catalog.services(@dc2)' },
  { name: 'ns', in: '?ns=team@dc2', key: 'catalog.services(@dc2@ns=team)' },
  { name: 'name given', in: 'web', err: 'catalog.services: invalid format: "web"' },
])

run('catalog.nodes', parseCatalogNodes, [
  { name: 'none', in: '', key: 'catalog.nodes' },
  { name: 'dc near', in: '@dc2~n1', key: 'catalog.nodes(@dc2~n1)' },
  { name: 'near', in: '~_agent', key: 'catalog.nodes(~_agent)' },
  { name: 'partition', in: '?partition=p', key: 'catalog.nodes(@partition=p)' },
  { name: 'name given', in: 'x', err: 'catalog.nodes: invalid format: "x"' },
])

run('catalog.node', parseCatalogNode, [
  { name: 'agent', in: '', key: 'catalog.node' },
  { name: 'name', in: 'node1', key: 'catalog.node(node1)' },
  { name: 'dotted', in: 'node.a-1@dc1', key: 'catalog.node(node.a-1@dc1)' },
  { name: 'dc only', in: '@dc1', err: 'catalog.node: invalid format: "@dc1"' },
  { name: 'near', in: 'n~x', err: 'catalog.node: invalid format: "n~x"' },
])

run('kv.get', (s) => parseKVGet(s), [
  { name: 'key', in: 'app/config', key: 'kv.get(app/config)' },
  { name: 'leading slash', in: '/app/x', key: 'kv.get(app/x)' },
  { name: 'two slashes', in: '//app', key: 'kv.get(/app)' },
  { name: 'odd chars', in: 'a b|c~d', key: 'kv.get(a b|c~d)' },
  { name: 'dc', in: 'a@dc2', key: 'kv.get(a@dc2)' },
  { name: 'ns', in: 'a?ns=x@dc2', key: 'kv.get(a@dc2@ns=x)' },
  { name: 'two ats', in: 'a@b@c', err: 'kv.get: invalid format: "a@b@c"' },
  { name: 'only slash', in: '/', key: 'kv.get(/)' },
  { name: 'bad query chars', in: 'a?b c', err: 'kv.get: invalid format: "a?b c"' },
])

run('kv.block', (s) => parseKVGet(s, true), [
  { name: 'key', in: 'app/config', key: 'kv.block(app/config)' },
])

run('kv.list', parseKVList, [
  { name: 'prefix', in: 'app/', key: 'kv.list(app/)' },
  { name: 'leading slash', in: '/app', key: 'kv.list(app)' },
  { name: 'dc', in: 'app@dc2', key: 'kv.list(app@dc2)' },
  { name: 'bad query', in: 'a?ns=1&peer=2&x=3', err: 'kv.list: invalid query parameter ' +
    'key "x" in query "ns=1&peer=2&x=3": supported keys: ns,peer,partition,sameness-group' },
])

describe('catalog.datacenters', () => {
  test('keys', () => {
    assert.equal(datacentersDependency(false).key, 'catalog.datacenters')
    assert.equal(datacentersDependency(true).key, 'catalog.datacenters(ignoreFailing)')
  })
})

describe('parse cache', () => {
  test('the same string gives the same dependency', () => {
    assert.equal(parseHealthService('web'), parseHealthService('web'))
    assert.notEqual(parseHealthService('web'), parseHealthService('web', true))
    assert.notEqual(parseKVGet('a'), parseKVGet('a', true))
  })
})
