/**
 * The parse tree. Every node knows its offset in the source and prints
 * itself back as template source; execution errors quote that text, as Go's
 * do (`executing "t" at <.A.B>`).
 */
import { quoteGo } from './quote.ts'

/** Node kinds, for the executor's dispatch. */
export const NodeType = {
  Text: 0, Action: 1, Bool: 2, Chain: 3, Command: 4, Dot: 5, Field: 6,
  Identifier: 7, If: 8, List: 9, Nil: 10, Number: 11, Pipe: 12, Range: 13,
  String: 14, Template: 15, Variable: 16, With: 17, Comment: 18, Break: 19,
  Continue: 20, End: 21, Else: 22,
} as const

/** One of the NodeType values. */
export type NodeKind = (typeof NodeType)[keyof typeof NodeType]

/** The source a tree was parsed from; errors read it to find positions. */
export interface TreeSource {
  readonly parseName: string
  readonly text: string
}

/** Any node: its kind, its offset in the source and its tree. */
export abstract class Node {
  abstract readonly type: NodeKind

  constructor(readonly pos: number, readonly tree: TreeSource) {}

  /** Returns the node as template source. */
  abstract toString(): string
}

/** A sequence of nodes. */
export class ListNode extends Node {
  readonly type = NodeType.List
  readonly nodes: Node[] = []

  /** Returns the list as source. */
  toString(): string {
    return this.nodes.join('')
  }
}

/** Plain text outside actions. */
export class TextNode extends Node {
  readonly type = NodeType.Text

  constructor(pos: number, tree: TreeSource, readonly text: string) {
    super(pos, tree)
  }

  /** Returns the text. */
  toString(): string {
    return this.text
  }
}

/** A comment, kept only for printing. */
export class CommentNode extends Node {
  readonly type = NodeType.Comment

  constructor(pos: number, tree: TreeSource, readonly text: string) {
    super(pos, tree)
  }

  /** Returns the comment as source. */
  toString(): string {
    return `{{${this.text}}}`
  }
}

/** A variable name as declared or used: `$x` or `$x.Field.Chain`. */
export class VariableNode extends Node {
  readonly type = NodeType.Variable
  readonly ident: string[]

  constructor(pos: number, tree: TreeSource, name: string) {
    super(pos, tree)
    this.ident = name.split('.')
  }

  /** Returns `$x.A.B`. */
  toString(): string {
    return this.ident.join('.')
  }
}

/** A pipeline with optional declarations: `$x := cmd | cmd`. */
export class PipeNode extends Node {
  readonly type = NodeType.Pipe
  isAssign = false
  readonly decl: VariableNode[] = []
  readonly cmds: CommandNode[] = []

  constructor(pos: number, tree: TreeSource, readonly line: number) {
    super(pos, tree)
  }

  /** Returns the pipeline as source. */
  toString(): string {
    let s = ''
    if (this.decl.length > 0) {
      s = this.decl.join(', ') + (this.isAssign ? ' = ' : ' := ')
    }
    return s + this.cmds.join(' | ')
  }
}

/** An action that prints its pipeline: `{{pipeline}}`. */
export class ActionNode extends Node {
  readonly type = NodeType.Action

  constructor(pos: number, tree: TreeSource, readonly line: number, readonly pipe: PipeNode) {
    super(pos, tree)
  }

  /** Returns `{{pipeline}}`. */
  toString(): string {
    return `{{${this.pipe}}}`
  }
}

/** A command: an operand followed by arguments. */
export class CommandNode extends Node {
  readonly type = NodeType.Command
  readonly args: Node[] = []

  /** Returns the command as source, parenthesising inner pipelines. */
  toString(): string {
    return this.args.map((a) => (a instanceof PipeNode ? `(${a})` : String(a))).join(' ')
  }
}

/** A function name. */
export class IdentifierNode extends Node {
  readonly type = NodeType.Identifier

  constructor(pos: number, tree: TreeSource, readonly ident: string) {
    super(pos, tree)
  }

  /** Returns the name. */
  toString(): string {
    return this.ident
  }
}

/** The cursor, `.`. */
export class DotNode extends Node {
  readonly type = NodeType.Dot

  /** Returns ".". */
  toString(): string {
    return '.'
  }
}

/** The untyped nil constant. */
export class NilNode extends Node {
  readonly type = NodeType.Nil

  /** Returns "nil". */
  toString(): string {
    return 'nil'
  }
}

/** A field chain on dot: `.A.B`. */
export class FieldNode extends Node {
  readonly type = NodeType.Field
  readonly ident: string[]

