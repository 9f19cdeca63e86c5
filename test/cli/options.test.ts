// The daemon's flags: names as consul-template's, values into the
// configuration, precedence flags > files > environment.
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { ConfigError } from '../../src/config/index.ts'
import { configFromArgs, options, usage, UsageError, type ArgsResult } from
  '../../src/cli/options.ts'

let dir = ''
let file = ''

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctmpl-options-'))
  file = join(dir, 'ct.hcl')
  await writeFile(file, [
    'consul {', '  address = "10.0.0.1:8500"', '  token = "file-token"', '}',
    'log_level = "info"', 'max_stale = "5s"',
    'template {', '  source = "/etc/a.ctmpl"', '  destination = "/etc/a"', '}',
    'exec {', '  command = "app"', '}', '',
  ].join('\n'))
})

after(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const r: ArgsResult = await configFromArgs(argv, env)
  assert.equal(r.action, 'run')
  if (r.action !== 'run') throw new Error('unreachable')
  return r
}

test('flags: -h and -v are actions, not exits', async () => {
  assert.deepEqual(await configFromArgs(['-h'], {}), { action: 'help' })
  assert.deepEqual(await configFromArgs(['--help'], {}), { action: 'help' })
  assert.deepEqual(await configFromArgs(['-v'], {}), { action: 'version' })
  assert.deepEqual(await configFromArgs(['-version'], {}), { action: 'version' })
})

test('flags: override files, files override the environment', async () => {
  const env = { CONSUL_HTTP_ADDR: '127.0.0.1:1', CONSUL_TOKEN: 'env-token' }
  const fromFile = await run(['-config', file], env)
  assert.equal(fromFile.config.consul.address, '10.0.0.1:8500')
  assert.equal(fromFile.config.consul.token, 'file-token')
  const fromFlags = await run(['-config', file, '-consul-addr', '127.0.0.1:2',
    '-consul-token=flag-token', '--log-level=debug', '-max-stale', '1m'], env)
  assert.equal(fromFlags.config.consul.address, '127.0.0.1:2')
  assert.equal(fromFlags.config.consul.token, 'flag-token')
  assert.equal(fromFlags.config.logLevel, 'debug')
  assert.equal(fromFlags.config.maxStaleMs, 60_000)
  const fromEnv = await run([], env)
  assert.equal(fromEnv.config.consul.address, '127.0.0.1:1')
  assert.equal(fromEnv.config.consul.token, 'env-token')
  assert.deepEqual(fromEnv.configPaths, [])
})

test('flags: -template appends after the files\' templates, with a command', async () => {
  const r = await run(['-config', file,
    '-template', '/tmp/nginx.ctmpl:/var/nginx/nginx.conf:nginx -s reload',
    '-template', '/tmp/haproxy.ctmpl:/var/haproxy/haproxy.conf'])
  assert.deepEqual(r.config.templates.map((t) => [t.source, t.destination, t.command]), [
    ['/etc/a.ctmpl', '/etc/a', undefined],
    ['/tmp/nginx.ctmpl', '/var/nginx/nginx.conf', { shell: 'nginx -s reload' }],
    ['/tmp/haproxy.ctmpl', '/var/haproxy/haproxy.conf', undefined],
  ])
  assert.deepEqual(r.config.templates[1]!.origin,
    { file: '<flag -template>', line: 0, column: 0 })
})

test('flags: -wait, -once, -dry and -parse-only', async () => {
  const r = await run(['-wait', '5s:10s', '-once', '-dry', '-parse-only',
    '-template', 'in.tmpl'])
  assert.deepEqual(r.config.wait, { minMs: 5_000, maxMs: 10_000 })
  assert.deepEqual(r.config.templates[0]!.wait, { minMs: 5_000, maxMs: 10_000 })
  assert.equal(r.once, true)
  assert.equal(r.config.once, true)
  assert.equal(r.dry, true)
  assert.equal(r.parseOnly, true)
  assert.equal(r.config.templates[0]!.destination, '', 'a dry run needs no destination')
  const w = await run(['-wait=2s', '-once=false'])
  assert.deepEqual(w.config.wait, { minMs: 2_000, maxMs: 8_000 })
  assert.equal(w.once, false)
})

