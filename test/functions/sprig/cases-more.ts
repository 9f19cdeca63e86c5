/**
 * Reference cases, continued: encodings, regular expressions, paths, URLs,
 * semver, dates, crypto and values of struct types.
 */
import type { Case } from './cases.ts'

/** Cases for base64, base32 and JSON. */
export const encoding: Case[] = [
  ['b64enc', '{{ sprig_b64enc "hello world é" }} {{ sprig_b64enc "" }}'],
  ['b64dec',
    '{{ sprig_b64dec "aGVsbG8gd29ybGQ=" }}|{{ sprig_b64dec "aGk=\\n" }}|{{ ' +
    'sprig_b64dec "" }}'],
  ['b64dec errors',
    '{{ sprig_b64dec "aGk" }}|{{ sprig_b64dec "a!==" }}|{{ sprig_b64dec ' +
    '"aG==x" }}|{{ sprig_b64dec "a===" }}|{{ sprig_b64dec "aGk=aGk=" }}'],
  ['b32enc', '{{ sprig_b32enc "hello" }} {{ sprig_b32enc "a" }} {{ sprig_b32enc "abcdef" }}'],
  ['b32dec',
    '{{ sprig_b32dec "NBSWY3DP" }}|{{ sprig_b32dec "ME======" }}|{{ ' +
    'sprig_b32dec "MFRGGZDFMY======" }}'],
  ['b32dec padding errors', '{{ sprig_b32dec "YQ==" }}|{{ sprig_b32dec "ME=====" }}|' +
    '{{ sprig_b32dec "MZXW6YTBOI=====" }}|{{ sprig_b32dec "Y===" }}|{{ sprig_b32dec "YW\\nJj" }}'],
  ['b32dec error', '{{ sprig_b32dec "NBSWY3D" }}|{{ sprig_b32dec "1BSWY3DP" }}'],
  ['toJson',
    '{{ sprig_toJson (sprig_list "a\\b\\f<>&\\u2028é\\x01" 1.5 1e21 1e-7 ' +
    '100000000.0 (sprig_dict "b" 1 "a" nil)) }}'],
  ['toJson scalars',
    '{{ sprig_toJson "x" }} {{ sprig_toJson 1 }} {{ sprig_toJson 1.0 }} {{ ' +
    'sprig_toJson nil }} {{ sprig_toJson true }}'],
  ['toJson NaN', '[{{ sprig_toJson (sprig_float64 "NaN") }}]'],
  ['mustToJson NaN', '{{ sprig_mustToJson (sprig_float64 "NaN") }}'],
  ['mustToJson', '{{ sprig_mustToJson (sprig_dict "k" (sprig_list)) }}'],
  ['toRawJson', '{{ sprig_toRawJson (sprig_list "<>&" (sprig_dict "x" "&")) }}'],
  ['mustToRawJson', '{{ sprig_mustToRawJson "<b>" }}'],
  ['toPrettyJson',
    '{{ sprig_toPrettyJson (sprig_dict "a" (sprig_list) "b" (sprig_dict) ' +
    '"c" (sprig_list 1 (sprig_dict "d" "<"))) }}'],
  ['mustToPrettyJson', '{{ sprig_mustToPrettyJson (sprig_list 1) }}'],
  ['fromJson',
    '{{ sprig_fromJson ' +
    '"{\\"a\\":[1,2.5,\\"x\\",null,true],\\"b\\":{\\"c\\":\\"\\\\u00e9\\"}}" ' +
    '}}'],
  ['fromJson bad', '{{ sprig_fromJson "bad" }}|{{ sprig_fromJson "" }}'],
  ['fromJson number type',
    '{{ sprig_typeOf (sprig_fromJson "1") }} {{ sprig_fromJson "1e6" }} {{ ' +
    'sprig_fromJson "12345678" }}'],
  ['mustFromJson', '{{ (sprig_mustFromJson "{\\"a\\":{\\"b\\":2}}").a.b }}'],
  ['mustFromJson after key', '{{ sprig_mustFromJson "{\\"a\\" 1}" }}'],
  ['mustFromJson begin', '{{ sprig_mustFromJson "x" }}'],
  ['mustFromJson end', '{{ sprig_mustFromJson "[1," }}'],
  ['mustFromJson array', '{{ sprig_mustFromJson "[1 2]" }}'],
  ['mustFromJson pair', '{{ sprig_mustFromJson "{\\"a\\":1 \\"b\\"}" }}'],
  ['mustFromJson key', '{{ sprig_mustFromJson "{1:2}" }}'],
  ['mustFromJson trailing', '{{ sprig_mustFromJson "1 2" }}'],
  ['mustFromJson literal', '{{ sprig_mustFromJson "tru" }}|{{ sprig_mustFromJson "nul!" }}'],
  ['mustFromJson number', '{{ sprig_mustFromJson "-x" }}'],
  ['mustFromJson decimal', '{{ sprig_mustFromJson "1.x" }}'],
  ['mustFromJson non-ASCII', '{{ sprig_mustFromJson "é" }}'],
  ['mustFromJson cut literal', '{{ sprig_mustFromJson "nul" }}'],
  ['mustFromJson escape', '{{ sprig_mustFromJson "\\"\\\\q\\"" }}'],
]


