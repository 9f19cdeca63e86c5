/**
 * Defaults and validation: turns the merged layers into a `Config` where
 * every field is defined. All defaults sit in the literals at the top, with
 * their units; every validation problem names its key path and where the
 * value was set, and all of them are reported together.
 */
import type { ConfigProblem } from './ast.ts'
import { ConfigError } from './ast.ts'
import type {
  Config, ConsulConfig, ExecConfig, ExecEnvConfig, LogLevel, PartialConfig,
  PartialTemplate, Position, TemplateConfig, WaitConfig,
} from './types.ts'

/** consul-template's defaults for the `consul {}` block. */
export const consulDefaults: ConsulConfig = {
  address: '127.0.0.1:8500',
  namespace: '',
  token: '',
  tokenFile: '',
  auth: { enabled: false, username: '', password: '' },
  ssl: {
    enabled: false, verify: true, cert: '', key: '', caCert: '', caPath: '', serverName: '',
  },
  retry: { enabled: true, attempts: 12, backoffMs: 250, maxBackoffMs: 60_000 },
  transport: {
    dialKeepAliveMs: 30_000,
    dialTimeoutMs: 30_000,
    disableKeepAlives: false,
    idleConnTimeoutMs: 5_000,
    maxIdleConns: 0,
    maxIdleConnsPerHost: 100,
    maxConnsPerHost: 0,
    tlsHandshakeTimeoutMs: 10_000,
  },
}

/** Top-level defaults (blocks other than consul and templates). */
export const topDefaults = {
  logLevel: 'warn' as LogLevel,
  logFormat: 'text' as const,
  maxStaleMs: 2_000,
  blockQueryWaitMs: 60_000,
  reloadSignal: 'SIGHUP' as const,
  killSignal: 'SIGINT' as const,
  dedup: {
    enabled: false, prefix: 'consul-template/dedup/', ttlMs: 15_000,
    maxStaleMs: 2_000, blockQueryWaitMs: 60_000,
  },
  syslog: { enabled: false, facility: 'LOCAL0', name: 'consul-template' },
  logFile: { path: '', rotateBytes: 0, rotateDurationMs: 86_400_000, rotateMaxFiles: 0 },
  exec: { splayMs: 0, killSignal: 'SIGINT' as const, killTimeoutMs: 30_000, timeoutMs: 0 },
}

/** Per-template defaults. */
export const templateDefaults = {
  commandTimeoutMs: 30_000,
  checkTimeoutMs: 30_000,
  createDestDirs: true,
  errorFatal: true,
  delimiters: { left: '{{', right: '}}' },
}

const logLevels: Record<string, LogLevel> = {
  trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', warning: 'warn',
  err: 'err', error: 'err',
}

/** Options that change validation, not values. */
export interface FinalizeOptions {
  dry?: boolean // a dry run needs no destination
}

type Problems = ConfigProblem[]

