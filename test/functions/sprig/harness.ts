/**
 * A deliberately small evaluator for the fixture templates, so the Sprig
 * functions can be checked by direct calls without the template engine.
 * It knows only what the fixtures use: text, `{{ }}` actions with optional
 * trim markers, pipelines, parenthesised calls, literals, `.Field` chains
 * and `$v := ...` variables. The real engine runs the same fixtures too.
 */
import type { FuncMap } from '../../../src/template/func.ts'
import { GoFloat, isGoMap } from '../../../src/template/value.ts'
import { formatValue } from '../../../src/functions/sprig/fmt.ts'

type Tok = { k: 'str' | 'num' | 'id' | 'field' | 'var' | 'p', v: string }

function lex(src: string): Tok[] {
  const re = new RegExp('\\s*(?:("(?:[^"\\\\]|\\\\.)*")|(`[^`]*`)|' +
    "(-?\\d[\\d.eExX_a-fA-F+-]*)|('(?:[^'\\\\]|\\\\.)')|(\\$\\w*)|" +
    '(\\.[\\w.]+)|([\\w]+)|(:=|[()|.]))', 'y')
  const out: Tok[] = []
  let m: RegExpExecArray | null
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (m[1] !== undefined) out.push({ k: 'str', v: JSON.parse(goToJson(m[1])) as string })
    else if (m[2] !== undefined) out.push({ k: 'str', v: m[2].slice(1, -1) })
    else if (m[3] !== undefined) out.push({ k: 'num', v: m[3] })
    else if (m[4] !== undefined) out.push({ k: 'num', v: String(m[4].codePointAt(1)) })
    else if (m[5] !== undefined) out.push({ k: 'var', v: m[5] })
    else if (m[6] !== undefined) out.push({ k: 'field', v: m[6] })
    else if (m[7] !== undefined) out.push({ k: 'id', v: m[7] })
    else out.push({ k: 'p', v: m[8]! })
  }
  if (src.slice(re.lastIndex).trim() !== '') throw new Error('harness: cannot lex ' + src)
  return out
}

// Go escapes the fixtures use that JSON lacks.
function goToJson(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\'/g, "'")
    .replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')
}

function literalNumber(text: string): unknown {
  if (!/^-?(\d+|0[xX][\da-fA-F]+)$/.test(text)) return new GoFloat(Number(text))
  const n = BigInt(text.replace(/^-/, ''))
  const v = text.startsWith('-') ? -n : n
  return Number.isSafeInteger(Number(v)) ? Number(v) : v
}

class Evaluator {
  vars = new Map<string, unknown>()
  toks: Tok[] = []
  pos = 0

  constructor(readonly funcs: FuncMap, readonly dot: unknown) {}

  run(src: string): unknown {
    this.toks = lex(src)
    this.pos = 0
    const t = this.toks
    if (t[0]?.k === 'var' && t[1]?.v === ':=') {
      this.pos = 2
      this.vars.set(t[0].v, this.pipeline())
      return ''
    }
    return this.pipeline()
  }

  pipeline(): unknown {
    let v = this.command(undefined, false)
    while (this.isPunct('|')) {
      this.pos++
      v = this.command(v, true)
    }
    return v
  }

  command(piped: unknown, hasPiped: boolean): unknown {
    const t = this.toks[this.pos]
    if (t?.k === 'id' && this.funcs[t.v]) {
      this.pos++
      const args: unknown[] = []
      while (this.pos < this.toks.length && !this.isPunct(')') && !this.isPunct('|')) {
        args.push(this.operand())
      }
      if (hasPiped) args.push(piped)
      return this.funcs[t.v]!(...args)
    }
    // A method at the end of a field chain takes the command's arguments.
    this.method = undefined
    const v = this.operand(true)
    const method = this.method as { recv: unknown, fn: (...a: unknown[]) => unknown } | undefined
    if (!method) return v
    const args: unknown[] = []
    while (this.pos < this.toks.length && !this.isPunct(')') && !this.isPunct('|')) {
      args.push(this.operand())
    }
    if (hasPiped) args.push(piped)
    return method.fn.apply(method.recv, args)
  }

  method: unknown

  isPunct(v: string): boolean {
    const t = this.toks[this.pos]
    return t?.k === 'p' && t.v === v
  }

  operand(callable = false): unknown {
    const t = this.toks[this.pos++]!
    let v: unknown
    if (t.k === 'str') v = t.v
    else if (t.k === 'num') v = literalNumber(t.v)
    else if (t.k === 'var') v = this.vars.get(t.v)
    else if (t.k === 'field') return this.fields(this.dot, t.v, callable)
    else if (t.v === 'true' || t.v === 'false') v = t.v === 'true'
    else if (t.v === 'nil') v = null
    else if (t.v === '(') {
      v = this.pipeline()
      this.pos++
    } else if (t.k === 'id' && this.funcs[t.v]) v = this.funcs[t.v]!()
    else throw new Error('harness: unexpected ' + t.v)
    const next = this.toks[this.pos]
    if (next?.k === 'field') {
      this.pos++
      return this.fields(v, next.v, callable)
    }
    return v
  }

  fields(v: unknown, path: string, callable = false): unknown {
    const names = path.split('.').filter(Boolean)
    names.forEach((name, k) => {
      if (isGoMap(v)) {
        v = v[name]
        return
      }
      const member = (v as Record<string, unknown>)[name]
      if (typeof member !== 'function') v = member
      else if (callable && k === names.length - 1) this.method = { recv: v, fn: member }
      else v = member.call(v)
    })
    return v
  }
}

/** Renders a fixture template by calling the functions directly. */
export function render(src: string, funcs: FuncMap, dot: unknown = null): string {
  const ev = new Evaluator(funcs, dot)
  let out = ''
  const re = /\{\{(-?)\s*((?:"(?:[^"\\]|\\.)*"|`[^`]*`|[\s\S])*?)\s*(-?)\}\}/g
  let last = 0
  let trimNext = false
  for (let m = re.exec(src); m; m = re.exec(src)) {
    let text = src.slice(last, m.index)
    if (trimNext) text = text.replace(/^\s+/, '')
    if (m[1]) text = text.replace(/\s+$/, '')
    out += text
    const body = m[2]!
    if (!body.startsWith('/*')) {
      const v = ev.run(body)
      out += v === null || v === undefined ? '<no value>' : formatValue(v)
    }
    trimNext = m[3] === '-'
    last = re.lastIndex
  }
  let tail = src.slice(last)
  if (trimNext) tail = tail.replace(/^\s+/, '')
  return out + tail
}