/** Cases for regular expressions. */
export const regex: Case[] = [
  ['regexMatch',
    '{{ sprig_regexMatch "^[a-z]+@[a-z]+\\\\.com$" "test@acme.com" }} {{ ' +
    'sprig_regexMatch "x" "abc" }}'],
  ['regexMatch invalid', '{{ sprig_regexMatch "(" "abc" }}'],
  ['mustRegexMatch invalid', '{{ sprig_mustRegexMatch "(" "abc" }}'],
  ['mustRegexMatch', '{{ sprig_mustRegexMatch "(?i)ABC" "xabcx" }}'],
  ['regexFindAll',
    '{{ sprig_regexFindAll "[2,4,6,8]" "123456789" -1 }} {{ ' +
    'sprig_regexFindAll "[2,4,6,8]" "123456789" 2 }}'],
  ['regexFindAll empty matches',
    '{{ sprig_regexFindAll "a*" "baaab" -1 }} {{ sprig_regexFindAll "" ' +
    '"abc" -1 }}'],
  ['regexFindAll none',
    '{{ sprig_regexFindAll "z" "abc" -1 }} {{ sprig_regexFindAll "a" "aaa" ' +
    '0 }}'],
  ['mustRegexFindAll invalid', '{{ sprig_mustRegexFindAll "a**" "abc" -1 }}'],
  ['regexFindAll invalid', '{{ sprig_regexFindAll "a**" "abc" -1 }}'],
  ['regexFind', '{{ sprig_regexFind "[a-zA-Z][1-9]" "abcd1234" }}|{{ sprig_regexFind "z" "abc" }}'],
  ['mustRegexFind', '{{ sprig_mustRegexFind "\\\\d+" "ab12cd" }}'],
  ['regexReplaceAll', '{{ sprig_regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}'],
  ['regexReplaceAll names',
    '{{ sprig_regexReplaceAll "(?P<first>\\\\w+) (?P<last>\\\\w+)" "John ' +
    'Smith" "$last, $first" }}'],
  ['regexReplaceAll longest name', '{{ sprig_regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}'],
  ['regexReplaceAll dollars', '{{ sprig_regexReplaceAll "b" "abc" "$$|${|$!|$9" }}'],
  ['regexReplaceAll empty match', '{{ sprig_regexReplaceAll "x*" "abc" "-" }}'],
  ['regexReplaceAll unicode', '{{ sprig_regexReplaceAll "é+" "aééb€" "E" }}'],
  ['mustRegexReplaceAll', '{{ sprig_mustRegexReplaceAll "(\\\\d)" "a1b2" "<$1>" }}'],
  ['regexReplaceAllLiteral', '{{ sprig_regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}'],
  ['mustRegexReplaceAllLiteral', '{{ sprig_mustRegexReplaceAllLiteral "\\\\s" "a b" "$0" }}'],
  ['regexSplit',
    '{{ sprig_regexSplit "z+" "pizza" -1 }} {{ sprig_regexSplit "z+" ' +
    '"pizza" 1 }} {{ sprig_regexSplit "z+" "pizza" 0 }}'],
  ['regexSplit edges',
    '{{ sprig_regexSplit "a" "banana" -1 }} {{ sprig_regexSplit "" "abc" ' +
    '-1 }} {{ sprig_regexSplit "x" "" -1 }}'],
  ['mustRegexSplit', '{{ sprig_mustRegexSplit "," "a,b,c" 2 }}'],
  ['regexQuoteMeta', '{{ sprig_regexQuoteMeta "1.2.3+[x]$" }}'],
  ['regex multiline anchors', '{{ sprig_regexFindAll "(?m)^\\\\w" "ab\\ncd" -1 }}'],
]

