// Property tests: whatever strings and shapes go in, toJSON, toYAML and
// toTOML write text that a standard parser reads back to the same value.
// (Byte-for-byte agreement with the reference is the fixtures' job; this
// catches quoting that would produce invalid or different documents.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { parse as parseYAMLText } from 'yaml'
import { parse as parseTOMLText } from 'smol-toml'
import { encodeJSON, decodeJSON } from '../../src/functions/json.ts'
import { encodeYAML } from '../../src/functions/yaml.ts'
import { encodeTOML } from '../../src/functions/toml.ts'
import { float } from '../../src/template/index.ts'
import { GoFloat } from '../../src/template/value.ts'

// Well-formed strings, weighted towards the characters quoting cares about.
const tricky = fc.constantFrom(':', '#', '-', '?', "'", '"', '\\', '\n', '\t', ' ', ',', '[',
  '{', '&', '*', '!', '|', '>', '%', '@', '`', '~', 'é', '😀', '\u2028', '\u0085', '\u00a0',
  '\u0007', 'yes', 'null', '1', '.5', '0x1', 'true')
const text = fc.array(fc.oneof(tricky, fc.string({ maxLength: 4 })), { maxLength: 8 })
  .map((parts) => parts.join(''))
const key = text.filter((k) => k !== '__proto__')

const leaf = fc.oneof(text, fc.integer(), fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(float))
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).map

/** Turns Go values into what a JS parser gives back (floats as numbers). */
function plain(v: unknown): unknown {
  if (v instanceof GoFloat) return v.value
  if (Array.isArray(v)) return v.map(plain)
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, plain(e)]))
  }
  return v
}

test('toJSON output parses back to the same value', () => {
  fc.assert(fc.property(tree, (v) => {
    const out = encodeJSON(v, { escapeHTML: true, indent: '' })
    assert.deepEqual(plain(decodeJSON(out)), plain(v))
    assert.deepEqual(JSON.parse(out), plain(v))
  }), { numRuns: 300 })
})

test('toYAML output parses back to the same value', () => {
  fc.assert(fc.property(tree, (v) => {
    const out = encodeYAML(v)
    // The core schema: the yaml library's 1.1 schema reads some plain
    // scalars (e0) as numbers where yaml.v2 and the reference do not.
    assert.deepEqual(plain(parseYAMLText(out, { schema: 'core' })), plain(v), out)
  }), { numRuns: 300 })
})

test('toTOML output parses back to the same value', () => {
  // TOML has no null and no mixed nil arrays; tables need a map at the top.
  const tomlLeaf = fc.oneof(text, fc.integer(), fc.boolean())
  const tomlTree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, tomlLeaf, tie('map'),
      fc.array(tomlLeaf, { maxLength: 3 })),
    map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  })).map
  fc.assert(fc.property(tomlTree, (v) => {
    const out = encodeTOML(v)
    assert.deepEqual(plain(parseTOMLText(out)), plain(v), out)
  }), { numRuns: 300 })
})
