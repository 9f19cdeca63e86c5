/**
 * Real processes for the end-to-end tests: HTTP backends that answer with
 * their own name, nginx and HAProxy started on loopback ports from their
 * own temporary folders, ctmpl rendering the examples, and traffic through
 * the proxy. Everything started here is registered with a `Cleanup` so a
 * failing test still leaves no process behind.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import {
  chmodSync, existsSync, readFileSync, readlinkSync, writeFileSync,
} from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import {
  repoRoot, startCtmpl, tempDir, waitFor, type CtmplProcess,
} from '../helpers/process.ts'

export const nginxBin = '/usr/sbin/nginx'
export const haproxyBin = '/usr/sbin/haproxy'

/** Reports why a proxy's tests must be skipped, or false when it is here. */
export function missing(bin: string): string | false {
  return existsSync(bin) ? false : `${bin} is not installed`
}

/** Undoes, newest first, everything a test started. */
export class Cleanup {
  #steps: (() => unknown)[] = []

  /** Registers an undo step. */
  add(step: () => unknown): void {
    this.#steps.push(step)
  }

  /** Runs every step, even when some fail; rethrows the first failure. */
  async run(): Promise<void> {
    let first: unknown
    while (this.#steps.length > 0) {
      try {
        await this.#steps.pop()!()
      } catch (err) {
        first ??= err
      }
    }
    if (first) throw first
  }
}

/** Asks the OS for a free loopback port: bind port 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** A backend: a node HTTP server answering `NAME\n` to every request. */
export interface Backend {
  name: string
  port: number
  /** Requests served so far. */
  hits: number
  /** performance.now() of the first request served, or undefined. */
  firstHitAt: number | undefined
  close(): Promise<void>
}