/** Cases for path and filepath. */
export const paths: Case[] = [
  ['base',
    '{{ sprig_base "foo/bar/baz" }} {{ sprig_base "/" }} {{ sprig_base "" ' +
    '}} {{ sprig_base "a/b/" }}'],
  ['dir',
    '{{ sprig_dir "foo/bar/baz" }} {{ sprig_dir "baz" }} {{ sprig_dir "/a" ' +
    '}} {{ sprig_dir "" }}'],
  ['clean',
    '{{ sprig_clean "foo/bar/../baz" }} {{ sprig_clean "" }} {{ ' +
    'sprig_clean "/../a//b/./" }} {{ sprig_clean "../../x" }}'],
  ['ext', '{{ sprig_ext "foo.bar" }} [{{ sprig_ext "a.b/c" }}] {{ sprig_ext "x.tar.gz" }}'],
  ['isAbs', '{{ sprig_isAbs "/a" }} {{ sprig_isAbs "a" }}'],
  ['os forms',
    '{{ sprig_osBase "/a/b.c" }} {{ sprig_osDir "/a/b.c" }} {{ ' +
    'sprig_osClean "a/./b" }} {{ sprig_osExt "b.c" }} {{ sprig_osIsAbs ' +
    '"/x" }}'],
]

/** Cases for urlParse and urlJoin. */
export const url: Case[] = [
  ['urlParse',
    '{{ sprig_urlParse ' +
    '"https://user:pa%20ss@example.com:8080/a/b%20c?x=1&y=2#fr%20ag" }}'],
  ['urlParse bad userinfo', '{{ sprig_urlParse "https://user:pa ss@example.com/#frag" }}'],
  ['urlParse bad fragment', '{{ sprig_urlParse "https://example.com/#%zz" }}'],
  ['urlParse hostname',
    '{{ (sprig_urlParse "http://[::1]:80/").hostname }} {{ (sprig_urlParse ' +
    '"http://h:1").hostname }}'],
  ['urlParse opaque', '{{ sprig_urlParse "mailto:someone@example.com" }}'],
  ['urlParse relative', '{{ sprig_urlParse "/just/path?q" }}'],
  ['urlParse bad escape', '{{ sprig_urlParse "http://x/%zz" }}'],
  ['urlParse bad host', '{{ sprig_urlParse "http://a b/" }}'],
  ['urlParse open bracket', '{{ sprig_urlParse "http://[::1" }}'],
  ['urlParse bad port', '{{ sprig_urlParse "http://x:port/" }}'],
  ['urlParse colon', '{{ sprig_urlParse ":foo" }}'],
  ['urlJoin',
    '{{ sprig_urlJoin (sprig_dict "host" "localhost:4000" "path" "/a b" ' +
    '"query" "k=v" "scheme" "http" "fragment" "f g") }}'],
  ['urlJoin userinfo',
    '{{ sprig_urlJoin (sprig_dict "host" "h" "scheme" "https" "userinfo" ' +
    '"me:p@ss") }}'],
  ['urlJoin opaque', '{{ sprig_urlJoin (sprig_dict "scheme" "mailto" "opaque" "a@b") }}'],
  ['urlJoin relative', '{{ sprig_urlJoin (sprig_dict "path" "a:b") }}'],
  ['urlJoin round trip', '{{ sprig_urlJoin (sprig_urlParse "https://u@h.example/p?q=1#f") }}'],
]

