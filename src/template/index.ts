/**
 * ctmpl's Go text/template engine: parse once, execute many times.
 *
 *   const t = Template.parse('web', '{{range .}}{{.Name}}{{end}}')
 *   t.execute(services, { missingKey: 'zero' })
 *
 * Errors are TemplateError with Go's exact message text. consul-template
 * executes with missingkey=zero (or error with error_on_missing_key); Go's
 * own default, 'default', is this engine's default too.
 */
import { TemplateError, lineAndColumn } from './errors.ts'
import { executeTree } from './exec.ts'
import type { MissingKey } from './exec.ts'
import { parseTemplates } from './parse.ts'
import type { Tree } from './parse.ts'
import { builtinNames } from './builtins.ts'
import type { FuncMap } from './func.ts'
import { quoteGo } from './quote.ts'

export { TemplateError } from './errors.ts'
export type { TemplateWhere } from './errors.ts'
export type { MissingKey } from './exec.ts'
export { defineFunc } from './func.ts'
export type { FuncMap, GoFunc, GoArity } from './func.ts'
export * from './value.ts'
export { sprint, sprintf, sprintln, formatValue } from './fmt.ts'

/** Options for Template.parse. */
export interface ParseOptions {
  leftDelim?: string
  rightDelim?: string
  funcs?: FuncMap
}

/** Options for Template.execute. */
export interface ExecuteOptions {
  funcs?: FuncMap
  missingKey?: MissingKey
}

/** A function call site in a template. */
export interface FunctionCall {
  name: string
  line: number
  col: number
}

/** A parsed template and the templates it defines; immutable after parse. */
export class Template {
  readonly name: string
  private readonly trees: ReadonlyMap<string, Tree>
  private readonly funcs: FuncMap
  private readonly calls: { name: string; pos: number }[]
  private readonly text: string

  private constructor(name: string, text: string, trees: Map<string, Tree>, funcs: FuncMap,
    calls: { name: string; pos: number }[]) {
    this.name = name
    this.text = text
    this.trees = trees
    this.funcs = funcs
    this.calls = calls
  }

  /** Parses text as template `name`; throws TemplateError with Go's message. */
  static parse(name: string, text: string, opts: ParseOptions = {}): Template {
    const funcs = opts.funcs ?? {}
    const { trees, calls } = parseTemplates({
      name,
      text,
      leftDelim: opts.leftDelim ?? '',
      rightDelim: opts.rightDelim ?? '',
      hasFunction: (n) => builtinNames.has(n) ||
        (Object.hasOwn(funcs, n) && typeof funcs[n] === 'function'),
    })
    return new Template(name, text, trees, funcs, calls)
  }

  /** Renders the template against data; throws TemplateError on Go errors. */
  execute(data: unknown, opts: ExecuteOptions = {}): string {
    return this.executeTemplate(this.name, data, opts)
  }

  /** Renders the named template (defined in this text) against data. */
  executeTemplate(name: string, data: unknown, opts: ExecuteOptions = {}): string {
    const tree = this.trees.get(name)
    if (tree === undefined) {
      const msg = name === this.name
        ? `template: ${name}: ${quoteGo(name)} is an incomplete or empty template`
        : `template: no template ${quoteGo(name)} associated with template ${quoteGo(this.name)}`
      throw new TemplateError(msg, 'ETPL_EXEC', { name, line: 0 })
    }
    return executeTree({
      trees: this.trees,
      funcs: opts.funcs ?? this.funcs,
      parseFuncs: this.funcs,
      missingKey: opts.missingKey ?? 'default',
    }, tree, data)
  }

  /** Reports whether the text defines a template of that name. */
  hasTemplate(name: string): boolean {
    return this.trees.has(name)
  }

  /** Returns the names of the templates the text defines, sorted. */
  templateNames(): string[] {
    return [...this.trees.keys()].sort()
  }

  /** Returns every function call in the text, with its line and byte column. */
  calledFunctions(): FunctionCall[] {
    return this.calls.map(({ name, pos }) => ({ name, ...lineAndColumn(this.text, pos) }))
  }
}