  constructor(pos: number, tree: TreeSource, name: string) {
    super(pos, tree)
    this.ident = name.slice(1).split('.')
  }

  /** Returns `.A.B`. */
  toString(): string {
    return '.' + this.ident.join('.')
  }
}

/** Fields on a term that is not dot or a variable: `(pipe).A.B`. */
export class ChainNode extends Node {
  readonly type = NodeType.Chain
  readonly field: string[] = []

  constructor(pos: number, tree: TreeSource, readonly node: Node) {
    super(pos, tree)
  }

  /** Adds a field given as `.Name`. */
  add(field: string): void {
    this.field.push(field.slice(1))
  }

  /** Returns the chain as source. */
  toString(): string {
    const head = this.node instanceof PipeNode ? `(${this.node})` : String(this.node)
    return head + '.' + this.field.join('.')
  }
}

/** A boolean constant. */
export class BoolNode extends Node {
  readonly type = NodeType.Bool

  constructor(pos: number, tree: TreeSource, readonly value: boolean) {
    super(pos, tree)
  }

  /** Returns "true" or "false". */
  toString(): string {
    return this.value ? 'true' : 'false'
  }
}

/** A numeric constant; `value` is its run-time Go value. */
export class NumberNode extends Node {
  readonly type = NodeType.Number

  constructor(pos: number, tree: TreeSource, readonly text: string, readonly value: unknown,
    readonly overflow: boolean) {
    super(pos, tree)
  }

  /** Returns the number as written. */
  toString(): string {
    return this.text
  }
}

/** A string constant. */
export class StringNode extends Node {
  readonly type = NodeType.String

  constructor(pos: number, tree: TreeSource, readonly quoted: string, readonly text: string) {
    super(pos, tree)
  }

  /** Returns the string as written, quotes included. */
  toString(): string {
    return this.quoted
  }
}

/** `{{end}}`; never left in a finished tree. */
export class EndNode extends Node {
  readonly type = NodeType.End

  /** Returns "{{end}}". */
  toString(): string {
    return '{{end}}'
  }
}

/** `{{else}}`; never left in a finished tree. */
export class ElseNode extends Node {
  readonly type = NodeType.Else

  constructor(pos: number, tree: TreeSource, readonly line: number) {
    super(pos, tree)
  }

  /** Returns "{{else}}". */
  toString(): string {
    return '{{else}}'
  }
}

/** `{{break}}` inside a range. */
export class BreakNode extends Node {
  readonly type = NodeType.Break

  /** Returns "{{break}}". */
  toString(): string {
    return '{{break}}'
  }
}

/** `{{continue}}` inside a range. */
export class ContinueNode extends Node {
  readonly type = NodeType.Continue

  /** Returns "{{continue}}". */
  toString(): string {
    return '{{continue}}'
  }
}

/** An if, range or with: a pipeline, a list and an optional else list. */
export class BranchNode extends Node {
  constructor(
    readonly type: typeof NodeType.If | typeof NodeType.Range | typeof NodeType.With,
    pos: number, tree: TreeSource, readonly line: number, readonly pipe: PipeNode,
    readonly list: ListNode, readonly elseList: ListNode | null,
  ) {
    super(pos, tree)
  }

  /** Returns the control structure as source. */
  toString(): string {
    const name = this.type === NodeType.If ? 'if'
      : this.type === NodeType.Range ? 'range' : 'with'
    const tail = this.elseList ? `{{else}}${this.elseList}` : ''
    return `{{${name} ${this.pipe}}}${this.list}${tail}{{end}}`
  }
}

/** `{{template "name" pipeline}}`. */
export class TemplateNode extends Node {
  readonly type = NodeType.Template

  constructor(pos: number, tree: TreeSource, readonly line: number, readonly name: string,
    readonly pipe: PipeNode | null) {
    super(pos, tree)
  }

  /** Returns the call as source. */
  toString(): string {
    const pipe = this.pipe ? ' ' + this.pipe : ''
    return `{{template ${quoteGo(this.name)}${pipe}}}`
  }
}

/** Reports whether a list holds only space text and comments (Go's IsEmptyTree). */
export function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true
  switch (n.type) {
    case NodeType.List:
      return (n as ListNode).nodes.every(isEmptyTree)
    case NodeType.Text:
      return (n as TextNode).text.trim().length === 0 ||
        /^[ \t\r\n]*$/.test((n as TextNode).text)
    case NodeType.Comment:
      return true
  }
  return false
}
