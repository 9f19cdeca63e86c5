/** The doctor's input and report shapes. */

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
  /** The proc file system, to map verify.pid to its unit (tests). */
  procRoot?: string
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
  | 'reload-wrong-unit' // the command reloads a unit not reading the file
  | 'duplicate-destination' // two templates write one file

/** Where a finding's cause was written: a unit setting or a template. */
export interface Cause {
  file: string
  line: number
  /** The setting as written, e.g. "PrivateTmp=yes". */
  setting?: string
}

/** One problem, with its cause and what to change. */
export interface Finding {
  rule: RuleId
  /** Index of the template in the input (the first one, for duplicates). */
  template: number
  destination: string
  /** The unit involved, when there is one. */
  unit?: string
  message: string
  cause?: Cause
  fix: string
}

/** The doctor's report. */
export interface DoctorReport {
  findings: Finding[]
  /** The units the templates concern (and ctmpl's), with their files. */
  units: Array<{ name: string, files: string[] }>
}
