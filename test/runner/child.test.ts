import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync,
  existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  ChildError, ExecChild, lookPath, prepareCommand, type ChildExit,
  type ExecChildOptions,
} from '../../src/runner/child.ts'

let dir = ''
let script = ''
const started: ExecChild[] = []
const strays: number[] = []

// A child that logs "<event> <pid>" lines to $EVENTS: "start" once its
// handlers are installed, then every signal named in $TRAP. $EXIT_ON names
// the signal after which it exits with status 7 (SIGINT unless set);
// $IGNORE_INT makes it survive SIGINT.
const CHILD = `
const fs = require('node:fs')
const log = (m) =>
  fs.appendFileSync(process.env.EVENTS, m + ' ' + process.pid + '\\n')
for (const s of (process.env.TRAP || '').split(',').filter(Boolean)) {
  process.on(s, () => {
    log(s)
    if ((process.env.EXIT_ON || 'SIGINT') === s) process.exit(7)
  })
}
if (process.env.IGNORE_INT) process.on('SIGINT', () => log('SIGINT-ignored'))
setInterval(() => {}, 1000)
log('start')
`

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctmpl-child-'))
  script = join(dir, 'child.cjs')
  writeFileSync(script, CHILD)
})

after(async () => {
  await Promise.all(started.map((c) => c.stop({ immediately: true })))
  for (const pid of strays) {
    try { process.kill(pid, 'SIGKILL') } catch { /* gone */ }
  }
  rmSync(dir, { recursive: true, force: true })
})

let seq = 0

/** Creates a supervisor for the logging child with its own events file. */
function makeChild(over: Partial<ExecChildOptions> & { vars?: object } = {}) {
  const events = join(dir, `events-${++seq}`)
  writeFileSync(events, '')
  const { vars, ...opts } = over
  const child = new ExecChild({
    command: [process.execPath, script],
    env: { custom: [`EVENTS=${events}`, 'TRAP=SIGHUP,SIGUSR2,SIGINT,SIGTERM',
      ...Object.entries(vars ?? {}).map(([k, v]) => `${k}=${String(v)}`)] },
    stdio: 'ignore',
    killTimeoutMs: 2_000,
    ...opts,
  })
  started.push(child)
  return { child, events }
}

/** Returns the event lines logged so far. */
function lines(events: string): string[] {
  return readFileSync(events, 'utf8').split('\n').filter((l) => l !== '')
}

/** Polls until pred holds on the events, or fails after timeoutMs. */
async function waitFor(events: string, pred: (l: string[]) => boolean,
  timeoutMs = 3_000): Promise<string[]> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const l = lines(events)
    if (pred(l)) return l
    if (Date.now() > end) assert.fail(`timed out; events: ${JSON.stringify(l)}`)
    await sleep(15)
  }
}

/** Resolves 'pending' when p has not settled within ms. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([p, sleep(ms, 'pending' as const)])
}

/** Reports whether pid is gone (absent, or a zombie nobody reaped). */
function dead(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return true
  }
}

/** Polls until every pid is gone. */
async function allDead(pids: number[], timeoutMs = 2_000): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (pids.every(dead)) return true
    await sleep(20)
  }
  return pids.every(dead)
}

// prepareCommand follows the reference's CommandPrep.
const preps: { name: string; cmd: string | string[]; file?: string;
  args?: string[]; shell?: boolean; err?: string }[] = [
  { name: 'string with words', cmd: 'nginx -g x', file: 'sh',
    args: ['-c', 'nginx -g x'], shell: true },
  { name: 'single word string', cmd: 'nginx', file: 'nginx', args: [],
    shell: false },
  { name: 'padded single word', cmd: ' nginx ', file: ' nginx ', args: [],
    shell: false },
  { name: 'tab separates words', cmd: 'a\tb', file: 'sh', shell: true },
  { name: 'U+0085 is a Go space', cmd: 'a\u0085b', file: 'sh', shell: true },
  { name: 'U+FEFF is not', cmd: 'a\ufeffb', file: 'a\ufeffb', shell: false },
  { name: 'list runs directly', cmd: ['nginx', '-g', 'daemon off;'],
    file: 'nginx', args: ['-g', 'daemon off;'], shell: false },
  { name: 'list of one entry with words', cmd: ['echo hi'], file: 'sh',
    args: ['-c', 'echo hi'], shell: true },
  { name: 'empty list', cmd: [], err: 'missing command' },
  { name: 'empty first entry', cmd: ['', 'x'], err: 'missing command' },
  { name: 'blank string', cmd: '  ', err: 'missing command' },
]

