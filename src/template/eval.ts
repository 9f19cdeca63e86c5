/**
 * Evaluation of pipelines, commands, fields, variables and calls with Go's
 * semantics, and Go-shaped execution errors. ExecState (exec.ts) adds the
 * walking of the tree on top.
 */
import { NodeType } from './node.ts'
import type {
  BoolNode, ChainNode, CommandNode, FieldNode, IdentifierNode, Node, NumberNode, PipeNode,
  StringNode, VariableNode,
} from './node.ts'
import type { Tree } from './parse.ts'
import type { FuncMap, GoArgTypeFault, GoFunc } from './func.ts'
import { isGoArgTypeFault } from './func.ts'
import {
  GoStruct, goTypeName, hasIntKeys, hasPointerElems, isGoMap, missingKeyValue,
} from './value.ts'
import { TemplateError, lineAndColumn } from './errors.ts'
import { IfaceArg, builtinFuncs, valueParamBuiltins } from './builtins.ts'
import { isTrue, structMethod } from './reflect.ts'
import { quoteGo } from './quote.ts'

/** How a missing map key reads: Go's missingkey option. */
export type MissingKey = 'default' | 'zero' | 'error'

/** What one execution needs. */
export interface ExecInput {
  trees: ReadonlyMap<string, Tree>
  funcs: FuncMap // execution-time functions, searched first
  parseFuncs: FuncMap // parse-time functions, the fallback
  missingKey: MissingKey
}

/** Carries a Go error raised by the executor itself up to the boundary. */
export class ExecFailure {
  constructor(readonly err: TemplateError) {}
}

/** No final value from an earlier command of the pipeline. */
export const MISSING = Symbol('missing')

/** Per-execution state for evaluating expressions. */
export class Evaluator {
  tree: Tree
  node: Node | null = null
  protected readonly varNames: string[] = ['$']
  protected readonly varValues: unknown[]
  private readonly fnCache = new Map<string, { fn: GoFunc; builtin: boolean }>()
  // Whether the last value came out of a slot of Go type interface{} (an
  // untyped map or a slice); Go names such values' type "interface {}".
  private iface = false
  // Whether the last value is a struct field or method result. A nil from
  // there is a typed nil pointer and prints <nil>; any other nil is Go's nil
  // interface{}, which a pipeline unwraps to no value.
  private fromStruct = false
  // Whether dot is an element of []interface{} or an untyped map, whose
  // static type Go names "interface {}".
  protected dotIface = false

  constructor(readonly input: ExecInput, tree: Tree, data: unknown) {
    this.tree = tree
    this.varValues = [data]
  }

  // ---- errors -----------------------------------------------------------

  /** Raises a Go execution error positioned at the current node. */
  errorf(msg: string, cause?: unknown): never {
    const name = this.tree.name
    let text: string
    let where
    if (this.node === null) {
      text = `template: ${name}: ${msg}`
      where = { name, line: 0 }
    } else {
      const src = this.node.tree
      const { line, col } = lineAndColumn(src.text, this.node.pos)
      const context = this.node.toString()
      text = `template: ${src.parseName}:${line}:${col}: executing ${quoteGo(name)} ` +
        `at <${context}>: ${msg}`
      where = { name, line, col }
    }
    const opts = cause === undefined ? undefined : { cause }
    throw new ExecFailure(new TemplateError(text, 'ETPL_EXEC', where, opts))
  }

  /** Marks the node being evaluated, for error positions. */
  at(node: Node): void {
    this.node = node
  }

  // ---- variables ----------------------------------------------------------

  protected mark(): number {
    return this.varNames.length
  }

  protected pop(mark: number): void {
    if (this.varNames.length === mark) return
    this.varNames.length = mark
    this.varValues.length = mark
  }

  protected push(name: string, value: unknown): void {
    this.varNames.push(name)
    this.varValues.push(value)
  }

