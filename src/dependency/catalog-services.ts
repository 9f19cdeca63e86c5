/**
 * catalog.services: `services` in templates. Grammar `[?query][@dc]`; the
 * answer (an object of name → tags) becomes CatalogSnippets sorted by name
 * with sorted tags.
 */
import {
  anchored, invalidFormat, matchGroups, ParseCache, parseQueryOpts, pieces,
  querySuffix,
} from './grammar.ts'
import type { ConsulQueryOpts } from './grammar.ts'
import { CatalogSnippet, compareGo, goSlice, serviceTags } from './structs.ts'
import { blocking, fetchShaped } from './types.ts'
import type { Dependency, FetchContext, FetchOptions, Fetched } from './types.ts'

const re = anchored(pieces.query, pieces.dc)

/** A parsed `services` dependency. */
export class CatalogServicesDependency implements Dependency<CatalogSnippet[]> {
  readonly kind = 'consul'
  readonly key: string

  constructor(readonly dc: string, readonly query: ConsulQueryOpts) {
    const k = (dc ? '@' + dc : '') + querySuffix(query, false)
    this.key = k ? `catalog.services(${k})` : 'catalog.services'
  }

  /** Queries /v1/catalog/services and shapes the answer. */
  async fetch(ctx: FetchContext, opts: FetchOptions): Fetched<CatalogSnippet[]> {
    const { data, meta } = await fetchShaped(this.key, opts,
      () => ctx.consul.query('/v1/catalog/services', blocking(opts, this.dc, this.query)),
      shapeCatalogServices)
    ctx.logger?.trace(`${this.key}: returned ${data.length} results`)
    return { data, index: meta.index, lastContactMs: meta.lastContactMs }
  }
}

/** Turns the name → tags object into snippets sorted by name. */
export function shapeCatalogServices(body: unknown): CatalogSnippet[] {
  const out: CatalogSnippet[] = []
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [name, tags] of Object.entries(body)) {
      const s = new CatalogSnippet()
      s.Name = name
      s.Tags = serviceTags(tags)
      out.push(s)
    }
  }
  out.sort((a, b) => compareGo(a.Name, b.Name))
  return goSlice(out, '[]*dependency.CatalogSnippet')
}

const cache = new ParseCache<CatalogServicesDependency>()

/** Parses a `services` argument string (its arguments concatenated). */
export function parseCatalogServices(s: string): CatalogServicesDependency {
  return cache.get(s, () => {
    const m = matchGroups(re, s)
    if (!m) throw invalidFormat('catalog.services', s)
    return new CatalogServicesDependency(m.dc ?? '',
      parseQueryOpts(m.query ?? '', 'catalog.services'))
  })
}
