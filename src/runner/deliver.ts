/**
 * Delivery: from executed templates to installed files and run commands.
 *
 * Templates that share a command (two files nginx reads, both reloaded by
 * `nginx -s reload`) have it run once per flush, after all of them are in
 * place, as the reference does. Each file is installed, checked and
 * verified on its own; the shared command runs when at least one of them
 * was installed and passed its check.
 */
import { readFile } from 'node:fs/promises'
import type { CommandSpec } from '../config/types.ts'
import type { Logger } from '../shared/logger.ts'
import {
  installOutput, runCommand, verifyConsumer, type CommandResult, type OutputInput,
  type OutputResult, type PendingOutput, type StageResult,
} from '../output/index.ts'
import type { StatusBoard } from './status.ts'
import { buildChildEnv } from './childenv.ts'
import { describeTemplate, type TemplateUnit } from './unit.ts'

/** A template whose execution had every dependency. */
export interface Delivery {
  unit: TemplateUnit
  output: string
}

/** What delivery needs from the runner. */
export interface DeliverContext {
  dry: boolean
  /** In once mode every failure ends the run with a non-zero status. */
  once: boolean
  dryOut: NodeJS.WritableStream
  /** ctmpl's own environment, filtered per template by `exec { env {} }`. */
  env: NodeJS.ProcessEnv
  /** The CONSUL_HTTP_* variables every command gets. */
  consulEnv: Record<string, string>
  logger: Logger
  status: StatusBoard
}

/** A failure that stops the daemon (the reference exits on it). */
export class DeliveryError extends Error {
  override name = 'DeliveryError'
}

/** Installs what changed, runs commands; returns the units that changed.
 * Throws DeliveryError when the reference would exit. */
export async function deliver(ready: Delivery[], ctx: DeliverContext): Promise<TemplateUnit[]> {
  if (ctx.dry) {
    const printed: TemplateUnit[] = []
    for (const d of ready) {
      d.unit.rendered = true
      if (await isUnchanged(d)) continue
      ctx.dryOut.write(`> ${d.unit.config.destination}\n${d.output}`)
      printed.push(d.unit)
    }
    return printed
  }

  // The output stage compares with the file on disk itself: an unchanged
  // file is not written and its command does not run.
  const changed = ready
  const groups = new Map<string, Delivery[]>()
  for (const d of changed) {
    const key = commandKey(d.unit.config.command)
    const g = groups.get(key)
    if (g) g.push(d)
    else groups.set(key, [d])
  }
  const failures: string[] = []
  const installed: TemplateUnit[] = []
  for (const group of groups.values()) {
    installed.push(...await deliverGroup(group, ctx, failures))
  }
  if (failures.length > 0) {
    throw new DeliveryError(failures.length === 1 ? failures[0]!
      : `${failures.length} errors occurred:\n\t* ${failures.join('\n\t* ')}`)
  }
  return installed
}

/**
 * Installs and checks every file of a group that shares one command, runs
 * the command once if any file passed its check, then verifies each file
 * through the consumer's eyes. A verify that rolled a file back runs the
 * command once more, so the consumer reloads the restored file.
 */
