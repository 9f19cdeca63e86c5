// Inline HCL → the finalized configuration, as consul-template's TestParse
// does: each row starts from the defaults and states only what changes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  ConfigError, emptyConfig, finalizeConfig, mergeConfig, parseConfig,
  type Config, type TemplateConfig,
} from '../../src/config/index.ts'

/** The finalized configuration of an empty file. */
function defaults(): Config {
  return strip(finalizeConfig(emptyConfig()))
}

/** Drops positions so rows compare values only. */
function strip(c: Config): Config {
  return {
    ...c,
    positions: {},
    templates: c.templates.map((t) => ({ ...t, pos: {}, origin: undefined })),
  }
}

/** A template with every default, plus the given fields. */
function tmpl(fields: Partial<TemplateConfig>): TemplateConfig {
  return {
    source: undefined, contents: undefined, destination: '', createDestDirs: true,
    command: undefined, commandTimeoutMs: 30_000,
    commandEnv: { pristine: false, custom: [], allowlist: [], denylist: [] },
    perms: undefined, user: undefined, group: undefined, backup: false,
    leftDelimiter: '{{', rightDelimiter: '}}', errorOnMissingKey: false, errorFatal: true,
    wait: { minMs: 0, maxMs: 0 }, functionDenylist: [], sandboxPath: '',
    check: undefined, verify: undefined, origin: undefined, pos: {},
    ...fields,
  }
}

function load(src: string, file = 'test.hcl'): Config {
  return strip(finalizeConfig(mergeConfig(emptyConfig(), parseConfig(src, file))))
}

