/**
 * `ctmpl doctor [-config PATH]... [-template in:out[:cmd]]...
 * [-unit-dir DIR]... [-unit NAME]... [-format text|json]`: reads the
 * configuration and the systemd units and reports setups where the
 * consumer would not load what ctmpl renders.
 * Exit status: 0 clean, 1 problems found, 2 usage or configuration error.
 */
import { FlagError, parseFlags, usageText } from '../cli/flags.ts'
import type { FlagDef } from '../cli/flags.ts'
import type { Config } from '../config/types.ts'
import { templateFromFlag, templatesFromConfig } from './adapt.ts'
import { runChecks } from './checks.ts'
import { formatJson, formatText } from './format.ts'
import type { DoctorTemplate } from './types.ts'

/** The doctor's exit statuses. */
export const doctorExit = { clean: 0, problems: 1, usage: 2 } as const

const flags: Record<string, FlagDef> = {
  'config': { kind: 'list', usage: 'Configuration file or folder; may repeat' },
  'unit-dir': { kind: 'list',
    usage: 'Folder of systemd units, highest priority first; may repeat.\n' +
      'Default: /etc/systemd/system, /run/systemd/system,\n' +
      '/usr/local/lib/systemd/system, /lib/systemd/system,\n' +
      '/usr/lib/systemd/system' },
  'unit': { kind: 'list',
    usage: "ctmpl's own unit; may repeat. Default: ctmpl.service, consul-template.service" },
  'template': { kind: 'list',
    usage: 'A template as in:out[:command], as the daemon takes it; may repeat' },
  'format': { kind: 'string', usage: 'Output format: text or json (default text)' },
}

/** What runDoctor needs from outside; tests replace parts of it. */
export interface DoctorDeps {
  /** Loads, merges and finalizes the configuration files named. */
  loadConfig(paths: string[]): Promise<Config>
  stdout(text: string): void
  stderr(text: string): void
}

/** Runs `ctmpl doctor` with the arguments after "doctor"; returns the exit status. */
export async function runDoctor(argv: string[],
  deps: Partial<DoctorDeps> = {}): Promise<number> {
  const out = deps.stdout ?? ((s: string) => void process.stdout.write(s))
  const err = deps.stderr ?? ((s: string) => void process.stderr.write(s))
  const usage = 'Usage: ctmpl doctor [options]\n\n' + usageText(flags)
  let parsed
  try {
    parsed = parseFlags(argv, flags)
  } catch (e) {
    if (e instanceof FlagError) {
      if (e.message === 'help') {
        out(usage)
        return doctorExit.clean
      }
      err(`${e.message}\n${usage}`)
      return doctorExit.usage
    }
    throw e
  }
  const format = parsed.values.get('format') ?? 'text'
  if (format !== 'text' && format !== 'json') {
    err(`invalid value "${format}" for -format: want text or json\n`)
    return doctorExit.usage
  }
  if (parsed.rest.length > 0) {
    err(`unexpected argument: ${parsed.rest[0]}\n${usage}`)
    return doctorExit.usage
  }
  const configs = parsed.lists.get('config') ?? []
  const flagTemplates = parsed.lists.get('template') ?? []
  if (configs.length === 0 && flagTemplates.length === 0) {
    err(`-config or -template is required: the doctor reviews a ` +
      `configuration\n${usage}`)
    return doctorExit.usage
  }

  const templates: DoctorTemplate[] = []
  try {
    if (configs.length > 0) {
      const load = deps.loadConfig ??
        (await import('./load.ts')).loadConfigForDoctor
      templates.push(...templatesFromConfig(await load(configs)))
    }
    flagTemplates.forEach((spec, i) => {
      templates.push(templateFromFlag(spec, i))
    })
  } catch (e) {
    err(`ctmpl doctor: ${e instanceof Error ? e.message : String(e)}\n`)
    return doctorExit.usage
  }

  const input = {
    templates,
    unitDirs: parsed.lists.get('unit-dir'),
    selfUnits: parsed.lists.get('unit'),
  }
  const report = await runChecks(input)
  out(format === 'json' ? formatJson(report) : formatText(report, input))
  return report.findings.length === 0 ? doctorExit.clean : doctorExit.problems
}
