/**
 * The local agent: services and checks registered through `/v1/agent/*`
 * on the agent's own node, TTL timers that turn checks critical, and
 * maintenance mode. Consul syncs these to the catalog by anti-entropy;
 * here they are written to the catalog at once.
 */
import type { CatalogStore, CheckInput, ServiceInput } from './catalog-store.ts'
import { parseDuration } from './duration.ts'
import {
  bool, field, int, obj, str, strList, strMap,
} from './fields.ts'
import type { Raft, Tx } from './raft.ts'
import { HTTPError, isCheckStatus, type CheckStatus } from './types.ts'

/** A check definition as the agent API and seeds accept it. */
export interface CheckDef extends CheckInput {
  ttlMs?: number
}

const maintNote =
  'Maintenance mode is enabled for this service, but no reason was provided. '
  + 'This is a default message.'
const nodeMaintNote =
  'Maintenance mode is enabled for this node, but no reason was provided. '
  + 'This is a default message.'

/** Reads a check definition body (agent check/register or a service's). */
export function parseCheckDef(body: unknown): CheckDef {
  const status = str(body, 'Status')
  if (status !== undefined && status !== '' && !isCheckStatus(status)) {
    throw new HTTPError(400, `Invalid check status: "${status}"`)
  }
  const ttl = str(body, 'TTL')
  let ttlMs: number | undefined
  if (ttl) {
    const ns = parseDuration(ttl)
    if (ns === undefined || ns <= 0) {
      throw new HTTPError(400, `Request decode failed: time: invalid duration "${ttl}"`)
    }
    ttlMs = ns / 1e6
  }
  const type = ttl ? 'ttl' : field(body, 'HTTP') ? 'http'
    : field(body, 'TCP') ? 'tcp' : field(body, 'GRPC') ? 'grpc' : ''
  return {
    CheckID: str(body, 'CheckID') ?? str(body, 'ID') ?? '',
    Name: str(body, 'Name') ?? '',
    Notes: str(body, 'Notes') ?? '',
    ServiceID: str(body, 'ServiceID') ?? '',
    ...(status ? { Status: status as CheckStatus } : {}),
    Output: '',
    Type: type,
    Interval: str(body, 'Interval') ?? '',
    Timeout: str(body, 'Timeout') ?? '',
    ...(ttlMs !== undefined ? { ttlMs } : {}),
  }
}

/** Reads a service definition and its checks (agent or seed format). */
export function parseServiceDef(body: unknown)
  : { service: ServiceInput; checks: CheckDef[] } {
  const name = str(body, 'Name') ?? str(body, 'Service')
  if (!name) throw new HTTPError(400, 'Missing service name')
  const address = str(body, 'Address') ?? ''
  if (address === '0.0.0.0' || address === '::' || address === '[::]') {
    throw new HTTPError(400, `Invalid Service Address: ${address}`)
  }
  const weights = obj(body, 'Weights')
  const service: ServiceInput = {
    ...(str(body, 'Kind') ? { Kind: str(body, 'Kind')! } : {}),
    ID: str(body, 'ID') || name,
    Service: name,
    Tags: strList(body, 'Tags') ?? [],
    Address: address,
    Meta: strMap(body, 'Meta') ?? {},
    Port: int(body, 'Port') ?? 0,
    Weights: {
      Passing: int(weights, 'Passing') ?? 1,
      Warning: int(weights, 'Warning') ?? 1,
    },
    EnableTagOverride: bool(body, 'EnableTagOverride') ?? false,
    Connect: obj(body, 'Connect') ?? {},
  }
  const tagged = obj(body, 'TaggedAddresses')
  if (tagged) {
    service.TaggedAddresses = {}
    for (const [k, v] of Object.entries(tagged)) {
      service.TaggedAddresses[k] = {
        Address: str(v, 'Address') ?? '', Port: int(v, 'Port') ?? 0,
      }
    }
  }
  const proxy = obj(body, 'Proxy')
  if (proxy) service.Proxy = proxy
  const one = field(body, 'Check')
  const many = field(body, 'Checks')
  const raw = [...(one ? [one] : []), ...(Array.isArray(many) ? many : [])]
  const checks = raw.map((c, i) => {
    const def = parseCheckDef(c)
    if (!def.CheckID) {
      def.CheckID = raw.length > 1
        ? `service:${service.ID}:${i + 1}` : `service:${service.ID}`
    }
    if (!def.Name) def.Name = `Service '${name}' check`
    def.ServiceID = service.ID!
    return def
  })
  return { service, checks }
}

/** The agent's local registrations and their TTL timers. */
export class AgentState {
  readonly #ttl = new Map<string, { ms: number; timer?: NodeJS.Timeout }>()

  constructor(private readonly raft: Raft, private readonly catalog: CatalogStore,
    readonly nodeName: string) {}

