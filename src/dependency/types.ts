/**
 * The contract between dependencies and the watch layer. A Dependency is
 * an immutable value: its canonical `key` identifies it (two templates
 * asking for `service "web"` get equal keys and share one view), and
 * `fetch` runs one query. State a fetch must keep between calls (the file
 * dependency's last stat) lives in `opts.state`, which the view owns.
 */
import type { ConsulReader, QueryOptions, QueryResponse } from '../consul/index.ts'
import type { Logger } from '../shared/logger.ts'

/** Where the data comes from; chooses the retry policy. Consul errors are
 * retried with back-off; local (file) errors are fatal at once, as in the
 * reference. */
export type DependencyKind = 'consul' | 'local'

/** What a view passes to every fetch. */
export interface FetchOptions {
  /** The last index seen; 0 means "answer now". */
  index: number
  /** Blocking wait to ask for (block_query_wait). */
  waitMs: number
  /** Send `stale` (max_stale > 0 and the last answer was fresh enough). */
  allowStale: boolean
  /** Stops the fetch (view stopped). */
  signal: AbortSignal
  /** Per-view scratch space that survives between fetches. */
  state: Record<string, unknown>
}

/** Timings of the non-blocking kinds; tests shorten them. */
export interface FetchTimings {
  /** Sleep between catalog.datacenters polls (reference: 15 s). */
  nonBlockingSleepMs: number
  /** Interval of the file dependency's stat polling (reference: 2 s). */
  filePollMs: number
}

/** Default timings, as the reference's constants. */
export const defaultTimings: FetchTimings = {
  nonBlockingSleepMs: 15_000,
  filePollMs: 2_000,
}

/** What fetches are given besides their options. */
export interface FetchContext {
  consul: ConsulReader
  timings?: Partial<FetchTimings>
  /** Trace-level notes on what the fetch did. */
  logger?: Logger
  /** Ask health queries with `cached` (the agent's streaming cache); off
   * by default because it changes staleness semantics. */
  cachedHealth?: boolean
}

/** One answer. */
export interface FetchResult<T> {
  data: T
  /** The index to block on next time (X-Consul-Index or a synthetic one). */
  index: number
  /** X-Consul-LastContact of the answer, in ms. */
  lastContactMs: number
  /** Keep polling rather than deliver `null` data (`key` on a missing key). */
  blockOnNil?: boolean
}

/** A thing a template can depend on. */
export interface Dependency<T = unknown> {
  /** Canonical key, e.g. "health.service(web|passing)", "kv.get(a/b)". */
  readonly key: string
  readonly kind: DependencyKind
  /** Runs one query; rejects with a DependencyError (or the abort). */
  fetch(ctx: FetchContext, opts: FetchOptions): Promise<FetchResult<T>>
}

/** Errors of this layer: bad dependency strings and failed fetches. */
export class DependencyError extends Error {
  readonly code: 'EDEP_PARSE' | 'EDEP_FETCH' | 'EDEP_LOOKUP'

  /** Key of the dependency that failed ('' for parse errors). */
  readonly dependency: string

  constructor(message: string, code: DependencyError['code'], dependency = '',
    options?: ErrorOptions) {
    super(message, options)
    this.code = code
    this.dependency = dependency
  }
}
DependencyError.prototype.name = 'DependencyError'

/** Reports whether an error is an abort (a stopped view), not a failure. */
export function isAbortError(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | null
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR' ||
    e?.code === 'UND_ERR_ABORTED'
}

/** Wraps a fetch failure as "<key>: <message>", as the reference does;
 * aborts pass through unchanged. */
export function wrapFetchError(key: string, err: unknown): Error {
  if (isAbortError(err)) return err as Error
  const msg = err instanceof Error ? err.message : String(err)
  return new DependencyError(`${key}: ${msg}`, 'EDEP_FETCH', key, { cause: err })
}

/** Returns the timing to use, falling back to the reference's. */
export function timing(ctx: FetchContext, name: keyof FetchTimings): number {
  return ctx.timings?.[name] ?? defaultTimings[name]
}

/** Builds the options of a blocking read: index, wait, stale, the
 * dependency's datacenter and its enterprise options. */
export function blocking(opts: FetchOptions, dc: string,
  q: { ns: string; partition: string }): QueryOptions {
  return {
    index: opts.index, waitMs: opts.waitMs, stale: opts.allowStale, dc,
    ns: q.ns, partition: q.partition, signal: opts.signal,
  }
}

/** Shapes a response body, or, when the view got the very same bytes last
 * time, returns the data shaped then (no JSON parse, no shaping, and the
 * view's deep-equal check sees the same object and returns at once).
 * Blocking queries that time out return unchanged bodies every wait. */
export function shapeOnce<T>(opts: FetchOptions, res: QueryResponse<unknown>,
  shape: (body: unknown) => T): T {
  const text = res.text
  const st = opts.state
  if (text !== undefined && text !== '' && st.lastText === text) return st.lastData as T
  const data = shape(res.body)
  if (text !== undefined) {
    st.lastText = text
    st.lastData = data
  }
  return data
}

/** Runs a query and shapes its body (reusing the last shape for the same
 * bytes); any failure, decoding included, is wrapped with the key. */
export async function fetchShaped<T>(key: string, opts: FetchOptions,
  query: () => Promise<QueryResponse<unknown>>,
  shape: (body: unknown) => T): Promise<{ data: T; meta: QueryResponse<unknown>['meta'] }> {
  try {
    const res = await query()
    return { data: shapeOnce(opts, res, shape), meta: res.meta }
  } catch (err) {
    throw wrapFetchError(key, err)
  }
}

/** Shorthand for a fetch's promised result. */
export type Fetched<T> = Promise<FetchResult<T>>