/** Cases for semver and semverCompare. */
export const semver: Case[] = [
  ['semver',
    '{{ sprig_semver "1.2.3-beta.1+build.5" }} {{ sprig_semver "v1.2" }} ' +
    '{{ sprig_semver "01.2.3" }} {{ sprig_semver "v1" }}'],
  ['semver fields',
    '{{ $v := sprig_semver "1.2.3-beta.1+b5" }}{{ $v.Major }} {{ $v.Minor ' +
    '}} {{ $v.Patch }} {{ $v.Prerelease }} {{ $v.Metadata }} {{ ' +
    '$v.Original }}'],
  ['semver type',
    '{{ sprig_typeOf (sprig_semver "1.2.3") }} {{ sprig_kindOf ' +
    '(sprig_semver "1.2.3") }}'],
  ['semver inc',
    '{{ (sprig_semver "1.2.3").IncPatch }} {{ (sprig_semver ' +
    '"1.2.3-rc1").IncPatch }} {{ (sprig_semver "1.2.3").IncMinor }} {{ ' +
    '(sprig_semver "1.2.3").IncMajor }}'],
  ['semver compare methods',
    '{{ (sprig_semver "1.2.3").LessThan (sprig_semver "1.10.0") }} {{ ' +
    '(sprig_semver "1.0.0-alpha").Compare (sprig_semver "1.0.0") }} {{ ' +
    '(sprig_semver "1.0.0+a").Equal (sprig_semver "1.0.0+b") }}'],
  ['semver invalid', '{{ sprig_semver "1.2.3.4" }}'],
  ['semver leading zero pre', '{{ sprig_semver "1.2.3-01" }}'],
  ['semver big', '{{ sprig_semver "99999999999999999999.1.1" }}'],
  ['semverCompare basic',
    '{{ sprig_semverCompare "1.2.3" "1.2.3" }} {{ sprig_semverCompare ' +
    '"=1.2.3" "1.2.4" }} {{ sprig_semverCompare "!=1.2.3" "1.2.4" }}'],
  ['semverCompare ranges',
    '{{ sprig_semverCompare ">=1.2.0, <2" "1.9.9" }} {{ ' +
    'sprig_semverCompare ">=1.2.0 <2" "2.0.0" }} {{ sprig_semverCompare ' +
    '"<1.0 || >=3" "3.1.0" }}'],
  ['semverCompare caret',
    '{{ sprig_semverCompare "^1.2" "1.9.0" }} {{ sprig_semverCompare ' +
    '"^1.2" "2.0.0" }} {{ sprig_semverCompare "^0.2.3" "0.2.9" }} {{ ' +
    'sprig_semverCompare "^0.2.3" "0.3.0" }} {{ sprig_semverCompare ' +
    '"^0.0.3" "0.0.4" }}'],
  ['semverCompare tilde',
    '{{ sprig_semverCompare "~1.2.3" "1.2.9" }} {{ sprig_semverCompare ' +
    '"~1.2.3" "1.3.0" }} {{ sprig_semverCompare "~1" "1.9.0" }} {{ ' +
    'sprig_semverCompare "~>2.1" "2.1.7" }}'],
  ['semverCompare wildcards',
    '{{ sprig_semverCompare "1.2.x" "1.2.7" }} {{ sprig_semverCompare "*" ' +
    '"5.0.0" }} {{ sprig_semverCompare ">1.x" "2.0.0" }} {{ ' +
    'sprig_semverCompare ">1.x" "1.5.0" }} {{ sprig_semverCompare ' +
    '"<=1.2.x" "1.2.9" }} {{ sprig_semverCompare ">1.2.x" "1.3.0" }}'],
  ['semverCompare prerelease',
    '{{ sprig_semverCompare ">1.x" "2.0.0-rc1" }} {{ sprig_semverCompare ' +
    '">=1.0.0-0" "1.0.0-rc1" }} {{ sprig_semverCompare "!=1.2.3" ' +
    '"1.2.4-alpha" }} {{ sprig_semverCompare "!=1.2.x" "1.2.0-alpha" }}'],
  ['semverCompare hyphen',
    '{{ sprig_semverCompare "1.2 - 1.4.5" "1.4.5" }} {{ ' +
    'sprig_semverCompare "1.2 - 1.4.5" "1.4.6" }} {{ sprig_semverCompare ' +
    '"1.2 - 1.4.5" "1.1.9" }}'],
  ['semverCompare not equal wild',
    '{{ sprig_semverCompare "!=1.x" "1.5.0" }} {{ sprig_semverCompare ' +
    '"!=1.x" "2.0.0" }} {{ sprig_semverCompare "!=1.2.x" "1.3.0" }}'],
  ['semverCompare wildcard edges', '{{ sprig_semverCompare "<=*" "0.0.1" }} ' +
    '{{ sprig_semverCompare "<=*" "0.1.0" }} {{ sprig_semverCompare "!=1.2-0" "1.2.3" }} ' +
    '{{ sprig_semverCompare "!=*" "1.2.3-alpha" }} ' +
    '{{ sprig_semverCompare "!=1.2.x" "1.2.3-alpha" }}'],
  ['semverCompare bad constraint', '{{ sprig_semverCompare "foo" "1.0.0" }}'],
  ['semverCompare empty group', '{{ sprig_semverCompare "||" "1.0.0" }}'],
  ['semverCompare bad version', '{{ sprig_semverCompare ">1" "x" }}'],
]

