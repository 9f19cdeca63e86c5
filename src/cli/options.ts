/**
 * The daemon's command line: consul-template's flags (same names, same
 * value syntax), turned into a configuration layer that sits above the
 * environment and every `-config` file, then finalized.
 */
import {
  ConfigError, configFromEnv, emptyConfig, finalizeConfig, loadConfigFiles, mergeConfig,
  parseDuration, parseSignal, parseWaitString, splitTemplateFlag, toCommand, ValueError,
} from '../config/index.ts'
import type { Config, PartialConfig, PartialTemplate, Position } from '../config/index.ts'
import { FlagError, parseFlags, usageText, type FlagDef } from './flags.ts'

/** What the command line asks for. */
export type ArgsResult =
  | { action: 'help' }
  | { action: 'version' }
  | {
    action: 'run'
    config: Config
    once: boolean // -once or `once = true`
    dry: boolean // -dry: print renders instead of writing
    parseOnly: boolean // -parse-only: parse templates, render nothing
    configPaths: string[] // every -config, in order
  }

/** A bad flag or flag value; the daemon exits with the reference's 13. */
export class UsageError extends FlagError {
  override name = 'UsageError'
  readonly exitCode = 13
}

type Kind = 'string' | 'bool' | 'int' | 'duration' | 'signal' | 'wait' | 'list'

/** One flag: how to read it and where its value goes in the layer. */
interface Option {
  kind: Kind
  usage: string
  set?: (l: Builder, v: never) => void
  key?: string // position key (HCL path) recorded for the value
}

/** The flags layer being built, with the helpers setters use. */
interface Builder {
  layer: PartialConfig
  consul: NonNullable<PartialConfig['consul']>
  exec: NonNullable<PartialConfig['exec']>
}

const str = (usage: string, key: string, set: (l: Builder, v: string) => void): Option =>
  ({ kind: 'string', usage, key, set })
const bool = (usage: string, key: string, set: (l: Builder, v: boolean) => void): Option =>
  ({ kind: 'bool', usage, key, set })
const int = (usage: string, key: string, set: (l: Builder, v: number) => void): Option =>
  ({ kind: 'int', usage, key, set })
const dur = (usage: string, key: string, set: (l: Builder, v: number) => void): Option =>
  ({ kind: 'duration', usage, key, set })
const sig = (usage: string, key: string,
  set: (l: Builder, v: NodeJS.Signals | null) => void): Option =>
  ({ kind: 'signal', usage, key, set })

/** Vault flags are read (and their values checked) but not acted upon. */
const vault = (kind: Kind, usage: string): Option => ({ kind, usage: `${usage} (not supported yet)` })

const retry = (l: Builder) => (l.consul.retry ??= {})
const ssl = (l: Builder) => (l.consul.ssl ??= {})
const transport = (l: Builder) => (l.consul.transport ??= {})
const env = (l: Builder) => (l.exec.env ??= {})
const logFile = (l: Builder) => (l.layer.logFile ??= {})

