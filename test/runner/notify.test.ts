import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../src/shared/logger.ts'
import { SystemdNotifier, notifySystemd } from '../../src/runner/notify.ts'

const has = (cmd: string, arg: string) =>
  spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0
const hasPython = has('python3', '--version')
const hasNotify = has('systemd-notify', '--version')
const skip = !hasPython ? 'SKIPPED: python3 not found, no notify receiver'
  : !hasNotify ? 'SKIPPED: systemd-notify not found' : false
if (skip) console.error(`notify.test.ts: ${skip}`)

// The receiver plays systemd's part: it binds a datagram socket, prints
// each message as one JSON line with the sender's pid (from the kernel's
// credentials) and CLOCK_MONOTONIC at receipt, and closes the descriptor a
// BARRIER=1 carries, which is how systemd tells systemd-notify "received".
const RECEIVER = `
import array, json, os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
print(json.dumps({"bound": True}), flush=True)
while True:
    msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(64) + socket.CMSG_SPACE(12))
    pid = None
    for level, kind, data in anc:
        if kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(data[:len(data) - len(data) % 4])
            for fd in fds:
                os.close(fd)
        elif kind == socket.SCM_CREDENTIALS:
            pid = array.array("i", data[:12])[0]
    print(json.dumps({"msg": msg.decode(), "pid": pid,
        "mono": time.monotonic_ns() // 1000}), flush=True)
`

interface Datagram { msg: string; pid: number; mono: number }

let dir = ''
let socketPath = ''
let receiver: ChildProcess | undefined
const received: Datagram[] = []

before(async () => {
  if (skip) return
  dir = mkdtempSync(join(tmpdir(), 'ctmpl-notify-'))
  socketPath = join(dir, 'notify.sock')
  writeFileSync(join(dir, 'receiver.py'), RECEIVER)
  receiver = spawn('python3', [join(dir, 'receiver.py'), socketPath],
    { stdio: ['ignore', 'pipe', 'inherit'] })
  const rl = createInterface({ input: receiver.stdout as NodeJS.ReadableStream })
  await new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      const j = JSON.parse(line) as Datagram & { bound?: boolean }
      if (j.bound === true) resolve()
      else received.push(j)
    })
  })
})

after(() => {
  receiver?.kill('SIGKILL')
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

/** A logger that keeps warnings. */
function recorder(): { logger: Logger; warnings: unknown[] } {
  const warnings: unknown[] = []
  const logger: Logger = {
    trace: () => {}, debug: () => {}, info: () => {}, error: () => {},
    warn: (obj: unknown) => { warnings.push(obj) },
    child: () => logger,
  }
  return { logger, warnings }
}

/** Returns the messages (BARRIER=1 left out) received after `from`. */
async function messagesFrom(from: number, count: number): Promise<string[]> {
  const end = Date.now() + 3_000
  for (;;) {
    const got = received.slice(from).map((d) => d.msg)
      .filter((m) => m !== 'BARRIER=1')
    if (got.length >= count || Date.now() > end) return got
    await sleep(10)
  }
}

test('no NOTIFY_SOCKET: nothing is sent and nothing is run', async () => {
  const { logger, warnings } = recorder()
  const n = new SystemdNotifier({ env: {}, command: '/nonexistent/x', logger })
  assert.equal(n.enabled, false)
  assert.equal(await n.ready(), false)
  assert.equal(await n.stopping(), false)
  assert.equal(await notifySystemd('READY=1', logger, { env: {} }), false)
  assert.deepEqual(warnings, [])
})

test('ready, reloading, ready again, status, stopping', { skip },
  async () => {
    const from = received.length
    const n = new SystemdNotifier({
      env: { ...process.env, NOTIFY_SOCKET: socketPath } })
    assert.equal(n.enabled, true)
    assert.equal(await n.ready(), true)
    assert.equal(await n.ready(), true, 'a repeat sends nothing')
    const before = process.hrtime.bigint() / 1000n
    assert.equal(await n.reloading(), true)
    assert.equal(await n.ready(), true)
    assert.equal(await n.status('rendering 3 templates'), true)
    assert.equal(await n.stopping(), true)
    const got = await messagesFrom(from, 5)
    assert.equal(got.length, 5, JSON.stringify(got))
    assert.equal(got[0], 'READY=1')
    const reload = /^RELOADING=1\nMONOTONIC_USEC=(\d+)$/.exec(got[1] ?? '')
    assert.ok(reload, JSON.stringify(got[1]))
    const usec = BigInt(reload[1] as string)
    assert.ok(usec >= before && usec < before + 5_000_000n,
      `MONOTONIC_USEC ${usec} is not CLOCK_MONOTONIC near ${before}`)
    assert.deepEqual(got.slice(2),
      ['READY=1', 'STATUS=rendering 3 templates', 'STOPPING=1'])
  })

test('MAINPID is sent only on request, with ctmpl\'s pid', { skip },
  async () => {
    const from = received.length
    const n = new SystemdNotifier({ sendMainPid: true,
      env: { ...process.env, NOTIFY_SOCKET: socketPath } })
    assert.equal(await n.ready(), true)
    assert.deepEqual(await messagesFrom(from, 1),
      [`READY=1\nMAINPID=${process.pid}`])
  })

test('notifySystemd sends a state string as it is', { skip }, async () => {
  const from = received.length
  const env = { ...process.env, NOTIFY_SOCKET: socketPath }
  assert.equal(await notifySystemd('READY=1\nSTATUS=ok', undefined, { env }),
    true)
  assert.deepEqual(await messagesFrom(from, 1), ['READY=1\nSTATUS=ok'])
})

test('failures are warnings, never errors', { skip }, async () => {
  const { logger, warnings } = recorder()
  const gone = new SystemdNotifier({ logger,
    env: { ...process.env, NOTIFY_SOCKET: join(dir, 'nobody.sock') } })
  assert.equal(await gone.ready(), false)
  const missing = new SystemdNotifier({ logger, command: 'ctmpl-no-notify',
    env: { ...process.env, NOTIFY_SOCKET: socketPath } })
  assert.equal(await missing.ready(), false)
  assert.equal(warnings.length, 2, JSON.stringify(warnings))
  const first = warnings[0] as { exitCode: number; stderr: string }
  assert.notEqual(first.exitCode, 0)
  assert.match(first.stderr, /No such file or directory/)
  assert.match(JSON.stringify(warnings[1]), /ENOENT/)
  assert.equal(await missing.ready(), false, 'a failed READY is retried')
  assert.equal(warnings.length, 3)
})

test('a receiver that never confirms runs into the timeout', { skip },
  async () => {
    // No one closes the barrier descriptor on this socket: systemd-notify
    // waits for it, and our timeout ends the wait first.
    const mute = join(dir, 'mute.sock')
    const py = spawn('python3', ['-c',
      'import socket,sys,time\n' +
      's=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM);s.bind(sys.argv[1])\n' +
      'print("bound",flush=True);time.sleep(30)', mute],
    { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      await new Promise((r) => py.stdout?.once('data', r))
      const { logger, warnings } = recorder()
      const n = new SystemdNotifier({ logger, timeoutMs: 300,
        env: { ...process.env, NOTIFY_SOCKET: mute } })
      const t0 = performance.now()
      assert.equal(await n.ready(), false)
      assert.ok(performance.now() - t0 < 2_000)
      assert.equal((warnings[0] as { timedOut: boolean }).timedOut, true)
    } finally {
      py.kill('SIGKILL')
    }
  })

test('options are checked', () => {
  assert.throws(() => new SystemdNotifier({ timeoutMs: 0 }), RangeError)
})
