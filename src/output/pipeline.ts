/**
 * The output pipeline the runner calls once per rendered template:
 * stage → install → check → command → verify → (rollback). Each stage's
 * outcome is returned so the runner can log it and keep it in the template
 * status. The previous bytes travel in the result, so whatever crashes,
 * hangs or is killed along the way, the last good file can be put back.
 */
import type { Logger } from '../shared/logger.ts'
import { silentLogger } from '../shared/logger.ts'
import { runCommand } from './command.ts'
import type { CommandResult } from './command.ts'
import { OutputError } from './errors.ts'
import { commitStaged, restorePrevious, stageFile } from './install.ts'
import type { InstallInput, PreviousFile, StagedFile } from './install.ts'
import { verifyConsumer } from './verify.ts'
import type { VerifyTarget } from './verify.ts'

/** Defaults, with units in the names. */
export const outputDefaults = {
  checkTimeoutMs: 30_000,
  commandTimeoutMs: 30_000, // consul-template's command_timeout default
}

/** A check run after install and before the command. */
export interface CheckSpec {
  command: string | string[]
  timeoutMs?: number
}

/** Where to verify and whether to roll back when it fails. */
export interface VerifySpec extends VerifyTarget {
  rollback?: boolean
  /** How long a missing, empty or stale PID file may take to settle. */
  pidSettleMs?: number
}

/** Everything the pipeline needs for one template's output. */
export interface OutputInput extends InstallInput {
  /**
   * Runs with the new file in place, in ctmpl's own mount namespace: a
   * check sees the file as ctmpl does, which is why verify exists.
   */
  check?: CheckSpec
  command?: string | string[]
  /**
   * Kill the command's process group after this long; 0 means no limit.
   * (The reference's "0 = run in the background" is the runner's business.)
   */
  commandTimeoutMs?: number
  verify?: VerifySpec
  /**
   * Environment for check and command; the runner adds CONSUL_HTTP_*.
   * The pipeline adds CTMPL_DESTINATION (e.g. for `haproxy -c -f`).
   */
  env?: NodeJS.ProcessEnv
  logger?: Logger
}

/** The outcome of one stage, as the template status keeps it. */
export interface StageResult {
  ok: boolean
  /** ISO 8601 time the stage started. */
  startedAt: string
  durationMs: number
  /** Last bytes of output (commands: stderr, else stdout). */
  outputTail?: string
  /** The error message when not ok. */
  error?: string
  exitCode?: number | null
  signal?: NodeJS.Signals | null
  timedOut?: boolean
  /** Verify: the process looked through. */
  pid?: number
  processName?: string | null
}

/** Per-stage results; a stage that did not run is absent. */
export interface OutputStages {
  install?: StageResult
  check?: StageResult
  command?: StageResult
  verify?: StageResult
  rollback?: StageResult
  /** The command re-run after a rollback, so the consumer reloads the old file. */
  rollbackCommand?: StageResult
}

/** The outcome of the whole pipeline. */
export interface OutputResult {
  destination: string
  /** False when the destination already held the bytes: nothing ran. */
  changed: boolean
  /** True when every stage that ran passed. */
  ok: boolean
  /** True when the previous file was put back. */
  rolledBack: boolean
  stages: OutputStages
  /** The bytes before this run (null: no file, or nothing changed). */
  previous: PreviousFile | null
  /** The first failure, with its facts (CommandError, VerifyError, …). */
  error?: Error
}

function fromCommand(r: CommandResult): StageResult {
  return {
    ok: r.ok, startedAt: r.startedAt, durationMs: r.durationMs,
    outputTail: r.stderrTail.trim() ? r.stderrTail : r.stdoutTail,
    error: r.error?.message, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut,
  }
}

async function timed(fn: () => Promise<void>): Promise<StageResult> {
  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  try {
    await fn()
    return { ok: true, startedAt, durationMs: Date.now() - started }
  } catch (err) {
    return { ok: false, startedAt, durationMs: Date.now() - started,
      error: err instanceof Error ? err.message : String(err) }
  }
}

/**
 * Installs `contents` at the destination and proves it: runs the check, the
 * command and the verify, restoring the previous file when the check fails
 * (the command is then not run) or when verify fails with rollback on (the
 * command is then run again for the restored file). Never throws for a
 * stage failure; `ok` and `error` say what went wrong.
 */