/** Starts a backend on a free loopback port. */
export async function startBackend(name: string, cleanup: Cleanup): Promise<Backend> {
  const server: Server = createServer((req, res) => {
    backend.hits++
    backend.firstHitAt ??= performance.now()
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(`${name}\n`)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  let closed: Promise<void> | undefined
  const backend: Backend = {
    name,
    port: (server.address() as AddressInfo).port,
    hits: 0,
    firstHitAt: undefined,
    close: () => closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
  cleanup.add(() => backend.close())
  return backend
}

/** One answer from the proxy. */
export interface Reply {
  status: number
  body: string
}

/**
 * GET over a fresh connection (no keep-alive). A reused connection can race
 * a reload: the old worker closes its idle connections while it drains,
 * which a client sees as a reset that has nothing to do with the pool.
 */
export function get(url: string, timeoutMs = 2000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out`)))
    req.on('error', reject)
    req.end()
  })
}

/** Sends `n` requests one after the other; counts the answers by body
 * (trimmed) for 200s and by `status NNN` otherwise. */
export async function sample(url: string, n: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const r = await get(url)
    const key = r.status === 200 ? r.body.trim() : `status ${r.status}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
  }
  return seen
}

/** Formats a sample for an assertion message. */
export function show(seen: Map<string, number>): string {
  return JSON.stringify([...seen].sort())
}

/** Steady traffic until stopped: every answer and every error is kept. */
export class Traffic {
  readonly replies: { at: number; status: number; body: string }[] = []
  readonly errors: { at: number; message: string }[] = []
  #running = true
  #done: Promise<void>

  constructor(url: string, gapMs = 5) {
    this.#done = (async () => {
      while (this.#running) {
        const at = performance.now()
        try {
          const r = await get(url)
          this.replies.push({ at, status: r.status, body: r.body.trim() })
        } catch (err) {
          this.errors.push({ at, message: (err as Error).message })
        }
        await new Promise((r) => setTimeout(r, gapMs))
      }
    })()
  }

  /** Stops after the request in flight. */
  async stop(): Promise<void> {
    this.#running = false
    await this.#done
  }

  /** Answers that were not a 200, with errors, for assertion messages. */
  failures(): string[] {
    return [
      ...this.replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body}`),
      ...this.errors.map((e) => e.message),
    ]
  }
}

/** A proxy process started by a test. */
export interface Proxy {
  /** http://127.0.0.1:PORT */
  url: string
  listen: string
  dir: string
  pidFile: string
  /** Shell command that reloads it (what ctmpl's `command` runs). */
  reload: string
  /** Shell command that checks the configuration (ctmpl's `check`). */
  check: string
  /** The master process. */
  child: ChildProcess
  /** Its standard output and error so far (HAProxy logs there with -db). */
  output(): string
  /** True while the master runs. */
  running(): boolean
  /**
   * The master's child processes: one worker when settled, more while a
   * reload is under way. Right after a reload both generations accept
   * connections for a moment (nginx starts the new workers before it tells
   * the old ones to stop), so "the pool is X" is only true once the old
   * generation is gone.
   */
  workers(): number
}

/** A shell word, quoted. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

function spawnProxy(
  cmd: string, args: string[], cleanup: Cleanup,
): { child: ChildProcess; output(): string } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (b: Buffer) => { out += b.toString() })
  child.stderr!.on('data', (b: Buffer) => { out += b.toString() })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  cleanup.add(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    // Workers are listed first: if the master has to be killed hard they
    // would outlive it, and are then ended one by one.
    const workers = childPids(child.pid!)
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
    for (const pid of workers) killIfStill(pid, cmd)
  })
  return { child, output: () => out }
}

/** PIDs whose parent is `ppid`, read from /proc. */
function childPids(ppid: number): number[] {
  try {
    const list = readFileSync(`/proc/${ppid}/task/${ppid}/children`, 'utf8')
    return list.split(/\s+/).filter((w) => w).map(Number)
  } catch {
    return []
  }
}

/** The processes under `pid`, one `PID CMDLINE` per line, for failure
 * messages (a stuck check or reload shows up here). */
export function processTree(pid: number, depth = 0): string {
  let out = ''
  for (const c of childPids(pid)) {
    let cmd = '?'
    try {
      cmd = readFileSync(`/proc/${c}/cmdline`, 'utf8').split('\0').join(' ').trim()
    } catch {
      continue
    }
    out += `${'  '.repeat(depth)}${c} ${cmd}\n` + processTree(c, depth + 1)
  }
  return out
}

/** Kills `pid` only while it still runs `bin` (a PID can be reused; the
 * executable is read because nginx rewrites its workers' command lines). */
function killIfStill(pid: number, bin: string): void {
  try {
    if (readlinkSync(`/proc/${pid}/exe`) === bin) process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** Options for the proxies. */
export interface ProxyOptions {
  /** Folder owned by the test. */
  dir: string
  /** File the proxy reads (nginx: included in http{}; HAProxy: whole). */
  configFile: string
}

/**
 * Starts nginx (master in the foreground, one worker) from `dir`, with the
 * rendered file included in http{}. Everything nginx writes stays in `dir`;
 * `-e` keeps even the start-up error log out of /var/log.
 */
export async function startNginx(
  opts: ProxyOptions & { placeholder?: string }, cleanup: Cleanup,
): Promise<Proxy> {
  const { dir } = opts
  // Workers run as nobody: they must be able to reach the temp paths.
  chmodSync(dir, 0o755)
  const port = await freePort()
  const conf = join(dir, 'nginx.conf')
  const pidFile = join(dir, 'nginx.pid')
  const errorLog = join(dir, 'error.log')
  writeFileSync(conf, [
    'worker_processes 1;', 'daemon off;', `pid ${pidFile};`,
    `error_log ${errorLog} warn;`,
    'events { worker_connections 256; }',
    'http {', '    access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((t) => `    ${t}_temp_path ${join(dir, `${t}_temp`)};`),
    `    include ${opts.configFile};`, '}', ''].join('\n'))
  if (!existsSync(opts.configFile)) {
    writeFileSync(opts.configFile, opts.placeholder ?? '# waiting for the first render\n')
  }
  const base = `${nginxBin} -p ${q(dir)} -c ${q(conf)}`
  const p = spawnProxy(nginxBin, ['-p', dir, '-c', conf, '-e', errorLog], cleanup)
  await waitFor('nginx to write its PID file', () => {
    if (p.child.exitCode !== null) throw new Error(`nginx exited: ${p.output()}`)
    return existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== ''
  }, 5000)
  const listen = `127.0.0.1:${port}`
  return {
    url: `http://${listen}`, listen, dir, pidFile,
    reload: `${base} -e ${q(errorLog)} -s reload`,
    // `nginx -t` logs to the start-up error log too: stderr keeps its
    // verdict in ctmpl's log and out of the running nginx's.
    check: `${base} -e stderr -t -q`,
    child: p.child, output: p.output,
    running: () => p.child.exitCode === null && p.child.signalCode === null,
    workers: () => childPids(p.child.pid!).length,
  }
}

