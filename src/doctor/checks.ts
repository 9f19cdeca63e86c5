/**
 * The checks behind `ctmpl doctor`: given the templates (destination,
 * command, verify target) and the systemd units, find the setups where a
 * render succeeds and the consumer still never loads it.
 */
import { dirname, resolve } from 'node:path'
import { consumersOfCommand } from './consumers.ts'
import type { ConsumerRef } from './consumers.ts'
import { isUnderTmp } from './paths.ts'
import { pathEffects, privateTmpOf } from './sandbox.ts'
import type { PathEffect } from './sandbox.ts'
import { defaultUnitDirs, lastAssignment, listUnits, loadUnit } from './units.ts'
import type { Assignment, Unit } from './units.ts'

/** What the doctor needs to know about one template. */
export interface DoctorTemplate {
  destination: string
  command?: string | string[]
  verify?: { pidFile?: string, pid?: number }
  /** Where the template was configured ("ctmpl.hcl:12"), for messages. */
  origin?: string
}

/** The doctor's input: templates and where to look for units. */
export interface DoctorInput {
  templates: DoctorTemplate[]
  /** Unit folders, highest priority first; default: systemd's. */
  unitDirs?: string[]
  /** ctmpl's own unit names; default ctmpl.service, consul-template.service. */
  selfUnits?: string[]
}

/** The kinds of problem the doctor reports. */
export type RuleId =
  | 'consumer-private-tmp' // the consumer has its own /tmp
  | 'consumer-hidden' // the consumer cannot see the path (inaccessible, tmpfs)
  | 'self-private-tmp' // ctmpl writes into its own /tmp
  | 'self-read-only' // ctmpl may not write the path
  | 'self-hidden' // ctmpl's writes land somewhere only it sees
  | 'pidfile-private' // a PID file lives in a private /tmp
  | 'pidfile-unreadable' // ctmpl cannot read the PID file it relies on
  | 'reload-unknown-unit' // the command names a unit that does not exist
  | 'reload-wrong-unit' // the command reloads a unit that does not read the file
  | 'duplicate-destination' // two templates write one file

/** One problem, with its cause and what to change. */
export interface Finding {
  rule: RuleId
  /** Index of the template in the input (the first one, for duplicates). */
  template: number
  destination: string
  /** The unit involved, when there is one. */
  unit?: string
  message: string
  /** The file and line of the cause: a unit setting or a template. */
  cause?: { file: string, line: number, setting?: string }
  fix: string
}

/** The doctor's report. */
export interface DoctorReport {
  findings: Finding[]
  /** The units that were read, with their files. */
  units: Array<{ name: string, files: string[] }>
}

const defaultSelfUnits = ['ctmpl.service', 'consul-template.service']

function causeOf(a: Assignment, setting?: string) {
  return { file: a.file, line: a.line, setting: setting ?? `${a.key}=${a.value}` }
}

function originCause(t: DoctorTemplate) {
  const m = t.origin ? /^(.*):(\d+)(?::\d+)?$/.exec(t.origin) : null
  return m ? { file: m[1]!, line: Number(m[2]) } : undefined
}

function short(unit: Unit): string {
  return unit.name.replace(/\.service$/, '')
}

/** Loads units lazily and once; `all()` reads every unit in the folders. */
class UnitCache {
  #units = new Map<string, Promise<Unit | null>>()
  #all: Promise<Unit[]> | null = null

  constructor(readonly dirs: string[]) {}

  get(name: string): Promise<Unit | null> {
    let u = this.#units.get(name)
    if (!u) {
      u = loadUnit(name, this.dirs)
      this.#units.set(name, u)
    }
    return u
  }

  all(): Promise<Unit[]> {
    this.#all ??= listUnits(this.dirs).then(async (names) =>
      (await Promise.all(names.map((n) => this.get(n)))).filter((u) => u !== null))
    return this.#all
  }

  loaded(): Promise<Unit[]> {
    return Promise.all(this.#units.values())
      .then((us) => us.filter((u): u is Unit => u !== null))
  }
}

// The first command line or environment of the unit that names the
// destination or its own folder: a sign that the unit reads the file.
function mentionOf(unit: Unit, dest: string): Assignment | undefined {
  const dir = dirname(dest)
  const dirUseful = !['/', '/tmp', '/var/tmp', '/etc', '/run', '/var'].includes(dir)
  return unit.assignments.find((a) => a.key.startsWith('Exec') || a.key === 'Environment'
    ? a.value.includes(dest) || (dirUseful && a.value.includes(dir)) : false)
}

