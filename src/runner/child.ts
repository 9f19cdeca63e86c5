/**
 * The exec-mode supervisor: runs the one long-lived child of `exec {}`,
 * reloads or restarts it when templates change, forwards signals to it and
 * reports its exit, with consul-template v0.42.1's semantics.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { accessSync, statSync, constants as fsConstants } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { silentLogger, type Logger } from '../shared/logger.ts'
import { SIGNAL_NAMES, exitStatusByte, type SignalName } from './signals.ts'
import { buildChildEnv, type ExecEnv } from './childenv.ts'

export type { ExecEnv } from './childenv.ts'

/** Defaults of `exec {}` in the reference (config/exec.go). */
export const EXEC_DEFAULTS = Object.freeze({
  killSignal: 'SIGINT' as SignalName,
  killTimeoutMs: 30_000,
  splayMs: 0,
})

/** Options of ExecChild; the runner fills them from `exec {}`. */
export interface ExecChildOptions {
  /** A string, or a list: one entry with spaces runs under `sh -c`. */
  command: string | readonly string[]
  /** The `env {}` block. */
  env?: ExecEnv
  /** Variables set ahead of `env.custom` (the runner's CONSUL_HTTP_*). */
  consulEnv?: Readonly<Record<string, string>>
  /** The environment to inherit and to search PATH in; process.env. */
  parentEnv?: NodeJS.ProcessEnv
  /** Sent on reload(); null or absent restarts the child instead. */
  reloadSignal?: SignalName | null
  /** Graceful stop signal (SIGINT); null sends SIGKILL at once. */
  killSignal?: SignalName | null
  /** Grace period after killSignal before SIGKILL, in ms (30 000). */
  killTimeoutMs?: number
  /** Upper bound of the random delay before reload or stop, in ms (0). */
  splayMs?: number
  /** The child's stdio; 'inherit' (ctmpl's own streams) by default. */
  stdio?: StdioOptions
  /** Where the supervisor logs. */
  logger?: Logger
  /** A source of numbers in [0, 1) for the splay; Math.random. */
  random?: () => number
}

/** How a supervised child ended. */
export interface ChildExit {
  /** The exit code, or null when a signal ended the process. */
  code: number | null
  /** The signal that ended the process, if any. */
  signal: NodeJS.Signals | null
  /** The reference's number: the code, or -1 when a signal ended it. */
  status: number
  /** What ctmpl exits with, as Go's os.Exit(status) would (-1 → 255). */
  exitCode: number
}

/** Codes of ChildError. */
export type ChildErrorCode =
  'ECHILD_OPTIONS' | 'ECHILD_COMMAND' | 'ECHILD_START' | 'ECHILD_STOPPED'

/** Error raised by the supervisor; `command` is the display form. */
export class ChildError extends Error {
  /** Stable code for callers that sort errors. */
  readonly code: ChildErrorCode

  /** The command as the log shows it. */
  readonly command: string

  constructor(msg: string, code: ChildErrorCode, command: string,
    options?: ErrorOptions) {
    super(msg, options)
    this.code = code
    this.command = command
  }
}
ChildError.prototype.name = 'ChildError'

/** A command ready to spawn. */
export interface PreparedCommand {
  /** What to look up and execute (argv[0] as given). */
  file: string
  /** Arguments after argv[0]. */
  args: string[]
  /** True for the `sh -c` form, which gets its own process group. */
  shell: boolean
  /** The command joined with spaces, as the reference logs it. */
  display: string
}

// Go's unicode.IsSpace, which strings.Fields splits on. JavaScript's \s
// differs: it lacks U+0085 and adds U+FEFF.
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u

/**
 * Prepares a command as the reference's CommandPrep does: a single entry
 * with more than one word runs as `sh -c ENTRY`; one word or a list of
 * several runs directly. Throws ChildError for an empty command.
 */
export function prepareCommand(
  command: string | readonly string[],
): PreparedCommand {
  const list = typeof command === 'string' ? [command] : [...command]
  const first = list[0]
  if (first === undefined || first.trim() === '') {
    throw new ChildError('missing command', 'ECHILD_COMMAND', list.join(' '))
  }
  const words = first.split(GO_SPACE).filter((w) => w !== '')
  if (list.length === 1 && words.length > 1) {
    const argv = ['sh', '-c', first]
    return { file: 'sh', args: argv.slice(1), shell: true,
      display: argv.join(' ') }
  }
  return { file: first, args: list.slice(1), shell: false,
    display: list.join(' ') }
}

