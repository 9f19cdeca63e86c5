/**
 * Signal names and exit codes as consul-template v0.42.1 defines them.
 *
 * This module imports nothing of ctmpl, so the config layer may use it to
 * validate `kill_signal`, `reload_signal` and their `exec {}` twins.
 */
import { constants } from 'node:os'

/** A signal name the reference accepts; `SIGNULL` is its "no signal". */
export type SignalName = NodeJS.Signals | 'SIGNULL'

/**
 * Every name the reference accepts on Unix, sorted as its error message lists
 * them. SIGCHLD and SIGURG are absent on purpose: the reference manages its
 * child through the first and Go's scheduler owns the second.
 */
export const SIGNAL_NAMES: readonly SignalName[] = Object.freeze([
  'SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL',
  'SIGINT', 'SIGIO', 'SIGIOT', 'SIGKILL', 'SIGNULL', 'SIGPIPE', 'SIGPROF',
  'SIGQUIT', 'SIGSEGV', 'SIGSTOP', 'SIGSYS', 'SIGTERM', 'SIGTRAP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGXCPU',
  'SIGXFSZ',
] as const)

/** Signals Node must not or cannot install a handler for. */
const UNCATCHABLE: ReadonlySet<string> = new Set([
  'SIGNULL', 'SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL',
])

/**
 * Signals the CLI should catch and hand to the runner (which forwards what it
 * does not handle itself to the exec child). The reference catches every name
 * above; Node cannot catch SIGKILL or SIGSTOP, and a handler for SIGSEGV,
 * SIGBUS, SIGFPE or SIGILL would turn a real fault into an endless loop, so
 * those four keep their default action.
 */
export const FORWARDABLE_SIGNALS: readonly NodeJS.Signals[] = Object.freeze(
  SIGNAL_NAMES.filter((s): s is NodeJS.Signals => !UNCATCHABLE.has(s)))

/** The ctmpl process exit codes, with consul-template's real values. */
export const ExitCode = Object.freeze({
  /** Clean exit, or an exec child that exited 0. */
  OK: 0,
  /** A generic error. */
  Error: 11,
  /** Stopped by the kill signal (SIGINT by default). */
  Interrupt: 12,
  /** Bad command-line flags. */
  ParseFlags: 13,
  /** The runner failed (render, command, exec child start). */
  Runner: 14,
  /** The configuration could not be loaded or is invalid. */
  Config: 15,
})

/** Error raised for a signal name the reference would reject. */
export class SignalError extends Error {
  /** Stable code for callers that sort errors. */
  readonly code = 'ESIGNAL_INVALID'

  /** The text that failed to parse. */
  readonly input: string

  constructor(input: string) {
    super(`invalid signal ${goQuote(input)} - valid signals are ` +
      `[${SIGNAL_NAMES.map(goQuote).join(' ')}]`)
    this.input = input
  }
}
SignalError.prototype.name = 'SignalError'

/**
 * Parses a signal name the way the reference does: case-insensitive, the
 * `SIG` prefix required (`hup` is rejected, `sighup` accepted). Returns the
 * canonical upper-case name; throws SignalError otherwise.
 */
export function parseSignal(input: string): SignalName {
  const upper = input.toUpperCase()
  if ((SIGNAL_NAMES as readonly string[]).includes(upper)) {
    return upper as SignalName
  }
  throw new SignalError(input)
}

/**
 * Decodes a signal from a configuration file as the reference's decoder
 * does: an empty string is SIGNULL ("no signal"), anything else goes through
 * parseSignal. Flags use parseSignal directly, so `-kill-signal ""` fails.
 */
export function decodeSignal(input: string): SignalName {
  return input === '' ? 'SIGNULL' : parseSignal(input)
}

/** Returns the platform's number for a signal name (0 for SIGNULL). */
export function signalNumber(name: SignalName): number {
  if (name === 'SIGNULL') return 0
  const n = (constants.signals as Record<string, number | undefined>)[name]
  if (n === undefined) throw new SignalError(name)
  return n
}

/**
 * Returns the status the operating system reports for `process.exitCode =
 * status`, as Go's os.Exit does: the low 8 bits, so the reference's -1 for a
 * child killed by a signal becomes 255.
 */
export function exitStatusByte(status: number): number {
  return status & 0xff
}

/** Quotes a string as Go's %q does (ASCII control bytes as Go spells them). */
function goQuote(s: string): string {
  return JSON.stringify(s)
    .replace(/\\u0007/g, '\\a')
    .replace(/\\u000b/g, '\\v')
    .replace(/\\u00([0-9a-f]{2})/g, '\\x$1')
    .replace(/\x7f/g, '\\x7f')
}
