/**
 * The render-time interface between template functions and the watch
 * layer. The runner makes one Recorder per template execution; every
 * Consul-backed function calls `recall(dep)`, which notes the dependency
 * as used and, when the store has no data for it yet, as missing. After
 * the execution the runner adds `missing` to the watcher (and renders
 * nothing if it is not empty) and uses `used` to stop views no template
 * needs any more.
 */
import type { Dependency } from '../dependency/index.ts'
import type { Recalled, Store } from './store.ts'

/** Records what one template execution used and lacked. */
export class Recorder {
  /** Dependencies the execution asked for, in first-use order. */
  readonly used = new Map<string, Dependency>()

  /** Dependencies without (acceptable) data, in first-use order. */
  readonly missing = new Map<string, Dependency>()

  constructor(readonly store: Store) {}

  /** Returns the dependency's data, or undefined (then it is missing). */
  recall<T>(dep: Dependency<T>): Recalled<T> | undefined {
    if (!this.used.has(dep.key)) this.used.set(dep.key, dep)
    const got = this.store.recall<T>(dep.key)
    if (got === undefined) this.markMissing(dep)
    return got
  }

  /** Marks a dependency as missing even though data arrived (`safeLs` on
   * an empty prefix refuses to render). */
  markMissing(dep: Dependency): void {
    if (!this.used.has(dep.key)) this.used.set(dep.key, dep)
    if (!this.missing.has(dep.key)) this.missing.set(dep.key, dep)
  }

  /** Whether every dependency used had data. */
  get complete(): boolean {
    return this.missing.size === 0
  }
}