/** Reads nginx's error log in `dir` (empty when there is none). */
export function nginxErrors(dir: string): string {
  const f = join(dir, 'error.log')
  return existsSync(f) ? readFileSync(f, 'utf8') : ''
}

/**
 * Starts HAProxy in master-worker mode (-W, master in the foreground with
 * -db), as Debian's unit runs it (-Ws). Reload is SIGUSR2 to the master
 * from the PID file, which is what `systemctl reload haproxy` sends after
 * its own `haproxy -c`. When the configuration file does not exist yet, a
 * minimal one stands in for the package's default: it listens on the port
 * picked here and answers 503 until ctmpl renders the real one.
 */
export async function startHaproxy(opts: ProxyOptions, cleanup: Cleanup): Promise<Proxy> {
  const { dir, configFile } = opts
  const port = await freePort()
  const listen = `127.0.0.1:${port}`
  const pidFile = join(dir, 'haproxy.pid')
  const sock = join(dir, 'master.sock')
  if (!existsSync(configFile)) {
    writeFileSync(configFile, [
      'defaults', '    mode http', '    timeout connect 2s',
      '    timeout client 10s', '    timeout server 10s',
      'frontend http', `    bind ${listen}`,
      '    http-request return status 503 content-type text/plain string "starting"',
      ''].join('\n'))
  }
  const p = spawnProxy(haproxyBin,
    ['-W', '-db', '-f', configFile, '-p', pidFile, '-S', sock], cleanup)
  await waitFor('HAProxy to load its configuration', () => {
    if (p.child.exitCode !== null) throw new Error(`haproxy exited: ${p.output()}`)
    return existsSync(pidFile) && p.output().includes('Loading success.')
  }, 5000)
  return {
    url: `http://${listen}`, listen, dir, pidFile,
    reload: `kill -USR2 "$(cat ${q(pidFile)})"`,
    // The example's own line: ctmpl names the destination in the variable.
    check: `${haproxyBin} -c -f "$CTMPL_DESTINATION"`,
    child: p.child, output: p.output,
    running: () => p.child.exitCode === null && p.child.signalCode === null,
    workers: () => childPids(p.child.pid!).length,
  }
}

/** Environment for ctmpl rendering the HAProxy example: HAProxy's log
 * lines go to its standard output, which the test keeps. */
export function haproxyEnv(proxy: Proxy): NodeJS.ProcessEnv {
  return { CTMPL_PROXY_LISTEN: proxy.listen, CTMPL_HAPROXY_LOG: 'stdout format raw' }
}

/** Counts HAProxy reloads that loaded, from the master's output. */
export function haproxyLoads(proxy: Proxy): number {
  return proxy.output().split('Loading success.').length - 1
}