test('flags: exec mode', async () => {
  const r = await run(['-config', file, '-exec', '/sbin/my-server --port 80',
    '-exec-reload-signal', 'SIGHUP', '-exec-kill-signal', 'SIGTERM',
    '-exec-kill-timeout', '5s', '-exec-splay', '2s', '-exec-env-pristine',
    '-exec-env-custom', 'A=1', '-exec-env-custom', 'B=2',
    '-exec-env-allowlist', 'CONSUL_*', '-exec-env-denylist', 'VAULT_*'])
  assert.deepEqual(r.config.exec, {
    enabled: true, command: { shell: '/sbin/my-server --port 80' }, splayMs: 2_000,
    reloadSignal: 'SIGHUP', killSignal: 'SIGTERM', killTimeoutMs: 5_000, timeoutMs: 0,
    env: { pristine: true, custom: ['A=1', 'B=2'], allowlist: ['CONSUL_*'],
      denylist: ['VAULT_*'] },
  })
})

test('flags: consul connection', async () => {
  const r = await run(['-consul-auth', 'user:pass:word', '-consul-ssl',
    '-consul-ssl-verify=false', '-consul-ssl-ca-cert', '/ca.pem',
    '-consul-ssl-server-name', 'consul.local', '-consul-retry-attempts', '010',
    '-consul-retry-backoff', '1s', '-consul-retry-max-backoff', '0',
    '-consul-transport-dial-timeout', '3s', '-consul-transport-disable-keep-alives',
    '-consul-transport-max-idle-conns-per-host', '7', '-consul-token-file', '/tok'])
  const c = r.config.consul
  assert.deepEqual(c.auth, { enabled: true, username: 'user', password: 'pass:word' })
  assert.equal(c.ssl.enabled, true)
  assert.equal(c.ssl.verify, false)
  assert.equal(c.ssl.caCert, '/ca.pem')
  assert.equal(c.ssl.serverName, 'consul.local')
  assert.deepEqual(c.retry, { enabled: true, attempts: 8, backoffMs: 1_000, maxBackoffMs: 0 })
  assert.equal(c.transport.dialTimeoutMs, 3_000)
  assert.equal(c.transport.disableKeepAlives, true)
  assert.equal(c.transport.maxIdleConnsPerHost, 7)
  assert.equal(c.tokenFile, '/tok')
})

test('flags: signals, logging, pid and status files, dedup, syslog', async () => {
  const r = await run(['-kill-signal', '', '-reload-signal', 'SIGUSR2', '-log-format', 'json',
    '-pid-file', '/run/ct.pid', '-status-file', '/run/ct.json', '-dedup',
    '-syslog', '-syslog-facility', 'LOCAL3', '-template-error-fatal=false',
    '-default-left-delimiter', '[[', '-default-right-delimiter', ']]',
    '-log-file', '/var/log/ct.log', '-log-rotate-max-files', '4', '-template', 'in:out'])
  const c = r.config
  assert.equal(c.killSignal, null)
  assert.equal(c.reloadSignal, 'SIGUSR2')
  assert.equal(c.logFormat, 'json')
  assert.equal(c.pidFile, '/run/ct.pid')
  assert.equal(c.statusFile, '/run/ct.json')
  assert.equal(c.dedup.enabled, true)
  assert.deepEqual(c.syslog, { enabled: true, facility: 'LOCAL3', name: 'consul-template' })
  assert.equal(c.templateErrorFatal, false)
  assert.equal(c.templates[0]!.errorFatal, false)
  assert.equal(c.templates[0]!.leftDelimiter, '[[')
  assert.equal(c.logFile.path, '/var/log/ct.log')
  assert.equal(c.logFile.rotateMaxFiles, 4)
})

test('flags: vault flags are accepted and reported as unsupported', async () => {
  const r = await run(['-vault-addr', 'https://10.5.32.5:8200', '-vault-renew-token=false'])
  assert.deepEqual(r.config.unsupported.map((u) => u.name), ['vault'])
  await assert.rejects(configFromArgs(['-vault-retry-attempts', 'x'], {}), {
    message: 'invalid value "x" for flag -vault-retry-attempts: parse error: not an integer',
  })
})

