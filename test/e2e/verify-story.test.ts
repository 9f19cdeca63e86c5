/**
 * Issue 7, the story of DESIGN.md through the daemon: nginx runs in its own
 * mount namespace with a tmpfs on /tmp (what PrivateTmp=true does), ctmpl
 * (in ours) renders its pool into /tmp and reloads it. The reload exits 0,
 * and ctmpl still fails loudly: the log, the exit status of -once, the
 * status file and SIGUSR1 name the destination, the nginx process and its
 * private /tmp. The same setup with the destination next to nginx's
 * configuration passes verify, and requests through nginx reach the new pool.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { startDevAgent } from '../../src/devagent/index.ts'
import { ExitCode } from '../../src/runner/signals.ts'
import {
  Cleanup, missing, nginxBin, register, sample, show, startBackend, tempDir, waitFor,
  waitForPool,
} from './helpers.ts'
import {
  logLines, logOf, mountNamespace, poolTemplate, readStatus, scratch, startStoryNginx,
  startTracked, upstream, writeConfig,
} from './story-helpers.ts'

const skip = missing(nginxBin) || missing('/usr/bin/unshare')

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

test('the story: a private /tmp is reported loudly; outside /tmp nginx serves the new pool',
  { skip, timeout: 60_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const dir = await scratch(cleanup)
    const tmp = tempDir('ctmpl-story-')
    cleanup.add(() => tmp.remove())

    // nginx reads its pool from both places; the old pool is in conf.d.
    const old = await startBackend('old-1', cleanup)
    mkdirSync(join(dir, 'conf.d'))
    const inConfD = join(dir, 'conf.d', 'pool.conf')
    writeFileSync(inConfD, upstream([old.port]))
    const nginx = await startStoryNginx({ dir, privateTmp: true,
      includes: [join(tmp.path, '*.conf'), join(dir, 'conf.d', '*.conf')] }, cleanup)
    assert.notEqual(mountNamespace(nginx.child.pid!), mountNamespace('self'),
      'nginx runs in a mount namespace of its own')
    await waitForPool(nginx, '/', ['old-1'])

    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    const fresh = [await startBackend('new-1', cleanup), await startBackend('new-2', cleanup)]
    for (const b of fresh) await register(agent.url, b)
    const source = join(dir, 'pool.conf.ctmpl')
    writeFileSync(source, poolTemplate())

    // 1. The operator's setup: the pool rendered into /tmp, -once. Even with
    // error_fatal = false a failed verify fails the run.
    const inTmp = join(tmp.path, 'pool.conf')
    const statusFile = join(dir, 'status.json')
    const cfg = writeConfig(join(dir, 'story.hcl'), {
      consulAddr: agent.addr, statusFile,
      template: { source, destination: inTmp, command: nginx.reload, pidFile: nginx.pidFile,
        errorFatal: false },
    })
    const once = startTracked(['-once', '-config', cfg], cleanup)
    const code = await once.exited
    const log = logOf(once)
    assert.equal(code, ExitCode.Runner, `-once exits 14, as for a failed render${log}`)

    // Everything the operator saw in the story did happen...
    assert.match(readFileSync(inTmp, 'utf8'), new RegExp(`:${fresh[0]!.port} `),
      'the file is in /tmp, as ctmpl sees it')
    assert.equal(nginx.reloads(), 1, 'the reload ran once')
    assert.equal(logLines(once, /command ".*" exited 0/).length, 1, `reload exited 0${log}`)
    // ...but ctmpl does not call it success. It warned at start-up already,
    assert.equal(logLines(once, new RegExp(
      `destination ${escape(inTmp)} is under /tmp: .*PrivateTmp=true`)).length, 1, log)
    // and the verify error names the destination, the process and the cause.
    const pid = nginx.child.pid!
    const failed = logLines(once, /verify failed for/)
    assert.equal(failed.length, 1, log)
    const line = failed[0]!
    t.diagnostic(line)
    assert.match(line, /\[ERR\]/)
    for (const want of [
      `verify ${inTmp}: nginx (pid ${pid} from ${nginx.pidFile}) does not see the file at all`,
      'Likely cause: nginx has a private /tmp',
      'a separate tmpfs mount (source ctmpl-private-tmp)',
      'which is what systemd PrivateTmp=true does',
      'Render outside /tmp and /var/tmp',
    ]) assert.ok(line.includes(want), `${JSON.stringify(want)} in: ${line}`)
    // The run's last word, which goes with the exit status, says it too.
    const last = logLines(once, /\[ERR\] \(cli\)/)
    assert.equal(last.length, 1, log)
    assert.ok(last[0]!.includes(`verify ${inTmp}: nginx (pid ${pid}`), last[0])
    assert.ok(last[0]!.includes('private /tmp'), last[0])

    // The status file keeps the same facts for a monitoring probe.
    const st = readStatus(statusFile)
    assert.ok(st, `status file ${statusFile}${log}`)
    assert.equal(st.render?.ok, true)
    assert.equal(st.command?.ok, true, 'the reload itself is fine')
    assert.equal(st.verify?.ok, false)
    for (const want of [inTmp, `nginx (pid ${pid}`, 'private /tmp']) {
      assert.ok(st.verify!.detail.includes(want), `${want} in ${st.verify!.detail}`)
    }

    // And indeed: nginx never saw the file and still sends to the old pool.
    assert.equal(existsSync(`/proc/${pid}/root${inTmp}`), false)
    const seen = await waitForPool(nginx, '/', ['old-1'])
    assert.deepEqual(fresh.map((b) => b.hits), [0, 0], show(seen))

    // 2. The fix: render next to nginx's configuration (the /tmp file goes,
    // or `nginx -t`, which runs in our namespace, would see two pools).
    rmSync(inTmp)
    const cfg2 = writeConfig(join(dir, 'fixed.hcl'), {
      consulAddr: agent.addr, statusFile,
      template: { source, destination: inConfD, command: nginx.reload,
        check: nginx.check, pidFile: nginx.pidFile },
    })
    const daemon = startTracked(['-config', cfg2], cleanup)
    const verified = (): string[] => logLines(daemon,
      /verified .*the consumer sees the rendered bytes/)
    await waitFor('verify to pass', () => verified().length === 1, 10_000)
      .catch((err: Error) => { throw new Error(err.message + logOf(daemon)) })
    await waitForPool(nginx, '/', ['new-1', 'new-2'])
    assert.equal(nginx.reloads(), 2)
    const oldHits = old.hits
    const thirty = await sample(`${nginx.url}/`, 30)
    assert.deepEqual([...thirty.keys()].sort(), ['new-1', 'new-2'], show(thirty))
    assert.equal(old.hits, oldHits, 'the old pool gets nothing any more')
    assert.equal(readStatus(statusFile)?.verify?.ok, true)

    // The pool keeps following the catalog, each reload proven.
    const third = await startBackend('new-3', cleanup)
    await register(agent.url, third)
    await waitForPool(nginx, '/', ['new-1', 'new-2', 'new-3'])
    await waitFor('the second verify', () => verified().length === 2)
    assert.match(readFileSync(`/proc/${pid}/root${inConfD}`, 'utf8'),
      new RegExp(`:${third.port} `), 'nginx sees the file ctmpl wrote')

    // SIGUSR1 prints the same status: every stage ok.
    daemon.child.kill('SIGUSR1')
    await waitFor('status on SIGUSR1', () => /verify {2}ok /.test(daemon.stderr()))
    assert.doesNotMatch(daemon.stderr(), /\[ERR\]|FAIL/, logOf(daemon))
    assert.equal(await daemon.stop('SIGTERM'), 0)
    assert.doesNotMatch(nginx.errorLog(), /\[(emerg|alert|crit)\]/)
  })

// In the daemon too; here nginx's private /tmp even holds an older copy of
// the file (left from before the switch), so nginx sees other bytes.
test('the daemon is loud too: a stale copy in the private /tmp, log and SIGUSR1',
  { skip, timeout: 30_000 }, async (t) => {
    const cleanup = new Cleanup()
    t.after(() => cleanup.run())
    const dir = await scratch(cleanup)
    const tmp = tempDir('ctmpl-story-')
    cleanup.add(() => tmp.remove())
    const old = await startBackend('old-1', cleanup)
    writeFileSync(join(dir, 'pool.conf'), upstream([old.port]))
    const nginx = await startStoryNginx({ dir, privateTmp: true,
      includes: [join(tmp.path, '*.conf'), join(dir, 'pool.conf')] }, cleanup)
    const agent = await startDevAgent()
    cleanup.add(() => agent.stop())
    await register(agent.url, await startBackend('new-1', cleanup))
    const source = join(dir, 'pool.conf.ctmpl')
    writeFileSync(source, poolTemplate())
    const inTmp = join(tmp.path, 'pool.conf')
    const cfg = writeConfig(join(dir, 'story.hcl'), {
      consulAddr: agent.addr,
      template: { source, destination: inTmp, command: nginx.reload,
        pidFile: nginx.pidFile, errorFatal: false },
    })
    const theirs = `/proc/${nginx.child.pid}/root${inTmp}`
    mkdirSync(dirname(theirs))
    writeFileSync(theirs, '# stale\n')
    assert.equal(existsSync(inTmp), false, 'that copy is not in our /tmp')
    const daemon = startTracked(['-config', cfg], cleanup)
    await waitFor('verify to fail', () => logLines(daemon, /verify failed for/).length === 1)
      .catch((err: Error) => { throw new Error(err.message + logOf(daemon)) })
    daemon.child.kill('SIGUSR1')
    const status = await waitFor('status on SIGUSR1', () =>
      logLines(daemon, /^\s*verify\s+FAIL /)[0])
    assert.ok(status.includes(inTmp), status)
    assert.ok(status.includes(`nginx (pid ${nginx.child.pid}`), status)
    assert.ok(status.includes('private /tmp'), status)
    assert.match(status, /sees different bytes \(8 bytes there, \d+ rendered\)/)
    assert.equal(readFileSync(theirs, 'utf8'), '# stale\n')
    assert.match(daemon.stderr(), /^\s*command\s+ok /m, 'the reload exited 0')
    assert.ok(daemon.child.exitCode === null, 'error_fatal = false: still running')
    await waitForPool(nginx, '/', ['old-1'])
    assert.equal(await daemon.stop('SIGTERM'), 0)
  })
