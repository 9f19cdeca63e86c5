/**
 * The KV store: entries in byte order for prefix scans, tombstones so a
 * prefix query still reports the index of a delete, lock holders and
 * lock-delay windows.
 */
import type { Raft, Tx } from './raft.ts'
import { HTTPError, type KVEntry } from './types.ts'

/** What a PUT asks for besides the value. */
export interface PutOptions {
  flags?: string
  cas?: number
  acquire?: string
  release?: string
}

/** Entries, tombstones and lock-delays for the `/v1/kv` endpoints. */
export class KVStore {
  readonly #entries = new Map<string, KVEntry>()
  #sorted: string[] = []
  readonly #tombstones = new Map<string, number>()
  readonly #lockDelay = new Map<string, number>()
  /** Tells whether a session ID is live; set by the session store. */
  sessionExists: (id: string) => boolean = () => false

  constructor(private readonly raft: Raft) {}

  /** The entry at `key`, if any. */
  get(key: string): KVEntry | undefined {
    return this.#entries.get(key)
  }

  /** Every entry whose key starts with `prefix`, in key order. */
  list(prefix: string): KVEntry[] {
    const out: KVEntry[] = []
    for (let i = lowerBound(this.#sorted, prefix); i < this.#sorted.length; i++) {
      const k = this.#sorted[i]!
      if (!k.startsWith(prefix)) break
      out.push(this.#entries.get(k)!)
    }
    return out
  }

  /** Key names under `prefix`, cut after `separator` and de-duplicated. */
  keys(prefix: string, separator: string): string[] {
    const out: string[] = []
    for (const e of this.list(prefix)) {
      let k = e.Key
      if (separator) {
        const at = k.indexOf(separator, prefix.length)
        if (at >= 0) k = k.slice(0, at + separator.length)
      }
      if (out[out.length - 1] !== k) out.push(k)
    }
    return out
  }

  /** Index reported for a single-key read (0 means "use 1"). */
  keyIndex(key: string): number {
    const e = this.#entries.get(key)
    return e ? e.ModifyIndex : this.raft.tableIndex('kvs', 'tombstones')
  }

  /** Index reported for a prefix read: entries and tombstones under it. */
  prefixIndex(prefix: string): number {
    if (prefix === '') return this.raft.tableIndex('kvs', 'tombstones')
    let max = 0
    for (const e of this.list(prefix)) max = Math.max(max, e.ModifyIndex)
    for (const [k, idx] of this.#tombstones) {
      if (k.startsWith(prefix)) max = Math.max(max, idx)
    }
    return max || this.raft.tableIndex('kvs', 'tombstones')
  }

  /** Writes `value` (base64 or null) under `key` as Consul's PUT does. */
  put(tx: Tx, key: string, value: string | null, opt: PutOptions = {}): boolean {
    if (key === '') throw new HTTPError(400, 'Missing key name')
    const old = this.#entries.get(key)
    const flags = opt.flags ?? '0'
    if (opt.cas !== undefined) {
      if (opt.cas === 0 ? old !== undefined : old?.ModifyIndex !== opt.cas) {
        return false
      }
    }
    let session = old?.Session
    let lockIndex = old?.LockIndex ?? 0
    if (opt.acquire !== undefined) {
      this.#requireSession(opt.acquire)
      if (old?.Session !== opt.acquire) {
        if (old?.Session !== undefined) return false
        if (this.#delayed(key)) return false
        lockIndex++
      }
      session = opt.acquire
    } else if (opt.release !== undefined) {
      this.#requireSession(opt.release)
      if (!old || old.Session !== opt.release) return false
      session = undefined
    }
    const rec: KVEntry = {
      LockIndex: lockIndex,
      Key: key,
      Flags: flags,
      Value: value,
      ...(session !== undefined ? { Session: session } : {}),
      CreateIndex: old?.CreateIndex ?? tx.index,
      ModifyIndex: tx.index,
    }
    if (old && old.Value === rec.Value && old.Flags === rec.Flags
      && old.Session === rec.Session && old.LockIndex === rec.LockIndex) {
      return true
    }
    this.#store(tx, rec)
    return true
  }

  /** Deletes one key, or with `recurse` every key under the prefix. */
  delete(tx: Tx, key: string, opt: { recurse?: boolean; cas?: number } = {})
    : boolean {
    if (opt.recurse) {
      for (const e of this.list(key)) this.#remove(tx, e.Key)
      return true
    }
    if (key === '') throw new HTTPError(400, 'Missing key name')
    const old = this.#entries.get(key)
    if (opt.cas !== undefined && old && old.ModifyIndex !== opt.cas) return false
    if (old) this.#remove(tx, key)
    return true
  }

  /**
   * Releases (or deletes, for `delete` sessions) every key `session` holds
   * and starts each key's lock-delay window.
   */
  invalidateSession(tx: Tx, session: string, behavior: 'release' | 'delete',
    lockDelayMs: number): void {
    for (const e of [...this.#entries.values()]) {
      if (e.Session !== session) continue
      if (lockDelayMs > 0) this.#lockDelay.set(e.Key, Date.now() + lockDelayMs)
      if (behavior === 'delete') {
        this.#remove(tx, e.Key)
        continue
      }
      const { Session: _, ...rest } = e
      this.#store(tx, { ...rest, ModifyIndex: tx.index })
    }
  }

  #requireSession(id: string): void {
    if (id === '') throw new HTTPError(500, 'missing session')
    if (!this.sessionExists(id)) {
      throw new HTTPError(500, `invalid session "${id}"`)
    }
  }

  #delayed(key: string): boolean {
    const until = this.#lockDelay.get(key)
    if (until === undefined) return false
    if (Date.now() < until) return true
    this.#lockDelay.delete(key)
    return false
  }

  #store(tx: Tx, rec: KVEntry): void {
    if (!this.#entries.has(rec.Key)) {
      this.#sorted.splice(lowerBound(this.#sorted, rec.Key), 0, rec.Key)
    }
    this.#entries.set(rec.Key, rec)
    this.#tombstones.delete(rec.Key)
    tx.touch('kvs', ...keyTopics(rec.Key))
  }

  #remove(tx: Tx, key: string): void {
    this.#entries.delete(key)
    const at = lowerBound(this.#sorted, key)
    if (this.#sorted[at] === key) this.#sorted.splice(at, 1)
    this.#tombstones.set(key, tx.index)
    tx.touch('tombstones', ...keyTopics(key))
  }
}

/** The topics a write to `key` wakes: the key and each of its prefixes. */
export function keyTopics(key: string): string[] {
  const out = [`kv:${key}`]
  for (let i = 0; i <= key.length; i++) out.push(`kvp:${key.slice(0, i)}`)
  return out
}

function lowerBound(arr: string[], key: string): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (arr[mid]! < key) lo = mid + 1
    else hi = mid
  }
  return lo
}
