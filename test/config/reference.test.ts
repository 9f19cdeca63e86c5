// Parity with the reference: the same file is loaded by consul-template
// v0.42.1 (its "final config" debug line) and by ctmpl, and the values that
// both have are compared. Skipped when the reference is not installed.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { constants, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { configFromArgs } from '../../src/cli/options.ts'
import type { CommandSpec, Config } from '../../src/config/index.ts'

const reference = process.env.CONSUL_TEMPLATE_BIN ?? '/root/go/bin/consul-template'
const skip = existsSync(reference) ? false : `reference not installed at ${reference}`

let dir = ''
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctmpl-ref-'))
})
after(async () => {
  await rm(dir, { recursive: true, force: true })
})

type Json = Record<string, any>

const ns = (ms: number): number => Math.round(ms * 1e6)
const sig = (s: string | null): number | null =>
  s === null ? null : constants.signals[s as NodeJS.Signals]
const argvOf = (c: CommandSpec | undefined): string[] =>
  c === undefined ? [] : c.shell !== undefined ? [c.shell] : c.argv

/** The values both programs expose, from ctmpl's finalized config. */
function fromCtmpl(c: Config): Json {
  return {
    address: c.consul.address,
    retry: [c.consul.retry.enabled, c.consul.retry.attempts, ns(c.consul.retry.backoffMs),
      ns(c.consul.retry.maxBackoffMs)],
    ssl: [c.consul.ssl.enabled, c.consul.ssl.verify, c.consul.ssl.cert, c.consul.ssl.key,
      c.consul.ssl.caCert, c.consul.ssl.caPath, c.consul.ssl.serverName],
    auth: [c.consul.auth.enabled, c.consul.auth.username],
    transport: Object.values(c.consul.transport).map((v) =>
      typeof v === 'number' && v >= 1000 ? ns(v) : v),
    dedup: [c.dedup.enabled, ns(c.dedup.maxStaleMs), c.dedup.prefix, ns(c.dedup.ttlMs),
      ns(c.dedup.blockQueryWaitMs)],
    exec: [argvOf(c.exec.command), c.exec.enabled, c.exec.env.denylist, c.exec.env.custom,
      c.exec.env.pristine, c.exec.env.allowlist, sig(c.exec.killSignal),
      ns(c.exec.killTimeoutMs), sig(c.exec.reloadSignal), ns(c.exec.splayMs),
      ns(c.exec.timeoutMs)],
    // The reference prints "no signal" as 0.
    top: [sig(c.killSignal) ?? 0, sig(c.reloadSignal) ?? 0, c.logLevel, ns(c.maxStaleMs), c.pidFile,
      ns(c.blockQueryWaitMs), c.errOnFailedLookup, c.once],
    logFile: [c.logFile.path, c.logFile.rotateBytes, ns(c.logFile.rotateDurationMs),
      c.logFile.rotateMaxFiles],
    templates: c.templates.map((t) => [t.backup, argvOf(t.command), ns(t.commandTimeoutMs),
      t.contents ?? '', t.createDestDirs, t.destination, t.errorOnMissingKey, t.errorFatal,
      t.perms ?? 0, t.source ?? '', t.functionDenylist.length, t.sandboxPath,
      t.user ?? null, t.group ?? null]),
  }
}

/** The same values from the reference's final config. */
function fromReference(r: Json): Json {
  const c = r.Consul
  const t = c.Transport
  const e = r.Exec
  return {
    address: c.Address,
    retry: [c.Retry.Enabled, c.Retry.Attempts, c.Retry.Backoff, c.Retry.MaxBackoff],
    ssl: [c.SSL.Enabled, c.SSL.Verify, c.SSL.Cert, c.SSL.Key, c.SSL.CaCert, c.SSL.CaPath,
      c.SSL.ServerName],
    auth: [c.Auth.Enabled, c.Auth.Username],
    transport: [t.DialKeepAlive, t.DialTimeout, t.DisableKeepAlives, t.IdleConnTimeout,
      t.MaxIdleConns, t.MaxIdleConnsPerHost, t.MaxConnsPerHost, t.TLSHandshakeTimeout],
    dedup: [r.Dedup.Enabled, r.Dedup.MaxStale, r.Dedup.Prefix, r.Dedup.TTL,
      r.Dedup.BlockQueryWaitTime],
    exec: [e.Command, e.Enabled, e.Env.Denylist, e.Env.Custom, e.Env.Pristine,
      e.Env.Allowlist, e.KillSignal, e.KillTimeout, e.ReloadSignal, e.Splay, e.Timeout],
    top: [r.KillSignal, r.ReloadSignal, r.LogLevel, r.MaxStale, r.PidFile,
      r.BlockQueryWaitTime, r.ErrOnFailedLookup, r.Once],
    logFile: [r.FileLog.LogFilePath, r.FileLog.LogRotateBytes, r.FileLog.LogRotateDuration,
      r.FileLog.LogRotateMaxFiles],
    // A template's effective command is its exec's (`command` is copied there).
    templates: (r.Templates as Json[]).map((x) => [x.Backup, x.Exec.Command, x.Exec.Timeout,
      x.Contents, x.CreateDestDirs, x.Destination, x.ErrMissingKey, x.ErrFatal, x.Perms,
      x.Source, x.FunctionDenylist.length, x.SandboxPath, x.User ?? x.Uid?.toString() ?? null,
      x.Group ?? x.Gid?.toString() ?? null]),
  }
}

