import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { createLogger, formatTextLine } from '../../src/cli/log.ts'

test('text lines have the reference shape and fields after the message', () => {
  const line = formatTextLine(JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 2, 3, 4, 5),
    component: 'runner', msg: 'rendered "a" => "b"', bytes: 12, reason: 'kv.get(a) changed' }))
  assert.equal(line, '2026-01-02T03:04:05.000Z [INFO] (runner) rendered "a" => "b" bytes=12 ' +
    'reason="kv.get(a) changed"\n')
})

test('a multi-line message stays one line', () => {
  const line = formatTextLine(JSON.stringify({ level: 50, time: 0, msg: 'check failed:\nline 2' }))
  assert.equal(line, '1970-01-01T00:00:00.000Z [ERR] check failed:\\nline 2\n')
})

test('tokens are redacted, levels filter', () => {
  const out = new PassThrough()
  let text = ''
  out.on('data', (b: Buffer) => { text += b.toString() })
  const { logger } = createLogger({ level: 'info', format: 'json', stream: out })
  logger.debug('hidden')
  logger.info({ token: 's3cret', consul: { token: 's3cret' } }, 'shown')
  assert.doesNotMatch(text, /s3cret|hidden/)
  assert.match(text, /"msg":"shown"/)
})
