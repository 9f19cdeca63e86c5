/**
 * Renders every case in test/functions/sprig/cases.ts with the reference
 * consul-template and writes what it printed (or the error it reported) to
 * test/functions/sprig/fixtures/<domain>.json.
 *   node --import tsx scripts/gen-sprig-fixtures.ts [domain...]
 * The reference is $CTMPL_REFERENCE, else consul-template on $PATH or in
 * ~/go/bin. It is pointed at a closed loopback port: Sprig needs no Consul.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cases } from '../test/functions/sprig/cases.ts'
import { referenceBinary } from './reference-binary.ts'

/** One checked case: the template and what the reference made of it. */
export interface Fixture {
  name: string
  tmpl: string
  out?: string
  err?: string
}

const root = join(fileURLToPath(import.meta.url), '..', '..')

/** Returns the path of the reference binary, or undefined when absent. */
export function findReference(): string | undefined {
  return referenceBinary()
}

/** Renders one template with the reference; resolves to its output or error. */
export function renderWithReference(bin: string, tmpl: string): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'sprig-ref-'))
  const src = join(dir, 'in.tmpl')
  const dst = join(dir, 'out.txt')
  writeFileSync(src, tmpl)
  const args = ['-once', '-consul-addr', '127.0.0.1:1', '-log-level', 'err',
    '-template', `${src}:${dst}`]
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 20_000, env: { PATH: '/usr/bin:/bin', TZ: 'UTC' } },
      (error, _stdout, stderr) => {
        const fx: Fixture = { name: '', tmpl }
        if (error) {
          // The message runs from the [ERR] line to the next log line (a
          // template or value in it may span lines).
          const from = stderr.indexOf('[ERR]')
          const rest = from < 0 ? stderr : stderr.slice(from)
          const end = rest.search(/\n\d{4}-\d\d-\d\dT/)
          const msg = end < 0 ? rest : rest.slice(0, end)
          fx.err = msg.replace(/^.*?\(cli\) \S+: /, '').replace(/\r?\n$/, '')
        } else {
          fx.out = readFileSync(dst, 'utf8')
        }
        rmSync(dir, { recursive: true, force: true })
        resolve(fx)
      })
  })
}

async function main(): Promise<void> {
  const bin = findReference()
  if (!bin) throw new Error('reference consul-template not found; set CTMPL_REFERENCE')
  const only = process.argv.slice(2)
  for (const [domain, list] of Object.entries(cases)) {
    if (only.length > 0 && !only.includes(domain)) continue
    const out: Fixture[] = []
    for (let k = 0; k < list.length; k += 8) {
      const batch = list.slice(k, k + 8)
      const done = await Promise.all(batch.map(([, tmpl]) => renderWithReference(bin, tmpl)))
      done.forEach((fx, n) => out.push({ ...fx, name: batch[n]![0] }))
    }
    const file = join(root, 'test', 'functions', 'sprig', 'fixtures', `${domain}.json`)
    writeFileSync(file, JSON.stringify(out, null, 1) + '\n')
    console.log(`${domain}: ${out.length} cases`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main()
}
