/**
 * The parser: recursive descent over the lexer's items, building one tree
 * per template defined in the text. Each production method starts with the
 * grammar it accepts. Errors read `template: NAME:LINE: MSG`, as Go's do.
 */
import { Item, Lexer, itemString } from './lexer.ts'
import type { ItemKind, LexItem } from './lexer.ts'
import {
  ActionNode, BoolNode, BranchNode, BreakNode, ChainNode, CommandNode,
  ContinueNode, DotNode, ElseNode, EndNode, FieldNode, IdentifierNode, ListNode,
  NilNode, NodeType, NumberNode, PipeNode, StringNode, TemplateNode, TextNode,
  VariableNode, isEmptyTree,
} from './node.ts'
import type { Node, TreeSource } from './node.ts'
import { numberValue } from './number.ts'
import { QuoteSyntaxError, quoteGo, unquote } from './quote.ts'
import { TemplateError } from './errors.ts'

/** One parsed template: its name and body. */
export interface Tree extends TreeSource {
  readonly name: string
  readonly root: ListNode
}

/** A function call site, for checks such as function_denylist. */
export interface CalledFunction {
  name: string
  line: number
  col: number
  pos: number
}

/** What the parser needs to know from its caller. */
export interface ParseInput {
  name: string
  text: string
  leftDelim: string
  rightDelim: string
  hasFunction: (name: string) => boolean
}

/** The trees a text defines, by name, and the functions it calls. */
export interface ParseResult {
  trees: Map<string, Tree>
  calls: { name: string; pos: number }[]
}

/** Per-tree parser state: a define or block starts a fresh one. */
interface TreeState {
  name: string
  vars: string[]
  rangeDepth: number
}

class Parser implements TreeSource {
  readonly parseName: string
  readonly text: string
  private readonly lex: Lexer
  private readonly token: LexItem[] = []
  private peekCount = 0
  private lastLine = 0 // line of the item lexed last; errors report it
  private actionLine = 0
  private st: TreeState
  private readonly hasFunction: (name: string) => boolean
  readonly trees = new Map<string, Tree>()
  readonly calls: { name: string; pos: number }[] = []

  constructor(input: ParseInput) {
    this.parseName = input.name
    this.text = input.text
    this.hasFunction = input.hasFunction
    this.lex = new Lexer(input.text, input.leftDelim, input.rightDelim, {
      breakOK: !input.hasFunction('break'),
      continueOK: !input.hasFunction('continue'),
    })
    this.st = { name: input.name, vars: ['$'], rangeDepth: 0 }
  }

  // ---- token buffer ---------------------------------------------------

  private next(): LexItem {
    if (this.peekCount > 0) this.peekCount--
    else this.token[0] = this.lexNext()
    return this.token[this.peekCount]!
  }

  private lexNext(): LexItem {
    const it = this.lex.nextItem()
    this.lastLine = it.line
    return it
  }

  private backup(): void {
    this.peekCount++
  }

  /** Backs up two tokens; t1 was the first of them. */
  private backup2(t1: LexItem): void {
    this.token[1] = t1
    this.peekCount = 2
  }

  /** Backs up three tokens; t2 and t1 came before the current one. */
  private backup3(t2: LexItem, t1: LexItem): void {
    this.token[1] = t1
    this.token[2] = t2
    this.peekCount = 3
  }

  private peek(): LexItem {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!
    this.peekCount = 1
    this.token[0] = this.lexNext()
    return this.token[0]
  }

  private nextNonSpace(): LexItem {
    let it: LexItem
    do it = this.next(); while (it.kind === Item.Space)
    return it
  }

  private peekNonSpace(): LexItem {
    const it = this.nextNonSpace()
    this.backup()
    return it
  }

  // ---- errors -----------------------------------------------------------

  errorf(msg: string): never {
    throw new TemplateError(`template: ${this.parseName}:${this.lastLine}: ${msg}`,
      'ETPL_PARSE', { name: this.parseName, line: this.lastLine })
  }

  private expect(kind: ItemKind, context: string): LexItem {
    const it = this.nextNonSpace()
    if (it.kind !== kind) this.unexpected(it, context)
    return it
  }

  private expectOneOf(k1: ItemKind, k2: ItemKind, context: string): LexItem {
    const it = this.nextNonSpace()
    if (it.kind !== k1 && it.kind !== k2) this.unexpected(it, context)
    return it
  }

