/**
 * Every fixture the reference consul-template rendered, replayed through
 * ctmpl's Sprig functions by direct calls (harness.ts).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sprigFuncs } from '../../../src/functions/sprig/index.ts'
import { render } from './harness.ts'

interface Fixture { name: string, tmpl: string, out?: string, err?: string }

const dir = join(fileURLToPath(import.meta.url), '..', 'fixtures')

/** Returns the part of a reference error that the function itself wrote. */
function errorTail(err: string): string {
  return err.replace(/^[\s\S]*?executing "" at <[\s\S]*?>: /, '')
    .replace(/^error calling \w+: /, '')
}

const funcs = sprigFuncs()
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const fixtures = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture[]
  for (const fx of fixtures) {
    // Control structures and Go's built-ins need the real engine
    // (engine.test.ts runs every case).
    const engineOnly = /\{\{-?\s*(range|if|with)\b|[{(|]\s*(eq|ne|lt|len|index|printf) /
    const skip = engineOnly.test(fx.tmpl) ? 'needs the engine' : false
    test(`${file.replace('.json', '')}: ${fx.name}`, { skip }, () => {
      if (fx.err === undefined) {
        assert.equal(JSON.stringify(render(fx.tmpl, funcs)), JSON.stringify(fx.out))
        return
      }
      if (fx.err.startsWith('parse:')) {
        const m = /function "(\w+)" not defined/.exec(fx.err)
        assert.ok(m, fx.err)
        assert.equal(funcs[m[1]!], undefined)
        return
      }
      const want = errorTail(fx.err)
      assert.throws(() => render(fx.tmpl, funcs), (e: Error) => {
        // A literal of the wrong type is refused by the executor before any
        // call; direct calls see the function's own check instead.
        if (/^expected [\w ]+; found |^can't handle |^cannot assign nil/.test(want)) return true
        assert.equal(e.message, want)
        return true
      })
    })
  }
}
