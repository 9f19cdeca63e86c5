/**
 * The daemon's command line: consul-template's flags (same names, same
 * value syntax), turned into a configuration layer that sits above the
 * environment and every `-config` file, then finalized.
 */
import {
  ConfigError, configFromEnv, emptyConfig, finalizeConfig, loadConfigFiles,
  mergeConfig, parseDuration, parseSignal, parseWaitString, splitTemplateFlag,
  toCommand, ValueError,
} from '../config/index.ts'
import type {
  Config, PartialConfig, PartialTemplate, Position,
} from '../config/index.ts'
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

type Kind =
  | 'string' | 'bool' | 'int' | 'duration' | 'signal' | 'signalOrDefault'
  | 'wait' | 'list' | 'auth' | 'command'

/** One flag: how its value is read and which configuration field it sets. */
interface Option {
  kind: Kind
  usage: string
  to?: string // field path in the layer ("consul.retry.attempts")
  key?: string // HCL key path for positions, when not derivable from `to`
}

/** Every flag of consul-template v0.42.1, plus -log-format and -status-file. */
export const options: Record<string, Option> = {
  'config': { kind: 'list', usage: 'Read a configuration file, or every file ' +
    'in a folder. Repeatable; later ones win, flags win over all of them.' },
  'consul-addr': { kind: 'string', to: 'consul.address',
    usage: 'Address of the Consul agent (host:port or URL).' },
  'consul-auth': { kind: 'auth', to: 'consul.auth',
    usage: 'HTTP basic auth for Consul, as username[:password].' },
  'consul-retry': { kind: 'bool', to: 'consul.retry.enabled',
    usage: 'Retry failed Consul requests.' },
  'consul-retry-attempts': { kind: 'int', to: 'consul.retry.attempts',
    usage: 'Retries before giving up (0: no limit).' },
  'consul-retry-backoff': { kind: 'duration', to: 'consul.retry.backoffMs',
    usage: 'First back-off delay; it doubles on each retry.' },
  'consul-retry-max-backoff': { kind: 'duration',
    to: 'consul.retry.maxBackoffMs',
    usage: 'Longest back-off delay (0: unbounded). Default 1m.' },
  'consul-ssl': { kind: 'bool', to: 'consul.ssl.enabled',
    usage: 'Talk to Consul over TLS.' },
  'consul-ssl-ca-cert': { kind: 'string', to: 'consul.ssl.caCert',
    usage: 'CA certificate file to verify Consul with.' },
  'consul-ssl-ca-path': { kind: 'string', to: 'consul.ssl.caPath',
    usage: 'Folder of CA certificates to verify Consul with.' },
  'consul-ssl-cert': { kind: 'string', to: 'consul.ssl.cert',
    usage: 'Client certificate presented to Consul.' },
  'consul-ssl-key': { kind: 'string', to: 'consul.ssl.key',
    usage: 'Private key of the client certificate.' },
  'consul-ssl-server-name': { kind: 'string', to: 'consul.ssl.serverName',
    usage: 'Server name (SNI) expected on Consul\'s certificate.' },
  'consul-ssl-verify': { kind: 'bool', to: 'consul.ssl.verify',
    usage: 'Verify Consul\'s certificate.' },
  'consul-token': { kind: 'string', to: 'consul.token',
    usage: 'ACL token for Consul.' },
  'consul-token-file': { kind: 'string', to: 'consul.tokenFile',
    usage: 'File holding the ACL token for Consul.' },
  'consul-transport-dial-keep-alive': { kind: 'duration',
    to: 'consul.transport.dialKeepAliveMs', usage: 'TCP keep-alive period.' },
  'consul-transport-dial-timeout': { kind: 'duration',
    to: 'consul.transport.dialTimeoutMs',
    usage: 'Time allowed to open a connection.' },
  'consul-transport-disable-keep-alives': { kind: 'bool',
    to: 'consul.transport.disableKeepAlives',
    usage: 'Open a new connection for every request (slow).' },
  'consul-transport-max-idle-conns-per-host': { kind: 'int',
    to: 'consul.transport.maxIdleConnsPerHost',
    usage: 'Idle connections kept per host.' },
  'consul-transport-tls-handshake-timeout': { kind: 'duration',
    to: 'consul.transport.tlsHandshakeTimeoutMs',
    usage: 'Time allowed for the TLS handshake.' },
  'dedup': { kind: 'bool', to: 'dedup.enabled', key: 'deduplicate.enabled',
    usage: 'De-duplication mode: one instance renders, the others read its ' +
      'result from Consul KV.' },
  'default-left-delimiter': { kind: 'string', to: 'defaultDelimiters.left',
    usage: 'Left delimiter for templates that set none.' },
  'default-right-delimiter': { kind: 'string', to: 'defaultDelimiters.right',
    usage: 'Right delimiter for templates that set none.' },
  'dry': { kind: 'bool',
    usage: 'Print rendered templates on stdout instead of writing them.' },
  'exec': { kind: 'command', to: 'exec.command',
    usage: 'Run this command as a supervised child once every template has ' +
      'rendered; it gets the signals ctmpl receives and a reload signal ' +
      'on change.' },
  'exec-kill-signal': { kind: 'signalOrDefault', to: 'exec.killSignal',
    usage: 'Signal that asks the child to stop.' },
  'exec-kill-timeout': { kind: 'duration', to: 'exec.killTimeoutMs',
    usage: 'Wait this long for the child to stop before killing it.' },
  'exec-reload-signal': { kind: 'signal', to: 'exec.reloadSignal',
    usage: 'Signal sent to the child when a template changes ' +
      '(empty: restart it).' },
  'exec-splay': { kind: 'duration', to: 'exec.splayMs',
    usage: 'Random delay, up to this, before signalling the child.' },
  'exec-env-pristine': { kind: 'bool', to: 'exec.env.pristine',
    usage: 'Give the child only the custom environment.' },
  'exec-env-custom': { kind: 'list', to: 'exec.env.custom',
    usage: 'NAME=value added to the child\'s environment. Repeatable.' },
  'exec-env-allowlist': { kind: 'list', to: 'exec.env.allowlist',
    usage: 'Only pass variables matching this pattern (wildcards ' +
      'allowed). Repeatable.' },
  'exec-env-denylist': { kind: 'list', to: 'exec.env.denylist',
    usage: 'Never pass variables matching this pattern; beats the ' +
      'allowlist. Repeatable.' },
  'kill-signal': { kind: 'signal', to: 'killSignal',
    usage: 'Signal that stops ctmpl gracefully (empty: none).' },
  'log-level': { kind: 'string', to: 'logLevel',
    usage: 'Log level: trace, debug, info, warn or err.' },
  'log-format': { kind: 'string', to: 'logFormat',
    usage: 'Log line format: text (the default) or json.' },
  'log-file': { kind: 'string', to: 'logFile.path',
    usage: 'Also write logs to this file.' },
  'log-rotate-bytes': { kind: 'int', to: 'logFile.rotateBytes',
    key: 'log_file.log_rotate_bytes',
    usage: 'Rotate the log file at this size.' },
  'log-rotate-duration': { kind: 'duration', to: 'logFile.rotateDurationMs',
    key: 'log_file.log_rotate_duration',
    usage: 'Rotate the log file this often.' },
  'log-rotate-max-files': { kind: 'int', to: 'logFile.rotateMaxFiles',
    key: 'log_file.log_rotate_max_files', usage: 'Rotated log files to keep.' },
  'max-stale': { kind: 'duration', to: 'maxStaleMs',
    usage: 'Accept data this stale from any Consul server, not only ' +
      'the leader.' },
  'once': { kind: 'bool', to: 'once',
    usage: 'Render every template once, then exit; no quiescence.' },
  'parse-only': { kind: 'bool', usage: 'Parse the templates, render nothing.' },
  'pid-file': { kind: 'string', to: 'pidFile',
    usage: 'Write ctmpl\'s process id to this file.' },
  'reload-signal': { kind: 'signal', to: 'reloadSignal',
    usage: 'Signal that reloads configuration and templates (empty: none).' },
  'retry': { kind: 'duration', to: 'consul.retry.backoffMs',
    usage: 'Older name for -consul-retry-backoff.' },
  'status-file': { kind: 'string', to: 'statusFile', usage: 'Keep each ' +
    'template\'s last render, check, verify and command in this JSON file.' },
  'syslog': { kind: 'bool', to: 'syslog.enabled',
    usage: 'Log to syslog, not stderr.' },
  'syslog-facility': { kind: 'string', to: 'syslog.facility',
    usage: 'Syslog facility (default LOCAL0).' },
  'syslog-name': { kind: 'string', to: 'syslog.name',
    usage: 'Program name shown in syslog.' },
  'template': { kind: 'list',
    usage: 'A template as in:out[:command]. Repeatable.' },
  'template-error-fatal': { kind: 'bool', to: 'templateErrorFatal',
    usage: 'Exit on a template error (overrides each template\'s ' +
      'error_fatal).' },
  'wait': { kind: 'wait', to: 'wait', usage: 'Quiescence as min[:max] (max ' +
    'defaults to 4 × min): let changes settle before rendering.' },
  'v': { kind: 'bool', usage: 'Print the version.' },
  'version': { kind: 'bool', usage: 'Print the version.' },
  ...vaultFlags(),
}

