/**
 * `/v1/session/*`: create, destroy, renew, info, list and node listings.
 */
import { serveBlocking } from './blocking.ts'
import { field, parseBody, str, strList } from './fields.ts'
import { sendJSON, sendText, type Ctx } from './respond.ts'
import { needName } from './routes-catalog.ts'
import type { Router } from './server.ts'
import type { SessionInput } from './session-store.ts'
import { HTTPError } from './types.ts'

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function create(ctx: Ctx): void {
  const body = parseBody(ctx.body)
  const input: SessionInput = {}
  const name = str(body, 'Name')
  if (name !== undefined) input.Name = name
  const node = str(body, 'Node')
  if (node) input.Node = node
  const delay = field(body, 'LockDelay')
  if (typeof delay === 'string' || typeof delay === 'number') input.LockDelay = delay
  else if (delay !== undefined && delay !== null) {
    throw new HTTPError(400, 'Request decode failed: invalid LockDelay')
  }
  const checks = strList(body, 'Checks')
  if (checks !== undefined) input.Checks = checks
  else if (field(body, 'Checks') === null) input.Checks = []
  const nodeChecks = strList(body, 'NodeChecks')
  if (nodeChecks !== undefined) input.NodeChecks = nodeChecks
  const svcChecks = field(body, 'ServiceChecks')
  if (Array.isArray(svcChecks)) {
    input.ServiceChecks = svcChecks.map((c) => ({ ID: str(c, 'ID') ?? '' }))
  }
  const behavior = str(body, 'Behavior')
  if (behavior) input.Behavior = behavior
  const ttl = str(body, 'TTL')
  if (ttl) input.TTL = ttl
  const s = ctx.store.write((tx) => ctx.store.sessions.create(tx, input))
  sendJSON(ctx, 200, { ID: s.ID })
}

function sessionId(ctx: Ctx): string {
  const id = needName(ctx, 'Missing session')
  if (!uuidRe.test(id)) throw new HTTPError(500, `Session ID must be a valid UUID: "${id}"`)
  return id
}

function destroy(ctx: Ctx): void {
  const id = sessionId(ctx)
  ctx.store.write((tx) => ctx.store.sessions.invalidate(tx, id))
  sendJSON(ctx, 200, true)
}

function renew(ctx: Ctx): void {
  const id = sessionId(ctx)
  const s = ctx.store.sessions.renew(id)
  if (!s) return sendText(ctx, 404, `Session id '${id}' not found`)
  sendJSON(ctx, 200, [s])
}

function info(ctx: Ctx): void {
  const id = needName(ctx, 'Missing session')
  const { sessions, raft } = ctx.store
  serveBlocking(ctx, () => {
    const s = sessions.get(id)
    return {
      index: raft.tableIndex('sessions'), topics: [`session:${id}`],
      body: s ? [s] : [],
    }
  })
}

function list(ctx: Ctx): void {
  const { sessions, raft } = ctx.store
  serveBlocking(ctx, () => ({
    index: raft.tableIndex('sessions'), topics: ['sessions'],
    body: sessions.list(),
  }))
}

function byNode(ctx: Ctx): void {
  const node = needName(ctx, 'Missing node name')
  const { sessions, raft } = ctx.store
  serveBlocking(ctx, () => ({
    index: raft.tableIndex('sessions'),
    topics: [`sessnode:${node.toLowerCase()}`],
    body: sessions.list().filter((s) => s.Node.toLowerCase() === node.toLowerCase()),
  }))
}

/** Adds the session endpoints to the router. */
export function sessionRoutes(r: Router): void {
  r.add('/v1/session/create', ['PUT'], create)
  r.add('/v1/session/destroy/', ['PUT'], destroy)
  r.add('/v1/session/renew/', ['PUT'], renew)
  r.add('/v1/session/info/', ['GET'], info)
  r.add('/v1/session/list', ['GET'], list)
  r.add('/v1/session/node/', ['GET'], byNode)
}
