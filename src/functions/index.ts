/**
 * The helper function library: everything consul-template offers a
 * template except the Consul-backed functions, `file` and Sprig, which
 * come from consul.ts and sprig/. The runner merges the three maps.
 */
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asString } from './args.ts'
import { collectionFuncs } from './collections.ts'
import { encodingFuncs } from './encoding.ts'
import { envFuncs } from './env.ts'
import type { TemplateEnv } from './env.ts'
import { fileFuncs } from './files.ts'
import type { WriteRequest } from './files.ts'
import { mathFuncs } from './math.ts'
import { parseFuncs } from './parse.ts'
import { pluginFuncs } from './plugin.ts'
import { regexFuncs } from './regex.ts'
import { Scratch, scratchFuncs } from './scratch.ts'
import { sockaddrFuncs } from './sockaddr.ts'
import { stringFuncs } from './strings.ts'
import { timeFuncs } from './time.ts'

export { checkDenylist, applyDenylist, DeniedFunctionError } from './denylist.ts'
export type { CallSite, CallLister } from './denylist.ts'
export type { WriteRequest } from './files.ts'
export type { TemplateEnv } from './env.ts'

/** What executeTemplate needs from the template being rendered. The
 * runner binds it to the render's own function map and missingkey option
 * (for example `(n, d) => tpl.executeTemplate(n, d, { funcs, missingKey })`)
 * so a nested template sees the same scratch and Consul functions. */
export interface TemplateRunner {
  executeTemplate(name: string, data: unknown): string
}

/** Per-render inputs of the helpers. */
export interface HelperContext {
  /** The template being rendered, for executeTemplate (read at call time,
   * since the map is built before the template is parsed). */
  template?: () => TemplateRunner | undefined
  /** sandbox_path: writeToFile stays inside it. */
  sandboxPath?: string
  /** Variables env/mustEnv/envOrDefault see before the process's. */
  env?: TemplateEnv
  /** Replaces writeToFile's real write (for -dry or to record writes). */
  writeToFile?: (req: WriteRequest) => void
  /** The clock timestamp reads. */
  now?: () => Date
  /** How long plugin may run (30 s by default, as the reference). */
  pluginTimeoutMs?: number
  /** The scratch store; a new one per render when not given. */
  scratch?: Scratch
}

function executeTemplateFunc(ctx: HelperContext) {
  return defineFunc((name: unknown, ...data: unknown[]) => {
    const tplName = asString(name)
    if (data.length > 1) {
      throw new Error('executeTemplate: wrong number of arguments, expected 1 or 2, ' +
        `but got ${data.length + 1}`)
    }
    const tpl = ctx.template?.()
    if (tpl === undefined) throw new Error('executeTemplate: no template is being rendered')
    // With no argument Go's dot is a nil interface, which prints <no value>.
    return tpl.executeTemplate(tplName, data.length === 0 ? undefined : data[0])
  }, 2, true)
}

/** Returns every helper function for one render. */
export function helperFuncs(ctx: HelperContext = {}): FuncMap {
  return {
    ...stringFuncs(),
    ...parseFuncs(),
    ...encodingFuncs(),
    ...regexFuncs(),
    ...mathFuncs(),
    ...collectionFuncs(),
    ...scratchFuncs(ctx.scratch),
    ...envFuncs(ctx.env),
    ...timeFuncs(ctx.now),
    ...fileFuncs(ctx.sandboxPath, ctx.writeToFile),
    ...pluginFuncs(ctx.pluginTimeoutMs),
    ...sockaddrFuncs(),
    executeTemplate: executeTemplateFunc(ctx),
  }
}

/** Returns the names of every helper function, sorted. */
export function allFuncNames(): string[] {
  return Object.keys(helperFuncs()).sort()
}