/**
 * Vault flags are read (their values checked as the reference would) and
 * then only reported as unsupported: the configuration names no vault.
 */
function vaultFlags(): Record<string, Option> {
  const kinds: Record<string, Kind> = {
    'addr': 'string', 'agent-token-file': 'string', 'client-user-agent': 'string',
    'default-lease-duration': 'duration', 'renew-token': 'bool', 'retry': 'bool',
    'retry-attempts': 'int', 'retry-backoff': 'duration',
    'retry-max-backoff': 'duration', 'ssl': 'bool', 'ssl-ca-cert': 'string',
    'ssl-ca-path': 'string', 'ssl-cert': 'string', 'ssl-key': 'string',
    'ssl-server-name': 'string', 'ssl-verify': 'bool', 'token': 'string',
    'transport-dial-keep-alive': 'duration', 'transport-dial-timeout': 'duration',
    'transport-disable-keep-alives': 'bool', 'transport-max-conns-per-host': 'int',
    'transport-max-idle-conns-per-host': 'int',
    'transport-tls-handshake-timeout': 'duration', 'unwrap-token': 'bool',
  }
  const out: Record<string, Option> = {}
  for (const [name, kind] of Object.entries(kinds)) {
    out[`vault-${name}`] = { kind,
    usage: 'Vault: accepted, not supported yet.' }
  }
  return out
}