const cases: { name: string; src: string; want: (d: Config) => void }[] = [
  // top level
  { name: 'empty', src: '', want: () => {} },
  { name: 'top-level scalars', src: `
log_level = "debug"
log_format = "json"
pid_file = "/run/ct.pid"
status_file = "/run/ct.json"
max_stale = "10m"
block_query_wait = "90s"
once = true
template_error_fatal = false
err_on_failed_lookup = true
reload_signal = "SIGUSR2"
kill_signal = ""
`, want: (d) => {
    Object.assign(d, {
      logLevel: 'debug', logFormat: 'json', pidFile: '/run/ct.pid',
      statusFile: '/run/ct.json', maxStaleMs: 600_000, blockQueryWaitMs: 90_000,
      once: true, templateErrorFatal: false, errOnFailedLookup: true,
      reloadSignal: 'SIGUSR2', killSignal: null,
    })
  } },
  { name: 'log level ERR upper case', src: 'log_level = "ERR"',
    want: (d) => { d.logLevel = 'err' } },
  { name: 'integer duration counts nanoseconds', src: 'max_stale = 2000000000',
    want: (d) => { d.maxStaleMs = 2000 } },
  // consul
  { name: 'consul block (documented example)', src: `
consul {
  address = "127.0.0.1:8500"
  namespace = "team"
  token = "abcd"
  token_file = "/etc/token"
  auth {
    enabled  = true
    username = "test"
    password = "test"
  }
  retry {
    enabled = true
    attempts = 12
    backoff = "250ms"
    max_backoff = "1m"
  }
  ssl {
    enabled = true
    verify = false
    cert = "/path/to/client/cert"
    key  = "/path/to/client/key"
    ca_cert = "/path/to/ca"
    ca_path = "path/to/certs/"
    server_name = "my-server.com"
  }
  transport {
    dial_keep_alive = "10s"
    dial_timeout = "5s"
    disable_keep_alives = true
    idle_conn_timeout = "1m"
    max_idle_conns = 5
    max_idle_conns_per_host = 7
    max_conns_per_host = 9
    tls_handshake_timeout = "2s"
  }
}`, want: (d) => {
    d.consul = {
      address: '127.0.0.1:8500', namespace: 'team', token: 'abcd', tokenFile: '/etc/token',
      auth: { enabled: true, username: 'test', password: 'test' },
      retry: { enabled: true, attempts: 12, backoffMs: 250, maxBackoffMs: 60_000 },
      ssl: { enabled: true, verify: false, cert: '/path/to/client/cert',
        key: '/path/to/client/key', caCert: '/path/to/ca', caPath: 'path/to/certs/',
        serverName: 'my-server.com' },
      transport: { dialKeepAliveMs: 10_000, dialTimeoutMs: 5_000, disableKeepAlives: true,
        idleConnTimeoutMs: 60_000, maxIdleConns: 5, maxIdleConnsPerHost: 7,
        maxConnsPerHost: 9, tlsHandshakeTimeoutMs: 2_000 },
    }
  } },
  { name: 'old form: consul = "address"', src: 'consul = "127.0.0.1:7777"',
    want: (d) => { d.consul.address = '127.0.0.1:7777' } },
  { name: 'any ssl key enables ssl', src: 'consul { ssl { verify = false } }',
    want: (d) => { d.consul.ssl.enabled = true; d.consul.ssl.verify = false } },
  { name: 'ssl can be disabled explicitly', src: 'consul {\n ssl {\n enabled = false\n ' +
    'ca_cert = "/ca"\n }\n}', want: (d) => { d.consul.ssl.caCert = '/ca' } },
  { name: 'username enables auth', src: 'consul { auth { username = "u" } }',
    want: (d) => { d.consul.auth = { enabled: true, username: 'u', password: '' } } },
  { name: 'retry disabled, unlimited', src: 'consul {\n retry {\n enabled = false\n ' +
    'attempts = 0\n }\n}', want: (d) => {
    d.consul.retry.enabled = false
    d.consul.retry.attempts = 0
  } },
  // wait
  { name: 'wait string', src: 'wait = "5s:10s"',
    want: (d) => { d.wait = { minMs: 5_000, maxMs: 10_000 } } },
  { name: 'wait string, max is 4 × min', src: 'wait = "5s"',
    want: (d) => { d.wait = { minMs: 5_000, maxMs: 20_000 } } },
  { name: 'wait block', src: 'wait {\n  min = "5s"\n  max = "10s"\n}',
    want: (d) => { d.wait = { minMs: 5_000, maxMs: 10_000 } } },
  { name: 'wait block, min only', src: 'wait { min = "2s" }',
    want: (d) => { d.wait = { minMs: 2_000, maxMs: 8_000 } } },
  // templates
  { name: 'nginx template (documented example)', src: `
template {
  source      = "/etc/nginx/upstream.ctmpl"
  destination = "/etc/nginx/conf.d/upstream.conf"
  create_dest_dirs = false
  command     = "nginx -s reload"
  command_timeout = "60s"
  error_on_missing_key = true
  perms       = 0600
  backup      = true
  left_delimiter  = "[["
  right_delimiter = "]]"
  function_denylist = ["plugin", "writeToFile"]
  sandbox_path = "/etc/nginx"
  wait {
    min = "2s"
    max = "10s"
  }
}`, want: (d) => {
    d.templates = [tmpl({
      source: '/etc/nginx/upstream.ctmpl', destination: '/etc/nginx/conf.d/upstream.conf',
      createDestDirs: false, command: { shell: 'nginx -s reload' }, commandTimeoutMs: 60_000,
      errorOnMissingKey: true, perms: 0o600, backup: true, leftDelimiter: '[[',
      rightDelimiter: ']]', functionDenylist: ['plugin', 'writeToFile'],
      sandboxPath: '/etc/nginx', wait: { minMs: 2_000, maxMs: 10_000 },
    })]
  } },
  { name: 'haproxy template with check, verify and an argv command', src: `
template {
  source = "/etc/haproxy/haproxy.ctmpl"
  destination = "/etc/haproxy/haproxy.cfg"
  command = ["systemctl", "reload", "haproxy"]
  check {
    command = "haproxy -c -f /etc/haproxy/haproxy.cfg"
    timeout = "10s"
  }
  verify {
    pid_file = "/run/haproxy.pid"
    rollback = true
  }
}`, want: (d) => {
    d.templates = [tmpl({
      source: '/etc/haproxy/haproxy.ctmpl', destination: '/etc/haproxy/haproxy.cfg',
      command: { argv: ['systemctl', 'reload', 'haproxy'] },
      check: { command: { shell: 'haproxy -c -f /etc/haproxy/haproxy.cfg' }, timeoutMs: 10_000 },
      verify: { pidFile: '/run/haproxy.pid', pid: undefined, rollback: true },
    })]
  } },
  { name: 'one-element command list runs under the shell', src:
    'template {\n source = "a"\n destination = "b"\n command = ["echo $HOME"]\n}',
  want: (d) => {
    d.templates = [tmpl({ source: 'a', destination: 'b', command: { shell: 'echo $HOME' } })]
  } },
  { name: 'contents heredoc, template wait string, global wait fallback', src: `
wait = "1s:3s"
template {
  contents = <<EOF
{{ key "service/redis/maxconns" }}
EOF
  destination = "out.txt"
  wait = "4s"
}
template {
  contents = "x"
  destination = "y"
  exec { command = "cat y" timeout = "5s" }
  command = "ignored: exec's command wins"
  command_timeout = "1s"
  uid = 0
  group = "www-data"
  error_fatal = false
}`, want: (d) => {
    d.wait = { minMs: 1_000, maxMs: 3_000 }
    d.templates = [
      tmpl({ contents: '{{ key "service/redis/maxconns" }}\n', destination: 'out.txt',
        wait: { minMs: 4_000, maxMs: 16_000 } }),
      tmpl({ contents: 'x', destination: 'y', command: { shell: 'cat y' },
        commandTimeoutMs: 5_000, user: '0', group: 'www-data', errorFatal: false,
        wait: { minMs: 1_000, maxMs: 3_000 } }),
    ]
  } },
  { name: 'template_error_fatal overrides error_fatal', src:
    'template_error_fatal = false\ntemplate {\n contents = "x"\n destination = "y"\n}',
  want: (d) => {
    d.templateErrorFatal = false
    d.templates = [tmpl({ contents: 'x', destination: 'y', errorFatal: false })]
  } },
  { name: 'default delimiters and function_blacklist alias', src: `
default_delimiters {
  left = "<%"
  right = "%>"
}
template {
  source = "a"
  destination = "b"
  function_blacklist = ["plugin"]
  function_denylist = "env,plugin"
  perms = "0640"
}`, want: (d) => {
    d.templates = [tmpl({ source: 'a', destination: 'b', leftDelimiter: '<%',
      rightDelimiter: '%>', functionDenylist: ['plugin', 'env'], perms: 0o640 })]
  } },
  { name: 'verify by pid', src:
    'template {\n source = "a"\n destination = "b"\n verify { pid = 42 }\n}',
  want: (d) => {
    d.templates = [tmpl({ source: 'a', destination: 'b',
      verify: { pidFile: undefined, pid: 42, rollback: false } })]
  } },
  // exec and friends
  { name: 'exec block (documented example)', src: `
exec {
  command = "/usr/bin/app"
  splay = "5s"
  env {
    pristine = false
    custom = ["PATH=$PATH:/etc/myapp/bin"]
    whitelist = ["CONSUL_*"]
    blacklist = ["VAULT_*"]
  }
  reload_signal = ""
  kill_signal = "SIGINT"
  kill_timeout = "2s"
}`, want: (d) => {
    d.exec = { enabled: true, command: { shell: '/usr/bin/app' }, splayMs: 5_000,
      reloadSignal: null, killSignal: 'SIGINT', killTimeoutMs: 2_000, timeoutMs: 0,
      env: { pristine: false, custom: ['PATH=$PATH:/etc/myapp/bin'],
        allowlist: ['CONSUL_*'], denylist: ['VAULT_*'] } }
  } },
  { name: 'exec reload signal by short name', src:
    'exec {\n command = ["app", "-x"]\n reload_signal = "hup"\n}', want: (d) => {
    d.exec.enabled = true
    d.exec.command = { argv: ['app', '-x'] }
    d.exec.reloadSignal = 'SIGHUP'
  } },
  { name: 'deduplicate, syslog, log_file', src: `
deduplicate {
  prefix = "ct/dedup/"
  ttl = "30s"
}
syslog {
  facility = "LOCAL5"
}
log_file {
  path = "/var/log/ct.log"
  log_rotate_bytes = 1048576
  log_rotate_duration = "12h"
  log_rotate_max_files = 3
}`, want: (d) => {
    d.dedup = { ...d.dedup, enabled: true, prefix: 'ct/dedup/', ttlMs: 30_000 }
    d.syslog = { enabled: true, facility: 'LOCAL5', name: 'consul-template' }
    d.logFile = { path: '/var/log/ct.log', rotateBytes: 1_048_576,
      rotateDurationMs: 43_200_000, rotateMaxFiles: 3 }
  } },
  { name: 'vault and nomad parse and are listed as unsupported', src: `
vault {
  address = "https://vault.service.consul:8200"
  renew_token = true
  ssl { verify = true }
}
nomad {
  address = "http://127.0.0.1:4646"
}`, want: (d) => {
    d.unsupported = [
      { name: 'vault', at: { file: 'test.hcl', line: 2, column: 1 } },
      { name: 'nomad', at: { file: 'test.hcl', line: 7, column: 1 } },
    ]
  } },
]

