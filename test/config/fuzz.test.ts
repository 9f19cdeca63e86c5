// Properties of the readers: any input either parses or fails with a
// positioned ConfigError (never another exception), and the JSON reader
// agrees with JSON.parse on every object.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { ConfigError, parseHcl, parseJson } from '../../src/config/index.ts'
import type { Node } from '../../src/config/ast.ts'

/** Converts a tree back to plain JSON data (last key wins, as JSON.parse). */
function toData(n: Node): unknown {
  switch (n.kind) {
    case 'object': return Object.fromEntries(n.entries.map((e) => [e.key, toData(e.value)]))
    case 'list': return n.items.map(toData)
    case 'null': return null
    default: return n.value
  }
}

const hclish = fc.array(fc.constantFrom('a', ' ', '=', '"', '{', '}', '[', ']', ',', '\n',
  '#', '/', '*', '<<', 'EOF', '-', '0', '7', '9', 'x', '.', '\\', '$', 'true', '<<-'),
{ maxLength: 40 }).map((parts) => parts.join(''))

test('hcl: arbitrary input parses or fails with a ConfigError', () => {
  fc.assert(fc.property(fc.oneof(hclish, fc.string()), (src) => {
    try {
      parseHcl(src, 'f.hcl')
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      const at = err.problems[0]?.at
      assert.ok(at && at.line >= 1 && at.column >= 1, err.message)
    }
  }), { numRuns: 2000 })
})

test('json: agrees with JSON.parse on objects', () => {
  fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
    const text = JSON.stringify(obj, null, 1)
    const parsed = toData(parseJson(text, 'f.json'))
    assert.deepEqual(parsed, JSON.parse(text))
  }), { numRuns: 500 })
})

test('json: arbitrary input parses or fails with a ConfigError', () => {
  fc.assert(fc.property(fc.string().map((s) => '{' + s), (src) => {
    try {
      parseJson(src, 'f.json')
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
    }
  }), { numRuns: 1000 })
})
