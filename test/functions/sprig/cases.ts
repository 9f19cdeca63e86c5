/**
 * Templates checked against the reference consul-template. Each domain
 * becomes fixtures/<domain>.json through scripts/gen-sprig-fixtures.ts; the
 * fixtures, not this file, are what the tests read.
 */

import {
  encoding, regex, paths, url, semver, dates, crypto,
} from './cases-more.ts'
import { values } from './cases-values.ts'

/** A case: a short tag and a template. */
export type Case = [name: string, tmpl: string]

const words = ['FirstName', 'HTTPServer', 'NoHTTPS', 'GO_PATH', 'GO PATH', 'http2xx',
  'HTTP20xOK', 'Duration2m3s', 'Bld4Floor3rd', 'a  b', '__a__b__', 'a-_b', 'aB1c',
  'x1Y2z', 'a9z9Z', 'RGBa', '日本Go', 'ÉcoleÉté', 'userID2', 'a.B', '-', ' ', '- ',
  'b.--__É', '._- .-zBA9', '19.Z1b9', '.9z9bÉ9.']

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
  ['abbrevboth small offset narrow', '[{{ sprig_abbrevboth 1 5 "abcdefghijklmno" }}]'],
  ['abbrevboth zero offset narrow', '[{{ sprig_abbrevboth 0 5 "abcdefghijklmno" }}]'],
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
  ['nospace bytes', '{{ sprig_nospace "ü" }}|{{ sprig_nospace "ü c" }}|' +
    '{{ sprig_nospace "\\u2003ü" }}'],
  ['initials bytes', '{{ sprig_initials "ünï cödé" }}'],
  ['swapcase title after space', '{{ sprig_swapcase "ﬁne ǳ dž Hello" }}'],
  ['snakecase symbols', '{{ sprig_snakecase "a+b" }} {{ sprig_snakecase "Ab+1Cd" }} ' +
    '{{ sprig_snakecase "1+2" }} {{ sprig_kebabcase "a.+b" }} {{ sprig_snakecase "\\ufeffA" }}'],
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
  ['toString float',
    '{{ sprig_toString 1.5 }} {{ sprig_toString 1e6 }} {{ sprig_toString ' +
    '0.00001 }}'],
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
  ['first bad argument reported', '{{ sprig_trimAll 1 2 }}'],
  ['plural count type', '{{ sprig_plural "a" "b" "1" }}'],
  ['plural many type', '{{ sprig_plural "a" 2 1 }}'],
  ['replace piped type', '{{ 3 | sprig_replace "a" "b" }}'],
  ['contains nil', '{{ sprig_contains nil "x" }}'],
  ['int64 width', '{{ sprig_wrapWith (sprig_add 3) "|" "abc def" }}'],
]


const L = '(sprig_list 1 2 3 4 5)'

