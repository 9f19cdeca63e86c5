/**
 * The part of go-bexpr (Consul's `?filter=`) that filters are written
 * with in practice: `==`, `!=`, `contains`, `in`, `matches`, `is empty`,
 * their negations, `and`/`or`/`not` and parentheses, over dotted
 * selectors such as `Service.Meta.version` or `Node.Meta["rack"]`.
 */
import { RE2JS } from 're2js'
import { HTTPError } from './types.ts'

/** A compiled filter: true keeps the element. */
export type Predicate = (value: unknown) => boolean

type Tok = { kind: 'word' | 'str' | 'op' | 'lp' | 'rp'; text: string }

const prefix = 'Failed to create boolean expression evaluator: '

/** Compiles a filter expression; a bad one is Consul's 400. */
export function compileFilter(src: string): Predicate {
  const toks = tokenize(src)
  let pos = 0
  const peek = (): Tok | undefined => toks[pos]
  const isWord = (w: string): boolean => {
    const t = peek()
    return t !== undefined && t.kind === 'word' && t.text === w
  }
  const fail = (msg: string): never => {
    throw new HTTPError(400, prefix + msg)
  }
  const value = (): string => {
    const t = toks[pos++]
    if (!t || (t.kind !== 'str' && t.kind !== 'word')) fail('expected a value')
    return t!.text
  }
  const selector = (): string[] => {
    const t = toks[pos++]
    if (!t || t.kind !== 'word') return fail('expected a selector')
    return splitSelector(t.text, fail)
  }

  function orExpr(): Predicate {
    let left = andExpr()
    while (isWord('or')) {
      pos++
      const l = left
      const r = andExpr()
      left = (v) => l(v) || r(v)
    }
    return left
  }

  function andExpr(): Predicate {
    let left = notExpr()
    while (isWord('and')) {
      pos++
      const l = left
      const r = notExpr()
      left = (v) => l(v) && r(v)
    }
    return left
  }

  function notExpr(): Predicate {
    if (isWord('not')) {
      pos++
      const inner = notExpr()
      return (v) => !inner(v)
    }
    if (peek()?.kind === 'lp') {
      pos++
      const inner = orExpr()
      if (toks[pos++]?.kind !== 'rp') fail('missing closing parenthesis')
      return inner
    }
    return match()
  }

  function match(): Predicate {
    // `"value" in Selector` / `"value" not in Selector`
    const next = toks[pos + 1]
    const after = toks[pos + 2]
    if (next?.kind === 'word' && (next.text === 'in'
      || (next.text === 'not' && after?.text === 'in'))) {
      const v = value()
      pos += next.text === 'in' ? 1 : 2
      const sel = selector()
      const neg = next.text === 'not'
      return (x) => contains(resolve(x, sel), v) !== neg
    }
    const sel = selector()
    const op = toks[pos++]
    if (!op) return fail('expected an operator')
    if (op.kind === 'op') {
      const v = value()
      const eq = op.text === '=='
      return (x) => equals(resolve(x, sel), v) === eq
    }
    let neg = false
    let word = op.text
    if (word === 'not') {
      neg = true
      word = toks[pos++]?.text ?? ''
    }
    if (word === 'is') {
      if (isWord('not')) { pos++; neg = !neg }
      if (!isWord('empty')) fail('expected "empty"')
      pos++
      return (x) => isEmpty(resolve(x, sel)) !== neg
    }
    if (word === 'contains') {
      const v = value()
      return (x) => contains(resolve(x, sel), v) !== neg
    }
    if (word === 'matches') {
      const re = compileRegex(value(), fail)
      return (x) => {
        const got = resolve(x, sel)
        return (typeof got === 'string' && re.matcher(got).find()) !== neg
      }
    }
    return fail(`unknown operator "${op.text}"`)
  }

  const pred = orExpr()
  if (pos !== toks.length) fail(`unexpected "${toks[pos]!.text}"`)
  return pred
}

function compileRegex(src: string, fail: (m: string) => never): RE2JS {
  try {
    return RE2JS.compile(src)
  } catch (err) {
    return fail(`invalid regular expression: ${(err as Error).message}`)
  }
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (/\s/.test(c)) { i++; continue }
    if (c === '(') { out.push({ kind: 'lp', text: c }); i++; continue }
    if (c === ')') { out.push({ kind: 'rp', text: c }); i++; continue }
    if ((c === '=' || c === '!') && src[i + 1] === '=') {
      out.push({ kind: 'op', text: c + '=' })
      i += 2
      continue
    }
    if (c === '"' || c === '`') {
      let j = i + 1
      let s = ''
      while (j < src.length && src[j] !== c) {
        if (c === '"' && src[j] === '\\' && j + 1 < src.length) j++
        s += src[j++]
      }
      if (j >= src.length) throw new HTTPError(400, prefix + 'unterminated string')
      out.push({ kind: 'str', text: s })
      i = j + 1
      continue
    }
    let j = i
    // A selector may carry ["quoted keys"]; keep them in the word.
    while (j < src.length && !/[\s()=!]/.test(src[j]!)) {
      if (src[j] === '[') {
        const close = src.indexOf(']', j)
        j = close < 0 ? src.length : close + 1
      } else {
        j++
      }
    }
    if (j === i) throw new HTTPError(400, prefix + `unexpected "${c}"`)
    out.push({ kind: 'word', text: src.slice(i, j) })
    i = j
  }
  return out
}

function splitSelector(text: string, fail: (m: string) => never): string[] {
  const parts: string[] = []
  const re = /([^.[\]]+)|\["([^"]*)"\]|\[([^\]]*)\]/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) parts.push(m[1] ?? m[2] ?? m[3] ?? '')
  if (parts.length === 0) fail(`Selector "${text}" is not valid`)
  return parts
}

function resolve(v: unknown, path: string[]): unknown {
  let cur = v
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined
    cur = (cur as Record<string, unknown>)[p]
  }
  return cur
}

function equals(got: unknown, want: string): boolean {
  if (got === undefined || got === null || typeof got === 'object') return false
  return String(got) === want
}

function contains(got: unknown, want: string): boolean {
  if (typeof got === 'string') return got.includes(want)
  if (Array.isArray(got)) return got.some((x) => equals(x, want))
  if (got && typeof got === 'object') return Object.hasOwn(got, want)
  return false
}

function isEmpty(got: unknown): boolean {
  if (got === undefined || got === null || got === '') return true
  if (Array.isArray(got)) return got.length === 0
  if (typeof got === 'object') return Object.keys(got).length === 0
  return false
}
