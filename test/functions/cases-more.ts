/**
 * More reference cases (encoding, regex, math, collections, scratch and the
 * per-render helpers); see cases.ts.
 */
import type { FunctionCase } from './cases.ts'

const j = (json: string) => `(parseJSON \`${json}\`)`
const each = (fn: string, inputs: string[]): FunctionCase[] =>
  inputs.map((i) => ({ template: `{{ ${fn} ${i} }}` }))
const q = (s: string) => JSON.stringify(s)

const words = (n: number) => Array<string>(n).fill('word').join(' ')

const texts = ['', 'a', 'ab', 'abc', 'hello world', 'é', '日本', '😀', '<>&"\'', 'a\nb',
  '\u0000x', '~~~???>>>']
const structures = [`{"b":1,"a":"x"}`, `[1,"two",3.5,true,null]`,
  `{"html":"<a href=\\"x\\">&</a>"}`,
  `{"n":{"m":{"k":[1,{"z":null}]}}}`, `{}`, `[]`, `"just a string"`, `12.5`, `100000000`,
  `1e21`, `0.000001`, `1e-7`, `{"e":[],"o":{},"s":""}`, `{"u":"\\u2028\\u2029\\u0007"}`,
  `{"k with space":1,"k.dot":2,"K":3,"10":4,"9":5,"a10":6,"a9":7}`, `[[1,2],[3,[4]]]`,
  `{"t":"true","n":"123","f":"1.5","y":"yes","nl":"null","tilde":"~","d":"2001-12-14"}`,
  `{"m":"line1\\nline2","m2":"trail\\n","m3":"two\\n\\n","lead":" lead","col":"a: b",` +
    `"hash":"a #b","start":"-x","q":"'q'","dq":"\\"dq\\"","star":"*x","amp":"&x","at":"@x",` +
    `"pct":"%x","bang":"!x","brk":"[x]","brc":"{x}","com":"a,b","colon":"a:","tab":"a\\tb"}`,
  `{"list":[{"a":1,"b":[1,2]},{"c":{"d":"e"}}],"empty":[{}]}`,
  `{"float":1.0,"neg":-0.5,"exp":12345678912345,"small":0.00001234}`,
  `{"long":"${words(19)}","dq":"tab\\there ${words(16)} end",` +
    `"n":{"d":{"long":"aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff ` +
    `gggggggggg hhh"}},"sq":"'quoted' ${words(17)}","list":["${words(18)}"],` +
    `"nospace":"${'a'.repeat(94)}"}`,
  `{"nbsp":"a\u00a0b","nel":"a\u0085b","cr":"a\rb","bom":"\ufeffx","del":"a\u007fb"}`]

// Scalars at the edges of yaml.v2's quoting, folding and block rules.
const yamlEdges = [
  `{"l":["${words(18)}","a\\nb",{"k":"${words(18)}","m":"x\\ny"}]}`,
  `[["${words(18)}"],"c\\nd\\n"]`, `{"a":{"b":{"c":{"d":"${words(16)}"}}}}`,
  `{"${words(20)}":1}`, `{"k":"a\\n b"}`, `{"k":" a\\nb"}`, `{"k":"a\\n\\n\\nb\\n\\n"}`,
  `{"k":"\\n"}`, `{"k":"a \\nb"}`, `{"k":"x\\ty\\nz"}`, `{"k":"- a\\nb"}`,
  `"top\\nlevel"`, `"${words(25)}"`, `{"k":"1.5"}`, `{"k":"0o17"}`, `{"k":"+1"}`,
  `{"k":".5"}`, `{"k":"1e3"}`, `{"k":"0b101"}`, `{"k":"1:20"}`, `{"k":"Yes"}`, `{"k":"NO"}`,
  `{"k":"Null"}`, `{"k":"= x"}`, `{"k":"a'b"}`, `{"k":"?x"}`, `{"k":"? x"}`, `{"k":"x:"}`,
  `{"k":": x"}`, `{"k":"a:b"}`, `{"k":"#"}`, `{"k":"a#b"}`, `{"k":"|x"}`, `{"k":">x"}`,
  `{"k":"\\"x"}`, `{"1":1,"01":2,"a1":3,"a01":4,"a001":5,"b":6,"B":7,"_":8,"-":9,"é":10}`,
  `{"k":1e-7,"j":123456789.5,"i":-0.0001,"h":1e100}`, `[1.0,2.5,1000000,10000000]`,
]