/** Every flag of consul-template v0.42.1, plus ctmpl's -log-format and -status-file. */
export const options: Record<string, Option> = {
  'config': { kind: 'list', usage: 'Read a configuration file, or every file in a folder. ' +
    'Repeatable; later ones win, flags win over all of them.' },
  'consul-addr': str('Address of the Consul agent (host:port or URL).', 'consul.address',
    (l, v) => { l.consul.address = v }),
  'consul-auth': str('HTTP basic auth for Consul, as username[:password].', 'consul.auth',
    (l, v) => {
      const i = v.indexOf(':')
      l.consul.auth = { enabled: true, username: i < 0 ? v : v.slice(0, i),
        password: i < 0 ? '' : v.slice(i + 1) }
    }),
  'consul-retry': bool('Retry failed Consul requests.', 'consul.retry.enabled',
    (l, v) => { retry(l).enabled = v }),
  'consul-retry-attempts': int('Retries before giving up (0: no limit).',
    'consul.retry.attempts', (l, v) => { retry(l).attempts = v }),
  'consul-retry-backoff': dur('First back-off delay; it doubles on each retry.',
    'consul.retry.backoff', (l, v) => { retry(l).backoffMs = v }),
  'consul-retry-max-backoff': dur('Longest back-off delay (0: unbounded). Default 1m.',
    'consul.retry.max_backoff', (l, v) => { retry(l).maxBackoffMs = v }),
  'consul-ssl': bool('Talk to Consul over TLS.', 'consul.ssl.enabled',
    (l, v) => { ssl(l).enabled = v }),
  'consul-ssl-ca-cert': str('CA certificate file to verify Consul with.',
    'consul.ssl.ca_cert', (l, v) => { ssl(l).caCert = v }),
  'consul-ssl-ca-path': str('Folder of CA certificates to verify Consul with.',
    'consul.ssl.ca_path', (l, v) => { ssl(l).caPath = v }),
  'consul-ssl-cert': str('Client certificate presented to Consul.', 'consul.ssl.cert',
    (l, v) => { ssl(l).cert = v }),
  'consul-ssl-key': str('Private key of the client certificate.', 'consul.ssl.key',
    (l, v) => { ssl(l).key = v }),
  'consul-ssl-server-name': str('Server name (SNI) expected on Consul\'s certificate.',
    'consul.ssl.server_name', (l, v) => { ssl(l).serverName = v }),
  'consul-ssl-verify': bool('Verify Consul\'s certificate.', 'consul.ssl.verify',
    (l, v) => { ssl(l).verify = v }),
  'consul-token': str('ACL token for Consul.', 'consul.token', (l, v) => { l.consul.token = v }),
  'consul-token-file': str('File holding the ACL token for Consul.', 'consul.token_file',
    (l, v) => { l.consul.tokenFile = v }),
  'consul-transport-dial-keep-alive': dur('TCP keep-alive period.',
    'consul.transport.dial_keep_alive', (l, v) => { transport(l).dialKeepAliveMs = v }),
  'consul-transport-dial-timeout': dur('Time allowed to open a connection.',
    'consul.transport.dial_timeout', (l, v) => { transport(l).dialTimeoutMs = v }),
  'consul-transport-disable-keep-alives': bool('Open a new connection per request (slow).',
    'consul.transport.disable_keep_alives', (l, v) => { transport(l).disableKeepAlives = v }),
  'consul-transport-max-idle-conns-per-host': int('Idle connections kept per host.',
    'consul.transport.max_idle_conns_per_host',
    (l, v) => { transport(l).maxIdleConnsPerHost = v }),
  'consul-transport-tls-handshake-timeout': dur('Time allowed for the TLS handshake.',
    'consul.transport.tls_handshake_timeout',
    (l, v) => { transport(l).tlsHandshakeTimeoutMs = v }),
  'dedup': bool('De-duplication mode: one instance renders, the others read its result ' +
    'from Consul KV.', 'deduplicate.enabled',
  (l, v) => { (l.layer.dedup ??= {}).enabled = v }),
  'default-left-delimiter': str('Left delimiter for templates that set none.',
    'default_delimiters.left', (l, v) => { (l.layer.defaultDelimiters ??= {}).left = v }),
  'default-right-delimiter': str('Right delimiter for templates that set none.',
    'default_delimiters.right', (l, v) => { (l.layer.defaultDelimiters ??= {}).right = v }),
  'dry': { kind: 'bool', usage: 'Print rendered templates on stdout instead of writing them.' },
  'exec': str('Run this command as a supervised child once every template has rendered; ' +
    'it gets the signals ctmpl receives and a reload signal on change.', 'exec.command',
  (l, v) => { l.exec.command = toCommand(v) }),
  'exec-kill-signal': sig('Signal that asks the child to stop.', 'exec.kill_signal',
    (l, v) => { if (v !== null) l.exec.killSignal = v }),
  'exec-kill-timeout': dur('Wait this long for the child to stop before killing it.',
    'exec.kill_timeout', (l, v) => { l.exec.killTimeoutMs = v }),
  'exec-reload-signal': sig('Signal sent to the child when a template changes ' +
    '(empty: restart it).', 'exec.reload_signal', (l, v) => { l.exec.reloadSignal = v }),
  'exec-splay': dur('Random delay, up to this, before signalling the child.', 'exec.splay',
    (l, v) => { l.exec.splayMs = v }),
  'exec-env-pristine': bool('Give the child only the custom environment.',
    'exec.env.pristine', (l, v) => { env(l).pristine = v }),
  'exec-env-custom': { kind: 'list', key: 'exec.env.custom',
    usage: 'NAME=value added to the child\'s environment. Repeatable.' },
  'exec-env-allowlist': { kind: 'list', key: 'exec.env.allowlist',
    usage: 'Only pass variables matching this pattern (wildcards allowed). Repeatable.' },
  'exec-env-denylist': { kind: 'list', key: 'exec.env.denylist',
    usage: 'Never pass variables matching this pattern; beats the allowlist. Repeatable.' },
  'kill-signal': sig('Signal that stops ctmpl gracefully.', 'kill_signal',
    (l, v) => { l.layer.killSignal = v }),
  'log-level': str('Log level: trace, debug, info, warn or err.', 'log_level',
    (l, v) => { l.layer.logLevel = v }),
  'log-format': str('Log line format: text (the default) or json.', 'log_format',
    (l, v) => { l.layer.logFormat = v }),
  'log-file': str('Also write logs to this file.', 'log_file.path',
    (l, v) => { logFile(l).path = v }),
  'log-rotate-bytes': int('Rotate the log file at this size.', 'log_file.log_rotate_bytes',
    (l, v) => { logFile(l).rotateBytes = v }),
  'log-rotate-duration': dur('Rotate the log file this often.',
    'log_file.log_rotate_duration', (l, v) => { logFile(l).rotateDurationMs = v }),
  'log-rotate-max-files': int('Rotated log files to keep.', 'log_file.log_rotate_max_files',
    (l, v) => { logFile(l).rotateMaxFiles = v }),
  'max-stale': dur('Accept data this stale from any Consul server, not only the leader.',
    'max_stale', (l, v) => { l.layer.maxStaleMs = v }),
  'once': bool('Render every template once, then exit; no quiescence.', 'once',
    (l, v) => { l.layer.once = v }),
  'parse-only': { kind: 'bool', usage: 'Parse the templates, render nothing.' },
  'pid-file': str('Write ctmpl\'s process id to this file.', 'pid_file',
    (l, v) => { l.layer.pidFile = v }),
  'reload-signal': sig('Signal that reloads configuration and templates.', 'reload_signal',
    (l, v) => { l.layer.reloadSignal = v }),
  'retry': dur('Older name for -consul-retry-backoff.', 'consul.retry.backoff',
    (l, v) => { retry(l).backoffMs = v }),
  'status-file': str('Keep each template\'s last render, check, verify and command ' +
    'in this JSON file.', 'status_file', (l, v) => { l.layer.statusFile = v }),
  'syslog': bool('Log to syslog instead of stderr.', 'syslog.enabled',
    (l, v) => { (l.layer.syslog ??= {}).enabled = v }),
  'syslog-facility': str('Syslog facility (default LOCAL0).', 'syslog.facility',
    (l, v) => { (l.layer.syslog ??= {}).facility = v }),
  'syslog-name': str('Program name shown in syslog.', 'syslog.name',
    (l, v) => { (l.layer.syslog ??= {}).name = v }),
  'template': { kind: 'list', usage: 'A template as in:out[:command]. Repeatable.' },
  'template-error-fatal': bool('Exit on a template error (overrides each template\'s ' +
    'error_fatal).', 'template_error_fatal',
  (l, v) => { l.layer.templateErrorFatal = v }),
  'wait': { kind: 'wait', key: 'wait', usage: 'Quiescence as min[:max] (max defaults to ' +
    '4 × min): wait for changes to settle before rendering.' },
  'v': { kind: 'bool', usage: 'Print the version.' },
  'version': { kind: 'bool', usage: 'Print the version.' },
  'vault-addr': vault('string', 'Vault address'),
  'vault-agent-token-file': vault('string', 'File with a Vault token'),
  'vault-client-user-agent': vault('string', 'User agent for Vault requests'),
  'vault-default-lease-duration': vault('duration', 'Lease for secrets without one'),
  'vault-renew-token': vault('bool', 'Renew the Vault token'),
  'vault-retry': vault('bool', 'Retry failed Vault requests'),
  'vault-retry-attempts': vault('int', 'Vault retries'),
  'vault-retry-backoff': vault('duration', 'First Vault back-off delay'),
  'vault-retry-max-backoff': vault('duration', 'Longest Vault back-off delay'),
  'vault-ssl': vault('bool', 'Talk to Vault over TLS'),
  'vault-ssl-ca-cert': vault('string', 'CA certificate for Vault'),
  'vault-ssl-ca-path': vault('string', 'CA folder for Vault'),
  'vault-ssl-cert': vault('string', 'Client certificate for Vault'),
  'vault-ssl-key': vault('string', 'Client key for Vault'),
  'vault-ssl-server-name': vault('string', 'Vault server name (SNI)'),
  'vault-ssl-verify': vault('bool', 'Verify Vault\'s certificate'),
  'vault-token': vault('string', 'Vault token'),
  'vault-transport-dial-keep-alive': vault('duration', 'Vault keep-alive period'),
  'vault-transport-dial-timeout': vault('duration', 'Vault connect timeout'),
  'vault-transport-disable-keep-alives': vault('bool', 'No keep-alives towards Vault'),
  'vault-transport-max-conns-per-host': vault('int', 'Vault connections per host'),
  'vault-transport-max-idle-conns-per-host': vault('int', 'Idle Vault connections per host'),
  'vault-transport-tls-handshake-timeout': vault('duration', 'Vault TLS handshake timeout'),
  'vault-unwrap-token': vault('bool', 'Unwrap the Vault token'),
}

