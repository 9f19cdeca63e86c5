/**
 * Template cases for the helper functions, each rendered by the reference
 * consul-template (scripts/gen-function-fixtures.ts) to produce the
 * expected output or error stored in fixtures/*.json. A case is a whole
 * template with no data: values come from literals and parseJSON.
 */

/** One case: a template and, optionally, environment it needs. */
export interface FunctionCase {
  template: string
  env?: Record<string, string>
}

const j = (json: string) => `(parseJSON \`${json}\`)`
const each = (fn: string, inputs: string[]): FunctionCase[] =>
  inputs.map((i) => ({ template: `{{ ${fn} ${i} }}` }))
const piped = (fn: string, inputs: string[]): FunctionCase[] =>
  inputs.map((i) => ({ template: `{{ ${i} | ${fn} }}` }))
const q = (s: string) => JSON.stringify(s)

const odd = ['', ' ', 'abc', 'Hello, World', '  padded  ', 'ß straße', 'ǆ ǳ',
  'ÀÉÎ õü', 'İstanbul', 'ﬁ ligature', 'tab\there', 'line1\nline2\n', '日本語',
  'emoji 😀 ok', 'a-b_c.d', "it's o'clock", 'MiXeD cAsE', '123abc', 'σς Σ']

// Characters where Go's simple case mappings, x/text's title casing and
// JavaScript's full mappings part ways.
const caseEdges = ['hello wORLD', 'x-ray_vision', "o'neil's", '3d printer', 'a1b2 c3d4',
  'ΐ', 'ǉubljana', 'ŉ', 'ﬀ ﬃ', 'ǅemal', 'éa', 'a.b.c', 'foo:bar', 'a·b', 'a\u00adb', 'ⓐⓑ',
  'ǰ',
  'ʼn', 'İi', 'ıI', 'Σσς', 'ΣΑΣ', 'ǈ', 'ﬆ', 'ꭰ', 'ᾳ', 'ᾼ', 'ῳ', '\u0345', 'k\u0301ok',
  '1st 2nd', 'hello\tworld\nnew line', 'über-cool', '_x_y', 'a--b', 'x y\u200bz', 'mañana',
  'ǳǲǱ', 'ΰ', 'ᾀ']