export const moreGroups: Record<string, FunctionCase[]> = {
  yaml: yamlEdges.flatMap((s) => ['toYAML', 'toTOML', 'toJSONPretty']
    .map((fn) => ({ template: `{{ ${j(s)} | ${fn} }}` }))),
  encoding: [
    ...texts.flatMap((t) => [`base64Encode`, `base64URLEncode`, `sha256Hex`, `md5sum`]
      .map((fn) => ({ template: `{{ ${q(t)} | ${fn} }}` }))),
    ...each('base64Decode', ['"aGVsbG8="', '"aGVsbG8"', '"aGVs\\nbG8="', '"YQ=="', '"YQ="',
      '"YQ"', '"Y"', '"!!!!"', '"YWJj"', '""', '"YQ==YQ=="', '"YQ=x"', '"Y==="', '"w6k="',
      '"_-8="', '"+/8="', '"YQ== "']),
    ...each('base64URLDecode', ['"_-8="', '"+/8="', '"aGVsbG8="', '"YQ"', '"w6k="']),
    ...each('hmacSHA256Hex', ['"msg" "key"', '"" ""', '"é" "clé"', '"data" ""']),
    ...structures.flatMap((s) => ['toJSON', 'toUnescapedJSON', 'toJSONPretty',
      'toUnescapedJSONPretty', 'toYAML', 'toTOML']
      .map((fn) => ({ template: `{{ ${j(s)} | ${fn} }}` }))),
    ...['toJSON', 'toYAML', 'toTOML', 'toJSONPretty'].flatMap((fn) => [
      { template: `{{ "plain <string>" | ${fn} }}` },
      { template: `{{ 42 | ${fn} }}` },
      { template: `{{ true | ${fn} }}` },
      { template: `{{ (split "," "a,b") | ${fn} }}` },
      { template: `{{ (splitToMap "," "=" "b=2,a=1") | ${fn} }}` },
    ]),
    { template: `{{ parseYAML "a: 1" | toJSON }}` },
    { template: `{{ parseYAML "a: 1" | toTOML }}` },
    { template: `{{ ${j('[null]')} | toTOML }}` },
    { template: `{{ ${j('{"a":[1,{"b":2}]}')} | toTOML }}` },
    { template: `{{ ${j('{"a":{"b":[{"c":1}],"z":{}},"top":1}')} | toTOML }}` },
  ],
  regex: [
    ...each('regexMatch', ['"^a" "abc"', '"^b" "abc"', '"(?i)ABC" "xabcx"', '"\\\\d+" "a1"',
      '"[" "x"', '"a{2,}" "caa"', '"^$" ""', '"\\\\bfoo\\\\b" "a foo b"', '"(?P<n>x)" "x"',
      '"é" "café"', '"^.$" "é"', '"a|b" "c"', '"(a" "a"', '"\\\\p{Greek}" "α"',
      '"x*" ""', '"(?s)a.b" "a\\nb"', '"^line$" "a\\nline"', '"(?m)^line$" "a\\nline"']),
    ...each('regexReplaceAll', ['"a" "b" "banana"', '"a*" "-" "baaac"', '"" "-" "abc"',
      '"(\\\\w+)@(\\\\w+)" "$2 at $1" "joe@x bob@y"', '"(\\\\w+)" "$1x" "ab cd"',
      '"(\\\\w+)" "${1}x" "ab cd"', '"(?P<word>\\\\w+)" "<${word}>" "hi there"',
      '"(?P<word>\\\\w+)" "<$word>" "hi"', '"a" "$$" "aa"', '"a" "$" "aa"', '"(a)" "$2" "aa"',
      '"(a)" "$10" "aa"', '"x" "$" "x"', '"^" ">" "abc"', '"$" "<" "abc"',
      '"\\\\s+" " " "a  b\\t\\nc"',
      '"[^a-zA-Z0-9_-]" "_" "web.service:8080"', '"(?i)WEB" "api" "Web web WEB"',
      '"b*" "X" "abc"', '"(b)*" "[$1]" "abbc"', '"é" "e" "été"', '"." "-" "日本"',
      '"(" "x" "y"', '"(?P<a>.)(?P<b>.)" "${b}${a}" "abcd"', '"a" "${" "a"', '"a" "${x" "a"',
      '"a" "$}" "a"', '"a+?" "-" "aaa"', '"(?U)a+" "-" "aaa"', '"x?" "-" "xax"']),
  ],
  math: [
    ...['add', 'subtract', 'multiply', 'divide', 'modulo', 'minimum', 'maximum'].flatMap((fn) =>
      ['1 2', '2 1', '3 10', '-3 10', '3 -10', '0 5', '5 0', '1.5 2', '2 1.5', '1.5 2.5', '0.0 1',
        '1 0.0', '"x" 1', '1 "x"', 'true 1', 'nil 1', '9223372036854775807 1',
        '(parseInt "4") (parseFloat "2.5")', '(parseUint "7") 2']
        .map((args) => ({ template: `{{ ${fn} ${args} }}` }))),
    { template: '{{ 10 | subtract 3 }} {{ 10 | divide 3 }} {{ 10 | modulo 3 }} {{ 2 | add 1 }}' },
    { template: '{{ multiply 3037000500 3037000500 }}' },
    { template: '{{ divide 2 1e300 }} {{ multiply 1e300 1e300 }}' },
    { template: '{{ add 0.1 0.2 }} {{ multiply 1.1 1.1 }} {{ divide 3.0 1 }}' },
    { template: '{{ add (parseJSON `{}`) 1 }}' },
    { template: '{{ add 1 (split "," "a") }}' },
    { template: '{{ printf "%T %T" (add 1 2) (add 1.0 2) }}' },
    { template: '{{ minimum 1 1.0 | printf "%T" }} {{ maximum 1.0 1 | printf "%T" }}' },
  ],
  collections: [
    ...[`["a","b"]`, `[1,2]`, `[1.5]`, `"abcdef"`, `[]`, `{"a":1}`, `[true]`].flatMap((l) =>
      ['"a"', '1', '1.5', '"cd"', 'true', '(parseFloat "1")', '(parseInt "2")']
        .map((v) => ({ template: `{{ in ${j(l)} ${v} }} {{ ${j(l)} | contains ${v} }}` }))),
    { template: '{{ in (split "," "web,api") "api" }} {{ in (split "," "web") "we" }}' },
    { template: '{{ in "haystack" "st" }} {{ in "haystack" "" }} {{ in "" "" }}' },
    { template: '{{ in nil "a" }}' },
    ...['containsAll', 'containsAny', 'containsNone', 'containsNotAll'].flatMap((fn) =>
      [[`["a","b"]`, `["a","b","c"]`], [`["a","z"]`, `["a","b"]`], [`[]`, `["a"]`],
        [`["z"]`, `["a"]`], [`["a"]`, `"abc"`], [`[1]`, `[1]`]].map(([v, l]) => ({
        template: `{{ ${j(l!)} | ${fn} ${j(v!)} }}`,
      }))),
    ...[`{"a/b/c":1,"a/b/d":2,"x":3}`, `{"a":1,"a/b":2}`, `{"a/b":2,"a":1}`, `{}`,
      `{"/lead":1,"trail/":2,"mid//x":3}`, `{"k":{"already":"map"},"k/x":1}`].map((m) => ({
      template: `{{ ${j(m)} | explodeMap | toJSON }}`,
    })),
    { template: '{{ explodeMap (splitToMap "," "=" "a/b=1,a/c=2") | toJSON }}' },
    ...[[`{"a":1,"n":{"x":1}}`, `{"a":2,"b":3,"n":{"y":2}}`], [`{"e":"","z":0,"f":false}`,
      `{"e":"set","z":5,"f":true}`], [`{"a":1}`, `{"a":null}`], [`{}`, `{"a":[1]}`],
      [`{"l":[1]}`, `{"l":[2,3]}`], [`{"a":{"b":{"c":1}}}`, `{"a":{"b":{"d":2}}}`],
      [`{"a":"x"}`, `{"a":""}`]].flatMap(([d, s]) => ['mergeMap', 'mergeMapWithOverride']
      .map((fn) => ({ template: `{{ ${fn} ${j(d!)} ${j(s!)} | toJSON }}` }))),
    ...['3', '0', '-2', '"4"', '1 4', '"2" "5"', '5 2', '1.5', '"x"', '1 2 3', '(parseUint "3")']
      .map((a) => ({ template: `{{ range loop ${a} }}{{ . }},{{ end }}` })),
    { template: '{{ range $i, $e := loop 3 }}{{ $i }}{{ end }}' },
    { template: '{{ explode nil | len }}' },
    { template: '{{ byKey nil | len }} {{ byTag nil | len }}' },
    { template: '{{ explode 1 }}' },
    { template: '{{ join "," (parseJSON `["a","b"]`) }}' },
    { template: '{{ containsAll (split "," "a") (split "," "a,b") }}' },
    { template: '{{ containsAll (parseJSON `["a"]`) (split "," "a,b") }}' },
    { template: '{{ split "," "a,b" | printf "%T" }} {{ parseJSON `[1]` | printf "%T" }}' },
    { template: '{{ mergeMap (splitToMap "," "=" "a=1") (parseJSON `{}`) }}' },
  ],
  scratch: [
    { template: '{{ scratch.Set "a" 1 }}{{ scratch.Get "a" }}' },
    { template: '{{ scratch.Get "missing" }}|{{ scratch.Key "missing" }}' },
    { template: '{{ scratch.Set "a" 1 }}{{ scratch.Key "a" }}' },
    { template: '{{ scratch.SetX "a" 1 }}{{ scratch.SetX "a" 2 }}{{ scratch.Get "a" }}' },
    { template: '{{ scratch.Set "a" 1 }}{{ scratch.Set "a" 2 }}{{ scratch.Get "a" }}' },
    { template: '{{ scratch.MapSet "m" "b" 2 }}{{ scratch.MapSet "m" "a" 1 }}' +
      '{{ scratch.MapValues "m" }}' },
    { template: '{{ scratch.MapSetX "m" "a" 1 }}{{ scratch.MapSetX "m" "a" 2 }}' +
      '{{ scratch.MapValues "m" }}' },
    { template: '{{ scratch.MapSet "m" "a" 1 }}{{ scratch.MapSet "m" "a" 3 }}' +
      '{{ scratch.MapValues "m" }}' },
    { template: '{{ scratch.Set "s" "x" }}{{ scratch.MapSet "s" "k" 1 }}' },
    { template: '{{ scratch.MapValues "none" }}|{{ scratch.MapValues "none" | len }}' },
    { template: '{{ range loop 3 }}{{ scratch.MapSet "m" (print .) . }}{{ end }}' +
      '{{ range scratch.MapValues "m" }}{{ . }}{{ end }}' },
    { template: '{{ scratch.Set "l" (split "," "a,b") }}' +
      '{{ range scratch.Get "l" }}{{ . }}{{ end }}' },
    { template: '{{ define "t" }}{{ scratch.Set "x" "from t" }}{{ end }}' +
      '{{ template "t" }}{{ scratch.Get "x" }}' },
    { template: '{{ if scratch.Key "a" }}yes{{ else }}no{{ end }}' },
  ],
  misc: [
    { template: '{{ env "CTMPL_FX_A" }}|{{ env "CTMPL_FX_MISSING" }}',
      env: { CTMPL_FX_A: 'alpha' } },
    { template: '{{ envOrDefault "CTMPL_FX_A" "d" }}|{{ envOrDefault "CTMPL_FX_NONE" "d" }}',
      env: { CTMPL_FX_A: 'alpha' } },
    { template: '{{ envOrDefault "CTMPL_FX_EMPTY" "d" }}|', env: { CTMPL_FX_EMPTY: '' } },
    { template: '{{ mustEnv "CTMPL_FX_A" }}', env: { CTMPL_FX_A: 'alpha' } },
    { template: '{{ mustEnv "CTMPL_FX_NONE" }}' },
    { template: '{{ mustEnv "CTMPL_FX_EMPTY" }}', env: { CTMPL_FX_EMPTY: '' } },
    { template: '{{ define "x" }}hi {{ . }}{{ end }}{{ executeTemplate "x" 5 }}' },
    { template: '{{ define "x" }}[{{ . }}]{{ end }}{{ executeTemplate "x" }}' },
    { template: '{{ define "x" }}{{ .a }}{{ end }}' +
      '{{ executeTemplate "x" (parseJSON `{"a":1}`) }}' },
    { template: '{{ executeTemplate "nope" }}' },
    { template: '{{ define "x" }}{{ end }}{{ executeTemplate "x" 1 2 }}' },
    { template: '{{ define "x" }}{{ . | toUpper }}{{ end }}{{ "a" | executeTemplate "x" }}' },
    { template: '{{ plugin "" }}|' },
    { template: '{{ plugin "echo" "a" " b " "" }}' },
    { template: '{{ plugin "ctmpl-no-such-plugin" }}' },
    { template: '{{ plugin "false" }}' },
    { template: '{{ plugin "/etc/passwd" }}' },
    { template: '{{ plugin "sh" "-c" "echo out; echo err >&2; exit 3" }}' },
    { template: '{{ timestamp "x" "y" }}' },
    { template: '{{ timestamp "unix" | len }}' },
    { template: '{{ timestamp | len }}' },
    { template: '{{ writeToFile "/nonexistent-ctmpl/x" "" "" "0644" }}' },
    { template: '{{ writeToFile "/tmp/x" "" "" "99" "c" }}' },
    { template: '{{ sockaddr "bogus" }}' },
  ],
}
