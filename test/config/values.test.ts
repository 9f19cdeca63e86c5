// Value conversions: Go durations, signals, permissions, wait specs,
// commands and the -template flag's colon rules.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  formatDuration, parseDuration, parseSignal, parseWaitString, splitTemplateFlag, toCommand,
  ValueError,
} from '../../src/config/index.ts'

const durations: [string, number][] = [
  ['0', 0], ['5s', 5_000], ['1m30s', 90_000], ['250ms', 250], ['1h', 3_600_000],
  ['1.5s', 1_500], ['100us', 0.1], ['100µs', 0.1], ['2h45m', 9_900_000], ['+3s', 3_000],
  ['1000000ns', 1],
]
for (const [text, ms] of durations) {
  test(`duration ${text}`, () => assert.equal(parseDuration(text), ms))
}

const badDurations: [string, string][] = [
  ['', 'invalid duration ""'], ['5', 'invalid duration "5"'], ['5x', 'unknown unit "x" in duration "5x"'],
  ['s', 'invalid duration "s"'], ['1s2', 'invalid duration "1s2"'],
  ['5constructor', 'unknown unit "constructor" in duration "5constructor"'],
]
for (const [text, msg] of badDurations) {
  test(`duration error ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseDuration(text), (e: unknown) =>
      e instanceof ValueError && e.message === msg)
  })
}

test('formatDuration prints like Go', () => {
  assert.deepEqual([0, 250, 5_000, 90_000, 3_600_000, 1_500, 0.5].map(formatDuration),
    ['0s', '250ms', '5s', '1m30s', '1h0m0s', '1.5s', '500µs'])
})

test('signals by name', () => {
  assert.equal(parseSignal('SIGHUP'), 'SIGHUP')
  assert.equal(parseSignal('hup'), 'SIGHUP')
  assert.equal(parseSignal('SIGUSR1'), 'SIGUSR1')
  assert.equal(parseSignal(''), null)
  assert.throws(() => parseSignal('SIGFOO'), /unknown signal "SIGFOO"/)
})

test('wait specs', () => {
  assert.deepEqual(parseWaitString('5s:10s'), { minMs: 5_000, maxMs: 10_000 })
  assert.deepEqual(parseWaitString('5s'), { minMs: 5_000, maxMs: 20_000 })
  assert.throws(() => parseWaitString(':5s'), /invalid wait/)
})

test('commands: string and one-element list go to the shell', () => {
  assert.deepEqual(toCommand('nginx -s reload'), { shell: 'nginx -s reload' })
  assert.deepEqual(toCommand(['nginx -s reload']), { shell: 'nginx -s reload' })
  assert.deepEqual(toCommand(['nginx', '-s', 'reload']), { argv: ['nginx', '-s', 'reload'] })
  assert.equal(toCommand(''), undefined)
  assert.equal(toCommand([]), undefined)
})

const templateFlags: [string, { source: string; destination?: string; command?: string }][] = [
  ['in.tmpl', { source: 'in.tmpl' }],
  ['/tmp/in.ctmpl:/tmp/out', { source: '/tmp/in.ctmpl', destination: '/tmp/out' }],
  ['/tmp/nginx.ctmpl:/var/nginx/nginx.conf:nginx -s reload',
    { source: '/tmp/nginx.ctmpl', destination: '/var/nginx/nginx.conf',
      command: 'nginx -s reload' }],
  ['a.t:b.out:cmd --opt=a:b', { source: 'a.t', destination: 'b.out', command: 'cmd --opt=a:b' }],
  ['C:\\in.tmpl:D:\\out', { source: 'C:\\in.tmpl', destination: 'D:\\out' }],
  ['in::out', { source: 'in', destination: 'out' }],
  // The reference's drive-letter rule: one letter then a colon is a path.
  ['a:b', { source: 'a:b' }],
]
for (const [flag, want] of templateFlags) {
  test(`-template ${flag}`, () => {
    const got = splitTemplateFlag(flag)
    assert.deepEqual(got, { source: want.source, destination: want.destination,
      command: want.command })
  })
}

test('-template "" is an error', () => {
  assert.throws(() => splitTemplateFlag('  '), /template: cannot be empty/)
})
