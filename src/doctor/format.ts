/** Renders a doctor report for people (text) or tools (JSON). */
import type { DoctorInput, DoctorReport } from './types.ts'

/** Returns the report as text: one paragraph per finding, or one clean line. */
export function formatText(report: DoctorReport, input: DoctorInput): string {
  const n = report.findings.length
  const t = input.templates.length
  const unitList = report.units.map((u) => u.name).join(', ') || 'none'
  if (n === 0) {
    return `ctmpl doctor: no problems found (${t} template${t === 1 ? '' : 's'}; ` +
      `units read: ${unitList})\n`
  }
  const lines = [`ctmpl doctor: ${n} problem${n === 1 ? '' : 's'} found ` +
    `(units read: ${unitList})`, '']
  for (const f of report.findings) {
    const origin = input.templates[f.template]?.origin
    lines.push(`[${f.rule}] ${f.destination}` + (origin ? ` (template at ${origin})` : ''))
    lines.push(`  ${f.message}`)
    if (f.cause) {
      lines.push(`  cause: ${f.cause.file}:${f.cause.line}` +
        (f.cause.setting ? `  ${f.cause.setting}` : ''))
    }
    lines.push(`  fix:   ${f.fix}`, '')
  }
  return lines.join('\n')
}

/** Returns the report as one JSON document with a trailing newline. */
export function formatJson(report: DoctorReport): string {
  return JSON.stringify({ ok: report.findings.length === 0, ...report }, null, 2) + '\n'
}
