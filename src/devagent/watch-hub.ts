/**
 * Wake-ups for blocking queries. A waiter subscribes to the topics its
 * query read (`svc:web`, `kv:app/x`, `kvp:app/` …); a write names the
 * topics it touched, and only the waiters on those topics run again.
 * Consul gets the same effect from memdb watch channels; a global
 * broadcast would re-run every open query on every write.
 */

/** A pending wake-up; `cancel` removes it from every topic. */
export interface Subscription {
  cancel(): void
}

interface Waiter {
  topics: readonly string[]
  wake: () => void
  live: boolean
}

/** Topic-keyed sets of waiters, woken in a microtask after each write. */
export class WatchHub {
  #byTopic = new Map<string, Set<Waiter>>()
  #pending = new Set<Waiter>()
  #scheduled = false
  /** Wake-up work done so far: batches, waiters run, time spent. */
  readonly wakeStats = { flushes: 0, woken: 0, busyMs: 0, maxFlushMs: 0 }

  /** Calls `wake` once, after the next write touching any of `topics`. */
  subscribe(topics: readonly string[], wake: () => void): Subscription {
    const w: Waiter = { topics, wake, live: true }
    for (const t of topics) {
      let set = this.#byTopic.get(t)
      if (!set) this.#byTopic.set(t, set = new Set())
      set.add(w)
    }
    return { cancel: () => this.#drop(w) }
  }

  /** Marks the waiters of `topics` for waking at the end of this tick. */
  notify(topics: Iterable<string>): void {
    for (const t of topics) {
      const set = this.#byTopic.get(t)
      if (!set) continue
      for (const w of set) this.#pending.add(w)
    }
    if (this.#pending.size > 0 && !this.#scheduled) {
      this.#scheduled = true
      queueMicrotask(() => this.#flush())
    }
  }

  /** Number of waiters currently subscribed. */
  get waiting(): number {
    const all = new Set<Waiter>()
    for (const set of this.#byTopic.values()) for (const w of set) all.add(w)
    return all.size
  }

  #flush(): void {
    this.#scheduled = false
    const batch = [...this.#pending]
    this.#pending.clear()
    const t0 = performance.now()
    for (const w of batch) {
      if (!w.live) continue
      this.#drop(w)
      this.wakeStats.woken++
      w.wake()
    }
    const took = performance.now() - t0
    this.wakeStats.flushes++
    this.wakeStats.busyMs += took
    this.wakeStats.maxFlushMs = Math.max(this.wakeStats.maxFlushMs, took)
  }

  /** Zeroes the wake-up counters. */
  resetWakeStats(): void {
    Object.assign(this.wakeStats, { flushes: 0, woken: 0, busyMs: 0, maxFlushMs: 0 })
  }

  #drop(w: Waiter): void {
    if (!w.live) return
    w.live = false
    this.#pending.delete(w)
    for (const t of w.topics) {
      const set = this.#byTopic.get(t)
      if (!set) continue
      set.delete(w)
      if (set.size === 0) this.#byTopic.delete(t)
    }
  }
}
