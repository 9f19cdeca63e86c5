/** Quiescence timers (`wait`): max defaults to 4 × min, min ≤ max. */
import type { ConfigProblem } from './ast.ts'
import type { Position, WaitConfig } from './types.ts'

/** Wait: max defaults to 4 × min; min must not exceed max. */
export function finalizeWait(w: Partial<WaitConfig> | undefined, keyPath: string,
  at: Position | undefined, problems: ConfigProblem[]): WaitConfig {
  const minMs = w?.minMs ?? 0
  const maxMs = w?.maxMs ?? minMs * 4
  if (minMs > maxMs) {
    problems.push({ keyPath, at, message: 'min must be less than or equal to max' })
  }
  return { minMs, maxMs }
}