/** The HCL key path of a layer field: consul.retry.maxBackoffMs → max_backoff. */
function hclKey(to: string): string {
  return to.split('.').map((part) =>
    part.replace(/Ms$/, '').replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())).join('.')
}

/** The flag definitions in the form the Go-style parser takes. */
export function flagDefs(): Record<string, FlagDef> {
  // No prototype: "-constructor" must be an undefined flag, not a lookup hit.
  const defs: Record<string, FlagDef> = Object.create(null) as Record<string, FlagDef>
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
    const value = JSON.stringify(raw)
    throw new UsageError(`invalid value ${value} for flag -${name}: ${why}`)
  }
  try {
    switch (kind) {
      case 'bool': return raw === 'true'
      case 'int': return parseGoInt(raw) ?? bad('parse error: not an integer')
      case 'duration': return parseDuration(raw)
      case 'signal': case 'signalOrDefault': return parseSignal(raw)
      case 'command': return toCommand(raw)
      case 'auth': {
        const i = raw.indexOf(':')
        return { enabled: true, username: i < 0 ? raw : raw.slice(0, i),
          password: i < 0 ? '' : raw.slice(i + 1) }
      }
      case 'wait': {
        const w = parseWaitString(raw)
        if ((w.minMs ?? 0) > (w.maxMs ?? 0)) {
          return bad('wait: min must be less than max')
        }
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

const flagAt = (name: string): Position =>
  ({ file: `<flag -${name}>`, line: 0, column: 0 })

/** Sets a dotted field path in a layer, creating the blocks on the way. */
function setField(layer: PartialConfig, to: string, value: unknown): void {
  const parts = to.split('.')
  let cur = layer as unknown as Record<string, unknown>
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {}
    cur = cur[part] as Record<string, unknown>
  }
  cur[parts[parts.length - 1]!] = value
}

/** Builds the configuration layer the flags describe. */
export function configFromFlags(values: Map<string, string>,
  lists: Map<string, string[]>): PartialConfig {
  const positions: Record<string, Position> = {}
  const layer: PartialConfig = { positions }
  for (const [name, raw] of values) {
    const o = Object.hasOwn(options, name) ? options[name] : undefined
    if (!o) continue
    const value = o.kind === 'list' ? lists.get(name) : convert(name, o.kind, raw)
    if (name.startsWith('vault-')) {
      layer.unsupported = [{ name: 'vault', at: flagAt(name) }]
      continue
    }
    // An empty -exec-kill-signal keeps the default rather than "none".
    if (o.to === undefined) continue
    if (o.kind === 'signalOrDefault' && value === null) continue
    positions[o.key ?? hclKey(o.to)] = flagAt(name)
    setField(layer, o.to, value)
  }
  const templates: PartialTemplate[] = []
  for (const spec of lists.get('template') ?? []) {
    let parts
    try {
      parts = splitTemplateFlag(spec)
    } catch (err) {
      if (!(err instanceof ValueError)) throw err
      throw new UsageError(`invalid value ${JSON.stringify(spec)} for flag -template: ` +
        err.message)
    }
    templates.push({
      source: parts.source,
      destination: parts.destination,
      command: parts.command === undefined ? undefined : toCommand(parts.command),
      origin: flagAt('template'),
      pos: {},
    })
  }
  if (templates.length > 0) layer.templates = templates
  return layer
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
  if (rest.length > 0) {
    throw new UsageError(`cli: extra args: ${JSON.stringify(rest)}`)
  }

  const flags = configFromFlags(values, lists)
  const configPaths = lists.get('config') ?? []
  const files = configPaths.length > 0
    ? await loadConfigFiles(configPaths) : emptyConfig()
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
