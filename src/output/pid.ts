/**
 * Finds the consumer process for verify: a PID given outright, or one read
 * from a PID file, waiting a little for a file that a restart is rewriting.
 */
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { VerifyError } from './errors.ts'
import type { OutputErrorCode } from './errors.ts'

/** Defaults, with units in the names. */
export const pidDefaults = {
  // A restart replaces the PID file; give the consumer this long to write
  // it (systemd itself warns "PID file ... not readable (yet?)" here).
  settleMs: 2_000,
  pollMs: 100,
}

/** Which process to look through: one of pid or pidFile. */
export interface VerifyTarget {
  pid?: number
  pidFile?: string
}

interface PidProblem {
  code: OutputErrorCode
  message: string
  advice: string
  pid: number | null
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code
}

/** True when /proc has an entry for the pid. */
export async function processExists(pid: number,
  procRoot = '/proc'): Promise<boolean> {
  try {
    await readFile(`${procRoot}/${pid}/stat`)
    return true
  } catch {
    return false
  }
}

async function readPidOnce(pidFile: string,
  procRoot: string): Promise<number | PidProblem> {
  let text: string
  try {
    text = await readFile(pidFile, 'utf8')
  } catch (err) {
    const code = errnoOf(err)
    const advice = code === 'ENOENT'
      ? 'The consumer is not running, has not written it yet, or writes ' +
        'it in a place ctmpl does not see (a private /tmp or /run); point ' +
        "pid_file at the consumer unit's PIDFile="
      : 'Give ctmpl read access to the PID file, or use pid = N'
    return { code: 'EVERIFY_PIDFILE', pid: null, advice,
      message: `cannot read PID file ${pidFile}: ${code ?? String(err)}` }
  }
  const trimmed = text.trim()
  if (trimmed === '') {
    return { code: 'EVERIFY_PIDFILE', pid: null,
      message: `PID file ${pidFile} is empty`,
      advice: 'The consumer may be (re)starting and not have written its ' +
        'PID yet' }
  }
  if (!/^\d+$/.test(trimmed) || Number(trimmed) <= 0) {
    const shown = JSON.stringify(trimmed.slice(0, 40))
    return { code: 'EVERIFY_PIDFILE', pid: null,
      message: `PID file ${pidFile} does not hold a PID: ${shown}`,
      advice: 'Point pid_file at the file the consumer writes its main ' +
        'PID into' }
  }
  const pid = Number(trimmed)
  if (!(await processExists(pid, procRoot))) {
    return { code: 'EVERIFY_STALE', pid,
      message: `PID file ${pidFile} names pid ${pid}, but no such ` +
        'process runs',
      advice: 'The PID file is stale: the consumer is down, or restarted ' +
        'and has not rewritten it yet' }
  }
  return pid
}

/**
 * Returns the PID the verify target names, waiting up to `settleMs` for a
 * missing, empty or stale PID file to settle; throws VerifyError otherwise.
 */
export async function resolvePid(target: VerifyTarget, destination: string,
  settleMs = pidDefaults.settleMs, procRoot = '/proc'): Promise<number> {
  const fail = (p: PidProblem): VerifyError =>
    new VerifyError(`verify ${destination}: ${p.message}`, p.code, {
      destination, pid: p.pid, processName: null,
      pidFile: target.pidFile ?? null, advice: p.advice })
  if (target.pid !== undefined) {
    if (await processExists(target.pid, procRoot)) return target.pid
    throw fail({ code: 'EVERIFY_STALE', pid: target.pid,
      message: `no process with pid ${target.pid}`,
      advice: 'Set verify.pid to the running consumer, or use pid_file' })
  }
  if (target.pidFile === undefined) {
    throw new TypeError('verify: one of pid or pid_file is required')
  }
  const deadline = Date.now() + settleMs
  for (;;) {
    const got = await readPidOnce(target.pidFile, procRoot)
    if (typeof got === 'number') return got
    if (Date.now() >= deadline) throw fail(got)
    await sleep(pidDefaults.pollMs)
  }
}
