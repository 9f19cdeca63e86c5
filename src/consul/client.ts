/**
 * The HTTP client for Consul's read API. One undici Agent with pipelining 1,
 * so every blocking query owns its connection for its whole wait (a
 * pipelined request behind a long-poll would wait minutes). Requests are
 * built as Consul's Go client builds them (`wait=<n>ms`, `stale=` with an
 * empty value, `index` only once known, keys sorted), and responses yield
 * the body plus X-Consul-Index, X-Consul-LastContact and
 * X-Consul-KnownLeader.
 *
 * A library: it does not log. Each request is published on the
 * diagnostics channels `ctmpl:consul:request` ({method, path, query}) and
 * `ctmpl:consul:response` ({method, path, status, durationMs, index} or
 * {method, path, error, durationMs}).
 */
import { channel } from 'node:diagnostics_channel'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { Agent } from 'undici'
import type { Dispatcher } from 'undici'
import { ConsulError, statusError } from './errors.ts'
import { encodeQuery, pathEscape } from './escape.ts'
import type { QueryPair } from './escape.ts'
import { clientDefaults, loadTls, parseAddress, validateOptions } from './options.ts'
import type { ConsulClientOptions, Endpoint } from './options.ts'
import { TokenSource } from './token.ts'

const gunzipAsync = promisify(gunzip)
const requestChannel = channel('ctmpl:consul:request')
const responseChannel = channel('ctmpl:consul:response')

/** Per-request options of a read. Unset fields are not sent. */
export interface QueryOptions {
  /** Blocking index; 0 or undefined sends no `index` (not blocking). */
  index?: number
  /** Blocking wait in ms, sent as `wait=<n>ms` when > 0. */
  waitMs?: number
  stale?: boolean
  consistent?: boolean
  dc?: string
  near?: string
  filter?: string
  ns?: string
  partition?: string
  peer?: string
  samenessGroup?: string
  /** Answer from the agent's cache (`cached`); ignored with consistent,
   * as the Go client ignores it. */
  cached?: boolean
  /** Endpoint-specific parameters (tag, passing, recurse, ...). */
  params?: readonly QueryPair[]
  /** Treat 404 as "no data" (KV reads) instead of an error. */
  notFoundOk?: boolean
  /** Aborts the request (a stopping view). */
  signal?: AbortSignal
}

/** What the response headers said about the answer. */
export interface QueryMeta {
  status: number
  /** X-Consul-Index, or 0 when absent or unparsable. */
  index: number
  /** X-Consul-LastContact in ms, or 0. */
  lastContactMs: number
  knownLeader: boolean
}

/** A decoded answer: the JSON body (null when empty or 404) and its meta.
 * The client decodes `body` on first read, so a caller that recognises
 * `text` from last time can skip the JSON parse altogether. */
export interface QueryResponse<T> {
  readonly body: T | null
  readonly meta: QueryMeta
  /** The raw body; absent from fakes that build bodies directly. */
  readonly text?: string
}

/** The read side of the client that dependencies need; tests fake it. */
export interface ConsulReader {
  /** Sends GET `path` (unescaped, starting with /v1/) and decodes it. */
  query<T = unknown>(path: string, q?: QueryOptions): Promise<QueryResponse<T>>
}

/** A client for one Consul agent. */
export class ConsulClient implements ConsulReader {
  readonly #endpoint: Endpoint
  readonly #agent: Agent
  readonly #token: TokenSource
  readonly #basic: string | undefined
  readonly #namespace: string
  readonly #opts: Required<Pick<ConsulClientOptions,
    'timeoutMarginMs' | 'requestTimeoutMs' | 'acceptGzip'>>

