/**
 * A View runs one dependency's query loop: consul-template's algorithm,
 * step for step, because it decides how much load Consul sees.
 *
 * Each fetch round loops on the dependency until it has new data:
 * - block on the last index with `wait`, `stale` allowed when max_stale > 0;
 * - an answer whose LastContact exceeds max_stale is asked again at once
 *   without stale;
 * - with err_on_failed_lookup, a second answer with no data ever received
 *   fails the view (no retries);
 * - loops that come back sooner than 100 ms after their request began
 *   sleep out the rest plus 0–20 ms of jitter (not the first of a round);
 * - the same index means nothing changed; a lower index resets to 0 (the
 *   next query does not block); contents deep-equal to the last delivery
 *   are not delivered; null data of a blockOnNil dependency (`key` on a
 *   missing key) keeps polling.
 * Errors are retried per the retry policy (a successful answer resets the
 * count); past it, or with no policy, the error is fatal. Once-mode views
 * end after their first delivery.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { isDeepStrictEqual } from 'node:util'
import { DependencyError, isAbortError } from '../dependency/index.ts'
import type { Dependency, FetchContext } from '../dependency/index.ts'
import type { Logger } from '../shared/logger.ts'
import { goDuration } from './retry.ts'
import type { RetryFn } from './retry.ts'

/** Loop timings; tests shorten them. */
export interface ViewTimings {
  minDelayMs: number // shortest spacing of loops without news (100 ms)
  jitterMs: number // extra random spacing (0–20 ms)
}

/** The reference's timings. */
export const defaultViewTimings: ViewTimings = { minDelayMs: 100, jitterMs: 20 }

/** Everything a View needs. */
export interface ViewInput {
  dependency: Dependency
  context: FetchContext
  blockQueryWaitMs: number
  maxStaleMs: number
  once: boolean
  errOnFailedLookup: boolean
  /** undefined: every error is fatal at once (local dependencies). */
  retry: RetryFn | undefined
  logger: Logger
  timings?: Partial<ViewTimings>
  random?: () => number
  /** New data was stored in `view.data`. */
  onData(view: View): void
  /** An error: `fatal` false while retries remain (Consul is surfaced but
   * not fatal), true when the view gave up and stopped. */
  onError(view: View, err: Error, fatal: boolean): void
}

/** One dependency's long-poll loop and its latest data. */
export class View {
  readonly dependency: Dependency
  /** Latest delivered data (undefined before the first delivery). */
  data: unknown = undefined
  receivedData = false
  lastIndex = 0

  readonly #in: ViewInput
  readonly #timings: ViewTimings
  readonly #ac = new AbortController()
  readonly #state: Record<string, unknown> = {}
  #running: Promise<void> | undefined

  constructor(input: ViewInput) {
    this.dependency = input.dependency
    this.#in = input
    this.#timings = { ...defaultViewTimings, ...input.timings }
  }

  /** The dependency's canonical key. */
  get key(): string {
    return this.dependency.key
  }

  /** Whether stop() was called. */
  get stopped(): boolean {
    return this.#ac.signal.aborted
  }

  /** Starts polling; returns at once. */
  start(): void {
    this.#running ??= this.#poll().catch((err: unknown) => {
      // Only a bug lands here; report it rather than lose it.
      this.#in.onError(this, err as Error, true)
    })
  }

  /** Stops polling and aborts the query in flight; nothing is delivered
   * after this returns. Resolves when the loop has ended. */
  stop(): Promise<void> {
    this.#ac.abort()
    return this.#running ?? Promise.resolve()
  }

  async #poll(): Promise<void> {
    const log = this.#in.logger
    let retries = 0
    while (!this.stopped) {
      try {
        await this.#fetch(() => {
          if (retries !== 0) log.trace(`${this.key} successful contact, resetting retries`)
          retries = 0
        })
      } catch (err) {
        if (this.stopped || isAbortError(err)) return
        const e = err as Error
        const lookup = e instanceof DependencyError && e.code === 'EDEP_LOOKUP'
        if (!lookup && this.#in.retry) {
          const { retry, sleepMs } = this.#in.retry(retries)
          this.#in.onError(this, e, false)
          // After a failure, ask once without blocking: a restarted agent
          // (or a restored snapshot) counts from a lower index, and a query
          // blocking at the old one would wait out block_query_wait before
          // the change shows. The reference keeps the index; unchanged data
          // is still suppressed by the deep-equal check.
          this.lastIndex = 0
          if (retry) {
            log.warn(`${e.message} (retry attempt ${retries + 1} after "${goDuration(sleepMs)}")`)
            if (!(await this.#sleep(sleepMs))) return
            retries++
            continue
          }
          log.error(`${e.message} (exceeded maximum retries)`)
        }
        if (!this.stopped) this.#in.onError(this, e, true)
        return
      }
      if (this.stopped) return
      retries = 0
      log.trace(`${this.key} received data`)
      this.#in.onData(this)
      // In once mode one delivery is the whole promise.
      if (this.#in.once) return
    }
  }

  /** One round: queries until there is new data, then stores it. */
  async #fetch(onContact: () => void): Promise<void> {
    const { dependency, context, maxStaleMs, logger: log } = this.#in
    log.trace(`${this.key} starting fetch`)
    let allowStale = maxStaleMs !== 0
    let firstLoop = true
    for (;;) {
      if (this.stopped) return
      const started = performance.now()
      const res = await dependency.fetch(context, {
        index: this.lastIndex, waitMs: this.#in.blockQueryWaitMs, allowStale,
        signal: this.#ac.signal, state: this.#state,
      })
      log.trace(`${this.key} marking successful data response`)
      onContact()

      if (allowStale && res.lastContactMs > maxStaleMs) {
        allowStale = false
        log.trace(`${this.key} stale data (last contact exceeded max_stale)`)
        continue
      }
      allowStale = maxStaleMs !== 0

      if (this.#in.errOnFailedLookup && !firstLoop && !this.receivedData) {
        throw new DependencyError(`${this.key}: lookup error: no data received`,
          'EDEP_LOOKUP', this.key)
      }

      if (!firstLoop) {
        const remaining = this.#timings.minDelayMs - (performance.now() - started)
        if (remaining > 0) {
          const jitter = (this.#in.random ?? Math.random)() * this.#timings.jitterMs
          if (!(await this.#sleep(remaining + jitter))) return
        }
      }
      firstLoop = false

      if (res.index === this.lastIndex) {
        log.trace(`${this.key} no new data (index was the same)`)
        continue
      }
      if (res.index < this.lastIndex) {
        log.trace(`${this.key} had a lower index, resetting`)
        this.lastIndex = 0
        continue
      }
      this.lastIndex = res.index
      if (this.receivedData && isDeepStrictEqual(res.data, this.data)) {
        log.trace(`${this.key} no new data (contents were the same)`)
        continue
      }
      if (res.data === null && res.blockOnNil) {
        log.trace(`${this.key} asked for blocking query`)
        continue
      }
      this.data = res.data
      this.receivedData = true
      return
    }
  }

  /** Sleeps unless stopped; false when the view was stopped. */
  async #sleep(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.#ac.signal })
      return true
    } catch {
      return false
    }
  }
}
