/**
 * Registration → first request served by the new backend, through real
 * nginx and HAProxy driven by the ctmpl daemon (no quiescence), as
 * docs/benchmarks.md reports it.
 *
 *   node --import tsx bench/e2e-latency.ts [runs=20] [nginx|haproxy|both]
 *
 * Each run starts a fresh backend, keeps sequential requests flowing
 * through the proxy (a new connection each, 1 ms apart), registers the
 * backend through the agent's HTTP API and takes the time of the first
 * request the backend itself receives. The backend is then deregistered
 * and the pool left to settle (one worker generation, the backend gone)
 * before the next run. ctmpl's own log splits the time: registration →
 * file installed → reload command done.
 */
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { startDevAgent } from '../src/devagent/index.ts'
import {
  Cleanup, Traffic, deregister, examples, haproxyBin, haproxyEnv, missing, nginxBin, register,
  startBackend, startDaemon, startHaproxy, startNginx, tempDir, waitFor, waitForPool,
  type Backend, type Proxy,
} from '../test/e2e/helpers.ts'
import type { CtmplProcess } from '../test/helpers/process.ts'

interface Sample {
  totalMs: number
  installedMs: number | undefined
  reloadedMs: number | undefined
  /** How long the reload command itself took, from ctmpl's log. */
  commandMs: number | undefined
}

const runs = Number(process.argv[2] ?? 20)
const which = process.argv[3] ?? 'both'

/** The first log line after `fromMs` (wall clock) that matches. */
function logTime(log: string, fromMs: number, re: RegExp): number | undefined {
  for (const line of log.split('\n')) {
    const m = /^(\S+Z) /.exec(line)
    if (!m || !re.test(line)) continue
    const t = Date.parse(m[1]!)
    if (t >= fromMs) return t
  }
  return undefined
}

async function measure(kind: 'nginx' | 'haproxy'): Promise<Sample[]> {
  const cleanup = new Cleanup()
  const tmp = tempDir(`ctmpl-bench-${kind}-`)
  cleanup.add(() => tmp.remove())
  try {
    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    const pool: Backend[] = []
    for (const name of ['web-1', 'web-2', 'web-3']) {
      const b = await startBackend(name, cleanup)
      await register(agent.url, b)
      pool.push(b)
    }
    const dest = join(tmp.path, kind === 'nginx' ? 'proxy.conf' : 'haproxy.cfg')
    const proxy: Proxy = kind === 'nginx'
      ? await startNginx({ dir: tmp.path, configFile: dest }, cleanup)
      : await startHaproxy({ dir: tmp.path, configFile: dest }, cleanup)
    const { ctmpl } = await startDaemon({
      dir: tmp.path, consulAddr: agent.addr, destination: dest,
      source: kind === 'nginx' ? examples.nginxTemplate : examples.haproxyTemplate,
      check: proxy.check, command: proxy.reload, pidFile: proxy.pidFile,
      env: kind === 'nginx' ? { CTMPL_PROXY_LISTEN: proxy.listen } : haproxyEnv(proxy),
    }, cleanup)
    const names = pool.map((b) => b.name)
    await waitForPool(proxy, '/web/', names, { timeoutMs: 20_000 })

    const samples: Sample[] = []
    for (let i = 0; i < runs; i++) {
      samples.push(await oneRun(i, proxy, agent.url, ctmpl, names, cleanup))
    }
    return samples
  } finally {
    await cleanup.run()
  }
}

async function oneRun(
  i: number, proxy: Proxy, agentUrl: string, ctmpl: CtmplProcess, names: string[],
  cleanup: Cleanup,
): Promise<Sample> {
  const fresh = await startBackend(`new-${i}`, cleanup)
  const traffic = new Traffic(`${proxy.url}/web/`, 1)
  const wallAt = Date.now()
  const registeredAt = performance.now()
  await register(agentUrl, fresh)
  try {
    await waitFor(`${fresh.name} to get traffic`, () => fresh.firstHitAt !== undefined, 10_000)
  } finally {
    await traffic.stop()
  }
  const totalMs = fresh.firstHitAt! - registeredAt
  const log = ctmpl.stderr()
  const installed = logTime(log, wallAt, /\(output\) installed/)
  const reloaded = logTime(log, wallAt, /\(runner\) command .* exited 0/)
  const since = log.split('\n').filter((l) => {
    const m = /^(\S+Z) /.exec(l)
    return m && Date.parse(m[1]!) >= wallAt
  }).join('\n')
  const took = /\(runner\) command .* exited 0 in (\d+) ms/.exec(since)
  await deregister(agentUrl, fresh)
  await waitForPool(proxy, '/web/', names)
  await fresh.close()
  return {
    totalMs,
    installedMs: installed === undefined ? undefined : installed - wallAt,
    reloadedMs: reloaded === undefined ? undefined : reloaded - wallAt,
    commandMs: took ? Number(took[1]) : undefined,
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)
}

function summary(label: string, xs: number[]): string {
  const f = (n: number): string => n.toFixed(0).padStart(5)
  return `${label.padEnd(34)} median ${f(quantile(xs, 0.5))}  p90 ${f(quantile(xs, 0.9))}` +
    `  min ${f(Math.min(...xs))}  max ${f(Math.max(...xs))}`
}

const cpu = cpus()
console.log(`machine: ${cpu.length} x ${cpu[0]?.model ?? '?'}, ` +
  `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${runs} runs`)
for (const kind of ['nginx', 'haproxy'] as const) {
  if (which !== 'both' && which !== kind) continue
  const skip = missing(kind === 'nginx' ? nginxBin : haproxyBin)
  if (skip) {
    console.log(`${kind}: skipped, ${skip}`)
    continue
  }
  const samples = await measure(kind)
  console.log(`${kind} (ms, from registration):`)
  console.log('  ' + summary('first request on the new backend', samples.map((s) => s.totalMs)))
  const inst = samples.map((s) => s.installedMs).filter((x): x is number => x !== undefined)
  const rel = samples.map((s) => s.reloadedMs).filter((x): x is number => x !== undefined)
  if (inst.length) console.log('  ' + summary('file installed (ctmpl log)', inst))
  if (rel.length) console.log('  ' + summary('reload command exited (ctmpl log)', rel))
  const cmd = samples.map((s) => s.commandMs).filter((x): x is number => x !== undefined)
  if (cmd.length) console.log('  ' + summary('  of which the reload command', cmd))
  console.log('  runs: ' + samples.map((s) => s.totalMs.toFixed(0)).join(' '))
}