/** The units a template's file is meant for, and those its command names. */
interface Consumers {
  named: Unit[] // named by the command or the verify PID file
  readers: Unit[] // units whose command lines mention the destination
  refs: ConsumerRef[]
}

async function unitsForPidFile(cache: UnitCache, pidFile: string): Promise<Unit[]> {
  return (await cache.all()).filter((u) => lastAssignment(u, 'PIDFile')?.value === pidFile)
}

async function findConsumers(t: DoctorTemplate, cache: UnitCache, self: Unit | null,
  findings: Finding[], index: number): Promise<Consumers> {
  const refs = t.command !== undefined ? consumersOfCommand(t.command) : []
  if (t.verify?.pidFile) {
    refs.push({ kind: 'pidfile', pidFile: t.verify.pidFile, via: 'verify.pid_file' })
  }
  const named: Unit[] = []
  for (const ref of refs) {
    if (ref.kind === 'unit') {
      const u = await cache.get(ref.unit)
      if (u) named.push(u)
      else {
        findings.push({ rule: 'reload-unknown-unit', template: index,
          destination: t.destination, unit: ref.unit, cause: originCause(t),
          message: `the command "${ref.via}" names ${ref.unit}, but no such unit ` +
            `exists in ${cache.dirs.join(', ')}; the reload fails or reaches nothing`,
          fix: `name the unit that reads ${t.destination} (see systemctl list-units)` })
      }
    } else if (ref.kind === 'pidfile') {
      named.push(...await unitsForPidFile(cache, ref.pidFile))
    } else {
      const u = await cache.get(ref.program)
      if (u) named.push(u)
    }
  }
  const byName = new Map(named.map((u) => [u.name, u]))
  const readers = (await cache.all()).filter((u) => u.name !== self?.name &&
    mentionOf(u, t.destination) !== undefined)
  return { named: [...byName.values()], readers, refs }
}

function effectFinding(rule: RuleId, t: DoctorTemplate, index: number, unit: Unit,
  e: PathEffect, message: string, fix: string): Finding {
  return { rule, template: index, destination: t.destination, unit: unit.name,
    cause: causeOf(e.at), message, fix }
}

function consumerChecks(t: DoctorTemplate, index: number, unit: Unit): Finding[] {
  const out: Finding[] = []
  const name = short(unit)
  for (const e of pathEffects(unit, t.destination)) {
    if (e.kind === 'private-tmp') {
      out.push(effectFinding('consumer-private-tmp', t, index, unit, e,
        `${unit.name} has ${e.setting}: ${name} gets a private ${e.covers} of its ` +
        `own and never sees ${t.destination}, although the render and the reload ` +
        'both report success',
        `render outside /tmp and /var/tmp (e.g. next to ${name}'s configuration), or ` +
        `set PrivateTmp=no in a drop-in /etc/systemd/system/${unit.name}.d/` +
        'override.conf'))
    } else if (e.kind === 'inaccessible' || e.kind === 'tmpfs') {
      const what = e.kind === 'tmpfs' ? `an empty tmpfs over ${e.covers}`
        : `${e.covers} inaccessible`
      out.push(effectFinding('consumer-hidden', t, index, unit, e,
        `${unit.name} has ${e.setting}, which makes ${what} for ${name}: it cannot ` +
        `see ${t.destination}`,
        `render into a path ${name} can read, or change ${e.setting.split('=')[0]}= ` +
        `for ${unit.name}`))
    }
  }
  return out
}

function selfChecks(t: DoctorTemplate, index: number, self: Unit): Finding[] {
  const out: Finding[] = []
  for (const e of pathEffects(self, t.destination)) {
    if (e.kind === 'private-tmp') {
      out.push(effectFinding('self-private-tmp', t, index, self, e,
        `ctmpl's unit ${self.name} has ${e.setting}: ctmpl writes ${t.destination} ` +
        `into its own private ${e.covers}, which no other service sees`,
        `render outside /tmp and /var/tmp, or set PrivateTmp=no for ${self.name}`))
    } else if (e.kind === 'read-only') {
      out.push(effectFinding('self-read-only', t, index, self, e,
        `ctmpl's unit ${self.name} has ${e.setting}, which makes ${e.covers} read-only ` +
        `for ctmpl: writing ${t.destination} fails`,
        `add ReadWritePaths=${dirname(t.destination)} to ${self.name} (a drop-in), ` +
        'or render elsewhere'))
    } else {
      const what = e.kind === 'tmpfs'
        ? `puts a private tmpfs over ${e.covers}: ctmpl's writes to ` +
          `${t.destination} land there, unseen by anyone else`
        : `makes ${e.covers} inaccessible: writing ${t.destination} fails`
      out.push(effectFinding('self-hidden', t, index, self, e,
        `ctmpl's unit ${self.name} has ${e.setting}, which ${what}`,
        `remove ${t.destination} from ${e.setting.split('=')[0]}= of ${self.name}, ` +
        'or render elsewhere'))
    }
  }
  return out
}

