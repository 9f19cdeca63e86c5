/**
 * Edge cases found by probing the reference: regular expressions and
 * replacement templates, ParseFloat's corners, and JSON decoding errors.
 */
import type { FunctionCase } from './cases.ts'

const regexCases: Array<[string, string, string]> = [
  ['(?i)straße', 'X', 'STRASSE strasse Straße'], ['\\w+', '<$0>', 'a bc'],
  ['(a)(b)?', '[$2]', 'aab'], ['.', '$', 'ab'], ['(?P<x>a)', '${x}${x}', 'aa'],
  ['a', '\\\\1', 'a'], ['(?m)^', '> ', 'a\nb\n'], ['$', '!', 'a\nb'], ['\\b', '|', 'ab cd'],
  ['[[:alpha:]]+', 'W', 'ab1cd'], ['\\pL+', 'L', 'héllo wörld'], ['(x)|(y)', '[$1|$2]', 'xy'],
  ['a{2}', 'b', 'aaaaa'], ['(?s).*', 'X', 'a\nb'], ['.*', 'X', 'a\nb'], ['😀', 'x', 'a😀b'],
  ['', '-', '😀é'], ['\\Qa.b\\E', 'X', 'a.b axb'], ['(?U)a+?', 'X', 'aaa'],
  ['[^\\x00-\\x7F]', '?', 'aé日'], ['\\d', '$00', '12'], ['(\\d)', '$1$1', '12'],
  ['(?P<n>\\d)', '$n_', '12'], ['x*', '-', 'abc'], ['\\C', 'X', 'a'], ['a**', 'X', 'a'],
  ['(?<n>a)', '$n', 'a'],
]

const floats = ['1e-400', '4.9e-324', '2.2250738585072011e-308', '1.7976931348623157e308',
  '1.7976931348623159e308', '0x1p1024', '0x1.fffffffffffffp1023', '.e1', '1._5', '1__0', '_1',
  '1_', '0x', '0x.p1', '0xp1', 'Infinity', 'infinit', '+nan', '-NaN', '1e+', '0.1e-5', '00.5',
  '+.5e+2', '1ee2', '0x1P+2', '0X1.8P-1', '1_0.5', '1.5_0']

const jsonTexts = ['"\\u00e9"', '"\\ud800"', '"\\/"', '[1e400]', '-0', '-0.0', '1E2', '0.1',
  '[1,[2,[3]]]', '{"a":{"b":null}}', '"\\u0000"', '" "', '[true,false]', '1.0e+2',
  '123456789012345678901234567890', '{"":1}', '{"a":1,"a":{"b":2}}', '"\\uDEAD"', '[1,2',
  '{"a":', '"\\', '{"a"', 'nan', '[01]', '[-01]', '[1.5e]', '{"a":1 "b":2}', '\\t[1]\\n']

const structured = [`{"a b":{"c.d":{"e":1}},"é":"x","":{"k":1},"1":2}`,
  `{"t":{"a":[{"b":[{"c":1}]}]}}`, `{"arr":[[{"a":1}],[{"b":2}]]}`,
  `{"s":"line\\nbreak\\u007f\\u001f","q":"'"}`, `{"x":{"y":{}},"z":[]}`,
  `{"n":-0.0,"big":1e300,"tiny":5e-324,"i":9007199254740993}`, `{"m":[1,[2,3],{"a":1}]}`,
  `{"b":[true,false],"e":[{}]}`, `{"a":{"b":1},"a.b":2}`,
  `{"k":"2001-12-14T21:59:43.10-05:00"}`, `{"ctrl":"\\b\\f\\u0001"}`,
  `{"x":[{"a":{"b":{"c":[{"d":1}]}}}]}`]

const bigMath = ['9223372036854775807 0', '-9223372036854775808 -1',
  '(parseInt "9223372036854775807") (parseInt "9223372036854775807")']

const base64Texts = ['"YQ==\\n"', '"YQ==\\r\\n"', '"Y Q=="', '"\\nYQ=="', '"YQ\\n=="',
  '"YWJjZA=="', '"YWJjZA"', '"=="', '"YQ=\\n="', '"Zm9v\\nYmFy"']

