import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import {
  KeyPair, goSliceType, shapeCatalogNode, shapeHealthEntries, shapeKeyPairs,
} from '../../src/dependency/index.ts'
import { consulFuncs } from '../../src/functions/consul.ts'
import type { GoFunc } from '../../src/template/func.ts'
import { Template } from '../../src/template/index.ts'
import { Recorder, Store } from '../../src/watch/index.ts'

function setup(data: Record<string, unknown> = {}, sandboxPath?: string) {
  const store = new Store()
  for (const [k, v] of Object.entries(data)) store.remember(k, v)
  const rec = new Recorder(store)
  const fns = consulFuncs(rec, { sandboxPath })
  const call = (name: string, ...args: unknown[]) => (fns[name] as GoFunc)(...args)
  return { rec, call, fns }
}

const typeOf = (v: unknown) => (v as Record<symbol, unknown>)[goSliceType]

describe('consul functions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctmpl-cfn-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('service without data is an empty list and missing', () => {
    const { rec, call } = setup()
    const got = call('service', 'web')
    assert.deepEqual(got, [])
    assert.equal(typeOf(got), '[]*dependency.HealthService')
    assert.deepEqual([...rec.missing.keys()], ['health.service(web|passing)'])
  })

  test('service arguments are joined with |', () => {
    const { rec, call } = setup()
    call('service', 'web', 'warning,passing')
    assert.deepEqual([...rec.used.keys()], ['health.service(web|passing,warning)'])
  })

  test('service with data returns it', () => {
    const list = shapeHealthEntries([{ Node: { Node: 'n1' }, Service: { ID: 'w', Port: 1 },
      Checks: [] }], ['passing'])
    const { rec, call } = setup({ 'health.connect(web|passing)': list })
    assert.equal(call('connect', 'web'), list)
    assert.equal(rec.complete, true)
  })

  test('empty arguments ask for nothing', () => {
    const { rec, call } = setup()
    assert.deepEqual(call('service'), [])
    assert.deepEqual(call('service', ''), [])
    assert.equal(call('key', ''), '')
    assert.equal(call('keyExists', ''), false)
    assert.equal(call('keyOrDefault', '', 'd'), 'd')
    assert.deepEqual(call('ls', ''), [])
    assert.deepEqual(call('tree', ''), [])
    assert.equal(call('file', ''), '')
    assert.equal(rec.used.size, 0)
  })

  test('key, keyExists and keyOrDefault are separate watches', () => {
    const { rec, call } = setup({ 'kv.get(a)': null, 'kv.get(b)': '', 'kv.get(c)': 'v' })
    assert.equal(call('key', 'a'), '')
    assert.equal(call('keyExists', 'a'), false)
    assert.equal(call('keyExists', 'b'), true)
    assert.equal(call('keyOrDefault', 'a', 'd'), 'd')
    assert.equal(call('keyOrDefault', 'b', 'd'), 'd')
    assert.equal(call('keyOrDefault', 'c', 'd'), 'v')
    assert.deepEqual([...rec.missing.keys()], ['kv.block(a)'])
  })

  test('ls keeps top-level keys, tree drops folders', () => {
    const pairs = shapeKeyPairs(['app/', 'app/a', 'app/b/', 'app/b/c'].map((Key) =>
      ({ Key, Value: null })), 'app')
    const { call } = setup({ 'kv.list(app)': pairs })
    assert.deepEqual((call('ls', 'app') as KeyPair[]).map((p) => p.Key), ['a'])
    assert.deepEqual((call('tree', 'app') as KeyPair[]).map((p) => p.Key), ['a', 'b/c'])
  })

  test('safeLs and safeTree refuse an empty prefix; ls and tree do not', () => {
    const folder = shapeKeyPairs([{ Key: 'app/', Value: null }], 'app')
    for (const [fn, missing] of [['ls', false], ['tree', false], ['safeLs', true],
      ['safeTree', true]] as const) {
      const { rec, call } = setup({ 'kv.list(app)': folder })
      assert.deepEqual(call(fn, 'app'), [])
      assert.equal(rec.missing.has('kv.list(app)'), missing, fn)
    }
  })

  test('node: missing is nil, data is the CatalogNode', () => {
    const node = shapeCatalogNode({ Node: { Node: 'n1' }, Services: {} })
    const { call } = setup({ 'catalog.node(n1)': node })
    assert.equal(call('node', 'n2'), null)
    assert.equal(call('node', 'n1'), node)
    assert.equal(call('node', 'n', '1'), node)
  })

  test('services and nodes concatenate their arguments', () => {
    const { rec, call } = setup()
    assert.deepEqual(call('services', '@', 'dc2'), [])
    assert.deepEqual(call('nodes', '@dc2', '~n1'), [])
    assert.deepEqual([...rec.used.keys()], ['catalog.services(@dc2)', 'catalog.nodes(@dc2~n1)'])
  })

  test('datacenters', () => {
    const { rec, call } = setup({ 'catalog.datacenters': ['dc1', 'dc2'] })
    assert.deepEqual(call('datacenters'), ['dc1', 'dc2'])
    assert.deepEqual(call('datacenters', true), [])
    assert.deepEqual([...rec.missing.keys()], ['catalog.datacenters(ignoreFailing)'])
    assert.throws(() => call('datacenters', true, false), { message:
      'datacenters: wrong number of arguments, expected 0 or 1, but got 2' })
    assert.throws(() => call('datacenters', 'yes'),
      /wrong type for value; expected bool; got string/)
  })

  test('parse errors carry the reference wording', () => {
    const { call } = setup()
    assert.throws(() => call('service', 'a b'),
      { message: 'health.service: invalid format: "a b"' })
    assert.throws(() => call('key', 'a@b@c'), { message: 'kv.get: invalid format: "a@b@c"' })
    assert.throws(() => call('nodes', 'x'), { message: 'catalog.nodes: invalid format: "x"' })
    assert.throws(() => call('key', 1), /wrong type for value; expected string; got int/)
  })

  test('file is keyed by its cleaned path and checks the sandbox', () => {
    const box = mkdtempSync(join(dir, 'box-'))
    writeFileSync(join(box, 'in.txt'), 'x')
    const inside = join(box, 'in.txt')
    const { rec, call } = setup({ [`file(${inside})`]: 'contents' }, box)
    assert.equal(call('file', ` ${box}/./in.txt `), 'contents')
    assert.throws(() => call('file', join(dir, 'elsewhere.txt')), /outside the sandbox/)
    assert.deepEqual([...rec.used.keys()], [`file(${inside})`])
    const plain = setup()
    assert.equal(plain.call('file', 'a/../b.txt'), '')
    assert.deepEqual([...plain.rec.missing.keys()], ['file(b.txt)'])
  })

  test('arity is declared for the executor', () => {
    const { fns } = setup()
    assert.deepEqual(fns.key!.goArity, { params: 1, variadic: false })
    assert.deepEqual(fns.keyOrDefault!.goArity, { params: 2, variadic: false })
    assert.deepEqual(fns.service!.goArity, { params: 1, variadic: true })
    assert.deepEqual(fns.datacenters!.goArity, { params: 1, variadic: true })
  })

  // What the reference (v0.42.1) prints for the same templates: the old
  // .Tags.Contains method is gone and fails naming the named slice type.
  const typed: [string, string][] = [
    ['{{range service "web"}}{{.Tags.Contains "a"}}{{end}}',
      'template: t:1:30: executing "t" at <.Tags.Contains>: ' +
      "can't evaluate field Contains in type dependency.ServiceTags"],
    ['{{printf "%T" (service "web")}}', '[]*dependency.HealthService'],
    ['{{range service "web"}}{{printf "%T %T" .Tags .Checks}}{{end}}',
      'dependency.ServiceTags api.HealthChecks'],
  ]
  for (const [src, want] of typed) {
    test(`Go type names: ${src}`, () => {
      const list = shapeHealthEntries([{ Node: { Node: 'n' }, Service: { ID: 'w',
        Tags: ['a'] }, Checks: [] }], ['passing'])
      const { fns } = setup({ 'health.service(web|passing)': list })
      let got: string
      try {
        got = Template.parse('t', src, { funcs: fns }).execute(undefined)
      } catch (err) {
        got = (err as Error).message
      }
      assert.equal(got, want)
    })
  }
})
