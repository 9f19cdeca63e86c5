/**
 * Defaults and validation: turns the merged layers into a `Config` where
 * every field is defined. Each block's defaults sit in one literal with
 * units (here for the top level, in consul.ts, exec.ts, template.ts for the
 * rest); every validation problem names its key path and where the value
 * was set, and all of them are reported together.
 */
import type { ConfigProblem } from './ast.ts'
import { ConfigError } from './ast.ts'
import { finalizeConsul } from './consul.ts'
import { defined } from './defined.ts'
import { finalizeExec } from './exec.ts'
import { finalizeTemplate, templateDefaults } from './template.ts'
import type { Config, LogLevel, PartialConfig, Position, TemplateConfig } from './types.ts'
import { finalizeWait } from './wait.ts'

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