/** Cases grouped by the fixture file they land in. */
export const groups: Record<string, FunctionCase[]> = {
  strings: [
    ...piped('toUpper', odd.map(q)),
    ...piped('toLower', odd.map(q)),
    ...piped('toTitle', [...odd, 'hello-world foo_bar', 'a.b c:d', 'x1y 2z', 'o\'neil mc-d',
      'ÉCOLE élève', 'don’t stop'].map(q)),
    ...['toTitle', 'toUpper', 'toLower'].flatMap((fn) => piped(fn, caseEdges.map(q))),
    ...piped('trimSpace', ['  a  ', '\t\n x \r\n', '\u00a0nbsp\u00a0', '', ' \u2003em\u2003 ',
      'inner  space'].map(q)),
    ...each('trim', ['"/" "//a/b//"', '"" " a "', '"ab" "abcba"', '"xy" "xyxhixyx"',
      '"é" "éaé"', '" " "  pad  "', '"/" "/"', '"abc" ""']),
    ...each('trimPrefix', ['"a" "aab"', '"" "x"', '"xyz" "xy"', '"/" "/path"', '"é" "éé"']),
    ...each('trimSuffix', ['".txt" "a.txt"', '"" "x"', '"b" "abb"', '"long" "g"', '"/" "a/"']),
    ...each('replaceAll', ['"a" "b" "banana"', '"" "-" "abc"', '"" "-" ""', '"ana" "X" "banana"',
      '"x" "" "xaxbx"', '"é" "e" "été"', '"." "\\\\." "a.b.c"']),
    ...['"," "a,b,c"', '"," ""', '"," "  "', '"," " a,b "', '"" "abc"', '", " "a, b, c"',
      '"," ",a,"', '"x" "abc"', '"/" "a//b"'].map((a) => ({
      template: `{{ range $i, $e := split ${a} }}[{{ $i }}={{ $e }}]{{ end }}` +
        `|{{ len (split ${a}) }}`,
    })),
    ...['"," "=" "a=1,b=2"', '"," "=" ""', '"," "=" "a=1,b,c=3=4"', '";" ":" " x:1;y:2 "',
      '"," "=" "=v,k="', '"&" "=" "a=1&a=2"'].map((a) => ({
      template: `{{ range $k, $v := splitToMap ${a} }}[{{ $k }}={{ $v }}]{{ end }}`,
    })),
    ...each('join', ['"," (split "," "a,b,c")', '"" (split "," "a,b")', '", " (split "," "x")',
      '"-" (split "," "")']),
    ...each('indent', ['2 "a\\nb"', '0 "a"', '4 ""', '2 "\\n\\nx\\n"', '3 "one"', '-1 "x"',
      '2 "a\\r\\nb"', '1 "\\n"']),
  ],
  parse: [
    ...each('parseInt', ['""', '"0"', '"42"', '"-42"', '"+7"', '"007"', '"9223372036854775807"',
      '"-9223372036854775808"', '"9223372036854775808"', '"1_000"', '"0x10"', '" 1"', '"1.5"',
      '"abc"', '"-"', '"1e3"', '"٣"', '"99999999999999999999"']),
    ...each('parseUint', ['""', '"0"', '"42"', '"-1"', '"+1"', '"18446744073709551615"',
      '"18446744073709551616"', '"x"', '"0b1"', '"1_0"']),
    ...each('parseFloat', ['""', '"0"', '"1.5"', '"-2.25"', '"1e3"', '"1E-3"', '".5"', '"5."',
      '"inf"', '"-Inf"', '"+infinity"', '"NaN"', '"nan"', '"1e400"', '"-1e400"', '"0x1p-2"',
      '"0x1.8p1"', '"1_000.5"', '"0x_1p0"', '"abc"', '"1.2.3"', '" 1"', '"1e"', '"123456789"',
      '"0.000001"', '"0.0000001"', '"1e21"', '"1e20"', '"100000"', '"1000000"', '"-0"',
      '"3.14159265358979"', '"2.5e-5"']),
    ...['"1.5"', '"2"', '"1e6"', '"0.1"', '"-3.75"'].map((s) => ({
      template: `{{ parseFloat ${s} | printf "%v %T" }}`,
    })),
    ...['"42"', '"-1"'].map((s) => ({ template: `{{ parseInt ${s} | printf "%v %T" }}` })),
    ...each('parseBool', ['""', '"true"', '"TRUE"', '"True"', '"t"', '"T"', '"1"', '"false"',
      '"FALSE"', '"False"', '"f"', '"F"', '"0"', '"yes"', '"tRUE"', '" true"', '"2"']),
    ...each('parseJSON', ['`{"a":1}`', '`[1,2,3]`', '`"str"`', '`true`', '`1.5`', '``',
      '`{`', '`[1,]`', '`{"a" 1}`', '`{"a":1,}`', '`nul`', '`tru`', '`01`', '`1.`', '`-`',
      '`"\\q"`', '`"\\u12"`', '`[1 2]`', '`{"a":1} x`', '`{1:2}`', '`"a\tb"`', '`1e`',
      '`"abc`', '`  `', '`[]`', '`{}`']),
    ...[`{"b":2,"a":[1,"x",null,true],"c":{"d":1.5}}`, `[{"k":"v"},{"k":"w"}]`,
      `{"n":12345678901234567890}`, `{"big":1e300,"small":1e-300,"i":100}`,
      `{"dup":1,"dup":2}`, `{"u":"\\u00e9\\ud83d\\ude00"}`].map((s) => ({
      template: `{{ ${j(s)} | toJSON }}`,
    })),
    ...[`{"a":{"b":{"c":"deep"}}}`].map((s) => ({ template: `{{ (${j(s)}).a.b.c }}` })),
    { template: `{{ range ${j('[3,1,2]')} }}{{ . }},{{ end }}` },
    { template: `{{ range $k, $v := ${j('{"z":1,"a":2,"m":3}')} }}{{ $k }}={{ $v }};{{ end }}` },
    { template: `{{ index ${j('{"a":[10,20]}')} "a" | len }}` },
    { template: `{{ with ${j('{"x":"y"}')} }}{{ .x }}{{ end }}` },
    ...[`a: 1\nb: [x, y]\n`, `- 1\n- two\n- 3.5\n- true\n- null\n`, `key: yes\nother: off\n`,
      `n: 010\nh: 0x1f\nf: 1.0\ne: 1e3\n`, `s: "quoted"\nt: 'single'\n`,
      `nested:\n  a:\n    b: c\n`,
      `list:\n  - name: a\n  - name: b\n`, `"": empty\n`, `multi: |\n  line1\n  line2\n`,
      `x: ~\n`, `date: 2001-12-14\n`].map((s) => ({
      template: `{{ parseYAML ${q(s)} | toYAML }}`,
    })),
    ...[`a: 1`, `- x`, `[1, 2]`, `plain`].map((s) => ({
      template: `{{ parseYAML ${q(s)} | toJSON }}`,
    })),
    { template: '{{ (parseYAML "a:\\n  b: deep\\n").a.b }}' },
    { template: '{{ range (parseYAML "- 1\\n- 2\\n") }}{{ . }};{{ end }}' },
    { template: '{{ parseYAML "" | len }}' },
    { template: '{{ parseYAML "a: [1, 2" }}' },
    { template: '{{ parseYAML "a: b: c" }}' },
  ],
}
