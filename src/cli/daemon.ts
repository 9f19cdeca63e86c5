/**
 * The daemon: consul-template's command line. Loads the configuration,
 * starts the runner and, in exec mode, the child; handles signals (reload
 * on SIGHUP, stop on SIGINT/SIGTERM, status on SIGUSR1) and exits with the
 * reference's exit codes.
 */
import { writeFileSync, unlinkSync } from 'node:fs'
import type { Config } from '../config/types.ts'
import { configFromArgs, usage } from './options.ts'
import { createLogger } from './log.ts'
import type { Logger } from '../shared/logger.ts'
import { ExitCode } from '../runner/signals.ts'
import { Runner } from '../runner/runner.ts'
import { loadUnit } from '../runner/unit.ts'
import { StatusBoard, formatStatus } from '../runner/status.ts'
import { ExecChild } from '../runner/child.ts'
import { notifySystemd } from '../runner/notify.ts'
import { tmpDestinationWarning } from '../output/index.ts'
import { createWatch, consulEnv } from '../runner/watch-port.ts'
import { version } from './version.ts'

type Outcome = { kind: 'exit'; code: number } | { kind: 'reload'; config: Config }

/** Runs the daemon with consul-template's flags; resolves to the exit code. */
export async function runDaemon(argv: string[]): Promise<number> {
  let parsed: Awaited<ReturnType<typeof configFromArgs>>
  try {
    parsed = await configFromArgs(argv, process.env)
  } catch (err) {
    return reportStartError(err)
  }
  if (parsed.action === 'help') {
    process.stdout.write(usage())
    return ExitCode.OK
  }
  if (parsed.action === 'version') {
    process.stdout.write(`ctmpl ${version} (consul-template v0.42.1 compatible)\n`)
    return ExitCode.OK
  }

  let config = parsed.config
  const { logger, close } = createLogger({
    level: config.logLevel, format: config.logFormat, filePath: config.logFile.path || undefined,
  })
  const log = logger.child({ component: 'cli' })
  log.info(`ctmpl ${version}`)
  writePidFile(config.pidFile, log)
  const status = new StatusBoard(config.statusFile || undefined)
  const signals = new SignalRouter()
  try {
    for (;;) {
      const outcome = await runOnce(config, parsed.once, parsed.dry, logger, status, signals,
        () => loadForReload(argv))
      if (outcome.kind === 'exit') return outcome.code
      config = outcome.config
    }
  } finally {
    signals.close()
    removePidFile(config.pidFile)
    close()
  }
}

/** Runs one runner lifetime: until exit, a fatal error or a reload. */
async function runOnce(
  config: Config, once: boolean, dry: boolean, logger: Logger,
  status: StatusBoard, signals: SignalRouter, reload: () => Promise<Config>,
): Promise<Outcome> {
  const log = logger.child({ component: 'cli' })
  warnAboutConfig(config, log)
  const watch = createWatch(config, once, logger)
  const runner = new Runner({
    config, once, dry, logger, watch, status,
    env: process.env, consulEnv: consulEnv(config),
  })
  let child: ExecChild | undefined
  let announced = false
  let stopImmediately = false
  let stopRequested = false
  let settle!: (o: Outcome) => void
  const outcome = new Promise<Outcome>((resolve) => { settle = resolve })

  runner.onRendered = () => {
    if (!runner.units.every((u) => u.rendered)) return
    if (!announced) {
      announced = true
      log.debug('all templates rendered')
      void notifySystemd('READY=1', log)
      if (config.exec.enabled && !dry) child = startChild(config, logger, settle)
    } else {
      child?.reload().catch((err: unknown) => log.error(`exec reload: ${messageOf(err)}`))
    }
  }
  signals.route((sig) => {
    const forward = (): void => {
      child?.signal(sig).catch((err: unknown) => log.warn(`forwarding ${sig}: ${messageOf(err)}`))
    }
    const stopping = (code: number): void => {
      if (stopRequested) {
        // A second stop signal while a command or check still runs: the
        // operator wants out now. The command keeps running on its own.
        process.stderr.write('ctmpl: second stop signal; exiting without waiting\n')
        process.exit(code)
      }
      stopRequested = true
      settle({ kind: 'exit', code })
    }
    if (sig === config.reloadSignal) {
      // The running templates keep rendering until the new configuration
      // and every template it names have loaded; a broken one is refused.
      log.info('reloading configuration')
      reload().then((next) => settle({ kind: 'reload', config: next }), (err: unknown) =>
        log.error(`reload failed; keeping the running configuration: ${messageOf(err)}`))
    } else if (sig === config.killSignal || sig === 'SIGINT') {
      process.stderr.write('Cleaning up...\n')
      stopImmediately = true
      stopping(ExitCode.Interrupt)
    } else if (sig === 'SIGTERM' && child) {
      // As the reference: the child gets it, and its exit ends ctmpl.
      forward()
    } else if (sig === 'SIGTERM') {
      // The reference ignores SIGTERM without an exec child; systemd's
      // default stop signal is SIGTERM, so ctmpl stops cleanly instead.
      stopping(ExitCode.OK)
    } else {
      // SIGUSR1 prints the template status, and reaches the child too, as
      // the reference forwards every other signal.
      if (sig === 'SIGUSR1') {
        const m = process.memoryUsage()
        const mb = (n: number): string => (n / 1048576).toFixed(1)
        process.stderr.write(formatStatus(status.snapshot()) +
          `\nmemory: rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, ` +
          `external ${mb(m.external)} MB\n`)
      }
      forward()
    }
  })

  try {
    await runner.start()
  } catch (err) {
    log.error(messageOf(err))
    return { kind: 'exit', code: ExitCode.Runner }
  }
  runner.done.then(
    () => settle({ kind: 'exit', code: ExitCode.OK }),
    (err: unknown) => {
      log.error(messageOf(err))
      settle({ kind: 'exit', code: ExitCode.Runner })
    })
  const result = await outcome
  await runner.stop()
  // The child is stopped on a reload too: the new configuration may name
  // another command, and the reference restarts it the same way.
  if (child) await child.stop({ immediately: stopImmediately })
  return result
}

