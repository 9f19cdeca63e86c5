/**
 * Sprig's JSON encoders on the values other parts of ctmpl hand a template:
 * structs with Go json tags (src/dependency's shapes) and nil maps must
 * come out as the helpers' toJSON writes them, at any depth.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { GoStruct } from '../../../src/template/value.ts'
import { encodeJSON } from '../../../src/functions/json.ts'
import { sprigByName } from '../../../src/functions/sprig/index.ts'

class Tagged extends GoStruct {
  static override goType = 'dependency.Tagged'
  static jsonTags = { Secret: '-', Namespace: ',omitempty', ID: 'id' }
  constructor(public ID: string, public Namespace: string, public Secret: string,
    public Meta: Record<string, string>) { super() }
}

const f = sprigByName()

test('struct json tags and omitempty apply inside Sprig\'s encoders', () => {
  const v = new Tagged('web-1', '', 'hidden', { b: '2', a: '1' })
  assert.equal(f.toJson!(v), '{"id":"web-1","Meta":{"a":"1","b":"2"}}')
  assert.equal(f.toJson!([v]), '[' + encodeJSON(v, { escapeHTML: true, indent: '' }) + ']')
})

test('a struct nested in a list is indented to its depth', () => {
  const v = new Tagged('a<b', 'ns', 'x', {})
  const want = '[\n  {\n    "id": "a\\u003cb",\n    "Namespace": "ns",\n    "Meta": {}\n  }\n]'
  assert.equal(f.toPrettyJson!([v]), want)
  assert.equal(f.toRawJson!(v), '{"id":"a<b","Namespace":"ns","Meta":{}}')
})

test('a nil map encodes as null', () => {
  const nilMap = {}
  Object.defineProperty(nilMap, Symbol.for('ctmpl.nilMap'), { value: true })
  assert.equal(f.toJson!({ m: nilMap }), '{"m":null}')
})
