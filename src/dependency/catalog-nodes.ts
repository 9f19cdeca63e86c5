/**
 * catalog.nodes: `nodes` in templates. Grammar `[?query][@dc][~near]`;
 * nodes sorted by name then address unless `~near` was given.
 */
import {
  anchored, invalidFormat, matchGroups, ParseCache, parseQueryOpts, pieces,
  querySuffix,
} from './grammar.ts'
import type { ConsulQueryOpts } from './grammar.ts'
import { Node, compareGo, goSlice } from './structs.ts'
import { blocking, fetchShaped } from './types.ts'
import type { Dependency, FetchContext, FetchOptions, Fetched } from './types.ts'

const re = anchored(pieces.query, pieces.dc, pieces.near)

/** A parsed `nodes` dependency. */
export class CatalogNodesDependency implements Dependency<Node[]> {
  readonly kind = 'consul'
  readonly key: string

  constructor(readonly dc: string, readonly near: string,
    readonly query: ConsulQueryOpts) {
    let k = (dc ? '@' + dc : '') + querySuffix(query, false)
    if (near) k += '~' + near
    this.key = k ? `catalog.nodes(${k})` : 'catalog.nodes'
  }

  /** Queries /v1/catalog/nodes and shapes the answer. */
  async fetch(ctx: FetchContext, opts: FetchOptions): Fetched<Node[]> {
    const { data, meta } = await fetchShaped(this.key, opts,
      () => ctx.consul.query('/v1/catalog/nodes',
        { ...blocking(opts, this.dc, this.query), near: this.near }),
      (body) => shapeCatalogNodes(body, this.near === ''))
    ctx.logger?.trace(`${this.key}: returned ${data.length} results`)
    return { data, index: meta.index, lastContactMs: meta.lastContactMs }
  }
}

/** Turns the node array into Nodes, sorted by Node then Address. */
export function shapeCatalogNodes(body: unknown, sort = true): Node[] {
  const out = (Array.isArray(body) ? body : []).map((n) => Node.from(n))
  if (sort) {
    out.sort((a, b) => compareGo(a.Node, b.Node) || compareGo(a.Address, b.Address))
  }
  return goSlice(out, '[]*dependency.Node')
}

const cache = new ParseCache<CatalogNodesDependency>()

/** Parses a `nodes` argument string (its arguments concatenated). */
export function parseCatalogNodes(s: string): CatalogNodesDependency {
  return cache.get(s, () => {
    const m = matchGroups(re, s)
    if (!m) throw invalidFormat('catalog.nodes', s)
    return new CatalogNodesDependency(m.dc ?? '', m.near ?? '',
      parseQueryOpts(m.query ?? '', 'catalog.nodes'))
  })
}