const lists: Case[] = [
  ['list', '{{ sprig_list 1 "a" nil 2.5 true }}'],
  ['list empty', '{{ sprig_list }}'],
  ['tuple', '{{ sprig_tuple 1 2 }}'],
  ['first', `{{ sprig_first ${L} }}`],
  ['first empty', '{{ sprig_first (sprig_list) }}'],
  ['first strings', '{{ sprig_first (sprig_splitList "," "x,y") }}'],
  ['first wrong type', '{{ sprig_first 3 }}'],
  ['mustFirst wrong type', '{{ sprig_mustFirst "abc" }}'],
  ['last', `{{ sprig_last ${L} }}`],
  ['mustLast empty', '{{ sprig_mustLast (sprig_list) }}'],
  ['rest', `{{ sprig_rest ${L} }}`],
  ['rest empty', '{{ sprig_rest (sprig_list) }}'],
  ['mustRest', `{{ sprig_mustRest ${L} }}`],
  ['initial', `{{ sprig_initial ${L} }}`],
  ['mustInitial wrong', '{{ sprig_mustInitial (sprig_dict) }}'],
  ['append', `{{ sprig_append ${L} 6 }}`],
  ['append wrong type', '{{ sprig_append 1 6 }}'],
  ['mustAppend', '{{ sprig_mustAppend (sprig_list) "x" }}'],
  ['prepend', `{{ sprig_prepend ${L} 0 }}`],
  ['mustPrepend wrong', '{{ sprig_mustPrepend "s" 0 }}'],
  ['concat', '{{ sprig_concat (sprig_list 1 2) (sprig_list) (sprig_splitList "," "a,b") }}'],
  ['concat wrong type', '{{ sprig_concat (sprig_list 1) 2 }}'],
  ['reverse', `{{ sprig_reverse ${L} }}`],
  ['mustReverse wrong', '{{ sprig_mustReverse 5 }}'],
  ['uniq', '{{ sprig_uniq (sprig_list 1 2 1 "1" 2 (sprig_list 1) (sprig_list 1)) }}'],
  ['mustUniq', '{{ sprig_mustUniq (sprig_list "a" "a") }}'],
  ['without', `{{ sprig_without ${L} 1 3 9 }}`],
  ['mustWithout', '{{ sprig_mustWithout (sprig_list "a" "b") "a" }}'],
  ['has', `{{ sprig_has 4 ${L} }} {{ sprig_has 9 ${L} }} {{ sprig_has "4" ${L} }}`],
  ['has nil', '{{ sprig_has 1 nil }}'],
  ['mustHas wrong', '{{ sprig_mustHas 1 "abc" }}'],
  ['compact', '{{ sprig_compact (sprig_list 1 0 "" nil false "a" (sprig_list) (sprig_dict)) }}'],
  ['mustCompact', '{{ sprig_mustCompact (sprig_list "" "x") }}'],
  ['slice', `{{ sprig_slice ${L} 1 3 }} {{ sprig_slice ${L} 3 }} {{ sprig_slice ${L} }}`],
  ['slice string index', `{{ sprig_slice ${L} "1" "2" }}`],
  ['slice out of range', `{{ sprig_slice ${L} 1 9 }}`],
  ['mustSlice wrong', '{{ sprig_mustSlice 5 1 }}'],
  ['chunk', `{{ sprig_chunk 2 ${L} }}`],
  ['chunk big', `{{ sprig_chunk 9 ${L} }}`],
  ['mustChunk', '{{ sprig_mustChunk 1 (sprig_list) }}'],
  ['chunk zero', `{{ sprig_chunk 0 ${L} }}`],
  ['until', '{{ sprig_until 5 }} {{ sprig_until -3 }} {{ sprig_until 0 }}'],
  ['untilStep',
    '{{ sprig_untilStep 3 6 2 }} {{ sprig_untilStep 10 0 -4 }} {{ ' +
    'sprig_untilStep 0 5 0 }}'],
  ['untilStep wrong sign', '{{ sprig_untilStep 0 5 -1 }}'],
  ['typeOf until', '{{ sprig_typeOf (sprig_until 2) }}'],
  ['seq', '{{ sprig_seq 5 }}|{{ sprig_seq -3 }}|{{ sprig_seq 2 5 }}|{{ sprig_seq 5 2 }}'],
  ['seq step',
    '{{ sprig_seq 0 2 9 }}|{{ sprig_seq 10 -3 1 }}|{{ sprig_seq 1 -1 5 ' +
    '}}|{{ sprig_seq 1 0 5 }}'],
  ['seq arity', '{{ sprig_seq 0 }}|{{ sprig_seq }}|{{ sprig_seq 1 2 3 4 }}'],
]

const D = '(sprig_dict "name1" "value1" "name2" "value2" "name3" 3)'