/** Cases for dates, layouts and durations. */
export const dates: Case[] = [
  ['toDate', '{{ sprig_toDate "2006-01-02" "2017-12-31" }}'],
  ['toDate bad', '{{ sprig_toDate "2006-01-02" "bad" }}'],
  ['toDate zone offset',
    '{{ sprig_toDate "2006-01-02T15:04:05.999Z07:00" ' +
    '"2020-03-04T05:06:07.12+02:00" }}'],
  ['toDate utc Z', '{{ sprig_toDate "2006-01-02T15:04:05Z07:00" "2020-03-04T05:06:07Z" }}'],
  ['toDate named zone', '{{ sprig_toDate "Jan 2 2006 15:04 MST" "Feb 3 2021 10:11 PST" }}'],
  ['toDate pm', '{{ sprig_toDate "3:04PM Jan _2 06" "9:30PM Mar  7 99" }}'],
  ['toDate fraction not in layout',
    '{{ sprig_toDate "2006-01-02 15:04:05" "2020-01-01 10:00:00.250" }}'],
  ['toDate yday', '{{ sprig_toDate "2006 002" "2020 060" }}'],
  ['toDate month name', '{{ sprig_toDate "January 2, 2006" "march 9, 2001" }}'],
  ['mustToDate', '{{ sprig_mustToDate "2006-01-02" "2017-12-31" }}'],
  ['mustToDate bad element', '{{ sprig_mustToDate "2006-01-02" "2020-3-04" }}'],
  ['mustToDate day range', '{{ sprig_mustToDate "2006-01-02" "2020-02-30" }}'],
  ['mustToDate month range', '{{ sprig_mustToDate "2006-01-02" "2020-13-01" }}'],
  ['mustToDate extra', '{{ sprig_mustToDate "2006-01-02" "2020-02-03x" }}'],
  ['mustToDate prefix', '{{ sprig_mustToDate "2006-01-02" "2020/02/03" }}'],
  ['mustToDate hour range', '{{ sprig_mustToDate "15:04" "25:00" }}'],
  ['Format',
    '{{ (sprig_toDate "2006-01-02 15:04" "2020-03-04 05:06").Format "Mon ' +
    'Jan _2 3:04PM 2006 MST" }}'],
  ['Format more',
    '{{ (sprig_toDate "2006-01-02 15:04:05.000" "2021-12-25 ' +
    '23:59:58.123").Format "Monday January 02 06 15h 03 pm .000 .999999 ,9 ' +
    'Z07:00 -0700 -07 002" }}'],
  ['time methods',
    '{{ $t := sprig_toDate "2006-01-02 15:04:05" "2020-02-29 13:14:15" ' +
    '}}{{ $t.Year }} {{ $t.Month }} {{ $t.Day }} {{ $t.Hour }} {{ ' +
    '$t.Minute }} {{ $t.Second }} {{ $t.YearDay }} {{ $t.Weekday }} {{ ' +
    '$t.Unix }} {{ $t.IsZero }}'],
  ['time UTC', '{{ (sprig_toDate "2006-01-02T15:04:05-07:00" "2020-01-01T00:00:00-07:00").UTC }}'],
  ['zero time', '{{ (sprig_toDate "x" "y").IsZero }} {{ (sprig_toDate "x" "y").Unix }}'],
  ['unixEpoch', '{{ sprig_unixEpoch (sprig_toDate "2006-01-02" "2020-03-04") }}'],
  ['mustDateModify', '{{ sprig_mustDateModify "1.5h" (sprig_toDate "2006-01-02" "2020-03-04") }}'],
  ['must_date_modify',
    '{{ sprig_must_date_modify "-90m30.5s" (sprig_toDate "2006-01-02" ' +
    '"2020-03-04") }}'],
  ['mustDateModify bad',
    '{{ sprig_mustDateModify "3x" (sprig_toDate "2006-01-02" "2020-03-04") ' +
    '}}'],
  ['mustDateModify missing unit',
    '{{ sprig_mustDateModify "3" (sprig_toDate "2006-01-02" "2020-03-04") ' +
    '}}'],
  ['duration',
    '{{ sprig_duration "95" }} {{ sprig_duration "3600" }} {{ ' +
    'sprig_duration "90061" }} {{ sprig_duration "x" }} {{ sprig_duration ' +
    '(sprig_int64 95) }}'],
  ['durationRound',
    '{{ sprig_durationRound "2h10m5s" }} {{ sprig_durationRound "-3h" }} ' +
    '{{ sprig_durationRound "400h" }} {{ sprig_durationRound "9000h" }} {{ ' +
    'sprig_durationRound "61s" }} {{ sprig_durationRound "1s" }} {{ ' +
    'sprig_durationRound "x" }}'],
  ['durationRound int64',
    '{{ sprig_durationRound (sprig_int64 3600000000001) }} {{ ' +
    'sprig_durationRound (sprig_int64 1500000000) }}'],
]