async function deliverGroup(
  group: Delivery[], ctx: DeliverContext, failures: string[],
): Promise<TemplateUnit[]> {
  const spec = group[0]!.unit.config.command
  const pending: [Delivery, PendingOutput][] = []
  for (const d of group) pending.push([d, await installOutput(outputInput(d, ctx))])
  const ready = pending.filter(([, p]) => p.readyForCommand)
  if (spec && ready.length > 0) {
    const ran = await runShared(spec, ready.map(([d]) => d), ctx)
    for (const [, p] of ready) p.recordCommand(ran)
  }
  let rolledBack = false
  const installed: TemplateUnit[] = []
  for (const [d, p] of pending) {
    const res = await p.finish()
    recordStages(d, res, ctx)
    if (res.rolledBack && res.stages.verify) rolledBack = true
    if (res.ok && !res.changed && d.unit.config.verify && !d.unit.verified) {
      // The file was already in place when ctmpl started: prove once that
      // the consumer sees it too, or a verify that failed before a restart
      // would never be looked at again.
      await verifyInPlace(d, ctx, res)
    }
    if (res.ok) {
      d.unit.rendered = true
      if (res.stages.verify?.ok) d.unit.verified = true
      if (res.changed) installed.push(d.unit)
      continue
    }
    const msg = `${describeTemplate(d.unit.config)}: ${res.error?.message ?? 'failed'}`
    // A failed command is fatal, as in the reference; a failed check or
    // verify follows error_fatal (the previous file is back either way).
    if (res.stages.command?.ok === false || d.unit.config.errorFatal || ctx.once) {
      failures.push(msg)
    }
  }
  if (spec && rolledBack) {
    ctx.logger.warn(`re-running ${JSON.stringify(commandText(spec))} for the restored files`)
    await runShared(spec, group, ctx)
  }
  return installed
}

/** Verifies a file that needed no install; records it as a verify stage. */
async function verifyInPlace(d: Delivery, ctx: DeliverContext, res: OutputResult)
  : Promise<void> {
  const v = d.unit.config.verify!
  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  try {
    const seen = await verifyConsumer({ destination: d.unit.config.destination,
      expected: d.output, pid: v.pid, pidFile: v.pidFile })
    res.stages.verify = { ok: true, startedAt, durationMs: Date.now() - started,
      pid: seen.pid, processName: seen.processName }
  } catch (err) {
    const e = err as Error & { pid?: number; processName?: string | null }
    res.stages.verify = { ok: false, startedAt, durationMs: Date.now() - started,
      error: e.message, pid: e.pid, processName: e.processName }
    res.ok = false
    res.error = e
  }
  recordStages(d, res, ctx)
}

/** Reports whether the destination already holds the output (dry mode). */
async function isUnchanged(d: Delivery): Promise<boolean> {
  // Always the file on disk, not what was last written: a hand edit of the
  // destination is repaired at the next render, as the reference does.
  try {
    const current = await readFile(d.unit.config.destination, 'utf8')
    if (current === d.output) {
      return true
    }
  } catch {
    // A missing or unreadable destination is simply "changed".
  }
  return false
}

function outputInput(d: Delivery, ctx: DeliverContext): OutputInput {
  const c = d.unit.config
  const input: OutputInput = {
    destination: c.destination,
    contents: d.output,
    perms: c.perms,
    user: c.user,
    group: c.group,
    backup: c.backup,
    createDestDirs: c.createDestDirs,
    logger: ctx.logger,
  }
  if (c.check || c.command) input.env = unitEnv(d.unit, ctx)
  if (c.check) input.check = { command: toCommand(c.check.command), timeoutMs: c.check.timeoutMs }
  if (c.verify) {
    input.verify = { rollback: c.verify.rollback }
    if (c.verify.pidFile) input.verify.pidFile = c.verify.pidFile
    if (c.verify.pid !== undefined) input.verify.pid = c.verify.pid
  }
  return input
}

