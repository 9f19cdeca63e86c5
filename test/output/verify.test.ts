// The story of DESIGN.md, reproduced without systemd: nginx runs in its own
// mount namespace with a tmpfs on /tmp (what PrivateTmp=true sets up).
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { renderOutput } from '../../src/output/pipeline.ts'
import { VerifyError } from '../../src/output/errors.ts'
import { resolvePid, verifyConsumer } from '../../src/output/verify.ts'
import { removeScratch, scratchOutsideTmp, startNginx, waitForBody } from './nginx.ts'
import type { TestNginx } from './nginx.ts'

const pool = (name: string) => `location / { return 200 "${name}\\n"; }\n`

describe('verify against nginx with a private /tmp', () => {
  let scratch: string
  let tmpDir: string
  let nginx: TestNginx
  let reload: string

  before(async () => {
    scratch = await scratchOutsideTmp()
    tmpDir = await mkdtemp(join(tmpdir(), 'ctmpl-verify-'))
    await mkdir(join(scratch, 'conf.d'))
    await writeFile(join(scratch, 'conf.d', 'pool.conf'), pool('pool-a'))
    // nginx reads both places; in its namespace /tmp is empty, so the glob
    // under /tmp matches nothing.
    await writeFile(join(scratch, 'includes.conf'),
      `include ${tmpDir}/*.conf;\ninclude ${scratch}/conf.d/*.conf;\n`)
    nginx = await startNginx({ dir: scratch, include: join(scratch, 'includes.conf'),
      privateTmp: true })
    reload = `kill -HUP "$(cat ${nginx.pidFile})"`
  })
  after(async () => {
    await nginx?.stop()
    await removeScratch(scratch)
    await rm(tmpDir, { recursive: true, force: true })
  })

  test('a destination in /tmp fails verify, naming the private /tmp', async () => {
    const dest = join(tmpDir, 'pool.conf')
    const r = await renderOutput({ destination: dest, contents: pool('pool-tmp'),
      command: reload, verify: { pidFile: nginx.pidFile } })
    assert.equal(r.stages.command?.ok, true, 'the reload itself exits 0')
    assert.equal(r.ok, false)
    const e = r.error
    assert.ok(e instanceof VerifyError)
    assert.equal(e.code, 'EVERIFY_MISSING')
    assert.equal(e.pid, nginx.child.pid)
    assert.equal(e.processName, 'nginx')
    assert.equal(e.destination, dest)
    assert.match(e.message, new RegExp(`^verify ${dest}: nginx \\(pid ${e.pid} from ` +
      `${nginx.pidFile}\\) does not see the file at all\\. Likely cause: nginx has a ` +
      'private /tmp \\(its mount namespace mnt:\\[\\d+\\] differs from ours ' +
      'mnt:\\[\\d+\\] and /tmp there is a separate tmpfs mount \\(source ' +
      'ctmpl-private-tmp\\)\\), which is what systemd PrivateTmp=true does\\.'))
    assert.match(e.message, /set PrivateTmp=no in nginx's unit$/)
    assert.equal(r.stages.verify?.pid, nginx.child.pid)
    assert.equal(await nginx.get(), 'pool-a\n', 'nginx never saw it')
    // nginx -t in a later test runs in our namespace, where this file shows.
    await rm(dest)
  })

  test('with rollback, the /tmp file is removed and the command re-run', async () => {
    const dest = join(tmpDir, 'rollback.conf')
    const r = await renderOutput({ destination: dest, contents: pool('x'),
      command: reload, verify: { pidFile: nginx.pidFile, rollback: true } })
    assert.equal(r.rolledBack, true)
    assert.equal(r.stages.rollbackCommand?.ok, true)
    await assert.rejects(stat(dest), { code: 'ENOENT' })
  })

  test('a destination outside /tmp passes, and nginx serves the new pool', async () => {
    const dest = join(scratch, 'conf.d', 'pool.conf')
    const r = await renderOutput({ destination: dest, contents: pool('pool-b'),
      command: reload, check: { command: nginx.testArgv },
      verify: { pidFile: nginx.pidFile } })
    assert.equal(r.ok, true, r.error?.message)
    assert.equal(r.stages.verify?.ok, true)
    assert.equal(r.stages.verify?.processName, 'nginx')
    assert.equal(await waitForBody(nginx, 'pool-b\n'), 'pool-b\n')
  })

  test('a file changed behind our back is a mismatch, not a namespace story',
    async () => {
      const dest = join(scratch, 'conf.d', 'pool.conf')
      await assert.rejects(verifyConsumer({ destination: dest, expected: 'other',
        pidFile: nginx.pidFile }), (e: unknown) => e instanceof VerifyError &&
        e.code === 'EVERIFY_MISMATCH' &&
        /sees different bytes \(\d+ bytes there, 5 rendered\)/.test(e.message) &&
        /the file was changed after install/.test(e.message))
    })
})

describe('PID files', () => {
  let dir: string
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'ctmpl-pid-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  const cases = [
    { name: 'missing', content: null, code: 'EVERIFY_PIDFILE',
      msg: /cannot read PID file .*missing\.pid: ENOENT\. The consumer is not running/ },
    { name: 'empty', content: '\n', code: 'EVERIFY_PIDFILE',
      msg: /PID file .*empty\.pid is empty\. The consumer may be/ },
    { name: 'garbage', content: 'nginx\n', code: 'EVERIFY_PIDFILE',
      msg: /does not hold a PID: "nginx"/ },
    { name: 'stale', content: '999999999', code: 'EVERIFY_STALE',
      msg: /names pid 999999999, but no such process runs\. The PID file is stale/ },
  ]
  for (const c of cases) {
    test(`${c.name} PID file`, async () => {
      const pidFile = join(dir, `${c.name}.pid`)
      if (c.content !== null) await writeFile(pidFile, c.content)
      await assert.rejects(resolvePid({ pidFile }, '/etc/x.conf', 0),
        (e: unknown) => e instanceof VerifyError && e.code === c.code &&
          e.pidFile === pidFile && c.msg.test(e.message))
    })
  }

  test('a PID file written late is waited for', async () => {
    const pidFile = join(dir, 'late.pid')
    setTimeout(() => void writeFile(pidFile, `${process.pid}\n`), 150)
    assert.equal(await resolvePid({ pidFile }, '/etc/x.conf', 2000), process.pid)
  })

  test('pid = N that does not run', async () => {
    await assert.rejects(resolvePid({ pid: 999999999 }, '/etc/x.conf', 0),
      /no process with pid 999999999/)
  })

  test('our own view passes', async () => {
    const dest = join(dir, 'self.conf')
    await writeFile(dest, 'bytes')
    const r = await verifyConsumer({ destination: dest, expected: 'bytes',
      pid: process.pid })
    assert.equal(r.viewPath, `/proc/${process.pid}/root${dest}`)
  })
})