for (const c of preps) {
  test(`prepareCommand: ${c.name}`, () => {
    if (c.err !== undefined) {
      assert.throws(() => prepareCommand(c.cmd), (e: unknown) =>
        e instanceof ChildError && e.code === 'ECHILD_COMMAND' &&
        e.message === c.err)
      return
    }
    const p = prepareCommand(c.cmd)
    assert.equal(p.file, c.file)
    assert.equal(p.shell, c.shell)
    if (c.args !== undefined) assert.deepEqual(p.args, c.args)
  })
}

test('lookPath: PATH search, slash names, relative entries, sh fallback', () => {
  assert.equal(lookPath('sh', '/nonexistent:/bin'), '/bin/sh')
  assert.equal(lookPath('./x', '/bin'), './x')
  assert.equal(lookPath('sh', ''), '/bin/sh')
  assert.throws(() => lookPath('ctmpl-no-such-cmd', '/bin'), (e: unknown) =>
    e instanceof ChildError && e.code === 'ECHILD_START' && e.message ===
      'exec: "ctmpl-no-such-cmd": executable file not found in $PATH')
  assert.throws(() => lookPath('child.cjs', '', 'x'), ChildError)
  const rel = join(dir, 'rel')
  writeFileSync(join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o755 })
  writeFileSync(rel, '')
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    assert.throws(() => lookPath('tool', '.'), (e: unknown) =>
      e instanceof ChildError && /relative to current directory/.test(e.message))
  } finally {
    process.chdir(cwd)
  }
})

test('options are checked before anything starts', () => {
  const bad: Partial<ExecChildOptions>[] = [
    { killTimeoutMs: -1 }, { splayMs: Number.NaN },
    { reloadSignal: 'SIGNOPE' as 'SIGHUP' }, { killSignal: 'HUP' as 'SIGHUP' },
  ]
  for (const b of bad) {
    assert.throws(() => new ExecChild({ command: 'true', ...b }),
      (e: unknown) => e instanceof ChildError && e.code === 'ECHILD_OPTIONS',
      JSON.stringify(b))
  }
})

test('exit code is reported: shell form and list form', async () => {
  const sh = new ExecChild({ command: 'sh -c "exit 3"', stdio: 'ignore' })
  await sh.start()
  assert.deepEqual(await sh.exited,
    { code: 3, signal: null, status: 3, exitCode: 3 })
  const list = new ExecChild({ command: ['sh', '-c', 'exit 0'], stdio: 'ignore' })
  await list.start()
  assert.equal((await list.exited)?.exitCode, 0)
  assert.equal(sh.command, 'sh -c sh -c "exit 3"')
})

test('a child killed by a signal reports -1, which exits ctmpl with 255',
  async () => {
    const c = new ExecChild({ command: ['sh', '-c', 'kill -TERM $$'],
      stdio: 'ignore' })
    await c.start()
    const exit = await c.exited
    assert.deepEqual(exit,
      { code: null, signal: 'SIGTERM', status: -1, exitCode: 255 })
  })

test('start errors name the command as Go words them', async () => {
  const missing = new ExecChild({ command: 'ctmpl-no-such-cmd',
    parentEnv: { PATH: '/bin' } })
  await assert.rejects(missing.start(), (e: unknown) =>
    e instanceof ChildError && e.code === 'ECHILD_START' && e.message ===
      'child: exec: "ctmpl-no-such-cmd": executable file not found in $PATH')
  const noFile = new ExecChild({ command: ['/nonexistent/ctmpl-x'] })
  await assert.rejects(noFile.start(), (e: unknown) =>
    e instanceof ChildError && e.message ===
      'child: fork/exec /nonexistent/ctmpl-x: no such file or directory')
})

test('reload sends the reload signal to the same process', async () => {
  const { child, events } = makeChild({ reloadSignal: 'SIGHUP' })
  await child.start()
  const pid = child.pid
  await waitFor(events, (l) => l.includes(`start ${pid}`))
  await child.reload()
  await waitFor(events, (l) => l.includes(`SIGHUP ${pid}`))
  assert.equal(child.pid, pid)
  assert.equal(await within(child.exited, 50), 'pending')
})

test('reload without a reload signal restarts: kill signal, new process',
  async () => {
    const { child, events } = makeChild()
    await child.start()
    const first = child.pid
    await waitFor(events, (l) => l.includes(`start ${first}`))
    await child.reload()
    const second = child.pid
    assert.ok(second !== undefined && second !== first)
    const l = await waitFor(events, (x) => x.includes(`start ${second}`))
    assert.ok(l.includes(`SIGINT ${first}`), JSON.stringify(l))
    assert.ok(dead(first as number))
    assert.equal(await within(child.exited, 100), 'pending',
      'a restart is not the child dying')
  })

