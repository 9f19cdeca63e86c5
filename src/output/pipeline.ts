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
import { releaseGuard, restoreFromGuard, setGuard } from './guard.ts'
import {
  commitStaged, discardStaged, readCurrent, restorePrevious, stageFile,
} from './install.ts'
import type { InstallInput, InstallResult, PreviousFile } from './install.ts'
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
  /**
   * Dry mode (-dry): write nothing and run nothing; when the file would
   * change, hand `> DESTINATION\nCONTENTS` to this sink, as the reference
   * prints it.
   */
  dry?: (text: string) => void
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
    error: r.error?.message, exitCode: r.exitCode, signal: r.signal,
    timedOut: r.timedOut,
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

/** The environment for check and command: the caller's plus the file. */
function pendingEnv(input: OutputInput): NodeJS.ProcessEnv {
  return { ...(input.env ?? process.env), CTMPL_DESTINATION: input.destination }
}

/** One pipeline run: its input, environment, logger and growing result. */
class Run {
  #env: NodeJS.ProcessEnv | undefined
  readonly log: Logger
  /** Whether the previous file is held by a guard while the new one is
   * unproven: only a check or a verify can reject a file, so a plain
   * install (atomic by rename) skips the guard's link, marker and fsync. */
  readonly guarded: boolean
  readonly result: OutputResult

  constructor(readonly input: OutputInput) {
    this.guarded = input.check !== undefined || input.verify !== undefined
    this.log = (input.logger ?? silentLogger).child({
      component: 'output', destination: input.destination })
    this.result = { destination: input.destination, changed: false,
      ok: true, rolledBack: false, stages: {}, previous: null }
  }

  /** The check's environment, built when a check runs: copying the
   * process environment costs more than a whole install. */
  get env(): NodeJS.ProcessEnv {
    return this.#env ??= pendingEnv(this.input)
  }

  /** Marks the run failed, keeping the first error. */
  fail(err: Error): void {
    this.result.ok = false
    this.result.error ??= err
  }

  /** Puts the previous file back: from the guard, else from its bytes. */
  async rollback(why: string): Promise<void> {
    const { destination } = this.input
    this.log.warn({ reason: why }, 'restoring the previous file')
    const r = await timed(async () => {
      const how = await restoreFromGuard(destination)
      if (how === 'none') await restorePrevious(destination, this.result.previous)
    })
    this.result.stages.rollback = r
    this.result.rolledBack = r.ok
    if (!r.ok) {
      this.log.error({ error: r.error }, 'could not restore the previous ' +
        'file; it is kept in the guard file and in the result')
    }
  }
}

/** Stages and installs behind a guard; returns false when nothing changed. */
async function install(run: Run): Promise<boolean> {
  const { input, result, log } = run
  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  try {
    const staged = await stageFile(input)
    if (!staged) {
      log.debug('contents equal to the file on disk; nothing written, ' +
        'nothing run')
      return false
    }
    result.previous = staged.previous
    try {
      if (run.guarded) await setGuard(input.destination, staged.previous !== null)
    } catch (err) {
      await discardStaged(staged)
      throw err
    }
    let done: InstallResult
    try {
      done = await commitStaged(staged) // removes its temp file on failure
    } catch (err) {
      if (run.guarded) await releaseGuard(input.destination)
      throw err
    }
    if (done.backupError) log.warn({ error: done.backupError }, 'backup failed')
  } catch (err) {
    const e = err as Error
    result.stages.install = { ok: false, startedAt,
      durationMs: Date.now() - started, error: e.message }
    log.error({ error: e.message }, 'install failed; the old file is untouched')
    run.fail(e)
    return false
  }
  result.changed = true
  result.stages.install = { ok: true, startedAt,
    durationMs: Date.now() - started }
  log.info({ bytes: Buffer.byteLength(input.contents) }, 'installed')
  return true
}

/** Runs the check; on any failure restores the previous file. */
async function check(run: Run, spec: CheckSpec): Promise<boolean> {
  let checked: CommandResult | undefined
  try {
    checked = await runCommand({ command: spec.command, env: run.env,
      timeoutMs: spec.timeoutMs ?? outputDefaults.checkTimeoutMs })
  } finally {
    // Whatever happened (even a bug in runCommand), an unproven file must
    // not stay in place.
    if (!checked?.ok) await run.rollback('check failed')
  }
  run.result.stages.check = fromCommand(checked)
  if (checked.ok) return true
  run.log.error({ exitCode: checked.exitCode, signal: checked.signal,
    timedOut: checked.timedOut, stderr: checked.stderrTail },
  'check failed; previous file restored, command not run')
  run.fail(checked.error ?? new OutputError('check failed', 'ECMD_FAILED'))
  return false
}

/** Records a reload command's outcome. A failure keeps the new file. */
function recordReload(run: Run, ran: CommandResult): void {
  run.result.stages.command = fromCommand(ran)
  if (ran.ok) {
    run.log.info({ exitCode: 0, durationMs: ran.durationMs }, 'command ran')
    return
  }
  // As the reference does: the check (if any) accepted the file, and
  // result.previous lets the runner decide otherwise.
  run.log.error({ exitCode: ran.exitCode, signal: ran.signal,
    timedOut: ran.timedOut, durationMs: ran.durationMs,
    stderr: ran.stderrTail }, 'command failed')
  run.fail(ran.error ?? new OutputError('command failed', 'ECMD_FAILED'))
}

