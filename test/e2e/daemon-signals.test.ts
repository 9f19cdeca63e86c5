/**
 * The daemon's process edges: SIGHUP reloads configuration and templates,
 * SIGUSR1 prints the template status, the status and PID files, and the
 * exit codes of SIGINT and SIGTERM.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDevAgent } from '../../src/devagent/index.ts'
import { startCtmpl, tempDir, waitFor } from '../helpers/process.ts'

function read(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : ''
}

test('SIGHUP reloads the configuration; status and PID files; SIGINT exits 12',
  async (t) => {
    const agent = await startDevAgent({ port: 0 })
    const tmp = tempDir()
    const dir = tmp.path
    agent.store.kvPut('app/a', 'A')
    agent.store.kvPut('app/b', 'B')
    writeFileSync(join(dir, 'a.tmpl'), 'a={{ key "app/a" }}\n')
    writeFileSync(join(dir, 'b.tmpl'), 'b={{ key "app/b" }}\n')
    const cfg = join(dir, 'ctmpl.hcl')
    const config = (src: string): string => [
      `consul { address = "${agent.addr}" }`,
      `pid_file = "${join(dir, 'ctmpl.pid')}"`,
      `status_file = "${join(dir, 'status.json')}"`,
      'template {',
      `  source = "${join(dir, src)}"`,
      `  destination = "${join(dir, 'out.txt')}"`,
      '}', ''].join('\n')
    writeFileSync(cfg, config('a.tmpl'))
    const p = startCtmpl(['-config', cfg])
    t.after(async () => {
      await p.stop('SIGKILL')
      await agent.stop()
      tmp.remove()
    })
    const out = join(dir, 'out.txt')
    await waitFor('first render', () => read(out) === 'a=A\n')
    assert.equal(read(join(dir, 'ctmpl.pid')).trim(), String(p.child.pid))
    const status = await waitFor('status file', () => {
      const s = JSON.parse(read(join(dir, 'status.json')) || '{}')
      return s.templates?.[0]?.render?.ok ? s : undefined
    })
    assert.equal(status.templates[0].destination, out)

    p.child.kill('SIGUSR1')
    await waitFor('status on SIGUSR1', () => p.stderr().includes('render  ok'))

    writeFileSync(cfg, config('b.tmpl'))
    p.child.kill('SIGHUP')
    await waitFor('render after reload', () => read(out) === 'b=B\n')
    agent.store.kvPut('app/b', 'B2')
    await waitFor('watching the new template', () => read(out) === 'b=B2\n')

    assert.equal(await p.stop('SIGINT'), 12)
    assert.match(p.stderr(), /Cleaning up/)
    assert.equal(existsSync(join(dir, 'ctmpl.pid')), false, 'PID file removed on exit')
  })

test('SIGTERM stops the daemon cleanly with status 0', async (t) => {
  const agent = await startDevAgent({ port: 0 })
  const tmp = tempDir()
  agent.store.kvPut('app/a', 'A')
  writeFileSync(join(tmp.path, 'a.tmpl'), '{{ key "app/a" }}')
  const out = join(tmp.path, 'out.txt')
  const p = startCtmpl(['-consul-addr', agent.addr,
    '-template', `${join(tmp.path, 'a.tmpl')}:${out}`])
  t.after(async () => {
    await p.stop('SIGKILL')
    await agent.stop()
    tmp.remove()
  })
  await waitFor('render', () => read(out) === 'A')
  assert.equal(await p.stop('SIGTERM'), 0)
})

test('exec mode: the child starts after the first render, gets the reload signal on change, ' +
  'and its exit status becomes ctmpl\'s', async (t) => {
  const agent = await startDevAgent({ port: 0 })
  const tmp = tempDir()
  const dir = tmp.path
  agent.store.kvPut('app/a', 'A')
  writeFileSync(join(dir, 'a.tmpl'), '{{ key "app/a" }}')
  // One word: the reference (and ctmpl) run it directly, not under `sh -c`,
  // so the script itself receives the reload signal.
  writeFileSync(join(dir, 'child.sh'), [
    '#!/bin/sh',
    `trap 'echo hup >> ${join(dir, 'signals')}' HUP`,
    `echo "started $(cat ${join(dir, 'out.txt')})" >> ${join(dir, 'signals')}`,
    `while [ ! -f ${join(dir, 'quit')} ]; do sleep 0.05; done`,
    'exit 7', ''].join('\n'), { mode: 0o755 })
  const out = join(dir, 'out.txt')
  const p = startCtmpl(['-consul-addr', agent.addr,
    '-template', `${join(dir, 'a.tmpl')}:${out}`,
    '-exec', join(dir, 'child.sh'), '-exec-reload-signal', 'SIGHUP'])
  t.after(async () => {
    writeFileSync(join(dir, 'quit'), '')
    await p.stop('SIGKILL')
    await agent.stop()
    tmp.remove()
  })
  await waitFor('child started after render', () => read(join(dir, 'signals')) === 'started A\n')
  agent.store.kvPut('app/a', 'B')
  await waitFor('reload signal', () => read(join(dir, 'signals')).includes('hup'))
    .catch((err: Error) => { throw new Error(`${err.message}\n${p.stderr()}`) })
  writeFileSync(join(dir, 'quit'), '')
  assert.equal(await p.exited, 7)
})

test('SIGHUP with a broken template keeps the running configuration', async (t) => {
  const agent = await startDevAgent({ port: 0 })
  const tmp = tempDir()
  agent.store.kvPut('app/a', 'A')
  const src = join(tmp.path, 'a.tmpl')
  writeFileSync(src, 'one {{ key "app/a" }}')
  const out = join(tmp.path, 'out.txt')
  const p = startCtmpl(['-consul-addr', agent.addr, '-template', `${src}:${out}`])
  t.after(async () => {
    await p.stop('SIGKILL')
    await agent.stop()
    tmp.remove()
  })
  await waitFor('render', () => read(out) === 'one A')
  writeFileSync(src, 'two {{ key "app/a" ')
  p.child.kill('SIGHUP')
  await waitFor('reload refused', () => p.stderr().includes('reload failed'))
  assert.match(p.stderr(), /a\.tmpl: parse: template: :1: unclosed action/)
  agent.store.kvPut('app/a', 'B')
  await waitFor('still rendering the old template', () => read(out) === 'one B')
  writeFileSync(src, 'three {{ key "app/a" }}')
  p.child.kill('SIGHUP')
  await waitFor('fixed template', () => read(out) === 'three B')
  assert.equal(p.child.exitCode, null)
})
