/**
 * Sprig's regular-expression functions over Go's RE2 syntax (re2js), with
 * Go's rules for successive matches (an empty match right after a match is
 * skipped) and for `$1`/`${name}` expansion in replacements.
 */
import { RE2JS } from 're2js'
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { argInt, argString, nilSlice, stringSlice } from './convert.ts'
import { quote } from './fmt.ts'

/** One match: [start, end] of the whole match, then of each group (-1 if unset). */
type Match = number[]

/** A compiled expression with its group names. */
interface Regexp { re: RE2JS, names: Map<string, number>, groups: number }

// Templates often run the same expression in a loop; keep recent ones.
const cache = new Map<string, Regexp>()

/** Compiles an expression; throws Go's "error parsing regexp: ..." text. */
export function compile(expr: string): Regexp {
  const hit = cache.get(expr)
  if (hit) return hit
  let re: RE2JS
  try {
    re = RE2JS.compile(expr)
  } catch (e) {
    throw new Error((e as Error).message)
  }
  const names = new Map<string, number>()
  for (const [name, idx] of Object.entries(re.namedGroups())) names.set(name, idx as number)
  const rx = { re, names, groups: re.groupCount() }
  if (cache.size >= 256) cache.delete(cache.keys().next().value!)
  cache.set(expr, rx)
  return rx
}

// regexp.MustCompile's panic text: the expression back-quoted when it can be.
function mustCompile(expr: string): Regexp {
  try {
    return compile(expr)
  } catch (e) {
    const q = /^[^`\x00-\x08\x0a-\x1f\x7f\ufeff]*$/u.test(expr) ? '`' + expr + '`' : quote(expr)
    throw new Error(`regexp: Compile(${q}): ${(e as Error).message}`)
  }
}

/** Returns up to n matches (all when n < 0) as Go's FindAll* does. */
export function allMatches(rx: Regexp, s: string, n: number): Match[] {
  const out: Match[] = []
  const m = rx.re.matcher(s)
  let pos = 0
  let prevEnd = -1
  while ((n < 0 || out.length < n) && pos <= s.length) {
    if (!m.find(pos)) break
    const start = m.start()
    const end = m.end()
    let accept = true
    if (end === pos && start === end) {
      if (start === prevEnd) accept = false
      const cp = s.codePointAt(pos)
      pos += cp !== undefined && cp > 0xffff ? 2 : 1
    } else {
      pos = end
    }
    prevEnd = end
    if (!accept) continue
    const match: Match = [start, end]
    for (let g = 1; g <= rx.groups; g++) {
      const gs = m.group(g) === null ? -1 : m.start(g)
      match.push(gs, gs < 0 ? -1 : m.end(g))
    }
    out.push(match)
  }
  return out
}

/** Expands `$1`, `${1}`, `$name`, `${name}` and `$$` as Go's Expand does. */
export function expand(rx: Regexp, tmpl: string, s: string, match: Match): string {
  let out = ''
  let k = 0
  while (k < tmpl.length) {
    const dollar = tmpl.indexOf('$', k)
    if (dollar < 0) break
    out += tmpl.slice(k, dollar)
    k = dollar + 1
    if (tmpl[k] === '$') {
      out += '$'
      k++
      continue
    }
    const braced = /^\{(\w+)\}/.exec(tmpl.slice(k))
    const bare = braced ? null : /^\w+/.exec(tmpl.slice(k))
    const name = braced?.[1] ?? bare?.[0]
    if (name === undefined) {
      out += '$'
      continue
    }
    k += (braced ?? bare)![0].length
    let idx = -1
    if (/^\d+$/.test(name) && name.length < 9) idx = Number(name)
    else idx = rx.names.get(name) ?? -1
    if (idx >= 0 && idx <= rx.groups && match[2 * idx]! >= 0) {
      out += s.slice(match[2 * idx], match[2 * idx + 1])
    }
  }
  return out + tmpl.slice(k)
}

function replaceAll(rx: Regexp, s: string, repl: (m: Match) => string): string {
  let out = ''
  let last = 0
  for (const m of allMatches(rx, s, -1)) {
    out += s.slice(last, m[0]) + repl(m)
    last = m[1]!
  }
  return out + s.slice(last)
}

function split(rx: Regexp, expr: string, s: string, n: number): string[] {
  if (n === 0) return nilSlice([])
  if (expr.length > 0 && s.length === 0) return ['']
  const parts: string[] = []
  let beg = 0
  let end = 0
  for (const m of allMatches(rx, s, n)) {
    if (n > 0 && parts.length === n - 1) break
    end = m[0]!
    if (m[1] !== 0) parts.push(s.slice(beg, end))
    beg = m[1]!
  }
  if (end !== s.length) parts.push(s.slice(beg))
  return parts
}

/** Escapes every regular-expression metacharacter, as regexp.QuoteMeta does. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}

const s = argString

/** Returns Sprig's regular-expression functions, keyed by Sprig name. */
export function regexFuncs(): FuncMap {
  // Each function comes twice: the plain form panics through MustCompile,
  // the must form returns compile's error.
  const pair = (name: string, params: number,
    fn: (rx: Regexp, expr: string, ...a: unknown[]) => unknown): FuncMap => ({
    [name]: defineFunc((e: unknown, ...a: unknown[]) => fn(mustCompile(s(e)), s(e), ...a), params),
    ['must' + name[0]!.toUpperCase() + name.slice(1)]:
      defineFunc((e: unknown, ...a: unknown[]) => fn(compile(s(e)), s(e), ...a), params),
  })
  return {
    regexMatch: defineFunc((e, x) => {
      const str = s(x)
      try {
        return allMatches(compile(s(e)), str, 1).length > 0
      } catch {
        return false
      }
    }, 2),
    mustRegexMatch: defineFunc((e, x) => allMatches(compile(s(e)), s(x), 1).length > 0, 2),
    ...pair('regexFindAll', 3, (rx, _e, x, n) => {
      const str = s(x)
      const found = allMatches(rx, str, argInt(n)).map((m) => str.slice(m[0], m[1]))
      return stringSlice(found.length === 0 ? nilSlice(found) : found)
    }),
    ...pair('regexFind', 2, (rx, _e, x) => {
      const str = s(x)
      const m = allMatches(rx, str, 1)[0]
      return m ? str.slice(m[0], m[1]) : ''
    }),
    ...pair('regexReplaceAll', 3, (rx, _e, x, r) => {
      const str = s(x)
      const repl = s(r)
      return replaceAll(rx, str, (m) => expand(rx, repl, str, m))
    }),
    ...pair('regexReplaceAllLiteral', 3, (rx, _e, x, r) => {
      const repl = s(r)
      return replaceAll(rx, s(x), () => repl)
    }),
    ...pair('regexSplit', 3, (rx, e, x, n) => stringSlice(split(rx, e, s(x), argInt(n)))),
    regexQuoteMeta: defineFunc((x) => quoteMeta(s(x)), 1),
  }
}
