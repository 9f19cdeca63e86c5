/**
 * The executor: walks a parsed tree against data with Go's semantics. All
 * run state lives in an ExecState made per execution, so one parsed
 * template can be executed many times, even re-entrantly.
 */
import {
  NodeType, PipeNode,
} from './node.ts'
import type {
  ActionNode, BoolNode, BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode,
  ListNode, Node, NumberNode, StringNode, TemplateNode, TextNode, VariableNode,
} from './node.ts'
import type { Tree } from './parse.ts'
import type { FuncMap, GoFunc } from './func.ts'
import { GoStruct, goTypeName, isGoMap, missingKeyValue } from './value.ts'
import { TemplateError, lineAndColumn } from './errors.ts'
import { builtinFuncs, valueParamBuiltins } from './builtins.ts'
import { formatValue } from './fmt.ts'
import { compareGoStrings, isTrue, structMethod } from './reflect.ts'
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

/** Go's limit on nested template calls. */
const MAX_EXEC_DEPTH = 100000

// Signals for {{break}} and {{continue}}: frozen objects, not Errors, so no
// stack is captured.
const BREAK = Object.freeze({ signal: 'break' })
const CONTINUE = Object.freeze({ signal: 'continue' })

/** Marks a thrown value as a Go error raised by the executor itself. */
class ExecFailure {
  constructor(readonly err: TemplateError) {}
}

const MISSING = Symbol('missing') // no final value from an earlier command

class ExecState {
  tree: Tree
  node: Node | null = null
  out = ''
  private readonly varNames: string[] = ['$']
  private readonly varValues: unknown[]
  private depth = 0
  private readonly fnCache = new Map<string, { fn: GoFunc; builtin: boolean }>()
  overflowAt: TemplateNode | null = null // innermost call the stack ran out in
  overflowTree: Tree | null = null // the template making that call
  // Whether the last value came out of a slot of Go type interface{} (an
  // untyped map or a slice); Go names such values' type "interface {}".
  private iface = false
  // Whether the last value is a struct field or method result. A nil from
  // there is a typed nil pointer and prints <nil>; any other nil is Go's nil
  // interface{}, which a pipeline unwraps to no value.
  private fromStruct = false

  constructor(readonly input: ExecInput, tree: Tree, data: unknown) {
    this.tree = tree
    this.varValues = [data]
  }

  // ---- errors -----------------------------------------------------------

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

  at(node: Node): void {
    this.node = node
  }

  // ---- variables ----------------------------------------------------------

  private mark(): number {
    return this.varNames.length
  }

  private pop(mark: number): void {
    if (this.varNames.length === mark) return
    this.varNames.length = mark
    this.varValues.length = mark
  }

