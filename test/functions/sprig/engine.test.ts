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
import { sprigFuncs } from '../../../src/functions/sprig/index.ts'

interface Fixture { name: string, tmpl: string, out?: string, err?: string }

const dir = join(fileURLToPath(import.meta.url), '..', 'fixtures')

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const fixtures = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture[]
  for (const fx of fixtures) {
    const key = `${file.replace('.json', '')}: ${fx.name}`
    test(`engine ${key}`, () => {
      const got = renderWithEngine(fx.tmpl)
      assert.equal(JSON.stringify(got), JSON.stringify(
        fx.err === undefined ? { out: fx.out } : { err: fx.err }))
    })
  }
}

test('the map holds the 192 functions of Sprig\'s hermetic map', () => {
  const names = Object.keys(sprigFuncs())
  assert.equal(names.length, 192)
  assert.ok(names.every((n) => n.startsWith('sprig_')))
})
