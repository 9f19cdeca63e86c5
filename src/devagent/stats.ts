/**
 * Counters the benchmark harness reads: requests per endpoint,
 * connections opened, held and refused, and bytes sent.
 */
import type { Socket } from 'node:net'

/** A snapshot of the counters. */
export interface StatsSnapshot {
  requests: Record<string, number>
  requestsTotal: number
  connectionsOpened: number
  connectionsHeld: number
  connectionsRejected: number
  bytesSent: number
  blockedQueries: number
  /** Server-side wake-up work: batches, waiters re-run, time in ms. */
  wakeups: { flushes: number; woken: number; busyMs: number; maxFlushMs: number }
  /** The agent process's memory, bytes. */
  memory: { rss: number; heapUsed: number }
}

/** Live counters of one server. */
export class Stats {
  #requests = new Map<string, number>()
  #opened = 0
  #rejected = 0
  #closedBytes = 0
  readonly #live = new Set<Socket>()
  #baseBytes = new WeakMap<Socket, number>()

  /** Counts one request to the endpoint named `route`. */
  request(route: string): void {
    this.#requests.set(route, (this.#requests.get(route) ?? 0) + 1)
  }

  /** Tracks an accepted socket until it closes. */
  open(sock: Socket): void {
    this.#opened++
    this.#live.add(sock)
    sock.once('close', () => {
      this.#live.delete(sock)
      this.#closedBytes += sock.bytesWritten - (this.#baseBytes.get(sock) ?? 0)
    })
  }

  /** Counts a connection refused by the per-client limit. */
  reject(): void {
    this.#rejected++
  }

  /** Returns the current figures. */
  snapshot(blockedQueries: number, wakeups: StatsSnapshot['wakeups']): StatsSnapshot {
    let bytes = this.#closedBytes
    for (const s of this.#live) bytes += s.bytesWritten - (this.#baseBytes.get(s) ?? 0)
    const requests = Object.fromEntries([...this.#requests].sort())
    let total = 0
    for (const n of this.#requests.values()) total += n
    return {
      requests, requestsTotal: total, connectionsOpened: this.#opened,
      connectionsHeld: this.#live.size, connectionsRejected: this.#rejected,
      bytesSent: bytes, blockedQueries, wakeups: { ...wakeups },
      memory: { rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed },
    }
  }

  /** Zeroes the counters (held connections stay counted as held). */
  reset(): void {
    this.#requests.clear()
    this.#opened = 0
    this.#rejected = 0
    this.#closedBytes = 0
    for (const s of this.#live) this.#baseBytes.set(s, s.bytesWritten)
  }
}
