/**
 * The logger every layer that logs takes. pino's Logger satisfies it; tests
 * pass `silentLogger` or a recording one. Library layers (template, consul)
 * do not log at all.
 */
export interface LogFn {
  (msg: string): void
  (obj: Record<string, unknown>, msg: string): void
}

export interface Logger {
  trace: LogFn
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  child(bindings: Record<string, unknown>): Logger
}

const noop: LogFn = () => {}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  trace: noop, debug: noop, info: noop, warn: noop, error: noop,
  child: () => silentLogger,
}
