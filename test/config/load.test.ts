// Loading files and folders, merge order (right-most wins, undefined never
// overrides), and the environment layer.
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import {
  ConfigError, configFromEnv, emptyConfig, finalizeConfig, loadConfigFiles, mergeConfig,
  parseConfig,
} from '../../src/config/index.ts'

let dir = ''

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctmpl-config-'))
  await mkdir(join(dir, 'conf.d', 'nested'), { recursive: true })
  await writeFile(join(dir, 'conf.d', '10-consul.hcl'),
    'consul {\n  address = "10.0.0.1:8500"\n  token = "a"\n}\nlog_level = "info"\n')
  await writeFile(join(dir, 'conf.d', '20-override.json'),
    '{"consul": {"address": "10.0.0.2:8500"}, "template": {"source": "a", "destination": "b"}}')
  await writeFile(join(dir, 'conf.d', 'nested', '30-template.hcl'),
    'template {\n  source = "c"\n  destination = "d"\n}\n')
  await writeFile(join(dir, 'last.hcl'), 'log_level = "debug"\n')
  await writeFile(join(dir, 'bad1.hcl'), 'template {\n  sorce = "x"\n}\n')
  await writeFile(join(dir, 'bad2.hcl'), 'wait = 1s\n')
  await mkdir(join(dir, 'elsewhere'))
  await writeFile(join(dir, 'elsewhere', 'x.hcl'), 'once = true\n')
  await symlink(join(dir, 'elsewhere'), join(dir, 'conf.d', 'link'))
  await writeFile(join(dir, 'elsewhere', 'y.hcl'), 'pid_file = "/run/y.pid"\n')
  await symlink(join(dir, 'elsewhere', 'y.hcl'), join(dir, 'conf.d', 'zz-file-link.hcl'))
})

after(async () => {
  await rm(dir, { recursive: true, force: true })
})

test('load: a folder merges its files in lexical order, recursively', async () => {
  const c = finalizeConfig(await loadConfigFiles([join(dir, 'conf.d')]))
  assert.equal(c.consul.address, '10.0.0.2:8500')
  assert.equal(c.consul.token, 'a') // unset in the later file: kept
  assert.equal(c.logLevel, 'info')
  assert.deepEqual(c.templates.map((t) => t.source), ['a', 'c'])
  assert.equal(c.once, false, 'symbolic links to folders are not followed')
  assert.equal(c.pidFile, '/run/y.pid', 'symbolic links to files are read')
})

test('load: the right-most -config wins', async () => {
  const c = finalizeConfig(await loadConfigFiles([join(dir, 'conf.d'), join(dir, 'last.hcl')]))
  assert.equal(c.logLevel, 'debug')
  const back = finalizeConfig(await loadConfigFiles([join(dir, 'last.hcl'),
    join(dir, 'conf.d')]))
  assert.equal(back.logLevel, 'info')
})

test('load: problems of every file are reported together, nothing is returned', async () => {
  await assert.rejects(loadConfigFiles([join(dir, 'bad1.hcl'), join(dir, 'last.hcl'),
    join(dir, 'bad2.hcl')]), (err: unknown) => {
    assert.ok(err instanceof ConfigError)
    assert.equal(err.message,
      `template[0].sorce: unknown key (did you mean "source"?) (${join(dir, 'bad1.hcl')}:2:3)\n` +
      `${join(dir, 'bad2.hcl')}:1:8: invalid number 1s: durations are strings, write "1s"`)
    return true
  })
})

test('load: a missing path is a clear error', async () => {
  await assert.rejects(loadConfigFiles([join(dir, 'nope.hcl')]),
    /nope\.hcl: missing file\/folder/)
})

test('merge: undefined never overrides, scalars replace, templates append', () => {
  const a = parseConfig('max_stale = "5s"\nconsul {\n retry { attempts = 3 }\n}\n' +
    'template {\n source = "a"\n destination = "b"\n}', 'a.hcl')
  const b = parseConfig('consul {\n retry { backoff = "1s" }\n}\n' +
    'template {\n source = "c"\n destination = "d"\n}', 'b.hcl')
  const c = finalizeConfig(mergeConfig(a, b))
  assert.equal(c.maxStaleMs, 5_000)
  assert.deepEqual(c.consul.retry, { enabled: true, attempts: 3, backoffMs: 1_000,
    maxBackoffMs: 60_000 })
  assert.deepEqual(c.templates.map((t) => [t.source, t.origin?.file]),
    [['a', 'a.hcl'], ['c', 'b.hcl']])
  // merge is pure
  assert.equal(a.templates?.length, 1)
})

test('merge: a command from a later layer replaces, never blends', () => {
  const a = parseConfig('exec { command = ["a", "b"] }', 'a.hcl')
  const b = parseConfig('exec { command = "c" }', 'b.hcl')
  assert.deepEqual(finalizeConfig(mergeConfig(a, b)).exec.command, { shell: 'c' })
})

test('env: lowest layer; CONSUL_TOKEN beats CONSUL_HTTP_TOKEN', () => {
  const env = {
    CONSUL_HTTP_ADDR: '127.0.0.1:7500', CONSUL_TOKEN: 'ct', CONSUL_HTTP_TOKEN: 'ht',
    CONSUL_HTTP_TOKEN_FILE: '/tok', CONSUL_HTTP_AUTH: 'user:pa:ss',
    CONSUL_HTTP_SSL: 'true', CONSUL_HTTP_SSL_VERIFY: 'false', CONSUL_CACERT: '/ca.pem',
    CONSUL_TLS_SERVER_NAME: 'consul.local', CONSUL_TEMPLATE_LOG_LEVEL: 'debug',
  }
  const c = finalizeConfig(configFromEnv(env))
  assert.equal(c.consul.address, '127.0.0.1:7500')
  assert.equal(c.consul.token, 'ct')
  assert.equal(c.consul.tokenFile, '/tok')
  assert.deepEqual(c.consul.auth, { enabled: true, username: 'user', password: 'pa:ss' })
  assert.equal(c.consul.ssl.enabled, true)
  assert.equal(c.consul.ssl.verify, false)
  assert.equal(c.consul.ssl.caCert, '/ca.pem')
  assert.equal(c.consul.ssl.serverName, 'consul.local')
  assert.equal(c.logLevel, 'debug')

  const file = parseConfig('consul {\n address = "10.1.1.1:8500"\n}', 'f.hcl')
  const merged = finalizeConfig(mergeConfig(configFromEnv(env), file))
  assert.equal(merged.consul.address, '10.1.1.1:8500', 'a file beats the environment')
  assert.equal(finalizeConfig(configFromEnv({ CONSUL_HTTP_TOKEN: 'ht' })).consul.token, 'ht')
})

test('env: TLS files from the environment do not turn TLS on by themselves', () => {
  const c = finalizeConfig(configFromEnv({ CONSUL_CACERT: '/ca.pem' }))
  assert.equal(c.consul.ssl.enabled, false)
  assert.equal(c.consul.ssl.caCert, '/ca.pem')
  const f = parseConfig('consul {\n ssl { server_name = "x" }\n}', 'f.hcl')
  const m = finalizeConfig(mergeConfig(configFromEnv({ CONSUL_CACERT: '/ca.pem' }), f))
  assert.equal(m.consul.ssl.enabled, true, 'a file key does')
})

test('env: empty config from an empty environment equals the defaults', () => {
  assert.deepEqual(finalizeConfig(configFromEnv({})), finalizeConfig(emptyConfig()))
})