const bad: { name: string; argv: string[]; err: string }[] = [
  { name: 'undefined flag', argv: ['-bogus'], err: 'flag provided but not defined: -bogus' },
  { name: 'prototype name as a flag', argv: ['-constructor', 'x'],
    err: 'flag provided but not defined: -constructor' },
  { name: 'missing value', argv: ['-consul-addr'], err: 'flag needs an argument: -consul-addr' },
  { name: 'bad bool', argv: ['-once=maybe'],
    err: 'invalid boolean value "maybe" for -once: parse error' },
  { name: 'bad duration', argv: ['-max-stale', '5x'],
    err: 'invalid value "5x" for flag -max-stale: unknown unit "x" in duration "5x"' },
  { name: 'bad wait order', argv: ['-wait', '10s:5s'],
    err: 'invalid value "10s:5s" for flag -wait: wait: min must be less than max' },
  { name: 'bad signal', argv: ['-kill-signal', 'SIGNOPE'],
    err: 'invalid value "SIGNOPE" for flag -kill-signal: unknown signal "SIGNOPE"' },
  { name: 'bad int', argv: ['-consul-retry-attempts', '1.5'],
    err: 'invalid value "1.5" for flag -consul-retry-attempts: parse error: not an integer' },
  { name: 'empty template', argv: ['-template', ''],
    err: 'invalid value "" for flag -template: template: cannot be empty' },
  { name: 'extra arguments', argv: ['-once', 'extra'], err: 'cli: extra args: ["extra"]' },
]

for (const c of bad) {
  test(`flags error: ${c.name}`, async () => {
    await assert.rejects(configFromArgs(c.argv, {}), (err: unknown) => {
      assert.ok(err instanceof UsageError, String(err))
      assert.equal(err.message, c.err)
      assert.equal(err.exitCode, 13)
      return true
    })
  })
}

test('flags error: a bad log level from a flag names the flag', async () => {
  await assert.rejects(configFromArgs(['-log-level', 'loud'], {}), (err: unknown) => {
    assert.ok(err instanceof ConfigError)
    assert.equal(err.message, 'log_level: invalid log level "loud", valid log levels are ' +
      'trace, debug, info, warn, err (<flag -log-level>)')
    return true
  })
})

test('flags error: a template from a flag without destination', async () => {
  await assert.rejects(configFromArgs(['-template', 'in.tmpl'], {}), {
    message: 'template[0].destination: is required (only a dry run may leave it out) ' +
      '(<flag -template>)',
  })
})

test('usage: lists every flag of consul-template v0.42.1', () => {
  // Taken from `consul-template -h` and the flags it accepts without listing.
  const reference = `config consul-addr consul-auth consul-retry consul-retry-attempts
    consul-retry-backoff consul-retry-max-backoff consul-ssl consul-ssl-ca-cert
    consul-ssl-ca-path consul-ssl-cert consul-ssl-key consul-ssl-server-name consul-ssl-verify
    consul-token consul-token-file consul-transport-dial-keep-alive
    consul-transport-dial-timeout consul-transport-disable-keep-alives
    consul-transport-max-idle-conns-per-host consul-transport-tls-handshake-timeout dedup
    default-left-delimiter default-right-delimiter dry exec exec-kill-signal
    exec-kill-timeout exec-reload-signal exec-splay exec-env-pristine exec-env-custom
    exec-env-allowlist exec-env-denylist kill-signal log-level max-stale once parse-only
    pid-file reload-signal retry syslog syslog-facility syslog-name template
    template-error-fatal vault-addr vault-renew-token vault-retry vault-retry-attempts
    vault-retry-backoff vault-retry-max-backoff vault-ssl vault-ssl-ca-cert
    vault-ssl-ca-path vault-ssl-cert vault-ssl-key vault-ssl-server-name vault-ssl-verify
    vault-token vault-agent-token-file vault-transport-dial-keep-alive
    vault-transport-dial-timeout vault-transport-disable-keep-alives
    vault-transport-max-idle-conns-per-host vault-transport-max-conns-per-host
    vault-transport-tls-handshake-timeout vault-unwrap-token vault-default-lease-duration
    wait v version log-file log-rotate-bytes log-rotate-duration log-rotate-max-files
    vault-client-user-agent`.split(/\s+/)
  const text = usage()
  for (const name of reference) {
    assert.ok(name in options, `missing flag -${name}`)
    assert.ok(text.includes(`  -${name}`), `usage lacks -${name}`)
  }
})
