/**
 * A JSON reader that keeps positions, so that a JSON configuration gets the
 * same file:line:column errors as an HCL one. It produces the same tree as
 * the HCL reader; numbers are decimal (JSON has no octal).
 */
import { ConfigError, type Entry, type Node } from './ast.ts'
import type { Position } from './types.ts'

/** Parses JSON text; the top level must be an object. */
export function parseJson(src: string, file: string): Node & { kind: 'object' } {
  let cursor = 0
  let line = 1
  let lineStart = 0

  const here = (): Position => ({ file, line, column: cursor - lineStart + 1 })
  const fail = (msg: string, at: Position = here()): never => {
    throw new ConfigError([{ keyPath: '', message: msg, at }])
  }

  const skipSpace = (): void => {
    while (cursor < src.length) {
      const ch = src[cursor]!
      if (ch === '\n') {
        line++
        lineStart = cursor + 1
      } else if (ch !== ' ' && ch !== '\t' && ch !== '\r' && ch !== '\ufeff') {
        return
      }
      cursor++
    }
  }

  const describeHere = (): string =>
    cursor >= src.length ? 'end of file' : JSON.stringify(src[cursor])

  const expect = (ch: string): void => {
    skipSpace()
    if (src[cursor] !== ch) fail(`expected '${ch}', found ${describeHere()}`)
    cursor++
  }

  const parseString = (): string => {
    const at = here()
    const m = /^"(?:[^"\\\n\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/
      .exec(src.slice(cursor))
    if (!m) return fail('invalid or unterminated string', at)
    cursor += m[0].length
    return JSON.parse(m[0]) as string
  }

  const parseValue = (): Node => {
    skipSpace()
    const at = here()
    const ch = src[cursor]
    if (ch === '{') return parseObject()
    if (ch === '[') {
      cursor++
      const items: Node[] = []
      skipSpace()
      if (src[cursor] === ']') {
        cursor++
        return { kind: 'list', items, at }
      }
      for (;;) {
        items.push(parseValue())
        skipSpace()
        if (src[cursor] === ',') {
          cursor++
          continue
        }
        expect(']')
        return { kind: 'list', items, at }
      }
    }
    if (ch === '"') return { kind: 'string', value: parseString(), at }
    const word = /^(true|false|null)\b/.exec(src.slice(cursor))
    if (word) {
      cursor += word[0].length
      if (word[1] === 'null') return { kind: 'null', at }
      return { kind: 'bool', value: word[1] === 'true', at }
    }
    const num = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(src.slice(cursor))
    if (num) {
      cursor += num[0].length
      const isInt = num[2] === undefined && num[3] === undefined
      return { kind: 'number', value: Number(num[0]), isInt, at }
    }
    return fail(`expected a value, found ${describeHere()}`)
  }

  const parseObject = (): Node & { kind: 'object' } => {
    skipSpace()
    const at = here()
    expect('{')
    const entries: Entry[] = []
    skipSpace()
    if (src[cursor] === '}') {
      cursor++
      return { kind: 'object', entries, at }
    }
    for (;;) {
      skipSpace()
      const keyAt = here()
      if (src[cursor] !== '"') fail(`expected a quoted key, found ${describeHere()}`)
      const key = parseString()
      expect(':')
      entries.push({ key, at: keyAt, value: parseValue() })
      skipSpace()
      if (src[cursor] === ',') {
        cursor++
        continue
      }
      expect('}')
      return { kind: 'object', entries, at }
    }
  }

  const root = parseObject()
  skipSpace()
  if (cursor < src.length) fail(`unexpected ${describeHere()} after the top-level object`)
  return root
}
