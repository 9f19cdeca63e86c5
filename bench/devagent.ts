// Benchmark of the development agent: 5,000 registered services and 2,000
// open blocking queries, then timed changes. Run with
//   node --import tsx bench/devagent.ts [--services N] [--watchers N] [--changes N]
// The agent runs as its own process (`ctmpl dev`), as in real use, so the
// clients here do not share its event loop. Prints a Markdown summary.
import { spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : def
}
const services = arg('services', 5000)
const watchers = arg('watchers', 2000)
const changes = arg('changes', 300)
const nodes = 50
const root = join(import.meta.dirname, '..')
const pool = new Agent({ keepAlive: true, maxSockets: Infinity })

interface Res { status: number; index: number; body: string }

function http(base: string, method: string, path: string, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, agent: pool }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        index: Number(res.headers['x-consul-index'] ?? 0),
        body: Buffer.concat(chunks).toString(),
      }))
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

const progress = (msg: string): void => {
  if (process.env['BENCH_VERBOSE']) process.stderr.write(`${msg}\n`)
}
const ms = (x: number): string => x.toFixed(2)
const mb = (x: number): string => (x / 1024 / 1024).toFixed(0)

async function startAgent(): Promise<{ url: string; stop: () => Promise<void> }> {
  const prof = process.env['BENCH_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', '/tmp/devprof'] : []
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', join(root, 'src/cli/main.ts'),
    'dev', '-http-addr', '127.0.0.1:0', '-max-conns-per-client', '0',
    '-log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.on('exit', () => reject(new Error('ctmpl dev exited')))
  })
  return {
    url,
    stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM') }),
  }
}

function registration(i: number, status: string): string {
  const id = `svc-${String(i).padStart(4, '0')}`
  return JSON.stringify({
    Node: `node-${i % nodes}`, Address: `127.0.0.${1 + (i % nodes)}`,
    Service: { ID: id, Service: id, Port: 10000 + i, Tags: ['http'] },
    Check: { CheckID: `chk-${id}`, Name: 'http', ServiceID: id, Status: status },
  })
}

async function inBatches(n: number, width: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < n; i += width) {
    await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, k) => fn(i + k)))
  }
}