  protected setVar(name: string, value: unknown): void {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) {
        this.varValues[i] = value
        return
      }
    }
    this.errorf(`undefined variable: ${name}`)
  }

  protected setTopVar(n: number, value: unknown): void {
    this.varValues[this.varValues.length - n] = value
  }

  protected varValue(name: string): unknown {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) return this.varValues[i]
    }
    return this.errorf(`undefined variable: ${name}`)
  }

  // ---- evaluation -----------------------------------------------------------

  /** Evaluates a pipeline, declaring or assigning its variables. */
  evalPipeline(dot: unknown, pipe: PipeNode | null): unknown {
    if (pipe === null) return undefined
    this.at(pipe)
    let value: unknown = MISSING
    const cmds = pipe.cmds
    for (let i = 0; i < cmds.length; i++) {
      this.iface = false
      this.fromStruct = false
      value = this.evalCommand(dot, cmds[i]!, value)
      if (value === null && !this.fromStruct) value = undefined
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value)
      else this.push(v.ident[0]!, value)
    }
    return value
  }

  private notAFunction(args: Node[], final: unknown): void {
    if (args.length > 1 || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${args[0]}`)
    }
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: unknown): unknown {
    const first = cmd.args[0]!
    switch (first.type) {
      case NodeType.Field:
        return this.evalFieldNode(dot, first as FieldNode, cmd.args, final)
      case NodeType.Chain:
        return this.evalChainNode(dot, first as ChainNode, cmd.args, final)
      case NodeType.Identifier:
        return this.evalFunction(dot, first as IdentifierNode, cmd, cmd.args, final)
      case NodeType.Pipe:
        this.notAFunction(cmd.args, final)
        return this.evalPipeline(dot, first as PipeNode)
      case NodeType.Variable:
        return this.evalVariableNode(dot, first as VariableNode, cmd.args, final)
    }
    this.at(first)
    this.notAFunction(cmd.args, final)
    switch (first.type) {
      case NodeType.Bool: return (first as BoolNode).value
      case NodeType.Dot: return dot
      case NodeType.Nil: return this.errorf('nil is not a command')
      case NodeType.Number: return this.idealConstant(first as NumberNode)
      case NodeType.String: return (first as StringNode).text
    }
    return this.errorf(`can't evaluate command ${quoteGo(String(first))}`)
  }

  private idealConstant(n: NumberNode): unknown {
    this.at(n)
    if (n.overflow) this.errorf(`${n.text} overflows int`)
    return n.value
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: Node[] | null,
    final: unknown): unknown {
    this.at(field)
    this.iface = this.dotIface
    return this.evalFieldChain(dot, dot, field, field.ident, args, final)
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: Node[] | null,
    final: unknown): unknown {
    this.at(chain)
    if (chain.node.type === NodeType.Nil) {
      this.errorf(`indirection through explicit nil in ${chain}`)
    }
    const pipe = this.evalArg(dot, chain.node, false)
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final)
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: Node[] | null,
    final: unknown): unknown {
    this.at(v)
    const value = this.varValue(v.ident[0]!)
    if (v.ident.length === 1) {
      if (args !== null) this.notAFunction(args, final)
      return value
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final)
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: Node, ident: string[],
    args: Node[] | null, final: unknown): unknown {
    const n = ident.length
    for (let i = 0; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver)
    }
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver)
  }

  private evalField(dot: unknown, name: string, node: Node, args: Node[] | null,
    final: unknown, receiver: unknown): unknown {
    const wasIface = this.iface
    this.iface = false
    this.fromStruct = false
    if (receiver === undefined) {
      if (this.input.missingKey === 'error') {
        this.errorf(`nil data; no entry for key ${quoteGo(name)}`)
      }
      return undefined
    }
    if (receiver === null) return this.errorf(`nil pointer evaluating interface {}.${name}`)
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING
    if (receiver instanceof GoStruct) {
      // Go forbids a field and a method of one name, so the order is free;
      // fields are the common case.
      if (Object.hasOwn(receiver, name)) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`)
        this.fromStruct = true
        return (receiver as unknown as Record<string, unknown>)[name]
      }
      const method = structMethod(receiver, name)
      if (method !== undefined) {
        const v = this.evalCall(dot, method, receiver, false, node, name, args, final)
        this.fromStruct = true
        return v
      }
    } else if (isGoMap(receiver) && !hasIntKeys(receiver)) {
      // A field name is a string key; a map with int keys has no fields.
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`)
      if (Object.hasOwn(receiver, name)) {
        this.iface = missingKeyValue(receiver) === undefined
        return receiver[name]
      }
      switch (this.input.missingKey) {
        case 'default': return undefined
        case 'error': return this.errorf(`map has no entry for key ${quoteGo(name)}`)
      }
      const zero = missingKeyValue(receiver)
      this.iface = zero === undefined
      this.fromStruct = zero === null && hasPointerElems(receiver)
      return zero ?? null
    }
    const typ = wasIface ? 'interface {}' : goTypeName(receiver)
    return this.errorf(`can't evaluate field ${name} in type ${typ}`)
  }

  private findFunction(name: string): { fn: GoFunc; builtin: boolean } | undefined {
    let found = this.fnCache.get(name)
    if (found !== undefined) return found
    const { funcs, parseFuncs } = this.input
    const own = (m: FuncMap): boolean => Object.hasOwn(m, name) && typeof m[name] === 'function'
    if (own(funcs)) found = { fn: funcs[name]!, builtin: false }
    else if (own(parseFuncs)) found = { fn: parseFuncs[name]!, builtin: false }
    else if (Object.hasOwn(andOrCallArity, name)) {
      found = { fn: andOrCallArity[name]!, builtin: true }
    } else if (Object.hasOwn(builtinFuncs, name)) {
      found = { fn: builtinFuncs[name]!, builtin: true }
    }
    if (found !== undefined) this.fnCache.set(name, found)
    return found
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: Node[] | null,
    final: unknown): unknown {
    this.at(node)
    const name = node.ident
    const found = this.findFunction(name)
    if (found === undefined) this.errorf(`${quoteGo(name)} is not a defined function`)
    return this.evalCall(dot, found.fn, undefined, found.builtin, cmd, name, args, final)
  }

  /** Evaluates one argument; Go's nil stays invalid for reflect.Value params. */
  evalArg(dot: unknown, n: Node, valueParam: boolean): unknown {
    this.at(n)
    this.iface = n.type === NodeType.Dot && this.dotIface
    switch (n.type) {
      case NodeType.Dot: return dot
      case NodeType.Nil: return valueParam ? undefined : null
      case NodeType.Field: return this.evalFieldNode(dot, n as FieldNode, [n], MISSING)
      case NodeType.Variable: return this.evalVariableNode(dot, n as VariableNode, null, MISSING)
      case NodeType.Pipe: return this.evalPipeline(dot, n as PipeNode)
      case NodeType.Identifier:
        return this.evalFunction(dot, n as IdentifierNode, n, null, MISSING)
      case NodeType.Chain: return this.evalChainNode(dot, n as ChainNode, null, MISSING)
      case NodeType.Bool: return (n as BoolNode).value
      case NodeType.Number: return this.idealConstant(n as NumberNode)
      case NodeType.String: return (n as StringNode).text
    }
    return this.errorf(`can't handle ${n} for arg of type interface {}`)
  }

  private evalCall(dot: unknown, fn: GoFunc, self: unknown, builtin: boolean, node: Node,
    name: string, argNodes: Node[] | null, final: unknown): unknown {
    // argNodes[0] names the function; the arguments follow it.
    const nArgs = argNodes === null ? 0 : argNodes.length - 1
    const numIn = nArgs + (final === MISSING ? 0 : 1)
    const arity = fn.goArity
    if (arity !== undefined) {
      if (arity.variadic) {
        if (numIn < arity.params - 1) {
          this.errorf(`wrong number of args for ${name}: want at least ` +
            `${arity.params - 1} got ${nArgs}`)
        }
      } else if (numIn !== arity.params) {
        this.errorf(`wrong number of args for ${name}: want ${arity.params} got ${numIn}`)
      }
    } else if (numIn < fn.length) {
      // Without a declared arity, JS's count of required parameters still
      // tells a call that is short of arguments, which Go rejects too.
      this.errorf(`wrong number of args for ${name}: want ${fn.length} got ${numIn}`)
    }
    const valueParam = builtin && valueParamBuiltins.has(name)
    if (builtin && (name === 'and' || name === 'or')) {
      // and/or short-circuit and return the deciding operand.
      let v: unknown
      for (let i = 1; i <= nArgs; i++) {
        v = this.evalArg(dot, argNodes![i]!, true)
        if (isTrue(v) === (name === 'or')) return v
      }
      return final === MISSING ? v : final
    }
    const argv: unknown[] = new Array(numIn)
    // Where each argument's evaluation ended: Go reports a value of the
    // wrong type there, inside a nested call at its last node.
    const argAt: Array<Node | null> = new Array(numIn)
    for (let i = 0; i < nArgs; i++) {
      const n = argNodes![i + 1]!
      let v = this.evalArg(dot, n, valueParam)
      argAt[i] = this.node
      if (v === undefined && !valueParam) v = null
      if (i > 0 && this.iface && builtin && name === 'slice') v = new IfaceArg(v)
      if (i === 0 && builtin && name === 'printf') this.checkString(n, v)
      argv[i] = v
    }
    if (final !== MISSING) {
      argv[nArgs] = final === undefined && !valueParam ? null : final
      if (nArgs === 0 && builtin && name === 'printf') this.checkString(null, final)
    }
    // A function's result has its declared, concrete type.
    this.iface = false
    if (builtin && name === 'call') return this.callBuiltin(node, argNodes, argv, final)
    argAt[nArgs] = this.node
    try {
      return fn.apply(self, argv)
    } catch (e) {
      if (e instanceof ExecFailure) throw e
      if (isGoArgTypeFault(e)) this.argTypeError(e, argNodes, argv, argAt)
      this.at(node)
      return this.errorf(`error calling ${name}: ${errorText(e)}`, e)
    }
  }

  /** Reports an argument the function refused for its Go type where Go
   * would have: at the last node its evaluation visited (a piped final
   * value: the last node of the command), with Go's wording for constants.
   * Without the function's index, the argument is found by identity; of
   * two, the first. */
  private argTypeError(e: GoArgTypeFault, argNodes: Node[] | null, argv: unknown[],
    argAt: Array<Node | null>): void {
    const i = e.arg ?? argv.findIndex((v) => Object.is(v, e.value))
    if (i < 0 || i >= argv.length) return
    this.node = argAt[i] ?? this.node
    const n = argNodes !== null && i + 1 < argNodes.length ? argNodes[i + 1]! : null
    this.errorf((n && constantArgMessage(n, e.want)) ?? e.message)
  }

  private checkString(n: Node | null, v: unknown): void {
    if (typeof v === 'string') return
    if (n !== null && n.type !== NodeType.Field && n.type !== NodeType.Variable &&
      n.type !== NodeType.Pipe && n.type !== NodeType.Identifier && n.type !== NodeType.Chain &&
      n.type !== NodeType.Dot) {
      this.errorf(n.type === NodeType.Nil ? 'cannot assign nil to string'
        : `expected string; found ${n}`)
    }
    if (v === undefined || v === null) this.errorf('invalid value; expected string')
    this.errorf(`wrong type for value; expected string; got ${goTypeName(v)}`)
  }

  private callBuiltin(node: Node, argNodes: Node[] | null, argv: unknown[],
    final: unknown): unknown {
    // Go names a piped callee by reflect.Value's String: "<int Value>".
    const calleeName = argNodes !== null && argNodes.length > 1 ? String(argNodes[1])
      : typeof final === 'string' ? final
        : final === undefined || final === null ? '<invalid Value>'
          : `<${goTypeName(final)} Value>`
    const [fn, ...rest] = argv
    try {
      if (fn === undefined || fn === null) throw new Error('call of nil')
      if (typeof fn !== 'function') {
        throw new Error(`non-function ${calleeName} of type ${goTypeName(fn)}`)
      }
      const arity = (fn as GoFunc).goArity
      if (arity !== undefined) {
        if (arity.variadic && rest.length < arity.params - 1) {
          throw new Error(`wrong number of args for ${calleeName}: got ${rest.length} ` +
            `want at least ${arity.params - 1}`)
        }
        if (!arity.variadic && rest.length !== arity.params) {
          throw new Error(`wrong number of args for ${calleeName}: got ${rest.length} ` +
            `want ${arity.params}`)
        }
      }
      return (fn as GoFunc)(...rest.map((v) => (v === undefined ? null : v)))
    } catch (e) {
      if (e instanceof ExecFailure) throw e
      this.at(node)
      return this.errorf(`error calling call: ${errorText(e)}`, e)
    }
  }
}

