/**
 * `/v1/kv/*`: reads (single, recurse, keys, raw) with Consul's index
 * rules, and PUT/DELETE with cas, acquire, release and flags.
 */
import { serveBlocking } from './blocking.ts'
import { encodeKV, send, sendJSON, type Ctx } from './respond.ts'
import type { Router } from './server.ts'
import { HTTPError } from './types.ts'

const maxValueSize = 512 * 1024

function get(ctx: Ctx): void {
  const key = ctx.rest
  const q = ctx.query
  const { kv } = ctx.store
  if (q.has('keys')) {
    const sep = q.get('separator') ?? q.get('seperator') ?? ''
    return serveBlocking(ctx, () => {
      const keys = kv.keys(key, sep)
      const miss = keys.length === 0 && key !== ''
      return {
        index: kv.prefixIndex(key), topics: [`kvp:${key}`],
        ...(miss ? { status: 404 } : { body: keys }),
      }
    })
  }
  if (q.has('recurse')) {
    return serveBlocking(ctx, () => {
      const list = kv.list(key)
      return {
        index: kv.prefixIndex(key), topics: [`kvp:${key}`],
        ...(list.length === 0 ? { status: 404 } : { body: encodeKV(list) }),
      }
    })
  }
  if (key === '') throw new HTTPError(400, 'Missing key name')
  const raw = q.has('raw')
  serveBlocking(ctx, () => {
    const e = kv.get(key)
    const base = { index: kv.keyIndex(key), topics: [`kv:${key}`] }
    if (!e) return { ...base, status: 404 }
    if (!raw) return { ...base, body: encodeKV([e]) }
    return {
      ...base,
      write: (c: Ctx, headers: Record<string, string>) => send(c, 200,
        e.Value === null ? Buffer.alloc(0) : Buffer.from(e.Value, 'base64'), {
          ...headers,
          'Content-Type': 'text/plain',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': 'sandbox',
        }),
    }
  })
}

/** Parses an unsigned integer parameter; `what` names it in the error. */
function uintParam(ctx: Ctx, name: string, status: number): number | undefined {
  const v = ctx.query.get(name)
  if (v === null) return undefined
  if (!/^\d+$/.test(v)) {
    throw new HTTPError(status,
      `strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`)
  }
  return Number(v)
}

function put(ctx: Ctx): void {
  const key = ctx.rest
  if (key === '') throw new HTTPError(400, 'Missing key name')
  const q = ctx.query
  const set = ['cas', 'acquire', 'release'].filter((p) => q.has(p))
  if (set.length > 1) {
    throw new HTTPError(400, `Conflicting flags: ${q.toString()}`)
  }
  let flags: string | undefined
  const f = q.get('flags')
  if (f !== null) {
    if (!/^\d+$/.test(f) || BigInt(f) >= 1n << 64n) {
      throw new HTTPError(500,
        `strconv.ParseUint: parsing ${JSON.stringify(f)}: invalid syntax`)
    }
    flags = BigInt(f).toString()
  }
  if (ctx.body.length > maxValueSize) {
    throw new HTTPError(413, `Request body(${ctx.body.length} bytes) too large, `
      + `max size: ${maxValueSize} bytes. See `
      + 'https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.')
  }
  const cas = uintParam(ctx, 'cas', 400)
  const value = ctx.body.length === 0 ? null : ctx.body.toString('base64')
  const ok = ctx.store.write((tx) => ctx.store.kv.put(tx, key, value, {
    ...(flags !== undefined ? { flags } : {}),
    ...(cas !== undefined ? { cas } : {}),
    ...(q.has('acquire') ? { acquire: q.get('acquire')! } : {}),
    ...(q.has('release') ? { release: q.get('release')! } : {}),
  }))
  sendJSON(ctx, 200, ok)
}

function del(ctx: Ctx): void {
  const key = ctx.rest
  const recurse = ctx.query.has('recurse')
  const cas = uintParam(ctx, 'cas', 400)
  if (recurse && cas !== undefined) {
    throw new HTTPError(400, 'Conflicting flags: cas,recurse')
  }
  if (!recurse && key === '') throw new HTTPError(400, 'Missing key name')
  const ok = ctx.store.write((tx) => ctx.store.kv.delete(tx, key, {
    recurse, ...(cas !== undefined ? { cas } : {}),
  }))
  sendJSON(ctx, 200, ok)
}

/** Adds the KV endpoints to the router. */
export function kvRoutes(r: Router): void {
  r.add('/v1/kv/', ['GET', 'PUT', 'DELETE'], (ctx) => {
    if (ctx.method === 'GET') return get(ctx)
    if (ctx.method === 'PUT') return put(ctx)
    return del(ctx)
  })
  r.add('/v1/kv', ['GET', 'PUT', 'DELETE'], (ctx) => {
    if (ctx.method === 'GET') return get(ctx)
    throw new HTTPError(400, 'Missing key name')
  })
}