for (const c of cases) {
  test(`config: ${c.name}`, () => {
    const want = defaults()
    c.want(want)
    const got = load(c.src)
    assert.deepEqual(got, want, JSON.stringify(got))
  })
}

/** Same configuration in JSON: same result, numbers decimal. */
const jsonCases = [
  { name: 'json templates list and consul block', hcl: `
consul {
  address = "10.0.0.1:8500"
  retry { attempts = 3 }
}
template {
  source = "a"
  destination = "b"
  perms = 0644
  command = ["x", "y"]
}
template {
  contents = "c"
  destination = "d"
}`, json: `{
  "consul": { "address": "10.0.0.1:8500", "retry": { "attempts": 3 } },
  "template": [
    { "source": "a", "destination": "b", "perms": 420, "command": ["x", "y"] },
    { "contents": "c", "destination": "d" }
  ]
}` },
  { name: 'json single template object, wait object', hcl:
    'wait {\n min = "1s"\n}\ntemplate {\n source = "a"\n destination = "b"\n perms = "0600"\n}',
  json: '{"wait": [{"min": "1s"}], "template": {"source": "a", "destination": "b", ' +
    '"perms": "0600"}}' },
]

for (const c of jsonCases) {
  test(`config: ${c.name}`, () => {
    assert.deepEqual(load(c.json, 't.json'), load(c.hcl))
  })
}

