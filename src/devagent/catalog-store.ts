/**
 * The catalog: nodes, service instances and health checks, with the
 * per-service indexes Consul keeps so a health query reports the last
 * write that touched *that* service, and topics that wake only its
 * watchers.
 */
import { randomUUID } from 'node:crypto'
import type { Raft, Tx } from './raft.ts'
import {
  HTTPError,
  type CheckStatus, type HealthCheck, type Node, type NodeService,
} from './types.ts'

/** A service instance together with the node it lives on. */
export interface Instance {
  node: Node
  svc: NodeService
}

/** Node fields a registration may give. */
export type NodeInput = Partial<Omit<Node, 'CreateIndex' | 'ModifyIndex'>> & {
  Node: string
}

/** Service fields a registration may give. */
export type ServiceInput =
  Partial<Omit<NodeService, 'CreateIndex' | 'ModifyIndex'>> & { Service: string }

/** Check fields a registration may give. */
export type CheckInput =
  Partial<Omit<HealthCheck, 'CreateIndex' | 'ModifyIndex'>> & { CheckID: string }

const low = (s: string): string => s.toLowerCase()
const svcKey = (node: string, id: string): string => `${low(node)}\0${id}`

/** Returns a copy of `obj` with its keys sorted, as Go encodes maps. */
export function sortKeys<V>(obj: Record<string, V> | null | undefined)
  : Record<string, V> {
  const out: Record<string, V> = {}
  if (!obj) return out
  for (const k of Object.keys(obj).sort()) out[k] = obj[k]!
  return out
}

function sameRecord(a: object, b: object): boolean {
  const strip = (o: object): string => JSON.stringify(
    { ...o, CreateIndex: 0, ModifyIndex: 0 })
  return strip(a) === strip(b)
}

/** Orders instances by node name, then service ID, both case-insensitive. */
export function compareInstances(a: Instance, b: Instance): number {
  const an = low(a.node.Node)
  const bn = low(b.node.Node)
  if (an !== bn) return an < bn ? -1 : 1
  const ai = low(a.svc.ID)
  const bi = low(b.svc.ID)
  return ai < bi ? -1 : ai > bi ? 1 : 0
}

/** Nodes, services and checks, indexed the ways the endpoints read them. */
export class CatalogStore {
  readonly nodes = new Map<string, Node>()
  readonly #svcByNode = new Map<string, Map<string, NodeService>>()
  readonly #byName = new Map<string, Map<string, Instance>>()
  readonly #byConnect = new Map<string, Map<string, Instance>>()
  readonly #checksByNode = new Map<string, Map<string, HealthCheck>>()
  readonly #checksBySvc = new Map<string, Map<string, HealthCheck>>()
  readonly #serviceIndex = new Map<string, number>()
  readonly #connectIndex = new Map<string, number>()
  #extinction = 0
  /** Called inside the write when a check turns critical. */
  onCheckCritical: ((tx: Tx, node: string, checkId: string) => void) | undefined
  /** Called inside the write when a node is removed. */
  onNodeDeleted: ((tx: Tx, node: string) => void) | undefined

  constructor(private readonly raft: Raft, readonly datacenter: string) {}

  /** Looks a node up by name, case-insensitively. */
  node(name: string): Node | undefined {
    return this.nodes.get(low(name))
  }