function pidFileChecks(t: DoctorTemplate, index: number, c: Consumers,
  self: Unit | null): Finding[] {
  const out: Finding[] = []
  for (const unit of c.named) {
    const pf = lastAssignment(unit, 'PIDFile')
    const pt = privateTmpOf(unit)
    if (pf && pt && isUnderTmp(pf.value)) {
      out.push({ rule: 'pidfile-private', template: index, destination: t.destination,
        unit: unit.name, cause: causeOf(pf),
        message: `${unit.name} has PIDFile=${pf.value} and ${pt.key}=${pt.value} ` +
          `(${pt.file}:${pt.line}): ${short(unit)} writes its PID into its private /tmp, ` +
          'so systemd and ctmpl find no PID file ("PID file not readable (yet?)") and ' +
          'the reload reaches nobody',
        fix: `move the PID file to /run (PIDFile=/run/${short(unit)}.pid, and the ` +
          `same path in ${short(unit)}'s own configuration)` })
    }
  }
  if (!self) return out
  // PID files ctmpl itself reads: in kill $(cat F) and verify.pid_file.
  for (const ref of c.refs) {
    if (ref.kind !== 'pidfile') continue
    for (const e of pathEffects(self, ref.pidFile)) {
      if (e.kind === 'read-only') continue
      out.push(effectFinding('pidfile-unreadable', t, index, self, e,
        `ctmpl reads the PID file ${ref.pidFile} (${ref.via}), but its unit ` +
        `${self.name} has ${e.setting}, so it sees ` +
        (e.kind === 'inaccessible' ? 'nothing there' : `its own private ${e.covers}`),
        `keep PID files in /run, or change ${e.setting.split('=')[0]}= of ${self.name}`))
    }
  }
  return out
}

function reloadChecks(t: DoctorTemplate, index: number, c: Consumers): Finding[] {
  const unitRefs = c.refs.filter((r) => r.kind === 'unit')
  if (unitRefs.length === 0 || c.readers.length === 0) return []
  const readerNames = new Set(c.readers.map((u) => u.name))
  if (c.named.some((u) => readerNames.has(u.name))) return []
  const names = c.named.map((u) => u.name)
  if (names.length === 0) return [] // reported as reload-unknown-unit
  const reader = c.readers[0]!
  const line = mentionOf(reader, t.destination)
  return [{ rule: 'reload-wrong-unit', template: index, destination: t.destination,
    unit: names[0], cause: line ? causeOf(line) : originCause(t),
    message: `the command reloads ${names.join(', ')}, but the unit that reads ` +
      `${t.destination} is ${[...readerNames].join(', ')}; the new file is not ` +
      'loaded until that one reloads',
    fix: `reload ${reader.name} instead (systemctl reload ${reader.name})` }]
}

function duplicateChecks(templates: DoctorTemplate[]): Finding[] {
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
    out.push({ rule: 'duplicate-destination', template: idx[0]!, destination: path,
      cause: originCause(templates[idx[1]!]!),
      message: `${idx.length} templates write ${path} (${where.join(', ')}); each ` +
        'render overwrites the other and the consumer flips between them',
      fix: 'give each template its own destination, or merge the templates' })
  }
  return out
}

/** Runs every check and returns the findings, in template order. */
export async function runChecks(input: DoctorInput): Promise<DoctorReport> {
  const cache = new UnitCache(input.unitDirs ?? defaultUnitDirs)
  let self: Unit | null = null
  for (const name of input.selfUnits ?? defaultSelfUnits) {
    self = await cache.get(name)
    if (self) break
  }
  const findings: Finding[] = []
  for (const [index, t] of input.templates.entries()) {
    if (!t.destination) continue
    const c = await findConsumers(t, cache, self, findings, index)
    const consumers = new Map([...c.named, ...c.readers].map((u) => [u.name, u]))
    for (const unit of consumers.values()) findings.push(...consumerChecks(t, index, unit))
    if (self) findings.push(...selfChecks(t, index, self))
    findings.push(...pidFileChecks(t, index, c, self))
    findings.push(...reloadChecks(t, index, c))
  }
  findings.push(...duplicateChecks(input.templates))
  const units = (await cache.loaded()).map((u) => ({ name: u.name,
    files: [...(u.path ? [u.path] : []), ...u.dropIns] }))
  return { findings, units }
}