describe('a consumer under another root', () => {
  let proc: string
  let container: string
  before(async () => {
    proc = await mkdtemp(join(tmpdir(), 'ctmpl-fakeproc-'))
    container = await mkdtemp(join(tmpdir(), 'ctmpl-container-'))
    await mkdir(join(proc, '77'))
    await writeFile(join(proc, '77', 'stat'), '77 (haproxy) S 1')
    await writeFile(join(proc, '77', 'comm'), 'haproxy\n')
    await symlink(container, join(proc, '77', 'root'))
  })
  after(async () => {
    await rm(proc, { recursive: true, force: true })
    await rm(container, { recursive: true, force: true })
  })

  test('the error names the other root (container or chroot)', async () => {
    await assert.rejects(verifyConsumer({ destination: '/etc/haproxy/h.cfg',
      expected: 'x', pid: 77, procRoot: proc }), (e: unknown) => {
      assert.ok(e instanceof VerifyError)
      assert.equal(e.code, 'EVERIFY_MISSING')
      assert.equal(e.processName, 'haproxy')
      assert.equal(e.message, 'verify /etc/haproxy/h.cfg: haproxy (pid 77) does ' +
        'not see the file at all. Likely cause: haproxy runs under another root ' +
        `directory (container or chroot; /proc/77/root is ${container}), so it ` +
        `reads ${container}/etc/haproxy/h.cfg. Render into that root, or ` +
        'bind-mount the destination into it')
      return true
    })
  })
})
