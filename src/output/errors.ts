/**
 * Errors of the output stage. One base class with a stable `code`, and the
 * facts an operator needs to act on (STYLE guideline 5): which destination,
 * which command, which process.
 */

/** Stable codes for every output-stage failure. */
export type OutputErrorCode =
  | 'EOUT_INSTALL' // staging, writing or renaming the destination failed
  | 'EOUT_OWNER' // a user or group name could not be resolved
  | 'EOUT_RESTORE' // putting the previous bytes back failed
  | 'ECMD_FAILED' // a command exited non-zero or was killed by a signal
  | 'ECMD_TIMEOUT' // a command outlived its timeout; its group was killed
  | 'ECMD_SPAWN' // a command could not be started at all
  | 'EVERIFY_PIDFILE' // the PID file is unreadable, empty, or malformed
  | 'EVERIFY_STALE' // the PID names no running process
  | 'EVERIFY_MISMATCH' // the consumer sees other bytes than we rendered
  | 'EVERIFY_MISSING' // the consumer does not see the destination at all
  | 'EVERIFY_DENIED' // we may not look into the consumer's file system

/** Base class of every error the output stage produces. */
export class OutputError extends Error {
  readonly code: OutputErrorCode

  constructor(message: string, code: OutputErrorCode, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}
OutputError.prototype.name = 'OutputError'

/** Facts about one finished (or killed) command run. */
export interface CommandFacts {
  /** The command as configured: a shell string or an argv list. */
  command: string | string[]
  /** Exit status, or null when a signal ended it or it never started. */
  exitCode: number | null
  /** The signal that ended it (e.g. "SIGKILL"), else null. */
  signal: NodeJS.Signals | null
  /** True when the timeout fired and the process group was killed. */
  timedOut: boolean
  /** Wall time from spawn to exit, in milliseconds. */
  durationMs: number
  /** The last bytes of standard error, decoded as UTF-8. */
  stderrTail: string
  /** The last bytes of standard output, decoded as UTF-8. */
  stdoutTail: string
}

/** A command that failed, timed out or could not start. */
export class CommandError extends OutputError {
  readonly command: string | string[]
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly timedOut: boolean
  readonly durationMs: number
  readonly stderr: string
  readonly stdout: string

  constructor(facts: CommandFacts, code: OutputErrorCode, options?: ErrorOptions) {
    super(describeFailure(facts, code, options?.cause), code, options)
    this.command = facts.command
    this.exitCode = facts.exitCode
    this.signal = facts.signal
    this.timedOut = facts.timedOut
    this.durationMs = facts.durationMs
    this.stderr = facts.stderrTail
    this.stdout = facts.stdoutTail
  }
}
CommandError.prototype.name = 'CommandError'

/** How much of stderr a CommandError's message quotes. */
export const messageTailChars = 512

/** Returns the command as one line, quoting argv items that need it. */
export function formatCommand(command: string | string[]): string {
  if (typeof command === 'string') return command
  return command
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ')
}

function describeFailure(f: CommandFacts, code: OutputErrorCode, cause: unknown): string {
  const cmd = formatCommand(f.command)
  let what: string
  if (code === 'ECMD_SPAWN') {
    what = `could not start: ${cause instanceof Error ? cause.message : String(cause)}`
  } else if (f.timedOut) {
    what = `timed out after ${f.durationMs} ms; its process group was killed`
  } else if (f.signal !== null) {
    what = `killed by ${f.signal}`
  } else {
    what = `exited with status ${f.exitCode}`
  }
  // The message stays one readable log line; the full tail is on .stderr.
  let tail = f.stderrTail.trim()
  if (tail.length > messageTailChars) tail = '…' + tail.slice(-messageTailChars)
  return `command "${cmd}" ${what}` + (tail ? `; stderr: ${tail}` : '')
}

/** Where a verify looked and what it found there. */
export interface VerifyFacts {
  destination: string
  pid: number | null
  /** The process name from /proc/<pid>/comm, when readable. */
  processName: string | null
  /** The PID file the pid came from, when one was configured. */
  pidFile: string | null
  /** The likely cause, in one sentence, with what to change. */
  advice: string
}

/** The consumer process does not see what was rendered, or cannot be found. */
export class VerifyError extends OutputError {
  readonly destination: string
  readonly pid: number | null
  readonly processName: string | null
  readonly pidFile: string | null
  readonly advice: string

  constructor(message: string, code: OutputErrorCode, facts: VerifyFacts,
    options?: ErrorOptions) {
    super(facts.advice ? `${message}. ${facts.advice}` : message, code, options)
    this.destination = facts.destination
    this.pid = facts.pid
    this.processName = facts.processName
    this.pidFile = facts.pidFile
    this.advice = facts.advice
  }
}
VerifyError.prototype.name = 'VerifyError'