const bad = [
  // decoding: unknown keys, wrong types, bad values
  { name: 'unknown top-level key', src: 'bogus = 1',
    err: 'bogus: unknown key (test.hcl:1:1)' },
  { name: 'unknown key in template, with suggestion', src:
    'template {\n  source = "a"\n  destinaton = "b"\n}',
  err: 'template[0].destinaton: unknown key (did you mean "destination"?) (test.hcl:3:3)' },
  { name: 'unknown nested key', src: 'consul {\n  ssl {\n    certfile = "x"\n  }\n}',
    err: 'consul.ssl.certfile: unknown key (test.hcl:3:5)' },
  { name: 'wrong type', src: 'template {\n  backup = "true"\n}',
    err: 'template[0].backup: expected a bool, found string "true" (test.hcl:2:12)' },
  { name: 'bad duration', src: 'max_stale = "5x"',
    err: 'max_stale: unknown unit "x" in duration "5x" (test.hcl:1:13)' },
  { name: 'float for int', src: 'consul {\n retry {\n attempts = 1.5\n }\n}',
    err: 'consul.retry.attempts: expected an integer, found number 1.5 (test.hcl:3:13)' },
  { name: 'bad signal', src: 'kill_signal = "SIGNOPE"',
    err: 'kill_signal: unknown signal "SIGNOPE" (test.hcl:1:15)' },
  { name: 'bad perms', src: 'template {\n perms = "0999"\n}',
    err: 'template[0].perms: invalid permissions "0999": expected octal digits (test.hcl:2:10)' },
  { name: 'block expected', src: 'consul = ["127.0.0.1:8500"]',
    err: 'consul: expected a block, found a list (test.hcl:1:10)' },
  { name: 'bad wait string', src: 'wait = "1s:2s:3s"',
    err: 'wait: invalid wait "1s:2s:3s": expected "min" or "min:max" (test.hcl:1:8)' },
  { name: 'wait block has only min and max', src: 'wait { enabled = true }',
    err: 'wait.enabled: unknown key (test.hcl:1:8)' },
  { name: 'wait as a number', src: 'wait = 5',
    err: 'wait: expected a wait "min:max" or a block, found number 5 (test.hcl:1:8)' },
  { name: 'object prototype names are unknown keys', src:
    '__proto__ = 1\nconstructor { }\nlog_level = "toString"',
  err: '__proto__: unknown key (test.hcl:1:1)\nconstructor: unknown key (test.hcl:2:1)' },
  { name: 'several problems at once', src: 'a = 1\nconsul { b = 2 }',
    err: 'a: unknown key (test.hcl:1:1)\nconsul.b: unknown key (test.hcl:2:10)' },
  // finalize: cross-field checks
  { name: 'missing source', src: 'template {\n  destination = "b"\n}',
    err: 'template[0]: must specify exactly one of "source" or "contents" (test.hcl:1:10)' },
  { name: 'source and contents', src:
    'template {\n  source = "a"\n  contents = "x"\n  destination = "b"\n}',
  err: 'template[0]: cannot specify both "source" and "contents" (test.hcl:3:3)' },
  { name: 'missing destination', src: 'template {\n  source = "a"\n}',
    err: 'template[0].destination: is required (only a dry run may leave it out) ' +
      '(test.hcl:1:10)' },
  { name: 'wait min over max', src: 'template {\n source = "a"\n destination = "b"\n' +
    ' wait {\n  min = "10s"\n  max = "5s"\n }\n}',
  err: 'template[0].wait: min must be less than or equal to max (test.hcl:4:2)' },
  { name: 'global wait min over max', src: 'wait = "10s:5s"',
    err: 'wait: min must be less than or equal to max (test.hcl:1:1)' },
  { name: 'second template is named by its index', src:
    'template {\n source = "a"\n destination = "b"\n}\ntemplate {\n destination = "c"\n}',
  err: 'template[1]: must specify exactly one of "source" or "contents" (test.hcl:5:10)' },
  { name: 'check without command', src:
    'template {\n source = "a"\n destination = "b"\n check { timeout = "1s" }\n}',
  err: 'template[0].check.command: is required in a check block (test.hcl:4:2)' },
  { name: 'verify needs one of pid_file and pid', src:
    'template {\n source = "a"\n destination = "b"\n verify { rollback = true }\n}',
  err: 'template[0].verify: needs exactly one of "pid_file" or "pid" (test.hcl:4:2)' },
  { name: 'bad log level', src: 'log_level = "loud"',
    err: 'log_level: invalid log level "loud", valid log levels are trace, debug, info, ' +
      'warn, err (test.hcl:1:1)' },
  { name: 'log level named like a prototype member', src: 'log_level = "constructor"',
    err: 'log_level: invalid log level "constructor", valid log levels are trace, debug, ' +
      'info, warn, err (test.hcl:1:1)' },
  { name: 'bad log format', src: 'log_format = "xml"',
    err: 'log_format: unknown format "xml": use text or json (test.hcl:1:1)' },
  { name: 'exec enabled without command', src: 'exec {\n enabled = true\n}',
    err: 'exec.command: exec is enabled but has no command (test.hcl:2:2)' },
  // syntax
  { name: 'syntax error', src: 'template {\n source = "a"\n',
    err: "test.hcl:3:1: expected '}' to close the block opened at 1:10, found end of file" },
]

