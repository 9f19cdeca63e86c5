/**
 * catalog.node: `node` in templates. Grammar `name[?query][@dc]`, or no
 * name at all: then every fetch first asks /v1/agent/self for the agent's
 * own node name, as the reference does. A node that does not exist gives
 * an empty CatalogNode (Node nil, no services).
 */
import {
  anchored, invalidFormat, matchGroups, ParseCache, parseQueryOpts, pieces,
  querySuffix,
} from './grammar.ts'
import type { ConsulQueryOpts } from './grammar.ts'
import {
  CatalogNode, CatalogNodeService, Node, bool, compareGo, field, goSlice, int,
  serviceTags, str, strMap,
} from './structs.ts'
import { blocking, fetchShaped } from './types.ts'
import type { Dependency, FetchContext, FetchOptions, Fetched } from './types.ts'

const re = anchored(pieces.nodeName, pieces.query, pieces.dc)

/** A parsed `node` dependency. */
export class CatalogNodeDependency implements Dependency<CatalogNode> {
  readonly kind = 'consul'
  readonly key: string

  constructor(readonly name: string, readonly dc: string,
    readonly query: ConsulQueryOpts) {
    const k = name + (dc ? '@' + dc : '') + querySuffix(query, false)
    this.key = k ? `catalog.node(${k})` : 'catalog.node'
  }

  /** Resolves the node name if needed, then queries /v1/catalog/node. */
  async fetch(ctx: FetchContext, opts: FetchOptions): Fetched<CatalogNode> {
    let name = this.name
    const { data, meta } = await fetchShaped(this.key, opts, async () => {
      if (name === '') {
        ctx.logger?.trace(`${this.key}: getting local agent name`)
        const self = await ctx.consul.query('/v1/agent/self',
          { signal: opts.signal })
        name = str(field(self.body, 'Config'), 'NodeName')
      }
      return ctx.consul.query(`/v1/catalog/node/${name}`,
        blocking(opts, this.dc, this.query))
    }, shapeCatalogNode)
    if (data.Node === null) {
      ctx.logger?.warn(`${this.key}: no node exists with the name "${name}"`)
    }
    return { data, index: meta.index, lastContactMs: meta.lastContactMs }
  }
}

/** Turns /v1/catalog/node JSON into a CatalogNode; services sorted by
 * Service then ID, tags sorted. */
export function shapeCatalogNode(body: unknown): CatalogNode {
  const out = new CatalogNode()
  if (body === null || typeof body !== 'object') return out
  out.Node = Node.from(field(body, 'Node'))
  const services = field(body, 'Services')
  const list: CatalogNodeService[] = []
  if (services && typeof services === 'object') {
    for (const v of Object.values(services)) {
      const s = new CatalogNodeService()
      s.ID = str(v, 'ID')
      s.Service = str(v, 'Service')
      s.Tags = serviceTags(field(v, 'Tags'))
      s.Meta = strMap(v, 'Meta')
      s.Port = int(v, 'Port')
      s.Address = str(v, 'Address')
      s.EnableTagOverride = bool(v, 'EnableTagOverride')
      list.push(s)
    }
  }
  list.sort((a, b) => compareGo(a.Service, b.Service) || compareGo(a.ID, b.ID))
  out.Services = goSlice(list, '[]*dependency.CatalogNodeService')
  return out
}

const cache = new ParseCache<CatalogNodeDependency>()

/** Parses a `node` argument string ('' = the agent's own node). */
export function parseCatalogNode(s: string): CatalogNodeDependency {
  return cache.get(s, () => {
    if (s === '') {
      return new CatalogNodeDependency('', '', parseQueryOpts('', 'catalog.node'))
    }
    const m = matchGroups(re, s)
    if (!m) throw invalidFormat('catalog.node', s)
    return new CatalogNodeDependency(m.name ?? '', m.dc ?? '',
      parseQueryOpts(m.query ?? '', 'catalog.node'))
  })
}
