/**
 * The single monotonic index every write advances, the per-table max
 * indexes Consul reports, and the write transaction that stamps records.
 */
import { WatchHub } from './watch-hub.ts'

/** The tables whose max index endpoints report. */
export type Table =
  | 'nodes' | 'services' | 'checks' | 'kvs' | 'tombstones' | 'sessions'

/** One write: its index, the tables and topics it touched. */
export class Tx {
  readonly tables = new Set<Table>()
  readonly topics = new Set<string>()

  constructor(readonly index: number) {}

  /** Records that `table` changed and wakes waiters on `topics`. */
  touch(table: Table, ...topics: string[]): void {
    this.tables.add(table)
    for (const t of topics) this.topics.add(t)
  }
}

/** The raft-like log position and per-table indexes. */
export class Raft {
  readonly hub = new WatchHub()
  #index = 0
  #tables = new Map<Table, number>()
  /** Called after every committed write with its index. */
  onCommit: ((tx: Tx) => void) | undefined

  /** The last committed index. */
  get index(): number {
    return this.#index
  }

  /** Max index of the given tables (0 if none was written). */
  tableIndex(...tables: Table[]): number {
    let max = 0
    for (const t of tables) max = Math.max(max, this.#tables.get(t) ?? 0)
    return max
  }

  /**
   * Runs `fn` as one write. A write that touched nothing (an identical
   * re-registration, a PUT of the same value) does not advance the index,
   * as in Consul.
   */
  write<T>(fn: (tx: Tx) => T): T {
    const tx = new Tx(this.#index + 1)
    const result = fn(tx)
    if (tx.tables.size === 0 && tx.topics.size === 0) return result
    this.#index = tx.index
    for (const t of tx.tables) this.#tables.set(t, tx.index)
    this.hub.notify(tx.topics)
    this.onCommit?.(tx)
    return result
  }
}
