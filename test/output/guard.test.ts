import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import {
  mkdtemp, readdir, readFile, rename, rm, stat, writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import {
  guardPaths, recoverInterrupted, releaseGuard, setGuard,
} from '../../src/output/guard.ts'
import { renderOutput } from '../../src/output/pipeline.ts'

let dir: string
before(async () => { dir = await mkdtemp(join(tmpdir(), 'ctmpl-guard-')) })
after(async () => { await rm(dir, { recursive: true, force: true }) })

test('guard names are hidden from *.conf globs', () => {
  assert.deepEqual(guardPaths('/etc/nginx/conf.d/up.conf'), {
    prev: '/etc/nginx/conf.d/.up.conf.ctmpl-prev',
    none: '/etc/nginx/conf.d/.up.conf.ctmpl-new' })
})

test('a guard restores the old inode, or removes a new file', async () => {
  const dest = join(dir, 'g.conf')
  await writeFile(dest, 'old', { mode: 0o640 })
  const ino = (await stat(dest)).ino
  await setGuard(dest, true)
  await writeFile(`${dest}.tmp`, 'new')
  await rename(`${dest}.tmp`, dest)
  assert.equal(await recoverInterrupted(dest), 'restored')
  assert.equal((await stat(dest)).ino, ino)
  assert.equal(await readFile(dest, 'utf8'), 'old')

  const fresh = join(dir, 'fresh.conf')
  await setGuard(fresh, false)
  await writeFile(fresh, 'new')
  assert.equal(await recoverInterrupted(fresh), 'removed')
  await assert.rejects(stat(fresh), { code: 'ENOENT' })
  assert.equal(await recoverInterrupted(fresh), 'none')
  await releaseGuard(dest)
  assert.deepEqual((await readdir(dir)).filter((n) => n.includes('ctmpl')), [])
})

test('ctmpl killed during a check: the old file is recoverable', async () => {
  const dest = join(dir, 'crash.conf')
  const pidFile = join(dir, 'check.pid')
  await writeFile(dest, 'good\n')
  const child = spawn(process.execPath, ['--import', 'tsx',
    fileURLToPath(new URL('./crash-child.ts', import.meta.url)),
    dest, 'unproven\n', pidFile], { stdio: 'ignore' })
  let checkPid = 0
  try {
    for (let i = 0; i < 200 && checkPid === 0; i++) {
      await sleep(25)
      checkPid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim())
    }
    assert.ok(checkPid > 0, 'the check never started')
    assert.equal(await readFile(dest, 'utf8'), 'unproven\n')
    child.kill('SIGKILL')
    await new Promise((ok) => child.once('exit', ok))
  } finally {
    // The check leads its own process group, so it outlives its parent.
    if (checkPid > 0) process.kill(-checkPid, 'SIGKILL')
  }
  assert.equal(await recoverInterrupted(dest), 'restored')
  assert.equal(await readFile(dest, 'utf8'), 'good\n')
})

test('the pipeline leaves no guard behind', async () => {
  const dest = join(dir, 'clean.conf')
  await renderOutput({ destination: dest, contents: 'a' })
  await renderOutput({ destination: dest, contents: 'b', check: { command: 'true' } })
  await renderOutput({ destination: dest, contents: 'c', check: { command: 'false' } })
  assert.equal(await readFile(dest, 'utf8'), 'b')
  const names = await readdir(dir)
  assert.deepEqual(names.filter((n) => n.startsWith('.clean.conf')), [])
})
