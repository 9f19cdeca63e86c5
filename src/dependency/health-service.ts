/**
 * health.service and health.connect: `service` / `connect` in templates.
 * Grammar `[tag.]name[?query][@dc][~near][|status,...]`; the answer is
 * filtered by aggregated check status and sorted by node then ID (unless
 * `~near` asked for the agent's RTT order).
 */
import type { QueryPair } from '../consul/index.ts'
import {
  anchored, goQuote, invalidFormat, matchGroups, ParseCache, parseQueryOpts,
  pieces, querySuffix,
} from './grammar.ts'
import type { ConsulQueryOpts } from './grammar.ts'
import {
  AgentWeights, HealthCheck, HealthService, compareGo, field, goSlice,
  serviceAddressMap, serviceTags, str, strMap, int,
} from './structs.ts'
import { DependencyError, blocking, fetchShaped } from './types.ts'
import type { Dependency, FetchContext, FetchOptions, Fetched } from './types.ts'

const re = anchored(pieces.tag, pieces.serviceName, pieces.query, pieces.dc,
  pieces.near, pieces.filter)

/** The health filter words a `|filter` list may use. */
export const healthStatuses =
  ['any', 'passing', 'warning', 'critical', 'maintenance']

/** A parsed `service` / `connect` dependency. */
export class HealthServiceDependency implements Dependency<HealthService[]> {
  readonly kind = 'consul'
  readonly key: string

  constructor(
    readonly name: string,
    readonly tag: string,
    readonly dc: string,
    readonly near: string,
    readonly filters: readonly string[],
    readonly query: ConsulQueryOpts,
    readonly connect: boolean,
  ) {
    let k = tag ? `${tag}.${name}` : name
    if (dc) k += '@' + dc
    k += querySuffix(query, true)
    if (near) k += '~' + near
    if (filters.length > 0) k += '|' + filters.join(',')
    this.key = `${connect ? 'health.connect' : 'health.service'}(${k})`
  }

  /** Queries /v1/health/service (or /connect) and shapes the answer. */
  async fetch(ctx: FetchContext, opts: FetchOptions): Fetched<HealthService[]> {
    const params: QueryPair[] = []
    if (this.tag) params.push(['tag', this.tag])
    // Only the default filter can be left to the agent; any other list
    // needs the non-passing entries too.
    const f = this.filters
    if (f.length === 1 && f[0] === 'passing') params.push(['passing', '1'])
    const kind = this.connect ? 'connect' : 'service'
    const path = `/v1/health/${kind}/${this.name}`
    const { data, meta } = await fetchShaped(this.key, opts,
      () => ctx.consul.query(path, {
        ...blocking(opts, this.dc, this.query), near: this.near,
        peer: this.query.peer, samenessGroup: this.query.samenessGroup, params,
        cached: ctx.cachedHealth ?? false,
      }),
      (body) => shapeHealthEntries(Array.isArray(body) ? body : [], this.filters,
        this.near === ''))
    ctx.logger?.trace(`${this.key}: returned ${data.length} results after filtering`)
    return { data, index: meta.index, lastContactMs: meta.lastContactMs }
  }
}

/** Computes a check list's aggregated status as the reference does:
 * maintenance wins, an unknown status gives "", then the worst status;
 * no checks at all is "passing". */
export function aggregatedStatus(checks: readonly HealthCheck[]): string {
  let maintenance = false
  let critical = false
  let warning = false
  for (const c of checks) {
    const id = c.CheckID
    if (id === '_node_maintenance' || id.startsWith('_service_maintenance:')) {
      maintenance = true
      continue
    }
    switch (c.Status) {
      case 'passing': break
      case 'warning': warning = true; break
      case 'critical': critical = true; break
      default: return ''
    }
  }
  if (maintenance) return 'maintenance'
  if (critical) return 'critical'
  if (warning) return 'warning'
  return 'passing'
}

/** Turns /v1/health/service JSON entries into the reference's
 * HealthService list: status filter, then a stable sort by Node then ID
 * unless `sort` is false (a `~near` query keeps the agent's order). */
export function shapeHealthEntries(entries: readonly unknown[],
  filters: readonly string[], sort = true): HealthService[] {
  const any = filters.includes('any')
  const out: HealthService[] = []
  for (const entry of entries) {
    const node = field(entry, 'Node')
    const svc = field(entry, 'Service')
    const rawChecks = field(entry, 'Checks')
    const checks = goSlice((Array.isArray(rawChecks) ? rawChecks : [])
      .map((c) => HealthCheck.from(c)), 'api.HealthChecks')
    const status = aggregatedStatus(checks)
    if (!any && !filters.includes(status)) continue

    const hs = new HealthService()
    hs.Node = str(node, 'Node')
    hs.NodeID = str(node, 'ID')
    hs.NodeAddress = str(node, 'Address')
    hs.NodeTaggedAddresses = strMap(node, 'TaggedAddresses')
    hs.NodeMeta = strMap(node, 'Meta')
    hs.ServiceMeta = strMap(svc, 'Meta')
    hs.Address = str(svc, 'Address') || hs.NodeAddress
    hs.ServiceTaggedAddresses = serviceAddressMap(field(svc, 'TaggedAddresses'))
    hs.ID = str(svc, 'ID')
    hs.Name = str(svc, 'Service')
    hs.Tags = serviceTags(field(svc, 'Tags'))
    hs.Checks = checks
    hs.Status = status
    hs.Port = int(svc, 'Port')
    hs.Weights = AgentWeights.from(field(svc, 'Weights'))
    out.push(hs)
  }
  if (sort) {
    out.sort((a, b) => compareGo(a.Node, b.Node) || compareGo(a.ID, b.ID))
  }
  return goSlice(out, '[]*dependency.HealthService')
}

const caches = [new ParseCache<HealthServiceDependency>(),
  new ParseCache<HealthServiceDependency>()]

/** Parses a `service` (or, with connect, `connect`) argument string. */
export function parseHealthService(s: string,
  connect = false): HealthServiceDependency {
  return caches[connect ? 1 : 0]!.get(s, () => parseUncached(s, connect))
}

function parseUncached(s: string, connect: boolean): HealthServiceDependency {
  const label = 'health.service'
  const m = matchGroups(re, s)
  if (!m) throw invalidFormat(label, s)
  let filters: string[] = ['passing']
  if (m.filter) {
    filters = []
    for (const raw of m.filter.split(',')) {
      const f = raw.trim()
      if (f === '') continue
      if (!healthStatuses.includes(f)) {
        throw new DependencyError(
          `${label}: invalid filter: ${goQuote(f)} in ${goQuote(s)}`,
          'EDEP_PARSE')
      }
      filters.push(f)
    }
    filters.sort()
  }
  const q = parseQueryOpts(m.query ?? '', label)
  if (q.peer && q.samenessGroup) {
    throw new DependencyError(
      `${label}: cannot specify both peer and sameness-group`, 'EDEP_PARSE')
  }
  return new HealthServiceDependency(m.name ?? '', m.tag ?? '', m.dc ?? '',
    m.near ?? '', filters, q, connect)
}