/** Loads the configuration again and parses every template it names, so
 * that a reload with a broken file or template keeps the running one
 * instead of stopping the daemon (the reference exits on a bad template). */
async function loadForReload(argv: string[]): Promise<Config> {
  const next = await configFromArgs(argv, process.env)
  if (next.action !== 'run') throw new Error('the command line no longer runs the daemon')
  await parseTemplates(next.config)
  return next.config
}

/** Parses every template of a configuration. */
async function parseTemplates(config: Config): Promise<void> {
  for (const [i, c] of config.templates.entries()) {
    try {
      await loadUnit(String(i), c)
    } catch (err) {
      throw new Error(`${c.source ?? 'contents'}: parse: ${messageOf(err)}`, { cause: err })
    }
  }
}

function startChild(
  config: Config, logger: Logger, settle: (o: Outcome) => void,
): ExecChild {
  const e = config.exec
  const child = new ExecChild({
    command: e.command!.argv ?? e.command!.shell!,
    env: e.env,
    consulEnv: consulEnv(config),
    reloadSignal: e.reloadSignal,
    killSignal: e.killSignal,
    killTimeoutMs: e.killTimeoutMs,
    splayMs: e.splayMs,
    logger,
  })
  child.start().catch((err: unknown) => {
    logger.error(`exec: ${messageOf(err)}`)
    settle({ kind: 'exit', code: ExitCode.Runner })
  })
  void child.exited.then((exit) => {
    if (!exit) return
    logger.child({ component: 'cli' }).error(`child process exited with code ${exit.status}`)
    settle({ kind: 'exit', code: exit.exitCode })
  })
  return child
}

function warnAboutConfig(config: Config, log: Logger): void {
  for (const b of config.unsupported) {
    log.warn(`${b.at.file}:${b.at.line}: the ${b.name} {} block is not supported yet; ` +
      'templates that use its functions will fail')
  }
  if (config.dedup.enabled) {
    log.warn('deduplicate {} is not supported yet: every ctmpl instance queries ' +
      'Consul for its own templates')
  }
  for (const t of config.templates) {
    const warning = tmpDestinationWarning(t.destination)
    if (warning) log.warn(warning)
  }
}

/** Turns Node's signals into one callback the current runner owns. */
class SignalRouter {
  #handler: (sig: NodeJS.Signals) => void = () => {}
  readonly #names: NodeJS.Signals[] = [
    'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT', 'SIGWINCH',
  ]
  readonly #listener = (sig: NodeJS.Signals): void => this.#handler(sig)

  constructor() {
    for (const s of this.#names) process.on(s, this.#listener)
  }

  route(handler: (sig: NodeJS.Signals) => void): void {
    this.#handler = handler
  }

  close(): void {
    for (const s of this.#names) process.off(s, this.#listener)
  }
}

function writePidFile(path: string, log: Logger): void {
  if (!path) return
  try {
    writeFileSync(path, `${process.pid}\n`, { mode: 0o644 })
  } catch (err) {
    log.error(`could not write pid file ${path}: ${messageOf(err)}`)
  }
}

function removePidFile(path: string): void {
  if (!path) return
  try {
    unlinkSync(path)
  } catch {
    // Already gone: nothing to clean.
  }
}

function reportStartError(err: unknown): number {
  const e = err as { exitCode?: number }
  process.stderr.write(`${messageOf(err)}\n`)
  return typeof e.exitCode === 'number' ? e.exitCode : ExitCode.Config
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