export async function renderOutput(input: OutputInput): Promise<OutputResult> {
  const log = (input.logger ?? silentLogger).child({
    component: 'output', destination: input.destination })
  const env = { ...(input.env ?? process.env), CTMPL_DESTINATION: input.destination }
  const result: OutputResult = { destination: input.destination, changed: false,
    ok: true, rolledBack: false, stages: {}, previous: null }
  const fail = (err: Error): OutputResult => {
    result.ok = false
    result.error ??= err
    return result
  }

  const rollback = async (why: string): Promise<void> => {
    log.warn({ reason: why }, 'restoring the previous file')
    result.stages.rollback = await timed(() =>
      restorePrevious(input.destination, result.previous))
    result.rolledBack = result.stages.rollback.ok
    if (!result.stages.rollback.ok) {
      log.error({ error: result.stages.rollback.error },
        'could not restore the previous file; its bytes are kept in the result')
    }
  }

  // Stage and install.
  const installStarted = Date.now()
  const stageAt = new Date(installStarted).toISOString()
  let staged: StagedFile | null
  try {
    staged = await stageFile(input)
    if (staged) {
      result.previous = staged.previous
      // commitStaged removes the temp file itself when it fails.
      const done = await commitStaged(staged)
      if (done.backupError) log.warn({ error: done.backupError }, 'backup failed')
    }
  } catch (err) {
    const e = err as Error
    result.stages.install = { ok: false, startedAt: stageAt,
      durationMs: Date.now() - installStarted, error: e.message }
    log.error({ error: e.message }, 'install failed; the old file is untouched')
    return fail(e)
  }
  if (!staged) {
    log.debug('contents equal to the file on disk; nothing written, nothing run')
    return result
  }
  result.changed = true
  result.stages.install = { ok: true, startedAt: stageAt,
    durationMs: Date.now() - installStarted }
  log.info({ bytes: Buffer.byteLength(input.contents) }, 'installed')

  // Check: the new file is in place, the consumer has not been told yet.
  if (input.check) {
    let checked: CommandResult | undefined
    try {
      checked = await runCommand({ command: input.check.command, env,
        timeoutMs: input.check.timeoutMs ?? outputDefaults.checkTimeoutMs })
    } finally {
      // Whatever happened (even a bug in runCommand), an unproven file must
      // not stay in place.
      if (!checked?.ok) await rollback('check failed')
    }
    result.stages.check = fromCommand(checked)
    if (!checked.ok) {
      log.error({ exitCode: checked.exitCode, signal: checked.signal,
        timedOut: checked.timedOut, stderr: checked.stderrTail },
      'check failed; previous file restored, command not run')
      return fail(checked.error ?? new OutputError('check failed', 'ECMD_FAILED'))
    }
  }

  // Command.
  if (input.command !== undefined) {
    const ran = await runCommand({ command: input.command, env,
      timeoutMs: input.commandTimeoutMs ?? outputDefaults.commandTimeoutMs })
    result.stages.command = fromCommand(ran)
    if (ran.ok) {
      log.info({ exitCode: 0, durationMs: ran.durationMs }, 'command ran')
    } else {
      // As the reference does, the new file stays: the check (if any)
      // accepted it, and result.previous lets the runner decide otherwise.
      log.error({ exitCode: ran.exitCode, signal: ran.signal, timedOut: ran.timedOut,
        durationMs: ran.durationMs, stderr: ran.stderrTail }, 'command failed')
      fail(ran.error ?? new OutputError('command failed', 'ECMD_FAILED'))
    }
  }

  // Verify, then roll back if asked to.
  if (input.verify) {
    const v = input.verify
    const started = Date.now()
    const startedAt = new Date(started).toISOString()
    try {
      const seen = await verifyConsumer({ destination: input.destination,
        expected: input.contents, pid: v.pid, pidFile: v.pidFile,
        pidSettleMs: v.pidSettleMs })
      result.stages.verify = { ok: true, startedAt, durationMs: Date.now() - started,
        pid: seen.pid, processName: seen.processName }
      log.info({ pid: seen.pid, process: seen.processName }, 'verified')
    } catch (err) {
      const e = err as Error & { pid?: number, processName?: string | null }
      result.stages.verify = { ok: false, startedAt, durationMs: Date.now() - started,
        error: e.message, pid: e.pid, processName: e.processName }
      log.error({ error: e.message }, 'verify failed')
      fail(e)
      if (v.rollback) {
        await rollback('verify failed')
        if (result.rolledBack && input.command !== undefined) {
          const again = await runCommand({ command: input.command, env,
            timeoutMs: input.commandTimeoutMs ?? outputDefaults.commandTimeoutMs })
          result.stages.rollbackCommand = fromCommand(again)
          if (!again.ok) log.error({ error: again.error?.message }, 'command failed ' +
            'after rollback')
        }
      }
    }
  }
  return result
}
