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

const q = (s: string) => JSON.stringify(s)

/** The probe cases, one fixture group. */
export const edgeCases: FunctionCase[] = [
  ...regexCases.map(([re, repl, s]) => ({
    template: `{{ regexReplaceAll ${q(re)} ${q(repl)} ${q(s)} }}`,
  })),
  ...floats.map((f) => ({ template: `{{ parseFloat ${q(f)} }}` })),
  ...jsonTexts.map((j) => ({ template: `{{ parseJSON \`${j}\` | toJSON }}` })),
]