/** Returns Go's message for a constant argument that does not fit a
 * parameter of type want (Go's evalArg), or null for other nodes. */
function constantArgMessage(n: Node, want: string): string | null {
  switch (n.type) {
    case NodeType.Nil:
      return /^(\[|map\[|\*|func|chan|interface)/.test(want) ? null
        : `cannot assign nil to ${want}`
    case NodeType.Bool:
    case NodeType.Number:
    case NodeType.String:
      break
    default:
      return null
  }
  if (want === 'string') return `expected string; found ${n}`
  if (want === 'bool') return `expected bool; found ${n}`
  if (/^int(8|16|32|64)?$/.test(want)) return `expected integer; found ${n}`
  if (/^uint(8|16|32|64|ptr)?$/.test(want)) return `expected unsigned integer; found ${n}`
  if (/^float(32|64)$/.test(want)) return `expected float; found ${n}`
  if (/^complex(64|128)$/.test(want)) return `expected complex; found ${n}`
  return `can't handle ${n} for arg of type ${want}`
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}

// and, or and call are evaluated by the executor; these carry their arity.
const andOrCallArity: Record<string, GoFunc> = {
  and: Object.assign(() => undefined, { goArity: { params: 2, variadic: true } }),
  or: Object.assign(() => undefined, { goArity: { params: 2, variadic: true } }),
  call: Object.assign(() => undefined, { goArity: { params: 2, variadic: true } }),
}