/**
 * Resolves an executable against a PATH value as Go's exec.LookPath does
 * (names with a slash are used as they are; a hit in a relative PATH entry
 * is refused). For `sh`, falls back to /bin/sh and /usr/bin/sh as the
 * reference does. Throws ChildError with Go's wording.
 */
export function lookPath(file: string, pathValue: string | undefined,
  display = file): string {
  if (file.includes('/')) return file
  for (const dir of (pathValue ?? '').split(':')) {
    const candidate = join(dir === '' ? '.' : dir, file)
    if (!isExecutable(candidate)) continue
    if (!isAbsolute(candidate)) {
      throw new ChildError(`exec: ${JSON.stringify(file)}: cannot run ` +
        'executable found relative to current directory',
      'ECHILD_START', display)
    }
    return candidate
  }
  if (file === 'sh') {
    for (const sh of ['/bin/sh', '/usr/bin/sh']) {
      if (isExecutable(sh)) return sh
    }
  }
  throw new ChildError(
    `exec: ${JSON.stringify(file)}: executable file not found in $PATH`,
    'ECHILD_START', display)
}

/** Reports whether path is a file this process may execute. */
function isExecutable(path: string): boolean {
  try {
    if (statSync(path).isDirectory()) return false
    accessSync(path, fsConstants.X_OK)
    return true
  } catch {
    return false
  }
}

/** One spawned process and what we know of it. */
interface Proc {
  child: ChildProcess
  pid: number
  group: boolean // signals go to the whole process group
  exit: ChildExit | undefined
  done: Promise<ChildExit>
  restarting: boolean // its exit is ours to cause, not the runner's news
}

/** Why the supervisor kills its process. */
type KillReason = 'restart' | 'stop' | 'signal'

/**
 * Supervises the exec-mode child. start() once every template rendered,
 * reload() on each change, signal() for every signal ctmpl does not handle
 * itself, stop() on shutdown; `exited` tells the runner the child ended on
 * its own (ctmpl then exits with `exitCode`).
 *
 * The `sh -c` form runs in a process group of its own (Node's `detached`,
 * which is setsid where the reference uses setpgid: the group and the
 * signalling are the same, but the child has no controlling terminal), and
 * signals go to that whole group. When the group's leader exits, what is
 * left of the group gets SIGKILL so no orphan survives a stop or restart;
 * the reference leaves such processes running. A list command stays in
 * ctmpl's group and only its own pid is signalled, as in the reference.
 */
export class ExecChild {
  /** Resolves with the child's exit when it ends on its own; null on stop. */
  readonly exited: Promise<ChildExit | null>

  readonly #cmd: PreparedCommand
  readonly #opts: ExecChildOptions
  readonly #reloadSignal: SignalName | null
  readonly #killSignal: SignalName | null
  readonly #killTimeoutMs: number
  readonly #splayMs: number
  readonly #random: () => number
  readonly #log: Logger
  #env: Record<string, string> | undefined
  #proc: Proc | undefined
  #stopped = false
  #queue: Promise<unknown> = Promise.resolve()
  #stopDone: Promise<void> | undefined
  #resolveExited: (e: ChildExit | null) => void = () => {}
  readonly #pendingSplays = new AbortController() // cut short by stop()
  readonly #stopSplay = new AbortController() // cut short by an immediate stop

  /** Validates the options; throws ChildError before taking any resource. */
  constructor(opts: ExecChildOptions) {
    this.#cmd = prepareCommand(opts.command)
    const bad = (what: string): never => {
      throw new ChildError(`exec: ${what}`, 'ECHILD_OPTIONS', this.#cmd.display)
    }
    const ms = (v: number | undefined, dflt: number, name: string): number => {
      if (v === undefined) return dflt
      return Number.isFinite(v) && v >= 0 ? v : bad(`${name} must be >= 0`)
    }
    const sig = (v: SignalName | null | undefined, name: string) => {
      if (v === null || v === undefined) return v
      return SIGNAL_NAMES.includes(v) ? v : bad(`${name}: invalid signal ${v}`)
    }
    this.#opts = opts
    this.#reloadSignal = sig(opts.reloadSignal, 'reload_signal') ?? null
    const kill = sig(opts.killSignal, 'kill_signal')
    this.#killSignal = kill === undefined ? EXEC_DEFAULTS.killSignal : kill
    this.#killTimeoutMs =
      ms(opts.killTimeoutMs, EXEC_DEFAULTS.killTimeoutMs, 'kill_timeout')
    this.#splayMs = ms(opts.splayMs, EXEC_DEFAULTS.splayMs, 'splay')
    this.#random = opts.random ?? Math.random
    this.#log = (opts.logger ?? silentLogger).child({ component: 'child' })
    this.exited = new Promise((resolve) => { this.#resolveExited = resolve })
  }

  /** The command as the reference logs it (`sh -c ...` for the shell form). */
  get command(): string {
    return this.#cmd.display
  }

  /** The running child's pid, or undefined. */
  get pid(): number | undefined {
    const p = this.#proc
    return p !== undefined && p.exit === undefined ? p.pid : undefined
  }

  /** Starts the child; a no-op when it runs. Rejects with ChildError. */
  start(): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#stopped) {
        throw new ChildError('child: already stopped', 'ECHILD_STOPPED',
          this.#cmd.display)
      }
      if (this.pid === undefined) await this.#spawn()
    })
  }