/** Cases for hashes, AES, passwords and key errors. */
export const crypto: Case[] = [
  ['sha1sum', '{{ sprig_sha1sum "Hello world!" }}'],
  ['sha256sum', '{{ sprig_sha256sum "Hello world!" }}'],
  ['sha512sum', '{{ sprig_sha512sum "Hello world!" }}'],
  ['adler32sum', '{{ sprig_adler32sum "Hello world!" }} {{ sprig_adler32sum "" }}'],
  ['derivePassword long', '{{ sprig_derivePassword 1 "long" "password" "user" "example.com" }}'],
  ['derivePassword types',
    '{{ sprig_derivePassword 1 "maximum" "password" "user" "example.com" ' +
    '}}|{{ sprig_derivePassword 2 "medium" "pw" "u" "s" }}|{{ ' +
    'sprig_derivePassword 1 "short" "pw" "u" "s" }}|{{ ' +
    'sprig_derivePassword 1 "basic" "pw" "u" "s" }}|{{ ' +
    'sprig_derivePassword 1 "pin" "pw" "u" "s" }}'],
  ['derivePassword unknown', '{{ sprig_derivePassword 1 "nope" "pw" "u" "s" }}'],
  ['decryptAES',
    '{{ sprig_decryptAES "secretkey" ' +
    '"ykSJKKf6F4W9yiE6TX/FN5iQc8Ude6iuRklhwWuxtUQ=" }}'],
  ['decryptAES round trip',
    '{{ sprig_encryptAES "k" "hello there" | sprig_decryptAES "k" }} {{ ' +
    'sprig_encryptAES "a very long key that is longer than thirty two ' +
    'bytes" "sixteen bytes!!!" | sprig_decryptAES "a very long key that is ' +
    'longer than thirty two bytes" }}'],
  ['decryptAES bad base64', '{{ sprig_decryptAES "k" "abc" }}'],
  ['decryptAES short', '{{ sprig_decryptAES "k" "YWJj" }}'],
  ['decryptAES iv only', '{{ sprig_decryptAES "k" "YWJjZGVmZ2hpamtsbW5vcA==" }}'],
  ['decryptAES partial block', '{{ sprig_decryptAES "k" "YWJjZGVmZ2hpamtsbW5vcHFy" }}'],
  ['decryptAES bad padding',
    '{{ sprig_decryptAES "secretkey" ' +
    '"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }}'],
  ['decryptAES empty', '[{{ sprig_decryptAES "k" "" }}]'],
  ['htpasswd bad user', '{{ sprig_htpasswd "u:x" "p" }}'],
  ['bcrypt too long',
    '{{ sprig_bcrypt ' +
    '"0123456789012345678901234567890123456789012345678901234567890123456789012" ' +
    '}}'],
  ['genPrivateKey unknown', '{{ sprig_genPrivateKey "foo" }}'],
  ['genCAWithKey junk', '{{ sprig_genCAWithKey "x" 1 "junk" }}'],
  ['genCAWithKey not a key',
    '{{ sprig_genCAWithKey "x" 1 `-----BEGIN FOO-----\nYWJj\n-----END ' +
    'FOO-----` }}'],
  ['genCAWithKey unknown key type',
    '{{ sprig_genCAWithKey "x" 1 `-----BEGIN FOO PRIVATE ' +
    'KEY-----\nYWJj\n-----END FOO PRIVATE KEY-----` }}'],
  ['genSelfSignedCertWithKey junk', '{{ sprig_genSelfSignedCertWithKey "x" nil nil 1 "" }}'],
  ['genSelfSignedCert bad ip', '{{ sprig_genSelfSignedCert "a" (sprig_list "x") nil 1 }}'],
  ['genSelfSignedCert ip not string', '{{ sprig_genSelfSignedCert "a" (sprig_list 1) nil 1 }}'],
  ['genSelfSignedCert dns not string', '{{ sprig_genSelfSignedCert "a" nil (sprig_list 1) 1 }}'],
  ['genSignedCert bad ca',
    '{{ sprig_genSignedCert "a" nil nil 1 (sprig_buildCustomCert "YWJj" ' +
    '"YWJj") }}'],
  ['genSelfSignedCert typed list', '{{ sprig_genSelfSignedCert "a" ' +
    '(sprig_splitList "," "1.2.3.4") nil 1 }}'],
  ['genSignedCert ca type', '{{ sprig_genSignedCert "a" (sprig_list "x") nil 1 (sprig_dict) }}'],
  ['buildCustomCert not pem', '{{ sprig_buildCustomCert "YWJj" "YWJj" }}'],
  ['buildCustomCert bad base64', '{{ sprig_buildCustomCert "!" "YWJj" }}'],
  ['buildCustomCert bad key base64', '{{ sprig_buildCustomCert "YWJj" "!" }}'],
  ['randInt single value', '{{ sprig_randInt 1 2 }} {{ sprig_randInt -5 -4 }}'],
  ['randInt empty range', '{{ sprig_randInt 5 5 }}'],
  ['shuffle trivial', '[{{ sprig_shuffle "" }}] {{ sprig_shuffle "a" }} {{ sprig_shuffle "aaa" }}'],
]