const dicts: Case[] = [
  ['dict', `{{ ${D} }}`],
  ['dict odd', '{{ sprig_dict "a" 1 "b" }}'],
  ['dict key types', '{{ sprig_dict 1 "one" true "t" nil "n" }}'],
  ['dict empty', '{{ sprig_dict }}'],
  ['get', `{{ sprig_get ${D} "name1" }} [{{ sprig_get ${D} "missing" }}]`],
  ['set', `{{ sprig_set ${D} "name4" 4 }}`],
  ['set returns same map', '{{ $d := sprig_dict "a" 1 }}{{ sprig_set $d "b" 2 }}{{ $d }}'],
  ['unset', `{{ sprig_unset ${D} "name1" }}`],
  ['unset missing', '{{ sprig_unset (sprig_dict "a" 1) "z" }}'],
  ['hasKey', `{{ sprig_hasKey ${D} "name1" }} {{ sprig_hasKey ${D} "x" }}`],
  ['pluck', '{{ sprig_pluck "a" (sprig_dict "a" 1) (sprig_dict "b" 2) (sprig_dict "a" 3) }}'],
  ['keys', `{{ sprig_keys ${D} | sprig_sortAlpha }}`],
  ['keys many', '{{ sprig_keys (sprig_dict "a" 1) (sprig_dict "a" 2 "b" 3) | sprig_sortAlpha }}'],
  ['pick', `{{ sprig_pick ${D} "name1" "name3" "nope" }}`],
  ['omit', `{{ sprig_omit ${D} "name1" "nope" }}`],
  ['values', '{{ sprig_values (sprig_dict "a" 1) }} {{ sprig_values (sprig_dict) }}'],
  ['merge',
    '{{ sprig_merge (sprig_dict "a" "" "b" 0 "c" 3 "n" (sprig_dict "x" 1)) ' +
    '(sprig_dict "a" "A" "b" 5 "c" 4 "d" nil "n" (sprig_dict "x" 2 "y" 2)) ' +
    '}}'],
  ['merge several',
    '{{ sprig_merge (sprig_dict "a" 1) (sprig_dict "b" 2) (sprig_dict "a" ' +
    '3 "c" 4) }}'],
  ['mustMerge', '{{ sprig_mustMerge (sprig_dict) (sprig_dict "k" (sprig_list 1)) }}'],
  ['mergeOverwrite',
    '{{ sprig_mergeOverwrite (sprig_dict "a" 1 "b" 2 "n" (sprig_dict "x" ' +
    '1)) (sprig_dict "a" "" "b" nil "n" (sprig_dict "y" 2)) }}'],
  ['mustMergeOverwrite',
    '{{ sprig_mustMergeOverwrite (sprig_dict "a" (sprig_dict "b" 1)) ' +
    '(sprig_dict "a" 5) }}'],
  ['merge wrong type', '{{ sprig_merge (sprig_dict) 5 }}'],
  ['deepCopy',
    '{{ $a := sprig_dict "x" (sprig_list 1 2) }}{{ $b := sprig_deepCopy $a ' +
    '}}{{ sprig_set $b "y" 1 }} {{ $a }}'],
  ['mustDeepCopy', '{{ sprig_mustDeepCopy (sprig_list 1 (sprig_dict "a" 1)) }}'],
  ['deepCopy nil', '{{ sprig_deepCopy nil }}'],
  ['dig', '{{ sprig_dig "a" "b" "def" (sprig_dict "a" (sprig_dict "b" 1)) }}'],
  ['dig default', '{{ sprig_dig "a" "c" "def" (sprig_dict "a" (sprig_dict "b" 1)) }}'],
  ['dig not a map', '{{ sprig_dig "a" "b" "def" (sprig_dict "a" 5) }}'],
  ['dig too few', '{{ sprig_dig "a" (sprig_dict "a" 5) }}'],
  ['get wrong type', '{{ sprig_get (sprig_list) "a" }}'],
]

