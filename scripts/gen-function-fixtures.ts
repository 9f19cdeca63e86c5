// Renders every case in test/functions/cases*.ts with the reference
// consul-template and writes the expected output or error to
// test/functions/fixtures/<group>.json.
//   npx tsx scripts/gen-function-fixtures.ts [path-to-consul-template]
// The reference never reaches Consul: the templates call no Consul
// function and -consul-addr points at a closed loopback port.
// Cases over Consul data (test/functions/cases-data.ts) go through
// scripts/reference-harness instead, built from a copy of the v0.42.1
// module in the Go module cache, offline (GOPROXY=off).
import { execFileSync, spawn } from 'node:child_process'
import {
  chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { groups } from '../test/functions/cases.ts'
import type { FunctionCase } from '../test/functions/cases.ts'
import { moreGroups } from '../test/functions/cases-more.ts'
import { dataCases } from '../test/functions/cases-data.ts'
import { edgeCases } from '../test/functions/cases-edges.ts'
import { referenceBinary } from './reference-binary.ts'

const reference = process.argv[2] ?? referenceBinary() ?? 'consul-template'

/** What one case produced in the reference. */
export interface Expected { output?: string; error?: string }

/** Renders one template with the reference binary. */
export function renderWithReference(bin: string, c: FunctionCase): Promise<Expected> {
  const dir = mkdtempSync(join(tmpdir(), 'ctmpl-fx-'))
  writeFileSync(join(dir, 'in.tmpl'), c.template)
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['-once', '-consul-addr', '127.0.0.1:1',
      '-template', 'in.tmpl:out.txt'], {
      cwd: dir, stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...c.env },
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8') })
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      const out = join(dir, 'out.txt')
      let result: Expected
      if (code === 0 && existsSync(out)) {
        result = { output: readFileSync(out, 'utf8') }
      } else {
        const at = stderr.indexOf('in.tmpl: ')
        result = { error: (at >= 0 ? stderr.slice(at + 9) : stderr).replace(/\n$/, '') }
      }
      rmSync(dir, { recursive: true, force: true })
      resolve(result)
    })
  })
}

/** Renders the data cases with the reference's template package. */
function renderDataCases(cases: FunctionCase[]): Expected[] {
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim()
  const module = join(modCache, 'github.com', 'hashicorp', 'consul-template@v0.42.1')
  const work = mkdtempSync(join(tmpdir(), 'ctmpl-harness-'))
  try {
    const src = join(work, 'src')
    cpSync(module, src, { recursive: true })
    chmodSync(src, 0o755)
    execFileSync('chmod', ['-R', 'u+w', src])
    mkdirSync(join(src, 'cmd', 'ctmpl-harness'), { recursive: true })
    cpSync(join('scripts', 'reference-harness', 'main.go'),
      join(src, 'cmd', 'ctmpl-harness', 'main.go'))
    const bin = join(work, 'harness')
    execFileSync('go', ['build', '-o', bin, './cmd/ctmpl-harness'], {
      cwd: src, stdio: 'inherit',
      env: { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=mod' },
    })
    const out = execFileSync(bin, { input: JSON.stringify(cases.map((c) => c.template)) })
    return JSON.parse(out.toString('utf8')) as Expected[]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const dataFile = join('test', 'functions', 'fixtures', 'data.json')
  try {
    const data = renderDataCases(dataCases)
    writeFileSync(dataFile, JSON.stringify({
      reference: 'consul-template v0.42.1 template package (scripts/reference-harness)',
      cases: dataCases.map((c, i) => ({ ...c, ...data[i] })),
    }, null, 1) + '\n')
    console.log(`${dataFile}: ${dataCases.length} cases`)
  } catch (err) {
    // The harness needs Go and the v0.42.1 module in the module cache.
    console.error(`KEEPING ${dataFile}: cannot build the reference harness: ` +
      (err as Error).message)
  }

  const all = { ...groups, ...moreGroups, edges: edgeCases }
  for (const [name, cases] of Object.entries(all)) {
    const results: Array<FunctionCase & Expected> = new Array(cases.length)
    let next = 0
    const worker = async () => {
      while (next < cases.length) {
        const i = next++
        results[i] = { ...cases[i]!, ...(await renderWithReference(reference, cases[i]!)) }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    const file = join('test', 'functions', 'fixtures', `${name}.json`)
    writeFileSync(file, JSON.stringify({
      reference: 'consul-template v0.42.1', cases: results,
    }, null, 1) + '\n')
    console.log(`${file}: ${results.length} cases`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
