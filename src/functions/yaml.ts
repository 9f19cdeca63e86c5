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
import { typedSlice } from './args.ts'

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
  if (isSeq(node)) return typedSlice(node.items.map(fromNode), '[]interface {}')
  if (isScalar(node)) {
    const v = node.value
    if (typeof v === 'bigint') {
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v) : v
    }
    if (typeof v === 'number') return float(v)
    // yaml.v2 leaves timestamps as the text it read.
    if (v instanceof Date) return node.source ?? v.toISOString()
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
      // TODO(functions): yaml.v2 writes a multi-line key as a complex key
      // ("? |-"); ctmpl double-quotes it, which reads back the same.
      const keyText = /[\n\r\u0085\u2028\u2029]/.test(k) ? doubleQuoted(k, null)
        : scalarText(k, indent, null)
      const key = pad + keyText + ':'
      if (isBlock(val)) {
        const childIndent = Array.isArray(val) ? indent : indent + 2
        out.push(key)
        emit(val, childIndent, out, 'map')
      } else {
        const text = scalarText(val, indent, { start: key.length + 1, indent: indent + 2 })
        const lines = text.split('\n')
        out.push(key + ' ' + lines[0], ...lines.slice(1))
      }
    }
    return
  }
  const base = indent - 2 < 0 ? 0 : indent - 2
  // A document-level scalar folds onto lines indented by two.
  const text = scalarText(v, base, { start: indent, indent: place === 'top' ? 2 : indent })
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
    const zero = structZero(v)
    return Object.keys(v).map((k) => {
      const field = (v as unknown as Record<string, unknown>)[k]
      return [k.toLowerCase(), field === null ? nilOfKind(zero[k]) : field]
    })
  }
  if (isGoMap(v)) {
    return Object.keys(v).sort(yamlKeyLess).map((k) => [k, v[k]])
  }
  return null
}

const zeros = new WeakMap<object, Record<string, unknown>>()

/** Returns a fresh instance of v's class: its fields tell a nil map or
 * slice field (which yaml.v2 prints as {} or []) from a nil interface. */
function structZero(v: GoStruct): Record<string, unknown> {
  const ctor = v.constructor as new () => GoStruct
  let zero = zeros.get(ctor)
  if (zero === undefined) {
    zero = new ctor() as unknown as Record<string, unknown>
    zeros.set(ctor, zero)
  }
  return zero
}

function nilOfKind(zero: unknown): unknown {
  if (Array.isArray(zero)) return []
  if (isGoMap(zero)) return {}
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
/** Where a scalar starts on its line and how deep its folded lines go;
 * null for a mapping key, which is never folded. */
type Fold = { start: number; indent: number } | null

function scalarText(v: unknown, indent: number, fold: Fold): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number' && Number.isInteger(v)) return String(v)
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number' || v instanceof GoFloat) return yamlFloat(Number(v))
  if (Array.isArray(v)) return '[]'
  if (typeof v === 'string') return yamlString(v, indent, fold)
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
  '[-+]?(?:0|[1-9][0-9_]*)|[-+]?0[0-7_]+|[-+]?0[xX][0-9a-fA-F_]+|' +
  '[-+]?0[oO][0-7_]+|[-+]?0[bB][01_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+|' +
  '[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+]?[0-9]+)?|' +
  '[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|' +
  '[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)|<<|' +
  '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$')

function yamlString(s: string, indent: number, fold: Fold): string {
  if (s === '') return '""'
  if (resolvesOther.test(s)) return doubleQuoted(s, fold)
  // A space before a line break, or at the very end, rules out a block.
  const blockAllowed = !/ \n| $/.test(s)
  if (s.includes('\n') && isPrintable(s) && blockAllowed) return literalBlock(s, indent)
  if (s.includes('\n') && isPrintable(s)) return doubleQuoted(s, fold)
  if (!isPrintable(s) || hasBreak(s)) return doubleQuoted(s, fold)
  if (plainAllowed(s)) return folded(Array.from(s), fold, 0)
  return folded(["'", ...Array.from(s).map((c) => (c === "'" ? "''" : c)), "'"], fold, 1)
}

function hasBreak(s: string): boolean {
  return /[\r\u0085\u2028\u2029]/.test(s)
}

/** Breaks a scalar's text at single spaces once the line passes 80
 * columns, as libyaml's emitter does; `edge` output units at each end
 * (the quotes) never break. */
function folded(units: string[], fold: Fold, edge: number): string {
  if (fold === null) return units.join('')
  let out = ''
  let column = fold.start
  let spaces = false
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!
    if (u === ' ') {
      const inner = i > edge && i < units.length - 1 - edge
      if (!spaces && column > 80 && inner && units[i + 1] !== ' ') {
        out += '\n' + ' '.repeat(fold.indent)
        column = fold.indent
      } else {
        out += u
        column++
      }
      spaces = true
      continue
    }
    out += u
    column += Array.from(u).length
    spaces = false
  }
  return out
}

/** libyaml's printable set: line feed, printable ASCII, and from U+00A0
 * up except surrogates, the BOM and U+FFFE/U+FFFF. */
function isPrintable(s: string): boolean {
  for (const c of s) {
    const cp = c.codePointAt(0)!
    if (cp === 0x0a || (cp >= 0x20 && cp <= 0x7e)) continue
    if (cp < 0xa0 || cp === 0xfeff || cp === 0xfffe || cp === 0xffff) return false
    if (cp >= 0xd800 && cp <= 0xdfff) return false
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
  return !(s.includes(': ') || s.includes(' #') || s.endsWith(':'))
}

const shortEscapes: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f',
  0x0d: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_',
  0x2028: 'L', 0x2029: 'P',
}

function doubleQuoted(s: string, fold: Fold): string {
  const units = ['"']
  for (const c of s) {
    const cp = c.codePointAt(0)!
    const escape = c === '"' || c === '\\' || !isPrintable(c) || hasBreak(c) || c === '\n'
    if (!escape) {
      units.push(c)
      continue
    }
    const short = shortEscapes[cp]
    if (short !== undefined) units.push('\\' + short)
    else if (cp <= 0xff) units.push('\\x' + cp.toString(16).toUpperCase().padStart(2, '0'))
    else if (cp <= 0xffff) units.push('\\u' + cp.toString(16).toUpperCase().padStart(4, '0'))
    else units.push('\\U' + cp.toString(16).toUpperCase().padStart(8, '0'))
  }
  units.push('"')
  return folded(units, fold, 1)
}

function literalBlock(s: string, indent: number): string {
  const trailing = /\n+$/.exec(s)?.[0].length ?? 0
  // libyaml keeps ("+") trailing breaks when there is more than one, or
  // when the break is all there is.
  const chomp = trailing === 0 ? '-' : trailing === 1 && s.length > 1 ? '' : '+'
  const lead = /^\s/.test(s) ? '2' : ''
  const body = trailing > 0 ? s.slice(0, s.length - 1) : s
  const pad = ' '.repeat(indent + 2)
  return '|' + lead + chomp + '\n' +
    body.split('\n').map((l) => (l === '' ? '' : pad + l)).join('\n')
}
