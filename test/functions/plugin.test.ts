// plugin: only executable files run, arguments are trimmed, stdout is the
// result, and failures (exit status, signals, timeout) are errors.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lookPath, runPlugin } from '../../src/functions/plugin.ts'

let dir = ''

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctmpl-plugin-'))
  const script = (name: string, body: string, mode = 0o755) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`)
    chmodSync(join(dir, name), mode)
  }
  script('echo-args', 'for a in "$@"; do printf "[%s]" "$a"; done; echo')
  script('json', 'echo \'  {"a": 1}  \'')
  script('fail', 'echo partial; echo oops >&2; exit 2')
  script('sleepy', 'exec sleep 5')
  script('not-exec', 'echo never', 0o644)
})

after(() => rmSync(dir, { recursive: true, force: true }))

test('stdout, trimmed, is the result', () => {
  assert.equal(runPlugin(join(dir, 'json'), []), '{"a": 1}')
})

test('arguments are trimmed and empty ones dropped', () => {
  assert.equal(runPlugin(join(dir, 'echo-args'), [' a ', '', '\n', 'b c']), '[a][b c]')
})

test('empty name renders nothing', () => {
  assert.equal(runPlugin('', ['x']), '')
})

test('a non-executable file does not run', () => {
  assert.throws(() => runPlugin(join(dir, 'not-exec'), []),
    { message: `exec "${join(dir, 'not-exec')}": fork/exec ${join(dir, 'not-exec')}: ` +
      'permission denied\n\nstdout:\n\n\n\nstderr:\n\n' })
})

test('a directory does not run', () => {
  assert.throws(() => runPlugin(dir, []), /permission denied/)
})

test('a missing command names $PATH', () => {
  assert.throws(() => lookPath('ctmpl-no-such-plugin', dir),
    { message: 'exec: "ctmpl-no-such-plugin": executable file not found in $PATH' })
})

test('PATH lookup finds executables only', () => {
  assert.equal(lookPath('json', dir), join(dir, 'json'))
  assert.throws(() => lookPath('not-exec', dir), /not found in \$PATH/)
})

test('a failing plugin reports status and both streams', () => {
  assert.throws(() => runPlugin(join(dir, 'fail'), []), {
    message: `exec "${join(dir, 'fail')}": exit status 2\n\nstdout:\n\npartial\n` +
      '\n\nstderr:\n\noops\n',
  })
})

test('a plugin that runs too long is killed', () => {
  const started = Date.now()
  assert.throws(() => runPlugin(join(dir, 'sleepy'), [], 300),
    { message: `exec "${join(dir, 'sleepy')}": did not finish in 0.3s` })
  assert.ok(Date.now() - started < 4000)
})
