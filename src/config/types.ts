/**
 * The shapes of ctmpl's configuration. `Config` is what the rest of ctmpl
 * sees: produced by `finalizeConfig`, every field defined (a value that is
 * legitimately absent, such as `perms`, is `undefined` by design), every
 * duration in milliseconds with an `Ms` suffix, every signal a Node signal
 * name. `PartialConfig` is one layer (a file, the environment, the flags)
 * before merging: `undefined` there means "not set in this layer".
 */

/** Where a value came from: a file position, or a flag / env pseudo-file. */
export interface Position {
  file: string // path as given, or "<flags>" / "<env>"
  line: number // 1-based
  column: number // 1-based
}

/** Key path (relative to the block, e.g. "wait.min") → where it was set. */
export type Positions = Readonly<Record<string, Position>>

/** A signal name Node understands ("SIGHUP"), as consul-template names them. */
export type SignalName = NodeJS.Signals

/**
 * A command: a string runs under `sh -c` (`shell`), a list runs directly
 * (`argv`). Exactly one of the two is set.
 */
export type CommandSpec =
  | { shell: string; argv?: undefined }
  | { argv: string[]; shell?: undefined }

/** consul-template's log levels, lower-cased. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'err'

/** Quiescence timers; both 0 means disabled. */
export interface WaitConfig {
  minMs: number
  maxMs: number
}

/** `consul { auth {} }`: HTTP basic authentication. */
export interface AuthConfig {
  enabled: boolean // true when a username was given, unless disabled
  username: string
  password: string
}

/** `ssl {}`: TLS towards Consul. */
export interface SslConfig {
  enabled: boolean // any other ssl key enables it, unless disabled
  verify: boolean // default true
  cert: string
  key: string
  caCert: string
  caPath: string
  serverName: string
}

/** `retry {}`: exponential back-off on Consul errors. */
export interface RetryConfig {
  enabled: boolean // default true
  attempts: number // default 12; 0 = unlimited
  backoffMs: number // default 250
  maxBackoffMs: number // default 60_000; 0 = no upper limit
}

/** `transport {}`: HTTP connection tuning. */
export interface TransportConfig {
  dialKeepAliveMs: number // default 30_000
  dialTimeoutMs: number // default 30_000
  disableKeepAlives: boolean // default false
  idleConnTimeoutMs: number // default 5_000
  maxIdleConns: number // default 0 (no limit)
  maxIdleConnsPerHost: number // default 100
  maxConnsPerHost: number // default 0 (no limit)
  tlsHandshakeTimeoutMs: number // default 10_000
}

/** `consul {}`: how to reach Consul. */
export interface ConsulConfig {
  address: string // "host:port" or a URL; default "127.0.0.1:8500"
  namespace: string
  token: string // '' when none; may be read from tokenFile by the client
  tokenFile: string
  auth: AuthConfig
  ssl: SslConfig
  retry: RetryConfig
  transport: TransportConfig
}

/** Environment handed to a child: `exec { env {} }`. */
export interface ExecEnvConfig {
  pristine: boolean
  custom: string[] // "NAME=value"
  allowlist: string[] // glob patterns; empty = allow all
  denylist: string[] // glob patterns; win over the allowlist
}

/** Top-level `exec {}`: supervise one child process. */
export interface ExecConfig {
  enabled: boolean // true when a command was given, unless disabled
  command: CommandSpec | undefined
  splayMs: number // default 0
  reloadSignal: SignalName | null // default null: restart the child
  killSignal: SignalName // default SIGINT
  killTimeoutMs: number // default 30_000
  timeoutMs: number // default 0: no limit
  env: ExecEnvConfig
}

/** ctmpl's `template { check {} }`: validate the staged file first. */
export interface CheckConfig {
  command: CommandSpec
  timeoutMs: number // default 30_000
}

/** ctmpl's `template { verify {} }`: prove the consumer sees the bytes. */
export interface VerifyConfig {
  pidFile: string | undefined // exactly one of pidFile and pid is set
  pid: number | undefined
  rollback: boolean // default false: restore the old file on failure
}

