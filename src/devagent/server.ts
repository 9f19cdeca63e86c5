/**
 * The HTTP front of the development agent on node:http: routing with
 * Consul's 404/405 answers, ACL token checks, the per-client connection
 * limit, body limits and the `/_ctmpl/*` counters.
 */
import {
  createServer, type IncomingMessage, type Server, type ServerResponse,
} from 'node:http'
import type { Socket } from 'node:net'
import type { Logger } from '../shared/logger.ts'
import { sendJSON, sendText, type Ctx } from './respond.ts'
import type { StateStore } from './state.ts'
import { Stats } from './stats.ts'
import { HTTPError } from './types.ts'

/** One endpoint: the methods it takes and its handler. */
export interface Route {
  name: string
  methods: string[]
  /** Largest body accepted, in bytes (413 above it). */
  maxBody?: number
  handler: (ctx: Ctx) => void | Promise<void>
}

/** Exact and prefix routes, as Consul's mux registers them. */
export class Router {
  readonly #exact = new Map<string, Route>()
  readonly #prefix: [string, Route][] = []

  /** Adds a route; a path ending in `/` matches everything below it. */
  add(path: string, methods: string[], handler: Route['handler'],
    maxBody?: number): void {
    const route: Route = { name: path, methods, handler,
      ...(maxBody !== undefined ? { maxBody } : {}) }
    if (path.endsWith('/')) {
      this.#prefix.push([path, route])
      this.#prefix.sort((a, b) => b[0].length - a[0].length)
    } else {
      this.#exact.set(path, route)
    }
  }

  /** Finds the route for a path and the remainder after its prefix. */
  match(path: string): { route: Route; rest: string } | undefined {
    const exact = this.#exact.get(path)
    if (exact) return { route: exact, rest: '' }
    for (const [p, route] of this.#prefix) {
      if (path.startsWith(p)) return { route, rest: path.slice(p.length) }
    }
    return undefined
  }
}

/** Settings of the HTTP front. */
export interface ServerOptions {
  store: StateStore
  router: Router
  aclToken?: string
  maxConnsPerClient: number
  pretty: boolean
  logger: Logger
  /** Log every request at debug level (set when -log-level asks). */
  logRequests?: boolean
}

const defaultMaxBody = 10 * 1024 * 1024
const tooMany = 'HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain\r\n'
  + 'Connection: close\r\n\r\n'
  + 'Your IP is issuing too many concurrent connections, please rate limit your calls\n'