/** Writes a ctmpl HCL file for one template and starts the daemon on it. */
export async function startDaemon(opts: {
  dir: string
  consulAddr: string
  source: string
  destination: string
  check?: string
  command?: string
  pidFile?: string
  /** Extra top-level HCL lines. */
  extra?: string[]
  env?: NodeJS.ProcessEnv
}, cleanup: Cleanup): Promise<{ ctmpl: CtmplProcess; config: string }> {
  const hcl = [
    'consul {',
    `  address = ${JSON.stringify(opts.consulAddr)}`,
    '  retry {',
    '    attempts    = 0',
    '    backoff     = "50ms"',
    '    max_backoff = "500ms"',
    '  }',
    '}',
    'log_level = "info"',
    ...(opts.extra ?? []),
    'template {',
    `  source      = ${JSON.stringify(opts.source)}`,
    `  destination = ${JSON.stringify(opts.destination)}`,
    '  error_fatal = false',
  ]
  if (opts.check) hcl.push(`  check { command = ${JSON.stringify(opts.check)} }`)
  if (opts.command) hcl.push(`  command = ${JSON.stringify(opts.command)}`)
  if (opts.pidFile) hcl.push(`  verify { pid_file = ${JSON.stringify(opts.pidFile)} }`)
  hcl.push('}', '')
  const config = join(opts.dir, 'ctmpl.hcl')
  writeFileSync(config, hcl.join('\n'))
  const ctmpl = startCtmpl(['-config', config], { env: opts.env })
  cleanup.add(() => ctmpl.stop())
  return { ctmpl, config }
}

/** Registers a backend as an instance of `service` through the agent API,
 * with a TTL check that starts passing (so /v1/agent/check/fail works). */
export async function register(
  agentUrl: string, b: Backend, service = 'web', extra: Record<string, unknown> = {},
): Promise<void> {
  await agentPut(`${agentUrl}/v1/agent/service/register`, {
    Name: service, ID: b.name, Address: '127.0.0.1', Port: b.port,
    Tags: ['http'],
    Check: { CheckID: `service:${b.name}`, TTL: '10m', Status: 'passing' },
    ...extra,
  })
}

/** Removes a backend's registration. */
export function deregister(agentUrl: string, b: Backend): Promise<void> {
  return agentPut(`${agentUrl}/v1/agent/service/deregister/${encodeURIComponent(b.name)}`)
}

/** Marks a backend's TTL check critical. */
export function markCritical(agentUrl: string, b: Backend): Promise<void> {
  return agentPut(`${agentUrl}/v1/agent/check/fail/service:${encodeURIComponent(b.name)}`)
}

async function agentPut(url: string, body?: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT', ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`PUT ${url}: ${res.status} ${text}`)
}

/**
 * Waits until the proxy runs one generation of workers and `n` requests in
 * a row, sent while it does, reach exactly the backends named.
 */
export async function waitForPool(
  proxy: Proxy, path: string, names: string[],
  opts: { n?: number; timeoutMs?: number } = {},
): Promise<Map<string, number>> {
  const want = [...names].sort().join(',')
  let last = new Map<string, number>()
  try {
    return await waitFor(`the pool to be [${want}]`, async () => {
      if (proxy.workers() !== 1) return undefined
      last = await sample(proxy.url + path, opts.n ?? 3 * names.length)
      if (proxy.workers() !== 1) return undefined
      return [...last.keys()].sort().join(',') === want ? last : undefined
    }, opts.timeoutMs ?? 10_000)
  } catch (err) {
    throw new Error(`${(err as Error).message}; last sample ${show(last)}`)
  }
}

/** Waits until the proxy runs one generation of workers and answers
 * `path` as `accept` wants; returns that answer. */
export function waitForAnswer(
  proxy: Proxy, path: string, what: string, accept: (r: Reply) => boolean,
  timeoutMs = 10_000,
): Promise<Reply> {
  return waitFor(what, async () => {
    if (proxy.workers() !== 1) return undefined
    const r = await get(proxy.url + path)
    return proxy.workers() === 1 && accept(r) ? r : undefined
  }, timeoutMs)
}