/** Applies defaults and validates; throws ConfigError listing every problem. */
export function finalizeConfig(c: PartialConfig, opts: FinalizeOptions = {}): Config {
  const problems: Problems = []
  const at = (key: string): Position | undefined => c.positions[key]

  let logLevel = topDefaults.logLevel
  if (c.logLevel !== undefined) {
    const name = c.logLevel.trim().toLowerCase()
    const level = Object.hasOwn(logLevels, name) ? logLevels[name] : undefined
    if (level === undefined) {
      problems.push({ keyPath: 'log_level', at: at('log_level'), message:
        `invalid log level ${JSON.stringify(c.logLevel)}, valid log levels are ` +
        'trace, debug, info, warn, err' })
    } else {
      logLevel = level
    }
  }
  const logFormat = c.logFormat ?? topDefaults.logFormat
  if (logFormat !== 'text' && logFormat !== 'json') {
    problems.push({ keyPath: 'log_format', at: at('log_format'),
      message: `unknown format ${JSON.stringify(logFormat)}: use text or json` })
  }

  const wait = finalizeWait(c.wait, 'wait', at('wait'), problems)
  const consul = finalizeConsul(c, problems)
  const exec = finalizeExec(c, problems)
  const dedupIn = c.dedup ?? {}
  const syslogIn = c.syslog ?? {}
  const dedup = { ...topDefaults.dedup, ...defined(dedupIn) }
  dedup.enabled = dedupIn.enabled ?? Object.keys(defined(dedupIn)).length > 0
  const syslog = { ...topDefaults.syslog, ...defined(syslogIn) }
  syslog.enabled = syslogIn.enabled ?? Object.keys(defined(syslogIn)).length > 0

  const templateErrorFatal = c.templateErrorFatal
  const delims = {
    left: c.defaultDelimiters?.left || templateDefaults.delimiters.left,
    right: c.defaultDelimiters?.right || templateDefaults.delimiters.right,
  }
  const templates: TemplateConfig[] = []
  const perFile = new Map<string, number>()
  for (const t of c.templates ?? []) {
    const file = t.origin?.file ?? '<flags>'
    const idx = perFile.get(file) ?? 0
    perFile.set(file, idx + 1)
    templates.push(finalizeTemplate(t, {
      keyPath: `template[${idx}]`, globalWait: wait, delims, templateErrorFatal,
      dry: opts.dry === true,
    }, problems))
  }

  if (problems.length > 0) throw new ConfigError(problems)
  return {
    consul,
    templates,
    wait,
    exec,
    dedup,
    syslog,
    logFile: { ...topDefaults.logFile, ...defined(c.logFile ?? {}) },
    logLevel,
    logFormat: logFormat as 'text' | 'json',
    pidFile: c.pidFile ?? '',
    statusFile: c.statusFile ?? '',
    reloadSignal: c.reloadSignal === undefined ? topDefaults.reloadSignal : c.reloadSignal,
    killSignal: c.killSignal === undefined ? topDefaults.killSignal : c.killSignal,
    maxStaleMs: c.maxStaleMs ?? topDefaults.maxStaleMs,
    blockQueryWaitMs: c.blockQueryWaitMs ?? topDefaults.blockQueryWaitMs,
    once: c.once ?? false,
    templateErrorFatal: templateErrorFatal ?? templateDefaults.errorFatal,
    errOnFailedLookup: c.errOnFailedLookup ?? false,
    unsupported: c.unsupported ?? [],
    positions: { ...c.positions },
  }
}

/** Drops undefined fields so spreading over defaults keeps the defaults. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** Wait: max defaults to 4 × min; min must not exceed max. */
function finalizeWait(w: Partial<WaitConfig> | undefined, keyPath: string,
  at: Position | undefined, problems: Problems): WaitConfig {
  const minMs = w?.minMs ?? 0
  const maxMs = w?.maxMs ?? minMs * 4
  if (minMs > maxMs) {
    problems.push({ keyPath, at, message: 'min must be less than or equal to max' })
  }
  return { minMs, maxMs }
}

function finalizeConsul(c: PartialConfig, problems: Problems): ConsulConfig {
  const d = consulDefaults
  const p = c.consul ?? {}
  const auth = { ...d.auth, ...defined(p.auth ?? {}) }
  // As in the reference, giving a username (or any ssl key) turns the
  // feature on unless `enabled = false` says otherwise.
  auth.enabled = p.auth?.enabled ?? (auth.username !== '' || auth.password !== '')
  const ssl = { ...d.ssl, ...defined(p.ssl ?? {}) }
  // The environment fills in TLS files without turning TLS on (the Consul
  // client reads CONSUL_CACERT & co. the same way): only keys set in a file
  // or flag enable the block.
  ssl.enabled = p.ssl?.enabled ?? Object.entries(c.positions).some(([k, at]) =>
    k.startsWith('consul.ssl.') && !at.file.startsWith('<env'))
  const retry = { ...d.retry, ...defined(p.retry ?? {}) }
  if (retry.attempts < 0) {
    problems.push({ keyPath: 'consul.retry.attempts', at: c.positions['consul.retry.attempts'],
      message: 'must not be negative' })
  }
  const address = p.address !== undefined && p.address !== '' ? p.address : d.address
  return {
    address,
    namespace: p.namespace ?? d.namespace,
    token: p.token ?? d.token,
    tokenFile: p.tokenFile ?? d.tokenFile,
    auth,
    ssl,
    retry,
    transport: { ...d.transport, ...defined(p.transport ?? {}) },
  }
}

/** Fills an environment block; lists default to empty. */
function finalizeEnv(e: Partial<ExecEnvConfig> | undefined): ExecEnvConfig {
  return {
    pristine: e?.pristine ?? false,
    custom: [...(e?.custom ?? [])],
    allowlist: [...(e?.allowlist ?? [])],
    denylist: [...(e?.denylist ?? [])],
  }
}