/** The flag definitions in the form the Go-style parser takes. */
export function flagDefs(): Record<string, FlagDef> {
  const defs: Record<string, FlagDef> = {}
  for (const [name, o] of Object.entries(options)) {
    defs[name] = { kind: o.kind === 'bool' ? 'bool' : o.kind === 'list' ? 'list' : 'string',
      usage: o.usage }
  }
  return defs
}

/** The text `-h` prints. */
export function usage(): string {
  return 'Usage: ctmpl [options]\n\n' +
    '  Renders templates from Consul data and keeps them current, running a\n' +
    '  command (or signalling a child) when one changes. Runs until interrupted,\n' +
    '  unless -once is given. Flags, files and behaviour follow consul-template.\n' +
    '  Other commands: ctmpl dev (development agent), ctmpl doctor (review).\n\n' +
    'Options:\n\n' + usageText(flagDefs())
}

/** Converts one flag value; errors are worded like Go's flag package. */
function convert(name: string, kind: Kind, raw: string): unknown {
  const bad = (why: string): never => {
    throw new UsageError(`invalid value ${JSON.stringify(raw)} for flag -${name}: ${why}`)
  }
  try {
    switch (kind) {
      case 'bool': return raw === 'true'
      case 'int': return parseGoInt(raw) ?? bad('parse error: not an integer')
      case 'duration': return parseDuration(raw)
      case 'signal': return parseSignal(raw)
      case 'wait': {
        const w = parseWaitString(raw)
        if ((w.minMs ?? 0) > (w.maxMs ?? 0)) return bad('wait: min must be less than max')
        return w
      }
      default: return raw
    }
  } catch (err) {
    if (err instanceof ValueError) return bad(err.message)
    throw err
  }
}

