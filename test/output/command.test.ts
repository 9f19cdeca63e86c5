import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { argvOf, runCommand, validateCommand } from '../../src/output/command.ts'
import { CommandError } from '../../src/output/errors.ts'

let dir: string
before(async () => { dir = await mkdtemp(join(tmpdir(), 'ctmpl-cmd-')) })
after(async () => { await rm(dir, { recursive: true, force: true }) })

// A killed orphan may linger as a zombie until init reaps it; that is dead.
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    return !/^\d+ \(.*\) [ZX]/.test(stat)
  } catch {
    return false
  }
}

test('a string runs under sh -c', async () => {
  const r = await runCommand({ command: 'echo "$((1+2))" | tr 3 x; echo err >&2' })
  assert.equal(r.ok, true)
  assert.equal(r.exitCode, 0)
  assert.equal(r.stdoutTail, 'x\n')
  assert.equal(r.stderrTail, 'err\n')
  assert.equal(r.error, undefined)
})

test('a list runs directly: no shell expansion', async () => {
  const r = await runCommand({ command: ['/bin/echo', '$HOME', 'a b', '*'] })
  assert.equal(r.stdoutTail, '$HOME a b *\n')
})

test('environment comes from the caller', async () => {
  const r = await runCommand({ command: 'printf %s "$CONSUL_HTTP_ADDR"',
    env: { PATH: process.env.PATH, CONSUL_HTTP_ADDR: '127.0.0.1:8500' } })
  assert.equal(r.stdoutTail, '127.0.0.1:8500')
})

test('non-zero exit becomes a CommandError with stderr', async () => {
  const r = await runCommand({ command: 'echo bad config >&2; exit 3' })
  assert.equal(r.ok, false)
  assert.equal(r.exitCode, 3)
  assert.ok(r.error instanceof CommandError)
  assert.equal(r.error.code, 'ECMD_FAILED')
  assert.equal(r.error.exitCode, 3)
  assert.equal(r.error.stderr, 'bad config\n')
  assert.equal(r.error.message,
    'command "echo bad config >&2; exit 3" exited with status 3; stderr: bad config')
})

test('killed by a signal is reported as such', async () => {
  const r = await runCommand({ command: ['/bin/sh', '-c', 'kill -SEGV $$'] })
  assert.equal(r.ok, false)
  assert.equal(r.signal, 'SIGSEGV')
  assert.equal(r.exitCode, null)
  assert.match(r.error?.message ?? '', /killed by SIGSEGV/)
})

test('a missing program is ECMD_SPAWN', async () => {
  const r = await runCommand({ command: ['/nonexistent/ctmpl-no-such'] })
  assert.equal(r.ok, false)
  assert.equal(r.error?.code, 'ECMD_SPAWN')
  assert.match(r.error?.message ?? '', /could not start: .*ENOENT/)
})

test('timeout kills the whole group, grandchildren included', async () => {
  const pids = join(dir, 'pids')
  // The leader ignores TERM; its background grandchild writes its pid and
  // sleeps. Only a group kill (TERM then KILL) ends both.
  const r = await runCommand({
    command: `trap '' TERM; sh -c 'echo $$ > ${pids}; exec sleep 30' & ` +
      'echo started; wait',
    timeoutMs: 300, killGraceMs: 200 })
  assert.equal(r.ok, false)
  assert.equal(r.timedOut, true)
  assert.equal(r.error?.code, 'ECMD_TIMEOUT')
  assert.ok(r.durationMs >= 300 && r.durationMs < 3000, String(r.durationMs))
  assert.equal(r.stdoutTail, 'started\n')
  const grandchild = Number((await readFile(pids, 'utf8')).trim())
  await sleep(100)
  assert.equal(await alive(grandchild), false, 'grandchild still alive')
})

test('a daemon holding the pipes does not hold the result', async () => {
  const pidFile = join(dir, 'daemon')
  const started = Date.now()
  const r = await runCommand({ command: `sleep 5 & echo $! > ${pidFile}; echo ok` })
  const elapsed = Date.now() - started
  const daemon = Number((await readFile(pidFile, 'utf8')).trim())
  try {
    assert.equal(r.ok, true)
    assert.equal(r.stdoutTail, 'ok\n')
    assert.ok(elapsed < 2000, `took ${elapsed} ms`)
  } finally {
    process.kill(daemon, 'SIGKILL')
  }
})

test('tails keep the last bytes only', async () => {
  const r = await runCommand({ command: 'seq 1 10000 >&2; exit 1', tailBytes: 12 })
  assert.equal(r.stderrTail, '\n9999\n10000\n'.slice(-12))
})

test('bad command values are refused eagerly', () => {
  assert.throws(() => validateCommand(''), /must not be empty/)
  assert.throws(() => validateCommand([]), /non-empty list/)
  assert.throws(() => validateCommand(['ok', 1]), /non-empty list/)
})

test('the error message quotes only the end of a long stderr', async () => {
  const r = await runCommand({ command: 'seq 1 2000 >&2; exit 2' })
  assert.ok(r.error)
  assert.match(r.error.message, /; stderr: …[\d\n]+\n1999\n2000$/)
  assert.ok(r.error.message.length < 700, String(r.error.message.length))
  assert.ok(r.error.stderr.length > 5000)
})

test('one word is exec\'d directly, several go to sh -c', () => {
  assert.deepEqual(argvOf(' /usr/local/bin/reload.sh '), ['/usr/local/bin/reload.sh', []])
  assert.deepEqual(argvOf('nginx -s reload'), ['/bin/sh', ['-c', 'nginx -s reload']])
  assert.deepEqual(argvOf(['nginx', '-s', 'reload']), ['nginx', ['-s', 'reload']])
})
