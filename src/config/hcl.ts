/**
 * A reader for HCL version 1, the language of consul-template's files:
 * `key = value`, blocks `key { ... }` and labelled blocks `key "a" { ... }`,
 * lists, quoted strings with Go escapes and `${...}` kept as text, heredocs
 * (`<<EOF`, `<<-EOF`), numbers with HCL1's reading (`0600` is octal, `0x1f`
 * hex), bools and the three comment forms. Errors carry file:line:column.
 */
import { ConfigError, type Entry, type Node, type ObjectNode } from './ast.ts'
import type { Position } from './types.ts'

type TokKind =
  | 'ident' | 'string' | 'heredoc' | 'number' | 'bool'
  | '{' | '}' | '[' | ']' | ',' | '=' | 'eof'

interface Token {
  kind: TokKind
  text: string // decoded text for strings, source text otherwise
  at: Position
}

/** Human names for tokens in error messages. */
function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'end of file'
    case 'ident': return `identifier ${t.text}`
    case 'string': case 'heredoc': return 'string'
    case 'number': return `number ${t.text}`
    case 'bool': return t.text
    default: return `'${t.kind}'`
  }
}

/** Scans HCL1 source into tokens, one at a time. */
class Lexer {
  private cursor = 0
  private line = 1
  private lineStart = 0

  constructor(private readonly src: string, private readonly file: string) {}

  /** Returns the position of an offset on the current line. */
  private here(offset = this.cursor): Position {
    return { file: this.file, line: this.line, column: offset - this.lineStart + 1 }
  }

  private fail(msg: string, at: Position = this.here()): never {
    throw new ConfigError([{ keyPath: '', message: msg, at }])
  }

  private advance(): string {
    const ch = this.src[this.cursor++]!
    if (ch === '\n') {
      this.line++
      this.lineStart = this.cursor
    }
    return ch
  }

