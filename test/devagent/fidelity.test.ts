// The fidelity proof: the reference consul-template (Go, official Consul
// client) renders templates against `ctmpl dev`; the output must match the
// expected files byte for byte, and a watching run must react to changes
// made through the HTTP API.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { startDevAgent, type DevAgent } from '../../src/devagent/index.ts'
import { referenceBinary } from '../../scripts/reference-binary.ts'

const reference = referenceBinary() ?? 'consul-template (not installed)'
const haveReference = existsSync(reference)
const fixtures = join(import.meta.dirname, 'fixtures')
const seed = join(import.meta.dirname, '..', '..', 'examples', 'demo-catalog.json')

/** Runs the reference; `done` resolves to its exit code (stderr shown on
 * failure only, so a clean run keeps the test output quiet). */
function run(args: string[], cwd?: string)
  : { child: ChildProcess; done: Promise<number> } {
  const child = spawn(reference, args,
    { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) })
  let err = ''
  child.stdout!.on('data', (d: Buffer) => { err += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { err += d.toString() })
  let killedByUs = false
  const kill = child.kill.bind(child)
  child.kill = (sig?: NodeJS.Signals | number) => { killedByUs = true; return kill(sig) }
  const done = new Promise<number>((resolve) => child.on('exit', (code) => {
    if (code !== 0 && !killedByUs) process.stderr.write(err)
    resolve(code ?? 0)
  }))
  return { child, done }
}

async function waitForFile(path: string, want: (s: string) => boolean,
  timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < until) {
    last = await readFile(path, 'utf8').catch(() => '')
    if (want(last)) return last
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${path}; last content:\n${last}`)
}

describe('reference consul-template against ctmpl dev', () => {
  let agent: DevAgent
  let dir: string

  before(async () => {
    if (!haveReference) return
    agent = await startDevAgent({ seed })
    dir = await mkdtemp(join(tmpdir(), 'ctmpl-fidelity-'))
  })

  after(async () => {
    await agent?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('renders catalog and KV templates byte for byte (-once)', async (t) => {
    if (!haveReference) {
      t.skip(`reference consul-template not installed: ${reference} missing`)
      return
    }
    const outCat = join(dir, 'catalog.out')
    const outKv = join(dir, 'kv.out')
    const { done } = run([
      '-once', '-consul-addr', agent.addr, '-log-level', 'warn',
      '-template', `${join(fixtures, 'catalog.tmpl')}:${outCat}`,
      '-template', `${join(fixtures, 'kv.tmpl')}:${outKv}`,
    ])
    assert.equal(await done, 0)
    assert.equal(await readFile(outCat, 'utf8'),
      await readFile(join(fixtures, 'catalog.expected'), 'utf8'))
    assert.equal(await readFile(outKv, 'utf8'),
      await readFile(join(fixtures, 'kv.expected'), 'utf8'))
  })

  test('a watching run follows changes made through the HTTP API', async (t) => {
    if (!haveReference) {
      t.skip(`reference consul-template not installed: ${reference} missing`)
      return
    }
    const out = join(dir, 'watch.out')
    const { child, done } = run([
      '-consul-addr', agent.addr, '-log-level', 'warn',
      '-template', `${join(fixtures, 'watch.tmpl')}:${out}`,
    ])
    try {
      const first = await waitForFile(out, (s) => s.includes('name=demo'))
      assert.equal(first, [
        '', 'web-1 127.0.0.1:18081', 'web-2 127.0.0.1:18082',
        'web-3 127.0.0.1:18083', 'name=demo\n',
      ].join('\n'))

      const reg = await fetch(`${agent.url}/v1/catalog/register`, {
        method: 'PUT',
        body: JSON.stringify({
          Node: 'node-d', Address: '127.0.0.2',
          Service: { ID: 'web-4', Service: 'web', Port: 18084, Tags: ['http'] },
          Check: { CheckID: 'web-4-http', Name: 'web-4 http',
            ServiceID: 'web-4', Status: 'passing' },
        }),
      })
      assert.equal(reg.status, 200)
      await waitForFile(out, (s) => s.includes('web-4 127.0.0.2:18084'))

      const put = await fetch(`${agent.url}/v1/kv/app/name`,
        { method: 'PUT', body: 'changed' })
      assert.equal(await put.json(), true)
      const last = await waitForFile(out, (s) => s.includes('name=changed'))
      assert.equal(last, [
        '', 'web-1 127.0.0.1:18081', 'web-2 127.0.0.1:18082',
        'web-3 127.0.0.1:18083', 'web-4 127.0.0.2:18084', 'name=changed\n',
      ].join('\n'))

      // A failing check takes the instance out of the default (passing) view.
      agent.store.setCheckStatus('web-4-http', 'critical', 'down', 'node-d')
      await waitForFile(out, (s) => !s.includes('web-4'))
    } finally {
      child.kill('SIGINT')
      await done
    }
  })

  test('dedup mode: one leader holds the lock, a follower renders its data',
    async (t) => {
      if (!haveReference) {
        t.skip(`reference consul-template not installed: ${reference} missing`)
        return
      }
      // Same source and relative destination in two directories give both
      // processes the same template hash, hence the same lock key.
      const dirs = [join(dir, 'dedup-a'), join(dir, 'dedup-b')]
      const procs = []
      for (const d of dirs) {
        await mkdir(d)
        procs.push(run(['-dedup', '-consul-addr', agent.addr, '-log-level', 'warn',
          '-template', `${join(fixtures, 'dedup.tmpl')}:out.txt`], d))
        if (procs.length === 1) await new Promise((r) => setTimeout(r, 500))
      }
      const expect = '\nweb-1 18081\nweb-2 18082\nweb-3 18083\n'
      try {
        for (const d of dirs) await waitForFile(join(d, 'out.txt'), (s) => s === expect)
        const locks = agent.store.kv.list('consul-template/dedup/')
        assert.equal(locks.length, 1)
        assert.equal(locks[0]!.Flags, '3304740253564472344')
        assert.ok(locks[0]!.Session, 'the leader holds the lock')
        const held = agent.store.sessions.get(locks[0]!.Session!)
        assert.equal(held?.TTL, '15.000000s')
        assert.equal(held?.Behavior, 'delete')

        agent.store.deregisterService('web-2', 'node-b')
        for (const d of dirs) {
          await waitForFile(join(d, 'out.txt'), (s) => !s.includes('web-2'))
        }
      } finally {
        for (const p of procs) p.child.kill('SIGINT')
        await Promise.all(procs.map((p) => p.done))
      }
      assert.equal(agent.store.sessions.list().length, 0, 'sessions destroyed on exit')
    })

  test('the reference sends its ACL token the way the agent expects', async (t) => {
    if (!haveReference) {
      t.skip(`reference consul-template not installed: ${reference} missing`)
      return
    }
    const secured = await startDevAgent({ seed, aclToken: 'letmein' })
    try {
      const out = join(dir, 'acl.out')
      const { done } = run(['-once', '-consul-addr', secured.addr,
        '-consul-token', 'letmein', '-log-level', 'warn',
        '-template', `${join(fixtures, 'kv.tmpl')}:${out}`])
      assert.equal(await done, 0)
      assert.equal(await readFile(out, 'utf8'),
        await readFile(join(fixtures, 'kv.expected'), 'utf8'))
    } finally {
      await secured.stop()
    }
  })
})
