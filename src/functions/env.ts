/**
 * Environment helpers. A template's own environment (the `env` the runner
 * passes, as `KEY=VALUE` strings or a record) wins over the process's.
 */
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asString } from './args.ts'

/** Extra variables a template sees before the process environment. */
export type TemplateEnv = readonly string[] | Readonly<Record<string, string>>

function lookupOwn(env: TemplateEnv | undefined, key: string): string | undefined {
  if (env === undefined) return undefined
  if (Array.isArray(env)) {
    for (const e of env as readonly string[]) {
      const at = e.indexOf('=')
      const k = at < 0 ? e : e.slice(0, at)
      if (k === key) return at < 0 ? '' : e.slice(at + 1)
    }
    return undefined
  }
  const rec = env as Readonly<Record<string, string>>
  return Object.hasOwn(rec, key) ? rec[key] : undefined
}

/** Returns env, mustEnv and envOrDefault reading `env` then `process.env`. */
export function envFuncs(env?: TemplateEnv,
  processEnv: NodeJS.ProcessEnv = process.env): FuncMap {
  return {
    env: defineFunc((k: unknown) => {
      const key = asString(k)
      return lookupOwn(env, key) ?? processEnv[key] ?? ''
    }, 1),
    mustEnv: defineFunc((k: unknown) => {
      const key = asString(k)
      let v = lookupOwn(env, key) ?? ''
      if (v === '') v = processEnv[key] ?? ''
      if (v === '') throw new Error(`required environment variable ${key} is empty`)
      return v
    }, 1),
    envOrDefault: defineFunc((k: unknown, def: unknown) => {
      const key = asString(k)
      const fallback = asString(def)
      return lookupOwn(env, key) ?? processEnv[key] ?? fallback
    }, 2),
  }
}