  /**
   * Tells the child that templates changed: after a random splay, sends the
   * reload signal, or without one restarts it (kill signal, kill timeout,
   * SIGKILL, then a new process). A reload signal of SIGNULL does nothing.
   */
  async reload(): Promise<void> {
    if (this.#stopped) return
    if (this.#reloadSignal === null) {
      return this.#exclusive(async () => {
        this.#log.info('restarting process')
        await this.#kill('restart', false)
        if (!this.#stopped) await this.#spawn()
      })
    }
    this.#log.info('reloading process')
    await this.#idle()
    await this.#splay(this.#pendingSplays.signal)
    // A stop that cut the splay short has the child on its way out.
    if (!this.#stopped) this.#send(this.#proc, this.#reloadSignal)
  }

  /**
   * Handles a signal ctmpl received and did not handle itself: the reload
   * signal reloads, the kill signal kills the child at once (its exit is
   * then reported), anything else is forwarded as it is.
   */
  async signal(sig: SignalName): Promise<void> {
    this.#log.info({ signal: sig }, 'receiving signal')
    if (sig === this.#reloadSignal) return this.reload()
    if (sig === this.#killSignal) {
      return this.#exclusive(() => this.#kill('signal', true))
    }
    await this.#idle()
    this.#send(this.#proc, sig)
  }

  /**
   * Stops the child for good and resolves once it is gone: waits a random
   * splay unless `immediately`, then kill signal, kill timeout, SIGKILL.
   * Its exit is not reported. Pending reload splays end at once.
   */
  stop(opts: { immediately?: boolean } = {}): Promise<void> {
    if (opts.immediately === true) this.#stopSplay.abort()
    if (this.#stopDone !== undefined) {
      this.#log.warn('already stopped')
      return this.#stopDone
    }
    this.#log.info('stopping process')
    this.#stopped = true
    this.#resolveExited(null)
    this.#pendingSplays.abort()
    const immediately = opts.immediately === true
    this.#stopDone = this.#exclusive(() => this.#kill('stop', immediately))
    return this.#stopDone
  }

  /** Runs fn after every earlier start, restart and stop has finished. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn)
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** Waits until no start, restart or stop is in progress. */
  async #idle(): Promise<void> {
    for (let q = this.#queue; ; q = this.#queue) {
      await q
      if (q === this.#queue) return
    }
  }

  /** Waits a random time below the splay; an abort ends the wait early. */
  async #splay(abort: AbortSignal): Promise<void> {
    if (this.#splayMs <= 0) return
    const ms = Math.floor(this.#random() * this.#splayMs)
    this.#log.debug({ ms }, 'waiting for random splay')
    await sleep(ms, undefined, { signal: abort }).catch(() => undefined)
  }

  /** Spawns a new process and waits until the OS has started it. */
  async #spawn(): Promise<void> {
    const display = this.#cmd.display
    const parent = this.#opts.parentEnv ?? process.env
    if (this.#env === undefined) {
      const built = buildChildEnv(this.#opts.env ?? {}, parent,
        this.#opts.consulEnv)
      for (const kv of built.dropped) {
        this.#log.warn({ entry: kv }, 'env.custom entry without "=" ignored')
      }
      this.#env = built.env
    }
    let file: string
    try {
      file = lookPath(this.#cmd.file, parent['PATH'], display)
    } catch (err) {
      // The reference's wording: "child: exec: ...: not found in $PATH".
      throw new ChildError(`child: ${(err as Error).message}`, 'ECHILD_START',
        display, { cause: err })
    }
    this.#log.info({ command: display }, 'spawning')
    const child = spawn(file, this.#cmd.args, {
      argv0: this.#cmd.file,
      env: this.#env,
      stdio: this.#opts.stdio ?? 'inherit',
      detached: this.#cmd.shell,
    })
    const proc = this.#track(child)
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve)
      child.once('error', (err: NodeJS.ErrnoException) => {
        reject(new ChildError(`child: fork/exec ${file}: ${describe(err)}`,
          'ECHILD_START', display, { cause: err }))
      })
    })
    // Later 'error' events (a failed kill) must not crash the process.
    child.on('error', (err) => this.#log.warn({ err }, 'child process error'))
    proc.pid = child.pid as number
    this.#proc = proc
  }

  /** Builds the record of a fresh process and listens for its exit. */
  #track(child: ChildProcess): Proc {
    let resolveDone: (e: ChildExit) => void = () => {}
    const proc: Proc = {
      child, pid: 0, group: this.#cmd.shell, exit: undefined,
      done: new Promise((resolve) => { resolveDone = resolve }),
      restarting: false,
    }
    child.once('exit', (code, signal) => {
      const status = code ?? -1
      const exit = { code, signal, status, exitCode: exitStatusByte(status) }
      proc.exit = exit
      if (proc.group && proc.pid > 0) this.#reapGroup(proc)
      if (!proc.restarting && !this.#stopped && proc === this.#proc) {
        this.#log.info({ code, signal }, 'child process exited')
        this.#resolveExited(exit)
      }
      resolveDone(exit)
    })
    return proc
  }

