/**
 * The programmatic entry to the development agent: start a server on a
 * port (0 picks a free one), mutate its store directly, read counters,
 * stop it.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { silentLogger, type Logger } from '../shared/logger.ts'
import { agentRoutes } from './routes-agent.ts'
import { catalogRoutes } from './routes-catalog.ts'
import { healthRoutes } from './routes-health.ts'
import { kvRoutes } from './routes-kv.ts'
import { sessionRoutes } from './routes-session.ts'
import { applySeed, loadSeedFile, type Seed } from './seed.ts'
import { createAgentServer, Router } from './server.ts'
import { StateStore } from './state.ts'
import type { StatsSnapshot } from './stats.ts'

/** Options of startDevAgent; every field has a default. */
export interface DevAgentOptions {
  /** Host to bind; only loopback makes sense. Default 127.0.0.1. */
  host?: string
  /** Port; 0 (default) picks a free one. */
  port?: number
  datacenter?: string
  nodeName?: string
  /** When set, requests need this token (403 otherwise). */
  aclToken?: string
  /** Per-client-address connection limit; 0 disables. Default 200. */
  maxConnsPerClient?: number
  /** Pretty-print every JSON body as a -dev agent does. Default false. */
  pretty?: boolean
  /** Shortest session TTL accepted (Consul's session_ttl_min), ms. */
  sessionTtlMinMs?: number
  /** Seed content or a seed file path. */
  seed?: Seed | string
  logger?: Logger
  /** Log each request at debug level through `logger`. */
  logRequests?: boolean
}

/** A running development agent. */
export interface DevAgent {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string
  /** `host:port`, as consul-template's -consul-addr takes it. */
  addr: string
  port: number
  store: StateStore
  /** Current request/connection/byte counters. */
  stats(): StatsSnapshot
  /** Zeroes the counters. */
  resetStats(): void
  /** Closes every connection and timer. */
  stop(): Promise<void>
}

/** Builds the router with every endpoint the agent serves. */
export function buildRouter(): Router {
  const r = new Router()
  catalogRoutes(r)
  healthRoutes(r)
  kvRoutes(r)
  sessionRoutes(r)
  agentRoutes(r)
  return r
}

/** Starts a development agent and resolves once it listens. */
export async function startDevAgent(opts: DevAgentOptions = {}): Promise<DevAgent> {
  const store = new StateStore({
    ...(opts.datacenter ? { datacenter: opts.datacenter } : {}),
    ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
    ...(opts.sessionTtlMinMs !== undefined
      ? { sessionTtlMinMs: opts.sessionTtlMinMs } : {}),
  })
  try {
    if (typeof opts.seed === 'string') await loadSeedFile(store, opts.seed)
    else if (opts.seed) applySeed(store, opts.seed)
  } catch (err) {
    store.close()
    throw err
  }
  const { server, stats } = createAgentServer({
    store, router: buildRouter(),
    ...(opts.aclToken ? { aclToken: opts.aclToken } : {}),
    maxConnsPerClient: opts.maxConnsPerClient ?? 200,
    pretty: opts.pretty ?? false,
    logger: opts.logger ?? silentLogger,
    logRequests: opts.logRequests ?? false,
  })
  await listen(server, opts.host ?? '127.0.0.1', opts.port ?? 0)
  const { address, port } = server.address() as AddressInfo
  const host = address.includes(':') ? `[${address}]` : address
  let stopped: Promise<void> | undefined
  return {
    url: `http://${host}:${port}`,
    addr: `${host}:${port}`,
    port,
    store,
    stats: () => stats.snapshot(store.raft.hub.waiting, store.raft.hub.wakeStats),
    resetStats: () => {
      stats.reset()
      store.raft.hub.resetWakeStats()
    },
    stop: () => stopped ??= new Promise<void>((resolve) => {
      store.close()
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}