for (const c of bad) {
  test(`config error: ${c.name}`, () => {
    assert.throws(() => load(c.src), (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err))
      assert.equal(err.message, c.err)
      return true
    })
  })
}

test('config error: json keeps positions', () => {
  assert.throws(() => load('{\n  "template": [{\n    "sourse": "a"\n  }]\n}', 'c.json'), {
    message: 'template[0].sourse: unknown key (did you mean "source"?) (c.json:3:5)',
  })
  assert.throws(() => load('{\n  "once": tru\n}', 'c.json'), {
    message: 'c.json:2:11: expected a value, found "t"',
  })
})

test('config: dry run may leave the destination out', () => {
  const c = finalizeConfig(parseConfig('template {\n source = "a"\n}', 't.hcl'), { dry: true })
  assert.equal(c.templates[0]!.destination, '')
})

test('config: positions are kept for doctor and errors', () => {
  const c = finalizeConfig(parseConfig(
    'pid_file = "/p"\ntemplate {\n  source = "a"\n  destination = "/tmp/x"\n' +
    '  verify { pid_file = "/run/n.pid" }\n}', 'p.hcl'))
  assert.deepEqual(c.positions.pid_file, { file: 'p.hcl', line: 1, column: 1 })
  const t = c.templates[0]!
  assert.deepEqual(t.origin, { file: 'p.hcl', line: 2, column: 10 })
  assert.deepEqual(t.pos.destination, { file: 'p.hcl', line: 4, column: 3 })
  assert.deepEqual(t.pos['verify.pid_file'], { file: 'p.hcl', line: 5, column: 12 })
})
