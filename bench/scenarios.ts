/**
 * The scenarios of BENCH-PLAN §6.2 that fit a 15-minute run on 2 cores,
 * scaled down in count and spacing (never in kind). Each one seeds the
 * agent, writes its templates and configuration, and drives a stimulus
 * while the harness measures; see run.ts for the metrics.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchAgent } from './lib/agent.ts'
import type { FolderWatch } from './lib/filewatch.ts'
import { now } from './lib/filewatch.ts'

/** What a scenario's stimulus reports. */
export interface StimulusResult {
  /** Change-to-file latencies in ms (after warm-up), if measured. */
  latenciesMs: number[]
  /** How many changes were made. */
  changes: number
}

/** Everything a scenario gets to set itself up and run. */
export interface ScenarioContext {
  dir: string
  out: string
  agent: BenchAgent
  watch: FolderWatch
}

/** One scenario. */
export interface Scenario {
  id: string
  title: string
  /** Writes the seed file (before the agent starts); returns its path. */
  seed?(dir: string): string
  /** Writes templates and config; returns the arguments for both
   * implementations (after -consul-addr). */
  prepare(ctx: Omit<ScenarioContext, 'agent' | 'watch'>): string[]
  /** Resolves when the first complete render is on disk. */
  ready(ctx: ScenarioContext): Promise<unknown>
  /** The measured phase; absent for once-mode scenarios. */
  stimulus?(ctx: ScenarioContext): Promise<StimulusResult>
  /** Run with -once and measure wall time. */
  once?: boolean
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6

interface SeedService { Node: string; Name: string; ID: string; Port: number; Tags?: string[] }

/** Writes a seed with `services` services × `per` instances on 3 nodes. */
function catalogSeed(dir: string, services: number, per: number,
  extraKv: Record<string, string> = {}): string {
  const nodes = ['n1', 'n2', 'n3'].map((n) => ({ Node: n, Address: '127.0.0.1' }))
  const list: SeedService[] = []
  for (let s = 0; s < services; s++) {
    for (let i = 0; i < per; i++) {
      list.push({ Node: `n${(i % 3) + 1}`, Name: `svc-${s}`, ID: `svc-${s}-${i}`,
        Port: 10000 + i, Tags: ['http'] })
    }
  }
  const path = join(dir, 'seed.json')
  writeFileSync(path, JSON.stringify({ nodes, services: list, kv: extraKv }))
  return path
}

/** Writes an HCL config with the given template blocks and top-level lines. */
function writeConfig(dir: string, blocks: string[], top: string[] = []): string[] {
  const path = join(dir, 'bench.hcl')
  writeFileSync(path, [...top, ...blocks].join('\n') + '\n')
  return ['-config', path, '-log-level', 'err']
}

function templateBlock(src: string, dest: string): string {
  return `template {\n  source = "${src}"\n  destination = "${dest}"\n}`
}

/** Moves one instance to a new port and waits until `file` shows it. */
async function movePort(ctx: ScenarioContext, svc: number, port: number,
  file: string): Promise<number> {
  const t0 = now()
  await ctx.agent.register({ node: 'n1', id: `svc-${svc}-0`, name: `svc-${svc}`, port,
    tags: ['http'] })
  const t1 = await ctx.watch.waitFor(file, (t) => t.includes(` ${port}\n`))
  return ms(t0, t1)
}

/** S1 and S2: one big `services` + `service` template. */
function catalogScenario(id: string, title: string, services: number,
  changes: number, spacingMs: number): Scenario {
  const tpl = '{{ range services }}{{ range service .Name }}' +
    '{{ .Name }} {{ .ID }} {{ .Port }}\n{{ end }}{{ end }}'
  return {
    id, title,
    seed: (dir) => catalogSeed(dir, services, 3),
    prepare: ({ dir, out }) => {
      writeFileSync(join(dir, 'all.tmpl'), tpl)
      return writeConfig(dir, [templateBlock(join(dir, 'all.tmpl'), join(out, 'all.txt'))])
    },
    ready: (ctx) => ctx.watch.waitFor(join(ctx.out, 'all.txt'),
      (t) => t.includes(`svc-${services - 1}-2 10002\n`), 120_000),
    stimulus: async (ctx) => {
      const lat: number[] = []
      for (let i = 0; i < changes; i++) {
        const svc = (i * 7919) % services
        lat.push(await movePort(ctx, svc, 20000 + i, join(ctx.out, 'all.txt')))
        await sleep(spacingMs)
      }
      return { latenciesMs: lat.slice(5), changes }
    },
  }
}

/** S3a/S3b: 100 templates, each reading its own service. */
function perServiceScenario(id: string, title: string, wait: string | undefined,
  changes: number, spacingMs: number): Scenario {
  const n = 100
  return {
    id, title,
    seed: (dir) => catalogSeed(dir, n, 3),
    prepare: ({ dir, out }) => {
      const blocks: string[] = []
      for (let s = 0; s < n; s++) {
        const src = join(dir, `svc-${s}.tmpl`)
        writeFileSync(src, `{{ range service "svc-${s}" }}{{ .ID }} {{ .Port }}\n{{ end }}`)
        blocks.push(templateBlock(src, join(out, `svc-${s}.txt`)))
      }
      return writeConfig(dir, blocks, wait ? [`wait { ${wait} }`] : [])
    },
    ready: (ctx) => Promise.all(Array.from({ length: n }, (_, s) =>
      ctx.watch.waitFor(join(ctx.out, `svc-${s}.txt`), (t) => t.includes('-2 10002'), 120_000))),
    stimulus: async (ctx) => {
      const lat: number[] = []
      for (let i = 0; i < changes; i++) {
        const svc = (i * 37) % n
        lat.push(await movePort(ctx, svc, 20000 + i, join(ctx.out, `svc-${svc}.txt`)))
        await sleep(spacingMs)
      }
      return { latenciesMs: wait ? [] : lat.slice(5), changes }
    },
  }
}

/** S3c: 100 templates that all read the same 10 services. */
const sharedScenario: Scenario = {
  id: 'S3c', title: '100 templates sharing 10 services',
  seed: (dir) => catalogSeed(dir, 10, 3),
  prepare: ({ dir, out }) => {
    const body = Array.from({ length: 10 }, (_, s) =>
      `{{ range service "svc-${s}" }}{{ .ID }} {{ .Port }}\n{{ end }}`).join('')
    const blocks: string[] = []
    for (let i = 0; i < 100; i++) {
      const src = join(dir, `t${i}.tmpl`)
      writeFileSync(src, `# ${i}\n${body}`)
      blocks.push(templateBlock(src, join(out, `t${i}.txt`)))
    }
    return writeConfig(dir, blocks)
  },
  ready: (ctx) => Promise.all(Array.from({ length: 100 }, (_, i) =>
    ctx.watch.waitFor(join(ctx.out, `t${i}.txt`), (t) => t.includes('svc-9-2'), 120_000))),
  stimulus: async (ctx) => {
    const lat: number[] = []
    const changes = 15
    for (let i = 0; i < changes; i++) {
      const svc = i % 10
      lat.push(await movePort(ctx, svc, 20000 + i, join(ctx.out, 't99.txt')))
      await sleep(200)
    }
    return { latenciesMs: lat.slice(5), changes }
  },
}

/** S4a: a KV tree of 10,000 keys. */
const kvTreeScenario: Scenario = {
  id: 'S4a', title: 'KV tree of 10,000 keys',
  seed: (dir) => {
    const kv: Record<string, string> = {}
    for (let i = 0; i < 10_000; i++) kv[`app/k${i}`] = `value-${i}-${'x'.repeat(90)}`
    return catalogSeed(dir, 0, 0, kv)
  },
  prepare: ({ dir, out }) => {
    writeFileSync(join(dir, 'tree.tmpl'), '{{ range tree "app" }}{{ .Key }}={{ .Value }}\n{{ end }}')
    return writeConfig(dir, [templateBlock(join(dir, 'tree.tmpl'), join(out, 'tree.txt'))])
  },
  ready: (ctx) => ctx.watch.waitFor(join(ctx.out, 'tree.txt'), (t) => t.includes('k9999='), 60_000),
  stimulus: async (ctx) => {
    const lat: number[] = []
    const changes = 15
    for (let i = 0; i < changes; i++) {
      const token = `changed-${i}-${Date.now()}`
      const t0 = now()
      await ctx.agent.kvPut(`app/k${i * 613}`, token)
      const t1 = await ctx.watch.waitFor(join(ctx.out, 'tree.txt'), (t) => t.includes(token))
      lat.push(ms(t0, t1))
      await sleep(200)
    }
    return { latenciesMs: lat.slice(3), changes }
  },
}

/** S5: a service flapping between passing and critical at 10 Hz. */
const flapScenario: Scenario = {
  id: 'S5', title: 'one service flapping at 10 Hz for 4 s',
  seed: (dir) => catalogSeed(dir, 1, 3),
  prepare: ({ dir, out }) => {
    writeFileSync(join(dir, 'flap.tmpl'), '{{ range service "svc-0" }}{{ .ID }}\n{{ end }}')
    return writeConfig(dir, [templateBlock(join(dir, 'flap.tmpl'), join(out, 'flap.txt'))])
  },
  ready: (ctx) => ctx.watch.waitFor(join(ctx.out, 'flap.txt'), (t) => t.includes('svc-0-2')),
  stimulus: async (ctx) => {
    const flips = 40
    for (let i = 0; i < flips; i++) {
      await ctx.agent.register({ node: 'n1', id: 'svc-0-0', name: 'svc-0', port: 10000,
        tags: ['http'], status: i % 2 === 0 ? 'critical' : 'passing' })
      await sleep(100)
    }
    await sleep(500)
    return { latenciesMs: [], changes: flips }
  },
}

/** S7: -once start-up with 100 services. */
const onceScenario: Scenario = {
  id: 'S7', title: '-once with 100 services', once: true,
  seed: (dir) => catalogSeed(dir, 100, 3),
  prepare: ({ dir, out }) => {
    writeFileSync(join(dir, 'all.tmpl'), '{{ range services }}{{ range service .Name }}' +
      '{{ .Name }} {{ .Port }}\n{{ end }}{{ end }}')
    return [...writeConfig(dir, [templateBlock(join(dir, 'all.tmpl'),
      join(out, 'all.txt'))]), '-once']
  },
  ready: async () => undefined,
}

/** S8: idle dependencies; memory after the views settle. */
function idleScenario(id: string, deps: number): Scenario {
  return {
    id, title: `${deps} idle dependencies (memory)`,
    seed: (dir) => catalogSeed(dir, deps, 1),
    prepare: ({ dir, out }) => {
      writeFileSync(join(dir, 'idle.tmpl'), Array.from({ length: deps }, (_, s) =>
        `{{ range service "svc-${s}" }}{{ .Port }}{{ end }}`).join('\n') + '\nend\n')
      return writeConfig(dir, [templateBlock(join(dir, 'idle.tmpl'), join(out, 'idle.txt'))])
    },
    ready: (ctx) => ctx.watch.waitFor(join(ctx.out, 'idle.txt'), (t) => t.endsWith('end\n'),
      120_000),
    stimulus: async () => {
      await sleep(2000)
      return { latenciesMs: [], changes: 0 }
    },
  }
}

/** Every scenario, in the order `npm run bench` runs them. */
export const scenarios: Scenario[] = [
  catalogScenario('S1', '1 service x 3 instances, latency floor', 1, 30, 150),
  catalogScenario('S2-100', '100 services x 3, services+service template', 100, 25, 200),
  catalogScenario('S2-1000', '1,000 services x 3, services+service template', 1000, 20, 250),
  perServiceScenario('S3a', '100 templates, one service each', undefined, 25, 150),
  perServiceScenario('S3b', '100 templates, one service each, wait 250ms:1s',
    'min = "250ms"\n  max = "1s"', 10, 400),
  sharedScenario,
  kvTreeScenario,
  flapScenario,
  onceScenario,
  idleScenario('S8-10', 10),
  idleScenario('S8-1000', 1000),
]
