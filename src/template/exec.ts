/**
 * The executor: walks a parsed tree against data with Go's semantics. All
 * run state lives in an ExecState made per execution, so one parsed
 * template can be executed many times, even re-entrantly.
 */
import { NodeType } from './node.ts'
import type { ActionNode, BranchNode, ListNode, Node, TemplateNode, TextNode } from './node.ts'
import type { Tree } from './parse.ts'
import { goTypeName, isGoMap } from './value.ts'
import { TemplateError } from './errors.ts'
import { formatValue } from './fmt.ts'
import { isTrue, mapKeyValue, sortedMapKeys } from './reflect.ts'
import { quoteGo } from './quote.ts'
import { Evaluator, ExecFailure } from './eval.ts'
import type { ExecInput } from './eval.ts'

export type { ExecInput, MissingKey } from './eval.ts'

/** Go's limit on nested template calls. */
const MAX_EXEC_DEPTH = 100000

// Signals for {{break}} and {{continue}}: frozen objects, not Errors, so no
// stack is captured.
const BREAK = Object.freeze({ signal: 'break' })
const CONTINUE = Object.freeze({ signal: 'continue' })

class ExecState extends Evaluator {
  out = ''
  private depth = 0
  private rangeIface = false // whether the current range's elements are interface{}
  overflowAt: TemplateNode | null = null // innermost call the stack ran out in
  overflowTree: Tree | null = null // the template making that call

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
      if (node.type === NodeType.With) this.walkWithDot(val, node.list, false)
      else this.walk(dot, node.list)
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
    const savedIface = this.rangeIface
    // Elements of []interface{} and of untyped maps have Go's static type
    // interface {}; named slices and typed maps do not.
    this.rangeIface = (Array.isArray(val) || isGoMap(val)) &&
      goTypeName(val).endsWith('interface {}')
    if (Array.isArray(val)) {
      for (let i = 0; i < val.length; i++) {
        ran = true
        if (!one(i, val[i])) break
      }
    } else if (isGoMap(val)) {
      for (const k of sortedMapKeys(val)) {
        ran = true
        if (!one(mapKeyValue(val, k), val[k])) break
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
    this.rangeIface = savedIface
    if (!ran && r.elseList !== null) this.walk(dot, r.elseList)
    this.pop(outer)
  }

  /** Walks a list with a new dot, noting whether it sits in an interface{}. */
  private walkWithDot(dot: unknown, list: ListNode, iface: boolean): void {
    const saved = this.dotIface
    this.dotIface = iface
    try {
      this.walk(dot, list)
    } finally {
      this.dotIface = saved
    }
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
      this.walkWithDot(elem, r.list, this.rangeIface)
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
    // A template starts with only $ in scope; the caller's variables return after.
    const saved = {
      tree: this.tree, names: this.varNames.splice(0), values: this.varValues.splice(0),
    }
    this.depth++
    this.tree = tree
    this.varNames.push('$')
    this.varValues.push(newDot)
    try {
      this.walkWithDot(newDot, tree.root, false)
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
      // Go names the function's signature, which JS functions do not have.
      this.errorf(`can't print ${node} of type func`)
    }
    // Go prints what a top-level pointer points to: {…}, not &{…}.
    this.out += formatValue(v, true)
  }
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
