// Runs the reference consul-template on every case in
// test/template/reference-cases.ts and writes what it printed to
// test/template/fixtures/reference-results.json.
//   node --import tsx scripts/template-reference.ts [--check]
// The binary is $CTMPL_REFERENCE or /root/go/bin/consul-template. With
// --check it only compares and exits 1 on a difference. Templates render
// with -once against a closed loopback port; they call no Consul function.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { referenceCases } from '../test/template/reference-cases.ts'
import type { ReferenceCase } from '../test/template/reference-cases.ts'
import { referenceBinary as findReferenceBinary } from './reference-binary.ts'

/** What the reference printed for one case. */
export interface ReferenceResult {
  name: string
  src: string
  delims?: [string, string]
  out?: string
  err?: string
}

const root = join(fileURLToPath(import.meta.url), '..', '..')
const fixture = join(root, 'test', 'template', 'fixtures', 'reference-results.json')

/** Returns the reference binary's path, or null when it is not installed. */
export function referenceBinary(): string | null {
  return findReferenceBinary() ?? null
}

/** Renders one case with the reference and returns its output or error. */
export function runReference(bin: string, c: ReferenceCase): Promise<ReferenceResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ctmpl-ref-'))
  writeFileSync(join(dir, 'in.tmpl'), c.src)
  let target = ['-template', 'in.tmpl:out.txt']
  if (c.delims !== undefined) {
    // Delimiters can only be set in a configuration file.
    const q = (s: string): string => JSON.stringify(s)
    writeFileSync(join(dir, 'c.hcl'), 'template {\n  source = "in.tmpl"\n' +
      `  destination = "out.txt"\n  left_delimiter = ${q(c.delims[0])}\n` +
      `  right_delimiter = ${q(c.delims[1])}\n}\n`)
    target = ['-config', 'c.hcl']
  }
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['-once', '-consul-addr', '127.0.0.1:1', ...target],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      const outPath = join(dir, 'out.txt')
      let res: ReferenceResult
      if (existsSync(outPath)) {
        res = { ...c, out: readFileSync(outPath, 'utf8') }
      } else {
        // "[ERR] (cli) in.tmpl: parse: template: :1: ..." up to the end.
        const m = /\[ERR\] \(cli\) in\.tmpl: (?:parse|execute): ([\s\S]*)$/.exec(stderr)
        res = { ...c, err: m ? m[1]!.replace(/\n$/, '') : stderr }
      }
      rmSync(dir, { recursive: true, force: true })
      resolve(res)
    })
  })
}

/** Runs all cases with a few processes at a time. */
export async function runAll(bin: string, cases: ReferenceCase[]): Promise<ReferenceResult[]> {
  const results: ReferenceResult[] = new Array(cases.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++
      results[i] = await runReference(bin, cases[i]!)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  return results
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bin = referenceBinary()
  if (bin === null) {
    console.error('reference consul-template not found; set CTMPL_REFERENCE')
    process.exit(2)
  }
  const results = await runAll(bin, referenceCases)
  if (process.argv.includes('--check')) {
    const old = JSON.parse(readFileSync(fixture, 'utf8')) as ReferenceResult[]
    const same = JSON.stringify(old) === JSON.stringify(results)
    console.log(same ? 'fixtures match the reference' : 'fixtures differ from the reference')
    process.exit(same ? 0 : 1)
  }
  writeFileSync(fixture, JSON.stringify(results, null, 1) + '\n')
  console.log(`wrote ${results.length} cases to ${fixture}`)
}
