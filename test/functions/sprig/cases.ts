/**
 * Templates checked against the reference consul-template. Each domain
 * becomes fixtures/<domain>.json through scripts/gen-sprig-fixtures.ts; the
 * fixtures, not this file, are what the tests read.
 */

/** A case: a short tag and a template. */
export type Case = [name: string, tmpl: string]

const words = ['FirstName', 'HTTPServer', 'NoHTTPS', 'GO_PATH', 'GO PATH', 'http2xx',
  'HTTP20xOK', 'Duration2m3s', 'Bld4Floor3rd', 'a  b', '__a__b__', 'a-_b', 'aB1c',
  'x1Y2z', 'a9z9Z', 'RGBa', '日本Go', 'ÉcoleÉté', 'userID2', 'a.B']

const casing: Case[] = words.flatMap((w): Case[] => [
  [`snakecase ${w}`, `{{ sprig_snakecase ${JSON.stringify(w)} }}`],
  [`kebabcase ${w}`, `{{ sprig_kebabcase ${JSON.stringify(w)} }}`],
  [`camelcase ${w}`, `{{ sprig_camelcase ${JSON.stringify(w)} }}`],
])

const strings: Case[] = [
  ['hello', '{{ sprig_hello }}'],
  ['abbrev', '{{ sprig_abbrev 5 "hello world" }}'],
  ['abbrev short', '{{ sprig_abbrev 20 "hello world" }}'],
  ['abbrev too narrow', '[{{ sprig_abbrev 3 "hello world" }}]'],
  ['abbrevboth', '{{ sprig_abbrevboth 5 10 "1234 5678 9123" }}'],
  ['abbrevboth small offset', '{{ sprig_abbrevboth 2 8 "abcdefghijklmno" }}'],
  ['abbrevboth tail', '{{ sprig_abbrevboth 12 8 "abcdefghijklmno" }}'],
  ['abbrevboth narrow', '[{{ sprig_abbrevboth 6 6 "abcdefghijklmno" }}]'],
  ['upper', '{{ sprig_upper "hello ß é" }}'],
  ['lower', '{{ sprig_lower "HELLO É" }}'],
  ['title', `{{ sprig_title "hello wOrld-foo_bar o'neil" }}`],
  ['untitle', '{{ sprig_untitle "Hello World  FOO -Bar" }}'],
  ['substr', '{{ sprig_substr 0 5 "hello world" }}'],
  ['substr negative start', '{{ sprig_substr -1 5 "hello world" }}'],
  ['substr end past', '{{ sprig_substr 6 100 "hello world" }}'],
  ['substr reversed', '{{ sprig_substr 5 2 "hello world" }}'],
  ['repeat', '{{ sprig_repeat 3 "ab" }}'],
  ['repeat negative', '{{ sprig_repeat -1 "ab" }}'],
  ['trim', '[{{ sprig_trim "  \\t hi \\n " }}]'],
  ['trimAll', '{{ sprig_trimAll "$" "$$5.00$" }}'],
  ['trimall', '{{ sprig_trimall "xy" "xyhixyx" }}'],
  ['trimSuffix', '{{ sprig_trimSuffix "-" "hello-" }}'],
  ['trimPrefix', '{{ sprig_trimPrefix "-" "-hello" }}'],
  ['nospace', '{{ sprig_nospace "hello w o r l d\\t!" }}'],
  ['initials', '{{ sprig_initials "First try  second  go" }}'],
  ['swapcase', '{{ sprig_swapcase "This Is A.Test ß" }}'],
  ['wrap', '{{ sprig_wrap 5 "Hello World from me" }}'],
  ['wrap long word', '{{ sprig_wrap 3 "abcdefgh ij" }}'],
  ['wrapWith', '{{ sprig_wrapWith 5 "\\t" "Hello World" }}'],
  ['wrapWith long word', '{{ sprig_wrapWith 3 "|" "abcdefgh ij" }}'],
  ['contains', '{{ sprig_contains "cat" "catch" }} {{ sprig_contains "dog" "catch" }}'],
  ['hasPrefix', '{{ sprig_hasPrefix "cat" "catch" }} {{ sprig_hasPrefix "x" "catch" }}'],
  ['hasSuffix', '{{ sprig_hasSuffix "ch" "catch" }} {{ sprig_hasSuffix "x" "catch" }}'],
  ['quote', '{{ sprig_quote "a" 1 nil "b\\"c" "tab\\there" "é\\x01" }}'],
  ['squote', '{{ sprig_squote "a" 2 nil 1.5 }}'],
  ['cat', '{{ sprig_cat "hello" 1 nil 2.5 true (sprig_list 1 2) }}'],
  ['indent', '{{ sprig_indent 4 "a\\nb\\n" }}'],
  ['nindent', '{{ sprig_nindent 2 "a\\nb" }}'],
  ['replace', '{{ sprig_replace " " "-" "I Am Henry VIII" }}'],
  ['replace empty old', '{{ sprig_replace "" "-" "abc" }}'],
  ['plural one', '{{ sprig_plural "one anchovy" "many anchovies" 1 }}'],
  ['plural many', '{{ sprig_plural "one anchovy" "many anchovies" 2 }}'],
  ['trunc', '{{ sprig_trunc 5 "hello world" }}'],
  ['trunc negative', '{{ sprig_trunc -5 "hello world" }}'],
  ['trunc long', '{{ sprig_trunc 50 "hello" }}'],
  ['trunc too negative', '{{ sprig_trunc -50 "hello" }}'],
  ['toString int', '{{ sprig_toString 42 }}'],
  ['toString float', '{{ sprig_toString 1.5 }} {{ sprig_toString 1e6 }} {{ sprig_toString 0.00001 }}'],
  ['toString list', '{{ sprig_toString (sprig_list 1 "a" nil) }}'],
  ['toString dict', '{{ sprig_toString (sprig_dict "b" 1 "a" 2) }}'],
  ['toString nil', '{{ sprig_toString nil }}'],
  ['toStrings', '{{ sprig_toStrings (sprig_list 1 "a" nil 2.5) }}'],
  ['toStrings scalar', '{{ sprig_toStrings 7 }}'],
  ['join', '{{ sprig_join "-" (sprig_list "a" 1 nil true) }}'],
  ['join string', '{{ sprig_join "-" "abc" }}'],
  ['sortAlpha', '{{ sprig_sortAlpha (sprig_list "b" "a" "C" 10 2) }}'],
  ['sortAlpha scalar', '{{ sprig_sortAlpha 5 }}'],
  ['split', '{{ sprig_split "$" "foo$bar$baz" }}'],
  ['split index', '{{ (sprig_split "$" "foo$bar$baz")._1 }}'],
  ['splitList', '{{ sprig_splitList "," "a,b,,c" }}'],
  ['splitList empty sep', '{{ sprig_splitList "" "abc" }}'],
  ['splitn', '{{ sprig_splitn "$" 2 "foo$bar$baz" }}'],
  ['splitn zero', '{{ sprig_splitn "$" 0 "foo$bar$baz" }}'],
  ['trim type error', '{{ sprig_trim 5 }}'],
]

/** Every case, by domain. */
export const cases: Record<string, Case[]> = {
  strings,
  casing,
}
