// Check and rollback with a real nginx: an invalid render is never loaded and
// the previous file is back byte for byte; crash, hang and kill of the check,
// the command and verify lose nothing.
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { installOutput, renderOutput } from '../../src/output/pipeline.ts'
import { runCommand } from '../../src/output/command.ts'
import { CommandError, VerifyError } from '../../src/output/errors.ts'
import { removeScratch, startNginx, waitForBody } from './nginx.ts'
import type { TestNginx } from './nginx.ts'

const good = (pool: string) => `location / { return 200 "${pool}\\n"; }\n`
const invalid = 'location / { return 200 "x" }\n' // missing ';'

describe('check with real nginx', () => {
  let dir: string
  let nginx: TestNginx
  let dest: string
  let marker: string
  let reload: string[]

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ctmpl-check-'))
    dest = join(dir, 'pool.conf')
    marker = join(dir, 'reloaded')
    await writeFile(dest, good('pool-a'))
    nginx = await startNginx({ dir, include: dest })
    reload = ['/bin/sh', '-c', `kill -HUP "$(cat ${nginx.pidFile})" && echo x >> ${marker}`]
  })
  after(async () => {
    await nginx?.stop()
    await removeScratch(dir)
  })

  test('a valid render passes nginx -t, is installed and served', async () => {
    const r = await renderOutput({ destination: dest, contents: good('pool-b'),
      check: { command: nginx.testArgv }, command: reload })
    assert.equal(r.ok, true, r.error?.message)
    assert.equal(r.stages.check?.ok, true)
    assert.equal(r.stages.command?.ok, true)
    assert.equal(await waitForBody(nginx, 'pool-b\n'), 'pool-b\n')
  })

  test('an invalid render is never loaded; the previous bytes are back', async () => {
    const before = await readFile(dest)
    const mode = (await stat(dest)).mode
    const reloads = await readFile(marker, 'utf8')
    const r = await renderOutput({ destination: dest, contents: invalid,
      check: { command: nginx.testArgv }, command: reload })
    assert.equal(r.ok, false)
    assert.equal(r.changed, true)
    assert.equal(r.rolledBack, true)
    assert.equal(r.stages.check?.ok, false)
    assert.equal(r.stages.check?.exitCode, 1)
    assert.match(r.stages.check?.outputTail ?? '', /emerg.*pool\.conf:1/)
    assert.equal(r.stages.command, undefined, 'the reload must not run')
    assert.ok(r.error instanceof CommandError)
    assert.deepEqual(await readFile(dest), before)
    assert.equal((await stat(dest)).mode, mode)
    assert.equal(await readFile(marker, 'utf8'), reloads)
    assert.equal(await nginx.get(), 'pool-b\n')
    assert.deepEqual((await readdir(dir)).filter((n) => n.includes('.ctmpl-')), [])
  })

  test('a failed check with no previous file removes the new one', async () => {
    const fresh = join(dir, 'fresh.conf')
    const r = await renderOutput({ destination: fresh, contents: 'x',
      check: { command: 'exit 1' } })
    assert.equal(r.rolledBack, true)
    await assert.rejects(stat(fresh), { code: 'ENOENT' })
  })
})

describe('crash, hang and kill', () => {
  let dir: string
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'ctmpl-pipe-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  const cases = [
    { name: 'check crashes', check: 'kill -SEGV $$', want: /killed by SIGSEGV/ },
    { name: 'check hangs', check: 'sleep 30', timeoutMs: 200, want: /timed out/ },
    { name: 'check is killed', check: 'kill -KILL $$', want: /killed by SIGKILL/ },
  ]
  for (const c of cases) {
    test(`${c.name}: old file restored, command not run`, async () => {
      const dest = join(dir, `${c.name.replace(/ /g, '-')}.conf`)
      await writeFile(dest, 'good\n')
      const ran = join(dir, `${c.name.replace(/ /g, '-')}.ran`)
      const r = await renderOutput({ destination: dest, contents: 'new\n',
        check: { command: c.check, timeoutMs: c.timeoutMs }, command: `touch ${ran}` })
      assert.equal(r.ok, false)
      assert.match(r.error?.message ?? '', c.want)
      assert.equal(await readFile(dest, 'utf8'), 'good\n')
      await assert.rejects(stat(ran), { code: 'ENOENT' })
    })
  }

  test('command hangs: killed, reported, previous bytes in the result', async () => {
    const dest = join(dir, 'cmd-hang.conf')
    await writeFile(dest, 'good\n')
    const r = await renderOutput({ destination: dest, contents: 'new\n',
      command: 'sleep 30', commandTimeoutMs: 200 })
    assert.equal(r.ok, false)
    assert.equal(r.stages.command?.timedOut, true)
    assert.equal(r.previous?.bytes.toString(), 'good\n')
    assert.equal(await readFile(dest, 'utf8'), 'new\n') // as the reference
  })

  test('command crashes with verify rollback: old file back, command re-run',
    async () => {
      const dest = join(dir, 'cmd-crash.conf')
      await writeFile(dest, 'good\n')
      const log = join(dir, 'cmd-crash.log')
      // verify against ourselves: the file we see is the file we wrote, so
      // make the command corrupt it to simulate a consumer that does not
      // see the render, then crash.
      const r = await renderOutput({ destination: dest, contents: 'new\n',
        command: `cat ${dest} >> ${log}; echo other > ${dest}; kill -KILL $$`,
        verify: { pid: process.pid, rollback: true } })
      assert.equal(r.ok, false)
      assert.equal(r.stages.command?.signal, 'SIGKILL')
      assert.equal(r.stages.verify?.ok, false)
      assert.equal(r.rolledBack, true)
      assert.ok(r.stages.rollbackCommand)
      // The re-run saw the restored file, then clobbered it again.
      assert.equal(await readFile(log, 'utf8'), 'new\ngood\n')
    })

  test('verify cannot find the process: rollback restores', async () => {
    const dest = join(dir, 'verify-stale.conf')
    await writeFile(dest, 'good\n')
    const pidFile = join(dir, 'stale.pid')
    await writeFile(pidFile, '999999999\n')
    const r = await renderOutput({ destination: dest, contents: 'new\n',
      verify: { pidFile, rollback: true, pidSettleMs: 0 } })
    assert.equal(r.ok, false)
    assert.ok(r.error instanceof VerifyError)
    assert.equal(r.error.code, 'EVERIFY_STALE')
    assert.equal(await readFile(dest, 'utf8'), 'good\n')
  })

  test('unchanged content: no stage runs at all', async () => {
    const dest = join(dir, 'same.conf')
    await writeFile(dest, 'same')
    const r = await renderOutput({ destination: dest, contents: 'same',
      check: { command: 'exit 1' }, command: 'exit 1', verify: { pid: 1 } })
    assert.deepEqual(r, { destination: dest, changed: false, ok: true,
      rolledBack: false, stages: {}, previous: null })
  })
})