const math: Case[] = [
  ['add', '{{ sprig_add 1 2 3 }} {{ sprig_add }} {{ sprig_add "4" 1.9 true nil }}'],
  ['add1', '{{ sprig_add1 41 }} {{ sprig_add1 "0x10" }} {{ sprig_add1 "010" }}'],
  ['sub', '{{ sprig_sub 10 3 }} {{ sprig_sub 3 10 }} {{ sprig_sub "5.0" 1.5 }}'],
  ['div', '{{ sprig_div 10 3 }} {{ sprig_div -7 2 }}'],
  ['div zero', '{{ sprig_div 1 0 }}'],
  ['mod', '{{ sprig_mod 10 3 }} {{ sprig_mod -7 3 }}'],
  ['mod zero', '{{ sprig_mod 1 0 }}'],
  ['mul', '{{ sprig_mul 2 3 4 }} {{ sprig_mul 2 }}'],
  ['max min',
    '{{ sprig_max 1 5 3 }} {{ sprig_min 4 -2 8 }} {{ sprig_biggest 7 "9" ' +
    '}} {{ sprig_max 3 }}'],
  ['int64 wrap', '{{ sprig_add 9223372036854775807 1 }} {{ sprig_mul 4294967296 4294967296 }}'],
  ['add1f', '{{ sprig_add1f 1.5 }} {{ sprig_add1f "2" }}'],
  ['addf', '{{ sprig_addf 0.1 0.2 }} {{ sprig_addf 1 2 3 }} {{ sprig_addf }}'],
  ['subf', '{{ sprig_subf 1.5 0.25 0.1 }} {{ sprig_subf 0.3 0.1 }}'],
  ['mulf', '{{ sprig_mulf 1.1 3 }} {{ sprig_mulf 0.1 0.1 }}'],
  ['divf',
    '{{ sprig_divf 1 3 }} {{ sprig_divf 2 3 }} {{ sprig_divf 10 4 2 }} {{ ' +
    'sprig_divf -2 3 }}'],
  ['divf zero', '{{ sprig_divf 1 0 }}'],
  ['maxf minf', '{{ sprig_maxf 1 2.5 "3" }} {{ sprig_minf 1 -2.5 }}'],
  ['floor ceil',
    '{{ sprig_floor 1.7 }} {{ sprig_floor -1.2 }} {{ sprig_ceil 1.2 }} {{ ' +
    'sprig_ceil "3" }}'],
  ['round', '{{ sprig_round 123.555555 3 }} {{ sprig_round -1.5 0 }} {{ sprig_round 2.5 0 }}'],
  ['round option', '{{ sprig_round 1.45 1 0.4 }} {{ sprig_round 1.44 1 0.5 }}'],
  ['int',
    '{{ sprig_int "42" }} {{ sprig_int 3.9 }} {{ sprig_int "3.0" }} {{ ' +
    'sprig_int "3.5" }} {{ sprig_int "x" }} {{ sprig_int true }}'],
  ['int bases',
    '{{ sprig_int "0x1F" }} {{ sprig_int "0o17" }} {{ sprig_int "0b101" }} ' +
    '{{ sprig_int "017" }} {{ sprig_int "1_000" }} {{ sprig_int "0x_1F" }}'],
  ['int64', '{{ sprig_int64 "9223372036854775807" }} {{ sprig_int64 -4.5 }}'],
  ['float64',
    '{{ sprig_float64 "1.5" }} {{ sprig_float64 2 }} {{ sprig_float64 ' +
    '"1e6" }} {{ sprig_float64 "bad" }} {{ sprig_float64 "inf" }}'],
  ['typeOf numbers', '{{ sprig_typeOf (sprig_float64 1) }} {{ sprig_typeOf (sprig_addf 1) }}'],
  ['int saturation and precision', '{{ sprig_int "9223372036854775807" }} ' +
    '{{ sprig_atoi "9223372036854775808" }} {{ sprig_atoi "-99999999999999999999" }} ' +
    '{{ sprig_int "9223372036854775808" }}'],
  ['float underscores', '{{ sprig_float64 "1_000" }} {{ sprig_float64 "1_0.5" }} ' +
    '{{ sprig_float64 "_1" }} {{ sprig_add1f "0_1" }}'],
  ['atoi',
    '{{ sprig_atoi "42" }} {{ sprig_atoi "-7" }} {{ sprig_atoi "0x10" }} ' +
    '{{ sprig_atoi "4.2" }} {{ sprig_atoi "007" }}'],
  ['toDecimal',
    '{{ sprig_toDecimal "0777" }} {{ sprig_toDecimal 10 }} {{ ' +
    'sprig_toDecimal "8" }} {{ sprig_toDecimal "-17" }}'],
]

