/**
 * Issue 4, scenario 3: a template bug that would give nginx an invalid
 * configuration never reaches nginx. The bug here is a plausible one: the
 * example template, changed to read `max_fails` from service metadata with
 * no default. Instances that carry the key render fine; one that does not
 * renders `max_fails=`, which `nginx -t` rejects. The check fails, the
 * previous file stays byte for byte, nginx keeps serving the old pool, and
 * the log names the template, the check and the check's output.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { startDevAgent } from '../../src/devagent/index.ts'
import {
  Cleanup, examples, get, missing, nginxBin, nginxErrors, register, sample, show,
  startBackend, startDaemon, startNginx, tempDir, waitFor, waitForPool,
} from './helpers.ts'

test('nginx: a render that fails `nginx -t` never reaches nginx',
  { skip: missing(nginxBin), timeout: 60_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const tmp = tempDir('ctmpl-e2e-check-')
    cleanup.add(() => tmp.remove())

    const example = readFileSync(examples.nginxTemplate, 'utf8')
    assert.match(example, /max_fails=3/)
    const source = join(tmp.path, 'proxy.conf.ctmpl')
    writeFileSync(source,
      example.replace('max_fails=3', 'max_fails={{ .ServiceMeta.max_fails }}'))

    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    const meta = { Meta: { max_fails: '3' } }
    const backends = []
    for (const name of ['web-1', 'web-2', 'web-3']) {
      const b = await startBackend(name, cleanup)
      await register(agent.url, b, 'web', meta)
      backends.push(b)
    }
    const dest = join(tmp.path, 'proxy.conf')
    const nginx = await startNginx({ dir: tmp.path, configFile: dest }, cleanup)
    const { ctmpl } = await startDaemon({
      dir: tmp.path, consulAddr: agent.addr, source, destination: dest,
      check: nginx.check, command: nginx.reload, pidFile: nginx.pidFile,
      env: { CTMPL_PROXY_LISTEN: nginx.listen },
    }, cleanup)
    const url = `${nginx.url}/web/`
    await waitForPool(nginx, '/web/', ['web-1', 'web-2', 'web-3'], { timeoutMs: 15_000 })
    const good = readFileSync(dest)
    assert.match(good.toString(), /max_fails=3 /)

    // The fourth instance has no max_fails: the render is invalid for nginx.
    const fourth = await startBackend('web-4', cleanup)
    await register(agent.url, fourth)
    await waitFor('the check to fail', () => /check failed for/.test(ctmpl.stderr()), 10_000)

    assert.deepEqual(readFileSync(dest), good, 'the previous file stays byte for byte')
    const seen = await sample(url, 30)
    assert.deepEqual([...seen.keys()].sort(), ['web-1', 'web-2', 'web-3'], show(seen))
    assert.equal(fourth.hits, 0)
    assert.ok(nginx.running(), 'nginx still runs')
    assert.doesNotMatch(nginxErrors(tmp.path), /\[emerg\]/, 'nginx never loaded it')

    // The log says which template, which check, and what the check said.
    const line = ctmpl.stderr().split('\n').find((l) => l.includes('check failed for')) ?? ''
    assert.ok(line.includes(JSON.stringify(source)), `template named: ${line}`)
    assert.ok(line.includes(JSON.stringify(dest)), `destination named: ${line}`)
    assert.ok(line.includes('-t -q'), `check named: ${line}`)
    assert.match(line, /invalid parameter.*max_fails=/, `check output: ${line}`)
    t.diagnostic(line)

    // ctmpl is still running and follows the catalog once the data is fixed.
    await register(agent.url, fourth, 'web', meta)
    await waitForPool(nginx, '/web/', ['web-1', 'web-2', 'web-3', 'web-4'])
    assert.equal((await get(`${nginx.url}/healthz`)).status, 200)
  })