describe('check with real haproxy', () => {
  let dir: string
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'ctmpl-haproxy-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  const cfg = (server: string) => [
    'defaults', '  mode http', '  timeout connect 1s', '  timeout client 1s',
    '  timeout server 1s', 'frontend web', '  bind 127.0.0.1:8080',
    '  default_backend pool', 'backend pool', `  server s1 ${server}`, ''].join('\n')

  test('haproxy -c -f $CTMPL_DESTINATION gates the install', async () => {
    const dest = join(dir, 'haproxy.cfg')
    const check = { command: '/usr/sbin/haproxy -c -f "$CTMPL_DESTINATION"' }
    const ok = await renderOutput({ destination: dest, contents: cfg('127.0.0.1:9001'),
      check })
    assert.equal(ok.ok, true, ok.error?.message)
    const bad = await renderOutput({ destination: dest,
      contents: cfg('127.0.0.1:notaport'), check })
    assert.equal(bad.ok, false)
    assert.equal(bad.rolledBack, true)
    assert.match(bad.stages.check?.outputTail ?? '', /haproxy\.cfg:10/)
    assert.equal(await readFile(dest, 'utf8'), cfg('127.0.0.1:9001'))
  })
})

test('dry mode prints what would change and touches nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ctmpl-dry-'))
  try {
    const dest = join(dir, 'd.conf')
    await writeFile(dest, 'old\n')
    const printed: string[] = []
    const r = await renderOutput({ destination: dest, contents: 'new\n',
      command: 'exit 1', check: { command: 'exit 1' },
      dry: (t) => printed.push(t) })
    assert.equal(r.ok, true)
    assert.equal(r.changed, true)
    assert.deepEqual(r.stages, {})
    assert.deepEqual(printed, [`> ${dest}\nnew\n`])
    assert.equal(await readFile(dest, 'utf8'), 'old\n')
    const same = await renderOutput({ destination: dest, contents: 'old\n',
      dry: (t) => printed.push(t) })
    assert.equal(same.changed, false)
    assert.equal(printed.length, 1)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

describe('two phases: one command for several files', () => {
  let dir: string
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'ctmpl-phases-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  test('install both, run the command once, then verify each', async () => {
    const a = join(dir, 'a.conf')
    const b = join(dir, 'b.conf')
    const log = join(dir, 'cmd.log')
    const verify = { pid: process.pid, rollback: true }
    const pa = await installOutput({ destination: a, contents: 'A', verify })
    const pb = await installOutput({ destination: b, contents: 'B', verify,
      check: { command: 'test "$(cat "$CTMPL_DESTINATION")" = B' } })
    assert.equal(pa.readyForCommand, true)
    assert.equal(pb.readyForCommand, true)
    // Both guards are held until finish().
    assert.equal((await readdir(dir)).filter((n) => n.endsWith('.ctmpl-new')).length, 2)
    const ran = await runCommand({ command: `cat ${a} ${b} >> ${log}` })
    pa.recordCommand(ran)
    pb.recordCommand(ran)
    const [ra, rb] = [await pa.finish(), await pb.finish()]
    assert.equal(ra.ok && rb.ok, true)
    assert.equal(ra.stages.verify?.ok, true)
    assert.equal(await readFile(log, 'utf8'), 'AB')
    assert.deepEqual((await readdir(dir)).filter((n) => n.includes('.ctmpl-')), [])
  })

  test('a failed check is not ready; a failed verify rolls back', async () => {
    const c = join(dir, 'c.conf')
    await writeFile(c, 'old')
    const failed = await installOutput({ destination: c, contents: 'bad',
      check: { command: 'false' } })
    assert.equal(failed.readyForCommand, false)
    assert.equal(failed.result.rolledBack, true)
    assert.equal(await readFile(c, 'utf8'), 'old')

    const pending = await installOutput({ destination: c, contents: 'new',
      verify: { pid: 999999999, rollback: true } })
    assert.equal(pending.readyForCommand, true)
    pending.recordCommand(await runCommand({ command: 'true' }))
    const r = await pending.finish()
    assert.equal(r.stages.verify?.ok, false)
    assert.equal(r.rolledBack, true, 'the caller re-runs its command now')
    assert.equal(await readFile(c, 'utf8'), 'old')
    assert.deepEqual((await readdir(dir)).filter((n) => n.includes('.ctmpl-')), [])
  })
})
