/**
 * Sessions: creation checks, TTL expiry after twice the TTL (Consul's
 * grace multiplier), and invalidation that releases or deletes the keys a
 * session holds.
 */
import { randomUUID } from 'node:crypto'
import type { CatalogStore } from './catalog-store.ts'
import { formatDurationMs, parseDuration } from './duration.ts'
import type { KVStore } from './kv-store.ts'
import type { Raft, Tx } from './raft.ts'
import { HTTPError, type Session } from './types.ts'

/** Fields a create request may carry. */
export interface SessionInput {
  Name?: string
  Node?: string
  LockDelay?: string | number
  Checks?: string[]
  NodeChecks?: string[]
  ServiceChecks?: { ID: string }[]
  Behavior?: string
  TTL?: string
}

const ttlMaxNs = 24 * 3600e9
const defaultLockDelayNs = 15e9

/** Live sessions and the timers that expire TTL sessions. */
export class SessionStore {
  readonly #sessions = new Map<string, Session>()
  readonly #timers = new Map<string, NodeJS.Timeout>()

  constructor(private readonly raft: Raft, private readonly catalog: CatalogStore,
    private readonly kv: KVStore, private readonly agentNode: () => string,
    /** Consul's `session_ttl_min`; 10s by default. */
    private readonly ttlMinNs = 10e9) {
    kv.sessionExists = (id) => this.#sessions.has(id)
    catalog.onCheckCritical = (tx, node, checkId) => {
      for (const s of this.#sessions.values()) {
        const linked = s.NodeChecks.includes(checkId)
          || (s.ServiceChecks ?? []).some((c) => c.ID === checkId)
        if (linked && s.Node.toLowerCase() === node.toLowerCase()) {
          this.invalidate(tx, s.ID)
        }
      }
    }
    catalog.onNodeDeleted = (tx, node) => {
      for (const s of [...this.#sessions.values()]) {
        if (s.Node.toLowerCase() === node.toLowerCase()) this.invalidate(tx, s.ID)
      }
    }
  }

  /** One session by ID. */
  get(id: string): Session | undefined {
    return this.#sessions.get(id)
  }

  /** All sessions, ordered by ID. */
  list(): Session[] {
    return [...this.#sessions.values()].sort((a, b) => a.ID < b.ID ? -1 : 1)
  }

  /** Validates and creates a session; returns it. */
  create(tx: Tx, input: SessionInput): Session {
    const nodeName = input.Node || this.agentNode()
    const node = this.catalog.node(nodeName)
    if (!node) throw new HTTPError(500, 'Missing node registration')
    const checks = input.NodeChecks ?? input.Checks ?? ['serfHealth']
    for (const id of [...checks, ...(input.ServiceChecks ?? []).map((c) => c.ID)]) {
      const c = this.catalog.check(node.Node, id)
      if (!c) throw new HTTPError(500, `Missing check '${id}' registration`)
      if (c.Status === 'critical') {
        throw new HTTPError(500, `Check '${id}' is in critical state`)
      }
    }
    const behavior = input.Behavior || 'release'
    if (behavior !== 'release' && behavior !== 'delete') {
      throw new HTTPError(500, `Invalid Behavior setting '${behavior}'`)
    }
    const ttl = input.TTL ?? ''
    if (ttl !== '') {
      const ns = parseDuration(ttl)
      if (ns === undefined) {
        throw new HTTPError(500, `Session TTL '${ttl}' invalid: time: invalid duration "${ttl}"`)
      }
      if (ns !== 0 && (ns < this.ttlMinNs || ns > ttlMaxNs)) {
        throw new HTTPError(500, `Invalid Session TTL '${ns}', must be between `
          + `[${formatDurationMs(this.ttlMinNs / 1e6)}=24h0m0s]`)
      }
    }
    const s: Session = {
      ID: randomUUID(),
      Name: input.Name ?? '',
      Node: node.Node,
      LockDelay: lockDelayNs(input.LockDelay),
      Behavior: behavior,
      TTL: ttl,
      NodeChecks: checks,
      ServiceChecks: input.ServiceChecks ?? null,
      CreateIndex: tx.index,
      ModifyIndex: tx.index,
    }
    this.#sessions.set(s.ID, s)
    tx.touch('sessions', ...sessionTopics(s))
    this.#arm(s)
    return s
  }

  /** Restarts a TTL session's timer; undefined when unknown. */
  renew(id: string): Session | undefined {
    const s = this.#sessions.get(id)
    if (s) this.#arm(s)
    return s
  }

  /** Ends a session, releasing or deleting what it holds. */
  invalidate(tx: Tx, id: string): boolean {
    const s = this.#sessions.get(id)
    if (!s) return false
    this.#sessions.delete(id)
    clearTimeout(this.#timers.get(id))
    this.#timers.delete(id)
    tx.touch('sessions', ...sessionTopics(s))
    this.kv.invalidateSession(tx, id, s.Behavior, s.LockDelay / 1e6)
    return true
  }

  /** Stops every TTL timer. */
  close(): void {
    for (const t of this.#timers.values()) clearTimeout(t)
    this.#timers.clear()
  }

  #arm(s: Session): void {
    clearTimeout(this.#timers.get(s.ID))
    const ns = s.TTL ? parseDuration(s.TTL) ?? 0 : 0
    if (ns <= 0) return
    const t = setTimeout(() => {
      this.#timers.delete(s.ID)
      this.raft.write((tx) => this.invalidate(tx, s.ID))
    }, (2 * ns) / 1e6)
    t.unref()
    this.#timers.set(s.ID, t)
  }
}

/** The topics a change to session `s` wakes. */
function sessionTopics(s: Session): string[] {
  return ['sessions', `session:${s.ID}`, `sessnode:${s.Node.toLowerCase()}`]
}

/** Reads a LockDelay as Consul does: numbers under 1000 mean seconds. */
function lockDelayNs(v: string | number | undefined): number {
  if (v === undefined || v === '') return defaultLockDelayNs
  let ns: number | undefined
  if (typeof v === 'number') ns = v
  else ns = parseDuration(v)
  if (ns === undefined) {
    throw new HTTPError(400, `Request decode failed: time: invalid duration "${v}"`)
  }
  return ns < 1000 ? ns * 1e9 : ns
}
