import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  ExitCode, FORWARDABLE_SIGNALS, SIGNAL_NAMES, SignalError, decodeSignal,
  exitStatusByte, parseSignal, signalNumber,
} from '../../src/runner/signals.ts'

// The reference's message, byte for byte (checked against the v0.42.1
// binary with `-kill-signal HUP`).
const VALID = '["SIGABRT" "SIGALRM" "SIGBUS" "SIGCONT" "SIGFPE" "SIGHUP" ' +
  '"SIGILL" "SIGINT" "SIGIO" "SIGIOT" "SIGKILL" "SIGNULL" "SIGPIPE" ' +
  '"SIGPROF" "SIGQUIT" "SIGSEGV" "SIGSTOP" "SIGSYS" "SIGTERM" "SIGTRAP" ' +
  '"SIGTSTP" "SIGTTIN" "SIGTTOU" "SIGUSR1" "SIGUSR2" "SIGWINCH" "SIGXCPU" ' +
  '"SIGXFSZ"]'

const cases: { name: string; input: string; out?: string; err?: string }[] = [
  { name: 'canonical', input: 'SIGHUP', out: 'SIGHUP' },
  { name: 'lower case', input: 'sighup', out: 'SIGHUP' },
  { name: 'mixed case', input: 'SigUsr1', out: 'SIGUSR1' },
  { name: 'null signal', input: 'SIGNULL', out: 'SIGNULL' },
  { name: 'alias iot', input: 'SIGIOT', out: 'SIGIOT' },
  { name: 'no prefix', input: 'HUP',
    err: `invalid signal "HUP" - valid signals are ${VALID}` },
  { name: 'empty', input: '',
    err: `invalid signal "" - valid signals are ${VALID}` },
  { name: 'quote in name', input: 'a"b',
    err: `invalid signal "a\\"b" - valid signals are ${VALID}` },
  { name: 'not in the list', input: 'SIGCHLD',
    err: `invalid signal "SIGCHLD" - valid signals are ${VALID}` },
]

for (const c of cases) {
  test(`parseSignal: ${c.name}`, () => {
    if (c.err !== undefined) {
      assert.throws(() => parseSignal(c.input), (e: unknown) =>
        e instanceof SignalError && e.message === c.err &&
        e.code === 'ESIGNAL_INVALID' && e.input === c.input)
      return
    }
    assert.equal(parseSignal(c.input), c.out)
  })
}

test('decodeSignal: empty is SIGNULL, the rest parses', () => {
  assert.equal(decodeSignal(''), 'SIGNULL')
  assert.equal(decodeSignal('sigterm'), 'SIGTERM')
  assert.throws(() => decodeSignal('TERM'), SignalError)
})

test('every listed name is a signal this platform knows', () => {
  for (const name of SIGNAL_NAMES) {
    const n = signalNumber(name)
    assert.equal(typeof n, 'number', name)
    assert.equal(n === 0, name === 'SIGNULL', name)
  }
  assert.equal(signalNumber('SIGTERM'), 15)
  assert.equal(signalNumber('SIGIOT'), signalNumber('SIGABRT'))
})

test('forwardable signals leave out what Node cannot or must not catch', () => {
  for (const s of ['SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGNULL']) {
    assert.ok(!(FORWARDABLE_SIGNALS as readonly string[]).includes(s), s)
  }
  for (const s of ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGUSR1', 'SIGWINCH']) {
    assert.ok((FORWARDABLE_SIGNALS as readonly string[]).includes(s), s)
  }
  assert.equal(FORWARDABLE_SIGNALS.length, SIGNAL_NAMES.length - 7)
})

test('exit codes are the reference values', () => {
  assert.deepEqual({ ...ExitCode }, {
    OK: 0, Error: 11, Interrupt: 12, ParseFlags: 13, Runner: 14, Config: 15,
  })
})

test('exit status byte: -1 (child killed by a signal) is 255', () => {
  assert.equal(exitStatusByte(-1), 255)
  assert.equal(exitStatusByte(3), 3)
  assert.equal(exitStatusByte(256), 0)
})