  private push(name: string, value: unknown): void {
    this.varNames.push(name)
    this.varValues.push(value)
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) {
        this.varValues[i] = value
        return
      }
    }
    this.errorf(`undefined variable: ${name}`)
  }

  private setTopVar(n: number, value: unknown): void {
    this.varValues[this.varValues.length - n] = value
  }

  private varValue(name: string): unknown {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) return this.varValues[i]
    }
    return this.errorf(`undefined variable: ${name}`)
  }

  // ---- walking ------------------------------------------------------------

  walk(dot: unknown, node: Node): void {
    this.node = node
    switch (node.type) {
      case NodeType.Text:
        this.out += (node as TextNode).text
        return
      case NodeType.List: {
        const nodes = (node as ListNode).nodes
        for (let i = 0; i < nodes.length; i++) this.walk(dot, nodes[i]!)
        return
      }
      case NodeType.Action: {
        // Variables declared here persist until the enclosing end.
        const pipe = (node as ActionNode).pipe
        const val = this.evalPipeline(dot, pipe)
        if (pipe.decl.length === 0) this.printValue(node, val)
        return
      }
      case NodeType.If: case NodeType.With:
        return this.walkIfOrWith(dot, node as BranchNode)
      case NodeType.Range:
        return this.walkRange(dot, node as BranchNode)
      case NodeType.Template:
        return this.walkTemplate(dot, node as TemplateNode)
      case NodeType.Break:
        throw BREAK
      case NodeType.Continue:
        throw CONTINUE
      case NodeType.Comment:
        return
    }
    this.errorf(`unknown node: ${node}`)
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): void {
    const mark = this.mark()
    const val = this.evalPipeline(dot, node.pipe)
    if (isTrue(val)) {
      this.walk(node.type === NodeType.With ? val : dot, node.list)
    } else if (node.elseList !== null) {
      this.walk(dot, node.elseList)
    }
    this.pop(mark)
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    this.at(r)
    const outer = this.mark()
    const val = this.evalPipeline(dot, r.pipe)
    const mark = this.mark()
    const one = (key: unknown, elem: unknown): boolean => this.rangeOne(r, mark, key, elem)
    let ran = false
    if (Array.isArray(val)) {
      for (let i = 0; i < val.length; i++) {
        ran = true
        if (!one(i, val[i])) break
      }
    } else if (isGoMap(val)) {
      const keys = Object.keys(val).sort(compareGoStrings)
      for (const k of keys) {
        ran = true
        if (!one(k, val[k])) break
      }
    } else if ((typeof val === 'number' && Number.isInteger(val)) || typeof val === 'bigint') {
      if (r.pipe.decl.length > 1) {
        this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`)
      }
      const n = Number(val)
      for (let i = 0; i < n; i++) {
        ran = true
        if (!one(undefined, i)) break
      }
    } else if (val !== undefined && val !== null) {
      this.errorf(`range can't iterate over ${formatValue(val)}`)
    }
    if (!ran && r.elseList !== null) this.walk(dot, r.elseList)
    this.pop(outer)
  }

  /** Runs one iteration of a range body; returns false on {{break}}. */
  private rangeOne(r: BranchNode, mark: number, key: unknown, elem: unknown): boolean {
    const decl = r.pipe.decl
    if (decl.length > 0) {
      if (r.pipe.isAssign) {
        // With two variables the index comes first; with one, the element.
        this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? key : elem)
      } else {
        this.setTopVar(1, elem)
      }
    }
    if (decl.length > 1) {
      if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem)
      else this.setTopVar(2, key)
    }
    try {
      this.walk(elem, r.list)
    } catch (e) {
      if (e === BREAK) return false
      if (e !== CONTINUE) throw e
    } finally {
      this.pop(mark)
    }
    return true
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.at(t)
    const tree = this.input.trees.get(t.name)
    if (tree === undefined) this.errorf(`template ${quoteGo(t.name)} not defined`)
    if (this.depth >= MAX_EXEC_DEPTH) {
      this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`)
    }
    const newDot = this.evalPipeline(dot, t.pipe)
    const saved = { tree: this.tree, names: this.varNames.splice(0), values: this.varValues.splice(0) }
    this.depth++
    this.tree = tree
    this.varNames.push('$')
    this.varValues.push(newDot)
    try {
      this.walk(newDot, tree.root)
    } catch (e) {
      // Go allows 100000 nested calls; a JS stack runs out sooner. Only note
      // where: near the stack's end any call may overflow again.
      if (this.overflowAt === null && e instanceof RangeError) {
        this.overflowAt = t
        this.overflowTree = saved.tree
      }
      throw e
    } finally {
      this.depth--
      this.tree = saved.tree
      this.varNames.length = 0
      this.varValues.length = 0
      this.varNames.push(...saved.names)
      this.varValues.push(...saved.values)
    }
  }

  // ---- evaluation -----------------------------------------------------------

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
    } else if (isGoMap(receiver)) {
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
      return zero ?? null
    }
    const typ = wasIface ? 'interface {}' : goTypeName(receiver)
    return this.errorf(`can't evaluate field ${name} in type ${typ}`)
  }

  private findFunction(name: string): { fn: GoFunc; builtin: boolean } | undefined {
    let found = this.fnCache.get(name)
    if (found !== undefined) return found
    const { funcs, parseFuncs } = this.input
    if (Object.hasOwn(funcs, name)) found = { fn: funcs[name]!, builtin: false }
    else if (Object.hasOwn(parseFuncs, name)) found = { fn: parseFuncs[name]!, builtin: false }
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
    for (let i = 0; i < nArgs; i++) {
      const n = argNodes![i + 1]!
      let v = this.evalArg(dot, n, valueParam)
      if (v === undefined && !valueParam) v = null
      if (i === 0 && builtin && name === 'printf') this.checkString(n, v)
      argv[i] = v
    }
    if (final !== MISSING) {
      argv[nArgs] = final === undefined && !valueParam ? null : final
      if (nArgs === 0 && builtin && name === 'printf') this.checkString(null, final)
    }
    if (builtin && name === 'call') return this.callBuiltin(node, argNodes, argv, final)
    try {
      return fn.apply(self, argv)
    } catch (e) {
      if (e instanceof ExecFailure) throw e
      this.at(node)
      return this.errorf(`error calling ${name}: ${errorText(e)}`, e)
    }
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

  private printValue(node: Node, v: unknown): void {
    this.at(node)
    if (typeof v === 'string') {
      this.out += v
      return
    }
    if (v === undefined) {
      this.out += '<no value>'
      return
    }
    if (typeof v === 'function') {
      this.errorf(`can't print ${(node as ActionNode).pipe ?? node} of type func`)
    }
    // Go prints what a top-level pointer points to: {…}, not &{…}.
    this.out += formatValue(v, true)
  }
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

/** Executes tree `name` against data; throws TemplateError on Go errors. */
export function executeTree(input: ExecInput, tree: Tree, data: unknown): string {
  // Nil data is Go's invalid value, as Execute(w, nil) gives.
  if (data === null) data = undefined
  const s = new ExecState(input, tree, data)
  try {
    s.walk(data, tree.root)
  } catch (e) {
    if (e instanceof ExecFailure) throw e.err
    if (e instanceof RangeError && s.overflowAt !== null) {
      s.at(s.overflowAt)
      s.tree = s.overflowTree ?? s.tree
      try {
        s.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`)
      } catch (f) {
        if (f instanceof ExecFailure) throw f.err
      }
    }
    if (e === BREAK || e === CONTINUE) {
      throw new TemplateError(`template: ${tree.name}: break or continue outside range`,
        'ETPL_EXEC', { name: tree.name, line: 0 })
    }
    throw e
  }
  return s.out
}
