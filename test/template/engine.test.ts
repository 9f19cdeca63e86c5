// Table-driven engine cases with data the reference cannot be given
// (structs, typed maps, custom functions, delimiters, missingkey modes).
// Expected texts follow Go's text/template documentation and source.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { GoStruct, defineFunc, float, stringMap, typedMap } from '../../src/template/index.ts'
import type { ExecuteOptions, FuncMap, ParseOptions } from '../../src/template/index.ts'
import { render } from './helpers.ts'

class Service extends GoStruct {
  static override goType = 'dependency.HealthService'
  static override goPointer = true

  constructor(public Name: string, public Port: number, public Tags: string[],
    public Meta: Record<string, string> = stringMap({})) {
    super()
  }

  /** Returns the name with a prefix, as a method with an argument. */
  Prefixed(p: string): string {
    return p + this.Name
  }

  /** Fails, as a Go method returning an error. */
  Broken(): string {
    throw new Error('boom')
  }

  lower(): string {
    return 'unexported'
  }
}
defineFunc(Service.prototype.Prefixed, 1)
defineFunc(Service.prototype.Broken, 0)

class Point extends GoStruct {
  static override goType = 'main.Point'

  constructor(public X: number, public Y: unknown) {
    super()
  }
}

class Named extends GoStruct {
  static override goType = 'main.Named'

  constructor(public V: string) {
    super()
  }

  /** Gives fmt a Stringer, as Go's String method does. */
  String(): string {
    return 'named:' + this.V
  }
}

class Plain extends GoStruct {
  /** A method declared without defineFunc: two required parameters. */
  Plain(a: number, b: number): number {
    return a + b
  }
}

const web = new Service('web', 80, ['a', 'b'], stringMap({ env: 'prod' }))
const db = new Service('db', 5432, [])
const funcs: FuncMap = {
  upper: defineFunc((s: string) => s.toUpperCase(), 1),
  join: defineFunc((sep: string, ...xs: unknown[]) => xs.join(sep), 2, true),
  fail: defineFunc(() => {
    throw new Error('it failed')
  }, 0),
  nilf: defineFunc(() => null, 0),
  loose: (...xs: unknown[]) => xs.length,
}

interface Case {
  name: string
  src: string
  data?: unknown
  opts?: ParseOptions & ExecuteOptions
  out?: string
  err?: string
}

