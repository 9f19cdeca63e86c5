/**
 * Runs template commands (reload, check) the way the reference does: a
 * string under `sh -c` (one word alone is exec'd), a list directly, with a
 * timeout that kills the whole process group so grandchildren
 * (`sh -c 'a | b'`, scripts that fork) die too.
 */
import { spawn } from 'node:child_process'
import { CommandError } from './errors.ts'
import type { CommandFacts } from './errors.ts'

/** Defaults, with units in the names. */
export const commandDefaults = {
  timeoutMs: 30_000, // consul-template's command_timeout default
  killGraceMs: 2_000, // SIGTERM to SIGKILL for a timed-out group
  tailBytes: 8_192, // how much of stdout/stderr a result keeps
  drainMs: 200, // how long to wait for pipes after exit
}

/** What to run and how. */
export interface CommandInput {
  /** A shell string (run under `sh -c`) or an argv list (run directly). */
  command: string | string[]
  /** Kill the process group after this many ms; 0 disables the timeout. */
  timeoutMs?: number
  /** The full environment of the child; the caller adds CONSUL_HTTP_*. */
  env?: NodeJS.ProcessEnv
  /** Working directory of the child. */
  cwd?: string
  /** Grace between SIGTERM and SIGKILL once the timeout fired. */
  killGraceMs?: number
  /** Bytes of each output stream kept in the result. */
  tailBytes?: number
  /** Streams that also get the command's output as it comes, as the
   * reference passes a command's stdout and stderr through to its own. */
  echo?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
}

/** The outcome of one run; `ok` is true for exit status 0 only. */
export interface CommandResult extends CommandFacts {
  ok: boolean
  /** When the command was started (ISO 8601). */
  startedAt: string
  /** Set when `ok` is false: the same facts as an error to throw or log. */
  error?: CommandError
}

/** Keeps the last `limit` bytes of a stream. */
class Tail {
  #chunks: Buffer[] = []
  #size = 0

  constructor(readonly limit: number) {}

  push(chunk: Buffer): void {
    this.#chunks.push(chunk)
    this.#size += chunk.length
    while (this.#size - this.#chunks[0]!.length >= this.limit) {
      this.#size -= this.#chunks.shift()!.length
    }
  }

  text(): string {
    const all = Buffer.concat(this.#chunks)
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8')
  }
}

/** Validates a command value eagerly; throws TypeError naming the problem. */
export function validateCommand(command: unknown): asserts command is string | string[] {
  if (typeof command === 'string') {
    if (command.trim() === '') throw new TypeError('command: must not be empty')
    return
  }
  if (!Array.isArray(command) || command.length === 0 ||
    !command.every((a) => typeof a === 'string') || command[0] === '') {
    throw new TypeError('command: must be a string or a non-empty list of strings')
  }
}

/**
 * Returns what to exec: a string of several words runs as `sh -c STRING`;
 * a single word runs directly, as the reference does (so `reload.sh` is
 * exec'd, not interpreted); a list runs directly.
 */
export function argvOf(command: string | string[]): [string, string[]] {
  if (Array.isArray(command)) return [command[0]!, command.slice(1)]
  const words = command.trim().split(/\s+/)
  if (words.length === 1) return [words[0]!, []]
  return ['/bin/sh', ['-c', command]]
}

/**
 * Runs one command to completion and never throws for a command failure:
 * the result carries exit status, signal, timeout flag, duration and the
 * output tails, and `error` when it failed. The child leads its own process
 * group (detached), so a timeout can signal `-pgid` and reach every
 * descendant that did not start a session of its own.
 */
export function runCommand(input: CommandInput): Promise<CommandResult> {
  validateCommand(input.command)
  const timeoutMs = input.timeoutMs ?? commandDefaults.timeoutMs
  const graceMs = input.killGraceMs ?? commandDefaults.killGraceMs
  const tailBytes = input.tailBytes ?? commandDefaults.tailBytes
  const [file, args] = argvOf(input.command)
  const stdout = new Tail(tailBytes)
  const stderr = new Tail(tailBytes)
  const started = Date.now()
  const startedAt = new Date(started).toISOString()

  return new Promise((resolve) => {
    let timedOut = false
    let settled = false
    const timers: NodeJS.Timeout[] = []
    const child = spawn(file, args, {
      env: input.env ?? process.env,
      cwd: input.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const echo = input.echo
    child.stdout.on('data', (c: Buffer) => {
      stdout.push(c)
      echo?.stdout.write(c)
    })
    child.stderr.on('data', (c: Buffer) => {
      stderr.push(c)
      echo?.stderr.write(c)
    })

    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal)
      } catch {
        // ESRCH: the group is already gone, which is what we wanted.
      }
    }

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null,
      spawnError?: Error): void => {
      if (settled) return
      settled = true
      for (const t of timers) clearTimeout(t)
      const facts: CommandFacts = {
        command: input.command, exitCode, signal, timedOut,
        durationMs: Date.now() - started,
        stdoutTail: stdout.text(), stderrTail: stderr.text(),
      }
      const ok = !spawnError && !timedOut && exitCode === 0
      let error: CommandError | undefined
      if (spawnError) error = new CommandError(facts, 'ECMD_SPAWN', { cause: spawnError })
      else if (timedOut) error = new CommandError(facts, 'ECMD_TIMEOUT')
      else if (!ok) error = new CommandError(facts, 'ECMD_FAILED')
      resolve({ ...facts, ok, startedAt, error })
    }

    if (timeoutMs > 0) {
      timers.push(setTimeout(() => {
        timedOut = true
        killGroup('SIGTERM')
        timers.push(setTimeout(() => killGroup('SIGKILL'), graceMs))
      }, timeoutMs))
    }

    child.on('error', (err) => finish(null, null, err))
    // 'exit' rather than 'close': a grandchild that kept our pipes open (a
    // daemon started by a restart script) must not hold the result hostage.
    // After exit the pipes get a short while to drain, then are dropped.
    child.on('exit', (code, signal) => {
      // Whatever the leader left behind in its group goes with it once it
      // timed out; a normal exit leaves daemons it started alone.
      if (timedOut) killGroup('SIGKILL')
      const open = [child.stdout, child.stderr].filter((s) => !s.closed)
      let pending = open.length
      if (pending === 0) return finish(code, signal)
      for (const s of open) {
        s.once('close', () => {
          if (--pending === 0) finish(code, signal)
        })
      }
      timers.push(setTimeout(() => {
        child.stdout.destroy()
        child.stderr.destroy()
        finish(code, signal)
      }, commandDefaults.drainMs))
    })
  })
}
