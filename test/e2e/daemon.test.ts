/**
 * The daemon end to end: a real `ctmpl` process (run from the sources)
 * against `ctmpl dev` started in-process on a free port. Each test owns its
 * agent, folder and processes and removes them when it ends.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { startDevAgent, type DevAgent } from '../../src/devagent/index.ts'
import { startCtmpl, tempDir, waitFor, type CtmplProcess } from '../helpers/process.ts'

interface Setup {
  agent: DevAgent
  dir: string
  run(args: string[]): CtmplProcess
}

async function setup(t: TestContext, port = 0): Promise<Setup> {
  const agent = await startDevAgent({ port })
  const tmp = tempDir()
  const procs: CtmplProcess[] = []
  t.after(async () => {
    for (const p of procs) await p.stop('SIGKILL')
    await agent.stop().catch(() => {})
    tmp.remove()
  })
  return {
    agent,
    dir: tmp.path,
    run(args) {
      const p = startCtmpl(['-consul-addr', agent.addr, '-log-level', 'debug', ...args])
      procs.push(p)
      return p
    },
  }
}

function read(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : ''
}

const upstreamTemplate =
  '{{ range service "web" }}{{ .Node }} {{ .Address }}:{{ .Port }}\n{{ end }}'

test('a registered service appears, its command runs once; critical and deregister remove it',
  async (t) => {
    const s = await setup(t)
    writeFileSync(join(s.dir, 'in.tmpl'), upstreamTemplate)
    const out = join(s.dir, 'out.txt')
    const count = join(s.dir, 'count')
    s.agent.store.registerService({ Name: 'web', ID: 'web-1', Port: 8001 })
    const p = s.run(['-template', `${join(s.dir, 'in.tmpl')}:${out}:echo run >> ${count}`])
    await waitFor('first render', () => read(out).includes(':8001'))
    await waitFor('command', () => read(count) === 'run\n')

    const reg = await fetch(`${s.agent.url}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({ Name: 'web', ID: 'web-2', Port: 8002,
        Check: { CheckID: 'web-2-check', TTL: '60s', Status: 'passing' } }),
    })
    assert.equal(reg.status, 200)
    await waitFor('second instance', () => read(out).includes(':8002'))
    await waitFor('second command', () => read(count) === 'run\nrun\n')

    const res = await fetch(`${s.agent.url}/v1/agent/check/fail/web-2-check`,
      { method: 'PUT' })
    assert.equal(res.status, 200)
    await waitFor('critical instance removed', () => !read(out).includes(':8002'))

    s.agent.store.deregisterService('web-1')
    await waitFor('deregistered instance removed', () => read(out) === '')
    assert.equal(p.child.exitCode, null, p.stderr())
  })

test('a KV change re-renders only the templates that read that key', async (t) => {
  const s = await setup(t)
  s.agent.store.kvPut('app/a', 'one')
  s.agent.store.kvPut('app/b', 'two')
  writeFileSync(join(s.dir, 'a.tmpl'), '{{ key "app/a" }}')
  writeFileSync(join(s.dir, 'b.tmpl'), '{{ key "app/b" }}')
  const a = join(s.dir, 'a.txt')
  const b = join(s.dir, 'b.txt')
  const p = s.run(['-template', `${join(s.dir, 'a.tmpl')}:${a}`,
    '-template', `${join(s.dir, 'b.tmpl')}:${b}`])
  await waitFor('both rendered', () => read(a) === 'one' && read(b) === 'two')
  const bBefore = statSync(b).mtimeMs
  const checksBefore = countLines(p.stderr(), `checking template "${join(s.dir, 'b.tmpl')}"`)

  s.agent.store.kvPut('app/a', 'uno')
  await waitFor('a re-rendered', () => read(a) === 'uno')
  // Give a stray re-render of b time to show up before looking.
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(statSync(b).mtimeMs, bBefore)
  assert.equal(countLines(p.stderr(), `checking template "${join(s.dir, 'b.tmpl')}"`),
    checksBefore, 'b was executed again although its key did not change')
})

test('an unchanged render writes nothing and runs nothing', async (t) => {
  const s = await setup(t)
  s.agent.store.kvPut('app/a', 'same')
  s.agent.store.kvPut('app/other', 'x')
  writeFileSync(join(s.dir, 'in.tmpl'), '{{ key "app/a" }}{{ if keyExists "app/other" }}!{{ end }}')
  const out = join(s.dir, 'out.txt')
  const count = join(s.dir, 'count')
  s.run(['-template', `${join(s.dir, 'in.tmpl')}:${out}:echo run >> ${count}`])
  await waitFor('first render', () => read(count) === 'run\n')
  const before = statSync(out).mtimeMs
  s.agent.store.kvPut('app/other', 'y') // data changes, output does not
  await new Promise((r) => setTimeout(r, 500))
  assert.equal(statSync(out).mtimeMs, before)
  assert.equal(read(count), 'run\n')
})

test('quiescence collapses a burst of 50 changes into one render', async (t) => {
  const s = await setup(t)
  s.agent.store.kvPut('app/n', '0')
  writeFileSync(join(s.dir, 'in.tmpl'), '{{ key "app/n" }}')
  const out = join(s.dir, 'out.txt')
  const count = join(s.dir, 'count')
  s.run(['-wait', '1s:10s',
    '-template', `${join(s.dir, 'in.tmpl')}:${out}:echo run >> ${count}`])
  await waitFor('first render', () => read(count) === 'run\n')
  for (let i = 1; i <= 50; i++) {
    s.agent.store.kvPut('app/n', String(i))
    await new Promise((r) => setTimeout(r, 10))
  }
  await waitFor('burst rendered', () => read(out) === '50')
  await new Promise((r) => setTimeout(r, 600))
  assert.equal(read(count), 'run\nrun\n')
})

test('-once exits 0 after one complete render', async (t) => {
  const s = await setup(t)
  s.agent.store.registerService({ Name: 'web', ID: 'web-1', Port: 8001 })
  s.agent.store.kvPut('app/name', 'demo')
  writeFileSync(join(s.dir, 'in.tmpl'),
    '{{ key "app/name" }}\n{{ range services }}{{ .Name }}:{{ range service .Name }}' +
    '{{ .Port }}{{ end }}\n{{ end }}')
  const out = join(s.dir, 'out.txt')
  const p = s.run(['-once', '-template', `${join(s.dir, 'in.tmpl')}:${out}`])
  assert.equal(await p.exited, 0, p.stderr())
  // The dev agent registers itself as service "consul", as Consul does.
  assert.equal(read(out), 'demo\nconsul:8300\nweb:8001\n')
})

test('a failing command is reported with its stderr and the daemon exits 14', async (t) => {
  const s = await setup(t)
  s.agent.store.kvPut('app/a', 'x')
  writeFileSync(join(s.dir, 'in.tmpl'), '{{ key "app/a" }}')
  const out = join(s.dir, 'out.txt')
  const p = s.run(['-template', `${join(s.dir, 'in.tmpl')}:${out}:echo boom-on-stderr >&2; exit 3`])
  assert.equal(await p.exited, 14)
  assert.match(p.stderr(), /boom-on-stderr/)
  assert.match(p.stderr(), /exit/)
})

test('the agent going away for 10 s loses nothing; rendering resumes', async (t) => {
  const first = await startDevAgent({ port: 0 })
  const port = first.port
  first.store.kvPut('app/a', 'before')
  const tmp = tempDir()
  writeFileSync(join(tmp.path, 'in.tmpl'), '{{ key "app/a" }}')
  const out = join(tmp.path, 'out.txt')
  const p = startCtmpl(['-consul-addr', first.addr,
    '-template', `${join(tmp.path, 'in.tmpl')}:${out}`])
  let second: DevAgent | undefined
  t.after(async () => {
    await p.stop('SIGKILL')
    await first.stop().catch(() => {})
    await second?.stop().catch(() => {})
    tmp.remove()
  })
  await waitFor('first render', () => read(out) === 'before')
  await first.stop()
  await new Promise((r) => setTimeout(r, 10_000))
  assert.equal(read(out), 'before', 'the last good file must stay')
  assert.equal(p.child.exitCode, null, 'ctmpl must survive the outage')
  second = await startDevAgent({ port })
  // A restarted in-memory agent counts its index from the start again; a
  // few writes first make the key's index differ from the one ctmpl holds,
  // as a real cluster's would.
  for (let i = 0; i < 5; i++) second.store.kvPut(`filler/${i}`, 'x')
  second.store.kvPut('app/a', 'after')
  await waitFor('render after the outage', () => read(out) === 'after', 25_000)
    .catch((err: Error) => { throw new Error(`${err.message}\n${p.stderr()}`) })
})

function countLines(text: string, needle: string): number {
  return text.split('\n').filter((l) => l.includes(needle)).length
}

test('a file already in place is verified once after a restart', async (t) => {
  const s = await setup(t)
  s.agent.store.kvPut('app/a', 'x')
  writeFileSync(join(s.dir, 'in.tmpl'), '{{ key "app/a" }}')
  const cfg = join(s.dir, 'c.hcl')
  // A PID file naming no process: verify must fail, whatever the file says.
  writeFileSync(join(s.dir, 'stale.pid'), '4194000\n')
  writeFileSync(cfg, ['template {', `  source = "${join(s.dir, 'in.tmpl')}"`,
    `  destination = "${join(s.dir, 'out.txt')}"`, '  error_fatal = false',
    `  verify { pid_file = "${join(s.dir, 'stale.pid')}" }`, '}', ''].join('\n'))
  const first = s.run(['-once', '-config', cfg])
  assert.equal(await first.exited, 14, first.stderr())
  assert.equal(read(join(s.dir, 'out.txt')), 'x', 'no rollback asked: the file stays')
  // The second run finds the same bytes on disk: nothing to install, but
  // verify still runs (and fails) instead of exiting 0 unproven.
  const second = s.run(['-once', '-config', cfg])
  assert.equal(await second.exited, 14, second.stderr())
  assert.match(second.stderr(), /verify failed/)
})