const cases: Case[] = [
  // structs: fields, methods, printing
  { name: 'struct field', src: '{{.Name}}:{{.Port}}', data: web, out: 'web:80' },
  { name: 'struct slice field', src: '{{.Tags}} {{len .Tags}}', data: web, out: '[a b] 2' },
  { name: 'struct typed map field', src: '{{.Meta.env}}|{{.Meta.nope}}|', data: web,
    opts: { missingKey: 'zero' }, out: 'prod||' },
  { name: 'method with arg', src: '{{.Prefixed "svc-"}}', data: web, out: 'svc-web' },
  { name: 'method piped arg', src: '{{"x-" | .Prefixed}}', data: web, out: 'x-web' },
  { name: 'method arity', src: '{{.Prefixed}}', data: web,
    err: 'template: t:1:2: executing "t" at <.Prefixed>: wrong number of args for Prefixed: ' +
      'want 1 got 0' },
  { name: 'method error', src: '{{.Broken}}', data: web,
    err: 'template: t:1:2: executing "t" at <.Broken>: error calling Broken: boom' },
  { name: 'unexported method', src: '{{.lower}}', data: web,
    err: 'template: t:1:2: executing "t" at <.lower>: can\'t evaluate field lower in type ' +
      '*dependency.HealthService' },
  { name: 'missing field', src: '{{.Nope}}', data: web,
    err: 'template: t:1:2: executing "t" at <.Nope>: can\'t evaluate field Nope in type ' +
      '*dependency.HealthService' },
  { name: 'field with args', src: '{{.Name 1}}', data: web,
    err: 'template: t:1:2: executing "t" at <.Name>: Name has arguments but cannot be invoked ' +
      'as function' },
  { name: 'struct print deref', src: '{{.}}', data: web,
    out: '{web 80 [a b] map[env:prod]}' },
  { name: 'struct print pointer', src: '{{print .}}', data: db, out: '&{db 5432 [] map[]}' },
  { name: 'struct %+v', src: '{{printf "%+v" .}}', data: new Point(1, 'a'),
    out: '{X:1 Y:a}' },
  { name: 'struct %v value', src: '{{printf "%v|%d" . .}}', data: new Point(1, 2),
    out: '{1 2}|{1 2}' },
  { name: 'struct %T', src: '{{printf "%T %T" . $.X}}', data: new Point(1, 2),
    out: 'main.Point int' },
  { name: 'struct nil field', src: '{{.Y}}|{{print .Y}}', data: new Point(1, null),
    out: '<nil>|<nil>' },
  { name: 'struct nil field chain', src: '{{.Y.Z}}', data: new Point(1, null),
    err: 'template: t:1:4: executing "t" at <.Y.Z>: nil pointer evaluating interface {}.Z' },
  { name: 'stringer', src: '{{.}} {{printf "%s|%v|%d" . . .}}', data: new Named('n'),
    out: 'named:n named:n|named:n|{%!d(string=n)}' },
  { name: 'struct truth', src: '{{if .}}yes{{end}}', data: new Point(0, 0), out: 'yes' },
  { name: 'struct range', src: '{{range .}}{{.Name}}={{.Port}};{{end}}', data: [web, db],
    out: 'web=80;db=5432;' },
  { name: 'struct in slice prints', src: '{{.}}', data: [new Point(1, 2)], out: '[{1 2}]' },
  { name: 'struct field chain', src: '{{.P.X}}', data: { P: new Point(3, 4) }, out: '3' },
  { name: 'variable chain', src: '{{$s := .}}{{$s.Name}} {{$.Port}}', data: web,
    out: 'web 80' },
  { name: 'paren chain struct', src: '{{(index . 1).Name}}', data: [web, db], out: 'db' },
  { name: 'range struct keys', src: '{{range $i, $s := .}}{{$i}}{{$s.Name}}{{end}}',
    data: [web, db], out: '0web1db' },
  // maps and missing keys
  { name: 'map field', src: '{{.a}} {{.b.c}}', data: { a: 1, b: { c: 'x' } }, out: '1 x' },
  { name: 'missing default', src: '{{.x}}', data: {}, out: '<no value>' },
  { name: 'missing zero', src: '{{.x}}', data: {}, opts: { missingKey: 'zero' },
    out: '<no value>' },
  { name: 'missing error', src: '{{.x}}', data: {}, opts: { missingKey: 'error' },
    err: 'template: t:1:2: executing "t" at <.x>: map has no entry for key "x"' },
  { name: 'nil data error', src: '{{.x}}', opts: { missingKey: 'error' },
    err: 'template: t:1:2: executing "t" at <.x>: nil data; no entry for key "x"' },
  { name: 'nil data default', src: '{{.x.y}}', out: '<no value>' },
  { name: 'typed map default', src: '{{.x}}', data: stringMap({ a: 'b' }),
    out: '<no value>' },
  { name: 'typed map zero', src: '[{{.x}}]', data: stringMap({ a: 'b' }),
    opts: { missingKey: 'zero' }, out: '[]' },
  { name: 'typed map int zero', src: '{{.x}}', data: typedMap({ a: 1 }, 0),
    opts: { missingKey: 'zero' }, out: '0' },
  { name: 'typed map index', src: '[{{index . "x"}}]', data: stringMap({}), out: '[]' },
  { name: 'nested missing zero', src: '{{.a.b}}', data: {}, opts: { missingKey: 'zero' },
    err: 'template: t:1:4: executing "t" at <.a.b>: nil pointer evaluating interface {}.b' },
  { name: 'nested missing default', src: '{{.a.b}}', data: {}, out: '<no value>' },
  { name: 'map field on int', src: '{{.a.b}}', data: { a: 1 },
    err: 'template: t:1:4: executing "t" at <.a.b>: can\'t evaluate field b in type ' +
      'interface {}' },
  { name: 'field on top int', src: '{{.b}}', data: 1,
    err: 'template: t:1:2: executing "t" at <.b>: can\'t evaluate field b in type int' },
  { name: 'map sorted print', src: '{{.}}', data: { b: 1, a: [1, 'x'], c: null },
    out: 'map[a:[1 x] b:1 c:<nil>]' },
  { name: 'map range sorted', src: '{{range $k, $v := .}}{{$k}}{{$v}}{{end}}',
    data: { b: 2, a: 1, B: 3 }, out: 'B3a1b2' },
  { name: 'map key with args', src: '{{.a 1}}', data: { a: 1 },
    err: 'template: t:1:2: executing "t" at <.a>: a is not a method but has arguments' },
  // numbers
  { name: 'float data', src: '{{.}} {{printf "%T" .}}', data: float(3), out: '3 float64' },
  { name: 'int data', src: '{{.}} {{printf "%T" .}}', data: 3, out: '3 int' },
  { name: 'bigint data', src: '{{.}} {{printf "%x" .}}', data: 2n ** 62n,
    out: '4611686018427387904 4000000000000000' },
  { name: 'big int literal', src: '{{9007199254740993}}', out: '9007199254740993' },
  { name: 'eq bigint', src: '{{eq . 9007199254740993}}', data: 9007199254740993n,
    out: 'true' },
  { name: 'float compare', src: '{{lt . 2.5}} {{eq . 1.5}}', data: float(1.5),
    out: 'true true' },
  { name: 'int float compare error', src: '{{eq . 1}}', data: float(1),
    err: 'template: t:1:2: executing "t" at <eq . 1>: error calling eq: incompatible types ' +
      'for comparison: float64 and int' },
  // functions
  { name: 'custom func', src: '{{upper "a"}} {{"b" | upper}}', opts: { funcs }, out: 'A B' },
  { name: 'custom variadic', src: '{{join "," 1 2 3}}|{{join "-"}}', opts: { funcs },
    out: '1,2,3|' },
  { name: 'custom arity', src: '{{upper}}', opts: { funcs },
    err: 'template: t:1:2: executing "t" at <upper>: wrong number of args for upper: want 1 ' +
      'got 0' },
  { name: 'custom variadic arity', src: '{{join}}', opts: { funcs },
    err: 'template: t:1:2: executing "t" at <join>: wrong number of args for join: want at ' +
      'least 1 got 0' },
  { name: 'custom too many', src: '{{upper "a" "b"}}', opts: { funcs },
    err: 'template: t:1:2: executing "t" at <upper>: wrong number of args for upper: want 1 ' +
      'got 2' },
  { name: 'custom error', src: '{{fail}}', opts: { funcs },
    err: 'template: t:1:2: executing "t" at <fail>: error calling fail: it failed' },
  { name: 'custom error as arg', src: '{{print (fail)}}', opts: { funcs },
    err: 'template: t:1:9: executing "t" at <fail>: error calling fail: it failed' },
  { name: 'custom nil result', src: '{{nilf}}|{{print (nilf)}}', opts: { funcs },
    out: '<no value>|<nil>' },
  { name: 'custom no arity', src: '{{loose 1 2 3}}', opts: { funcs }, out: '3' },
  { name: 'method without arity short', src: '{{.Plain}}', data: new Plain(),
    err: 'template: t:1:2: executing "t" at <.Plain>: wrong number of args for Plain: want 2 ' +
      'got 0' },
  { name: 'method without arity', src: '{{.Plain 1 2}} {{.Plain 1 2 3}}', data: new Plain(),
    out: '3 3' },
  { name: 'missing gets nil', src: '{{join "," .x 1}}', data: {}, opts: { funcs },
    out: ',1' },
  { name: 'func not defined', src: '{{upper "a"}}',
    err: 'template: t:1: function "upper" not defined' },
  { name: 'override builtin', src: '{{len "abc"}}',
    opts: { funcs: { len: defineFunc(() => 'mine', 1) } }, out: 'mine' },
  { name: 'override and', src: '{{and 0 1}}',
    opts: { funcs: { and: defineFunc((a: unknown, b: unknown) => `${a}&${b}`, 2) } },
    out: '0&1' },
  { name: 'break as func', src: '{{break}}',
    opts: { funcs: { break: defineFunc(() => 'b', 0) } }, out: 'b' },
  { name: 'call func field', src: '{{call .f 2 3}}',
    data: { f: defineFunc((a: number, b: number) => a * b, 2) }, out: '6' },
  { name: 'call arity', src: '{{call .f 2}}', data: { f: defineFunc((a: number) => a, 2) },
    err: 'template: t:1:2: executing "t" at <call .f 2>: error calling call: wrong number of ' +
      'args for .f: got 1 want 2' },
  { name: 'call non-function', src: '{{call .f}}', data: { f: 1 },
    err: 'template: t:1:2: executing "t" at <call .f>: error calling call: non-function .f ' +
      'of type int' },
  { name: 'call error', src: '{{call .f}}',
    data: { f: () => { throw new Error('bad call') } },
    err: 'template: t:1:2: executing "t" at <call .f>: error calling call: bad call' },
  { name: 'call method value', src: '{{call .F "x"}}',
    data: { F: (s: string) => s + '!' }, out: 'x!' },
  { name: 'print func', src: '{{.f}}', data: { f: () => 1 },
    err: 'template: t:1:2: executing "t" at <{{.f}}>: can\'t print {{.f}} of type func' },
  // delimiters
  { name: 'custom delims', src: '<<.a>> {{.a}}', data: { a: 1 },
    opts: { leftDelim: '<<', rightDelim: '>>' }, out: '1 {{.a}}' },
  { name: 'custom delims trim', src: 'x <<- .a ->> y', data: { a: 1 },
    opts: { leftDelim: '<<', rightDelim: '>>' }, out: 'x1y' },
  { name: 'custom delims comment', src: 'a[[/* c */]]b',
    opts: { leftDelim: '[[', rightDelim: ']]' }, out: 'ab' },
  { name: 'custom delims unclosed', src: 'a[[.x',
    opts: { leftDelim: '[[', rightDelim: ']]' }, err: 'template: t:1: unclosed action' },
  { name: 'delim default when empty', src: '{{1}}', opts: { leftDelim: '', rightDelim: '' },
    out: '1' },
  // variables
  { name: 'range var persists', src: '{{range $i, $e := .}}{{end}}{{$i}}', data: [1],
    err: 'template: t:1: undefined variable "$i"' },
  { name: 'assign in range keeps', src: '{{$n := 0}}{{range .}}{{$n = .}}{{end}}{{$n}}',
    data: [1, 2, 3], out: '3' },
  { name: 'range assign vars', src: '{{$i := 0}}{{$v := 0}}{{range $i, $v = .}}{{end}}{{$i}}{{$v}}',
    data: ['a', 'b'], out: '1b' },
  { name: 'range one assign var', src: '{{$v := 0}}{{range $v = .}}{{end}}{{$v}}',
    data: ['a', 'b'], out: 'b' },
  { name: 'with decl', src: '{{with $x := .a}}{{$x}}{{.}}{{end}}', data: { a: 'q' },
    out: 'qq' },
  { name: 'if decl scope', src: '{{if $x := .a}}{{$x}}{{else}}{{$x}}no{{end}}',
    data: { a: '' }, out: 'no' },
  { name: 'dollar in template', src: '{{define "a"}}{{$.k}}{{end}}{{template "a" .m}}',
    data: { k: 1, m: { k: 2 } }, out: '2' },
  // range
  { name: 'range else', src: '{{range .}}x{{else}}e{{end}}', data: [], out: 'e' },
  { name: 'range break continue', src:
    '{{range .}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}',
  data: [1, 2, 3, 4, 5], out: '13' },
  { name: 'range map break', src: '{{range $k, $v := .}}{{$k}}{{break}}{{end}}',
    data: { b: 1, a: 2 }, out: 'a' },
  { name: 'range int dot', src: '{{range 2}}{{.}}{{printf "%T" .}}{{end}}', out: '0int1int' },
  { name: 'range bigint', src: '{{range .}}{{.}}{{end}}', data: 3n, out: '012' },
  { name: 'range over struct', src: '{{range .}}{{end}}', data: new Point(1, 2),
    err: 'template: t:1:8: executing "t" at <.>: range can\'t iterate over {1 2}' },
  { name: 'range two vars int', src: '{{range $a, $b := .}}{{end}}', data: 3,
    err: 'template: t:1:18: executing "t" at <.>: can\'t use 3 to iterate over more than one ' +
      'variable' },
  { name: 'range typed map', src: '{{range $k, $v := .}}{{$k}}={{$v}};{{end}}',
    data: stringMap({ b: '2', a: '1' }), out: 'a=1;b=2;' },
  { name: 'range keys bytes order', src: '{{range $k, $v := .}}{{$k}}{{end}}',
    data: { '\uffff': 1, '\u{1F600}': 2, z: 3 }, out: 'z\uffff\u{1F600}' },
  // templates
  { name: 'template dot', src: '{{define "x"}}<{{.}}>{{end}}{{template "x" .a}}',
    data: { a: 7 }, out: '<7>' },
  { name: 'template error names it', src: '{{define "x"}}{{.a.b}}{{end}}{{template "x" 1}}',
    err: 'template: t:1:18: executing "x" at <.a.b>: can\'t evaluate field a in type int' },
  { name: 'template in range break', src:
    '{{define "x"}}{{.}}{{end}}{{range .}}{{template "x" .}}{{break}}{{end}}',
  data: [1, 2], out: '1' },
  { name: 'block redefined', src: '{{block "b" .}}default{{end}}{{define "b"}}new{{end}}',
    err: 'template: t:1: template: multiple definition of template "b"' },
  // errors and positions
  { name: 'exec error line 3', src: 'a\nb\n  {{index 1 2}}',
    err: 'template: t:3:4: executing "t" at <index 1 2>: error calling index: can\'t index ' +
      'item of type int' },
  { name: 'exec error utf8 col', src: 'é€😀{{len 1}}',
    err: 'template: t:1:11: executing "t" at <len 1>: error calling len: len of type int' },
  { name: 'if func value', src: '{{if .f}}y{{end}}', data: { f: () => 1 }, out: 'y' },
  { name: 'nil is not a command', src: '{{nil}}',
    err: 'template: t:1:2: executing "t" at <nil>: nil is not a command' },
  { name: 'printf field not string', src: '{{printf .a}}', data: { a: 1 },
    err: 'template: t:1:9: executing "t" at <.a>: wrong type for value; expected string; got ' +
      'int' },
  // html/js/urlquery on data
  { name: 'html data', src: '{{html .}}', data: '<&>', out: '&lt;&amp;&gt;' },
  { name: 'escapers deref pointers', src: '{{html .}}|{{print .}}|{{urlquery .}}', data: db,
    out: '{db 5432 [] map[]}|&{db 5432 [] map[]}|%7Bdb+5432+%5B%5D+map%5B%5D%7D' },
  { name: 'js control', src: '{{js .}}', data: '\u0001\u007f\u00a0', out: '\\u0001\u007f\\u00A0' },
  { name: 'urlquery data', src: '{{urlquery .}}', data: 'a+b c', out: 'a%2Bb+c' },
  // print of composite data
  { name: 'slice print verbs', src: '{{printf "%d|%s|%q|%x|%5d" . . . . .}}', data: [1, 2],
    out: '[1 2]|[%!s(int=1) %!s(int=2)]|[\'\\x01\' \'\\x02\']|[1 2]|[    1     2]' },
  { name: 'string slice', src: '{{printf "%q %v %x" . . .}}', data: ['a', 'b'],
    out: '["a" "b"] [a b] [61 62]' },
  { name: 'map %#v', src: '{{printf "%#v" .}}', data: { a: 1, b: 'x' },
    out: 'map[string]interface {}{"a":1, "b":"x"}' },
  { name: 'slice %#v', src: '{{printf "%#v" .}}', data: [1, 'x'],
    out: '[]interface {}{1, "x"}' },
  { name: 'nested map', src: '{{.}}', data: { m: { z: 1, a: { q: [] } } },
    out: 'map[m:map[a:map[q:[]] z:1]]' },
  { name: 'float in composite', src: '{{.}}', data: [float(1e6), float(0.5), float(2)],
    out: '[1e+06 0.5 2]' },
  { name: 'sprint spaces data', src: '{{print . 1}}', data: ['x'], out: '[x] 1' },
  { name: 'len map', src: '{{len .}}', data: { a: 1, b: 2 }, out: '2' },
  { name: 'index nested', src: '{{index . "a" 1 "b"}}', data: { a: [0, { b: 'deep' }] },
    out: 'deep' },
  { name: 'index missing key untyped', src: '{{index . "q"}}|{{print (index . "q")}}',
    data: {}, out: '<no value>|<nil>' },
  { name: 'slice of slice', src: '{{slice . 1 2}} {{slice . 0 1 2}}', data: [1, 2, 3],
    out: '[2] [1]' },
  { name: 'slice 3 bad', src: '{{slice . 0 2 1}}', data: [1, 2, 3],
    err: 'template: t:1:2: executing "t" at <slice . 0 2 1>: error calling slice: invalid ' +
      'slice index: 2 > 1' },
]

for (const c of cases) {
  test(c.name, () => {
    const got = render(c.src, c.data, c.opts)
    const want = c.err !== undefined ? { err: c.err } : { out: c.out }
    assert.deepEqual(got, want, `src ${JSON.stringify(c.src)}`)
  })
}