const defaults: Case[] = [
  ['default',
    '{{ sprig_default "foo" "" }} {{ sprig_default "foo" "bar" }} {{ ' +
    'sprig_default "foo" 0 }} {{ sprig_default "foo" 1 }}'],
  ['default nil', '{{ sprig_default "d" nil }} {{ sprig_default "d" }}'],
  ['default piped', '{{ "" | sprig_default "x" }} {{ (sprig_list) | sprig_default "e" }}'],
  ['empty',
    '{{ sprig_empty "" }} {{ sprig_empty 0 }} {{ sprig_empty 0.0 }} {{ ' +
    'sprig_empty false }} {{ sprig_empty nil }} {{ sprig_empty ' +
    '(sprig_list) }} {{ sprig_empty (sprig_dict) }} {{ sprig_empty "a" }} ' +
    '{{ sprig_empty 1 }}'],
  ['coalesce', '{{ sprig_coalesce 0 "" "x" "y" }} {{ sprig_coalesce 0 "" }} {{ sprig_coalesce }}'],
  ['all', '{{ sprig_all 1 "a" true }} {{ sprig_all 1 "" }} {{ sprig_all }}'],
  ['any', '{{ sprig_any 0 "" "a" }} {{ sprig_any 0 false }} {{ sprig_any }}'],
  ['ternary',
    '{{ sprig_ternary "yes" "no" true }} {{ sprig_ternary "yes" "no" false ' +
    '}} {{ true | sprig_ternary 1 2 }}'],
  ['fail', '{{ sprig_fail "boom here" }}'],
  ['typeOf',
    '{{ sprig_typeOf 1 }} {{ sprig_typeOf "s" }} {{ sprig_typeOf 1.5 }} {{ ' +
    'sprig_typeOf true }} {{ sprig_typeOf nil }} {{ sprig_typeOf ' +
    '(sprig_dict) }} {{ sprig_typeOf (sprig_splitList "," "") }} {{ ' +
    'sprig_typeOf (sprig_split "," "") }}'],
  ['typeIs',
    '{{ sprig_typeIs "int" 1 }} {{ sprig_typeIs "string" 1 }} {{ ' +
    'sprig_typeIs "[]interface {}" (sprig_list) }}'],
  ['typeIsLike',
    '{{ sprig_typeIsLike "int" 1 }} {{ sprig_typeIsLike "*int" 1 }} {{ ' +
    'sprig_typeIsLike "**int" 1 }}'],
  ['kindOf',
    '{{ sprig_kindOf 1 }} {{ sprig_kindOf "s" }} {{ sprig_kindOf 2.5 }} {{ ' +
    'sprig_kindOf (sprig_list) }} {{ sprig_kindOf (sprig_dict) }} {{ ' +
    'sprig_kindOf nil }} {{ sprig_kindOf true }}'],
  ['kindIs',
    '{{ sprig_kindIs "slice" (sprig_list) }} {{ sprig_kindIs "map" 1 }} {{ ' +
    'sprig_kindIs "invalid" nil }}'],
  ['deepEqual',
    '{{ sprig_deepEqual (sprig_list 1 2) (sprig_list 1 2) }} {{ ' +
    'sprig_deepEqual (sprig_dict "a" 1) (sprig_dict "a" "1") }} {{ ' +
    'sprig_deepEqual 1 1.0 }} {{ sprig_deepEqual nil nil }}'],
]

// The reference registers Sprig's hermetic map: these are not defined.
const absent: Case[] = ['now', 'date', 'dateInZone', 'date_in_zone', 'dateModify',
  'date_modify', 'htmlDate', 'htmlDateInZone', 'randAlpha', 'randAlphaNum', 'randAscii',
  'randBytes', 'randNumeric', 'uuidv4', 'env', 'expandenv', 'getHostByName']
  .map((n): Case => [n, `{{ if false }}{{ sprig_${n} }}{{ end }}`])

/** Every case, by domain. */
export const cases: Record<string, Case[]> = {
  strings,
  casing,
  absent,
  lists,
  dicts,
  math,
  defaults,
  encoding,
  regex,
  paths,
  url,
  semver,
  dates,
  crypto,
  values,
}
