/**
 * Command-line flags parsed the way Go's `flag` package does: `-name value`,
 * `-name=value`, `--name=value`, boolean flags without a value (`-once`,
 * `-once=false`), parsing stops at the first non-flag argument or at `--`.
 * Repeatable flags collect every occurrence in order.
 */

export type FlagKind = 'bool' | 'string' | 'list'

export interface FlagDef {
  kind: FlagKind
  usage: string
}

export interface ParsedFlags {
  /** The last value of each flag that was given (bool flags: "true"/"false"). */
  values: Map<string, string>
  /** Every value of each repeatable flag, in order. */
  lists: Map<string, string[]>
  /** Arguments after the flags. */
  rest: string[]
}

/** A flag-parsing error with Go's wording; exit code 13 in the daemon. */
export class FlagError extends Error {
  override name = 'FlagError'
}

const boolWords = new Map([
  ['1', true], ['t', true], ['T', true], ['true', true], ['TRUE', true], ['True', true],
  ['0', false], ['f', false], ['F', false], ['false', false], ['FALSE', false],
  ['False', false],
])

/** Parses args against the definitions; throws FlagError as Go's flag
 * package would word it. `-h`/`-help` throw a FlagError with message "help". */
export function parseFlags(args: string[], defs: Record<string, FlagDef>): ParsedFlags {
  const values = new Map<string, string>()
  const lists = new Map<string, string[]>()
  let i = 0
  for (; i < args.length; i++) {
    const arg = args[i]!
    if (arg.length < 2 || arg[0] !== '-') break
    let numMinuses = 1
    if (arg[1] === '-') {
      numMinuses = 2
      if (arg.length === 2) { i++; break } // "--" ends the flags
    }
    let name = arg.slice(numMinuses)
    if (name.length === 0 || name[0] === '-' || name[0] === '=') {
      throw new FlagError(`bad flag syntax: ${arg}`)
    }
    let value: string | undefined
    const eq = name.indexOf('=')
    if (eq > 0) {
      value = name.slice(eq + 1)
      name = name.slice(0, eq)
    }
    const def = Object.hasOwn(defs, name) ? defs[name] : undefined
    if (!def) {
      if (name === 'help' || name === 'h') throw new FlagError('help')
      throw new FlagError(`flag provided but not defined: -${name}`)
    }
    if (def.kind === 'bool') {
      if (value === undefined) value = 'true'
      const b = boolWords.get(value)
      if (b === undefined) {
        throw new FlagError(`invalid boolean value "${value}" for -${name}: parse error`)
      }
      values.set(name, String(b))
      continue
    }
    if (value === undefined) {
      if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: -${name}`)
      value = args[++i]!
    }
    values.set(name, value)
    if (def.kind === 'list') {
      const list = lists.get(name) ?? []
      list.push(value)
      lists.set(name, list)
    }
  }
  return { values, lists, rest: args.slice(i) }
}

/** Formats the flag list the way `flag.PrintDefaults` does. */
export function usageText(defs: Record<string, FlagDef>): string {
  const lines: string[] = []
  for (const name of Object.keys(defs).sort()) {
    const def = defs[name]!
    const arg = def.kind === 'bool' ? '' : ' value'
    lines.push(`  -${name}${arg}\n    \t${def.usage.replace(/\n/g, '\n    \t')}`)
  }
  return lines.join('\n') + '\n'
}
