/**
 * The HTTP client for Consul's read API, on node:http with one keep-alive
 * agent: every blocking query owns its connection for its whole wait (Node
 * never pipelines), idle connections are reused. node:http rather than the
 * design's undici: measured here, undici's WebAssembly parser and module
 * graph cost 54 ms of a 180 ms start-up and 9-13 MB of RSS per 100 open
 * long-polls, for no gain on a client that sends one GET at a time per
 * connection. Requests are
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
import * as http from 'node:http'
import * as https from 'node:https'
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
  readonly #agent: http.Agent
  readonly #url: URL
  readonly #token: TokenSource
  readonly #basic: string | undefined
  readonly #namespace: string
  readonly #connectTimeoutMs: number
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
    const agentOptions: https.AgentOptions = {
      keepAlive: true,
      keepAliveMsecs: 30_000,
      maxSockets: options.maxConnections ?? Infinity,
      // Idle sockets close after this; a socket in a long-poll is not idle.
      timeout: options.keepAliveTimeoutMs ?? clientDefaults.keepAliveTimeoutMs,
      scheduling: 'lifo',
      ...tls,
    }
    this.#url = new URL(this.#endpoint.origin)
    this.#agent = this.#url.protocol === 'https:'
      ? new https.Agent(agentOptions) : new http.Agent(agentOptions)
    this.#connectTimeoutMs = options.connectTimeoutMs ?? clientDefaults.connectTimeoutMs
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
    let res: RawResponse
    try {
      res = await this.#send(url, headers, timeout, q.signal)
    } catch (err) {
      throw this.#transportError(err, path, url, started)
    }
    const text = res.text
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
    this.#agent.destroy()
  }

  /** One GET on the keep-alive agent; resolves with the whole body. */
  #send(url: string, headers: Record<string, string>, timeoutMs: number,
    signal: AbortSignal | undefined): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      const secure = this.#url.protocol === 'https:'
      const req = (secure ? https : http).request({
        agent: this.#agent,
        method: 'GET',
        path: url,
        headers,
        ...(this.#endpoint.socketPath
          ? { socketPath: this.#endpoint.socketPath }
          : { host: this.#url.hostname.replace(/^\[|\]$/g, ''), port: this.#url.port
            || (secure ? 443 : 80) }),
        signal,
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const raw = Buffer.concat(chunks)
          const done = (body: Buffer): void => resolve({
            status: res.statusCode ?? 0, headers: res.headers, text: body.toString('utf8') })
          if (res.headers['content-encoding'] === 'gzip') {
            gunzipAsync(raw).then(done, reject)
          } else {
            done(raw)
          }
        })
      })
      // The socket may sit silent for the whole blocking wait; longer than
      // that (plus the agent's jitter and a margin) means it is lost.
      req.setTimeout(timeoutMs, () => {
        req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`),
          { code: 'ETIMEDOUT' }))
      })
      const connectTimer = setTimeout(() => {
        if (!req.socket || req.socket.connecting) {
          req.destroy(Object.assign(new Error(
            `connecting took longer than ${this.#connectTimeoutMs} ms`), { code: 'ETIMEDOUT' }))
        }
      }, this.#connectTimeoutMs)
      connectTimer.unref()
      req.on('close', () => clearTimeout(connectTimer))
      req.on('error', reject)
      req.end()
    })
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

/** A whole answer as node:http delivered it. */
interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
}

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** Reads the index headers; unparsable values stay 0, as in the Go client. */
function readMeta(res: RawResponse): QueryMeta {
  const index = header(res, 'x-consul-index')
  const contact = header(res, 'x-consul-lastcontact')
  return {
    status: res.status,
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
