/**
 * catalog.datacenters: `datacenters [ignoreFailing]` in templates. The
 * endpoint cannot block, so every call after the first sleeps 15 s first,
 * as the reference does; the "index" is the time in seconds (kept strictly
 * increasing), so whether to re-render is decided by comparing contents.
 * With ignoreFailing, each datacenter is probed with a consistent
 * /v1/catalog/services and dropped when that fails.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { compareGo, goSlice } from './structs.ts'
import { isAbortError, timing, wrapFetchError } from './types.ts'
import type { Dependency, FetchContext, FetchOptions, Fetched } from './types.ts'

/** A `datacenters` dependency. */
export class CatalogDatacentersDependency implements Dependency<string[]> {
  readonly kind = 'consul'

  /** "catalog.datacenters"; with ignoreFailing the key differs (the
   * reference gives both the same key, so whichever template asked first
   * decided for all). */
  readonly key: string

  constructor(readonly ignoreFailing: boolean) {
    this.key = ignoreFailing
      ? 'catalog.datacenters(ignoreFailing)' : 'catalog.datacenters'
  }

  /** Sleeps unless this is the first call, then lists the datacenters. */
  async fetch(ctx: FetchContext, opts: FetchOptions): Fetched<string[]> {
    if (opts.index !== 0) {
      const ms = timing(ctx, 'nonBlockingSleepMs')
      ctx.logger?.trace(`${this.key}: long polling for ${ms}ms`)
      await sleep(ms, undefined, { signal: opts.signal })
    }
    let dcs: string[]
    try {
      const res = await ctx.consul.query<string[]>('/v1/catalog/datacenters',
        { signal: opts.signal })
      dcs = Array.isArray(res.body) ? res.body.map(String) : []
      if (this.ignoreFailing) dcs = await reachable(ctx, dcs, opts.signal)
    } catch (err) {
      throw wrapFetchError(this.key, err)
    }
    ctx.logger?.trace(`${this.key}: returned ${dcs.length} results`)
    goSlice(dcs.sort(compareGo), '[]string')
    const index = Math.max(Math.floor(Date.now() / 1000), opts.index + 1)
    return { data: dcs, index, lastContactMs: 0 }
  }
}

async function reachable(ctx: FetchContext, dcs: string[],
  signal: AbortSignal): Promise<string[]> {
  const out: string[] = []
  for (const dc of dcs) {
    try {
      await ctx.consul.query('/v1/catalog/services',
        { dc, consistent: true, signal })
      out.push(dc)
    } catch (err) {
      if (isAbortError(err)) throw err
    }
  }
  return out
}

const plain = new CatalogDatacentersDependency(false)
const ignoring = new CatalogDatacentersDependency(true)

/** Returns the `datacenters` dependency for the flag. */
export function datacentersDependency(
  ignoreFailing: boolean): CatalogDatacentersDependency {
  return ignoreFailing ? ignoring : plain
}
