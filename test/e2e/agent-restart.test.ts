/**
 * Issue 4, scenario 4: `ctmpl dev` restarts while traffic flows. The agent
 * keeps its catalog in memory, so it comes back with the seed only: an
 * instance registered through the API before the restart is gone. nginx
 * must answer every request throughout (ctmpl keeps the last good file
 * while the agent is away) and end with the seeded pool, within one
 * block_query_wait of the agent coming back.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { startCtmpl, type CtmplProcess } from '../helpers/process.ts'
import {
  Cleanup, Traffic, examples, freePort, get, missing, nginxBin, register,
  startBackend, startDaemon, startNginx, tempDir, waitFor, waitForPool,
} from './helpers.ts'

test('nginx keeps serving while ctmpl dev restarts, and ends with the seeded pool',
  { skip: missing(nginxBin), timeout: 60_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const tmp = tempDir('ctmpl-e2e-restart-')
    cleanup.add(() => tmp.remove())

    const seeded = []
    for (const name of ['web-1', 'web-2', 'web-3']) seeded.push(await startBackend(name, cleanup))
    const seedFile = join(tmp.path, 'seed.json')
    writeFileSync(seedFile, JSON.stringify({
      nodes: [{ Node: 'node-a', Address: '127.0.0.1' }],
      services: seeded.map((b) => ({
        Node: 'node-a', Name: 'web', ID: b.name, Port: b.port, Tags: ['http'],
        Checks: [{ Name: `${b.name} http`, Status: 'passing' }],
      })),
    }))
    const agentAddr = `127.0.0.1:${await freePort()}`
    const agentUrl = `http://${agentAddr}`
    const startAgent = async (): Promise<CtmplProcess> => {
      const dev = startCtmpl(['dev', '-http-addr', agentAddr, '-seed', seedFile,
        '-log-level', 'warn'])
      cleanup.add(() => dev.stop())
      await waitFor('ctmpl dev to listen', () => {
        if (dev.child.exitCode !== null) throw new Error(`ctmpl dev exited: ${dev.stderr()}`)
        return dev.stdout().includes('listening on')
      }, 10_000)
      return dev
    }
    let dev = await startAgent()

    const dest = join(tmp.path, 'proxy.conf')
    const nginx = await startNginx({ dir: tmp.path, configFile: dest }, cleanup)
    const { ctmpl } = await startDaemon({
      dir: tmp.path, consulAddr: agentAddr, source: examples.nginxTemplate,
      destination: dest, check: nginx.check, command: nginx.reload,
      pidFile: nginx.pidFile, env: { CTMPL_PROXY_LISTEN: nginx.listen },
      // The restarted agent counts its index from the seed again, below the
      // index ctmpl last saw. As with Consul, a blocking query at a higher
      // index waits for the whole wait time before answering; ctmpl then sees
      // the lower index, resets and re-reads, as the reference does. The
      // default wait (60 s) would make that a minute: 2 s bounds it here.
      extra: ['block_query_wait = "2s"'],
    }, cleanup)
    const log = (): string => `\n--- ctmpl log ---\n${ctmpl.stderr()}`
    const url = `${nginx.url}/web/`
    await waitForPool(nginx, '/web/', ['web-1', 'web-2', 'web-3'], { timeoutMs: 15_000 })
      .catch((err: Error) => { throw new Error(err.message + log()) })

    // An instance the seed does not know: the restart forgets it.
    const extra = await startBackend('web-4', cleanup)
    await register(agentUrl, extra)
    await waitForPool(nginx, '/web/', ['web-1', 'web-2', 'web-3', 'web-4'])

    const traffic = new Traffic(url, 5)
    cleanup.add(() => traffic.stop())
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(await dev.stop('SIGTERM'), 0)
    const downAt = performance.now()
    await new Promise((r) => setTimeout(r, 1000))
    assert.equal((await get(`${nginx.url}/healthz`)).status, 200, 'nginx serves alone')
    dev = await startAgent()
    const upAt = performance.now()

    await waitForPool(nginx, '/web/', ['web-1', 'web-2', 'web-3'], { timeoutMs: 8000 })
      .catch((err: Error) => { throw new Error(err.message + log()) })
    const convergedAt = performance.now()
    await new Promise((r) => setTimeout(r, 300))
    await traffic.stop()

    t.diagnostic(`agent down ${(upAt - downAt).toFixed(0)} ms; pool right ` +
      `${(convergedAt - upAt).toFixed(0)} ms after the agent came back; ` +
      `${traffic.replies.length} requests during the test`)
    assert.deepEqual(traffic.failures(), [], 'every request was answered')
    const during = traffic.replies.filter((r) => r.at > downAt && r.at < upAt)
    assert.ok(during.length > 20, `traffic flowed while the agent was down (${during.length})`)
    assert.ok(nginx.running(), 'nginx still runs')
    assert.doesNotMatch(ctmpl.stderr(), /rolled back|check failed/, log())
  })
