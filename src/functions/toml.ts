/**
 * TOML as the reference writes it (BurntSushi/toml's encoder): plain keys
 * first, then tables and arrays of tables, all sorted; nested headers
 * indented two spaces per level; floats always with a decimal point.
 */
import { GoFloat, GoStruct, isGoMap } from '../template/value.ts'
import { compareBytes } from './json.ts'
import { formatFloatF } from './gofloat.ts'
import { isYAMLMap } from './yamlmap.ts'

/** Encodes a Go value as BurntSushi/toml's Encoder does. */
export function encodeTOML(v: unknown): string {
  const out: string[] = []
  const entries = entriesOf(v)
  if (entries === null) {
    if (v === null || v === undefined) throw new Error('toml: cannot encode a nil value')
    return inlineValue(v)
  }
  writeTable(entries, [], out)
  return out.join('')
}

type Entry = [string, unknown]

function entriesOf(v: unknown): Entry[] | null {
  if (isYAMLMap(v)) throw new Error('toml: cannot encode a map with non-string key type')
  if (v instanceof GoStruct) return Object.keys(v).map((k) => [k, (v as never)[k]])
  if (isGoMap(v)) return Object.keys(v).sort(compareBytes).map((k) => [k, v[k]])
  return null
}

function isTable(v: unknown): boolean {
  return entriesOf(v) !== null
}

function isArrayOfTables(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0 && v.every(isTable)
}

function writeTable(entries: Entry[], path: string[], out: string[]): void {
  const pad = '  '.repeat(path.length)
  for (const [k, val] of entries) {
    if (val === null || val === undefined || isTable(val) || isArrayOfTables(val)) continue
    out.push(`${pad}${tomlKey(k)} = ${inlineValue(val)}\n`)
  }
  for (const [k, val] of entries) {
    const sub = [...path, k]
    const header = sub.map(tomlKey).join('.')
    const hpad = '  '.repeat(path.length)
    if (isTable(val)) {
      if (sub.length === 1) out.push('\n')
      out.push(`${hpad}[${header}]\n`)
      writeTable(entriesOf(val)!, sub, out)
    } else if (isArrayOfTables(val)) {
      for (const item of val as unknown[]) {
        out.push('\n')
        out.push(`${hpad}[[${header}]]\n`)
        writeTable(entriesOf(item)!, sub, out)
      }
    }
  }
}

function inlineValue(v: unknown): string {
  if (typeof v === 'string') return tomlString(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number' && Number.isInteger(v)) return String(v)
  if (typeof v === 'number' || v instanceof GoFloat) return tomlFloat(Number(v))
  if (Array.isArray(v)) {
    if (v.some((e) => e === null || e === undefined)) {
      throw new Error('toml: cannot encode array with nil element')
    }
    return '[' + v.map(inlineValue).join(', ') + ']'
  }
  const entries = entriesOf(v)
  if (entries !== null) {
    const parts = entries.filter(([, e]) => e !== null && e !== undefined)
      .map(([k, e]) => `${tomlKey(k)} = ${inlineValue(e)}`)
    return '{' + parts.join(', ') + '}'
  }
  throw new Error(`toml: unsupported type`)
}

function tomlFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  const s = formatFloatF(n)
  return s.includes('.') ? s : s + '.0'
}

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k)
}

function tomlString(s: string): string {
  let out = '"'
  for (const c of s) {
    const cp = c.codePointAt(0)!
    if (c === '"' || c === '\\') out += '\\' + c
    else if (c === '\b') out += '\\b'
    else if (c === '\t') out += '\\t'
    else if (c === '\n') out += '\\n'
    else if (c === '\f') out += '\\f'
    else if (c === '\r') out += '\\r'
    else if (cp < 0x20 || cp === 0x7f) out += '\\u' + cp.toString(16).padStart(4, '0')
    else out += c
  }
  return out + '"'
}
