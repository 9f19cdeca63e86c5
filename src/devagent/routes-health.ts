/**
 * `/v1/health/*`: service and connect entries (tags, passing, filter,
 * near), checks by service, node and state.
 */
import { serveBlocking } from './blocking.ts'
import type { CatalogStore, Instance } from './catalog-store.ts'
import type { Ctx } from './respond.ts'
import {
  hasTags, needName, nodeMetaMatch, requestFilter,
} from './routes-catalog.ts'
import type { Router } from './server.ts'
import { HTTPError, type HealthCheck } from './types.ts'

const boolTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const boolFalse = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

/** Reads `?passing` as Consul does: presence means true. */
function passingParam(ctx: Ctx): boolean {
  const v = ctx.query.get('passing')
  if (v === null) return false
  if (v === '' || boolTrue.has(v)) return true
  if (boolFalse.has(v)) return false
  throw new HTTPError(400, 'Invalid value for ?passing')
}

/** Builds one `/v1/health/service` entry. */
function entry(catalog: CatalogStore, i: Instance): {
  Node: unknown; Service: unknown; Checks: HealthCheck[]
} {
  // Consul omits a zero Port from NodeService (omitempty).
  let svc: Record<string, unknown> = i.svc as unknown as Record<string, unknown>
  if (i.svc.Port === 0) {
    svc = {}
    for (const [k, v] of Object.entries(i.svc)) if (k !== 'Port') svc[k] = v
  }
  return {
    Node: i.node,
    Service: svc,
    Checks: catalog.instanceChecks(i.node.Node, i.svc.ID),
  }
}

function serviceEntries(ctx: Ctx, connect: boolean): void {
  const name = needName(ctx, 'Missing service name')
  const tags = ctx.query.getAll('tag')
  const passing = passingParam(ctx)
  const filter = requestFilter(ctx)
  const { catalog } = ctx.store
  serveBlocking(ctx, () => {
    let body = catalog.instances(name, connect)
      .filter((i) => hasTags(i.svc.Tags, tags) && nodeMetaMatch(ctx, i.node))
      .map((i) => entry(catalog, i))
    if (filter) body = body.filter(filter)
    if (passing) body = dropNonPassing(body)
    return {
      index: catalog.serviceIndex(name, connect),
      topics: catalog.serviceTopics(name, connect),
      body,
    }
  })
}

/**
 * Drops entries with any non-passing check. Consul removes them by moving
 * the last element into the hole, so the order changes; kept on purpose.
 */
function dropNonPassing<T extends { Checks: HealthCheck[] }>(list: T[]): T[] {
  const out = [...list]
  let n = out.length
  for (let i = 0; i < n; i++) {
    if (out[i]!.Checks.every((c) => c.Status === 'passing')) continue
    out[i] = out[n - 1]!
    n--
    i--
  }
  return out.slice(0, n)
}

function serviceChecks(ctx: Ctx): void {
  const name = needName(ctx, 'Missing service name')
  const filter = requestFilter(ctx)
  const { catalog, raft } = ctx.store
  serveBlocking(ctx, () => {
    const body: HealthCheck[] = []
    for (const i of catalog.instances(name)) {
      for (const c of catalog.instanceChecks(i.node.Node, i.svc.ID)) {
        if (c.ServiceID === i.svc.ID && (!filter || filter(c))) body.push(c)
      }
    }
    return {
      index: raft.tableIndex('checks'),
      topics: catalog.serviceTopics(name), body,
    }
  })
}

function nodeChecks(ctx: Ctx): void {
  const name = needName(ctx, 'Missing node name')
  const filter = requestFilter(ctx)
  const { catalog, raft } = ctx.store
  serveBlocking(ctx, () => ({
    index: raft.tableIndex('checks'),
    topics: [`node:${name.toLowerCase()}`],
    body: catalog.nodeChecks(name).filter((c) => !filter || filter(c)),
  }))
}

function checksInState(ctx: Ctx): void {
  const state = needName(ctx, 'Missing check state')
  if (!['any', 'passing', 'warning', 'critical'].includes(state)) {
    throw new HTTPError(400, 'Bad check state')
  }
  const filter = requestFilter(ctx)
  const { catalog, raft } = ctx.store
  serveBlocking(ctx, () => ({
    index: raft.tableIndex('checks'),
    topics: ['checks'],
    body: catalog.allChecks().filter((c) =>
      (state === 'any' || c.Status === state) && (!filter || filter(c))),
  }))
}

/** Adds the health endpoints to the router. */
export function healthRoutes(r: Router): void {
  r.add('/v1/health/service/', ['GET'], (ctx) => serviceEntries(ctx, false))
  r.add('/v1/health/connect/', ['GET'], (ctx) => serviceEntries(ctx, true))
  r.add('/v1/health/checks/', ['GET'], serviceChecks)
  r.add('/v1/health/node/', ['GET'], nodeChecks)
  r.add('/v1/health/state/', ['GET'], checksInState)
}
