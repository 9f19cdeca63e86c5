// Arguments a helper refuses for their Go type: Go rejects them before the
// call, at the argument, so the reference's message has no "error calling
// NAME:" and names the argument (a constant in Go's own words). Every
// message below is what consul-template v0.42.1 printed for the template.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { helperFuncs } from '../../src/functions/index.ts'
import { Template } from '../../src/template/index.ts'

const at = (pos: string, node: string, msg: string): string =>
  `template: :1:${pos}: executing "" at <${node}>: ${msg}`

const cases: Array<{ name: string; src: string; err: string }> = [
  // constants, in Go's words for the parameter's kind
  { name: 'int constant for string', src: '{{ toLower 3 }}',
    err: at('11', '3', 'expected string; found 3') },
  { name: 'nil for string', src: '{{ toLower nil }}',
    err: at('11', 'nil', 'cannot assign nil to string') },
  { name: 'string constant for int', src: '{{ indent "a" "b" }}',
    err: at('10', '"a"', 'expected integer; found "a"') },
  { name: 'bool constant', src: '{{ base64Encode true }}',
    err: at('16', 'true', 'expected string; found true') },
  { name: 'second argument', src: '{{ replaceAll "a" 3 "abc" }}',
    err: at('18', '3', 'expected string; found 3') },
  { name: 'constant for a slice', src: '{{ join "," "," }}',
    err: at('12', '","', 'can\'t handle "," for arg of type []string') },
  { name: 'same value, other parameter', src: '{{ indent 3 3 }}',
    err: at('12', '3', 'expected string; found 3') },
  { name: 'constant for a map', src: '{{ mergeMap "a" "b" }}',
    err: at('12', '"a"', 'can\'t handle "a" for arg of type map[string]interface {}') },
  { name: 'constant for key pairs', src: '{{ byKey "x" }}',
    err: at('9', '"x"', 'can\'t handle "x" for arg of type []*dependency.KeyPair') },
  { name: 'constant for services', src: '{{ byMeta "a" "b" }}',
    err: at('14', '"b"',
      'can\'t handle "b" for arg of type []*dependency.HealthService') },
  // values of the wrong type, at the argument
  { name: 'variable', src: '{{ $x := 3 }}{{ replaceAll "a" "b" $x }}',
    err: at('35', '$x', 'wrong type for value; expected string; got int') },
  { name: 'missing field', src: '{{ toLower .x }}',
    err: at('11', '.x', 'invalid value; expected string') },
  { name: 'variable for key pairs', src: '{{ $x := "a" }}{{ byKey $x }}',
    err: at('24', '$x', 'wrong type for value; expected []*dependency.KeyPair; got string') },
  { name: 'variable for services', src: '{{ $x := "a" }}{{ byMeta "a" $x }}',
    err: at('29', '$x',
      'wrong type for value; expected []*dependency.HealthService; got string') },
  { name: 'typed map for interface map',
    src: '{{ $m := splitToMap "a=1" "," "=" }}{{ explodeMap $m }}',
    err: at('50', '$m',
      'wrong type for value; expected map[string]interface {}; got map[string]string') },
  { name: 'typed slice for interface slice',
    src: '{{ $s := split "," "a" }}{{ containsAll $s "a"}}',
    err: at('40', '$s', 'wrong type for value; expected []interface {}; got []string') },
  // a piped value: at the last node Go evaluated
  { name: 'piped, no arguments', src: '{{ $x := 3 }}{{ $x | toLower }}',
    err: at('21', 'toLower', 'wrong type for value; expected string; got int') },
  { name: 'piped after arguments', src: '{{ $x := 3 }}{{ $x | replaceAll "a" "b" }}',
    err: at('36', '"b"', 'wrong type for value; expected string; got int') },
  { name: 'piped after a pipeline',
    src: '{{ $x := 3 }}{{ $x | replaceAll "a" (print 1 | len) }}',
    err: at('47', 'len', 'wrong type for value; expected string; got int') },
  { name: 'piped missing value', src: '{{ .x | toLower }}',
    err: at('8', 'toLower', 'invalid value; expected string') },
  // errors of the function itself keep the prefix
  { name: 'function error', src: '{{ byTag "a" }}',
    err: at('3', 'byTag "a"', 'error calling byTag: byTag: wrong argument type string') },
]

for (const c of cases) {
  test(c.name, () => {
    const funcs = helperFuncs()
    const tpl = Template.parse('', c.src, { funcs })
    assert.throws(() => tpl.execute({}, { funcs, missingKey: 'zero' }),
      (e: Error) => {
        assert.equal(e.message, c.err)
        return true
      })
  })
}
