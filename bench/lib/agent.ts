/**
 * The benchmark's Consul: one `ctmpl dev` process (compiled build), pinned
 * to core 0 when taskset exists, shared by both implementations in a run.
 * Mutations go through Consul's HTTP API, as an operator's would.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { request } from 'undici'
import { cliEntry, pinned } from './proc.ts'

/** A running agent and the calls the scenarios make. */
export interface BenchAgent {
  url: string
  addr: string
  proc: ChildProcess
  put(path: string, body?: unknown): Promise<void>
  register(svc: InstanceSpec): Promise<void>
  deregister(node: string, serviceId: string): Promise<void>
  kvPut(key: string, value: string): Promise<void>
  stats(): Promise<AgentStats>
  stop(): Promise<void>
}

/** The counters the agent keeps (see src/devagent/stats.ts). */
export interface AgentStats {
  requestsTotal: number
  connectionsOpened: number
  connectionsHeld: number
  bytesSent: number
  blockedQueries: number
}

/** One service instance on its own node. */
export interface InstanceSpec {
  node: string
  id: string
  name: string
  port: number
  tags?: string[]
  meta?: Record<string, string>
  status?: 'passing' | 'warning' | 'critical'
}

/** Starts the agent (optionally from a seed file) and waits for its
 * address line. */
export async function startAgent(seed?: string): Promise<BenchAgent> {
  const proc = spawn(...pinned(0, process.execPath,
    [cliEntry(), 'dev', '-http-addr', '127.0.0.1:0', '-log-level', 'err',
      '-max-conns-per-client', '0',
      ...(seed ? ['-seed', seed] : [])]),
  { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! })
    rl.on('line', (l) => {
      const m = /listening on (http:\/\/\S+)/.exec(l)
      if (m) resolve(m[1]!)
    })
    proc.on('exit', () => reject(new Error('ctmpl dev exited before it was ready')))
  })
  const call = async (method: 'PUT' | 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await request(url + path, {
      method,
      body: body === undefined ? undefined
        : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.body.text()
    if (res.statusCode !== 200) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`)
    return text
  }
  return {
    url,
    addr: url.replace('http://', ''),
    proc,
    put: async (path, body) => { await call('PUT', path, body) },
    register: async (s) => {
      await call('PUT', '/v1/catalog/register', {
        Node: s.node, Address: '127.0.0.1',
        Service: { ID: s.id, Service: s.name, Port: s.port, Tags: s.tags ?? [],
          Meta: s.meta ?? {} },
        Check: { CheckID: `check:${s.id}`, Name: `${s.id} check`, ServiceID: s.id,
          Status: s.status ?? 'passing' },
      })
    },
    deregister: async (node, id) => {
      await call('PUT', '/v1/catalog/deregister', { Node: node, ServiceID: id })
    },
    kvPut: async (key, value) => { await call('PUT', `/v1/kv/${key}`, value) },
    stats: async () => JSON.parse(await call('GET', '/_ctmpl/stats')) as AgentStats,
    stop: async () => {
      if (proc.exitCode !== null) return
      proc.kill('SIGTERM')
      await new Promise((r) => proc.once('exit', r))
    },
  }
}
