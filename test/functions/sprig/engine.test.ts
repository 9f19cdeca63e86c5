/**
 * Every reference fixture rendered through ctmpl's template engine with the
 * Sprig functions, compared with what the reference printed, error text
 * included.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderWithEngine } from './engine-render.ts'

interface Fixture { name: string, tmpl: string, out?: string, err?: string }

const dir = join(fileURLToPath(import.meta.url), '..', 'fixtures')

// Go checks an argument against the function's declared parameter type
// before calling it, and reports the failure at the argument. ctmpl's
// function contract carries arity but no parameter types, so the function
// itself refuses the value and the message comes as `error calling NAME`.
// These rows pin what ctmpl prints today; docs/functions.md lists them.
const knownDifferences: Record<string, string> = {
  'dicts: merge wrong type': 'execute: template: :1:3: executing "" at ' +
    '<sprig_merge (sprig_dict) 5>: error calling sprig_merge: wrong type for value; ' +
    'expected map[string]interface {}; got int',
  'dicts: get wrong type': 'execute: template: :1:3: executing "" at ' +
    '<sprig_get (sprig_list) "a">: error calling sprig_get: wrong type for value; ' +
    'expected map[string]interface {}; got []interface {}',
  'values: int64 to an int parameter': 'execute: template: :1:3: executing "" at ' +
    '<sprig_trunc (sprig_add 2 3) "hello world">: error calling sprig_trunc: ' +
    'wrong type for value; expected int; got int64',
  'strings: trim type error': 'execute: template: :1:3: executing "" at ' +
    '<sprig_trim 5>: error calling sprig_trim: wrong type for value; expected string; got int',
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const fixtures = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture[]
  for (const fx of fixtures) {
    const key = `${file.replace('.json', '')}: ${fx.name}`
    test(`engine ${key}`, () => {
      const got = renderWithEngine(fx.tmpl)
      const known = knownDifferences[key]
      if (known !== undefined) {
        assert.ok(fx.err, 'a known difference is about an error')
        assert.equal(got.err, known)
        return
      }
      assert.equal(JSON.stringify(got), JSON.stringify(
        fx.err === undefined ? { out: fx.out } : { err: fx.err }))
    })
  }
}
