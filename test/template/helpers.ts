/**
 * Helpers shared by the template tests: Go JSON values and a runner that
 * returns either the output or the error message.
 */
import { GoFloat, Template, defineFunc } from '../../src/template/index.ts'
import type { ExecuteOptions, FuncMap, ParseOptions } from '../../src/template/index.ts'

/** Converts parsed JSON into Go's json.Unmarshal values (float64, maps). */
export function goJSON(v: unknown): unknown {
  if (typeof v === 'number') return new GoFloat(v)
  if (Array.isArray(v)) return v.map(goJSON)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = Object.create(null)
    for (const [k, x] of Object.entries(v)) out[k] = goJSON(x)
    return out
  }
  return v
}

/** consul-template's parseJSON, enough for the reference cases. */
export const parseJSON = defineFunc((s: string) => goJSON(JSON.parse(s)), 1)

/** The outcome of a render: output or error text. */
export interface Outcome {
  out?: string
  err?: string
}

/** Parses and executes, returning the output or the TemplateError message. */
export function render(src: string, data: unknown, opts: ParseOptions & ExecuteOptions = {},
  name = 't'): Outcome {
  try {
    const t = Template.parse(name, src, opts)
    return { out: t.execute(data, opts) }
  } catch (e) {
    if (e instanceof Error && e.name === 'TemplateError') return { err: e.message }
    throw e
  }
}

/** Functions the reference cases may call besides the built-ins. */
export const referenceFuncs: FuncMap = { parseJSON }
