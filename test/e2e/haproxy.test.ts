/**
 * Issue 4, scenario 2: HAProxy in front of a pool kept in the catalog.
 * ctmpl renders the whole haproxy.cfg from examples/haproxy/, checks it
 * with `haproxy -c`, reloads the master-worker process with SIGUSR2 (what
 * `systemctl reload haproxy` sends) and verifies through the master's
 * mount namespace.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { startDevAgent } from '../../src/devagent/index.ts'
import {
  Cleanup, examples, get, haproxyBin, haproxyEnv, haproxyLoads, missing, poolScenario,
  processTree, register, startBackend, startDaemon, startHaproxy, tempDir, waitFor, waitForPool,
} from './helpers.ts'

test('haproxy: the pool follows registrations, health and deregistrations',
  { skip: missing(haproxyBin), timeout: 60_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const tmp = tempDir('ctmpl-e2e-haproxy-')
    cleanup.add(() => tmp.remove())
    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    const backends = []
    for (const name of ['web-1', 'web-2', 'web-3']) {
      const b = await startBackend(name, cleanup)
      await register(agent.url, b)
      backends.push(b)
    }

    const dest = join(tmp.path, 'haproxy.cfg')
    const haproxy = await startHaproxy({ dir: tmp.path, configFile: dest }, cleanup)
    const { ctmpl } = await startDaemon({
      dir: tmp.path, consulAddr: agent.addr, source: examples.haproxyTemplate,
      destination: dest, check: haproxy.check, command: haproxy.reload,
      pidFile: haproxy.pidFile, env: haproxyEnv(haproxy),
    }, cleanup)
    const log = (): string =>
      `\n--- ctmpl log ---\n${ctmpl.stderr()}\n--- haproxy ---\n${haproxy.output()}` +
      `\n--- under ctmpl ---\n${processTree(ctmpl.child.pid!)}`

    await waitFor('HAProxy to load the first render', async () =>
      (await get(`${haproxy.url}/healthz`)).status === 200, 10_000)
      .catch((err: Error) => { throw new Error(err.message + log()) })
    await waitForPool(haproxy, '/web/', ['web-1', 'web-2', 'web-3'])
    const rendered = readFileSync(dest, 'utf8')
    assert.match(rendered, /server \S+\.web-1 127\.0\.0\.1:\d+ weight 1 check inter 2s/)

    const r = await poolScenario({
      proxy: haproxy, agentUrl: agent.url, ctmpl, backends, cleanup,
      emptyStatus: 503, emptyBody: /no healthy instance/,
    })
    t.diagnostic(`registration to first request: ${r.fourthLatencyMs.toFixed(0)} ms`)

    // Each change was one reload that HAProxy loaded, each one verified.
    assert.ok(haproxyLoads(haproxy) >= 5, log())
    assert.doesNotMatch(haproxy.output(), /\[ALERT\]/, log())
    assert.match(ctmpl.stderr(), /verified .*the consumer sees the rendered bytes/)
    assert.doesNotMatch(ctmpl.stderr(), /\[ERR\]/, log())
  })

test('haproxy: every instance critical leaves an empty backend that answers 503',
  { skip: missing(haproxyBin), timeout: 30_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const tmp = tempDir('ctmpl-e2e-haproxy-')
    cleanup.add(() => tmp.remove())
    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    const only = await startBackend('web-1', cleanup)
    await register(agent.url, only)
    const dest = join(tmp.path, 'haproxy.cfg')
    const haproxy = await startHaproxy({ dir: tmp.path, configFile: dest }, cleanup)
    await startDaemon({
      dir: tmp.path, consulAddr: agent.addr, source: examples.haproxyTemplate,
      destination: dest, check: haproxy.check, command: haproxy.reload,
      pidFile: haproxy.pidFile, env: haproxyEnv(haproxy),
    }, cleanup)
    await waitForPool(haproxy, '/web/', ['web-1'])

    await fetch(`${agent.url}/v1/agent/check/fail/service:web-1`, { method: 'PUT' })
    const r = await waitFor('the empty backend', async () => {
      const reply = await get(`${haproxy.url}/web/`)
      return reply.status === 503 ? reply : undefined
    }, 5000)
    // HAProxy's own page: the backend is still there, with no server in it.
    assert.match(r.body, /No server is available/)
    assert.match(readFileSync(dest, 'utf8'), /backend svc_web\n[^\n]*\n[^\n]*\n\n/)
  })

test('haproxy: a render `haproxy -c` rejects is never loaded',
  { skip: missing(haproxyBin), timeout: 30_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const tmp = tempDir('ctmpl-e2e-haproxy-')
    cleanup.add(() => tmp.remove())
    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    const good = await startBackend('web-1', cleanup)
    await register(agent.url, good)
    const dest = join(tmp.path, 'haproxy.cfg')
    const haproxy = await startHaproxy({ dir: tmp.path, configFile: dest }, cleanup)
    const { ctmpl } = await startDaemon({
      dir: tmp.path, consulAddr: agent.addr, source: examples.haproxyTemplate,
      destination: dest, check: haproxy.check, command: haproxy.reload,
      pidFile: haproxy.pidFile, env: haproxyEnv(haproxy),
    }, cleanup)
    await waitForPool(haproxy, '/web/', ['web-1'])
    const before = readFileSync(dest)
    const loads = haproxyLoads(haproxy)

    // An address with a space in it: the server line gets a stray keyword.
    const bad = await startBackend('web-2', cleanup)
    await register(agent.url, bad, 'web', { Address: '127.0.0.1 bogus' })
    await waitFor('the check to fail', () => /check failed for/.test(ctmpl.stderr()), 10_000)
    assert.deepEqual(readFileSync(dest), before, 'the previous file stays byte for byte')
    assert.equal(haproxyLoads(haproxy), loads, 'HAProxy was not reloaded')
    await waitForPool(haproxy, '/web/', ['web-1'])
    // The record runs to the next timestamped line: HAProxy's output has
    // several lines and the text log keeps them as they are.
    const log = ctmpl.stderr()
    const at = log.indexOf('check failed for')
    const next = log.slice(at).search(/\n\d{4}-\d\d-\d\dT/)
    const line = log.slice(at, next < 0 ? undefined : at + next)
    assert.match(line, /haproxy -c -f/, line)
    assert.match(line, /unknown keyword 'bogus:\d+'/, line)
  })
