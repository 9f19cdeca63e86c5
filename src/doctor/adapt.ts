/** Turns a finalized configuration into the doctor's input. */
import { splitTemplateFlag } from '../config/index.ts'
import type { CommandSpec, Config, TemplateConfig } from '../config/types.ts'
import type { DoctorTemplate } from './types.ts'

function commandOf(spec: CommandSpec | undefined): string | string[] | undefined {
  if (!spec) return undefined
  return spec.shell !== undefined ? spec.shell : spec.argv
}

function templateOf(t: TemplateConfig): DoctorTemplate {
  const verify = t.verify
    ? { pidFile: t.verify.pidFile, pid: t.verify.pid } : undefined
  return {
    destination: t.destination,
    command: commandOf(t.command),
    verify,
    origin: t.origin ? `${t.origin.file}:${t.origin.line}` : undefined,
  }
}

/** Returns one DoctorTemplate per configured template, in order. */
export function templatesFromConfig(config: Config): DoctorTemplate[] {
  return config.templates.map(templateOf)
}

/**
 * Returns the doctor's view of a `-template in:out[:command]` flag; throws
 * when it has no destination. `index` numbers the flag in messages.
 */
export function templateFromFlag(spec: string, index: number): DoctorTemplate {
  const { destination, command } = splitTemplateFlag(spec)
  if (!destination) {
    throw new Error(`-template ${JSON.stringify(spec)}: no destination`)
  }
  return { destination, command, origin: `-template #${index + 1}` }
}
