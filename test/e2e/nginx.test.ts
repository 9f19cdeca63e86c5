/**
 * Issue 4, scenario 1: nginx in front of a pool kept in the catalog. ctmpl
 * renders examples/nginx/proxy.conf.ctmpl, checks it with `nginx -t`,
 * reloads nginx by signal to its master (from the PID file) and verifies
 * through the master's mount namespace; the pool then follows
 * registrations, health and deregistrations.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { startDevAgent } from '../../src/devagent/index.ts'
import {
  Cleanup, examples, get, missing, nginxBin, nginxErrors, poolScenario, processTree,
  register, startBackend, startDaemon, startNginx, tempDir, waitFor, waitForPool,
} from './helpers.ts'

test('nginx: the pool follows registrations, health and deregistrations',
  { skip: missing(nginxBin), timeout: 60_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const tmp = tempDir('ctmpl-e2e-nginx-')
    cleanup.add(() => tmp.remove())
    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    const backends = []
    for (const name of ['web-1', 'web-2', 'web-3']) {
      const b = await startBackend(name, cleanup)
      await register(agent.url, b)
      backends.push(b)
    }

    const dest = join(tmp.path, 'proxy.conf')
    const nginx = await startNginx({ dir: tmp.path, configFile: dest }, cleanup)
    const { ctmpl } = await startDaemon({
      dir: tmp.path, consulAddr: agent.addr, source: examples.nginxTemplate,
      destination: dest, check: nginx.check, command: nginx.reload,
      pidFile: nginx.pidFile, env: { CTMPL_PROXY_LISTEN: nginx.listen },
    }, cleanup)
    const log = (): string => `\n--- ctmpl log ---\n${ctmpl.stderr()}` +
      `\n--- under ctmpl ---\n${processTree(ctmpl.child.pid!)}`

    await waitFor('nginx to load the first render', async () =>
      (await get(`${nginx.url}/healthz`)).status === 200, 10_000)
      .catch((err: Error) => { throw new Error(err.message + log()) })
    await waitForPool(nginx, '/web/', ['web-1', 'web-2', 'web-3'])

    const r = await poolScenario({
      proxy: nginx, agentUrl: agent.url, ctmpl, backends, cleanup,
      emptyStatus: 502, emptyBody: /no healthy instance/,
    })
    t.diagnostic(`registration to first request: ${r.fourthLatencyMs.toFixed(0)} ms`)

    // Every reload was proven, and nginx never complained.
    assert.match(ctmpl.stderr(), /verified .*the consumer sees the rendered bytes/)
    assert.doesNotMatch(ctmpl.stderr(), /\[ERR\]/, log())
    assert.doesNotMatch(nginxErrors(tmp.path), /\[(emerg|alert|crit)\]/)
  })
