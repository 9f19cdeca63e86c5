/**
 * `npm run bench [-- SCENARIO… --pairs N]`: runs scenarios against ctmpl
 * and the reference consul-template, both pointed at one `ctmpl dev`,
 * alternating them in ABBA order, and reports per metric the median of the
 * pair ratios ctmpl/reference with min and max. Raw JSON goes to
 * bench/results/, the Markdown table to stdout and bench/results/latest.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, release } from 'node:os'
import { join } from 'node:path'
import { execSync } from 'node:child_process'
import { startAgent, type BenchAgent } from './lib/agent.ts'
import { FolderWatch, now } from './lib/filewatch.ts'
import { referenceBinary, repoRoot, startSut, versions, type Impl } from './lib/proc.ts'
import { percentile, spread } from './lib/stats.ts'
import { scenarios, type Scenario } from './scenarios.ts'

/** What one run of one implementation measured. */
export interface RunMetrics {
  latencyP50Ms: number
  latencyP99Ms: number
  cpuSecPer100: number
  rssPeakMb: number
  rssSteadyMb: number
  requestsPerChange: number
  connectionsHeld: number
  rendersPerChange: number
  startupMs: number
}

const metricNames: (keyof RunMetrics)[] = [
  'latencyP50Ms', 'latencyP99Ms', 'cpuSecPer100', 'rssPeakMb', 'rssSteadyMb',
  'requestsPerChange', 'connectionsHeld', 'rendersPerChange', 'startupMs',
]

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const shm = '/dev/shm'

async function runOnce(s: Scenario, impl: Impl): Promise<RunMetrics> {
  const base = mkdtempSync(join(shmOrTmp(), `ctmpl-bench-${s.id}-`))
  const out = join(base, 'out')
  mkdirSync(out)
  let agent: BenchAgent | undefined
  let watch: FolderWatch | undefined
  let sut: ReturnType<typeof startSut> | undefined
  try {
    const seed = s.seed?.(base)
    agent = await startAgent(seed)
    const args = s.prepare({ dir: base, out })
    watch = new FolderWatch(out)
    const ctx = { dir: base, out, agent, watch }
    const t0 = now()
    sut = startSut(impl, ['-consul-addr', agent.addr, ...args])
    const m: RunMetrics = {
      latencyP50Ms: NaN, latencyP99Ms: NaN, cpuSecPer100: NaN, rssPeakMb: NaN,
      rssSteadyMb: NaN, requestsPerChange: NaN, connectionsHeld: NaN,
      rendersPerChange: NaN, startupMs: NaN,
    }
    if (s.once) {
      const code = await sut.exited
      m.startupMs = Number(now() - t0) / 1e6
      if (code !== 0) throw new Error(`${impl} -once exited ${code}: ${sut.stderr()}`)
      return m
    }
    await Promise.race([s.ready(ctx), sut.exited.then((c) => {
      throw new Error(`${impl} exited ${c}: ${sut!.stderr().slice(-2000)}`)
    })])
    m.startupMs = Number(now() - t0) / 1e6
    await sleep(500) // let the views settle on their blocking queries
    const held = (await agent.stats()).connectionsHeld
    const before = { stats: await agent.stats(), cpu: sut.cpuSeconds(),
      renders: watch.totalChanges() }
    const res = await s.stimulus!(ctx)
    const after = { stats: await agent.stats(), cpu: sut.cpuSeconds(),
      renders: watch.totalChanges() }
    const mem = sut.memory()
    m.connectionsHeld = held
    m.rssPeakMb = mem.hwm / 1048576
    m.rssSteadyMb = mem.rss / 1048576
    if (res.changes > 0) {
      // The harness's own stats calls are not the implementation's traffic.
      const own = 1
      m.requestsPerChange = (after.stats.requestsTotal - before.stats.requestsTotal - own) /
        res.changes
      m.cpuSecPer100 = (after.cpu - before.cpu) / res.changes * 100
      m.rendersPerChange = (after.renders - before.renders) / res.changes
    }
    if (res.latenciesMs.length > 0) {
      m.latencyP50Ms = percentile(res.latenciesMs, 0.5)
      m.latencyP99Ms = percentile(res.latenciesMs, 0.99)
    }
    return m
  } finally {
    watch?.close()
    await sut?.stop()
    await agent?.stop()
    rmSync(base, { recursive: true, force: true })
  }
}

function shmOrTmp(): string {
  try {
    mkdirSync(shm, { recursive: true })
    return shm
  } catch {
    return tmpdir()
  }
}

