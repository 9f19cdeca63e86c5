/**
 * The checks behind `ctmpl doctor`: given the templates (destination,
 * command, verify target) and the systemd units, find the setups where a
 * render succeeds and the consumer still never loads it.
 */
import { findConsumers, UnitCache } from './discover.ts'
import {
  consumerRules, duplicateRules, pidFileRules, reloadRules, selfRules,
} from './rules.ts'
import type { DoctorInput, DoctorReport, Finding } from './types.ts'
import { defaultUnitDirs } from './units.ts'
import type { Unit } from './units.ts'

export type {
  Cause, DoctorInput, DoctorReport, DoctorTemplate, Finding, RuleId,
} from './types.ts'

/** ctmpl's own unit when none is named: either of the usual names. */
export const defaultSelfUnits = ['ctmpl.service', 'consul-template.service']

/** Runs every check and returns the findings, in template order. */
export async function runChecks(input: DoctorInput): Promise<DoctorReport> {
  const cache = new UnitCache(input.unitDirs ?? defaultUnitDirs)
  let self: Unit | null = null
  for (const name of input.selfUnits ?? defaultSelfUnits) {
    self = await cache.get(name)
    if (self) break
  }
  const findings: Finding[] = []
  // Every unit looked at is reported; the ones merely scanned are not.
  const concernedAll = new Map<string, Unit>()
  if (self) concernedAll.set(self.name, self)
  for (const [index, t] of input.templates.entries()) {
    if (!t.destination) continue
    const c = await findConsumers({ t, index, cache, self, findings,
      procRoot: input.procRoot ?? '/proc' })
    const r = { t, index }
    const concerned = new Map([...c.named, ...c.readers]
      .map((u) => [u.name, u]))
    for (const unit of concerned.values()) {
      concernedAll.set(unit.name, unit)
      findings.push(...consumerRules(r, unit))
    }
    if (self) findings.push(...selfRules(r, self))
    findings.push(...pidFileRules(r, c, self))
    findings.push(...reloadRules(r, c))
  }
  findings.push(...duplicateRules(input.templates))
  const units = [...concernedAll.values()]
    .map((u) => ({ name: u.name,
      files: [...(u.path ? [u.path] : []), ...u.dropIns] }))
    .sort((a, b) => a.name.localeCompare(b.name))
  return { findings, units }
}
