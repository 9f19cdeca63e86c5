/**
 * The KV kinds. kv.get backs `keyExists` and `keyOrDefault` (a missing key
 * is `null` data); kv.block backs `key` (a missing key keeps the view
 * polling: nothing is delivered until the key exists). kv.list backs
 * `ls`, `safeLs`, `tree` and `safeTree`. Grammar `key[?query][@dc]`, one
 * leading "/" dropped.
 */
import {
  anchored, invalidFormat, matchGroups, ParseCache, parseQueryOpts, pieces,
  querySuffix,
} from './grammar.ts'
import type { ConsulQueryOpts } from './grammar.ts'
import { KeyPair, field, goSlice, int, str } from './structs.ts'
import { blocking, fetchShaped } from './types.ts'
import type { Dependency, FetchContext, FetchOptions, Fetched } from './types.ts'

const getRe = anchored(pieces.key, pieces.query, pieces.dc)
const listRe = anchored(pieces.prefix, pieces.query, pieces.dc)

/** Decodes a KV Value (base64, null for empty) into a Go string. */
export function decodeValue(v: unknown): string {
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : ''
}

/** The request path of a key: the Go client drops one leading "/". */
function kvPath(key: string): string {
  return '/v1/kv/' + key.replace(/^\//, '')
}

/** Turns a single-key answer into its value, or null when there is none. */
function shapeValue(body: unknown): string | null {
  const pair = Array.isArray(body) ? body[0] : undefined
  return pair === undefined ? null : decodeValue(field(pair, 'Value'))
}

/** A parsed `key` / `keyExists` / `keyOrDefault` dependency. */
export class KVGetDependency implements Dependency<string | null> {
  readonly kind = 'consul'
  readonly key: string

  constructor(readonly path: string, readonly dc: string,
    readonly query: ConsulQueryOpts, readonly block: boolean) {
    const k = path + (dc ? '@' + dc : '') + querySuffix(query, false)
    this.key = `${block ? 'kv.block' : 'kv.get'}(${k})`
  }

  /** Reads one key; 404 gives null data with the agent's index. */
  async fetch(ctx: FetchContext, opts: FetchOptions): Fetched<string | null> {
    const { data, meta } = await fetchShaped(this.key, opts,
      () => ctx.consul.query(kvPath(this.path), {
        ...blocking(opts, this.dc, this.query), notFoundOk: true,
      }), shapeValue)
    ctx.logger?.trace(data === null ? `${this.key}: returned nil`
      : `${this.key}: returned ${JSON.stringify(data)}`)
    return {
      data, index: meta.index, lastContactMs: meta.lastContactMs,
      blockOnNil: this.block,
    }
  }
}

/** A parsed `ls` / `tree` dependency. */
export class KVListDependency implements Dependency<KeyPair[]> {
  readonly kind = 'consul'
  readonly key: string

  constructor(readonly prefix: string, readonly dc: string,
    readonly query: ConsulQueryOpts) {
    const k = prefix + (dc ? '@' + dc : '') + querySuffix(query, false)
    this.key = `kv.list(${k})`
  }

  /** Lists the prefix recursively; 404 gives an empty list. */
  async fetch(ctx: FetchContext, opts: FetchOptions): Fetched<KeyPair[]> {
    const { data, meta } = await fetchShaped(this.key, opts,
      () => ctx.consul.query(kvPath(this.prefix), {
        ...blocking(opts, this.dc, this.query),
        params: [['recurse', '']], notFoundOk: true,
      }), (body) => shapeKeyPairs(body, this.prefix))
    ctx.logger?.trace(`${this.key}: returned ${data.length} pairs`)
    return { data, index: meta.index, lastContactMs: meta.lastContactMs }
  }
}

/** Turns a recurse answer into KeyPairs in the agent's order: Key is the
 * full key with the prefix string removed, then every leading "/". */
export function shapeKeyPairs(body: unknown, prefix: string): KeyPair[] {
  const out: KeyPair[] = []
  for (const e of Array.isArray(body) ? body : []) {
    const p = new KeyPair()
    p.Path = str(e, 'Key')
    const path = p.Path
    const rest = path.startsWith(prefix) ? path.slice(prefix.length) : path
    p.Key = rest.replace(/^\/+/, '')
    p.Value = decodeValue(field(e, 'Value'))
    p.CreateIndex = int(e, 'CreateIndex')
    p.ModifyIndex = int(e, 'ModifyIndex')
    p.LockIndex = int(e, 'LockIndex')
    p.Flags = int(e, 'Flags')
    p.Session = str(e, 'Session')
    out.push(p)
  }
  return goSlice(out, '[]*dependency.KeyPair')
}

const getCaches = [
  new ParseCache<KVGetDependency>(), new ParseCache<KVGetDependency>()]
const listCache = new ParseCache<KVListDependency>()

/** Parses a key string; `block` makes the kv.block kind of `key`. */
export function parseKVGet(s: string, block = false): KVGetDependency {
  return getCaches[block ? 1 : 0]!.get(s, () => {
    const m = matchGroups(getRe, s)
    if (!m) throw invalidFormat('kv.get', s)
    return new KVGetDependency(m.key ?? '', m.dc ?? '',
      parseQueryOpts(m.query ?? '', 'kv.get'), block)
  })
}

/** Parses a prefix string for `ls` / `tree`. */
export function parseKVList(s: string): KVListDependency {
  return listCache.get(s, () => {
    const m = matchGroups(listRe, s)
    if (!m) throw invalidFormat('kv.list', s)
    return new KVListDependency(m.prefix ?? '', m.dc ?? '',
      parseQueryOpts(m.query ?? '', 'kv.list'))
  })
}
