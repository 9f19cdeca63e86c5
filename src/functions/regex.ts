/**
 * Regular expressions with Go's RE2 syntax (through re2js) and Go's
 * ReplaceAllString semantics: `$1`, `$name` and `${name}` expand as Go's
 * Regexp.Expand does (`$1x` names a group "1x", which is empty), `$$` is a
 * dollar, and an empty match right after a match is not replaced.
 */
import { RE2JS } from 're2js'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asString } from './args.ts'

const cache = new Map<string, RE2JS>()

/** Compiles a Go regular expression; errors read as Go's regexp errors. */
export function compileGo(pattern: string): RE2JS {
  let re = cache.get(pattern)
  if (re === undefined) {
    re = RE2JS.compile(pattern)
    if (cache.size > 256) cache.clear()
    cache.set(pattern, re)
  }
  return re
}

/** Returns s with every match of re replaced by the expanded template. */
export function goReplaceAll(re: RE2JS, s: string, template: string): string {
  const m = re.matcher(s)
  const names = re.namedGroups() as Record<string, number>
  let out = ''
  let lastEnd = 0
  let searchPos = 0
  while (searchPos <= s.length && m.find(searchPos)) {
    const start = m.start()
    const end = m.end()
    out += s.slice(lastEnd, start)
    if (end > lastEnd || start === 0) {
      out += expand(template, m, names)
    }
    lastEnd = end
    const width = runeWidth(s, searchPos)
    if (searchPos + width > end) searchPos += width
    else if (searchPos + 1 > end) searchPos++
    else searchPos = end
  }
  return out + s.slice(lastEnd)
}

function runeWidth(s: string, at: number): number {
  if (at >= s.length) return 1
  const c = s.codePointAt(at)!
  return c > 0xffff ? 2 : 1
}

type Match = { group(g: number): string | null; groupCount(): number }

function expand(template: string, m: Match, names: Record<string, number>): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const dollar = template.indexOf('$', i)
    if (dollar < 0) {
      out += template.slice(i)
      break
    }
    out += template.slice(i, dollar)
    const rest = template.slice(dollar + 1)
    if (rest.startsWith('$')) {
      out += '$'
      i = dollar + 2
      continue
    }
    const ref = /^\{([A-Za-z0-9_]+)\}/.exec(rest) ?? /^([A-Za-z0-9_]+)/.exec(rest)
    if (ref === null) {
      out += '$'
      i = dollar + 1
      continue
    }
    out += groupText(ref[1]!, m, names)
    i = dollar + 1 + ref[0].length
  }
  return out
}

function groupText(name: string, m: Match, names: Record<string, number>): string {
  let index: number | undefined
  // Go reads a run of digits as a group number, except with a leading
  // zero ("$00" names a group called "00").
  if (/^(?:0|[1-9][0-9]*)$/.test(name)) {
    const n = Number(name)
    if (n <= m.groupCount()) index = n
  } else {
    index = names[name]
  }
  if (index === undefined) return ''
  return m.group(index) ?? ''
}

/** Returns the regular-expression helpers, keyed by template name. */
export function regexFuncs(): FuncMap {
  return {
    regexMatch: defineFunc((re: unknown, s: unknown) =>
      compileGo(asString(re)).matcher(asString(s)).find(), 2),
    regexReplaceAll: defineFunc((re: unknown, repl: unknown, s: unknown) =>
      goReplaceAll(compileGo(asString(re)), asString(s), asString(repl)), 3),
  }
}
