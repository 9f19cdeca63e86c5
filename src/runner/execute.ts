/**
 * Executing one template: the function map a template sees (Go built-ins,
 * consul-template's helpers, Sprig under `sprig_`, the Consul functions)
 * and one pass that records which dependencies it used and lacked.
 *
 * The map is built once per template; what changes per execution (the
 * recorder, the scratch store) is read through a holder at call time, so
 * a render allocates no function map.
 */
import type { TemplateConfig } from '../config/types.ts'
import type { Dependency } from '../dependency/index.ts'
import { consulFuncs } from '../functions/consul.ts'
import { applyDenylist, checkDenylist, helperFuncs } from '../functions/index.ts'
import { Scratch } from '../functions/scratch.ts'
import { sprigFuncs } from '../functions/sprig/index.ts'
import { defineFunc, type FuncMap } from '../template/func.ts'
import type { Template } from '../template/index.ts'
import type { Recorder } from '../watch/index.ts'

/** What one execution reports. */
export interface ExecuteResult {
  output?: string
  error?: Error
  used: Dependency[]
  missing: string[]
}

/** The per-execution state the function map reads. */
export class FuncBinding {
  recorder: Recorder | undefined
  scratch = new Scratch()
  template: Template | undefined
  readonly funcs: FuncMap

  constructor(config: TemplateConfig) {
    const sandboxPath = config.sandboxPath || undefined
    const missingKey = config.errorOnMissingKey ? 'error' as const : 'zero' as const
    const funcs: FuncMap = {
      ...sprigFuncs(),
      ...helperFuncs({
        sandboxPath,
        template: () => this.template && {
          executeTemplate: (name: string, data: unknown) =>
            this.template!.executeTemplate(name, data, { funcs: this.funcs, missingKey }),
        },
      }),
      ...consulFuncs(() => this.#recorder(), { sandboxPath }),
      scratch: defineFunc(() => this.scratch, 0),
    }
    this.funcs = config.functionDenylist.length > 0
      ? applyDenylist(funcs, config.functionDenylist) : funcs
  }

  #recorder(): Recorder {
    if (!this.recorder) throw new Error('no render in progress')
    return this.recorder
  }
}

/** Rejects a parsed template that calls a function the configuration
 * denies, naming the function and where it is called. */
export function enforceDenylist(tpl: Template, config: TemplateConfig): void {
  checkDenylist(tpl, config.functionDenylist)
}

/** Executes a template once against the store behind `recorder`. */
export function executeWith(
  tpl: Template, binding: FuncBinding, recorder: Recorder, config: TemplateConfig,
): ExecuteResult {
  binding.recorder = recorder
  binding.scratch = new Scratch()
  binding.template = tpl
  const result: ExecuteResult = { used: [], missing: [] }
  try {
    result.output = tpl.execute(null, {
      funcs: binding.funcs,
      missingKey: config.errorOnMissingKey ? 'error' : 'zero',
    })
  } catch (err) {
    result.error = err instanceof Error ? err : new Error(String(err))
  } finally {
    binding.recorder = undefined
  }
  result.used = [...recorder.used.values()]
  result.missing = [...recorder.missing.keys()]
  return result
}
