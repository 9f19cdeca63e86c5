/**
 * The whole in-memory state behind the development agent, and the
 * mutation helpers tests use to change it without going through HTTP.
 */
import { randomUUID } from 'node:crypto'
import { AgentState, parseCheckDef, parseServiceDef } from './agent-state.ts'
import {
  CatalogStore, type NodeInput,
} from './catalog-store.ts'
import { KVStore, type PutOptions } from './kv-store.ts'
import { Raft, type Tx } from './raft.ts'
import { SessionStore, type SessionInput } from './session-store.ts'
import type {
  CheckStatus, HealthCheck, KVEntry, Node, NodeService, Session,
} from './types.ts'

/** Settings of a fresh store. */
export interface StateOptions {
  datacenter?: string
  nodeName?: string
  nodeId?: string
  /** Shortest session TTL accepted (Consul's session_ttl_min), ms. */
  sessionTtlMinMs?: number
}

/** A service as the test helpers take it (agent-API field names). */
export interface ServiceSpec {
  Name: string
  ID?: string
  Tags?: string[]
  Address?: string
  Port?: number
  Meta?: Record<string, string>
  /** Node to place it on; defaults to the agent's node. */
  Node?: string
  /** Address used when the node does not exist yet. */
  NodeAddress?: string
  /** Checks: `{ Status: 'passing' }` and friends; IDs default as Consul's. */
  Checks?: Record<string, unknown>[]
  [extra: string]: unknown
}

/** Catalog, KV, sessions and the local agent over one raft index. */
export class StateStore {
  readonly raft = new Raft()
  readonly datacenter: string
  readonly nodeName: string
  readonly catalog: CatalogStore
  readonly kv: KVStore
  readonly sessions: SessionStore
  readonly agent: AgentState

  constructor(opts: StateOptions = {}) {
    this.datacenter = opts.datacenter ?? 'dc1'
    this.nodeName = opts.nodeName ?? 'ctmpl-dev'
    this.catalog = new CatalogStore(this.raft, this.datacenter)
    this.kv = new KVStore(this.raft)
    this.sessions = new SessionStore(this.raft, this.catalog, this.kv,
      () => this.nodeName, (opts.sessionTtlMinMs ?? 10_000) * 1e6)
    this.agent = new AgentState(this.raft, this.catalog, this.nodeName)
    this.#bootstrap(opts.nodeId ?? randomUUID())
  }

  /** The last committed index. */
  get index(): number {
    return this.raft.index
  }

  /** Runs several mutations as one write (one index, one wake-up). */
  write<T>(fn: (tx: Tx) => T): T {
    return this.raft.write(fn)
  }

  /** Registers or updates a node. */
  registerNode(node: NodeInput): Node {
    return this.write((tx) => this.catalog.ensureNode(tx, node))
  }

  /** Removes a node with everything on it. */
  deregisterNode(name: string): boolean {
    return this.write((tx) => this.catalog.deleteNode(tx, name))
  }

  /**
   * Registers a service (and its checks) on a node, creating the node. On
   * the agent's own node it goes through the agent, so TTL checks run.
   */
  registerService(spec: ServiceSpec): NodeService {
    const { Node: nodeName, NodeAddress, ...rest } = spec
    const node = nodeName ?? this.nodeName
    const { service, checks } = parseServiceDef(rest)
    if (node.toLowerCase() === this.nodeName.toLowerCase()) {
      return this.write((tx) => {
        this.agent.registerService(tx, rest, false)
        return this.catalog.service(node, service.ID!)!
      })
    }
    return this.write((tx) => {
      if (!this.catalog.node(node)) {
        this.catalog.ensureNode(tx, { Node: node, Address: NodeAddress ?? '127.0.0.1' })
      }
      const svc = this.catalog.ensureService(tx, node, service)
      for (const { ttlMs: _, ...c } of checks) this.catalog.ensureCheck(tx, node, c)
      return svc
    })
  }

  /** Removes a service instance and its checks. */
  deregisterService(id: string, node = this.nodeName): boolean {
    return this.write((tx) => this.catalog.deleteService(tx, node, id))
  }

  /** Registers a check on a node (a service check when ServiceID is set). */
  registerCheck(def: Record<string, unknown>, node = this.nodeName): HealthCheck {
    const { ttlMs: _, ...input } = parseCheckDef(def)
    if (!input.CheckID) input.CheckID = input.Name ?? ''
    return this.write((tx) => this.catalog.ensureCheck(tx, node, input))
  }

  /** Sets a check's status (and output). */
  setCheckStatus(checkId: string, status: CheckStatus, output = '',
    node = this.nodeName): boolean {
    return this.write((tx) =>
      this.catalog.setCheckStatus(tx, node, checkId, status, output))
  }

  /** Writes a KV value (a string is stored as UTF-8). */
  kvPut(key: string, value: string | Buffer, opt: PutOptions = {}): boolean {
    const buf = typeof value === 'string' ? Buffer.from(value) : value
    const b64 = buf.length === 0 ? null : buf.toString('base64')
    return this.write((tx) => this.kv.put(tx, key, b64, opt))
  }

  /** Reads a KV entry. */
  kvGet(key: string): KVEntry | undefined {
    return this.kv.get(key)
  }

  /** Deletes a key, or a whole prefix with `recurse`. */
  kvDelete(key: string, recurse = false): boolean {
    return this.write((tx) => this.kv.delete(tx, key, { recurse }))
  }

  /** Creates a session. */
  createSession(input: SessionInput = {}): Session {
    return this.write((tx) => this.sessions.create(tx, input))
  }

  /** Destroys a session, releasing its locks. */
  destroySession(id: string): boolean {
    return this.write((tx) => this.sessions.invalidate(tx, id))
  }

  /** Stops every timer the store owns. */
  close(): void {
    this.sessions.close()
    this.agent.close()
  }

  #bootstrap(nodeId: string): void {
    this.write((tx) => this.catalog.ensureNode(tx, {
      Node: this.nodeName, ID: nodeId, Address: '127.0.0.1',
      TaggedAddresses: {
        lan: '127.0.0.1', lan_ipv4: '127.0.0.1',
        wan: '127.0.0.1', wan_ipv4: '127.0.0.1',
      },
      Meta: { 'consul-network-segment': '' },
    }))
    this.write((tx) => this.catalog.ensureCheck(tx, this.nodeName, {
      CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing',
      Output: 'Agent alive and reachable', Type: '',
    }))
    this.write((tx) => this.catalog.ensureService(tx, this.nodeName, {
      ID: 'consul', Service: 'consul', Port: 8300,
      Meta: {
        raft_version: '3', serf_protocol_current: '2',
        serf_protocol_max: '5', serf_protocol_min: '1', version: '1.20.0',
      },
    }))
  }
}
