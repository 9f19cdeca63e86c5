/**
 * Consul's blocking queries: run the query; if its index is not past the
 * one the client sent, wait until a write touches one of the topics the
 * query read (or `wait` plus jitter runs out) and run it again.
 */
import { parseDurationMs } from './duration.ts'
import { sendJSON, sendText, type Ctx } from './respond.ts'
import { HTTPError } from './types.ts'

/** The answer of one run of a read query. */
export interface QueryResult {
  index: number
  /** Topics whose writes may change this answer. */
  topics: string[]
  /** JSON body; ignored when `write` is given. */
  body?: unknown
  /** Status when not 200 (a KV miss is 404 with headers). */
  status?: number
  /** Custom writer (raw KV values); gets the standard headers. */
  write?: (ctx: Ctx, headers: Record<string, string>) => void
}

/** Parsed consistency and blocking options of a read. */
export interface QueryOptions {
  minIndex: number
  waitMs: number
  consistency: 'leader' | 'stale' | 'consistent'
}

const defaultWaitMs = 5 * 60_000
const maxWaitMs = 10 * 60_000

/** Reads `index`, `wait`, `stale` and `consistent` with Consul's 400s. */
export function parseQueryOptions(q: URLSearchParams): QueryOptions {
  const consistent = q.has('consistent')
  const maxStale = q.get('max_stale')
  let maxStaleMs = 0
  if (maxStale !== null && maxStale !== '') {
    const ms = parseDurationMs(maxStale)
    if (ms === undefined) throw new HTTPError(400, `Invalid max_stale value "${maxStale}"`)
    maxStaleMs = ms
  }
  const stale = q.has('stale') || maxStaleMs > 0
  if (stale && consistent) {
    throw new HTTPError(400,
      'Cannot specify ?stale with ?consistent, conflicting semantics.')
  }
  if (q.has('cached') && consistent) {
    throw new HTTPError(400,
      'Cannot specify ?cached with ?consistent, conflicting semantics.')
  }
  let waitMs = 0
  const w = q.get('wait')
  if (w !== null && w !== '') {
    const ms = parseDurationMs(w)
    if (ms === undefined) throw new HTTPError(400, 'Invalid wait time')
    waitMs = ms
  }
  let minIndex = 0
  const idx = q.get('index')
  if (idx !== null && idx !== '') {
    if (!/^\d+$/.test(idx) || BigInt(idx) >= 1n << 64n) {
      throw new HTTPError(400, 'Invalid index')
    }
    minIndex = Number(idx)
  }
  return {
    minIndex, waitMs,
    consistency: consistent ? 'consistent' : stale ? 'stale' : 'leader',
  }
}

/** The time a blocked query may wait: default 5m, cap 10m, plus jitter. */
export function blockTimeoutMs(waitMs: number): number {
  let t = waitMs <= 0 ? defaultWaitMs : Math.min(waitMs, maxWaitMs)
  t += Math.random() * (t / 16)
  return t
}

/** Runs `run` as a blocking query and writes its answer with headers. */
export function serveBlocking(ctx: Ctx, run: () => QueryResult): void {
  const opts = parseQueryOptions(ctx.query)
  const first = run()
  if (opts.minIndex === 0 || first.index > opts.minIndex) {
    return reply(ctx, first, opts)
  }
  const hub = ctx.store.raft.hub
  let sub = hub.subscribe(first.topics, onWake)
  const timer = setTimeout(() => {
    cleanup()
    rerun((r) => reply(ctx, r, opts))
  }, blockTimeoutMs(opts.waitMs))
  const cleanup = (): void => {
    clearTimeout(timer)
    sub.cancel()
    ctx.res.off('close', cleanup)
  }
  ctx.res.on('close', cleanup)

  function onWake(): void {
    rerun((r) => {
      if (r.index > opts.minIndex) {
        cleanup()
        reply(ctx, r, opts)
        return
      }
      sub = hub.subscribe(r.topics, onWake)
    })
  }

  // Re-runs happen outside the request's own error boundary (in a timer or
  // a wake-up), so a failure must become a 500 here, not an uncaught throw.
  function rerun(then: (r: QueryResult) => void): void {
    try {
      then(run())
    } catch (err) {
      cleanup()
      sendText(ctx, 500, (err as Error).message)
    }
  }
}

function reply(ctx: Ctx, r: QueryResult, opts: QueryOptions): void {
  const headers = {
    'X-Consul-Index': String(Math.max(1, r.index)),
    'X-Consul-KnownLeader': 'true',
    'X-Consul-LastContact': '0',
    'X-Consul-Effective-Consistency': opts.consistency,
  }
  if (r.write) return r.write(ctx, headers)
  if (r.status === 404) {
    ctx.res.writeHead(404, { ...ctx.baseHeaders, ...headers, 'Content-Length': '0' })
    ctx.res.end()
    return
  }
  sendJSON(ctx, r.status ?? 200, r.body, headers)
}
