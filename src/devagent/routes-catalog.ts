/**
 * `/v1/catalog/*`: register, deregister and the blocking reads, with the
 * result indexes Consul computes for each.
 */
import { parseCheckDef, parseServiceDef } from './agent-state.ts'
import { serveBlocking } from './blocking.ts'
import type { Instance } from './catalog-store.ts'
import { bool, field, parseBody, str, strMap } from './fields.ts'
import { compileFilter, type Predicate } from './filter.ts'
import { sendJSON, RawJSON, type Ctx } from './respond.ts'
import type { Router } from './server.ts'
import { HTTPError, type Node } from './types.ts'

/** Returns the `filter` predicate of a request, if one was given. */
export function requestFilter(ctx: Ctx): Predicate | undefined {
  const f = ctx.query.get('filter')
  return f ? compileFilter(f) : undefined
}

/** True when the instance carries every tag, case-insensitively. */
export function hasTags(tags: string[], want: string[]): boolean {
  if (want.length === 0) return true
  const have = new Set(tags.map((t) => t.toLowerCase()))
  return want.every((t) => have.has(t.toLowerCase()))
}

/** Keeps nodes matching every `node-meta=key:value` pair. */
export function nodeMetaMatch(ctx: Ctx, node: Node): boolean {
  for (const kv of ctx.query.getAll('node-meta')) {
    const at = kv.indexOf(':')
    const k = at < 0 ? kv : kv.slice(0, at)
    const v = at < 0 ? '' : kv.slice(at + 1)
    if (node.Meta[k] !== v) return false
  }
  return true
}

/** Requires the path remainder (a name); 400 with `msg` when empty. */
export function needName(ctx: Ctx, msg: string): string {
  if (ctx.rest === '') throw new HTTPError(400, msg)
  return ctx.rest
}

function catalogService(i: Instance): Record<string, unknown> {
  const { node: n, svc: s } = i
  return {
    ID: n.ID, Node: n.Node, Address: n.Address, Datacenter: n.Datacenter,
    TaggedAddresses: n.TaggedAddresses, NodeMeta: n.Meta,
    ServiceKind: s.Kind ?? '', ServiceID: s.ID, ServiceName: s.Service,
    ServiceTags: s.Tags, ServiceAddress: s.Address,
    ...(s.TaggedAddresses ? { ServiceTaggedAddresses: s.TaggedAddresses } : {}),
    ServiceWeights: s.Weights, ServiceMeta: s.Meta, ServicePort: s.Port,
    ServiceEnableTagOverride: s.EnableTagOverride, ServiceProxy: s.Proxy,
    ServiceConnect: s.Connect, CreateIndex: s.CreateIndex, ModifyIndex: s.ModifyIndex,
  }
}

function register(ctx: Ctx): void {
  const body = parseBody(ctx.body)
  const node = str(body, 'Node')
  if (!node) throw new HTTPError(400, 'Must provide node')
  const skipNode = bool(body, 'SkipNodeUpdate') ?? false
  const address = str(body, 'Address')
  const { catalog } = ctx.store
  if (!address && !(skipNode && catalog.node(node))) {
    throw new HTTPError(400, 'Must provide address')
  }
  const svcBody = field(body, 'Service')
  const service = svcBody ? parseServiceDef(svcBody).service : undefined
  const checkBodies = [field(body, 'Check'), ...arr(field(body, 'Checks'))]
    .filter((c) => c)
  const checks = checkBodies.map((c) => {
    const { ttlMs: _, ...def } = parseCheckDef(c)
    if (!def.CheckID) def.CheckID = def.Name ?? ''
    if (!def.CheckID) throw new HTTPError(400, 'Missing check ID')
    return { ...def, Output: str(c, 'Output') ?? '' }
  })
  ctx.store.write((tx) => {
    if (!skipNode || !catalog.node(node)) {
      const id = str(body, 'ID')
      catalog.ensureNode(tx, {
        Node: node, Address: address ?? '',
        ...(id ? { ID: id } : {}),
        ...(field(body, 'TaggedAddresses') !== undefined
          ? { TaggedAddresses: strMap(body, 'TaggedAddresses') ?? {} } : {}),
        ...(field(body, 'NodeMeta') !== undefined
          ? { Meta: strMap(body, 'NodeMeta') ?? {} } : {}),
      })
    }
    if (service) catalog.ensureService(tx, node, service)
    for (const c of checks) catalog.ensureCheck(tx, node, c)
  })
  sendJSON(ctx, 200, true)
}

function deregister(ctx: Ctx): void {
  const body = parseBody(ctx.body)
  const node = str(body, 'Node')
  if (!node) throw new HTTPError(400, 'Must provide node')
  const serviceId = str(body, 'ServiceID')
  const checkId = str(body, 'CheckID')
  const { catalog } = ctx.store
  ctx.store.write((tx) => {
    if (serviceId) catalog.deleteService(tx, node, serviceId)
    if (checkId) catalog.deleteCheck(tx, node, checkId)
    if (!serviceId && !checkId) catalog.deleteNode(tx, node)
  })
  sendJSON(ctx, 200, true)
}