test('reload signal SIGNULL does nothing', async () => {
  const { child, events } = makeChild({ reloadSignal: 'SIGNULL' })
  await child.start()
  const pid = child.pid
  await waitFor(events, (l) => l.includes(`start ${pid}`))
  await child.reload()
  await sleep(100)
  assert.deepEqual(lines(events), [`start ${pid}`])
  assert.equal(child.pid, pid)
})

test('splay delays the reload signal by random * splay', async () => {
  const { child, events } = makeChild({ reloadSignal: 'SIGHUP', splayMs: 400,
    random: () => 0.5 })
  await child.start()
  const pid = child.pid
  await waitFor(events, (l) => l.includes(`start ${pid}`))
  const t0 = performance.now()
  await child.reload()
  const waited = performance.now() - t0
  assert.ok(waited >= 195 && waited < 400, `waited ${waited} ms`)
  await waitFor(events, (l) => l.includes(`SIGHUP ${pid}`))
  const quick = makeChild({ reloadSignal: 'SIGHUP', splayMs: 10_000,
    random: () => 0 })
  await quick.child.start()
  const t1 = performance.now()
  await quick.child.reload()
  assert.ok(performance.now() - t1 < 100)
})

test('stop cuts a pending reload splay short and is itself immediate',
  async () => {
    const { child, events } = makeChild({ reloadSignal: 'SIGHUP',
      splayMs: 60_000, random: () => 0.99 })
    await child.start()
    const pid = child.pid as number
    await waitFor(events, (l) => l.includes(`start ${pid}`))
    const reloading = child.reload()
    await sleep(30)
    const t0 = performance.now()
    await child.stop({ immediately: true })
    await reloading
    assert.ok(performance.now() - t0 < 1_500)
    assert.ok(dead(pid))
    assert.equal(await child.exited, null)
    assert.ok(!lines(events).includes(`SIGHUP ${pid}`))
  })

test('kill_timeout escalates to SIGKILL when the kill signal is ignored',
  async () => {
    const { child, events } = makeChild({ killTimeoutMs: 300,
      vars: { IGNORE_INT: 1, TRAP: 'SIGUSR2' } })
    await child.start()
    const pid = child.pid as number
    await waitFor(events, (l) => l.includes(`start ${pid}`))
    const t0 = performance.now()
    await child.stop()
    const took = performance.now() - t0
    assert.ok(took >= 290 && took < 1_500, `took ${took} ms`)
    assert.ok(lines(events).includes(`SIGINT-ignored ${pid}`))
    assert.ok(dead(pid))
    assert.equal(await child.exited, null, 'a stop is not reported')
    await child.stop() // a second stop is a no-op
    await assert.rejects(child.start(), (e: unknown) =>
      e instanceof ChildError && e.code === 'ECHILD_STOPPED')
  })

test('a graceful exit within kill_timeout does not wait for it', async () => {
  const { child, events } = makeChild({ killTimeoutMs: 10_000 })
  await child.start()
  const pid = child.pid as number
  await waitFor(events, (l) => l.includes(`start ${pid}`))
  const t0 = performance.now()
  await child.stop()
  assert.ok(performance.now() - t0 < 2_000)
  assert.ok(lines(events).includes(`SIGINT ${pid}`))
})

test('kill signal SIGNULL waits the timeout, null kills at once', async () => {
  const nul = makeChild({ killSignal: 'SIGNULL', killTimeoutMs: 250 })
  await nul.child.start()
  const t0 = performance.now()
  await nul.child.stop()
  assert.ok(performance.now() - t0 >= 240)
  const now = makeChild({ killSignal: null, killTimeoutMs: 10_000 })
  await now.child.start()
  const pid = now.child.pid as number
  const t1 = performance.now()
  await now.child.stop()
  assert.ok(performance.now() - t1 < 1_000)
  assert.ok(dead(pid))
})

test('other signals are forwarded; the kill signal ends the child',
  async () => {
    const { child, events } = makeChild({ killSignal: 'SIGTERM',
      vars: { EXIT_ON: 'SIGTERM' } })
    await child.start()
    const pid = child.pid as number
    await waitFor(events, (l) => l.includes(`start ${pid}`))
    await child.signal('SIGUSR2')
    await waitFor(events, (l) => l.includes(`SIGUSR2 ${pid}`))
    await child.signal('SIGNULL')
    await child.signal('SIGTERM')
    const exit = await child.exited as ChildExit
    assert.equal(exit.code, 7)
    assert.ok(lines(events).includes(`SIGTERM ${pid}`))
  })

