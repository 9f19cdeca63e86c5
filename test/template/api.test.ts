// The public API others build on: Template, TemplateError, function lists,
// per-execution functions and options.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Template, TemplateError, defineFunc, goNamedType } from '../../src/template/index.ts'

const upper = defineFunc((s: string) => s.toUpperCase(), 1)

/** Returns what fn throws, failing the test when it does not throw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('expected an error')
}

test('parse error is a positioned TemplateError', () => {
  const e = thrown(() => Template.parse('web.tmpl', 'a\n\n{{ .X ')) as TemplateError
  assert.ok(e instanceof TemplateError)
  assert.equal(e.name, 'TemplateError')
  assert.equal(e.code, 'ETPL_PARSE')
  assert.equal(e.message, 'template: web.tmpl:3: unclosed action')
  assert.deepEqual(e.where, { name: 'web.tmpl', line: 3 })
})

test('exec error carries line and column', () => {
  const t = Template.parse('w', 'ab\n  {{len 3}}')
  const e = thrown(() => t.execute(null)) as TemplateError
  assert.equal(e.code, 'ETPL_EXEC')
  assert.deepEqual(e.where, { name: 'w', line: 2, col: 4 })
})

test('function errors keep their cause', () => {
  const boom = new Error('boom')
  const t = Template.parse('t', '{{f}}', { funcs: { f: defineFunc(() => { throw boom }, 0) } })
  const e = thrown(() => t.execute(null)) as TemplateError
  assert.equal(e.message, 'template: t:1:2: executing "t" at <f>: error calling f: boom')
  assert.equal(e.cause, boom)
})

test('execute uses its own functions, falling back to parse-time ones', () => {
  const t = Template.parse('t', '{{upper "a"}}{{tag}}', {
    funcs: { upper, tag: defineFunc(() => '-parse', 0) },
  })
  assert.equal(t.execute(null), 'A-parse')
  const lower = defineFunc((s: string) => s + '!', 1)
  assert.equal(t.execute(null, { funcs: { upper: lower } }), 'a!-parse')
})

test('calledFunctions lists every call with line and byte column', () => {
  const t = Template.parse('t', '{{upper "x"}}\né {{printf "%s" (upper "y") | len}}',
    { funcs: { upper } })
  assert.deepEqual(t.calledFunctions(), [
    { name: 'upper', line: 1, col: 2 },
    { name: 'printf', line: 2, col: 5 },
    { name: 'upper', line: 2, col: 18 },
    { name: 'len', line: 2, col: 31 },
  ])
})

test('calledFunctions covers define and block bodies', () => {
  const t = Template.parse('t', '{{define "a"}}{{len .}}{{end}}{{block "b" .}}{{html .}}{{end}}')
  assert.deepEqual(t.calledFunctions().map((c) => c.name), ['len', 'html'])
})

test('hasTemplate, templateNames and executeTemplate', () => {
  const t = Template.parse('main', '{{define "a"}}A{{.}}{{end}}{{block "b" 1}}B{{end}}')
  assert.equal(t.name, 'main')
  assert.ok(t.hasTemplate('a') && t.hasTemplate('b') && t.hasTemplate('main'))
  assert.ok(!t.hasTemplate('c'))
  assert.deepEqual(t.templateNames(), ['a', 'b', 'main'])
  assert.equal(t.executeTemplate('a', 7), 'A7')
  assert.equal(t.execute(null), 'B')
  const e = thrown(() => t.executeTemplate('zz', null)) as TemplateError
  assert.equal(e.message, 'template: no template "zz" associated with template "main"')
})

test('a parsed template can run re-entrantly', () => {
  let t: Template | undefined
  const again = defineFunc((n: number) => (n > 0 ? t!.execute(n - 1) : 'end'), 1)
  t = Template.parse('t', '{{$x := .}}[{{again .}}{{$x}}]', { funcs: { again } })
  assert.equal(t.execute(2), '[[[end0]1]2]')
})

test('runaway recursion is an error, not a crash', () => {
  const t = Template.parse('t', '{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}')
  const e = thrown(() => t.execute(null)) as TemplateError
  assert.ok(e instanceof TemplateError)
  assert.match(e.message, /exceeded maximum template depth \(100000\)$/)
})

test('foreign bugs in the data model escape unchanged', () => {
  const data = {}
  Object.defineProperty(data, 'x', {
    enumerable: true,
    get() {
      throw new TypeError('bug')
    },
  })
  const e = thrown(() => Template.parse('t', '{{.x}}').execute(data))
  assert.ok(e instanceof TypeError)
})

test('missingKey defaults to Go\'s default', () => {
  const t = Template.parse('t', '{{.a.b}}')
  assert.equal(t.execute({}), '<no value>')
  assert.throws(() => t.execute({}, { missingKey: 'zero' }), TemplateError)
})

test('named slice and map types show in %T and errors', () => {
  const tags = goNamedType(['a'], 'dependency.ServiceTags')
  const t = Template.parse('t', '{{printf "%T" .}} {{len .}} {{index . 0}}')
  assert.equal(t.execute(tags), 'dependency.ServiceTags 1 a')
  const e = thrown(() => Template.parse('t', '{{.Contains "a"}}').execute(tags)) as TemplateError
  assert.equal(e.message, 'template: t:1:2: executing "t" at <.Contains>: can\'t evaluate ' +
    'field Contains in type dependency.ServiceTags')
})