  /**
   * Kills the current process: splay (unless immediately), kill signal,
   * up to kill_timeout for it to exit, then SIGKILL. Resolves once it is
   * gone.
   */
  async #kill(reason: KillReason, immediately: boolean): Promise<void> {
    const proc = this.#proc
    if (proc === undefined || proc.exit !== undefined) {
      this.#log.debug('kill called but process dead; not waiting for splay')
      return
    }
    if (!immediately) {
      await this.#splay(reason === 'stop'
        ? this.#stopSplay.signal : this.#pendingSplays.signal)
    }
    if (reason === 'restart') proc.restarting = true
    if (this.#killSignal !== null) {
      const sent = this.#send(proc, this.#killSignal)
      if (sent === 'gone') return void await proc.done
      if (sent === 'sent' && await this.#exitsWithin(proc)) return
      if (proc.exit === undefined) {
        this.#log.warn({ timeoutMs: this.#killTimeoutMs },
          'process did not exit within kill_timeout; sending SIGKILL')
      }
    }
    this.#send(proc, 'SIGKILL')
    await proc.done
  }

  /** Reports whether proc exits within the kill timeout. */
  async #exitsWithin(proc: Proc): Promise<boolean> {
    const timer = new AbortController()
    const timeout = sleep(this.#killTimeoutMs, false, { signal: timer.signal })
    const result = await Promise.race([
      proc.done.then(() => true), timeout.catch(() => false),
    ])
    timer.abort()
    return result
  }

  /** Signals proc (its group for the shell form); SIGNULL sends nothing. */
  #send(proc: Proc | undefined, sig: SignalName): 'sent' | 'gone' | 'failed' {
    if (proc === undefined || proc.exit !== undefined) return 'gone'
    if (sig === 'SIGNULL') return 'sent'
    try {
      process.kill(proc.group ? -proc.pid : proc.pid, sig)
      return 'sent'
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'gone'
      this.#log.error({ err, signal: sig }, 'signalling the child failed')
      return 'failed'
    }
  }

  /**
   * Kills what is left of a shell-form child's group once its leader has
   * exited. Done at once on the exit event: Linux does not reuse the number
   * while the group has members, and when it has none the kill finds none.
   */
  #reapGroup(proc: Proc): void {
    try {
      process.kill(-proc.pid, 'SIGKILL')
      this.#log.debug({ pgid: proc.pid }, 'killed processes left in group')
    } catch {
      // ESRCH: the group is already empty, the usual case.
    }
  }
}

/** Describes a spawn error the way Go's os/exec words errno values. */
function describe(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT': return 'no such file or directory'
    case 'EACCES': return 'permission denied'
    case 'ENOEXEC': return 'exec format error'
    default: return err.message
  }
}
