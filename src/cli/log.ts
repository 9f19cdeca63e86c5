/**
 * Logging setup for the daemon: pino underneath, printed either as
 * consul-template's text lines (`2026-01-02T15:04:05.000Z [INFO] (runner)
 * rendered "in" => "out"`) or as JSON lines with `-log-format json`.
 * Tokens are redacted before any line is written.
 */
import { createWriteStream, type WriteStream } from 'node:fs'
import { pino, type DestinationStream } from 'pino'
import type { Logger } from '../shared/logger.ts'

/** Log levels the reference accepts, mapped to pino's names. */
const levelNames: Record<string, string> = {
  trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', warning: 'warn',
  err: 'error', error: 'error',
}

const textLevels: Record<number, string> = {
  10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERR', 60: 'ERR',
}

/** Fields that never reach a log line with their value. */
const redactPaths = [
  'token', '*.token', 'consul.token', 'config.consul.token',
  'headers["x-consul-token"]', 'auth.password', '*.auth.password',
]

/** Options for `createLogger`. */
export interface LogOptions {
  level: string
  format: 'text' | 'json'
  /** Where lines go; standard error by default, as the reference does. */
  stream?: NodeJS.WritableStream
  /** An extra file that receives every line too (log_file.path). */
  filePath?: string
}

/** Reports whether name is a log level the reference accepts. */
export function isLogLevel(name: string): boolean {
  return name.toLowerCase() in levelNames
}

/** Turns one pino JSON record into consul-template's text form. Fields other
 * than the message are appended as key=value so nothing is lost. */
export function formatTextLine(json: string): string {
  let rec: Record<string, unknown>
  try {
    rec = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json
  }
  const time = new Date(Number(rec.time)).toISOString()
  const level = textLevels[Number(rec.level)] ?? 'INFO'
  const component = rec.component ? `(${String(rec.component)}) ` : ''
  // One event, one line: a command's multi-line output inside a message
  // would otherwise read as several records to line-based log tools.
  const msg = String(rec.msg ?? '').replace(/\r?\n/g, '\\n')
  let line = `${time} [${level}] ${component}${msg}`
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'time' || k === 'level' || k === 'msg' || k === 'component') continue
    if (v === undefined) continue
    const text = typeof v === 'string' ? v : JSON.stringify(v)
    line += ` ${k}=${/[\s"]/.test(text) ? JSON.stringify(text) : text}`
  }
  return line + '\n'
}

/** A destination that rewrites pino's JSON into text and fans out to every
 * sink (the terminal and an optional log file). */
class Sinks implements DestinationStream {
  constructor(
    private readonly sinks: NodeJS.WritableStream[],
    private readonly text: boolean,
  ) {}

  write(chunk: string): void {
    const out = this.text ? formatTextLine(chunk) : chunk
    for (const s of this.sinks) s.write(out)
  }
}

/** Creates the daemon's logger. */
export function createLogger(opts: LogOptions): { logger: Logger; close(): void } {
  const level = levelNames[opts.level.toLowerCase()] ?? 'info'
  const sinks: NodeJS.WritableStream[] = [opts.stream ?? process.stderr]
  let file: WriteStream | undefined
  if (opts.filePath) {
    file = createWriteStream(opts.filePath, { flags: 'a', mode: 0o640 })
    sinks.push(file)
  }
  const logger = pino({
    level,
    base: undefined,
    redact: { paths: redactPaths, censor: '[redacted]' },
    formatters: { level: (_label, number) => ({ level: number }) },
  }, new Sinks(sinks, opts.format === 'text'))
  return {
    logger: logger as unknown as Logger,
    close: () => file?.end(),
  }
}
