/**
 * YAML as the reference reads and writes it (gopkg.in/yaml.v2): YAML 1.1
 * scalars, mappings decoded as map[interface{}]interface{}, and the
 * emitter's layout (sorted keys, sequences not indented under a key,
 * literal blocks for multi-line strings, quotes only where needed).
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml'
import type { Node } from 'yaml'
import { GoFloat, GoStruct, float, isGoMap } from '../template/value.ts'
import { formatFloatG } from './gofloat.ts'
import { markYAMLMap } from './yamlmap.ts'

/** Decodes YAML into Go interface{} values as yaml.v2 does. */
export function decodeYAML(text: string): unknown {
  const doc = parseDocument(text, { schema: 'yaml-1.1', intAsBigInt: true, uniqueKeys: false })
  if (doc.errors.length > 0) {
    // libyaml words its errors differently; keep the reference's shape
    // (`yaml: line N: ...`) with this parser's reason.
    const e = doc.errors[0]!
    const line = e.linePos?.[0].line
    const reason = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    throw new Error(`yaml: ${line === undefined ? '' : `line ${line}: `}${reason}`)
  }
  return fromNode(doc.contents)
}

function fromNode(node: unknown): unknown {
  if (node === null || node === undefined) return null
  if (isMap(node)) {
    const out: Record<string, unknown> = markYAMLMap({})
    for (const pair of node.items) {
      const key = fromNode(pair.key)
      out[key === null ? '' : String(key instanceof GoFloat ? key.value : key)] =
        fromNode(pair.value)
    }
    return out
  }
  if (isSeq(node)) return node.items.map(fromNode)
  if (isScalar(node)) {
    const v = node.value
    if (typeof v === 'bigint') {
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v) : v
    }
    if (typeof v === 'number') return float(v)
    if (v instanceof Date) return v.toISOString()
    return v ?? null
  }
  return (node as Node).toJSON()
}

/** Encodes a Go value as yaml.v2's Marshal does (without the final newline
 * trimming the caller applies). */
export function encodeYAML(v: unknown): string {
  const lines: string[] = []
  emit(v, 0, lines, 'top')
  return lines.join('\n') + '\n'
}

type Place = 'top' | 'map' | 'seq'

function emit(v: unknown, indent: number, out: string[], place: Place): void {
  const pad = ' '.repeat(indent)
  if (Array.isArray(v) && v.length > 0) {
    for (const item of v) {
      const sub: string[] = []
      emit(item, indent + 2, sub, 'seq')
      sub[0] = pad + '- ' + sub[0]!.slice(indent + 2)
      out.push(...sub)
    }
    return
  }
  const entries = entriesOf(v)
  if (entries !== null && entries.length > 0) {
    for (const [k, val] of entries) {
      const key = pad + scalarText(k, indent) + ':'
      if (isBlock(val)) {
        const childIndent = Array.isArray(val) ? indent : indent + 2
        out.push(key)
        emit(val, childIndent, out, 'map')
      } else {
        const text = scalarText(val, indent)
        const lines = text.split('\n')
        out.push(key + ' ' + lines[0], ...lines.slice(1))
      }
    }
    return
  }
  void place
  const text = scalarText(v, indent - 2 < 0 ? 0 : indent - 2)
  const lines = text.split('\n')
  out.push(pad + lines[0], ...lines.slice(1))
}

function isBlock(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0
  const e = entriesOf(v)
  return e !== null && e.length > 0
}

function entriesOf(v: unknown): Array<[string, unknown]> | null {
  if (v instanceof GoStruct) {
    return Object.keys(v).map((k) => [k.toLowerCase(), (v as never)[k]])
  }
  if (isGoMap(v)) {
    return Object.keys(v).sort(yamlKeyLess).map((k) => [k, v[k]])
  }
  return null
}

/** Orders keys as yaml.v2 does: runs of digits compare as numbers and a
 * letter sorts after a non-letter. */
