// The maps byPort, byTag and byKey return have Go types of their own:
// map[int][]interface {} ranges and prints in port order and has no
// fields; a missing key of a map of slices reads as a nil slice ([]), of
// a map of pointers as a nil pointer (<nil>). Expected outputs are what
// consul-template v0.42.1 printed for the same templates over the same
// services (test/e2e/parity/realistic-catalog.json).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HealthService, KeyPair, serviceTags } from '../../src/dependency/structs.ts'
import { helperFuncs } from '../../src/functions/index.ts'
import { Template, defineFunc } from '../../src/template/index.ts'

function service(id: string, port: number, tags: string[]): HealthService {
  return Object.assign(new HealthService(), { ID: id, Name: 'app', Port: port,
    Tags: serviceTags(tags) })
}

function pair(key: string, value: string): KeyPair {
  return Object.assign(new KeyPair(), { Path: `proxy/${key}`, Key: key, Value: value })
}

const services = [service('app-10000', 10000, ['grpc', 'v3']),
  service('app-8080', 8080, ['http', 'v2', 'blue']),
  service('app-9000', 9000, ['http', 'v2', 'green'])]
const pairs = [pair('upstreams/app/retries', '3'), pair('upstreams/app/timeout', '5s')]

function render(src: string): string {
  const funcs = { ...helperFuncs(),
    service: defineFunc(() => services, 1, true),
    tree: defineFunc(() => pairs, 1) }
  return Template.parse('', src, { funcs }).execute(null, { funcs, missingKey: 'zero' })
}

const cases: Array<{ name: string; src: string; out?: string; err?: string }> = [
  { name: 'byPort ranges in port order',
    src: '{{ range $p, $s := service "app" | byPort }}{{ $p }} {{ end }}',
    out: '8080 9000 10000 ' },
  { name: 'byPort keys are ints',
    src: '{{ range $p, $s := service "app" | byPort }}{{ printf "%T" $p }} {{ end }}',
    out: 'int int int ' },
  { name: 'byPort prints in port order',
    src: '{{ $m := service "app" | byPort }}{{ range $k, $v := $m }}{{ end }}' +
      '{{ printf "%v" (len $m) }} {{ printf "%T" $m }}',
    out: '3 map[int][]interface {}' },
  { name: 'byPort indexes by int', src: '{{ index (service "app" | byPort) 10000 | len }}',
    out: '1' },
  { name: 'byPort missing port', src: '{{ index (service "app" | byPort) 1 }}', out: '[]' },
  { name: 'byPort refuses a string key',
    src: '{{ index (service "app" | byPort) "443" }}',
    err: 'template: :1:3: executing "" at <index (service "app" | byPort) "443">: ' +
      'error calling index: value has type string; should be int' },
  { name: 'byPort has no fields', src: '{{ $m := service "app" | byPort }}{{ $m.x }}',
    err: 'template: :1:39: executing "" at <$m.x>: can\'t evaluate field x in type ' +
      'map[int][]interface {}' },
  { name: 'byTag missing tag is a nil slice',
    src: '{{ $bt := service "app" | byTag }}{{ $bt.nope }}|{{ index $bt "nope" }}|' +
      '{{ printf "%T" $bt }}|{{ $bt.v2 | len }}',
    out: '[]|[]|map[string][]interface {}|2' },
  { name: 'byTag is no map[string]interface {}',
    src: '{{ mergeMap (service "app" | byTag) (parseJSON "{}") }}',
    err: 'template: :1:29: executing "" at <byTag>: wrong type for value; expected ' +
      'map[string]interface {}; got map[string][]interface {}' },
  { name: 'byKey types and zero values',
    src: '{{ $bk := tree "proxy" | byKey }}{{ printf "%T" $bk }}|{{ $bk.nope }}|' +
      '{{ index $bk "nope" }}|{{ $bk.upstreams.nope }}|{{ printf "%T" $bk.upstreams }}',
    out: 'map[string]map[string]*dependency.KeyPair|map[]|map[]|<nil>|' +
      'map[string]*dependency.KeyPair' },
]

for (const c of cases) {
  test(c.name, () => {
    if (c.err !== undefined) {
      assert.throws(() => render(c.src), (e: Error) => {
        assert.equal(e.message, c.err)
        return true
      })
    } else {
      assert.equal(render(c.src), c.out)
    }
  })
}
