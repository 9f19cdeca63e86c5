/**
 * The doctor's rules: each takes one template and the units concerned and
 * returns findings that name the setting behind them and what to change.
 */
import { dirname, resolve } from 'node:path'
import { mentionOf, originCause } from './discover.ts'
import type { Consumers } from './discover.ts'
import { isUnderTmp } from './paths.ts'
import { pathEffects, privateTmpOf } from './sandbox.ts'
import type { PathEffect } from './sandbox.ts'
import type { Cause, DoctorTemplate, Finding, RuleId } from './types.ts'
import { lastAssignment } from './units.ts'
import type { Assignment, Unit } from './units.ts'

/** The template a rule looks at, and its index in the input. */
export interface RuleInput {
  t: DoctorTemplate
  index: number
}

function causeOf(a: Assignment): Cause {
  return { file: a.file, line: a.line, setting: `${a.key}=${a.value}` }
}

function short(unit: Unit): string {
  return unit.name.replace(/\.service$/, '')
}

function keyOf(e: PathEffect): string {
  return e.setting.split('=')[0]!
}

function finding(rule: RuleId, r: RuleInput, unit: Unit, e: PathEffect,
  message: string, fix: string): Finding {
  return { rule, template: r.index, destination: r.t.destination,
    unit: unit.name, cause: causeOf(e.at), message, fix }
}

/** A consumer that cannot see the destination. */
export function consumerRules(r: RuleInput, unit: Unit): Finding[] {
  const out: Finding[] = []
  const dest = r.t.destination
  const name = short(unit)
  for (const e of pathEffects(unit, dest)) {
    if (e.kind === 'private-tmp') {
      out.push(finding('consumer-private-tmp', r, unit, e,
        `${unit.name} has ${e.setting}: ${name} gets a private ${e.covers} ` +
        `of its own and never sees ${dest}, although the render and the ` +
        'reload both report success',
        'render outside /tmp and /var/tmp (e.g. next to ' +
        `${name}'s configuration), or set PrivateTmp=no in a drop-in ` +
        `/etc/systemd/system/${unit.name}.d/override.conf`))
    } else if (e.kind === 'inaccessible' || e.kind === 'tmpfs') {
      const what = e.kind === 'tmpfs'
        ? `an empty tmpfs over ${e.covers}` : `${e.covers} inaccessible`
      out.push(finding('consumer-hidden', r, unit, e,
        `${unit.name} has ${e.setting}, which makes ${what} for ${name}: ` +
        `it cannot see ${dest}`,
        `render into a path ${name} can read, or change ${keyOf(e)}= ` +
        `for ${unit.name}`))
    }
  }
  return out
}

/** ctmpl's own unit keeping it from writing where others look. */
export function selfRules(r: RuleInput, self: Unit): Finding[] {
  const out: Finding[] = []
  const dest = r.t.destination
  const own = `ctmpl's unit ${self.name} has`
  for (const e of pathEffects(self, dest)) {
    if (e.kind === 'private-tmp') {
      out.push(finding('self-private-tmp', r, self, e,
        `${own} ${e.setting}: ctmpl writes ${dest} into its own private ` +
        `${e.covers}, which no other service sees`,
        'render outside /tmp and /var/tmp, or set PrivateTmp=no for ' +
        self.name))
    } else if (e.kind === 'read-only') {
      out.push(finding('self-read-only', r, self, e,
        `${own} ${e.setting}, which makes ${e.covers} read-only for ` +
        `ctmpl: writing ${dest} fails`,
        `add ReadWritePaths=${dirname(dest)} to ${self.name} (a drop-in), ` +
        'or render elsewhere'))
    } else {
      const what = e.kind === 'tmpfs'
        ? `puts a private tmpfs over ${e.covers}: ctmpl's writes to ` +
          `${dest} land there, unseen by anyone else`
        : `makes ${e.covers} inaccessible: writing ${dest} fails`
      out.push(finding('self-hidden', r, self, e,
        `${own} ${e.setting}, which ${what}`,
        `remove ${dest} from ${keyOf(e)}= of ${self.name}, ` +
        'or render elsewhere'))
    }
  }
  return out
}

