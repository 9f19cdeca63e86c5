// `ctmpl dev` as a process: the one line it prints, the seed, flag
// errors, and a clean exit on SIGINT/SIGTERM.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, test } from 'node:test'

const root = join(import.meta.dirname, '..', '..')
const main = join(root, 'src', 'cli', 'main.ts')

function dev(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'dev', ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr.on('data', (d: Buffer) => { err += d.toString() })
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const line = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const nl = out.indexOf('\n')
      if (nl >= 0) resolve(out.slice(0, nl))
    })
    child.on('exit', () => reject(new Error(`exited before printing: ${err}`)))
  })
  line.catch(() => {})
  return { child, exit, line, stderr: () => err, stdout: () => out }
}

describe('ctmpl dev', () => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    test(`prints its address, serves the seed, exits 0 on ${sig}`, async () => {
      const p = dev(['-http-addr', '127.0.0.1:0', '-seed', 'examples/demo-catalog.json',
        '-node', 'demo-node', '-log-level', 'warn'])
      try {
        const line = await p.line
        const m = /^ctmpl dev: listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line)
        assert.ok(m, line)
        const web = await (await fetch(`${m[1]}/v1/health/service/web`)).json() as unknown[]
        assert.equal(web.length, 3)
        const self = await (await fetch(`${m[1]}/v1/agent/self`)).json() as any
        assert.equal(self.Config.NodeName, 'demo-node')
        const kv = await fetch(`${m[1]}/v1/kv/app/name?raw`)
        assert.equal(await kv.text(), 'demo')
      } finally {
        p.child.kill(sig)
      }
      assert.equal(await p.exit, 0)
      assert.equal(p.stdout().split('\n').filter((l) => l).length, 1)
    })
  }

  test('flag errors exit 1 with a usage text', async () => {
    const p = dev(['-bogus'])
    assert.equal(await p.exit, 1)
    assert.match(p.stderr(), /flag provided but not defined: -bogus/)
    assert.match(p.stderr(), /-http-addr/)
    const q = dev(['-http-addr', 'nope'])
    assert.equal(await q.exit, 1)
    assert.match(q.stderr(), /invalid -http-addr "nope"/)
  })

  test('a bad seed exits 1 and names the file', async () => {
    const p = dev(['-http-addr', '127.0.0.1:0', '-seed', 'no/such/seed.json'])
    assert.equal(await p.exit, 1)
    assert.match(p.stderr(), /no\/such\/seed\.json/)
  })
})
