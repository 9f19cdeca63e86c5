/**
 * A scripted Dependency for view and watcher tests: each fetch takes the
 * next step (a result or an error); with no steps left it blocks until the
 * view aborts it, like a long-poll on an idle catalog.
 */
import type {
  Dependency, DependencyKind, FetchContext, FetchOptions, FetchResult,
} from '../../src/dependency/index.ts'

/** One scripted answer. */
export type Step =
  | { data: unknown; index: number; lastContactMs?: number; blockOnNil?: boolean;
      delayMs?: number }
  | { error: Error; delayMs?: number }

/** What one fetch was asked. */
export interface SeenFetch { index: number; allowStale: boolean; waitMs: number; at: number }

/** The scripted dependency. */
export class ScriptedDependency implements Dependency {
  readonly seen: SeenFetch[] = []
  #wake: (() => void) | undefined

  constructor(readonly key: string, public steps: Step[] = [],
    readonly kind: DependencyKind = 'consul') {}

  /** Adds steps and wakes a fetch waiting for one. */
  push(...steps: Step[]): void {
    this.steps.push(...steps)
    this.#wake?.()
  }

  /** Takes the next step, or waits for one until aborted. */
  async fetch(_ctx: FetchContext, opts: FetchOptions): Promise<FetchResult<unknown>> {
    this.seen.push({ index: opts.index, allowStale: opts.allowStale, waitMs: opts.waitMs,
      at: performance.now() })
    while (this.steps.length === 0) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
        if (opts.signal.aborted) return onAbort()
        opts.signal.addEventListener('abort', onAbort, { once: true })
        this.#wake = () => {
          opts.signal.removeEventListener('abort', onAbort)
          resolve()
        }
      })
    }
    const step = this.steps.shift()!
    if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs))
    if ('error' in step) throw step.error
    return { data: step.data, index: step.index, lastContactMs: step.lastContactMs ?? 0,
      blockOnNil: step.blockOnNil }
  }
}

/** Resolves when cond() holds, polling every 5 ms (fails after ms). */
export async function until(cond: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}