function recordStages(d: Delivery, res: OutputResult, ctx: DeliverContext): void {
  const u = d.unit
  const log = ctx.logger
  const where = describeTemplate(u.config)
  const { install, check, verify } = res.stages
  if (install) {
    const detail = install.ok
      ? `wrote ${Buffer.byteLength(d.output)} bytes (${u.reason})` : install.error ?? ''
    ctx.status.record(u.id, 'render', install.ok, detail)
    if (install.ok) {
      log.info({ template: u.name, destination: u.config.destination,
        bytes: Buffer.byteLength(d.output), reason: u.reason }, `rendered ${where}`)
    } else {
      log.error({ template: u.name, destination: u.config.destination },
        `could not install ${where}: ${install.error}`)
    }
  }
  if (check) {
    ctx.status.record(u.id, 'check', check.ok, stageDetail(check), check.outputTail)
    if (!check.ok) {
      log.error({ template: u.name, destination: u.config.destination,
        check: u.config.check && commandText(u.config.check.command),
        exitCode: check.exitCode, output: check.outputTail },
      `check failed for ${where}; the previous file is back in place: ${check.error}`)
    }
  }
  if (verify) {
    ctx.status.record(u.id, 'verify', verify.ok, stageDetail(verify))
    if (verify.ok) {
      log.info({ template: u.name, pid: verify.pid, process: verify.processName },
        `verified ${where}: the consumer sees the rendered bytes`)
    } else {
      log.error({ template: u.name, pid: verify.pid, process: verify.processName },
        `verify failed for ${where}: ${verify.error}`)
    }
  }
  if (res.rolledBack) {
    const why = check && !check.ok ? 'its check failed' : 'its verify failed'
    // The render itself worked (its entry stays ok); the check or verify
    // entry carries the failure, and this says where the file stands.
    ctx.status.record(u.id, 'render', install?.ok ?? true,
      `wrote ${Buffer.byteLength(d.output)} bytes, then rolled back: ${why}; ` +
      'the previous file is back in place')
    log.warn({ template: u.name }, `rolled back ${where}: ${why}`)
  }
}

async function runShared(
  spec: CommandSpec, units: Delivery[], ctx: DeliverContext,
): Promise<CommandResult> {
  const first = units[0]!.unit
  const text = commandText(spec)
  ctx.logger.info({ command: text }, `executing command ${JSON.stringify(text)} from ${
    describeTemplate(first.config)}`)
  const r = await runCommand({
    command: toCommand(spec),
    timeoutMs: first.config.commandTimeoutMs,
    env: unitEnv(first, ctx),
    echo: { stdout: process.stdout, stderr: process.stderr },
  })
  const stage: StageResult = {
    ok: r.ok, startedAt: r.startedAt, durationMs: r.durationMs,
    outputTail: r.stderrTail.trim() ? r.stderrTail : r.stdoutTail,
    error: r.error?.message, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut,
  }
  for (const d of units) {
    ctx.status.record(d.unit.id, 'command', r.ok, stageDetail(stage), stage.outputTail)
  }
  const facts = { command: text, exitCode: r.exitCode, signal: r.signal,
    durationMs: r.durationMs, timedOut: r.timedOut }
  if (r.ok) {
    ctx.logger.info(facts, `command ${JSON.stringify(text)} exited 0 in ${r.durationMs} ms`)
  } else {
    ctx.logger.error({ ...facts, stderr: r.stderrTail },
      `failed to execute command ${JSON.stringify(text)} from ${
        describeTemplate(first.config)}: ${r.error?.message ?? 'failed'}`)
  }
  return r
}

/** The environment of a template's check and command: ctmpl's own, as
 * the template's `exec { env {} }` filters it, plus CONSUL_HTTP_*. */
function unitEnv(u: TemplateUnit, ctx: DeliverContext): NodeJS.ProcessEnv {
  let env = envCache.get(u)
  if (!env) {
    env = buildChildEnv(u.config.commandEnv, ctx.env, ctx.consulEnv).env
    envCache.set(u, env)
  }
  return env
}

/** Each unit's command environment; ctmpl's own does not change while a
 * unit lives (a reload makes new units). */
const envCache = new WeakMap<TemplateUnit, NodeJS.ProcessEnv>()

function stageDetail(s: StageResult): string {
  if (s.ok) return `ok in ${s.durationMs} ms`
  const bits = [s.error ?? 'failed']
  if (s.timedOut) bits.push('timed out')
  return bits.join('; ')
}

function toCommand(spec: CommandSpec): string | string[] {
  return spec.argv ?? spec.shell
}

function commandText(spec: CommandSpec): string {
  return spec.argv ? spec.argv.join(' ') : spec.shell
}

function commandKey(spec: CommandSpec | undefined): string {
  return spec ? JSON.stringify(spec) : ''
}
