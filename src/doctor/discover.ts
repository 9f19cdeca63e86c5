/**
 * Finds the units a template concerns: the ones its command or verify
 * names, and the ones whose command lines mention the destination.
 */
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { consumersOfCommand } from './consumers.ts'
import type { ConsumerRef } from './consumers.ts'
import type { DoctorTemplate, Finding } from './types.ts'
import { lastAssignment, listUnits, loadUnit } from './units.ts'
import type { Assignment, Unit } from './units.ts'

/** Loads units lazily and once; `all()` reads every unit in the folders. */
export class UnitCache {
  #units = new Map<string, Promise<Unit | null>>()
  #all: Promise<Unit[]> | null = null

  constructor(readonly dirs: string[]) {}

  /** Returns the unit, or null when no folder has it. */
  get(name: string): Promise<Unit | null> {
    let u = this.#units.get(name)
    if (!u) {
      u = loadUnit(name, this.dirs)
      this.#units.set(name, u)
    }
    return u
  }

  /** Returns every service in the folders. */
  all(): Promise<Unit[]> {
    this.#all ??= listUnits(this.dirs).then(async (names) => {
      const units = await Promise.all(names.map((n) => this.get(n)))
      return units.filter((u) => u !== null)
    })
    return this.#all
  }
}

// Folders too general to say anything about who reads a file in them.
const vagueDirs = new Set(['/', '/tmp', '/var/tmp', '/etc', '/run', '/var'])

/**
 * Returns the unit's first command line or environment that names the
 * destination or its folder: a sign that the unit reads the file.
 */
export function mentionOf(unit: Unit, dest: string): Assignment | undefined {
  const dir = dirname(dest)
  const useDir = !vagueDirs.has(dir)
  return unit.assignments.find((a) => {
    if (!a.key.startsWith('Exec') && a.key !== 'Environment') return false
    return a.value.includes(dest) || (useDir && a.value.includes(dir))
  })
}

/** Returns the service a running process belongs to, from its cgroup. */
export async function unitOfPid(pid: number,
  procRoot = '/proc'): Promise<string | null> {
  try {
    const text = await readFile(`${procRoot}/${pid}/cgroup`, 'utf8')
    const m = /\/([^/\n]+\.service)(?:\/|\n|$)/.exec(text)
    return m ? m[1]! : null
  } catch {
    return null
  }
}

// /var/run is a link to /run on every systemd system (systemd itself
// rewrites PIDFile=/var/run/... to /run/...).
function samePlace(path: string): string {
  return path.replace(/^\/var\/run(?=\/)/, '/run')
}

/** The units that concern one template. */
export interface Consumers {
  /** Named by the command or by verify. */
  named: Unit[]
  /** Units whose command lines mention the destination. */
  readers: Unit[]
  /** What the command and verify refer to. */
  refs: ConsumerRef[]
}

/** Where the template was configured, as a finding's cause. */
export function originCause(t: DoctorTemplate) {
  const m = t.origin ? /^(.*):(\d+)(?::\d+)?$/.exec(t.origin) : null
  return m ? { file: m[1]!, line: Number(m[2]) } : undefined
}

/** Input of findConsumers. */
export interface FindInput {
  t: DoctorTemplate
  index: number
  cache: UnitCache
  self: Unit | null
  procRoot: string
  /** Receives reload-unknown-unit findings. */
  findings: Finding[]
}

async function unitsOfRef(ref: ConsumerRef, f: FindInput): Promise<Unit[]> {
  if (ref.kind === 'pidfile') {
    const want = samePlace(ref.pidFile)
    const all = await f.cache.all()
    return all.filter((u) => {
      const pf = lastAssignment(u, 'PIDFile')
      return pf !== null && samePlace(pf.value) === want
    })
  }
  const name = ref.kind === 'unit' ? ref.unit : ref.program
  const u = await f.cache.get(name)
  if (u?.masked && ref.kind === 'unit') {
    f.findings.push({ rule: 'reload-unknown-unit', template: f.index,
      destination: f.t.destination, unit: u.name,
      cause: u.path ? { file: u.path, line: 1 } : originCause(f.t),
      message: `the command "${ref.via}" names ${u.name}, which is masked ` +
        `(${u.path} points to /dev/null or is empty): systemctl refuses it`,
      fix: `unmask it (systemctl unmask ${u.name}) or name the unit that ` +
        `reads ${f.t.destination}` })
    return []
  }
  if (u) return [u]
  if (ref.kind === 'unit') {
    f.findings.push({ rule: 'reload-unknown-unit', template: f.index,
      destination: f.t.destination, unit: ref.unit, cause: originCause(f.t),
      message: `the command "${ref.via}" names ${ref.unit}, but no such ` +
        `unit exists in ${f.cache.dirs.join(', ')}; the reload fails or ` +
        'reaches nothing',
      fix: `name the unit that reads ${f.t.destination} ` +
        '(see systemctl list-units)' })
  }
  return []
}

/** Returns the units a template's command, verify and file point at. */
export async function findConsumers(f: FindInput): Promise<Consumers> {
  const { t } = f
  const refs = t.command !== undefined ? consumersOfCommand(t.command) : []
  if (t.verify?.pidFile) {
    refs.push({ kind: 'pidfile', pidFile: t.verify.pidFile,
      via: 'verify.pid_file' })
  }
  if (t.verify?.pid !== undefined) {
    const unit = await unitOfPid(t.verify.pid, f.procRoot)
    if (unit) refs.push({ kind: 'program', program: unit, via: 'verify.pid' })
  }
  const named = new Map<string, Unit>()
  for (const ref of refs) {
    for (const u of await unitsOfRef(ref, f)) named.set(u.name, u)
  }
  const readers = (await f.cache.all()).filter((u) =>
    u.name !== f.self?.name && mentionOf(u, t.destination) !== undefined)
  return { named: [...named.values()], readers, refs }
}