/** PID files that systemd or ctmpl look for where they cannot be seen. */
export function pidFileRules(r: RuleInput, c: Consumers,
  self: Unit | null): Finding[] {
  const out: Finding[] = []
  for (const unit of c.named) {
    const pf = lastAssignment(unit, 'PIDFile')
    const pt = privateTmpOf(unit)
    if (!pf || !pt || !isUnderTmp(pf.value)) continue
    const name = short(unit)
    out.push({ rule: 'pidfile-private', template: r.index,
      destination: r.t.destination, unit: unit.name, cause: causeOf(pf),
      message: `${unit.name} has PIDFile=${pf.value} and ` +
        `${pt.key}=${pt.value} (${pt.file}:${pt.line}): ${name} writes ` +
        'its PID into its private /tmp, so systemd and ctmpl find no PID ' +
        'file ("PID file not readable (yet?)") and the reload reaches nobody',
      fix: `move the PID file to /run (PIDFile=/run/${name}.pid, and the ` +
        `same path in ${name}'s own configuration)` })
  }
  if (!self) return out
  // PID files ctmpl reads itself: kill $(cat F) and verify.pid_file.
  for (const ref of c.refs) {
    if (ref.kind !== 'pidfile') continue
    for (const e of pathEffects(self, ref.pidFile)) {
      if (e.kind === 'read-only') continue
      const sees = e.kind === 'inaccessible'
        ? 'nothing there' : `its own private ${e.covers}`
      out.push(finding('pidfile-unreadable', r, self, e,
        `ctmpl reads the PID file ${ref.pidFile} (${ref.via}), but its ` +
        `unit ${self.name} has ${e.setting}, so it sees ${sees}`,
        `keep PID files in /run, or change ${keyOf(e)}= of ${self.name}`))
    }
  }
  return out
}

/** A reload command aimed at a unit that does not read the file. */
export function reloadRules(r: RuleInput, c: Consumers): Finding[] {
  if (!c.refs.some((ref) => ref.kind === 'unit')) return []
  if (c.readers.length === 0 || c.named.length === 0) return []
  const readerNames = c.readers.map((u) => u.name)
  if (c.named.some((u) => readerNames.includes(u.name))) return []
  const reader = c.readers[0]!
  const line = mentionOf(reader, r.t.destination)
  const names = c.named.map((u) => u.name)
  return [{ rule: 'reload-wrong-unit', template: r.index,
    destination: r.t.destination, unit: names[0],
    cause: line ? causeOf(line) : originCause(r.t),
    message: `the command reloads ${names.join(', ')}, but the unit that ` +
      `reads ${r.t.destination} is ${readerNames.join(', ')}; the new ` +
      'file is not loaded until that one reloads',
    fix: `reload ${reader.name} instead (systemctl reload ${reader.name})` }]
}

/** Two or more templates writing one file. */
export function duplicateRules(templates: DoctorTemplate[]): Finding[] {
  const byPath = new Map<string, number[]>()
  templates.forEach((t, i) => {
    if (!t.destination) return
    const p = resolve(t.destination)
    byPath.set(p, [...(byPath.get(p) ?? []), i])
  })
  const out: Finding[] = []
  for (const [path, idx] of byPath) {
    if (idx.length < 2) continue
    const where = idx.map((i) => templates[i]!.origin ?? `template #${i + 1}`)
    out.push({ rule: 'duplicate-destination', template: idx[0]!,
      destination: path, cause: originCause(templates[idx[1]!]!),
      message: `${idx.length} templates write ${path} ` +
        `(${where.join(', ')}); each render overwrites the other and the ` +
        'consumer flips between them',
      fix: 'give each template its own destination, or merge the templates' })
  }
  return out
}
