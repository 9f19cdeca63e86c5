/**
 * The `template {}` block: defaults, the finalize step and the checks that
 * span several keys (source xor contents, destination, wait order, ctmpl's
 * check and verify blocks).
 */
import type { ConfigProblem } from './ast.ts'
import { finalizeEnv } from './exec.ts'
import { finalizeWait } from './wait.ts'
import type { PartialTemplate, Position, TemplateConfig, WaitConfig } from './types.ts'

/** Per-template defaults. */
export const templateDefaults = {
  commandTimeoutMs: 30_000,
  checkTimeoutMs: 30_000,
  createDestDirs: true,
  errorFatal: true,
  delimiters: { left: '{{', right: '}}' },
}

/** What a template inherits from the top level. */
export interface TemplateContext {
  keyPath: string
  globalWait: WaitConfig
  delims: { left: string; right: string }
  templateErrorFatal: boolean | undefined
  dry: boolean
}

/** Defaults and checks for one template block. */
export function finalizeTemplate(t: PartialTemplate, ctx: TemplateContext,
  problems: ConfigProblem[]): TemplateConfig {
  const kp = ctx.keyPath
  const where = (key: string): Position | undefined => t.pos[key] ?? t.origin
  const hasSource = t.source !== undefined && t.source !== ''
  const hasContents = t.contents !== undefined && t.contents !== ''
  if (hasSource && hasContents) {
    problems.push({ keyPath: kp, at: where('contents'),
      message: 'cannot specify both "source" and "contents"' })
  } else if (!hasSource && !hasContents) {
    problems.push({ keyPath: kp, at: t.origin,
      message: 'must specify exactly one of "source" or "contents"' })
  }
  const destination = t.destination ?? ''
  if (destination === '' && !ctx.dry) {
    problems.push({ keyPath: `${kp}.destination`, at: where('destination'),
      message: 'is required (only a dry run may leave it out)' })
  }
  const ownWait = t.wait !== undefined &&
    (t.wait.minMs !== undefined || t.wait.maxMs !== undefined)
  const wait = ownWait
    ? finalizeWait(t.wait, `${kp}.wait`, where('wait'), problems)
    : { ...ctx.globalWait }

  let check: TemplateConfig['check']
  if (t.check !== undefined) {
    if (t.check.command === undefined) {
      problems.push({ keyPath: `${kp}.check.command`, at: where('check'),
        message: 'is required in a check block' })
    } else {
      check = {
        command: t.check.command,
        timeoutMs: t.check.timeoutMs ?? templateDefaults.checkTimeoutMs,
      }
    }
  }

  let verify: TemplateConfig['verify']
  if (t.verify !== undefined) {
    const v = t.verify
    const hasFile = v.pidFile !== undefined && v.pidFile !== ''
    if (hasFile === (v.pid !== undefined)) {
      problems.push({ keyPath: `${kp}.verify`, at: where('verify'),
        message: 'needs exactly one of "pid_file" or "pid"' })
    } else if (v.pid !== undefined && v.pid <= 0) {
      problems.push({ keyPath: `${kp}.verify.pid`, at: where('verify.pid'),
        message: 'must be a positive process id' })
    } else {
      verify = {
        pidFile: hasFile ? v.pidFile : undefined,
        pid: v.pid,
        rollback: v.rollback ?? false,
      }
    }
  }

  return {
    source: hasSource ? t.source : undefined,
    contents: hasSource ? undefined : t.contents,
    destination,
    createDestDirs: t.createDestDirs ?? templateDefaults.createDestDirs,
    command: t.command,
    commandTimeoutMs: t.commandTimeoutMs ?? templateDefaults.commandTimeoutMs,
    commandEnv: finalizeEnv(t.commandEnv),
    perms: t.perms,
    user: t.user,
    group: t.group,
    backup: t.backup ?? false,
    leftDelimiter: t.leftDelimiter || ctx.delims.left,
    rightDelimiter: t.rightDelimiter || ctx.delims.right,
    errorOnMissingKey: t.errorOnMissingKey ?? false,
    errorFatal: ctx.templateErrorFatal ?? t.errorFatal ?? templateDefaults.errorFatal,
    wait,
    functionDenylist: [...new Set(t.functionDenylist ?? [])],
    sandboxPath: t.sandboxPath ?? '',
    check,
    verify,
    origin: t.origin,
    pos: { ...t.pos },
  }
}