/** Creates the HTTP server and its counters; the caller listens. */
export function createAgentServer(opts: ServerOptions): { server: Server; stats: Stats } {
  const stats = new Stats()
  const perClient = new Map<string, number>()
  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 30_000 },
    (req, res) => { void handle(opts, stats, req, res) })
  server.on('connection', (sock: Socket) => {
    const ip = sock.remoteAddress ?? ''
    const n = perClient.get(ip) ?? 0
    if (opts.maxConnsPerClient > 0 && n >= opts.maxConnsPerClient) {
      stats.reject()
      sock.on('error', () => {})
      sock.write(tooMany, () => sock.destroy())
      return
    }
    perClient.set(ip, n + 1)
    stats.open(sock)
    sock.once('close', () => {
      const left = (perClient.get(ip) ?? 1) - 1
      if (left > 0) perClient.set(ip, left)
      else perClient.delete(ip)
    })
  })
  server.on('clientError', (_err, sock: Socket) => {
    if (sock.writable) sock.end('HTTP/1.1 400 Bad Request\r\n\r\n')
    else sock.destroy()
  })
  return { server, stats }

  async function handle(o: ServerOptions, st: Stats, req: IncomingMessage,
    res: ServerResponse): Promise<void> {
    const baseHeaders: Record<string, string> = {
      'X-Consul-Default-Acl-Policy': o.aclToken ? 'deny' : 'allow',
      Vary: 'Accept-Encoding',
    }
    const raw = req.url ?? '/'
    const qAt = raw.indexOf('?')
    const query = new URLSearchParams(qAt >= 0 ? raw.slice(qAt + 1) : '')
    const ctx: Ctx = {
      req, res, method: req.method ?? 'GET', rest: '', query,
      body: Buffer.alloc(0), store: o.store, baseHeaders,
      pretty: o.pretty || query.has('pretty'),
    }
    if (o.logRequests) {
      const t0 = performance.now()
      res.once('finish', () => o.logger.debug({
        method: ctx.method, url: raw, status: res.statusCode,
        ms: Math.round((performance.now() - t0) * 100) / 100,
      }, 'request'))
    }
    try {
      // Read the whole body before answering anything: a reply sent while
      // a body is still arriving leaves its bytes to be parsed as the next
      // request on a kept-alive connection.
      ctx.body = await readBody(req, defaultMaxBody)
      let path: string
      try {
        path = decodeURIComponent(qAt >= 0 ? raw.slice(0, qAt) : raw)
      } catch {
        throw new HTTPError(400, 'Invalid URL path: malformed escape')
      }
      if (path.startsWith('/_ctmpl/')) return ctmplRoute(ctx, path, st)
      const m = o.router.match(path)
      if (!m) {
        st.request('unknown')
        if (path === '/') {
          return sendText(ctx, 200, 'Consul Agent: UI disabled. To enable, set '
            + 'ui_config.enabled=true in the agent configuration and restart.')
        }
        throw new HTTPError(404, path.includes('/v1/')
          ? 'Invalid URL path: not a recognized HTTP API endpoint\n'
          : 'Invalid URL path: if attempting to use the HTTP API, '
            + "ensure the path starts with '/v1/'\n")
      }
      st.request(`${ctx.method} ${m.route.name}`)
      ctx.rest = m.rest
      const allow = ['OPTIONS', ...m.route.methods].join(',')
      if (ctx.method === 'OPTIONS') {
        res.writeHead(200, { ...baseHeaders, Allow: allow, 'Content-Length': '0' })
        res.end()
        return
      }
      if (!m.route.methods.includes(ctx.method)) {
        return sendText(ctx, 405, `method ${ctx.method} not allowed`, { Allow: allow })
      }
      checkCommon(o, ctx, path)
      const max = m.route.maxBody ?? defaultMaxBody
      if (ctx.body.length > max) throw tooLarge(ctx.body.length, max)
      await m.route.handler(ctx)
    } catch (err) {
      if (err instanceof HTTPError && err.status === 413 && !req.complete) {
        // The rest of an oversize body is never read: close the connection.
        res.once('finish', () => req.socket.destroy())
        return sendText(ctx, 413, err.message, { Connection: 'close' })
      }
      if (err instanceof HTTPError) return sendText(ctx, err.status, err.message)
      o.logger.error({ err }, 'request failed')
      sendText(ctx, 500, (err as Error).message ?? String(err))
    }
  }
}

/** ACL token, datacenter and Enterprise-only parameters. */
function checkCommon(o: ServerOptions, ctx: Ctx, path: string): void {
  for (const p of ['ns', 'partition']) {
    const v = ctx.query.get(p)
    if (v) {
      throw new HTTPError(400, `Invalid query parameter: "${p}" - `
        + (p === 'ns' ? 'Namespaces are' : 'Partitions are')
        + ' a Consul Enterprise feature')
    }
  }
  const dc = ctx.query.get('dc')
  if (dc && dc !== o.store.datacenter) {
    throw new HTTPError(500, 'No path to datacenter')
  }
  if (!o.aclToken || path.startsWith('/v1/status/')) return
  const auth = ctx.req.headers['authorization']
  const bearer = typeof auth === 'string' && auth.startsWith('Bearer ')
    ? auth.slice(7) : undefined
  const hdr = ctx.req.headers['x-consul-token']
  const token = ctx.query.get('token') || (typeof hdr === 'string' ? hdr : '')
    || bearer || ''
  if (token === '') throw new HTTPError(403, 'Permission denied')
  if (token !== o.aclToken) throw new HTTPError(403, 'ACL not found')
}

/** The counters endpoint; the prefix cannot clash with Consul's `/v1`. */
function ctmplRoute(ctx: Ctx, path: string, st: Stats): void {
  if (path === '/_ctmpl/stats' && ctx.method === 'GET') {
    const hub = ctx.store.raft.hub
    return sendJSON(ctx, 200, st.snapshot(hub.waiting, hub.wakeStats))
  }
  if (path === '/_ctmpl/reset-stats' && ctx.method === 'POST') {
    st.reset()
    ctx.store.raft.hub.resetWakeStats()
    return sendJSON(ctx, 200, true)
  }
  sendText(ctx, 404, 'unknown ctmpl endpoint')
}

function tooLarge(size: number, max: number): HTTPError {
  return new HTTPError(413, `Request body(${size} bytes) too large, max size: ${max} bytes.`)
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let failed = false
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max && !failed) {
        failed = true
        reject(tooLarge(size, max))
      }
      if (!failed) chunks.push(c)
    })
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks)) })
    req.on('error', reject)
  })
}
