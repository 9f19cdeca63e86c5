/**
 * Reference cases, last part: values of struct types, int64 results, nil
 * slices and maps, argument checks, and edges that cut across domains.
 */
import type { Case } from './cases.ts'

/** Cases for struct values, nil slices and cross-cutting edges. */
export const values: Case[] = [
  ['nil map arguments', '{{ sprig_merge nil (sprig_dict "a" 1) }} ' +
    '{{ sprig_toJson (sprig_unset nil "a") }} ' +
    '{{ sprig_unset nil "a" }} {{ sprig_hasKey nil "a" }} {{ sprig_values nil }}'],
  ['nil list to first', '{{ sprig_first nil }}'],
  ['nil list to slice', '{{ sprig_slice nil }}'],
  ['round option type', '{{ sprig_round 1.5 1 "x" }}'],
  ['derivePassword negative counter', '{{ sprig_derivePassword -1 "long" "a" "b" "c" }}'],
  ['int64 results', '{{ sprig_typeOf (sprig_add 1 2) }} {{ sprig_typeOf (sprig_max 1 2) }} ' +
    '{{ sprig_kindOf (sprig_add1 1) }} {{ sprig_typeOf (sprig_toDecimal "7") }} ' +
    '{{ sprig_typeOf (sprig_int 1) }} {{ sprig_typeOf (sprig_atoi "1") }} ' +
    '{{ sprig_typeOf (sprig_int64 1) }}'],
  ['int64 versus int', '{{ sprig_has (sprig_add 1 1) (sprig_list 2) }} ' +
    '{{ sprig_deepEqual (sprig_add 1) 1 }} {{ sprig_uniq (sprig_list 1 (sprig_add 1)) }} ' +
    '{{ sprig_duration 95 }} {{ sprig_duration (sprig_add 95) }} ' +
    '{{ sprig_durationRound 5000000000 }} {{ eq (sprig_add 1 2) 3 }}'],
  ['int64 to an int parameter', '{{ sprig_trunc (sprig_add 2 3) "hello world" }}'],
  ['proto keys are plain keys', '{{ $d := sprig_dict "__proto__" 1 "constructor" 2 }}' +
    '{{ $d }} {{ sprig_hasKey $d "__proto__" }} {{ sprig_hasKey $d "toString" }} ' +
    '{{ sprig_fromJson "{\\"__proto__\\":{\\"x\\":1}}" }} {{ sprig_keys (sprig_dict) }}'],
  ['nil slices in JSON', '{{ range $x := sprig_list (sprig_list) (sprig_rest (sprig_list)) ' +
    '(sprig_rest (sprig_list 1)) (sprig_initial (sprig_list)) (sprig_concat) ' +
    '(sprig_concat (sprig_list)) (sprig_slice (sprig_list)) (sprig_slice (sprig_list 1 2) 1 1) ' +
    '(sprig_regexFindAll "x" "" -1) (sprig_regexFindAll "a" "aa" 0) ' +
    '(sprig_regexSplit "x" "" 0) (sprig_regexSplit "a" "" -1) }}' +
    '{{ sprig_toJson $x }}={{ $x }} {{ end }}'],
  ['case maps newer than Go', '{{ sprig_upper "ƛ ɤ ᾀ ῳ" }} {{ sprig_lower "Ɤ Ꟑ" }} ' +
    '{{ sprig_title "ა ᾀ" }} {{ sprig_swapcase "ƛ ꟑ ᾈ" }}'],
  ['toJson semver', '{{ sprig_toJson (sprig_semver "v1.2.3-rc.1") }}'],
  ['toJson time',
    '{{ sprig_toJson (sprig_toDate "2006-01-02T15:04:05.000Z07:00" ' +
    '"2020-03-04T05:06:07.500+01:30") }}'],
  ['toString time', '{{ sprig_toString (sprig_toDate "2006-01-02" "2020-03-04") }}'],
  ['toString semver',
    '{{ sprig_toString (sprig_semver "1.2") }} {{ sprig_cat (sprig_semver ' +
    '"3") }}'],
  ['typeOf time',
    '{{ sprig_typeOf (sprig_toDate "2006" "2020") }} {{ sprig_kindOf ' +
    '(sprig_toDate "2006" "2020") }}'],
  ['deepEqual semver',
    '{{ sprig_deepEqual (sprig_semver "1.2.3") (sprig_semver "1.2.3") }} ' +
    '{{ sprig_deepEqual (sprig_semver "1.2.3") (sprig_semver "v1.2.3") }}'],
  ['empty struct',
    '{{ sprig_empty (sprig_toDate "x" "y") }} {{ sprig_default "d" ' +
    '(sprig_toDate "x" "y") }}'],
  ['list of times', '{{ sprig_list (sprig_toDate "2006" "2020") (sprig_semver "1") }}'],
  ['dict of values', '{{ sprig_dict "t" (sprig_toDate "2006" "2020") "v" (sprig_semver "1") }}'],
  ['has float', '{{ sprig_has 1.5 (sprig_list 1 1.5) }} {{ sprig_has 1 (sprig_list 1.0) }}'],
  ['uniq mixed', '{{ sprig_uniq (sprig_list 1 1.0 "1" true true nil nil) }}'],
  ['sortAlpha unicode', '{{ sprig_sortAlpha (sprig_list "é" "z" "a" "É" "Z" "10" "9") }}'],
  ['upper title unicode',
    '{{ sprig_upper "ǆ straße ﬃ" }} {{ sprig_title "ǆungla élan" }} {{ ' +
    'sprig_lower "ǅ İ" }}'],
  ['wrap with newline', '{{ sprig_wrap 6 "one two\\nthree four" }}'],
  ['substr unicode bytes',
    '{{ sprig_substr 0 2 "éa" }} {{ sprig_trunc 3 "aéb" }} {{ sprig_abbrev ' +
    '6 "ééééé" }}'],
  ['round negative places', '{{ sprig_round 1234.5 -2 }} {{ sprig_round 0.125 2 }}'],
  ['nindent piped', '{{ "a\\nb" | sprig_nindent 3 }}'],
  ['join typed',
    '{{ sprig_join "+" (sprig_splitList "," "a,b") }} {{ sprig_join "," ' +
    '(sprig_until 3) }}'],
  ['pluck nothing', '{{ sprig_pluck "z" (sprig_dict "a" 1) }}'],
  ['coalesce nested', '{{ sprig_coalesce (sprig_list) (sprig_dict) (sprig_list 0) }}'],
  ['ternary piped list', '{{ sprig_ternary (sprig_list 1) (sprig_list 2) false }}'],
  ['toDate weekday', '{{ sprig_toDate "Mon, 02 Jan 2006" "Wed, 04 Mar 2020" }}'],
  ['toDate comma fraction', '{{ sprig_toDate "15:04:05,000" "10:11:12,345" }}'],
  ['toDate UTC name', '{{ sprig_toDate "2006-01-02 MST" "2020-03-04 UTC" }}'],
  ['toDate GMT offset', '{{ sprig_toDate "2006-01-02 MST" "2020-03-04 GMT+3" }}'],
  ['toDate two digit year',
    '{{ sprig_toDate "06-01-02" "68-01-02" }} {{ sprig_toDate "06-01-02" ' +
    '"69-01-02" }}'],
  ['urlParse ipv6', '{{ sprig_urlParse "http://[fe80::1]:8080/x" }}'],
  ['urlParse upper scheme',
    '{{ (sprig_urlParse "HTTP://Example.com").scheme }} {{ (sprig_urlParse ' +
    '"HTTP://Example.com").host }}'],
  ['urlParse query only', '{{ sprig_urlParse "?a=b" }}'],
  ['urlJoin escapes',
    '{{ sprig_urlJoin (sprig_dict "scheme" "http" "host" "h" "path" ' +
    '"/a?b#c%d" "fragment" "x#y") }}'],
]
