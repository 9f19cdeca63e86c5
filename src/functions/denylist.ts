/**
 * `function_denylist`. ctmpl refuses a template that calls a denied
 * function when it is parsed, naming the function and where it is called;
 * the reference instead swaps the function for one that fails when it
 * runs ("function is disabled"), which `applyDenylist` also does so that
 * a call reaching the executor by another route fails the same way.
 */
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'

/** One call site of a function in a parsed template. */
export interface CallSite {
  name: string
  line: number
  col: number
}

/** What `checkDenylist` needs from a parsed template. */
export interface CallLister {
  readonly name?: string
  calledFunctions(): readonly CallSite[]
}

/** Raised when a template calls a denied function. */
export class DeniedFunctionError extends Error {
  readonly code = 'EDENIED'

  constructor(msg: string, readonly site: CallSite) {
    super(msg)
  }
}
DeniedFunctionError.prototype.name = 'DeniedFunctionError'

/** Reports whether name matches a denylist pattern, where `*` stands for
 * any run of characters (as the reference's glob does: `sprig_*`). */
export function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name
  const parts = pattern.split('*')
  if (!name.startsWith(parts[0]!)) return false
  let at = parts[0]!.length
  for (let i = 1; i < parts.length - 1; i++) {
    const found = name.indexOf(parts[i]!, at)
    if (found < 0) return false
    at = found + parts[i]!.length
  }
  const last = parts[parts.length - 1]!
  return name.length - at >= last.length && name.endsWith(last)
}

/** Throws a DeniedFunctionError for the first call (in source order) of a
 * function the denylist names. */
export function checkDenylist(tpl: CallLister, denylist: readonly string[]): void {
  if (denylist.length === 0) return
  const sites = [...tpl.calledFunctions()].sort((a, b) => a.line - b.line || a.col - b.col)
  for (const site of sites) {
    const pattern = denylist.find((p) => globMatch(p, site.name))
    if (pattern === undefined) continue
    const where = `${tpl.name ?? ''}:${site.line}:${site.col}`
    const via = pattern === site.name ? '' : ` (pattern "${pattern}")`
    throw new DeniedFunctionError(
      `template: ${where}: function "${site.name}" is denied by function_denylist${via}`, site)
  }
}

/** Returns funcs with every denied function replaced by one that fails
 * with the reference's message when called. */
export function applyDenylist(funcs: FuncMap, denylist: readonly string[]): FuncMap {
  const out: FuncMap = { ...funcs }
  for (const name of Object.keys(out)) {
    if (!denylist.some((p) => globMatch(p, name))) continue
    out[name] = defineFunc((..._args: unknown[]) => {
      throw new Error('function is disabled')
    }, 1, true)
  }
  return out
}
