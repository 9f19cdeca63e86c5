/**
 * `/v1/agent/*` (self, members, local services and checks, TTL updates,
 * maintenance) and `/v1/status/*`.
 */
import { parseBody, str } from './fields.ts'
import { sendJSON, send, type Ctx } from './respond.ts'
import { needName } from './routes-catalog.ts'
import type { Router } from './server.ts'
import { HTTPError, isCheckStatus, type CheckStatus } from './types.ts'

/** The Consul version the agent reports about itself. */
export const reportedVersion = '1.20.0'

function empty(ctx: Ctx): void {
  send(ctx, 200, '', {})
}

function self(ctx: Ctx): void {
  const { store } = ctx
  const node = store.catalog.node(store.nodeName)!
  sendJSON(ctx, 200, {
    Config: {
      Datacenter: store.datacenter, PrimaryDatacenter: store.datacenter,
      NodeName: store.nodeName, NodeID: node.ID, Revision: 'ctmpl-dev',
      Server: true, Version: reportedVersion, BuildDate: '2024-01-01T00:00:00Z',
    },
    DebugConfig: {},
    Coord: null,
    Member: member(ctx),
    Stats: {},
    Meta: { 'consul-network-segment': '' },
  })
}

function member(ctx: Ctx): Record<string, unknown> {
  return {
    Name: ctx.store.nodeName, Addr: '127.0.0.1', Port: 8301,
    Tags: { dc: ctx.store.datacenter, role: 'consul', build: reportedVersion },
    Status: 1, ProtocolMin: 1, ProtocolMax: 5, ProtocolCur: 2,
    DelegateMin: 2, DelegateMax: 5, DelegateCur: 4,
  }
}

function services(ctx: Ctx): void {
  const { store } = ctx
  const out: Record<string, unknown> = {}
  const list = store.catalog.nodeServices(store.nodeName)
    .filter((s) => s.ID !== 'consul')
    .sort((a, b) => a.ID < b.ID ? -1 : 1)
  for (const s of list) {
    const { CreateIndex: _c, ModifyIndex: _m, PeerName: _p, ...rest } = s
    out[s.ID] = { ...rest, Datacenter: store.datacenter }
  }
  sendJSON(ctx, 200, out)
}

function checks(ctx: Ctx): void {
  const { store } = ctx
  const out: Record<string, unknown> = {}
  for (const c of store.catalog.nodeChecks(store.nodeName)) {
    const { CreateIndex: _c, ModifyIndex: _m, ...rest } = c
    out[c.CheckID] = rest
  }
  sendJSON(ctx, 200, out)
}

function enableParam(ctx: Ctx): boolean {
  const v = ctx.query.get('enable')
  if (v === null || v === '') throw new HTTPError(400, 'Missing value for enable')
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false
  throw new HTTPError(400, `Invalid value for enable: "${v}"`)
}

function ttlUpdate(status: CheckStatus) {
  return (ctx: Ctx): void => {
    const id = needName(ctx, 'Missing check ID')
    const note = ctx.query.get('note') ?? ''
    ctx.store.write((tx) => ctx.store.agent.updateTTL(tx, id, status, note))
    empty(ctx)
  }
}

function checkUpdate(ctx: Ctx): void {
  const id = needName(ctx, 'Missing check ID')
  const body = parseBody(ctx.body)
  const status = str(body, 'Status') ?? ''
  if (!isCheckStatus(status)) {
    throw new HTTPError(400, `Invalid check status: "${status}"`)
  }
  const output = str(body, 'Output') ?? ''
  ctx.store.write((tx) => ctx.store.agent.updateTTL(tx, id, status, output))
  empty(ctx)
}

/** Adds the agent and status endpoints to the router. */
export function agentRoutes(r: Router): void {
  r.add('/v1/agent/self', ['GET'], self)
  r.add('/v1/agent/members', ['GET'], (ctx) => sendJSON(ctx, 200, [member(ctx)]))
  r.add('/v1/agent/services', ['GET'], services)
  r.add('/v1/agent/checks', ['GET'], checks)
  r.add('/v1/agent/service/register', ['PUT'], (ctx) => {
    const body = parseBody(ctx.body)
    const replace = ctx.query.get('replace-existing-checks')
    const doReplace = replace !== null && (replace === '' || replace === 'true')
    ctx.store.write((tx) => ctx.store.agent.registerService(tx, body, doReplace))
    empty(ctx)
  })
  r.add('/v1/agent/service/deregister/', ['PUT'], (ctx) => {
    const id = needName(ctx, 'Missing service ID')
    ctx.store.write((tx) => ctx.store.agent.deregisterService(tx, id))
    empty(ctx)
  })
  r.add('/v1/agent/service/maintenance/', ['PUT'], (ctx) => {
    const id = needName(ctx, 'Missing service ID')
    const enable = enableParam(ctx)
    const reason = ctx.query.get('reason') ?? ''
    ctx.store.write((tx) => ctx.store.agent.serviceMaintenance(tx, id, enable, reason))
    empty(ctx)
  })
  r.add('/v1/agent/maintenance', ['PUT'], (ctx) => {
    const enable = enableParam(ctx)
    const reason = ctx.query.get('reason') ?? ''
    ctx.store.write((tx) => ctx.store.agent.nodeMaintenance(tx, enable, reason))
    empty(ctx)
  })
  r.add('/v1/agent/check/register', ['PUT'], (ctx) => {
    const body = parseBody(ctx.body)
    ctx.store.write((tx) => ctx.store.agent.registerCheck(tx, body))
    empty(ctx)
  })
  r.add('/v1/agent/check/deregister/', ['PUT'], (ctx) => {
    const id = needName(ctx, 'Missing check ID')
    ctx.store.write((tx) => ctx.store.agent.deregisterCheck(tx, id))
    empty(ctx)
  })
  r.add('/v1/agent/check/pass/', ['PUT'], ttlUpdate('passing'))
  r.add('/v1/agent/check/warn/', ['PUT'], ttlUpdate('warning'))
  r.add('/v1/agent/check/fail/', ['PUT'], ttlUpdate('critical'))
  r.add('/v1/agent/check/update/', ['PUT'], checkUpdate)
  r.add('/v1/status/leader', ['GET'], (ctx) => sendJSON(ctx, 200, '127.0.0.1:8300'))
  r.add('/v1/status/peers', ['GET'], (ctx) => sendJSON(ctx, 200, ['127.0.0.1:8300']))
}