/** Reads an integer as Go's strconv.ParseInt(s, 0, 64): 0x, 0o, 0b, 0NNN. */
function parseGoInt(raw: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/
    .exec(raw.replace(/_/g, ''))
  if (!m) return undefined
  const body = m[2]!
  let n: number
  if (/^0[xXbBoO]/.test(body)) n = Number(body.toLowerCase())
  else if (body.length > 1 && body.startsWith('0')) n = parseInt(body.slice(1), 8)
  else n = parseInt(body, 10)
  return m[1] === '-' ? -n : n
}

const flagAt = (name: string): Position => ({ file: `<flag -${name}>`, line: 0, column: 0 })

/** Builds the configuration layer the flags describe. */
export function configFromFlags(values: Map<string, string>,
  lists: Map<string, string[]>): PartialConfig {
  const positions: Record<string, Position> = {}
  const b: Builder = { layer: { positions }, consul: {}, exec: {} }
  for (const [name, raw] of values) {
    const o = options[name]
    if (!o) continue
    const value = convert(name, o.kind, raw)
    if (name.startsWith('vault-')) {
      b.layer.unsupported = [{ name: 'vault', at: flagAt(name) }]
      continue
    }
    if (o.key) positions[o.key] = flagAt(name)
    if (o.set) (o.set as (l: Builder, v: unknown) => void)(b, value)
  }
  if (values.has('wait')) b.layer.wait = convert('wait', 'wait', values.get('wait')!) as object
  for (const [flag, field] of [['exec-env-custom', 'custom'], ['exec-env-allowlist',
    'allowlist'], ['exec-env-denylist', 'denylist']] as const) {
    const list = lists.get(flag)
    if (list) env(b)[field] = [...list]
  }
  const templates: PartialTemplate[] = []
  for (const spec of lists.get('template') ?? []) {
    let parts
    try {
      parts = splitTemplateFlag(spec)
    } catch (err) {
      if (err instanceof ValueError) {
        throw new UsageError(`invalid value ${JSON.stringify(spec)} for flag -template: ` +
          err.message)
      }
      throw err
    }
    templates.push({
      source: parts.source,
      destination: parts.destination,
      command: parts.command === undefined ? undefined : toCommand(parts.command),
      origin: flagAt('template'),
      pos: {},
    })
  }
  if (templates.length > 0) b.layer.templates = templates
  if (Object.keys(b.consul).length > 0) b.layer.consul = b.consul
  if (Object.keys(b.exec).length > 0) b.layer.exec = b.exec
  return b.layer
}

