// function_denylist: a parsed template that calls a denied function is
// Columns are 0-based byte offsets, as in Go's own template errors.
// refused with the function's name and position; globs cover families.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Template } from '../../src/template/index.ts'
import {
  DeniedFunctionError, applyDenylist, checkDenylist, helperFuncs,
} from '../../src/functions/index.ts'
import { globMatch } from '../../src/functions/denylist.ts'

const funcs = helperFuncs()
const parse = (text: string) => Template.parse('web.tmpl', text, { funcs })

const cases = [
  { name: 'denied call', src: 'a\n  {{ env "HOME" }}', deny: ['env'],
    err: 'template: web.tmpl:2:5: function "env" is denied by function_denylist' },
  { name: 'first of several', src: '{{ toUpper "x" }}{{ plugin "a" }}{{ env "b" }}',
    deny: ['env', 'plugin'],
    err: 'template: web.tmpl:1:20: function "plugin" is denied by function_denylist' },
  { name: 'inside a define', src: '{{ define "x" }}{{ writeToFile "a" "" "" "0644" "b" }}' +
    '{{ end }}', deny: ['writeToFile'],
    err: 'template: web.tmpl:1:19: function "writeToFile" is denied by function_denylist' },
  { name: 'in a pipeline', src: '{{ "x" | base64Encode | sha256Hex }}', deny: ['sha*'],
    err: 'template: web.tmpl:1:24: function "sha256Hex" is denied by function_denylist ' +
      '(pattern "sha*")' },
  { name: 'not called', src: '{{ "env" }}{{/* plugin */}}', deny: ['env', 'plugin'] },
  { name: 'empty denylist', src: '{{ env "x" }}', deny: [] },
]

for (const c of cases) {
  test(c.name, () => {
    const tpl = parse(c.src)
    if (c.err === undefined) {
      assert.doesNotThrow(() => checkDenylist(tpl, c.deny))
      return
    }
    assert.throws(() => checkDenylist(tpl, c.deny), (err: Error) => {
      assert.ok(err instanceof DeniedFunctionError)
      assert.equal(err.message, c.err)
      return true
    })
  })
}

test('globs as the reference reads them', () => {
  assert.ok(globMatch('sprig_*', 'sprig_env'))
  assert.ok(globMatch('*Env', 'mustEnv'))
  assert.ok(globMatch('*', 'anything'))
  assert.ok(globMatch('a*b*c', 'aXbYc'))
  assert.ok(!globMatch('a*b*c', 'aXcYb'))
  assert.ok(!globMatch('env', 'envOrDefault'))
})

test('applyDenylist swaps in the reference\'s failing function', () => {
  const denied = applyDenylist(funcs, ['env*'])
  const tpl = Template.parse('t', '{{ envOrDefault "a" "b" }}', { funcs: denied })
  assert.throws(() => tpl.execute(null, { funcs: denied }),
    /error calling envOrDefault: function is disabled/)
  assert.equal(denied['toUpper'], funcs['toUpper'])
})