  /** Skips blanks, newlines and comments. */
  private skipSpace(): void {
    const s = this.src
    while (this.cursor < s.length) {
      const ch = s[this.cursor]!
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\ufeff') {
        this.advance()
      } else if (ch === '#' || (ch === '/' && s[this.cursor + 1] === '/')) {
        while (this.cursor < s.length && s[this.cursor] !== '\n') this.cursor++
      } else if (ch === '/' && s[this.cursor + 1] === '*') {
        const at = this.here()
        const end = s.indexOf('*/', this.cursor + 2)
        if (end < 0) this.fail('comment not terminated', at)
        while (this.cursor < end + 2) this.advance()
      } else {
        return
      }
    }
  }

  /** Returns the next token. */
  next(): Token {
    this.skipSpace()
    const s = this.src
    const at = this.here()
    if (this.cursor >= s.length) return { kind: 'eof', text: '', at }
    const ch = s[this.cursor]!
    if ('{}[],='.includes(ch)) {
      this.cursor++
      return { kind: ch as TokKind, text: ch, at }
    }
    if (ch === '"') return this.lexString(at)
    if (ch === '<' && s[this.cursor + 1] === '<') return this.lexHeredoc(at)
    if (isDigit(ch) || ((ch === '-' || ch === '+') && isDigit(s[this.cursor + 1] ?? ''))) {
      return this.lexNumber(at)
    }
    if (isIdentStart(ch)) {
      const start = this.cursor
      while (this.cursor < s.length && isIdentPart(s[this.cursor]!)) this.cursor++
      const text = s.slice(start, this.cursor)
      const kind = text === 'true' || text === 'false' ? 'bool' : 'ident'
      return { kind, text, at }
    }
    return this.fail(`unexpected character ${JSON.stringify(ch)}`, at)
  }

  /** Scans a number; the parser converts it with HCL1's base rules. */
  private lexNumber(at: Position): Token {
    const s = this.src
    const start = this.cursor
    if (s[this.cursor] === '-' || s[this.cursor] === '+') this.cursor++
    while (this.cursor < s.length && /[0-9a-zA-Z_.]/.test(s[this.cursor]!)) {
      const c = s[this.cursor]!
      this.cursor++
      // An exponent sign belongs to the number: 1e-3.
      if ((c === 'e' || c === 'E') && /[-+]/.test(s[this.cursor] ?? '') &&
        !/^[-+]?0[xX]/.test(s.slice(start, this.cursor))) this.cursor++
    }
    return { kind: 'number', text: s.slice(start, this.cursor), at }
  }

  /** Scans a quoted string, decoding escapes; `${...}` is kept verbatim. */
  private lexString(at: Position): Token {
    const s = this.src
    this.cursor++ // opening quote
    let out = ''
    let braces = 0
    for (;;) {
      if (this.cursor >= s.length) this.fail('string not terminated', at)
      const ch = s[this.cursor]!
      if (ch === '\n' && braces === 0) this.fail('string not terminated', at)
      if (braces === 0 && ch === '"') {
        this.cursor++
        return { kind: 'string', text: out, at }
      }
      if (ch === '$' && s[this.cursor + 1] === '{') {
        braces++
        out += '${'
        this.cursor += 2
        continue
      }
      if (braces > 0) {
        if (ch === '{') braces++
        if (ch === '}') braces--
        out += this.advance()
        continue
      }
      if (ch === '\\') {
        out += this.lexEscape()
        continue
      }
      out += ch
      this.cursor++
    }
  }

  /** Decodes one backslash escape with Go's rules. */
  private lexEscape(): string {
    const s = this.src
    const at = this.here()
    const c = s[this.cursor + 1]
    this.cursor += 2
    const simple: Record<string, string> = {
      a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
      '\\': '\\', '"': '"', "'": "'",
    }
    if (c !== undefined && c in simple) return simple[c]!
    const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0
    if (hexLen > 0) {
      const digits = s.slice(this.cursor, this.cursor + hexLen)
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(digits)) {
        this.fail(`invalid escape \\${c}${digits}`, at)
      }
      this.cursor += hexLen
      const code = parseInt(digits, 16)
      if (code > 0x10ffff) this.fail(`invalid escape \\${c}${digits}`, at)
      return String.fromCodePoint(code)
    }
    if (c !== undefined && /[0-7]/.test(c)) {
      const digits = s.slice(this.cursor - 1, this.cursor + 2)
      if (!/^[0-7]{3}$/.test(digits)) this.fail(`invalid escape \\${digits}`, at)
      this.cursor += 2
      return String.fromCharCode(parseInt(digits, 8))
    }
    return this.fail(`unknown escape sequence \\${c ?? ''}`, at)
  }

  /** Scans `<<EOF` or `<<-EOF` up to the line holding only the marker. */
  private lexHeredoc(at: Position): Token {
    const s = this.src
    this.cursor += 2
    const indented = s[this.cursor] === '-'
    if (indented) this.cursor++
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(s.slice(this.cursor))
    if (!m) this.fail('heredoc needs a marker after <<', at)
    const marker = m[0]
    this.cursor += marker.length
    if (s[this.cursor] === '\r') this.cursor++
    if (s[this.cursor] !== '\n') this.fail('heredoc marker must end its line', at)
    this.advance()
    const lines: string[] = []
    for (;;) {
      if (this.cursor >= s.length) this.fail(`heredoc not terminated: no ${marker} line`, at)
      let end = s.indexOf('\n', this.cursor)
      if (end < 0) end = s.length
      const raw = s.slice(this.cursor, end)
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
      const isEnd = indented ? line.trim() === marker : line.trimEnd() === marker
      if (isEnd) {
        this.cursor += raw.length
        const indent = line.slice(0, line.length - line.trimStart().length)
        return { kind: 'heredoc', text: joinHeredoc(lines, indented ? indent : ''), at }
      }
      lines.push(line)
      this.cursor = end
      if (this.cursor < s.length) this.advance()
    }
  }
}

/**
 * Joins heredoc lines. For `<<-`, the closing marker's indentation is
 * removed from every line, but only when every non-blank line has it:
 * otherwise the text is kept as written, as HCL1 does.
 */
function joinHeredoc(lines: string[], indent: string): string {
  if (indent !== '' && lines.every((l) => l.trim() === '' || l.startsWith(indent))) {
    lines = lines.map((l) => l.startsWith(indent) ? l.slice(indent.length) : l.trimStart())
  }
  return lines.map((l) => l + '\n').join('')
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9'
}

function isIdentStart(ch: string): boolean {
  return /[A-Za-z_]/.test(ch) || ch.charCodeAt(0) > 0x7f
}

function isIdentPart(ch: string): boolean {
  return /[A-Za-z0-9_.\-]/.test(ch) || ch.charCodeAt(0) > 0x7f
}

/** Converts a number's text the way HCL1 does (Go's base-0 parsing). */
function parseNumber(tok: Token, fail: (m: string) => never): Node {
  const text = tok.text
  const sign = text.startsWith('-') ? -1 : 1
  const body = text.replace(/^[-+]/, '')
  let value: number
  let isInt = true
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) {
    value = parseInt(body.slice(2), 16)
  } else if (/^0[0-7]+$/.test(body)) {
    value = parseInt(body.slice(1), 8)
  } else if (/^0[0-9]+$/.test(body)) {
    return fail(`invalid octal number ${text}`)
  } else if (/^[0-9]+$/.test(body)) {
    value = parseInt(body, 10)
  } else if (/^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(body)) {
    value = Number(body)
    isInt = false
  } else if (/^[0-9.]+[a-zµ]+$/.test(body)) {
    return fail(`invalid number ${text}: durations are strings, write "${text}"`)
  } else {
    return fail(`invalid number ${text}`)
  }
  return { kind: 'number', value: sign * value, isInt, at: tok.at }
}