// How helper results print and behave in actions (nil, maps, slices, floats).
const printing = ['{{ parseJSON "null" }}', '{{ parseJSON "[null,1,\\"a\\"]" }}',
  '{{ parseJSON "{\\"a\\":null,\\"b\\":[1.5]}" }}', '{{ parseYAML "a: 1\\nb: [x]" }}',
  '{{ parseYAML "- 1\\n- 1.5\\n- true\\n- ~" }}', '{{ splitToMap "," "=" "b=2,a=1" }}',
  '{{ split "," "a,b" }}', '{{ explodeMap (parseJSON "{\\"a/b\\":1}") }}', '{{ loop 3 | len }}',
  '{{ parseInt "5" | printf "%d" }}', '{{ parseFloat "2" }}',
  '{{ parseUint "18446744073709551615" }}', '{{ parseInt "-9223372036854775808" }}',
  '{{ scratch.Set "m" (parseJSON "{}") }}{{ scratch.MapSet "q" "a" 1 }}{{ scratch.Get "q" }}',
  '{{ if parseJSON "null" }}t{{ else }}f{{ end }}',
  '{{ with parseJSON "[]" }}t{{ else }}f{{ end }}',
  '{{ range $i, $v := parseJSON "[\\"a\\",\\"b\\"]" }}{{ $i }}{{ $v }}{{ end }}',
  '{{ index (parseJSON "{\\"a\\":{\\"b\\":2}}") "a" "b" }}',
  '{{ (parseJSON "{\\"a\\":1}").missing }}', '{{ eq (parseJSON "1") 1.0 }}',
  '{{ parseBool "t" | not }}',
  '{{ printf "%v|%s|%q" (split "," "a,b") (split "," "a") (toUpper "x") }}',
  '{{ base64Encode "é" | len }}', '{{ byTag nil }}', '{{ md5sum "" | printf "%.8s" }}',
  '{{ divide 1 3.0 }}', '{{ multiply 0.1 3 }}', '{{ add 1e20 1 }}']

// Go's %q and its scanner's byte-wise view of non-ASCII input.
const quoting = ['"\\a\\b\\f\\v"', '"\\u00a0x"', '"\\u00adx"', '"\\u2028"',
  '"é\\x01"',
  '"\\u0085"', '"\\ufeff1"', '"日本"', '"\\u200b"', '"\\U0001F600"']
  .map((s) => `{{ parseInt ${s} }}`)
  .concat(['{{ parseJSON "\\a" }}', '{{ parseJSON "\\u0085" }}', '{{ parseJSON "é" }}'])

const q = (s: string) => JSON.stringify(s)

/** The probe cases, one fixture group. */
export const edgeCases: FunctionCase[] = [
  ...printing.map((template) => ({ template })),
  ...quoting.map((template) => ({ template })),
  ...regexCases.map(([re, repl, s]) => ({
    template: `{{ regexReplaceAll ${q(re)} ${q(repl)} ${q(s)} }}`,
  })),
  ...floats.map((f) => ({ template: `{{ parseFloat ${q(f)} }}` })),
  ...jsonTexts.map((j) => ({ template: `{{ parseJSON \`${j}\` | toJSON }}` })),
  ...structured.flatMap((d) => ['toTOML', 'toYAML', 'toJSON', 'toUnescapedJSONPretty']
    .map((fn) => ({ template: `{{ parseJSON \`${d}\` | ${fn} }}` }))),
  ...bigMath.flatMap((a) => ['add', 'subtract', 'multiply', 'divide', 'modulo', 'minimum',
    'maximum'].map((fn) => ({ template: `{{ ${fn} ${a} }}` }))),
  ...base64Texts.map((b) => ({ template: `{{ base64Decode ${b} }}` })),
  ...['"a" ""', '"ab" "aaabbbccc"', '" \\t" "\\t x \\t"', '"🙂" "🙂x🙂"'].map((a) => ({
    template: `{{ trim ${a} }}|{{ trimPrefix ${a} }}|{{ trimSuffix ${a} }}`,
  })),
  ...['"=" "," "a=1=2,b"', '"" "=" "a=1"', '"," "" "a,b"', '"a" "b" "xaybz"'].map((a) => ({
    template: `{{ range $k, $v := splitToMap ${a} }}[{{ $k }}:{{ $v }}]{{ end }}`,
  })),
]