/**
 * Parses the daemon's arguments, loads every -config over the environment,
 * puts the flags on top and finalizes. Throws UsageError for bad flags and
 * ConfigError for a bad configuration; never exits the process.
 */
export async function configFromArgs(argv: string[],
  env: NodeJS.ProcessEnv): Promise<ArgsResult> {
  let parsed
  try {
    parsed = parseFlags(argv, flagDefs())
  } catch (err) {
    if (err instanceof FlagError && err.message === 'help') return { action: 'help' }
    if (err instanceof FlagError) throw new UsageError(err.message, { cause: err })
    throw err
  }
  const { values, lists, rest } = parsed
  if (values.get('v') === 'true' || values.get('version') === 'true') {
    return { action: 'version' }
  }
  if (rest.length > 0) throw new UsageError(`cli: extra args: ${JSON.stringify(rest)}`)

  const flags = configFromFlags(values, lists)
  const configPaths = lists.get('config') ?? []
  const files = configPaths.length > 0 ? await loadConfigFiles(configPaths) : emptyConfig()
  const merged = mergeConfig(mergeConfig(configFromEnv(env), files), flags)
  const dry = values.get('dry') === 'true'
  const config = finalizeConfig(merged, { dry })
  return {
    action: 'run',
    config,
    once: config.once,
    dry,
    parseOnly: values.get('parse-only') === 'true',
    configPaths,
  }
}

export { ConfigError }