  /** Registers (or replaces) a service and its checks on the agent node. */
  registerService(tx: Tx, body: unknown, replaceChecks: boolean): void {
    const { service, checks } = parseServiceDef(body)
    this.catalog.ensureService(tx, this.nodeName, service)
    if (replaceChecks) {
      const keep = new Set(checks.map((c) => c.CheckID))
      for (const c of this.catalog.instanceChecks(this.nodeName, service.ID!)) {
        if (c.ServiceID && !keep.has(c.CheckID)) this.deregisterCheck(tx, c.CheckID)
      }
    }
    for (const c of checks) this.#addCheck(tx, c)
  }

  /** Removes a local service; 404 when unknown, as current Consul does. */
  deregisterService(tx: Tx, id: string): void {
    if (!this.catalog.service(this.nodeName, id)) {
      throw new HTTPError(404, `Unknown service ID "${id}". `
        + 'Ensure that the service ID is passed, not the service name.')
    }
    for (const c of this.catalog.instanceChecks(this.nodeName, id)) {
      if (c.ServiceID === id) this.#stopTTL(c.CheckID)
    }
    this.catalog.deleteService(tx, this.nodeName, id)
  }

  /** Registers a standalone check (`/v1/agent/check/register`). */
  registerCheck(tx: Tx, body: unknown): void {
    const def = parseCheckDef(body)
    if (!def.Name) throw new HTTPError(400, 'Missing check name')
    if (!def.CheckID) def.CheckID = def.Name
    if (def.ServiceID && !this.catalog.service(this.nodeName, def.ServiceID)) {
      throw new HTTPError(400, `ServiceID "${def.ServiceID}" does not exist`)
    }
    this.#addCheck(tx, def)
  }

  /** Removes a local check; 404 when unknown. */
  deregisterCheck(tx: Tx, id: string): void {
    this.#stopTTL(id)
    if (!this.catalog.deleteCheck(tx, this.nodeName, id)) {
      throw unknownCheck(id)
    }
  }

  /** Sets a TTL check's state and restarts its timer (pass/warn/fail). */
  updateTTL(tx: Tx, id: string, status: CheckStatus, output: string): void {
    const c = this.catalog.check(this.nodeName, id)
    if (!c) throw unknownCheck(id)
    const ttl = this.#ttl.get(id)
    if (!ttl) throw new HTTPError(500, `Check "${id}" does not have associated TTL`)
    this.catalog.setCheckStatus(tx, this.nodeName, id, status, output)
    this.#armTTL(id, ttl.ms)
  }

  /** Turns maintenance mode on or off for a local service. */
  serviceMaintenance(tx: Tx, id: string, enable: boolean, reason: string): void {
    const svc = this.catalog.service(this.nodeName, id)
    if (!svc) throw new HTTPError(404, `Unknown service ID "${id}"`)
    const checkId = `_service_maintenance:${id}`
    if (!enable) {
      this.catalog.deleteCheck(tx, this.nodeName, checkId)
      return
    }
    this.catalog.ensureCheck(tx, this.nodeName, {
      CheckID: checkId, Name: 'Service Maintenance Mode', Status: 'critical',
      Notes: reason || maintNote, ServiceID: id, Type: 'maintenance',
    })
  }

  /** Turns node maintenance mode on or off. */
  nodeMaintenance(tx: Tx, enable: boolean, reason: string): void {
    if (!enable) {
      this.catalog.deleteCheck(tx, this.nodeName, '_node_maintenance')
      return
    }
    this.catalog.ensureCheck(tx, this.nodeName, {
      CheckID: '_node_maintenance', Name: 'Node Maintenance Mode',
      Status: 'critical', Notes: reason || nodeMaintNote, Type: 'maintenance',
    })
  }

  /** Stops every TTL timer. */
  close(): void {
    for (const t of this.#ttl.values()) clearTimeout(t.timer)
    this.#ttl.clear()
  }

  #addCheck(tx: Tx, def: CheckDef): void {
    const { ttlMs, ...input } = def
    this.catalog.ensureCheck(tx, this.nodeName, input)
    this.#stopTTL(def.CheckID)
    if (ttlMs !== undefined) this.#armTTL(def.CheckID, ttlMs)
  }

  #armTTL(id: string, ms: number): void {
    const entry = this.#ttl.get(id) ?? { ms }
    entry.ms = ms
    clearTimeout(entry.timer)
    entry.timer = setTimeout(() => {
      const c = this.catalog.check(this.nodeName, id)
      if (!c) return
      const output = 'TTL expired (last output before timeout follows): ' + c.Output
      this.raft.write((tx) =>
        this.catalog.setCheckStatus(tx, this.nodeName, id, 'critical', output))
    }, ms)
    entry.timer.unref()
    this.#ttl.set(id, entry)
  }

  #stopTTL(id: string): void {
    clearTimeout(this.#ttl.get(id)?.timer)
    this.#ttl.delete(id)
  }
}

function unknownCheck(id: string): HTTPError {
  return new HTTPError(404, `Unknown check ID "${id}". `
    + 'Ensure that the check ID is passed, not the check name.')
}
