/**
 * Go's encoding/json as Sprig uses it: Marshal (sorted map keys, HTML-safe
 * escapes unless raw, Go's float forms) and Unmarshal into interface{}
 * (objects become maps, numbers float64) with Go's scanner error messages.
 */
import { GoFloat, GoStruct, float, isGoMap } from '../../template/value.ts'
import { compareGo } from './text.ts'
import { isNilSlice, setKey } from './convert.ts'
import { encodeJSON } from '../json.ts'
import { isYAMLMap } from '../yamlmap.ts'

// Marks src/dependency puts on the data it shapes: a nil map.
const nilMapMark = Symbol.for('ctmpl.nilMap')
import { quote } from './fmt.ts'

/** A struct that encodes itself, as Go's json.Marshaler does. */
export interface JsonMarshaler { MarshalJSON(): string }

function encodeString(s: string, html: boolean): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '"' || ch === '\\') out += '\\' + ch
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\b') out += '\\b'
    else if (ch === '\f') out += '\\f'
    else if (c < 0x20 || (html && (ch === '<' || ch === '>' || ch === '&')) ||
      c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0')
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'
    else out += ch
  }
  return out + '"'
}

function encodeFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${goFloatName(f)}`)
  if (Object.is(f, -0)) return '-0'
  // JS and Go switch to exponent form at the same bounds and print the
  // same shortest digits; Go's "e-07" cleanup yields JS's "e-7".
  return String(f)
}

function goFloatName(f: number): string {
  return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'
}

/** Encodes a Go value as json.Marshal (indent "" for compact) does. */
export function marshal(v: unknown, opts: { html: boolean, indent: string }): string {
  const nl = (depth: number) => (opts.indent ? '\n' + opts.indent.repeat(depth) : '')
  const sep = opts.indent ? ': ' : ':'
  const enc = (x: unknown, depth: number): string => {
    if (x === null || x === undefined) return 'null'
    switch (typeof x) {
      case 'string': return encodeString(x, opts.html)
      case 'boolean': return String(x)
      case 'bigint': return x.toString()
      case 'number': return Number.isInteger(x) ? String(x) : encodeFloat(x)
      case 'function': throw new Error('json: unsupported type: func()')
    }
    if (x instanceof GoFloat) return encodeFloat(x.value)
    if (isNilSlice(x)) return 'null'
    if (x instanceof Uint8Array) return '"' + Buffer.from(x).toString('base64') + '"'
    const m = (x as Partial<JsonMarshaler>).MarshalJSON
    if (typeof m === 'function') return m.call(x)
    if ((x as Record<symbol, unknown>)[nilMapMark] === true) return 'null'
    if ((x instanceof GoStruct) || isYAMLMap(x)) {
      // Structs from src/dependency carry their JSON rules (tags, omitempty,
      // custom members), which the helpers' encoder applies; re-indent its
      // output to this depth.
      const text = encodeJSON(x, { escapeHTML: opts.html, indent: opts.indent })
      return text.replaceAll('\n', '\n' + opts.indent.repeat(depth))
    }
    let entries: [string | undefined, unknown][]
    let open = '['
    let close = ']'
    if (Array.isArray(x)) {
      entries = x.map((e) => [undefined, e])
    } else if (isGoMap(x) || x instanceof GoStruct) {
      open = '{'
      close = '}'
      const keys = Object.keys(x)
      if (isGoMap(x)) keys.sort(compareGo)
      entries = keys.map((k) => [k, (x as Record<string, unknown>)[k]])
    } else {
      throw new Error(`json: unsupported type: ${typeof x}`)
    }
    if (entries.length === 0) return open + close
    const body = entries.map(([k, e]) => nl(depth + 1) +
      (k === undefined ? '' : encodeString(k, opts.html) + sep) + enc(e, depth + 1))
    return open + body.join(',') + nl(depth) + close
  }
  return enc(v, 0)
}

// Go's scanner quotes the offending character this way in its messages.
function quoteChar(c: string): string {
  if (c === "'") return "'\\''"
  if (c === '"') return `'"'`
  const q = quote(c)
  return "'" + q.slice(1, -1) + "'"
}

class JsonError extends Error {}

/** Decodes JSON as json.Unmarshal into interface{} does. */
export function unmarshal(text: string): unknown {
  const cs = [...text]
  let k = 0
  // At the end of input Go's scanner is fed one space, so a value cut off
  // inside a literal, number or escape reports ' ' rather than the end.
  const fail = (what: string, endAsSpace = false): never => {
    if (k >= cs.length && !endAsSpace) throw new JsonError('unexpected end of JSON input')
    // Go's scanner works on bytes: a multi-byte character shows as its
    // first byte read as a Latin-1 character.
    const first = cs[k] === undefined ? ' ' : String.fromCharCode(Buffer.from(cs[k]!)[0]!)
    throw new JsonError(`invalid character ${quoteChar(first)} ${what}`)
  }
  const ws = () => { while (k < cs.length && ' \t\r\n'.includes(cs[k]!)) k++ }
  const literal = (word: string, v: unknown) => {
    for (let n = 0; n < word.length; n++, k++) {
      if (cs[k] !== word[n]) fail(`in literal ${word} (expecting '${word[n]}')`, true)
    }
    return v
  }
  const number = (): GoFloat => {
    const start = k
    if (cs[k] === '-') k++
    if (cs[k] === '0') k++
    else if (/[1-9]/.test(cs[k] ?? '')) while (/[0-9]/.test(cs[k] ?? '')) k++
    else fail('in numeric literal', true)
    if (cs[k] === '.') {
      k++
      if (!/[0-9]/.test(cs[k] ?? '')) fail('after decimal point in numeric literal', true)
      while (/[0-9]/.test(cs[k] ?? '')) k++
    }
    if (cs[k] === 'e' || cs[k] === 'E') {
      k++
      if (cs[k] === '+' || cs[k] === '-') k++
      if (!/[0-9]/.test(cs[k] ?? '')) fail('in exponent of numeric literal', true)
      while (/[0-9]/.test(cs[k] ?? '')) k++
    }
    const lit = cs.slice(start, k).join('')
    const f = Number(lit)
    if (!Number.isFinite(f)) {
      throw new JsonError(`json: cannot unmarshal number ${lit} into Go value of type float64`)
    }
    return float(f)
  }
  const string = (): string => {
    k++
    let out = ''
    for (;;) {
      const c = cs[k]
      if (c === undefined) fail('')
      if (c === '"') {
        k++
        return out
      }
      if (c!.codePointAt(0)! < 0x20) fail('in string literal')
      if (c !== '\\') {
        out += c
        k++
        continue
      }
      k++
      const e = cs[k]
      const simple: Record<string, string> = {
        '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
      }
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e]
        k++
      } else if (e === 'u') {
        k++
        let hex = ''
        for (let n = 0; n < 4; n++, k++) {
          if (!/[0-9a-fA-F]/.test(cs[k] ?? '')) fail('in \\u hexadecimal character escape', true)
          hex += cs[k]
        }
        out += String.fromCharCode(parseInt(hex, 16))
      } else {
        fail('in string escape code', true)
      }
    }
  }
  const value = (): unknown => {
    ws()
    const c = cs[k]
    if (c === '{') {
      k++
      const obj: Record<string, unknown> = {}
      ws()
      if (cs[k] === '}') {
        k++
        return obj
      }
      for (;;) {
        ws()
        if (cs[k] !== '"') fail('looking for beginning of object key string')
        const key = string()
        ws()
        if (cs[k] !== ':') fail('after object key')
        k++
        setKey(obj, key, value())
        ws()
        if (cs[k] === ',') { k++; continue }
        if (cs[k] === '}') { k++; return obj }
        fail('after object key:value pair')
      }
    }
    if (c === '[') {
      k++
      const arr: unknown[] = []
      ws()
      if (cs[k] === ']') {
        k++
        return arr
      }
      for (;;) {
        arr.push(value())
        ws()
        if (cs[k] === ',') { k++; continue }
        if (cs[k] === ']') { k++; return arr }
        fail('after array element')
      }
    }
    if (c === '"') return string()
    if (c === 't') return literal('true', true)
    if (c === 'f') return literal('false', false)
    if (c === 'n') return literal('null', null)
    if (c === '-' || /[0-9]/.test(c ?? '')) return number()
    return fail('looking for beginning of value')
  }
  const v = value()
  ws()
  if (k < cs.length) fail('after top-level value')
  return v
}