/** Recursive-descent parser over the lexer with one token of look-ahead. */
class Parser {
  private tok: Token

  constructor(private readonly lx: Lexer) {
    this.tok = lx.next()
  }

  private fail(msg: string, at: Position = this.tok.at): never {
    throw new ConfigError([{ keyPath: '', message: msg, at }])
  }

  private take(): Token {
    const t = this.tok
    this.tok = this.lx.next()
    return t
  }

  // file := objectList EOF
  parseFile(at: Position): ObjectNode {
    const entries = this.parseObjectList('eof', at)
    return { kind: 'object', entries, at }
  }

  // objectList := { objectItem [","] }   (until "}" or EOF)
  private parseObjectList(end: 'eof' | '}', open: Position): Entry[] {
    const entries: Entry[] = []
    while (this.tok.kind !== end) {
      if (this.tok.kind === 'eof') {
        this.fail(`expected '}' to close the block opened at ${open.line}:` +
          `${open.column}, found end of file`)
      }
      entries.push(this.parseObjectItem())
      if (this.tok.kind === ',') this.take()
    }
    return entries
  }

  // objectItem := key { key } ( "=" value | "{" objectList "}" )
  // key        := IDENT | STRING
  private parseObjectItem(): Entry {
    const keys: Token[] = []
    while (this.tok.kind === 'ident' || this.tok.kind === 'string') keys.push(this.take())
    if (keys.length === 0) {
      this.fail(`expected a key, found ${describe(this.tok)}`)
    }
    let value: Node
    if (this.tok.kind === '=') {
      if (keys.length > 1) {
        const names = keys.map((k) => JSON.stringify(k.text)).join(' ')
        this.fail(`a block label list (${names}) must be followed by '{', found '='`)
      }
      this.take()
      value = this.parseValue()
    } else if (this.tok.kind === '{') {
      value = this.parseObject()
    } else {
      const k = keys[keys.length - 1]!.text
      this.fail(`key ${JSON.stringify(k)} expects '=' or '{', found ${describe(this.tok)}`)
    }
    // `a "b" { }` nests: a = { b = { } }.
    for (let i = keys.length - 1; i > 0; i--) {
      const k = keys[i]!
      value = { kind: 'object', entries: [{ key: k.text, at: k.at, value }], at: k.at }
    }
    return { key: keys[0]!.text, at: keys[0]!.at, value }
  }

  // object := "{" objectList "}"
  private parseObject(): ObjectNode {
    const open = this.take()
    const entries = this.parseObjectList('}', open.at)
    this.take()
    return { kind: 'object', entries, at: open.at }
  }

  // list := "[" [ value { "," value } [","] ] "]"
  private parseList(): Node {
    const open = this.take()
    const items: Node[] = []
    while (this.tok.kind !== ']') {
      if (this.tok.kind === 'eof') this.fail("expected ']' to close the list, found end of file")
      items.push(this.parseValue())
      const sep = this.tok as Token
      if (sep.kind === ',') {
        this.take()
      } else if (sep.kind !== ']') {
        this.fail(`expected ',' or ']' in list, found ${describe(this.tok)}`)
      }
    }
    this.take()
    return { kind: 'list', items, at: open.at }
  }

  // value := STRING | HEREDOC | NUMBER | BOOL | list | object
  private parseValue(): Node {
    const t = this.tok
    switch (t.kind) {
      case 'string':
      case 'heredoc':
        this.take()
        return { kind: 'string', value: t.text, at: t.at }
      case 'number':
        this.take()
        return parseNumber(t, (m) => this.fail(m, t.at))
      case 'bool':
        this.take()
        return { kind: 'bool', value: t.text === 'true', at: t.at }
      case '[':
        return this.parseList()
      case '{':
        return this.parseObject()
      default:
        return this.fail(`expected a value, found ${describe(t)}`)
    }
  }
}

/** Parses HCL1 text into an object node; throws ConfigError with position. */
export function parseHcl(src: string, file: string): ObjectNode {
  const lx = new Lexer(src, file)
  return new Parser(lx).parseFile({ file, line: 1, column: 1 })
}