test('the reload signal received from outside reloads', async () => {
  const { child, events } = makeChild({ reloadSignal: 'SIGUSR2' })
  await child.start()
  const pid = child.pid
  await waitFor(events, (l) => l.includes(`start ${pid}`))
  await child.signal('SIGUSR2')
  await waitFor(events, (l) => l.includes(`SIGUSR2 ${pid}`))
  assert.equal(child.pid, pid)
})

test('shell form: signals reach the whole process group', async () => {
  const { child, events } = makeChild({
    command: `trap '' USR2; '${process.execPath}' '${script}'; exit 0`,
  })
  await child.start()
  const shPid = child.pid
  const l = await waitFor(events, (x) => x.some((e) => e.startsWith('start')))
  const nodePid = Number((l[0] as string).split(' ')[1])
  assert.notEqual(nodePid, shPid)
  await child.signal('SIGUSR2')
  await waitFor(events, (x) => x.includes(`SIGUSR2 ${nodePid}`))
})

test('stop leaves no orphans from a shell-form child', async () => {
  const pids = join(dir, 'bg-pids')
  const child = new ExecChild({
    command: `sleep 300 & echo $! >> ${pids}; ` +
      `sleep 301 & echo $! >> ${pids}; wait`,
    stdio: 'ignore', killTimeoutMs: 2_000,
  })
  started.push(child)
  await child.start()
  const end = Date.now() + 3_000
  while ((!existsSync(pids) || lines(pids).length < 2) && Date.now() < end) {
    await sleep(15)
  }
  const bg = lines(pids).map(Number)
  strays.push(...bg)
  assert.equal(bg.length, 2)
  await child.stop()
  // Background jobs of a non-interactive sh ignore SIGINT; the reference
  // leaves them running, ctmpl kills what is left of the group.
  assert.ok(await allDead(bg), `left behind: ${bg.filter((p) => !dead(p))}`)
})

test('restart leaves no orphans either', async () => {
  const pids = join(dir, 'bg-pids-restart')
  const child = new ExecChild({
    command: `sleep 302 & echo $! >> ${pids}; wait`,
    stdio: 'ignore', killTimeoutMs: 2_000,
  })
  started.push(child)
  await child.start()
  const end = Date.now() + 3_000
  while ((!existsSync(pids) || lines(pids).length < 1) && Date.now() < end) {
    await sleep(15)
  }
  const first = lines(pids).map(Number)
  strays.push(...first)
  await child.reload()
  assert.ok(await allDead(first))
  assert.notEqual(child.pid, undefined)
})

test('list form children stay in ctmpl\'s process group', async () => {
  const out = join(dir, 'pgid')
  const fd = openSync(out, 'w')
  const child = new ExecChild({ command: ['sh', '-c', 'ps -o pgid= -p $$'],
    stdio: ['ignore', fd, 'ignore'] })
  await child.start()
  await child.exited
  closeSync(fd)
  const own = readFileSync(`/proc/${process.pid}/stat`, 'utf8')
  const pgid = own.slice(own.lastIndexOf(')') + 2).split(' ')[2]
  assert.equal(readFileSync(out, 'utf8').trim(), pgid)
})

test('shell form children lead a process group of their own', async () => {
  const out = join(dir, 'pgid-shell')
  const fd = openSync(out, 'w')
  const child = new ExecChild({ command: 'ps -o pid=,pgid= -p $$',
    stdio: ['ignore', fd, 'ignore'] })
  await child.start()
  const pid = child.pid
  await child.exited
  closeSync(fd)
  const [p, g] = readFileSync(out, 'utf8').trim().split(/\s+/).map(Number)
  assert.equal(p, pid)
  assert.equal(g, pid)
})

// The executable is looked up in ctmpl's PATH, as Go's exec.Command does,
// even when the child's own environment has none.
test('the environment comes from env {} and consulEnv', async () => {
  const out = join(dir, 'env-out')
  const fd = openSync(out, 'w')
  const child = new ExecChild({
    command: 'env',
    env: { pristine: true, custom: ['X=1', 'X=2', 'NOEQ'] },
    consulEnv: { CONSUL_HTTP_ADDR: '127.0.0.1:1', CONSUL_HTTP_SSL: 'false' },
    stdio: ['ignore', fd, 'ignore'],
  })
  await child.start()
  await child.exited
  closeSync(fd)
  assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n').sort(),
    ['CONSUL_HTTP_ADDR=127.0.0.1:1', 'CONSUL_HTTP_SSL=false', 'X=2'])
})