function runReference(args: string[]): Json {
  const out = spawnSync(reference, args, { encoding: 'utf8', timeout: 10_000 })
  const line = `${out.stdout}\n${out.stderr}`.split('\n')
    .find((l) => l.includes('(runner) final config: '))
  if (!line) throw new Error(`no final config from the reference:\n${out.stderr}`)
  return JSON.parse(line.slice(line.indexOf('final config: ') + 14)) as Json
}

const files: { name: string; hcl: string; flags?: string[] }[] = [
  { name: 'defaults', hcl: 'template {\n contents = "x"\n destination = "o"\n}\n' },
  { name: 'consul block', hcl: `consul {
  token = "abc"
  auth { username = "u" password = "p" }
  retry { attempts = 3 backoff = "1s" max_backoff = "0" }
  ssl { verify = false server_name = "s" }
  transport { dial_timeout = "3s" disable_keep_alives = true max_idle_conns_per_host = 7 }
}
template { contents = "x" destination = "o" }
` },
  { name: 'templates', hcl: `template {
  contents = "x"
  destination = "o"
  perms = 0600
  command = "echo hi"
  command_timeout = "90s"
  backup = true
  create_dest_dirs = false
  error_on_missing_key = true
  error_fatal = false
  function_denylist = ["env", "file"]
  sandbox_path = "/srv"
  user = "root"
  gid = 0
}
template {
  contents = "y"
  destination = "p"
  perms = "0640"
  command = ["echo", "a b"]
}
template {
  contents = "z"
  destination = "q"
  command = "echo overridden"
  exec { command = ["echo"] timeout = "7s" }
  command_timeout = "3s"
}
` },
  { name: 'top level, exec, dedup, log file', hcl: `kill_signal = "SIGTERM"
reload_signal = ""
max_stale = "10s"
block_query_wait = "30s"
pid_file = "/tmp/none.pid"
err_on_failed_lookup = true
log_level = "info"
exec {
  command = "true"
  splay = "2s"
  kill_signal = "SIGQUIT"
  kill_timeout = "4s"
  reload_signal = "SIGUSR1"
  env { pristine = true custom = ["A=1"] allowlist = ["X*"] denylist = ["Y*"] }
}
deduplicate { prefix = "p/" ttl = "20s" }
log_file { path = "LOGPATH" log_rotate_bytes = 100 log_rotate_max_files = 2 }
template { contents = "x" destination = "o" }
` },
  { name: 'flags over a file', hcl: 'consul { retry { attempts = 2 } }\n' +
    'template {\n contents = "x"\n destination = "o"\n}\nmax_stale = "9s"\n',
  flags: ['-consul-ssl-server-name', 'x', '-consul-auth', 'u:p', '-consul-retry-attempts',
    '7', '-max-stale', '1s', '-exec-splay', '1s', '-template', 'in:out:echo a:b',
    '-kill-signal', 'SIGTERM', '-consul-transport-dial-timeout', '4s', '-dedup'] },
  { name: 'integer durations and decimal perms', hcl: 'max_stale = 10\n' +
    'template {\n contents = "x"\n destination = "o"\n perms = 600\n' +
    ' command_timeout = 60\n uid = 0\n}\nconsul = "127.0.0.1:1"\n' },
  { name: 'json', hcl: `{"consul": {"retry": {"attempts": 5}},
  "template": [{"contents": "x", "destination": "o", "perms": 384}],
  "max_stale": "1m"}` },
]

for (const f of files) {
  test(`reference parity: ${f.name}`, { skip }, async () => {
    const path = join(dir, `${f.name.replace(/\W+/g, '-')}.hcl`)
    await writeFile(path, f.hcl.replace('LOGPATH', join(dir, 'ct.log')))
    const args = ['-config', path, '-once', '-dry', '-consul-addr', '127.0.0.1:1',
      '-log-level', 'debug', ...(f.flags ?? [])]
    const ours = await configFromArgs(args, {})
    assert.equal(ours.action, 'run')
    if (ours.action !== 'run') return
    assert.deepEqual(fromCtmpl(ours.config), fromReference(runReference(args)))
  })
}

/** Files both programs must refuse (the reference exits non-zero). */
const refused: { name: string; hcl: string }[] = [
  { name: 'unknown key', hcl: 'template {\n contents = "x"\n destination = "o"\n nope = 1\n}' },
  { name: 'unknown consul key', hcl: 'consul { partition = "x" }' },
  { name: 'string for bool', hcl: 'once = "true"' },
  { name: 'bad duration', hcl: 'max_stale = "5x"' },
  { name: 'wait enabled key', hcl: 'wait { enabled = true }' },
  { name: 'source and contents', hcl:
    'template {\n source = "a"\n contents = "x"\n destination = "o"\n}' },
  { name: 'no source', hcl: 'template {\n destination = "o"\n}' },
  { name: 'syntax', hcl: 'template {\n contents = "x"\n' },
  { name: 'wait string min over max', hcl: 'wait = "10s:5s"' },
]

for (const f of refused) {
  test(`reference parity, refused: ${f.name}`, { skip }, async () => {
    const path = join(dir, `bad-${f.name.replace(/\W+/g, '-')}.hcl`)
    await writeFile(path, f.hcl)
    const args = ['-config', path, '-once', '-dry', '-consul-addr', '127.0.0.1:1']
    const out = spawnSync(reference, args, { encoding: 'utf8', timeout: 10_000 })
    assert.notEqual(out.status, 0, `the reference accepted it:\n${out.stderr}`)
    await assert.rejects(configFromArgs(args, {}))
  })
}