/** Verifies through the consumer's eyes; rolls back when asked to. */
async function verify(run: Run, v: VerifySpec): Promise<void> {
  const { input, result, log } = run
  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  try {
    const seen = await verifyConsumer({ destination: input.destination,
      expected: input.contents, pid: v.pid, pidFile: v.pidFile,
      pidSettleMs: v.pidSettleMs })
    result.stages.verify = { ok: true, startedAt,
      durationMs: Date.now() - started, pid: seen.pid,
      processName: seen.processName }
    log.info({ pid: seen.pid, process: seen.processName }, 'verified')
    return
  } catch (err) {
    const e = err as Error & { pid?: number, processName?: string | null }
    result.stages.verify = { ok: false, startedAt,
      durationMs: Date.now() - started, error: e.message, pid: e.pid,
      processName: e.processName }
    log.error({ error: e.message }, 'verify failed')
    run.fail(e)
  }
  if (v.rollback) await run.rollback('verify failed')
}

/**
 * A file installed (and checked) whose command has not run yet. The
 * previous file is held by the guard until `finishOutput`.
 */
export class PendingOutput {
  readonly #run: Run
  #accepted = false

  /** @internal Made by installOutput. */
  constructor(run: Run) {
    this.#run = run
  }

  /** The result so far: install and check stages. */
  get result(): OutputResult {
    return this.#run.result
  }

  /** True when the file changed and passed its check: run the command. */
  get readyForCommand(): boolean {
    return this.#accepted
  }

  /** @internal Marks the file installed and checked. */
  accept(): void {
    const r = this.#run.result
    this.#accepted = r.changed && r.ok && !r.rolledBack
  }

  /** Records the outcome of the command the caller ran for this file. */
  recordCommand(ran: CommandResult): void {
    recordReload(this.#run, ran)
  }

  /**
   * Verifies (rolling back when configured) and releases the guard. When
   * `result.rolledBack` is then true, the caller runs the command again so
   * the consumer reloads the restored file.
   */
  async finish(): Promise<OutputResult> {
    const run = this.#run
    try {
      if (this.#accepted && run.input.verify) {
        await verify(run, run.input.verify)
      }
    } finally {
      // Accepted or rolled back, the guard is done. A rollback that failed
      // keeps it, so a later recovery can still act.
      if (run.guarded && run.result.stages.rollback?.ok !== false) {
        await releaseGuard(run.input.destination).catch(() => {})
      }
    }
    return run.result
  }
}

/**
 * First half of the pipeline, for callers that run one command for several
 * files: stages, installs and checks. Run the command when
 * `readyForCommand`, hand its result to `recordCommand`, then `finish()`.
 */
export async function installOutput(input: OutputInput): Promise<PendingOutput> {
  const run = new Run(input)
  const pending = new PendingOutput(run)
  if (!(await install(run))) return pending
  try {
    if (input.check) await check(run, input.check)
    pending.accept()
  } finally {
    // A failed restore keeps the guard for a later recovery.
    const restoreFailed = run.result.stages.rollback?.ok === false
    if (run.guarded && !pending.readyForCommand && !restoreFailed) {
      await releaseGuard(input.destination)
    }
  }
  return pending
}

/** Reports what would be written, touching nothing. */
async function dryRun(run: Run, sink: (text: string) => void) {
  const { input, result } = run
  try {
    const current = await readCurrent(input.destination)
    const bytes = Buffer.isBuffer(input.contents)
      ? input.contents : Buffer.from(input.contents, 'utf8')
    if (current?.bytes.equals(bytes)) return result
    result.changed = true
    sink(`> ${input.destination}\n${bytes.toString('utf8')}`)
  } catch (err) {
    run.fail(err as Error)
  }
  return result
}

/**
 * Installs `contents` at the destination and proves it: runs the check, the
 * command and the verify, restoring the previous file when the check fails
 * (the command is then not run) or when verify fails with rollback on (the
 * command is then run again for the restored file). Never throws for a
 * stage failure; `ok` and `error` say what went wrong. Until the run ends,
 * a guard file keeps the previous file, so even a crash of ctmpl itself
 * leaves it restorable (`recoverInterrupted`).
 */
export async function renderOutput(input: OutputInput): Promise<OutputResult> {
  if (input.dry) return dryRun(new Run(input), input.dry)
  const pending = await installOutput(input)
  if (!pending.readyForCommand) return pending.result
  try {
    if (input.command !== undefined) {
      pending.recordCommand(await runCommand({ command: input.command,
        env: pendingEnv(input), timeoutMs: input.commandTimeoutMs ??
          outputDefaults.commandTimeoutMs }))
    }
  } finally {
    await pending.finish()
  }
  const result = pending.result
  if (result.rolledBack && result.stages.verify && input.command !== undefined) {
    // Tell the consumer about the restored file too.
    const again = await runCommand({ command: input.command,
      env: pendingEnv(input),
      timeoutMs: input.commandTimeoutMs ?? outputDefaults.commandTimeoutMs })
    result.stages.rollbackCommand = fromCommand(again)
  }
  return result
}