async function main(): Promise<void> {
  const agent = await startAgent()
  const base = agent.url
  const stats = async () => JSON.parse((await http(base, 'GET', '/_ctmpl/stats')).body)
  const idle = await stats()

  let t = performance.now()
  await inBatches(services, 64, (i) =>
    http(base, 'PUT', '/v1/catalog/register', registration(i, 'passing')))
  const registerMs = performance.now() - t
  progress('registered')
  const loaded = await stats()

  // One long-poll per watched service, as consul-template holds them.
  const index = new Map<number, number>()
  await inBatches(watchers, 128, async (i) => {
    const r = await http(base, 'GET', `/v1/health/service/svc-${String(i).padStart(4, '0')}`)
    index.set(i, r.index)
  })
  let woken = 0
  const waiting = new Map<number, (at: number) => void>()
  const arm = (i: number): void => {
    const name = `svc-${String(i).padStart(4, '0')}`
    void http(base, 'GET', `/v1/health/service/${name}?index=${index.get(i)}&wait=10m`)
      .then((r) => {
        const at = performance.now()
        woken++
        index.set(i, r.index)
        const done = waiting.get(i)
        waiting.delete(i)
        done?.(at)
        arm(i)
      }, () => {}) // the agent stopping ends every poll with a reset
  }
  for (let i = 0; i < watchers; i++) arm(i)
  while ((await stats()).blockedQueries < watchers) await new Promise((r) => setTimeout(r, 50))
  const blocked = await stats()
  progress('watchers blocked')

  // Single changes: flip one watched service's check, time its wake-up.
  const reset = () => http(base, 'POST', '/_ctmpl/reset-stats')
  await reset()
  const single: number[] = []
  const statusOf = new Map<number, string>()
  for (let k = 0; k < changes; k++) {
    const i = Math.floor(Math.random() * watchers)
    const woke = new Promise<number>((r) => waiting.set(i, r))
    const before = woken
    t = performance.now()
    const status = statusOf.get(i) === 'warning' ? 'passing' : 'warning'
    statusOf.set(i, status)
    await http(base, 'PUT', '/v1/catalog/register', registration(i, status))
    single.push((await woke) - t)
    if (woken !== before + 1) throw new Error(`a change woke ${woken - before} watchers`)
  }

  const singleWake = (await stats()).wakeups
  progress('single changes done')
  // Unrelated writes (KV, unwatched services) must wake nobody.
  const quietBefore = woken
  await inBatches(200, 20, (k) => http(base, 'PUT', `/v1/kv/bench/${k}`, 'x'))
  await inBatches(200, 20, (k) =>
    http(base, 'PUT', '/v1/catalog/register', registration(watchers + k, 'warning')))
  await new Promise((r) => setTimeout(r, 200))
  const spurious = woken - quietBefore

  progress('unrelated writes done')
  // Fan-out: a node-level check touches every service on one node.
  await reset()
  const fan: number[] = []
  const perNode = Math.ceil(watchers / nodes)
  for (let k = 0; k < 20; k++) {
    const node = k % nodes
    const ids = [...Array(watchers).keys()].filter((i) => i % nodes === node)
    const all = Promise.all(ids.map((i) => new Promise<number>((r) => waiting.set(i, r))))
    t = performance.now()
    await http(base, 'PUT', '/v1/catalog/register', JSON.stringify({
      Node: `node-${node}`, Address: `127.0.0.${1 + node}`,
      Check: { CheckID: 'node-health', Name: 'node', Status: k % 2 ? 'passing' : 'warning' },
    }))
    const times = await all
    fan.push(Math.max(...times) - t)
  }
  const after = await stats()
  const fanWake = after.wakeups

  // Pretty-printing cost on a large answer (all 5,000 services).
  const timeGets = async (path: string, n: number): Promise<[number, number]> => {
    let bytes = 0
    const t0 = performance.now()
    for (let k = 0; k < n; k++) bytes = (await http(base, 'GET', path)).body.length
    return [(performance.now() - t0) / n, bytes]
  }
  await timeGets('/v1/catalog/services', 5)
  const [compactMs, compactBytes] = await timeGets('/v1/catalog/services', 50)
  const [prettyMs, prettyBytes] = await timeGets('/v1/catalog/services?pretty', 50)
  const [hCompactMs, hCompactBytes] = await timeGets('/v1/health/state/any', 20)
  const [hPrettyMs, hPrettyBytes] = await timeGets('/v1/health/state/any?pretty', 20)

  await agent.stop()
  pool.destroy()

  const lines = [
    `- machine: ${process.platform} ${process.arch}, ${(await import('node:os')).cpus().length}`
      + ` CPUs, Node ${process.version}; agent in its own process`,
    `- load: ${services} services on ${nodes} nodes (one check each), ${watchers} open`
      + ` blocking queries (\`/v1/health/service/<name>?index=N&wait=10m\`)`,
    `- registering ${services} services over HTTP (64 in flight): `
      + `${(registerMs / 1000).toFixed(2)} s (${ms(registerMs / services)} ms each)`,
    `- change → affected watcher's response, ${changes} single-service changes: `
      + `p50 ${ms(pct(single, 50))} ms, p99 ${ms(pct(single, 99))} ms,`
      + ` max ${ms(Math.max(...single))} ms; each woke exactly one watcher;`
      + ` server time to re-run and answer it: mean`
      + ` ${ms(singleWake.busyMs / Math.max(1, singleWake.woken))} ms,`
      + ` max ${ms(singleWake.maxFlushMs)} ms`,
    `- node-level check change (wakes the ~${perNode} watched services on that node),`
      + ` time until the last one answered: p50 ${ms(pct(fan, 50))} ms,`
      + ` max ${ms(Math.max(...fan))} ms; server time to re-run and answer all of them:`
      + ` mean ${ms(fanWake.busyMs / Math.max(1, fanWake.flushes))} ms,`
      + ` max ${ms(fanWake.maxFlushMs)} ms`,
    `- unrelated writes (200 KV puts, 200 unwatched services): ${spurious} watchers woken`,
    `- agent memory (RSS / heap): idle ${mb(idle.memory.rss)} / ${mb(idle.memory.heapUsed)} MB,`
      + ` ${services} services ${mb(loaded.memory.rss)} / ${mb(loaded.memory.heapUsed)} MB,`
      + ` + ${watchers} blocked queries ${mb(blocked.memory.rss)} /`
      + ` ${mb(blocked.memory.heapUsed)} MB, after the run ${mb(after.memory.rss)} /`
      + ` ${mb(after.memory.heapUsed)} MB`,
    `- connections held during the run: ${blocked.connectionsHeld}`,
    `- JSON encoding: \`/v1/catalog/services\` (${services + 1} names) compact`
      + ` ${ms(compactMs)} ms / ${(compactBytes / 1024).toFixed(0)} KiB, pretty`
      + ` ${ms(prettyMs)} ms / ${(prettyBytes / 1024).toFixed(0)} KiB;`
      + ` \`/v1/health/state/any\` (${services + 201} checks) compact ${ms(hCompactMs)} ms /`
      + ` ${(hCompactBytes / 1024).toFixed(0)} KiB, pretty ${ms(hPrettyMs)} ms /`
      + ` ${(hPrettyBytes / 1024).toFixed(0)} KiB`,
  ]
  process.stdout.write(lines.join('\n') + '\n')
}

await main()
