/**
 * One configured template as the runner holds it: its configuration, its
 * parsed form, the dependencies its last execution used, and what it last
 * wrote. Units are rebuilt on SIGHUP; nothing else outlives a reload.
 */
import { readFile } from 'node:fs/promises'
import type { TemplateConfig } from '../config/types.ts'
import { Template } from '../template/index.ts'
import { Quiescence } from './quiescence.ts'
import { enforceDenylist, FuncBinding } from './execute.ts'

/** A template's identity in logs and status: `source => destination`. */
export function describeTemplate(c: TemplateConfig): string {
  const src = c.source ?? '(contents)'
  return `${JSON.stringify(src)} => ${JSON.stringify(c.destination)}`
}

/** A template ready to execute. */
export class TemplateUnit {
  /** Dependency keys the last execution asked for. */
  used = new Set<string>()
  /** Dependency keys the last execution lacked data for. */
  missing = new Set<string>()
  /** True once the unit rendered with every dependency present. */
  rendered = false
  /** True once verify passed for what this unit wrote or found in place. */
  verified = false
  /** Why the next render happens: "initial", or the dependency that changed. */
  reason = 'initial'
  quiescence: Quiescence | undefined

  constructor(
    readonly id: string,
    readonly config: TemplateConfig,
    readonly template: Template,
    readonly binding: FuncBinding,
  ) {}

  /** A short name for logs: the source path, or the destination. */
  get name(): string {
    return this.config.source ?? this.config.destination
  }

  /** Sets up quiescence timers when the template waits (never in once mode). */
  armQuiescence(once: boolean, fire: () => void): void {
    const { minMs, maxMs } = this.config.wait
    if (once || minMs <= 0) return
    this.quiescence = new Quiescence(minMs, maxMs, fire)
  }
}

/** Reads and parses one configured template. Parse errors are thrown as
 * TemplateError, wrapped by the caller with the source name. */
export async function loadUnit(id: string, config: TemplateConfig): Promise<TemplateUnit> {
  const text = config.contents ?? await readFile(config.source!, 'utf8')
  // The reference names every template "" (its errors read `template: :3:`);
  // matching that keeps operators' greps working.
  const binding = new FuncBinding(config)
  const template = Template.parse('', text, {
    funcs: binding.funcs,
    leftDelim: config.leftDelimiter,
    rightDelim: config.rightDelimiter,
  })
  enforceDenylist(template, config)
  return new TemplateUnit(id, config, template, binding)
}