  private unexpected(it: LexItem, context: string): never {
    if (it.kind === Item.Error) {
      let extra = ''
      if (this.actionLine !== 0 && this.actionLine !== it.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`
        if (it.val.endsWith(' action')) extra = extra.slice(' in action'.length)
      }
      this.errorf(it.val + extra)
    }
    this.errorf(`unexpected ${itemString(it)} in ${context}`)
  }

  private unquoteOrFail(lit: string): string {
    try {
      return unquote(lit)
    } catch (e) {
      if (e instanceof QuoteSyntaxError) this.errorf(e.message)
      throw e
    }
  }

  // ---- grammar ------------------------------------------------------------

  /** Parses the whole text into this.trees.
   *   text   := (textOrAction | define)* EOF */
  parse(): void {
    const root = new ListNode(this.peek().pos, this)
    while (this.peek().kind !== Item.EOF) {
      if (this.peek().kind === Item.LeftDelim) {
        const delim = this.next()
        if (this.nextNonSpace().kind === Item.Define) {
          this.withTree('definition', () => this.parseDefinition())
          continue
        }
        this.backup2(delim)
      }
      const n = this.textOrAction()
      if (n.type === NodeType.End || n.type === NodeType.Else) this.errorf(`unexpected ${n}`)
      root.nodes.push(n)
    }
    this.add(this.parseName, root)
  }

  /** Runs fn with fresh tree state, as Go's new Tree for define and block. */
  private withTree<T>(name: string, fn: () => T): T {
    const saved = this.st
    this.st = { name, vars: ['$'], rangeDepth: 0 }
    try {
      return fn()
    } finally {
      this.st = saved
    }
  }

  /** Records a finished tree; a non-empty duplicate is an error. */
  private add(name: string, root: ListNode): void {
    const old = this.trees.get(name)
    if (old === undefined || isEmptyTree(old.root)) {
      this.trees.set(name, { name, parseName: this.parseName, text: this.text, root })
      return
    }
    if (!isEmptyTree(root)) {
      this.errorf(`template: multiple definition of template ${quoteGo(name)}`)
    }
  }

  /** define   := {{define "name"}} itemList {{end}}
   *  The {{define has been consumed. */
  private parseDefinition(): void {
    const context = 'define clause'
    const nameItem = this.expectOneOf(Item.String, Item.RawString, context)
    this.st.name = this.unquoteOrFail(nameItem.val)
    this.expect(Item.RightDelim, context)
    const [list, end] = this.itemList()
    if (end.type !== NodeType.End) this.errorf(`unexpected ${end} in ${context}`)
    this.add(this.st.name, list)
  }

  /** itemList := textOrAction*
   *  Ends at {{end}} or {{else}}, which it returns. */
  private itemList(): [ListNode, Node] {
    const list = new ListNode(this.peekNonSpace().pos, this)
    while (this.peekNonSpace().kind !== Item.EOF) {
      const n = this.textOrAction()
      if (n.type === NodeType.End || n.type === NodeType.Else) return [list, n]
      list.nodes.push(n)
    }
    return this.errorf('unexpected EOF')
  }

  /** textOrAction := text | comment | action */
  private textOrAction(): Node {
    const it = this.nextNonSpace()
    switch (it.kind) {
      case Item.Text:
        return new TextNode(it.pos, this, it.val)
      case Item.LeftDelim: {
        this.actionLine = it.line
        try {
          return this.action()
        } finally {
          this.actionLine = 0
        }
      }
    }
    return this.unexpected(it, 'input')
  }

  /** action := control | pipeline
   *  The left delimiter has been consumed; control words come first. */
  private action(): Node {
    const it = this.nextNonSpace()
    switch (it.kind) {
      case Item.Block: return this.blockControl()
      case Item.Break: return this.loopControl(it, 'break')
      case Item.Continue: return this.loopControl(it, 'continue')
      case Item.Else: return this.elseControl()
      case Item.End: return new EndNode(this.expect(Item.RightDelim, 'end').pos, this)
      case Item.If: return this.branchControl(NodeType.If, 'if')
      case Item.Range: return this.branchControl(NodeType.Range, 'range')
      case Item.Template: return this.templateControl()
      case Item.With: return this.branchControl(NodeType.With, 'with')
    }
    this.backup()
    const start = this.peek()
    // Variables declared here persist until the enclosing {{end}}.
    return new ActionNode(start.pos, this, start.line, this.pipeline('command', Item.RightDelim))
  }

  /** break := {{break}}   continue := {{continue}}   (inside range only) */
  private loopControl(it: LexItem, word: 'break' | 'continue'): Node {
    const tok = this.nextNonSpace()
    if (tok.kind !== Item.RightDelim) this.unexpected(tok, `{{${word}}}`)
    if (this.st.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`)
    return word === 'break' ? new BreakNode(it.pos, this) : new ContinueNode(it.pos, this)
  }

  /** else := {{else}} | {{else if ...  | {{else with ...
   *  For the last two the if/with is left pending for the caller. */
  private elseControl(): Node {
    const peek = this.peekNonSpace()
    if (peek.kind === Item.If || peek.kind === Item.With) {
      return new ElseNode(peek.pos, this, peek.line)
    }
    const tok = this.expect(Item.RightDelim, 'else')
    return new ElseNode(tok.pos, this, tok.line)
  }

  /** if    := {{if pipeline}} itemList ({{else}} itemList)? {{end}}
   *  range := {{range pipeline}} ...    with := {{with pipeline}} ...
   *  {{else if x}} reads as {{else}}{{if x}}...{{end}}{{end}}; likewise with. */
  private branchControl(type: BranchNode['type'], context: 'if' | 'range' | 'with'): Node {
    const mark = this.st.vars.length
    try {
      const pipe = this.pipeline(context, Item.RightDelim)
      if (type === NodeType.Range) this.st.rangeDepth++
      let [list, next] = this.itemList()
      if (type === NodeType.Range) this.st.rangeDepth--
      let elseList: ListNode | null = null
      if (next.type === NodeType.Else) {
        const chained = context === 'if' ? Item.If : context === 'with' ? Item.With : -1
        if (chained !== -1 && this.peek().kind === chained) {
          this.next()
          elseList = new ListNode(next.pos, this)
          elseList.nodes.push(this.branchControl(type, context))
        } else {
          [elseList, next] = this.itemList()
          if (next.type !== NodeType.End) this.errorf(`expected end; found ${next}`)
        }
      }
      return new BranchNode(type, pipe.pos, this, pipe.line, pipe, list, elseList)
    } finally {
      this.st.vars.length = mark
    }
  }

  /** block := {{block "name" pipeline}} itemList {{end}}
   *  Defines the template and calls it in place. */
  private blockControl(): Node {
    const context = 'block clause'
    const tok = this.nextNonSpace()
    const name = this.templateName(tok, context)
    const pipe = this.pipeline(context, Item.RightDelim)
    this.withTree(name, () => {
      const [list, end] = this.itemList()
      if (end.type !== NodeType.End) this.errorf(`unexpected ${end} in ${context}`)
      this.add(name, list)
    })
    return new TemplateNode(tok.pos, this, tok.line, name, pipe)
  }

  /** template := {{template "name"}} | {{template "name" pipeline}} */
  private templateControl(): Node {
    const context = 'template clause'
    const tok = this.nextNonSpace()
    const name = this.templateName(tok, context)
    let pipe: PipeNode | null = null
    if (this.nextNonSpace().kind !== Item.RightDelim) {
      this.backup()
      pipe = this.pipeline(context, Item.RightDelim)
    }
    return new TemplateNode(tok.pos, this, tok.line, name, pipe)
  }

  private templateName(tok: LexItem, context: string): string {
    if (tok.kind !== Item.String && tok.kind !== Item.RawString) this.unexpected(tok, context)
    return this.unquoteOrFail(tok.val)
  }

  /** pipeline := declarations? command ('|' command)*
   *  declarations := $x (',' $y)? (':=' | '=')   (two variables only in range) */
  private pipeline(context: string, end: ItemKind): PipeNode {
    const first = this.peekNonSpace()
    const pipe = new PipeNode(first.pos, this, first.line)
    for (let more = true; more;) {
      more = false
      const v = this.peekNonSpace()
      if (v.kind !== Item.Variable) break
      this.next()
      // Spaces are tokens, so "$x foo" needs three items of look-ahead to
      // tell an argument from a declaration.
      const afterVar = this.peek()
      const nx = this.peekNonSpace()
      if (nx.kind === Item.Assign || nx.kind === Item.Declare) {
        pipe.isAssign = nx.kind === Item.Assign
        this.nextNonSpace()
        pipe.decl.push(new VariableNode(v.pos, this, v.val))
        this.st.vars.push(v.val)
      } else if (nx.kind === Item.Char && nx.val === ',') {
        this.nextNonSpace()
        pipe.decl.push(new VariableNode(v.pos, this, v.val))
        this.st.vars.push(v.val)
        if (context === 'range' && pipe.decl.length < 2) {
          const k = this.peekNonSpace().kind
          if (k === Item.Variable || k === Item.RightDelim || k === Item.RightParen) {
            more = true
            continue
          }
          this.errorf('range can only initialize variables')
        }
        this.errorf(`too many declarations in ${context}`)
      } else if (afterVar.kind === Item.Space) {
        this.backup3(v, afterVar)
      } else {
        this.backup2(v)
      }
    }
    for (;;) {
      const it = this.nextNonSpace()
      if (it.kind === end) {
        this.checkPipeline(pipe, context)
        return pipe
      }
      switch (it.kind) {
        case Item.Bool: case Item.CharConstant: case Item.Complex: case Item.Dot:
        case Item.Field: case Item.Identifier: case Item.Number: case Item.Nil:
        case Item.RawString: case Item.String: case Item.Variable: case Item.LeftParen:
          this.backup()
          pipe.cmds.push(this.command())
          break
        default:
          this.unexpected(it, context)
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`)
    for (let i = 1; i < pipe.cmds.length; i++) {
      switch (pipe.cmds[i]!.args[0]!.type) {
        case NodeType.Bool: case NodeType.Dot: case NodeType.Nil: case NodeType.Number:
        case NodeType.String:
          this.errorf(`non executable command in pipeline stage ${i + 1}`)
      }
    }
  }

  /** command := operand (space operand)*
   *  Ends at '|' (consumed) or a right delimiter or paren (left pending). */
  private command(): CommandNode {
    const cmd = new CommandNode(this.peekNonSpace().pos, this)
    for (;;) {
      this.peekNonSpace()
      const operand = this.operand()
      if (operand !== null) cmd.args.push(operand)
      const it = this.next()
      if (it.kind === Item.Space) continue
      if (it.kind === Item.RightDelim || it.kind === Item.RightParen) this.backup()
      else if (it.kind !== Item.Pipe) this.unexpected(it, 'operand')
      break
    }
    if (cmd.args.length === 0) this.errorf('empty command')
    return cmd
  }

  /** operand := term ('.' Field)* */
  private operand(): Node | null {
    const node = this.term()
    if (node === null) return null
    if (this.peek().kind !== Item.Field) return node
    const chain = new ChainNode(this.peek().pos, this, node)
    while (this.peek().kind === Item.Field) chain.add(this.next().val)
    // Fields on a field or variable extend it, as Go's API expects.
    switch (node.type) {
      case NodeType.Field:
        return new FieldNode(chain.pos, this, chain.toString())
      case NodeType.Variable:
        return new VariableNode(chain.pos, this, chain.toString())
      case NodeType.Bool: case NodeType.String: case NodeType.Number: case NodeType.Nil:
      case NodeType.Dot:
        this.errorf(`unexpected . after term ${quoteGo(node.toString())}`)
    }
    return chain
  }

  /** term := literal | function | '.' | .Field | $var | '(' pipeline ')'
   *  Returns null when the next item is not a term. */
  private term(): Node | null {
    const it = this.nextNonSpace()
    switch (it.kind) {
      case Item.Identifier:
        if (!this.hasFunction(it.val)) this.errorf(`function ${quoteGo(it.val)} not defined`)
        this.calls.push({ name: it.val, pos: it.pos })
        return new IdentifierNode(it.pos, this, it.val)
      case Item.Dot: return new DotNode(it.pos, this)
      case Item.Nil: return new NilNode(it.pos, this)
      case Item.Variable: return this.useVar(it)
      case Item.Field: return new FieldNode(it.pos, this, it.val)
      case Item.Bool: return new BoolNode(it.pos, this, it.val === 'true')
      case Item.CharConstant: case Item.Complex: case Item.Number:
        return this.number(it)
      case Item.LeftParen:
        return this.pipeline('parenthesized pipeline', Item.RightParen)
      case Item.String: case Item.RawString:
        return new StringNode(it.pos, this, it.val, this.unquoteOrFail(it.val))
    }
    this.backup()
    return null
  }

  private number(it: LexItem): NumberNode {
    try {
      const { value, overflow } = numberValue(it.val, it.kind === Item.CharConstant,
        it.kind === Item.Complex)
      return new NumberNode(it.pos, this, it.val, value, overflow)
    } catch (e) {
      if (e instanceof QuoteSyntaxError) this.errorf(e.message)
      throw e
    }
  }

  private useVar(it: LexItem): VariableNode {
    const v = new VariableNode(it.pos, this, it.val)
    if (!this.st.vars.includes(v.ident[0]!)) {
      this.errorf(`undefined variable ${quoteGo(v.ident[0]!)}`)
    }
    return v
  }
}

/** Parses text into its trees; throws TemplateError with Go's message. */
export function parseTemplates(input: ParseInput): ParseResult {
  const p = new Parser(input)
  p.parse()
  return { trees: p.trees, calls: p.calls }
}