  /** Checks the options, reads the files they name, and prepares a pool;
   * no connection is opened until the first request. */
  constructor(options: ConsulClientOptions) {
    validateOptions(options)
    this.#endpoint = parseAddress(options.address, options.ssl ?? false)
    const tls = loadTls(options.tls)
    this.#token = new TokenSource(options.token, options.tokenFile)
    if (options.auth && options.auth.username !== '') {
      const pair = `${options.auth.username}:${options.auth.password}`
      this.#basic = 'Basic ' + Buffer.from(pair, 'utf8').toString('base64')
    }
    this.#namespace = options.namespace ?? ''
    this.#opts = {
      timeoutMarginMs: options.timeoutMarginMs ?? clientDefaults.timeoutMarginMs,
      requestTimeoutMs: options.requestTimeoutMs ?? clientDefaults.requestTimeoutMs,
      acceptGzip: options.acceptGzip ?? false,
    }
    this.#agent = new Agent({
      pipelining: 1,
      connections: options.maxConnections ?? null,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? clientDefaults.keepAliveTimeoutMs,
      connect: {
        timeout: options.connectTimeoutMs ?? clientDefaults.connectTimeoutMs,
        ...(this.#endpoint.socketPath ? { socketPath: this.#endpoint.socketPath } : {}),
        ...tls,
      },
    })
  }

  /** The origin requests go to (e.g. "http://127.0.0.1:8500"). */
  get origin(): string {
    return this.#endpoint.origin
  }

  /** Sends a GET and decodes the JSON answer; see ConsulReader. */
  async query<T = unknown>(path: string, q: QueryOptions = {}): Promise<QueryResponse<T>> {
    const pairs = buildQuery(q, this.#namespace)
    const query = encodeQuery(pairs)
    const escaped = pathEscape(this.#endpoint.pathPrefix + path)
    const url = escaped + (query ? '?' + query : '')
    const headers: Record<string, string> = { 'user-agent': 'ctmpl' }
    const token = await this.#token.current()
    if (token) headers['x-consul-token'] = token
    if (this.#basic) headers['authorization'] = this.#basic
    if (this.#opts.acceptGzip) headers['accept-encoding'] = 'gzip'
    const timeout = this.#timeoutFor(q)

    if (requestChannel.hasSubscribers) {
      requestChannel.publish({ method: 'GET', path, query })
    }
    const started = performance.now()
    let res: Dispatcher.ResponseData
    try {
      res = await this.#agent.request({
        origin: this.#endpoint.origin, path: url, method: 'GET', headers,
        signal: q.signal, headersTimeout: timeout, bodyTimeout: timeout,
      })
    } catch (err) {
      throw this.#transportError(err, path, url, started)
    }

    let text: string
    try {
      text = await readBody(res)
    } catch (err) {
      throw this.#transportError(err, path, url, started)
    }
    // undici frees the connection a tick after the body ends. A view asks
    // again at once, and without this yield a burst of answers (one write
    // touching many keys) finds every socket still busy and opens new
    // ones: 150 views measured 200 connections, Consul's per-client limit.
    await new Promise((resolve) => setImmediate(resolve))
    const meta = readMeta(res)
    if (responseChannel.hasSubscribers) {
      responseChannel.publish({ method: 'GET', path, status: meta.status,
        index: meta.index, durationMs: performance.now() - started })
    }
    if (meta.status === 404 && q.notFoundOk) return { body: null, meta, text: '' }
    if (meta.status !== 200) throw statusError('GET', path, meta.status, text)
    return new LazyResponse<T>(text, meta, path)
  }

  /** Closes every connection, aborting requests in flight. */
  async close(): Promise<void> {
    await this.#agent.destroy()
  }

  #timeoutFor(q: QueryOptions): number {
    if (!q.index) return this.#opts.requestTimeoutMs
    let wait = q.waitMs && q.waitMs > 0 ? q.waitMs : clientDefaults.serverDefaultWaitMs
    wait = Math.min(wait, clientDefaults.serverMaxWaitMs)
    // The agent adds up to wait/16 of jitter before it answers.
    return Math.ceil(wait + wait / 16) + this.#opts.timeoutMarginMs
  }

  #transportError(err: unknown, path: string, url: string, started: number): Error {
    if (responseChannel.hasSubscribers) {
      responseChannel.publish({ method: 'GET', path, error: err,
        durationMs: performance.now() - started })
    }
    // An abort is the caller's own doing: hand it back unchanged.
    if (isAbort(err)) return err as Error
    const reason = err instanceof Error ? describe(err) : String(err)
    return new ConsulError(`Get "${this.#endpoint.origin}${url}": ${reason}`,
      'ECONSUL_TRANSPORT', { method: 'GET', path }, { cause: err })
  }
}