interface ScenarioResult {
  id: string
  title: string
  runs: { pair: number; impl: Impl; metrics: RunMetrics }[]
  ratios: Partial<Record<keyof RunMetrics, { median: number; min: number; max: number }>>
  medians: Record<Impl, Partial<Record<keyof RunMetrics, number>>>
}

async function runScenario(s: Scenario, pairs: number): Promise<ScenarioResult> {
  const result: ScenarioResult = { id: s.id, title: s.title, runs: [], ratios: {},
    medians: { ctmpl: {}, reference: {} } }
  for (let p = 0; p < pairs; p++) {
    // ABBA: reference first in even pairs, ctmpl first in odd ones.
    const order: Impl[] = p % 2 === 0 ? ['reference', 'ctmpl'] : ['ctmpl', 'reference']
    for (const impl of order) {
      const metrics = await runOnce(s, impl)
      result.runs.push({ pair: p, impl, metrics })
      process.stderr.write(`${s.id} pair ${p + 1}/${pairs} ${impl}: ${summary(metrics)}\n`)
    }
  }
  for (const name of metricNames) {
    const ratios: number[] = []
    for (let p = 0; p < pairs; p++) {
      const c = result.runs.find((r) => r.pair === p && r.impl === 'ctmpl')!.metrics[name]
      const r = result.runs.find((x) => x.pair === p && x.impl === 'reference')!.metrics[name]
      if (Number.isFinite(c) && Number.isFinite(r) && r !== 0) ratios.push(c / r)
    }
    if (ratios.length > 0) result.ratios[name] = spread(ratios)
    for (const impl of ['ctmpl', 'reference'] as const) {
      const v = result.runs.filter((r) => r.impl === impl).map((r) => r.metrics[name])
      const med = spread(v).median
      if (Number.isFinite(med)) result.medians[impl][name] = med
    }
  }
  return result
}

function summary(m: RunMetrics): string {
  return metricNames.filter((k) => Number.isFinite(m[k]))
    .map((k) => `${k}=${m[k].toFixed(k.endsWith('Mb') || k.endsWith('Ms') ? 1 : 3)}`).join(' ')
}

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits)
}

/** Renders the results as the Markdown table docs/benchmarks.md carries. */
function markdown(results: ScenarioResult[], meta: Record<string, unknown>): string {
  const lines = [
    `Run ${meta.date} on ${meta.cpu} (${meta.cores} cores), kernel ${meta.kernel}, ` +
    `node ${(meta.versions as Record<string, string>).node}, ` +
    `reference ${(meta.versions as Record<string, string>).reference}, ` +
    `commit ${meta.commit}, ${meta.pairs} ABBA pairs per scenario.`,
    '',
    '| scenario | metric | ctmpl (median) | reference (median) | ratio median | min | max |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (const r of results) {
    for (const name of metricNames) {
      const ratio = r.ratios[name]
      const c = r.medians.ctmpl[name]
      const ref = r.medians.reference[name]
      if (c === undefined && ref === undefined) continue
      lines.push(`| ${r.id} | ${name} | ${fmt(c, 3)} | ${fmt(ref, 3)} | ` +
        `${fmt(ratio?.median)} | ${fmt(ratio?.min)} | ${fmt(ratio?.max)} |`)
    }
  }
  return lines.join('\n') + '\n'
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const pairsArg = args.indexOf('--pairs')
  const pairs = pairsArg >= 0 ? Number(args[pairsArg + 1]) : 5
  const wanted = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--pairs')
  if (!referenceBinary()) {
    console.error('bench: the reference consul-template is not installed ' +
      '(go install github.com/hashicorp/consul-template@v0.42.1); nothing to compare')
    process.exit(2)
  }
  const chosen = wanted.length > 0 ? scenarios.filter((s) => wanted.includes(s.id)) : scenarios
  if (chosen.length === 0) {
    console.error(`bench: unknown scenario; known: ${scenarios.map((s) => s.id).join(' ')}`)
    process.exit(2)
  }
  const started = Date.now()
  const results: ScenarioResult[] = []
  for (const s of chosen) results.push(await runScenario(s, pairs))
  const meta = {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, kernel: release(),
    versions: versions(), pairs,
    commit: execSync('git rev-parse --short HEAD', { cwd: repoRoot, encoding: 'utf8' }).trim(),
    durationS: Math.round((Date.now() - started) / 1000),
  }
  const dir = join(repoRoot, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  const stamp = meta.date.replace(/[:.]/g, '-')
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify({ meta, results }, null, 2))
  const md = markdown(results, meta)
  writeFileSync(join(dir, 'latest.md'), md)
  process.stdout.write(md)
  process.stderr.write(`bench: ${meta.durationS} s\n`)
}

await main()
