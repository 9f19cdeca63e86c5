/**
 * Issue 7, check and rollback with real nginx through the daemon:
 * - a KV value that makes the render an invalid nginx configuration fails
 *   `nginx -t`; the previous file stays byte for byte, the reload does not
 *   run, nginx keeps serving the old pool, and the log and status file name
 *   the template, the check and its output; the fixed value goes through;
 * - `verify { rollback = true }` with a verify that fails (nginx with a
 *   private /tmp): the previous file is back and the reload runs again,
 *   this time seeing the restored bytes;
 * - ctmpl killed with SIGKILL while a slow check runs: the next ctmpl puts
 *   the previous file back at start-up, before it renders anything.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { startDevAgent } from '../../src/devagent/index.ts'
import { guardPaths } from '../../src/output/index.ts'
import {
  Cleanup, missing, nginxBin, register, sample, show, startBackend, tempDir, waitFor,
  waitForPool,
} from './helpers.ts'
import {
  childPids, cmdline, logLines, logOf, poolTemplate, q, readStatus, scratch,
  startStoryNginx, startTracked, upstream, writeConfig,
} from './story-helpers.ts'

const skip = missing(nginxBin)

function noGuard(dest: string): boolean {
  const g = guardPaths(dest)
  return !existsSync(g.prev) && !existsSync(g.none)
}

test('a KV value that breaks `nginx -t` never reaches nginx; the fix goes through',
  { skip, timeout: 60_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const dir = await scratch(cleanup)
    const dest = join(dir, 'pool.conf')
    const boot = await startBackend('boot', cleanup)
    writeFileSync(dest, upstream([boot.port]))
    const nginx = await startStoryNginx({ dir, includes: [dest] }, cleanup)

    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    agent.store.kvPut('pool/max_fails', '3')
    for (const name of ['web-1', 'web-2']) {
      await register(agent.url, await startBackend(name, cleanup))
    }
    const source = join(dir, 'pool.conf.ctmpl')
    writeFileSync(source, poolTemplate('{{ key "pool/max_fails" }}'))
    const statusFile = join(dir, 'status.json')
    const cfg = writeConfig(join(dir, 'ctmpl.hcl'), {
      consulAddr: agent.addr, statusFile,
      template: { source, destination: dest, command: nginx.reload, check: nginx.check,
        pidFile: nginx.pidFile, errorFatal: false },
    })
    const ctmpl = startTracked(['-config', cfg], cleanup)
    const verified = (): number => logLines(ctmpl, /verified .*the consumer sees/).length
    await waitFor('the first render to be verified', () => verified() === 1)
      .catch((err: Error) => { throw new Error(err.message + logOf(ctmpl)) })
    await waitForPool(nginx, '/', ['web-1', 'web-2'])
    const good = readFileSync(dest)
    assert.match(good.toString(), /max_fails=3;/)
    assert.equal(nginx.reloads(), 1)

    // An operator types a word where nginx wants a number.
    agent.store.kvPut('pool/max_fails', 'three')
    const failures = (): string[] => logLines(ctmpl, /check failed for/)
    await waitFor('the check to fail', () => failures().length === 1)
      .catch((err: Error) => { throw new Error(err.message + logOf(ctmpl)) })
    assert.deepEqual(readFileSync(dest), good, 'the previous file is back byte for byte')
    assert.ok(noGuard(dest), 'no guard file left behind')
    assert.equal(nginx.reloads(), 1, 'the reload did not run')

    // The log names the template, the check and what the check said.
    const line = failures()[0]!
    t.diagnostic(line)
    assert.match(line, /\[ERR\]/)
    for (const want of [JSON.stringify(source), JSON.stringify(dest),
      `${nginxBin} -p ${q(dir)}`, '-t -q', 'exited with status 1',
      'invalid parameter "max_fails=three"']) {
      assert.ok(line.includes(want), `${JSON.stringify(want)} in: ${line}`)
    }
    const st = await waitFor('the check in the status file',
      () => {
        const s = readStatus(statusFile)
        return s?.check?.ok === false ? s : undefined
      })
    assert.match(st.check!.output ?? '', /invalid parameter "max_fails=three"/)
    assert.equal(st.render?.ok, true, 'the render itself worked')

    // A new instance while the value is still wrong: still nothing loaded.
    const third = await startBackend('web-3', cleanup)
    await register(agent.url, third)
    await waitFor('the second check failure', () => failures().length === 2)
    assert.deepEqual(readFileSync(dest), good)
    const seen = await sample(`${nginx.url}/`, 20)
    assert.deepEqual([...seen.keys()].sort(), ['web-1', 'web-2'], show(seen))
    assert.equal(third.hits, 0)
    assert.equal(nginx.reloads(), 1)
    assert.ok(nginx.running(), 'nginx still runs')
    assert.doesNotMatch(nginx.errorLog(), /\[emerg\]/, 'nginx never loaded it')

    // The fixed value goes through: checked, reloaded, verified, served.
    agent.store.kvPut('pool/max_fails', '5')
    await waitFor('the fix to be verified', () => verified() === 2)
      .catch((err: Error) => { throw new Error(err.message + logOf(ctmpl)) })
    assert.match(readFileSync(dest, 'utf8'), new RegExp(`:${third.port} max_fails=5;`))
    await waitForPool(nginx, '/', ['web-1', 'web-2', 'web-3'])
    assert.equal(nginx.reloads(), 2)
    const after = readStatus(statusFile)
    assert.equal(after?.check?.ok, true)
    assert.equal(after?.verify?.ok, true)
    assert.equal(failures().length, 2)
  })

test('verify { rollback = true }: the previous bytes are back and the reload runs again',
  { skip: skip || missing('/usr/bin/unshare'), timeout: 30_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const dir = await scratch(cleanup)
    const tmp = tempDir('ctmpl-rollback-')
    cleanup.add(() => tmp.remove())
    const old = await startBackend('old-1', cleanup)
    writeFileSync(join(dir, 'pool.conf'), upstream([old.port]))
    const nginx = await startStoryNginx({ dir, privateTmp: true,
      includes: [join(tmp.path, '*.conf'), join(dir, 'pool.conf')] }, cleanup)

    // The destination has content of its own, with its own mode.
    const dest = join(tmp.path, 'pool.conf')
    const previous = Buffer.from('# the previous render\n' + upstream([old.port]))
    writeFileSync(dest, previous, { mode: 0o640 })
    const before = statSync(dest)

    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    await register(agent.url, await startBackend('new-1', cleanup))
    const source = join(dir, 'pool.conf.ctmpl')
    writeFileSync(source, poolTemplate())
    // Each run of the reload notes what the destination held at that time.
    const seenByReload = join(dir, 'seen-by-reload.log')
    const command = `{ cat ${q(dest)}; echo ---; } >> ${q(seenByReload)} && ${nginx.reload}`
    const cfg = writeConfig(join(dir, 'ctmpl.hcl'), {
      consulAddr: agent.addr,
      template: { source, destination: dest, command, pidFile: nginx.pidFile,
        rollback: true, errorFatal: false },
    })
    const ctmpl = startTracked(['-config', cfg], cleanup)
    await waitFor('the reload to run again', () => nginx.reloads() === 2, 10_000)
      .catch((err: Error) => { throw new Error(err.message + logOf(ctmpl)) })

    assert.deepEqual(readFileSync(dest), previous, 'the previous bytes are back')
    const now = statSync(dest)
    assert.equal(now.ino, before.ino, 'the very file that was there')
    assert.equal(now.mode & 0o777, 0o640)
    assert.ok(noGuard(dest), 'no guard file left behind')
    const runs = readFileSync(seenByReload, 'utf8').split('---\n')
    assert.equal(runs.length, 3, runs.join('---\n'))
    assert.match(runs[0]!, new RegExp(`^upstream pool \\{\\n.*max_fails=3;`),
      'the first run saw the new render')
    assert.equal(runs[1], previous.toString(), 'the second run saw the restored file')

    const log = logOf(ctmpl)
    const order = [/verify failed for .*private \/tmp/, /rolled back /,
      /re-running ".*" for the restored files/]
      .map((re) => ctmpl.stderr().split('\n').findIndex((l) => re.test(l)))
    assert.ok(order.every((i) => i >= 0), log)
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `in this order${log}`)
    // No retry storm: nothing runs again until the data changes.
    await new Promise((r) => setTimeout(r, 500))
    assert.equal(nginx.reloads(), 2)
    assert.ok(ctmpl.child.exitCode === null, 'error_fatal = false: still running')
    await waitForPool(nginx, '/', ['old-1'])
  })

test('ctmpl killed during a slow check: the next start restores the previous file first',
  { skip, timeout: 30_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const dir = await scratch(cleanup)
    const dest = join(dir, 'pool.conf')
    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    const web = [await startBackend('web-1', cleanup), await startBackend('web-2', cleanup)]
    const previous = Buffer.from(upstream([web[0]!.port]))
    writeFileSync(dest, previous)
    const nginx = await startStoryNginx({ dir, includes: [dest] }, cleanup)
    await waitForPool(nginx, '/', ['web-1'])

    agent.store.kvPut('pool/max_fails', '3')
    for (const b of web) await register(agent.url, b)
    const source = join(dir, 'pool.conf.ctmpl')
    writeFileSync(source, poolTemplate('{{ key "pool/max_fails" }}'))
    const template = { source, destination: dest, command: nginx.reload,
      pidFile: nginx.pidFile, errorFatal: false }
    const slow = writeConfig(join(dir, 'slow.hcl'), { consulAddr: agent.addr,
      template: { ...template, check: `sleep 5; ${nginx.check}`, checkTimeout: '30s' } })
    const first = startTracked(['-config', slow], cleanup)

    // The new file is in place, its check is running: kill ctmpl hard.
    const g = guardPaths(dest)
    const checks = await waitFor('the slow check to run', () => {
      const sh = childPids(first.child.pid!).filter((p) => cmdline(p).includes('sleep 5'))
      return sh.length > 0 && existsSync(g.prev) ? sh : undefined
    }, 10_000).catch((err: Error) => { throw new Error(err.message + logOf(first)) })
    // The check leads its own process group, which outlives ctmpl.
    cleanup.add(() => {
      for (const pid of checks) {
        try {
          process.kill(-pid, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }
    })
    const unproven = readFileSync(dest)
    assert.notDeepEqual(unproven, previous)
    assert.match(unproven.toString(), new RegExp(`:${web[1]!.port} `))
    first.child.kill('SIGKILL')
    await first.exited
    for (const pid of checks) process.kill(-pid, 'SIGKILL')
    assert.deepEqual(readFileSync(dest), unproven, 'killed: the unproven file is in place')
    assert.deepEqual(readFileSync(g.prev), previous, 'and the guard holds the previous one')
    assert.equal(nginx.reloads(), 0, 'nginx was never told about it')

    // The next ctmpl cannot render yet (the key is gone): only recovery acts.
    agent.store.kvDelete('pool/max_fails')
    const fast = writeConfig(join(dir, 'fast.hcl'), { consulAddr: agent.addr,
      template: { ...template, check: nginx.check } })
    const second = startTracked(['-config', fast], cleanup)
    const recovered = await waitFor('the recovery', () =>
      logLines(second, /previous run stopped before the file was proven/)[0])
      .catch((err: Error) => { throw new Error(err.message + logOf(second)) })
    t.diagnostic(recovered)
    assert.match(recovered, /\[WARN\].*restored the file it replaced/)
    assert.ok(recovered.includes(JSON.stringify(dest)), recovered)
    assert.deepEqual(readFileSync(dest), previous, 'the previous file is back byte for byte')
    assert.ok(noGuard(dest))
    assert.equal(nginx.reloads(), 0)
    await waitForPool(nginx, '/', ['web-1'])

    // Then the normal path: the data arrives, check, reload, verify.
    agent.store.kvPut('pool/max_fails', '4')
    await waitFor('the render to be verified', () =>
      logLines(second, /verified .*the consumer sees/).length === 1)
      .catch((err: Error) => { throw new Error(err.message + logOf(second)) })
    await waitForPool(nginx, '/', ['web-1', 'web-2'])
    assert.equal(nginx.reloads(), 1)
    assert.match(readFileSync(dest, 'utf8'), /max_fails=4;/)
    const lines = second.stderr().split('\n')
    const at = (re: RegExp): number => lines.findIndex((l) => re.test(l))
    assert.ok(at(/previous run stopped/) < at(/rendered /), 'recovery came first')
    assert.ok(at(/rendered /) >= 0, logOf(second))
  })

test('a check that hangs is killed at its timeout and counts as failed',
  { skip, timeout: 30_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const dir = await scratch(cleanup)
    const dest = join(dir, 'pool.conf')
    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    const web = await startBackend('web-1', cleanup)
    const previous = Buffer.from(upstream([web.port], '1'))
    writeFileSync(dest, previous)
    const nginx = await startStoryNginx({ dir, includes: [dest] }, cleanup)
    await register(agent.url, web)
    const source = join(dir, 'pool.conf.ctmpl')
    writeFileSync(source, poolTemplate())
    // The check's own child would keep the group alive: all of it must go.
    const marker = join(dir, 'check-survived')
    const cfg = writeConfig(join(dir, 'ctmpl.hcl'), { consulAddr: agent.addr,
      template: { source, destination: dest, command: nginx.reload, errorFatal: false,
        check: `(sleep 1; touch ${q(marker)}) & sleep 30`, checkTimeout: '300ms' } })
    const ctmpl = startTracked(['-config', cfg], cleanup)
    const line = await waitFor('the check to time out', () =>
      logLines(ctmpl, /check failed for/)[0], 10_000)
      .catch((err: Error) => { throw new Error(err.message + logOf(ctmpl)) })
    t.diagnostic(line)
    assert.match(line, /timed out after \d+ ms; its process group was killed/)
    assert.deepEqual(readFileSync(dest), previous, 'the previous file is back')
    assert.ok(noGuard(dest))
    assert.equal(nginx.reloads(), 0, 'the reload did not run')
    assert.ok(ctmpl.child.exitCode === null, 'ctmpl goes on')
    await new Promise((r) => setTimeout(r, 1300))
    assert.equal(existsSync(marker), false, 'nothing of the check outlived its timeout')
  })
