/**
 * JSON as Go's encoding/json writes and reads it: sorted map keys, struct
 * fields in declaration order, HTML-safe escaping unless asked not to, and
 * numbers decoded as float64 when the target is interface{}.
 */
import { GoFloat, GoStruct, float, isGoMap } from '../template/value.ts'
import { isYAMLMap } from './yamlmap.ts'

// Marks src/dependency puts on the data it shapes (see its index.ts).
const nilMapMark = Symbol.for('ctmpl.nilMap')
const jsonEntriesMark = Symbol.for('ctmpl.jsonEntries')
import { goQuote } from './strconv.ts'
import { typedSlice } from './args.ts'

/** How `encodeJSON` lays out its output. */
export interface JSONOptions {
  escapeHTML: boolean
  indent: string
}

/** Encodes a Go value as encoding/json does; throws Go's error texts. */
export function encodeJSON(v: unknown, opts: JSONOptions): string {
  return encodeValue(v, opts, '')
}

function encodeValue(v: unknown, opts: JSONOptions, prefix: string): string {
  if (v === null || v === undefined) return 'null'
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false'
    case 'string': return quoteJSON(v, opts.escapeHTML)
    case 'bigint': return v.toString()
    case 'number': return encodeFloat(v)
    case 'function': throw new Error('json: unsupported type: func()')
  }
  if (v instanceof GoFloat) return encodeFloat(v.value)
  const inner = prefix + opts.indent
  const nl = opts.indent === '' ? '' : '\n'
  const colon = opts.indent === '' ? ':' : ': '
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    const items = v.map((e) => nl + inner + encodeValue(e, opts, inner))
    return '[' + items.join(',') + nl + prefix + ']'
  }
  if (isYAMLMap(v)) {
    throw new Error('json: unsupported type: map[interface {}]interface {}')
  }
  if ((v as Record<symbol, unknown>)[nilMapMark] === true) return 'null'
  let fields: Array<[string, unknown]>
  const rec = v as Record<string, unknown>
  if (v instanceof GoStruct) fields = structFields(v)
  else if (isGoMap(v)) fields = Object.keys(v).sort(compareBytes).map((k) => [k, rec[k]])
  else throw new Error('json: unsupported type')
  if (fields.length === 0) return '{}'
  const items = fields.map(([k, f]) => nl + inner + quoteJSON(k, opts.escapeHTML) +
    colon + encodeValue(f, opts, inner))
  return '{' + items.join(',') + nl + prefix + '}'
}

/** A struct class may declare Go's `json:"..."` field tags, for example
 * `static jsonTags = { Namespace: ',omitempty', Secret: '-' }`. */
export interface JSONTagged {
  jsonTags?: Readonly<Record<string, string>>
}

/** Returns a struct's JSON members: from its `ctmpl.jsonEntries` method
 * when it has one (src/dependency's API types, with their omitempty and
 * MarshalJSON rules), else in field order with its declared tags. */
function structFields(v: GoStruct): Array<[string, unknown]> {
  const entries = (v as unknown as Record<symbol, unknown>)[jsonEntriesMark]
  if (typeof entries === 'function') return (entries as () => Array<[string, unknown]>).call(v)
  const tags = (v.constructor as JSONTagged).jsonTags ?? {}
  const rec = v as unknown as Record<string, unknown>
  const out: Array<[string, unknown]> = []
  for (const field of Object.keys(v)) {
    const tag = tags[field]
    if (tag === '-') continue
    const [name = '', ...options] = (tag ?? '').split(',')
    const value = rec[field]
    if (options.includes('omitempty') && isEmptyJSON(value)) continue
    out.push([name === '' ? field : name, value])
  }
  return out
}

/** Reports whether omitempty drops v: false, 0, "", nil, empty slice or map. */
function isEmptyJSON(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '' || v === 0n) {
    return true
  }
  if (v instanceof GoFloat) return v.value === 0
  if (Array.isArray(v)) return v.length === 0
  return isGoMap(v) && Object.keys(v).length === 0
}

/** Orders strings by their UTF-8 bytes, as Go's sort.Strings does. */
export function compareBytes(a: string, b: string): number {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return Buffer.compare(ab, bb)
}

function encodeFloat(n: number): string {
  if (!Number.isFinite(n)) {
    const shown = Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'
    throw new Error(`json: unsupported value: ${shown}`)
  }
  if (Object.is(n, -0)) return '-0'
  // JS switches to exponent form at the same bounds as Go (1e-6, 1e21) and
  // writes the exponent without padding, as Go's encoder cleans it to.
  return String(n)
}

/** Quotes a string as encoding/json does. */
export function quoteJSON(s: string, escapeHTML: boolean): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1)
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!
        i++
      } else {
        out += '\\ufffd'
      }
      continue
    }
    if (c === 0x22) out += '\\"'
    else if (c === 0x5c) out += '\\\\'
    else if (c === 0x0a) out += '\\n'
    else if (c === 0x0d) out += '\\r'
    else if (c === 0x09) out += '\\t'
    else if (c === 0x08) out += '\\b'
    else if (c === 0x0c) out += '\\f'
    else if (c < 0x20 || c === 0x2028 || c === 0x2029 ||
      (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += '\\u' + c.toString(16).padStart(4, '0')
    } else {
      out += s[i]
    }
  }
  return out + '"'
}