export function yamlKeyLess(a: string, b: string): number {
  const ar = Array.from(a)
  const br = Array.from(b)
  const isLetter = (c: string) => /\p{L}/u.test(c)
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue
    const al = isLetter(ar[i]!)
    const bl = isLetter(br[i]!)
    if (al && bl) return ar[i]! < br[i]! ? -1 : 1
    if (al || bl) return bl ? -1 : 1
    let an = 0
    let bn = 0
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1
          bn = 1
          break
        }
      }
    }
    let ai = i
    let bi = i
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai])
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi])
    if (an !== bn) return an < bn ? -1 : 1
    if (ai !== bi) return ai < bi ? -1 : 1
    return ar[i]! < br[i]! ? -1 : 1
  }
  return ar.length - br.length
}

/** Returns the text of a scalar (or an empty collection) as yaml.v2 emits
 * it; multi-line strings come back with their block lines. */
function scalarText(v: unknown, indent: number): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number' && Number.isInteger(v)) return String(v)
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number' || v instanceof GoFloat) return yamlFloat(Number(v))
  if (Array.isArray(v)) return '[]'
  if (typeof v === 'string') return yamlString(v, indent)
  return '{}'
}

function yamlFloat(n: number): string {
  if (Number.isNaN(n)) return '.nan'
  if (n === Infinity) return '.inf'
  if (n === -Infinity) return '-.inf'
  return formatFloatG(n)
}

// Plain scalars YAML 1.1 would read as something other than a string.
const resolvesOther = new RegExp('^(?:~|null|Null|NULL|' +
  'y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|' +
  'on|On|ON|off|Off|OFF|' +
  '[-+]?(?:0|[1-9][0-9_]*)|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|' +
  '[-+]?0b[01_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+|' +
  '[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+]?[0-9]+)?|' +
  '[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|' +
  '[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)|<<|' +
  '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$')

function yamlString(s: string, indent: number): string {
  if (s === '') return '""'
  if (resolvesOther.test(s)) return doubleQuoted(s)
  if (s.includes('\n') && isPrintable(s)) return literalBlock(s, indent)
  if (!isPrintable(s)) return doubleQuoted(s)
  if (plainAllowed(s)) return s
  return "'" + s.replace(/'/g, "''") + "'"
}

function isPrintable(s: string): boolean {
  for (const c of s) {
    const cp = c.codePointAt(0)!
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d) continue
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x84) || (cp >= 0x86 && cp <= 0x9f)) return false
    if (cp === 0xfeff || cp === 0xfffe || cp === 0xffff) return false
  }
  return true
}

function plainAllowed(s: string): boolean {
  if (/^[\s]|[\s]$/.test(s)) return false
  if (/[\t\r]/.test(s)) return false
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) {
    // A leading -, ? or : followed by a non-space still starts a plain
    // scalar in block context.
    if (!/^[-?:][^\s]/.test(s)) return false
  }
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false
  if (/[,[\]{}]/.test(s)) return false
  return true
}

function doubleQuoted(s: string): string {
  let out = '"'
  for (const c of s) {
    const cp = c.codePointAt(0)!
    if (c === '"' || c === '\\') out += '\\' + c
    else if (c === '\n') out += '\\n'
    else if (c === '\t') out += '\\t'
    else if (c === '\r') out += '\\r'
    else if (cp === 0) out += '\\0'
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).toUpperCase().padStart(2, '0')
    else if (cp === 0xfeff) out += '\\uFEFF'
    else out += c
  }
  return out + '"'
}

function literalBlock(s: string, indent: number): string {
  const trailing = /\n+$/.exec(s)?.[0].length ?? 0
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+'
  const lead = /^\s/.test(s) ? '2' : ''
  const body = trailing > 0 ? s.slice(0, s.length - 1) : s
  const pad = ' '.repeat(indent + 2)
  return '|' + lead + chomp + '\n' +
    body.split('\n').map((l) => (l === '' ? '' : pad + l)).join('\n')
}