function finalizeExec(c: PartialConfig, problems: Problems): ExecConfig {
  const e = c.exec ?? {}
  const d = topDefaults.exec
  const enabled = e.enabled ?? e.command !== undefined
  if (e.enabled === true && e.command === undefined) {
    problems.push({ keyPath: 'exec.command', at: c.positions['exec.enabled'] ??
      c.positions.exec, message: 'exec is enabled but has no command' })
  }
  return {
    enabled,
    command: e.command,
    splayMs: e.splayMs ?? d.splayMs,
    reloadSignal: e.reloadSignal ?? null,
    killSignal: e.killSignal ?? d.killSignal,
    killTimeoutMs: e.killTimeoutMs ?? d.killTimeoutMs,
    timeoutMs: e.timeoutMs ?? d.timeoutMs,
    env: finalizeEnv(e.env),
  }
}

interface TemplateContext {
  keyPath: string
  globalWait: WaitConfig
  delims: { left: string; right: string }
  templateErrorFatal: boolean | undefined
  dry: boolean
}

/** Defaults and checks for one template block. */
function finalizeTemplate(t: PartialTemplate, ctx: TemplateContext,
  problems: Problems): TemplateConfig {
  const kp = ctx.keyPath
  const where = (key: string): Position | undefined => t.pos[key] ?? t.origin
  const hasSource = t.source !== undefined && t.source !== ''
  const hasContents = t.contents !== undefined && t.contents !== ''
  if (hasSource && hasContents) {
    problems.push({ keyPath: kp, at: where('contents'),
      message: 'cannot specify both "source" and "contents"' })
  } else if (!hasSource && !hasContents) {
    problems.push({ keyPath: kp, at: t.origin,
      message: 'must specify exactly one of "source" or "contents"' })
  }
  const destination = t.destination ?? ''
  if (destination === '' && !ctx.dry) {
    problems.push({ keyPath: `${kp}.destination`, at: where('destination'),
      message: 'is required (only a dry run may leave it out)' })
  }
  const ownWait = t.wait !== undefined &&
    (t.wait.minMs !== undefined || t.wait.maxMs !== undefined)
  const wait = ownWait
    ? finalizeWait(t.wait, `${kp}.wait`, where('wait'), problems)
    : { ...ctx.globalWait }

  let check: TemplateConfig['check']
  if (t.check !== undefined) {
    if (t.check.command === undefined) {
      problems.push({ keyPath: `${kp}.check.command`, at: where('check'),
        message: 'is required in a check block' })
    } else {
      check = {
        command: t.check.command,
        timeoutMs: t.check.timeoutMs ?? templateDefaults.checkTimeoutMs,
      }
    }
  }

  let verify: TemplateConfig['verify']
  if (t.verify !== undefined) {
    const v = t.verify
    const hasFile = v.pidFile !== undefined && v.pidFile !== ''
    if (hasFile === (v.pid !== undefined)) {
      problems.push({ keyPath: `${kp}.verify`, at: where('verify'),
        message: 'needs exactly one of "pid_file" or "pid"' })
    } else if (v.pid !== undefined && v.pid <= 0) {
      problems.push({ keyPath: `${kp}.verify.pid`, at: where('verify.pid'),
        message: 'must be a positive process id' })
    } else {
      verify = {
        pidFile: hasFile ? v.pidFile : undefined,
        pid: v.pid,
        rollback: v.rollback ?? false,
      }
    }
  }

  return {
    source: hasSource ? t.source : undefined,
    contents: hasSource ? undefined : t.contents,
    destination,
    createDestDirs: t.createDestDirs ?? templateDefaults.createDestDirs,
    command: t.command,
    commandTimeoutMs: t.commandTimeoutMs ?? templateDefaults.commandTimeoutMs,
    commandEnv: finalizeEnv(t.commandEnv),
    perms: t.perms,
    user: t.user,
    group: t.group,
    backup: t.backup ?? false,
    leftDelimiter: t.leftDelimiter || ctx.delims.left,
    rightDelimiter: t.rightDelimiter || ctx.delims.right,
    errorOnMissingKey: t.errorOnMissingKey ?? false,
    errorFatal: ctx.templateErrorFatal ?? t.errorFatal ?? templateDefaults.errorFatal,
    wait,
    functionDenylist: [...new Set(t.functionDenylist ?? [])],
    sandboxPath: t.sandboxPath ?? '',
    check,
    verify,
    origin: t.origin,
    pos: { ...t.pos },
  }
}