/** One `template {}` block or `-template` flag. */
export interface TemplateConfig {
  source: string | undefined // exactly one of source and contents is set
  contents: string | undefined
  destination: string // '' only when the runner is dry
  createDestDirs: boolean // default true
  command: CommandSpec | undefined // `exec { command }` wins over `command`
  commandTimeoutMs: number // default 30_000; 0 = run in background
  commandEnv: ExecEnvConfig // `exec { env {} }` inside the template
  perms: number | undefined // undefined: keep the existing file's, or 0644
  user: string | undefined // name or numeric id; `uid` lands here
  group: string | undefined // name or numeric id; `gid` lands here
  backup: boolean // default false
  leftDelimiter: string // default from default_delimiters, else "{{"
  rightDelimiter: string // default from default_delimiters, else "}}"
  errorOnMissingKey: boolean // default false
  errorFatal: boolean // template_error_fatal overrides; default true
  wait: WaitConfig // the template's own, else the global one (-once: ignore)
  functionDenylist: string[] // function_denylist + function_blacklist
  sandboxPath: string // '' when none
  check: CheckConfig | undefined
  verify: VerifyConfig | undefined
  origin: Position | undefined // where the block (or flag) was
  pos: Positions // key path inside the block → position
}

/** `deduplicate {}`. */
export interface DedupConfig {
  enabled: boolean // any other key enables it, unless disabled
  prefix: string // default "consul-template/dedup/"
  ttlMs: number // default 15_000
  maxStaleMs: number // default 2_000
  blockQueryWaitMs: number // default 60_000
}

/** `syslog {}`. */
export interface SyslogConfig {
  enabled: boolean // any other key enables it, unless disabled
  facility: string // default "LOCAL0"
  name: string // default "consul-template"
}

/** `log_file {}`. */
export interface LogFileConfig {
  path: string // '' when none
  rotateBytes: number // default 0: no size limit
  rotateDurationMs: number // default 86_400_000 (24h)
  rotateMaxFiles: number // default 0: keep all
}

/** A block ctmpl parses but does not act on yet (`vault {}`, `nomad {}`). */
export interface UnsupportedBlock {
  name: 'vault' | 'nomad'
  at: Position
}

/** The finalized configuration the daemon runs with. */
export interface Config {
  consul: ConsulConfig
  templates: TemplateConfig[]
  wait: WaitConfig // global quiescence; default disabled
  exec: ExecConfig
  dedup: DedupConfig
  syslog: SyslogConfig
  logFile: LogFileConfig
  logLevel: LogLevel // default "warn"
  logFormat: 'text' | 'json' // ctmpl; default "text"
  pidFile: string // '' when none
  statusFile: string // ctmpl; '' when none
  reloadSignal: SignalName | null // default SIGHUP; null = do not listen
  killSignal: SignalName | null // default SIGINT; null = do not listen
  maxStaleMs: number // default 2_000
  blockQueryWaitMs: number // default 60_000
  once: boolean
  templateErrorFatal: boolean // default true; already applied to templates
  errOnFailedLookup: boolean // default false
  unsupported: UnsupportedBlock[] // vault/nomad blocks or flags seen
  positions: Positions // top-level key path (e.g. "consul.address") → where
}

// ---- partial layers ------------------------------------------------------

/** Makes every field optional, recursively for plain blocks. */
type Layer<T> = { [K in keyof T]?: T[K] extends object
  ? T[K] extends unknown[] | CommandSpec ? T[K] : Layer<T[K]>
  : T[K] }

/** One `template {}` as read from a layer, before defaults. */
export interface PartialTemplate extends Layer<Omit<TemplateConfig,
  'wait' | 'check' | 'verify' | 'commandEnv' | 'origin' | 'pos'>> {
  wait?: Partial<WaitConfig>
  check?: Partial<CheckConfig>
  verify?: Partial<VerifyConfig>
  commandEnv?: Partial<ExecEnvConfig>
  origin?: Position
  pos: Record<string, Position>
}

/** One configuration layer (a file, env, flags); `undefined` = unset. */
export interface PartialConfig extends Layer<Omit<Config,
  'templates' | 'unsupported' | 'positions' | 'wait' | 'templateErrorFatal'
  | 'reloadSignal' | 'killSignal' | 'exec' | 'logLevel' | 'logFormat'>> {
  logLevel?: string // checked by finalize
  logFormat?: string
  templates?: PartialTemplate[]
  wait?: Partial<WaitConfig>
  exec?: Layer<Omit<ExecConfig, 'reloadSignal'>> & {
    reloadSignal?: SignalName | null
  }
  reloadSignal?: SignalName | null
  killSignal?: SignalName | null
  templateErrorFatal?: boolean
  defaultDelimiters?: { left?: string; right?: string }
  unsupported?: UnsupportedBlock[]
  positions: Record<string, Position>
}
