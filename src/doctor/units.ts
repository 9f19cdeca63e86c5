/**
 * Reads systemd unit files the way systemd's loader sees them: sections,
 * `Key=value` assignments, `#`/`;` comments, backslash line continuations,
 * the unit found in the first folder of the search path that has it, and
 * drop-ins `NAME.d/*.conf` (plus the type-wide `service.d/`) from every
 * folder, a file name in an earlier folder masking the same name in a later
 * one, applied in lexical order of their file names. Every value remembers
 * the file and line it came from, so a finding can point at its cause.
 */
import { readdir, readFile, realpath } from 'node:fs/promises'
import { basename, join } from 'node:path'

/** systemd's system unit search path, highest priority first. */
export const defaultUnitDirs = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
]

/** One assignment, with where it was written. */
export interface Assignment {
  section: string
  key: string
  /** The value; '' is an empty assignment (a reset). */
  value: string
  file: string
  line: number
}

/** A loaded unit: its main file, its drop-ins, every assignment in order. */
export interface Unit {
  name: string
  /** The main unit file, null when only drop-ins exist. */
  path: string | null
  dropIns: string[]
  /** True when the unit file is a link to /dev/null or empty. */
  masked: boolean
  assignments: Assignment[]
}

/** Parses one unit file's text; `file` is used for positions only. */
export function parseUnitText(text: string, file: string): Assignment[] {
  const out: Assignment[] = []
  const lines = text.split(/\r?\n/)
  let section = ''
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1
    let line = lines[i]!.trim()
    if (line === '' || line[0] === '#' || line[0] === ';') continue
    if (line[0] === '[' && line.endsWith(']')) {
      section = line.slice(1, -1)
      continue
    }
    // A trailing backslash joins the next line with a space; comment
    // lines inside a continuation are skipped, as systemd does.
    while (line.endsWith('\\') && i + 1 < lines.length) {
      line = line.slice(0, -1)
      const next = lines[++i]!.trim()
      if (next[0] === '#' || next[0] === ';') {
        line += '\\'
        continue
      }
      line += ' ' + next
    }
    if (line.endsWith('\\')) line = line.slice(0, -1)
    const eq = line.indexOf('=')
    if (eq <= 0) continue // systemd ignores such lines with a warning
    out.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(),
      file, line: startLine })
  }
  return out
}

/** Returns the unit name with `.service` added when it has no unit suffix. */
export function normalizeUnitName(name: string): string {
  return /\.(service|socket|mount|timer|target|path|slice|scope|swap)$/.test(name)
    ? name : `${name}.service`
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return null
  }
}

async function listConf(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith('.conf'))
  } catch {
    return []
  }
}

// For "foo@bar.service" the template "foo@.service" supplies the file and
// its drop-ins apply too; "service.d" applies to every service. Most
// specific first: when two hold the same file name, the first one wins.
function dropInFolders(name: string): string[] {
  const type = name.slice(name.lastIndexOf('.') + 1)
  const folders = [`${name}.d`]
  const at = name.indexOf('@')
  if (at > 0) folders.push(`${name.slice(0, at + 1)}.${type}.d`)
  folders.push(`${type}.d`)
  return folders
}

/**
 * Loads a unit by name from the folders (highest priority first); returns
 * null when neither the unit file nor any drop-in of its own exists.
 */
export async function loadUnit(name: string,
  dirs: string[] = defaultUnitDirs): Promise<Unit | null> {
  const unitName = normalizeUnitName(name)
  const at = unitName.indexOf('@')
  const templateName = at > 0
    ? unitName.slice(0, at + 1) + unitName.slice(unitName.lastIndexOf('.')) : null

  let path: string | null = null
  let text: string | null = null
  for (const candidate of [unitName, templateName]) {
    if (candidate === null || path !== null) continue
    for (const dir of dirs) {
      const p = join(dir, candidate)
      const t = await readIfExists(p)
      if (t === null && !(await isDevNullLink(p))) continue
      path = p
      text = t
      break
    }
  }

  // Drop-in file names: the first folder with a given name wins.
  const chosen = new Map<string, string>()
  let ownDropIns = 0
  for (const folder of dropInFolders(unitName)) {
    for (const dir of dirs) {
      for (const file of await listConf(join(dir, folder))) {
        if (chosen.has(file)) continue
        chosen.set(file, join(dir, folder, file))
        if (folder !== 'service.d') ownDropIns++
      }
    }
  }
  if (path === null && ownDropIns === 0) return null

  const masked = path !== null && (text === null || text.trim() === '' ||
    (await isDevNullLink(path)))
  const assignments = path !== null && text !== null && !masked
    ? parseUnitText(text, path) : []
  const dropIns = [...chosen.keys()].sort().map((f) => chosen.get(f)!)
  for (const d of dropIns) {
    const t = await readIfExists(d)
    if (t !== null) assignments.push(...parseUnitText(t, d))
  }
  return { name: unitName, path, dropIns, masked, assignments }
}

async function isDevNullLink(path: string): Promise<boolean> {
  try {
    return (await realpath(path)) === '/dev/null'
  } catch {
    return false
  }
}

/** Returns the names of every unit file found in the folders, sorted. */
export async function listUnits(dirs: string[] = defaultUnitDirs): Promise<string[]> {
  const names = new Set<string>()
  for (const dir of dirs) {
    let entries: string[]
    try {
      entries = await readdir(dir)
    } catch {
      continue
    }
    for (const e of entries) {
      if (/\.(service)$/.test(e) && !e.endsWith('@.service')) names.add(basename(e))
    }
  }
  return [...names].sort()
}

/**
 * Returns the effective single value of a setting: the last assignment,
 * or null when unset or when the last assignment is empty (a reset).
 */
export function lastAssignment(unit: Unit, key: string,
  section = 'Service'): Assignment | null {
  let last: Assignment | null = null
  for (const a of unit.assignments) {
    if (a.section === section && a.key === key) last = a
  }
  return last && last.value !== '' ? last : null
}

/** One item of a list setting, with where it was added. */
export interface ListItem {
  item: string
  from: Assignment
}

/**
 * Returns a list setting's items: each assignment adds its space-separated
 * items, an empty assignment clears what came before. `keys` lets an old
 * alias (ReadOnlyDirectories=) feed the same list.
 */
export function listAssignments(unit: Unit, keys: string[],
  section = 'Service'): ListItem[] {
  let items: ListItem[] = []
  for (const a of unit.assignments) {
    if (a.section !== section || !keys.includes(a.key)) continue
    if (a.value === '') {
      items = []
      continue
    }
    for (const item of splitWords(a.value)) items.push({ item, from: a })
  }
  return items
}

/** Splits a value on whitespace, honouring double and single quotes. */
export function splitWords(value: string): string[] {
  const words: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    words.push(m[1] ?? m[2] ?? m[3]!)
  }
  return words
}

/** Parses systemd's booleans; null when the word is not one. */
export function parseBoolean(value: string): boolean | null {
  switch (value.toLowerCase()) {
    case '1': case 'yes': case 'y': case 'true': case 't': case 'on': return true
    case '0': case 'no': case 'n': case 'false': case 'f': case 'off': return false
    default: return null
  }
}