  /** The services on a node, keyed by service ID. */
  nodeServices(name: string): NodeService[] {
    return [...(this.#svcByNode.get(low(name))?.values() ?? [])]
  }

  /** One service instance by node and ID. */
  service(node: string, id: string): NodeService | undefined {
    return this.#svcByNode.get(low(node))?.get(id)
  }

  /** The checks on a node, in check-ID order. */
  nodeChecks(name: string): HealthCheck[] {
    const m = this.#checksByNode.get(low(name))
    if (!m) return []
    return [...m.values()].sort((a, b) => cmp(a.CheckID, b.CheckID))
  }

  /** One check by node and ID. */
  check(node: string, id: string): HealthCheck | undefined {
    return this.#checksByNode.get(low(node))?.get(id)
  }

  /** Every check in the catalog, ordered by node then check ID. */
  allChecks(): HealthCheck[] {
    const out: HealthCheck[] = []
    for (const key of [...this.#checksByNode.keys()].sort()) {
      out.push(...this.nodeChecks(key))
    }
    return out
  }

  /** Every service instance, grouped by name. */
  serviceNames(): Map<string, Map<string, Instance>> {
    return this.#byName
  }

  /** Instances of a service (or connect-capable ones), sorted. */
  instances(name: string, connect = false): Instance[] {
    const m = (connect ? this.#byConnect : this.#byName).get(low(name))
    if (!m) return []
    return [...m.values()].sort(compareInstances)
  }

  /**
   * The index a health or catalog query on `name` reports: the last write
   * touching that service, else the last service extinction, else the
   * catalog's max index (Consul's maxIndexForService).
   */
  serviceIndex(name: string, connect = false, withChecks = true): number {
    const idx = (connect ? this.#connectIndex : this.#serviceIndex).get(low(name))
    if (idx !== undefined) return idx
    if (this.#extinction > 0) return this.#extinction
    return withChecks
      ? this.raft.tableIndex('nodes', 'services', 'checks')
      : this.raft.tableIndex('nodes', 'services')
  }

  /** Topics a query on `name` must watch. */
  serviceTopics(name: string, connect = false): string[] {
    const topic = `${connect ? 'connect' : 'svc'}:${low(name)}`
    const known = (connect ? this.#connectIndex : this.#serviceIndex).has(low(name))
    return known ? [topic] : [topic, 'extinction']
  }

  /** Node checks plus the instance's own checks, in Consul's order. */
  instanceChecks(node: string, serviceId: string): HealthCheck[] {
    const byId = (a: HealthCheck, b: HealthCheck): number =>
      cmp(a.CheckID, b.CheckID)
    const own = this.#checksBySvc.get(svcKey(node, serviceId))
    const nodeLevel = this.#checksBySvc.get(svcKey(node, ''))
    return [
      ...[...(nodeLevel?.values() ?? [])].sort(byId),
      ...[...(own?.values() ?? [])].sort(byId),
    ]
  }

  /** Creates or updates a node; unchanged input writes nothing. */
  ensureNode(tx: Tx, input: NodeInput): Node {
    if (!input.Node) throw new HTTPError(500, 'Must provide node')
    const old = this.node(input.Node)
    const rec: Node = {
      ID: input.ID ?? old?.ID ?? randomUUID(),
      Node: input.Node,
      Address: input.Address ?? old?.Address ?? '',
      Datacenter: this.datacenter,
      TaggedAddresses: sortKeys(input.TaggedAddresses ?? old?.TaggedAddresses),
      Meta: sortKeys(input.Meta ?? old?.Meta),
      CreateIndex: old?.CreateIndex ?? tx.index,
      ModifyIndex: tx.index,
    }
    if (old && sameRecord(old, rec)) return old
    this.nodes.set(low(rec.Node), rec)
    tx.touch('nodes', 'nodes', `node:${low(rec.Node)}`)
    for (const svc of this.#svcByNode.get(low(rec.Node))?.values() ?? []) {
      this.#reindex(rec, svc)
      this.#bumpService(tx, svc)
    }
    return rec
  }

  /** Creates or replaces a service instance on an existing node. */
  ensureService(tx: Tx, nodeName: string, input: ServiceInput): NodeService {
    const node = this.node(nodeName)
    if (!node) throw new HTTPError(500, `Missing node registration`)
    if (!input.Service) throw new HTTPError(500, 'Must provide service name')
    const id = input.ID || input.Service
    const old = this.service(node.Node, id)
    const rec: NodeService = {
      ...(input.Kind ? { Kind: input.Kind } : {}),
      ID: id,
      Service: input.Service,
      Tags: input.Tags ?? [],
      Address: input.Address ?? '',
      ...(input.TaggedAddresses
        ? { TaggedAddresses: sortKeys(input.TaggedAddresses) } : {}),
      Meta: sortKeys(input.Meta),
      Port: input.Port ?? 0,
      Weights: input.Weights ?? { Passing: 1, Warning: 1 },
      EnableTagOverride: input.EnableTagOverride ?? false,
      Proxy: input.Proxy ?? { Mode: '', MeshGateway: {}, Expose: {} },
      Connect: input.Connect ?? {},
      PeerName: '',
      CreateIndex: old?.CreateIndex ?? tx.index,
      ModifyIndex: tx.index,
    }
    if (old && sameRecord(old, rec)) return old
    if (old && (low(old.Service) !== low(rec.Service)
      || connectTarget(old) !== connectTarget(rec))) {
      this.#unindex(tx, node, old)
    }
    let m = this.#svcByNode.get(low(node.Node))
    if (!m) this.#svcByNode.set(low(node.Node), m = new Map())
    m.set(id, rec)
    this.#reindex(node, rec)
    this.#bumpService(tx, rec)
    tx.touch('services', 'services', `node:${low(node.Node)}`)
    for (const c of this.#checksBySvc.get(svcKey(node.Node, id))?.values() ?? []) {
      c.ServiceName = rec.Service
      c.ServiceTags = rec.Tags
    }
    return rec
  }

  /** Creates or updates a check; a service check needs its service. */
  ensureCheck(tx: Tx, nodeName: string, input: CheckInput): HealthCheck {
    const node = this.node(nodeName)
    if (!node) throw new HTTPError(500, 'Missing node registration')
    if (!input.CheckID) throw new HTTPError(500, 'Missing check ID')
    const sid = input.ServiceID ?? ''
    const svc = sid ? this.service(node.Node, sid) : undefined
    if (sid && !svc) throw new HTTPError(500, 'Missing service registration')
    const old = this.check(node.Node, input.CheckID)
    const rec: HealthCheck = {
      Node: node.Node,
      CheckID: input.CheckID,
      Name: input.Name ?? old?.Name ?? input.CheckID,
      Status: input.Status ?? old?.Status ?? 'critical',
      Notes: input.Notes ?? '',
      Output: input.Output ?? old?.Output ?? '',
      ServiceID: sid,
      ServiceName: svc?.Service ?? '',
      ServiceTags: svc?.Tags ?? [],
      Type: input.Type ?? '',
      Interval: input.Interval ?? '',
      Timeout: input.Timeout ?? '',
      ExposedPort: input.ExposedPort ?? 0,
      Definition: input.Definition ?? {},
      CreateIndex: old?.CreateIndex ?? tx.index,
      ModifyIndex: tx.index,
    }
    if (old && sameRecord(old, rec)) return old
    let m = this.#checksByNode.get(low(node.Node))
    if (!m) this.#checksByNode.set(low(node.Node), m = new Map())
    m.set(rec.CheckID, rec)
    if (old) this.#checksBySvc.get(svcKey(node.Node, old.ServiceID))
      ?.delete(old.CheckID)
    let bySvc = this.#checksBySvc.get(svcKey(node.Node, sid))
    if (!bySvc) this.#checksBySvc.set(svcKey(node.Node, sid), bySvc = new Map())
    bySvc.set(rec.CheckID, rec)
    this.#touchCheck(tx, node, rec)
    if (old && old.ServiceID !== rec.ServiceID) this.#touchCheck(tx, node, old)
    if (rec.Status === 'critical' && old?.Status !== 'critical') {
      this.onCheckCritical?.(tx, node.Node, rec.CheckID)
    }
    return rec
  }

  /** Sets a check's status and output; false when the check is unknown. */
  setCheckStatus(tx: Tx, node: string, checkId: string,
    status: CheckStatus, output: string): boolean {
    const old = this.check(node, checkId)
    if (!old) return false
    this.ensureCheck(tx, node, { ...old, Status: status, Output: output })
    return true
  }

  /** Removes a service instance and its checks; false when unknown. */
  deleteService(tx: Tx, nodeName: string, id: string): boolean {
    const node = this.node(nodeName)
    const svc = node && this.service(node.Node, id)
    if (!node || !svc) return false
    const own = this.#checksBySvc.get(svcKey(node.Node, id))
    for (const c of [...(own?.values() ?? [])]) {
      this.deleteCheck(tx, node.Node, c.CheckID)
    }
    this.#svcByNode.get(low(node.Node))!.delete(id)
    this.#unindex(tx, node, svc)
    tx.touch('services', 'services', `node:${low(node.Node)}`)
    return true
  }

  /** Removes a check; false when unknown. */
  deleteCheck(tx: Tx, nodeName: string, checkId: string): boolean {
    const node = this.node(nodeName)
    const c = node && this.check(node.Node, checkId)
    if (!node || !c) return false
    this.#checksByNode.get(low(node.Node))!.delete(checkId)
    const bySvc = this.#checksBySvc.get(svcKey(node.Node, c.ServiceID))
    bySvc?.delete(checkId)
    if (bySvc?.size === 0) this.#checksBySvc.delete(svcKey(node.Node, c.ServiceID))
    this.#touchCheck(tx, node, c)
    return true
  }

  /** Removes a node with its services and checks; false when unknown. */
  deleteNode(tx: Tx, nodeName: string): boolean {
    const node = this.node(nodeName)
    if (!node) return false
    for (const svc of this.nodeServices(node.Node)) {
      this.deleteService(tx, node.Node, svc.ID)
    }
    for (const c of this.nodeChecks(node.Node)) {
      this.deleteCheck(tx, node.Node, c.CheckID)
    }
    this.nodes.delete(low(node.Node))
    this.#svcByNode.delete(low(node.Node))
    this.#checksByNode.delete(low(node.Node))
    tx.touch('nodes', 'nodes', `node:${low(node.Node)}`)
    this.onNodeDeleted?.(tx, node.Node)
    return true
  }

  #touchCheck(tx: Tx, node: Node, c: HealthCheck): void {
    tx.touch('checks', 'checks', `node:${low(node.Node)}`)
    const svcs = c.ServiceID
      ? [this.service(node.Node, c.ServiceID)]
      : this.nodeServices(node.Node)
    for (const s of svcs) if (s) this.#bumpService(tx, s)
  }

  #bumpService(tx: Tx, svc: NodeService): void {
    const name = low(svc.Service)
    this.#serviceIndex.set(name, tx.index)
    tx.touch('services', `svc:${name}`)
    const dest = connectTarget(svc)
    if (dest) {
      this.#connectIndex.set(low(dest), tx.index)
      tx.touch('services', `connect:${low(dest)}`)
    }
  }

  #reindex(node: Node, svc: NodeService): void {
    const key = svcKey(node.Node, svc.ID)
    const inst: Instance = { node, svc }
    addTo(this.#byName, low(svc.Service), key, inst)
    const dest = connectTarget(svc)
    if (dest) addTo(this.#byConnect, low(dest), key, inst)
  }

  #unindex(tx: Tx, node: Node, svc: NodeService): void {
    const key = svcKey(node.Node, svc.ID)
    this.#bumpService(tx, svc)
    const name = low(svc.Service)
    if (removeFrom(this.#byName, name, key)) {
      this.#serviceIndex.delete(name)
      this.#extinction = tx.index
      tx.touch('services', 'extinction')
    }
    const dest = connectTarget(svc)
    if (dest && removeFrom(this.#byConnect, low(dest), key)) {
      this.#connectIndex.delete(low(dest))
    }
  }
}

/** The service a connect-capable instance serves, if any. */
function connectTarget(svc: NodeService): string | undefined {
  if (svc.Kind === 'connect-proxy') {
    const d = svc.Proxy['DestinationServiceName']
    return typeof d === 'string' && d ? d : undefined
  }
  return svc.Connect['Native'] === true ? svc.Service : undefined
}

function addTo(idx: Map<string, Map<string, Instance>>, name: string,
  key: string, inst: Instance): void {
  let m = idx.get(name)
  if (!m) idx.set(name, m = new Map())
  m.set(key, inst)
}

/** Removes an entry; true when it was the last one under `name`. */
function removeFrom(idx: Map<string, Map<string, Instance>>, name: string,
  key: string): boolean {
  const m = idx.get(name)
  if (!m || !m.delete(key)) return false
  if (m.size > 0) return false
  idx.delete(name)
  return true
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
