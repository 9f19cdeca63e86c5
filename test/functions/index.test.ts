// The helper map: every helper the reference documents is present with
// the arity Go declares, and each render gets its own scratch.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { allFuncNames, helperFuncs } from '../../src/functions/index.ts'
import { Template } from '../../src/template/index.ts'
import type { Scratch } from '../../src/functions/scratch.ts'

const issueList = `base64Decode base64Encode base64URLDecode base64URLEncode byKey byTag
  byMeta contains containsAll containsAny containsNone containsNotAll env mustEnv
  envOrDefault executeTemplate explode explodeMap indent in loop join mergeMap
  mergeMapWithOverride trimSpace trim trimPrefix trimSuffix parseBool parseFloat parseInt
  parseJSON parseUint parseYAML plugin regexMatch regexReplaceAll replaceAll sha256Hex
  md5sum hmacSHA256Hex split splitToMap timestamp toJSON toJSONPretty toUnescapedJSON
  toUnescapedJSONPretty toLower toTitle toTOML toUpper toYAML sockaddr writeToFile add
  subtract multiply divide modulo minimum maximum scratch byPort`.split(/\s+/)

test('every reference helper is there', () => {
  const names = new Set(allFuncNames())
  for (const n of issueList) assert.ok(names.has(n), n)
})

// Arity as Go's function types declare it (params, variadic).
const arities: Record<string, [number, boolean]> = {
  toUpper: [1, false], trim: [2, false], replaceAll: [3, false], splitToMap: [3, false],
  loop: [1, true], timestamp: [1, true], executeTemplate: [2, true], plugin: [2, true],
  writeToFile: [5, true], sockaddr: [1, true], add: [2, false], byMeta: [2, false],
  scratch: [0, false], indent: [2, false], hmacSHA256Hex: [2, false],
}

test('arity as Go declares it', () => {
  const funcs = helperFuncs()
  for (const [name, [params, variadic]] of Object.entries(arities)) {
    assert.deepEqual(funcs[name]!.goArity, { params, variadic }, name)
  }
})

test('wrong arity is the executor\'s Go error', () => {
  const funcs = helperFuncs()
  assert.throws(() => Template.parse('t', '{{ toUpper "a" "b" }}', { funcs })
    .execute(null, { funcs }), /wrong number of args for toUpper: want 1 got 2/)
})

test('each render gets its own scratch', () => {
  const a = helperFuncs()
  assert.equal(a['scratch']!(), a['scratch']!())
  assert.notEqual(a['scratch']!(), helperFuncs()['scratch']!())
  const text = '{{ scratch.SetX "n" "first" }}{{ scratch.Get "n" }}'
  const t = Template.parse('t', text, { funcs: a })
  ;(a['scratch']!() as Scratch).Set('n', 'earlier')
  assert.equal(t.execute(null, { funcs: a }), 'earlier')
  assert.equal(t.execute(null, { funcs: helperFuncs() }), 'first')
})

test('toJSON applies struct json tags a class declares', async () => {
  const { GoStruct } = await import('../../src/template/index.ts')
  class Check extends GoStruct {
    static jsonTags = { Namespace: ',omitempty', Secret: '-', Interval: 'interval' }
    Node = 'n1'
    Namespace = ''
    Partition = 'p'
    Secret = 'x'
    Interval = '10s'
  }
  const funcs = helperFuncs()
  assert.equal(funcs['toJSON']!(new Check()), '{"Node":"n1","Partition":"p","interval":"10s"}')
  const c = new Check()
  c.Namespace = 'ns'
  assert.equal(funcs['toJSON']!(c),
    '{"Node":"n1","Namespace":"ns","Partition":"p","interval":"10s"}')
})

test('executeTemplate runs through the runner\'s binding', () => {
  const funcs = helperFuncs({
    template: () => ({ executeTemplate: (n, d) => tpl.executeTemplate(n, d, { funcs }) }),
  })
  const tpl = Template.parse('t', '{{ define "x" }}{{ scratch.Get "k" }}:{{ . }}{{ end }}' +
    '{{ scratch.Set "k" "v" }}{{ executeTemplate "x" 1 }}', { funcs: helperFuncs() })
  assert.equal(tpl.execute(null, { funcs }), 'v:1')
})

test('toJSON honours src/dependency\'s nil-map and jsonEntries marks', async () => {
  const { GoStruct, stringMap } = await import('../../src/template/index.ts')
  const nil = stringMap()
  Object.defineProperty(nil, Symbol.for('ctmpl.nilMap'), { value: true })
  class Def extends GoStruct {
    A = 1
    B = nil;
    [Symbol.for('ctmpl.jsonEntries')](): [string, unknown][] {
      return [['B', this.B], ['Custom', 'x']]
    }
  }
  const funcs = helperFuncs()
  assert.equal(funcs['toJSON']!({ m: nil, d: new Def() }),
    '{"d":{"B":null,"Custom":"x"},"m":null}')
  assert.equal(funcs['toYAML']!({ m: nil }), 'm: {}')
})