/** Paths the tests read. */
export const examples = {
  nginxTemplate: join(repoRoot, 'examples', 'nginx', 'proxy.conf.ctmpl'),
  haproxyTemplate: join(repoRoot, 'examples', 'haproxy', 'haproxy.cfg.ctmpl'),
}

export { tempDir, waitFor }

/** What a pool scenario needs to know about the proxy under test. */
export interface PoolScenarioInput {
  proxy: Proxy
  agentUrl: string
  /** The ctmpl daemon, for its log in failure messages. */
  ctmpl: CtmplProcess
  /** The backends already registered and loaded. */
  backends: Backend[]
  cleanup: Cleanup
  /** Status and body text of the empty pool's answer. */
  emptyStatus: number
  emptyBody: RegExp
}

/** Facts the scenario measured. */
export interface PoolScenarioResult {
  /** Registration of the fourth backend → its first request, ms. */
  fourthLatencyMs: number
}

/**
 * The pool follows the catalog through a real proxy: 30 requests reach all
 * three backends; a fourth registered gets traffic within a second; one
 * marked critical gets none any more; with every instance gone the proxy
 * answers its empty-pool status and keeps running.
 */
export async function poolScenario(s: PoolScenarioInput): Promise<PoolScenarioResult> {
  const path = '/web/'
  const url = s.proxy.url + path
  const log = (): string => `\n--- ctmpl log ---\n${s.ctmpl.stderr()}` +
    `\n--- under ctmpl ---\n${processTree(s.ctmpl.child.pid!)}`
  const names = s.backends.map((b) => b.name)

  const thirty = await sample(url, 30)
  assert.deepEqual([...thirty.keys()].sort(), names, `30 requests: ${show(thirty)}`)

  // A fourth instance: no quiescence, so traffic reaches it within a second.
  const fourth = await startBackend('web-4', s.cleanup)
  const traffic = new Traffic(url, 2)
  s.cleanup.add(() => traffic.stop())
  const registeredAt = performance.now()
  await register(s.agentUrl, fourth)
  try {
    await waitFor('web-4 to get traffic', () => fourth.firstHitAt !== undefined, 5000)
  } finally {
    await traffic.stop()
  }
  const fourthLatencyMs = fourth.firstHitAt! - registeredAt
  assert.ok(fourthLatencyMs < 1000,
    `web-4 got its first request ${fourthLatencyMs.toFixed(0)} ms after registering${log()}`)
  assert.deepEqual(traffic.failures(), [], 'no failed request while reloading')
  const all = [...names, 'web-4']
  await waitForPool(s.proxy, path, all)

  // A critical instance leaves the pool.
  const sick = s.backends[0]!
  await markCritical(s.agentUrl, sick)
  const healthy = all.filter((n) => n !== sick.name)
  await waitForPool(s.proxy, path, healthy)
  const hitsBefore = sick.hits
  const after = await sample(url, 30)
  assert.equal(sick.hits, hitsBefore, `${sick.name} still got traffic: ${show(after)}${log()}`)
  assert.deepEqual([...after.keys()].sort(), healthy, show(after))

  // Nothing left: the empty-pool answer, from a proxy that still runs.
  for (const b of [...s.backends, fourth]) await deregister(s.agentUrl, b)
  const empty = await waitForAnswer(s.proxy, path, `the empty-pool answer ${s.emptyStatus}`,
    (r) => r.status === s.emptyStatus && s.emptyBody.test(r.body))
  for (let i = 0; i < 10; i++) {
    const again = await get(url)
    assert.deepEqual(again, empty, `the empty-pool answer stays${log()}`)
  }
  assert.ok(s.proxy.running(), 'the proxy still runs')
  assert.equal((await get(`${s.proxy.url}/healthz`)).status, 200)
  return { fourthLatencyMs }
}