/** Decodes JSON into Go interface{} values: objects become maps, arrays
 * slices, numbers float64. Errors read as Go's decoder writes them. */
export function decodeJSON(text: string): unknown {
  const p = new JSONReader(text)
  // Go reads into a fresh map per object; a null prototype keeps a key
  // such as "__proto__" an ordinary key.
  p.skipSpace()
  const v = p.value()
  p.skipSpace()
  if (p.pos < text.length) throw p.unexpected('after top-level value')
  return v
}

class JSONReader {
  pos = 0

  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos]!)) {
      this.pos++
    }
  }

  unexpected(context: string): Error {
    if (this.pos >= this.text.length) return new Error('unexpected end of JSON input')
    return this.invalid(String.fromCodePoint(this.text.codePointAt(this.pos)!), context)
  }

  /** Go's scanner feeds a space at end of input, so a token cut short
   * (`nul`, `1.`, `-`) reports an invalid ' ' rather than the end. */
  cutShort(context: string): Error {
    if (this.pos >= this.text.length) return this.invalid(' ', context)
    return this.unexpected(context)
  }

  invalid(ch: string, context: string): Error {
    // Go's scanner reads bytes: a non-ASCII character shows as its first
    // UTF-8 byte taken as a Latin-1 character.
    const c = ch.codePointAt(0)! < 0x80 ? ch : String.fromCharCode(Buffer.from(ch)[0]!)
    const shown = c === "'" ? "'\\''" : c === '"' ? `'"'` : `'${goQuote(c).slice(1, -1)}'`
    return new Error(`invalid character ${shown} ${context}`)
  }

  value(): unknown {
    const c = this.text[this.pos]
    if (c === '{') return this.object()
    if (c === '[') return this.array()
    if (c === '"') return this.string()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number()
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (c === word[0]) {
        for (let i = 0; i < word.length; i++, this.pos++) {
          if (this.text[this.pos] !== word[i]) {
            throw this.cutShort(`in literal ${word} (expecting '${word[i]}')`)
          }
        }
        return v
      }
    }
    throw this.unexpected('looking for beginning of value')
  }

  object(): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    this.pos++
    this.skipSpace()
    if (this.text[this.pos] === '}') {
      this.pos++
      return out
    }
    for (;;) {
      this.skipSpace()
      if (this.text[this.pos] !== '"') {
        throw this.unexpected('looking for beginning of object key string')
      }
      const key = this.string()
      this.skipSpace()
      if (this.text[this.pos] !== ':') throw this.unexpected('after object key')
      this.pos++
      this.skipSpace()
      out[key] = this.value()
      this.skipSpace()
      const c = this.text[this.pos]
      this.pos++
      if (c === '}') return out
      if (c !== ',') {
        this.pos--
        throw this.unexpected('after object key:value pair')
      }
    }
  }

  array(): unknown[] {
    const out: unknown[] = typedSlice([], '[]interface {}')
    this.pos++
    this.skipSpace()
    if (this.text[this.pos] === ']') {
      this.pos++
      return out
    }
    for (;;) {
      this.skipSpace()
      out.push(this.value())
      this.skipSpace()
      const c = this.text[this.pos]
      this.pos++
      if (c === ']') return out
      if (c !== ',') {
        this.pos--
        throw this.unexpected('after array element')
      }
    }
  }

  string(): string {
    const start = this.pos
    this.pos++
    for (;;) {
      if (this.pos >= this.text.length) throw this.unexpected('')
      const c = this.text.charCodeAt(this.pos)
      if (c === 0x22) break
      if (c < 0x20) throw this.unexpected('in string literal')
      if (c === 0x5c) {
        const e = this.text[this.pos + 1]
        if (e === undefined) throw this.invalid(' ', 'in string escape code')
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
            this.pos += 2
            while (/[0-9a-fA-F]/.test(this.text[this.pos] ?? '')) this.pos++
            throw this.cutShort('in \\u hexadecimal character escape')
          }
          this.pos += 6
          continue
        }
        if (!'"\\/bfnrt'.includes(e)) {
          this.pos++
          throw this.unexpected('in string escape code')
        }
        this.pos += 2
        continue
      }
      this.pos++
    }
    this.pos++
    // Go decodes an unpaired surrogate escape as U+FFFD.
    return (JSON.parse(this.text.slice(start, this.pos)) as string).replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  }

  number(): GoFloat {
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(
      this.text.slice(this.pos))
    if (m === null || m[0] === '-') {
      this.pos++
      throw this.cutShort('in numeric literal')
    }
    this.pos += m[0].length
    const next = this.text[this.pos]
    if (next === '.' || next === 'e' || next === 'E') {
      this.pos++
      if (next !== '.' && '+-'.includes(this.text[this.pos] ?? '')) this.pos++
      throw this.cutShort(next === '.' ? 'after decimal point in numeric literal'
        : 'in exponent of numeric literal')
    }
    const n = Number(m[0])
    if (!Number.isFinite(n)) {
      throw new Error(`json: cannot unmarshal number ${m[0]} into Go value of type float64`)
    }
    return float(n)
  }
}
