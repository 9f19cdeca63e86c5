/**
 * The `exec {}` block (and the `env {}` block a template's exec may hold):
 * defaults and the finalize step.
 */
import type { ConfigProblem } from './ast.ts'
import type { ExecConfig, ExecEnvConfig, PartialConfig } from './types.ts'

/** consul-template's exec defaults. */
export const execDefaults = {
  splayMs: 0, killSignal: 'SIGINT' as const, killTimeoutMs: 30_000, timeoutMs: 0,
}

/** Fills an environment block; lists default to empty. */
export function finalizeEnv(e: Partial<ExecEnvConfig> | undefined): ExecEnvConfig {
  return {
    pristine: e?.pristine ?? false,
    custom: [...(e?.custom ?? [])],
    allowlist: [...(e?.allowlist ?? [])],
    denylist: [...(e?.denylist ?? [])],
  }
}

/** Fills the exec block; an enabled exec needs a command. */
export function finalizeExec(c: PartialConfig, problems: ConfigProblem[]): ExecConfig {
  const e = c.exec ?? {}
  const d = execDefaults
  const enabled = e.enabled ?? e.command !== undefined
  if (e.enabled === true && e.command === undefined) {
    problems.push({ keyPath: 'exec.command', at: c.positions['exec.enabled'] ??
      c.positions.exec, message: 'exec is enabled but has no command' })
  }
  return {
    enabled,
    command: e.command,
    splayMs: e.splayMs ?? d.splayMs,
    reloadSignal: e.reloadSignal ?? null,
    killSignal: e.killSignal ?? d.killSignal,
    killTimeoutMs: e.killTimeoutMs ?? d.killTimeoutMs,
    timeoutMs: e.timeoutMs ?? d.timeoutMs,
    env: finalizeEnv(e.env),
  }
}