/** The last unfiltered `/v1/catalog/services` answer, per store. */
const servicesCache = new WeakMap<object, { index: number; body: RawJSON }>()

function services(ctx: Ctx): void {
  const filter = requestFilter(ctx)
  const plain = !filter && !ctx.query.has('node-meta')
  const { catalog, raft } = ctx.store
  serveBlocking(ctx, () => {
    const index = raft.tableIndex('nodes', 'services')
    const topics = ['services', 'nodes']
    const hit = plain ? servicesCache.get(ctx.store) : undefined
    if (hit && hit.index === index) return { index, topics, body: hit.body }
    const out = new Map<string, Set<string>>()
    for (const [, insts] of catalog.serviceNames()) {
      for (const i of insts.values()) {
        if (!plain && !nodeMetaMatch(ctx, i.node)) continue
        if (filter && !filter(catalogService(i))) continue
        let tags = out.get(i.svc.Service)
        if (!tags) out.set(i.svc.Service, tags = new Set())
        for (const t of i.svc.Tags) tags.add(t)
      }
    }
    const body = sortedObject(out)
    if (plain) servicesCache.set(ctx.store, { index, body })
    return { index, topics, body }
  })
}

/** Encodes a map as a JSON object with sorted keys (as Go encodes maps). */
function sortedObject(m: Map<string, Set<string>>): RawJSON {
  const keys = [...m.keys()].sort()
  const compact = '{' + keys.map((k) =>
    `${JSON.stringify(k)}:${JSON.stringify([...m.get(k)!])}`).join(',') + '}'
  if (keys.length === 0) return new RawJSON('{}', '{}\n')
  const pretty = '{\n' + keys.map((k) => {
    const tags = [...m.get(k)!]
    const list = tags.length === 0 ? '[]'
      : '[\n' + tags.map((t) => `        ${JSON.stringify(t)}`).join(',\n') + '\n    ]'
    return `    ${JSON.stringify(k)}: ${list}`
  }).join(',\n') + '\n}\n'
  return new RawJSON(compact, pretty)
}

function service(ctx: Ctx): void {
  const name = needName(ctx, 'Missing service name')
  const tags = ctx.query.getAll('tag')
  const filter = requestFilter(ctx)
  const { catalog } = ctx.store
  serveBlocking(ctx, () => {
    const body = catalog.instances(name)
      .filter((i) => hasTags(i.svc.Tags, tags) && nodeMetaMatch(ctx, i.node))
      .map(catalogService)
      .filter((e) => !filter || filter(e))
    return {
      index: catalog.serviceIndex(name, false, false),
      topics: catalog.serviceTopics(name),
      body,
    }
  })
}

function nodes(ctx: Ctx): void {
  const filter = requestFilter(ctx)
  const { catalog, raft } = ctx.store
  serveBlocking(ctx, () => {
    const body = [...catalog.nodes.entries()]
      .sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
      .map(([, n]) => n)
      .filter((n) => nodeMetaMatch(ctx, n) && (!filter || filter(n)))
    return { index: raft.tableIndex('nodes', 'services'), topics: ['nodes'], body }
  })
}

function node(ctx: Ctx): void {
  const name = needName(ctx, 'Missing node name')
  const filter = requestFilter(ctx)
  const { catalog, raft } = ctx.store
  serveBlocking(ctx, () => {
    const n = catalog.node(name)
    const index = raft.tableIndex('nodes', 'services')
    const topics = [`node:${name.toLowerCase()}`]
    if (!n) return { index, topics, body: null }
    const svcs: Record<string, unknown> = {}
    const list = catalog.nodeServices(n.Node).sort((a, b) => a.ID < b.ID ? -1 : 1)
    for (const s of list) if (!filter || filter(s)) svcs[s.ID] = s
    return { index, topics, body: { Node: n, Services: svcs } }
  })
}

function datacenters(ctx: Ctx): void {
  sendJSON(ctx, 200, [ctx.store.datacenter])
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

/** Adds the catalog endpoints to the router. */
export function catalogRoutes(r: Router): void {
  r.add('/v1/catalog/register', ['PUT'], register)
  r.add('/v1/catalog/deregister', ['PUT'], deregister)
  r.add('/v1/catalog/services', ['GET'], services)
  r.add('/v1/catalog/service/', ['GET'], service)
  r.add('/v1/catalog/nodes', ['GET'], nodes)
  r.add('/v1/catalog/node/', ['GET'], node)
  r.add('/v1/catalog/datacenters', ['GET'], datacenters)
}
