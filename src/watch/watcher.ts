/**
 * The Watcher owns one View per distinct dependency key: ten templates
 * asking for `service "web"` share one long-poll. Delivered data goes into
 * the Store before `onData` is called; a removed view's data is forgotten,
 * and nothing a stopped view fetched is ever delivered.
 */
import { defaultTimings } from '../dependency/index.ts'
import type { Dependency, FetchContext } from '../dependency/index.ts'
import type { Logger } from '../shared/logger.ts'
import { defaultRetry, retryFunc } from './retry.ts'
import type { RetryOptions } from './retry.ts'
import { Store } from './store.ts'
import { View } from './view.ts'
import type { ViewTimings } from './view.ts'

/** Options of a Watcher (durations in ms). */
export interface WatcherInput {
  /** The Consul client and fetch timings shared by every view. */
  context: FetchContext
  logger: Logger
  store?: Store
  blockQueryWaitMs?: number // default 60 s
  maxStaleMs?: number // default 2 s; 0 = never stale
  once?: boolean
  errOnFailedLookup?: boolean
  retry?: RetryOptions // for Consul dependencies; default 12 × 250 ms..1 min
  timings?: Partial<ViewTimings>
  /** A view delivered new data for `dep` (already in the store). */
  onData?(dep: Dependency, data: unknown): void
  /** A view gave up: the daemon should exit with this error. */
  onError?(err: Error, dep: Dependency): void
  /** A failure that will be retried (the reference's server error). */
  onServerError?(err: Error, dep: Dependency): void
}

/** Watcher defaults. */
export const watcherDefaults = {
  blockQueryWaitMs: 60_000,
  maxStaleMs: 2_000,
} as const

/** Owns the views. */
export class Watcher {
  readonly store: Store
  readonly #in: WatcherInput
  readonly #views = new Map<string, View>()
  readonly #log: Logger
  readonly #viewLog: Logger
  #stopped = false

  constructor(input: WatcherInput) {
    for (const name of ['blockQueryWaitMs', 'maxStaleMs'] as const) {
      const v = input[name]
      if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
        throw new Error(`watcher: ${name} must be a non-negative number, got ${v}`)
      }
    }
    this.#in = input
    this.store = input.store ?? new Store()
    this.#log = input.logger.child({ component: 'watcher' })
    this.#viewLog = input.logger.child({ component: 'view' })
  }

  /** Starts a view for dep unless one exists; true when it started one. */
  add(dep: Dependency): boolean {
    if (this.#stopped) {
      this.#log.trace(`did not add ${dep.key} because watcher is stopped`)
      return false
    }
    if (this.#views.has(dep.key)) {
      this.#log.trace(`${dep.key} already exists, skipping`)
      return false
    }
    this.#log.debug(`adding ${dep.key}`)
    const retry = dep.kind === 'consul'
      ? retryFunc(this.#in.retry ?? defaultRetry) : undefined
    const view = new View({
      dependency: dep,
      context: this.#in.context,
      blockQueryWaitMs: this.#in.blockQueryWaitMs ?? watcherDefaults.blockQueryWaitMs,
      maxStaleMs: this.#in.maxStaleMs ?? watcherDefaults.maxStaleMs,
      once: this.#in.once ?? false,
      errOnFailedLookup: this.#in.errOnFailedLookup ?? false,
      retry,
      logger: this.#viewLog,
      timings: this.#in.timings,
      onData: (v) => this.#deliver(v),
      onError: (v, err, fatal) => this.#failed(v, err, fatal),
    })
    this.#views.set(dep.key, view)
    view.start()
    return true
  }

  /** Stops and drops the view for a key (or dependency); its data is
   * forgotten. False when there was none. */
  remove(dep: Dependency | string): boolean {
    const key = typeof dep === 'string' ? dep : dep.key
    const view = this.#views.get(key)
    if (!view) {
      this.#log.trace(`${key} did not exist, skipping`)
      return false
    }
    this.#log.debug(`removing ${key}`)
    this.#views.delete(key)
    void view.stop()
    this.store.forget(key)
    return true
  }

  /** Removes every view whose key is not in `keep`; returns the removed. */
  retain(keep: ReadonlySet<string> | ReadonlyMap<string, unknown>): string[] {
    const removed: string[] = []
    for (const key of [...this.#views.keys()]) {
      if (!keep.has(key)) {
        this.remove(key)
        removed.push(key)
      }
    }
    return removed
  }

  /** Whether a view runs for the key (or dependency). */
  watching(dep: Dependency | string): boolean {
    return this.#views.has(typeof dep === 'string' ? dep : dep.key)
  }

  /** The view for a key, if any. */
  view(key: string): View | undefined {
    return this.#views.get(key)
  }

  /** Number of views. */
  get size(): number {
    return this.#views.size
  }

  /** Keys of the running views. */
  keys(): string[] {
    return [...this.#views.keys()]
  }

  /** Stops every view (aborting their queries); resolves when all loops
   * ended. The watcher accepts no new dependency afterwards. */
  async stop(): Promise<void> {
    this.#log.debug('stopping all views')
    this.#stopped = true
    const views = [...this.#views.values()]
    this.#views.clear()
    await Promise.all(views.map((v) => v.stop()))
  }

  #deliver(view: View): void {
    // A view replaced or removed meanwhile must not bring stale data back.
    if (this.#views.get(view.key) !== view) return
    this.store.remember(view.key, view.data)
    this.#in.onData?.(view.dependency, view.data)
  }

  #failed(view: View, err: Error, fatal: boolean): void {
    if (this.#views.get(view.key) !== view) return
    if (!fatal) {
      this.#in.onServerError?.(err, view.dependency)
      return
    }
    this.#views.delete(view.key)
    this.#in.onError?.(err, view.dependency)
  }
}

/** The fetch timings the reference uses, re-exported for callers that
 * build a FetchContext. */
export { defaultTimings }