/** Builds the query pairs of a request; the namespace from the options is
 * the default `ns`, as the Go client's config namespace. */
export function buildQuery(q: QueryOptions, namespace = ''): QueryPair[] {
  const out: QueryPair[] = []
  const ns = q.ns || namespace
  if (ns) out.push(['ns', ns])
  if (q.partition) out.push(['partition', q.partition])
  if (q.samenessGroup) out.push(['sameness-group', q.samenessGroup])
  if (q.dc) out.push(['dc', q.dc])
  if (q.peer) out.push(['peer', q.peer])
  if (q.stale) out.push(['stale', ''])
  if (q.consistent) out.push(['consistent', ''])
  if (q.cached && !q.consistent) out.push(['cached', ''])
  if (q.index && q.index > 0) out.push(['index', String(q.index)])
  if (q.waitMs && q.waitMs > 0) out.push(['wait', `${Math.max(1, Math.floor(q.waitMs))}ms`])
  if (q.near) out.push(['near', q.near])
  if (q.filter) out.push(['filter', q.filter])
  if (q.params) out.push(...q.params)
  return out
}

async function readBody(res: Dispatcher.ResponseData): Promise<string> {
  const enc = res.headers['content-encoding']
  if (enc === 'gzip') {
    const raw = Buffer.from(await res.body.arrayBuffer())
    return (await gunzipAsync(raw)).toString('utf8')
  }
  return res.body.text()
}

function header(res: Dispatcher.ResponseData, name: string): string | undefined {
  const v = res.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** Reads the index headers; unparsable values stay 0, as in the Go client. */
function readMeta(res: Dispatcher.ResponseData): QueryMeta {
  const index = header(res, 'x-consul-index')
  const contact = header(res, 'x-consul-lastcontact')
  return {
    status: res.statusCode,
    index: index !== undefined && /^\d+$/.test(index) ? Number(index) : 0,
    lastContactMs: contact !== undefined && /^\d+$/.test(contact) ? Number(contact) : 0,
    knownLeader: header(res, 'x-consul-knownleader') === 'true',
  }
}

/** A response whose JSON is parsed on first access (ECONSUL_DECODE then). */
class LazyResponse<T> implements QueryResponse<T> {
  #body: T | null | undefined

  constructor(readonly text: string, readonly meta: QueryMeta,
    private readonly path: string) {}

  get body(): T | null {
    if (this.#body === undefined) this.#body = decodeJSON<T>(this.text, this.path)
    return this.#body
  }
}

function decodeJSON<T>(text: string, path: string): T | null {
  if (text.trim() === '') return null
  try {
    return JSON.parse(text) as T
  } catch (err) {
    throw new ConsulError(`decoding ${path}: ${(err as Error).message}`,
      'ECONSUL_DECODE', { method: 'GET', path }, { cause: err })
  }
}

function isAbort(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | null
  return e?.name === 'AbortError' || e?.code === 'UND_ERR_ABORTED' ||
    e?.code === 'ABORT_ERR'
}

function describe(err: Error): string {
  const code = (err as { code?: string }).code
  const causeMsg = err.cause instanceof Error ? err.cause.message : ''
  const msg = err.message || causeMsg
  if (!code || msg.includes(code)) return msg
  return `${msg} (${code})`
}
