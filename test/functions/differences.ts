/**
 * Reference cases ctmpl knowingly renders differently, each with the
 * reason; docs/functions.md lists the same differences.
 */
export const knownDifferences = new Map<string, string>([
  ['{{ loop 3 | len }}',
    'loop returns a list; the reference returns a channel, whose len is what is buffered (0)'],
  ['{{ printf "%T %T" (add 1 2) (add 1.0 2) }}',
    'ctmpl has one integer type: math results print as int, not int64'],
  ['{{ minimum 1 1.0 | printf "%T" }} {{ maximum 1.0 1 | printf "%T" }}',
    'ctmpl has one integer type: math results print as int, not int64'],
  ['{{ parseYAML "n: 010\\nh: 0x1f\\nf: 1.0\\ne: 1e3\\n" | toYAML }}',
    'map keys are strings in ctmpl; yaml.v2 keeps the YAML 1.1 key `n` as ' +
    'the bool false and sorts it before string keys'],
  ['{{ parseYAML "a: [1, 2" }}', 'the YAML parser (yaml) words errors differently from libyaml'],
  ['{{ parseYAML "a: b: c" }}', 'the YAML parser (yaml) words errors differently from libyaml'],
  ['{{ (parseJSON `{"nbsp":"a\u00a0b","nel":"a\u0085b","cr":"a\rb","bom":"\ufeffx",' +
    '"del":"a\u007fb"}`) | toYAML }}',
  'libyaml also escapes the character after a byte-order mark ("\\uFEFF\\x78")'],
])
