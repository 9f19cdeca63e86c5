/**
 * Readiness notification to systemd (`Type=notify`) through $NOTIFY_SOCKET.
 *
 * Node 20 cannot send AF_UNIX datagrams, so the messages go through
 * systemd-notify(1), which exists wherever systemd sets NOTIFY_SOCKET.
 */
import { spawn } from 'node:child_process'
import { silentLogger, type Logger } from '../shared/logger.ts'

/** Defaults, with units in the names. */
export const NOTIFY_DEFAULTS = Object.freeze({
  command: 'systemd-notify',
  // systemd-notify waits up to 5 s for the manager to confirm receipt.
  timeoutMs: 10_000,
})

/** Options of SystemdNotifier. */
export interface NotifyOptions {
  /** Where NOTIFY_SOCKET is read and what systemd-notify inherits. */
  env?: NodeJS.ProcessEnv
  /** The systemd-notify executable (looked up in PATH). */
  command?: string
  /** How long one notification may take before it counts as failed. */
  timeoutMs?: number
  /** Also send MAINPID=<ctmpl's pid> with READY=1 (off, as the reference). */
  sendMainPid?: boolean
  /** Where failures are logged (as warnings: they never stop ctmpl). */
  logger?: Logger
}

/**
 * Tells systemd about ctmpl's state: READY=1 once every template rendered
 * once (as the reference does), and RELOADING=1 / STOPPING=1 around a
 * configuration reload and a shutdown, which the reference does not send.
 * Does nothing when NOTIFY_SOCKET is unset.
 *
 * The unit needs `Type=notify` and, unless ctmpl runs as root,
 * `NotifyAccess=all`: the message comes from the systemd-notify process,
 * which only root (CAP_SYS_ADMIN) may send in ctmpl's name, so the default
 * `NotifyAccess=main` drops it. The reference sends from its own pid and
 * works with the default.
 */
export class SystemdNotifier {
  readonly #socket: string | undefined
  readonly #env: NodeJS.ProcessEnv
  readonly #command: string
  readonly #timeoutMs: number
  readonly #sendMainPid: boolean
  readonly #log: Logger
  #ready = false
  #queue: Promise<unknown> = Promise.resolve()

  /** Reads NOTIFY_SOCKET once; validates the options. */
  constructor(opts: NotifyOptions = {}) {
    const timeout = opts.timeoutMs ?? NOTIFY_DEFAULTS.timeoutMs
    if (!Number.isFinite(timeout) || timeout <= 0) {
      throw new RangeError('notify: timeoutMs must be > 0')
    }
    this.#env = opts.env ?? process.env
    const socket = this.#env['NOTIFY_SOCKET']
    this.#socket = socket === undefined || socket === '' ? undefined : socket
    this.#command = opts.command ?? NOTIFY_DEFAULTS.command
    this.#timeoutMs = timeout
    this.#sendMainPid = opts.sendMainPid === true
    this.#log = (opts.logger ?? silentLogger).child({ component: 'notify' })
  }

  /** Reports whether systemd asked for notifications (NOTIFY_SOCKET set). */
  get enabled(): boolean {
    return this.#socket !== undefined
  }

  /**
   * Sends READY=1 unless it was already sent since the last reloading() or
   * stopping() (the reference repeats it after every pass; systemd ignores
   * the repeats). Resolves true once systemd-notify reported success.
   */
  ready(): Promise<boolean> {
    return this.#serial(async () => {
      if (this.#ready) return true
      const vars: Record<string, string> = { READY: '1' }
      if (this.#sendMainPid) vars['MAINPID'] = String(process.pid)
      this.#ready = await this.#send(vars)
      return this.#ready
    })
  }

  /** Sends RELOADING=1 with MONOTONIC_USEC, as `Type=notify-reload` wants. */
  reloading(): Promise<boolean> {
    return this.#serial(() => {
      this.#ready = false
      return this.#send({ RELOADING: '1', MONOTONIC_USEC: monotonicUsec() })
    })
  }

  /** Sends STOPPING=1. */
  stopping(): Promise<boolean> {
    return this.#serial(() => {
      this.#ready = false
      return this.#send({ STOPPING: '1' })
    })
  }

  /** Sends STATUS=text, the line `systemctl status` shows. */
  status(text: string): Promise<boolean> {
    return this.#serial(() => this.#send({ STATUS: text }))
  }

  /** Sends arbitrary `KEY=VALUE` pairs (see sd_notify(3)). */
  send(vars: Readonly<Record<string, string>>): Promise<boolean> {
    return this.#serial(() => this.#send(vars))
  }

  /** Runs fn after the notifications sent before it, so order is kept. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn)
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** Runs systemd-notify with vars; resolves whether it succeeded. */
  #send(vars: Readonly<Record<string, string>>): Promise<boolean> {
    if (this.#socket === undefined) return Promise.resolve(false)
    const args = Object.entries(vars).map(([k, v]) => `${k}=${v}`)
    const what = Object.keys(vars).join(',')
    return new Promise((resolve) => {
      let settled = false // a spawn error is followed by 'close' too
      const fail = (reason: Record<string, unknown>) => {
        if (settled) return
        settled = true
        this.#log.warn({ ...reason, message: what, socket: this.#socket },
          'failed to notify systemd')
        resolve(false)
      }
      let stderr = ''
      let timedOut = false
      const child = spawn(this.#command, args, {
        env: this.#env, stdio: ['ignore', 'ignore', 'pipe'],
      })
      // Not spawn's own `timeout`: its timer outlives a failed spawn and
      // would hold the process open for timeoutMs.
      const timer = setTimeout(() => {
        timedOut = true
        child.kill('SIGKILL')
      }, this.#timeoutMs)
      child.stderr?.setEncoding('utf8')
      child.stderr?.on('data', (d: string) => { stderr += d })
      child.once('error', (err) => {
        clearTimeout(timer)
        fail({ err: err.message })
      })
      child.once('close', (code, signal) => {
        clearTimeout(timer)
        if (code !== 0) {
          fail({ exitCode: code, signal, stderr: stderr.trim(), timedOut })
        } else if (!settled) {
          settled = true
          this.#log.debug({ message: what }, 'notified systemd')
          resolve(true)
        }
      })
    })
  }
}

/**
 * Sends one state string (`READY=1`, or several `KEY=VALUE` lines) through
 * a fresh SystemdNotifier: a no-op resolving false when NOTIFY_SOCKET is
 * unset, true once systemd-notify reported success. Failures are logged.
 */
export function notifySystemd(state: string, logger?: Logger,
  opts: Omit<NotifyOptions, 'logger'> = {}): Promise<boolean> {
  const vars: Record<string, string> = {}
  for (const line of state.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) vars[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return new SystemdNotifier({ ...opts, logger }).send(vars)
}

/** CLOCK_MONOTONIC in microseconds (libuv's hrtime reads that clock). */
function monotonicUsec(): string {
  return String(process.hrtime.bigint() / 1000n)
}
