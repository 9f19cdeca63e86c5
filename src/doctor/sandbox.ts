/**
 * What a unit's sandboxing settings do to one path, following the
 * systemd.exec semantics: PrivateTmp= gives /tmp and /var/tmp of its own;
 * ProtectSystem= makes /usr, /boot and /efi (true), also /etc (full), or
 * everything but /dev, /proc and /sys (strict) read-only; ProtectHome=
 * makes /home, /root and /run/user inaccessible (yes), read-only, or an
 * empty tmpfs; ReadOnlyPaths=, InaccessiblePaths=, TemporaryFileSystem= and
 * ReadWritePaths= act on the paths listed, the most specific one winning;
 * DynamicUser=yes implies PrivateTmp=yes, ProtectSystem=strict and
 * ProtectHome=read-only.
 */
import { isUnder, isUnderTmp } from './paths.ts'
import { lastAssignment, listAssignments, parseBoolean } from './units.ts'
import type { Assignment, Unit } from './units.ts'

/** What a setting does to the path. */
export type EffectKind = 'private-tmp' | 'read-only' | 'inaccessible' | 'tmpfs'

/** One setting's effect on a path, with the assignment that causes it. */
export interface PathEffect {
  kind: EffectKind
  /** The path the setting covers ("/tmp", "/etc", "/"). */
  covers: string
  /** The setting as written, e.g. "ProtectSystem=full". */
  setting: string
  at: Assignment
}

const homeDirs = ['/home', '/root', '/run/user']
const apiDirs = ['/dev', '/proc', '/sys']

const covers = (prefix: string, path: string): boolean => isUnder(path, prefix)

// "-/path" ignores a missing path, "+/path" is relative to RootDirectory=;
// TemporaryFileSystem= items may carry ":options".
function cleanPath(item: string, withOptions = false): string | null {
  let p = item.replace(/^[-+]+/, '')
  if (withOptions) p = p.split(':')[0]!
  if (!p.startsWith('/')) return null
  return p.length > 1 ? p.replace(/\/+$/, '') : p
}

function settingOf(a: Assignment): string {
  return `${a.key}=${a.value}`
}

/** Returns whether the unit has a private /tmp, and the assignment causing it. */
export function privateTmpOf(unit: Unit): Assignment | null {
  const dyn = lastAssignment(unit, 'DynamicUser')
  if (dyn && parseBoolean(dyn.value)) return dyn
  const pt = lastAssignment(unit, 'PrivateTmp')
  if (!pt) return null
  return parseBoolean(pt.value) === true || pt.value === 'disconnected' ? pt : null
}

interface Rule { kind: EffectKind | 'read-write', covers: string, at: Assignment }

function systemRules(unit: Unit, dyn: Assignment | null): Rule[] {
  const rules: Rule[] = []
  const ps = lastAssignment(unit, 'ProtectSystem')
  let level = ps === null ? 'no' : ps.value
  const b = ps === null ? null : parseBoolean(ps.value)
  if (b !== null) level = b ? 'true' : 'no'
  let psAt = ps
  if (dyn && level !== 'strict') {
    level = 'strict'
    psAt = dyn
  }
  if (psAt && level !== 'no') {
    const dirs = level === 'strict' ? ['/'] : ['/usr', '/boot', '/efi']
    if (level === 'full') dirs.push('/etc')
    for (const d of dirs) rules.push({ kind: 'read-only', covers: d, at: psAt })
    if (level === 'strict') {
      for (const d of apiDirs) rules.push({ kind: 'read-write', covers: d, at: psAt })
    }
  }
  const ph = lastAssignment(unit, 'ProtectHome')
  let home = ph === null ? 'no' : ph.value
  const hb = ph === null ? null : parseBoolean(ph.value)
  if (hb !== null) home = hb ? 'yes' : 'no'
  let phAt = ph
  if (dyn && home === 'no') {
    home = 'read-only'
    phAt = dyn
  }
  if (phAt && home !== 'no') {
    const kind: EffectKind = home === 'yes' ? 'inaccessible'
      : home === 'tmpfs' ? 'tmpfs' : 'read-only'
    for (const d of homeDirs) rules.push({ kind, covers: d, at: phAt })
  }
  return rules
}

function listRules(unit: Unit): Rule[] {
  const rules: Rule[] = []
  const add = (kind: Rule['kind'], keys: string[], options = false) => {
    for (const { item, from } of listAssignments(unit, keys)) {
      const p = cleanPath(item, options)
      if (p) rules.push({ kind, covers: p, at: from })
    }
  }
  add('read-only', ['ReadOnlyPaths', 'ReadOnlyDirectories'])
  add('inaccessible', ['InaccessiblePaths', 'InaccessibleDirectories'])
  add('tmpfs', ['TemporaryFileSystem'], true)
  add('read-write', ['ReadWritePaths', 'ReadWriteDirectories'])
  // The managed directories are writable even under ProtectSystem=strict.
  const managed: Array<[string, string]> = [['StateDirectory', '/var/lib'],
    ['RuntimeDirectory', '/run'], ['CacheDirectory', '/var/cache'],
    ['LogsDirectory', '/var/log']]
  for (const [key, base] of managed) {
    for (const { item, from } of listAssignments(unit, [key])) {
      const name = item.split(':')[0]!
      if (name && !name.startsWith('/')) {
        rules.push({ kind: 'read-write', covers: `${base}/${name}`, at: from })
      }
    }
  }
  return rules
}

/**
 * Returns what the unit's sandbox does to `path` for the unit's processes:
 * at most one private-tmp effect and at most one mount effect (the most
 * specific covering setting; none when that one is ReadWritePaths=).
 */
export function pathEffects(unit: Unit, path: string): PathEffect[] {
  const out: PathEffect[] = []
  const pt = privateTmpOf(unit)
  if (pt && isUnderTmp(path)) {
    const dir = covers('/var/tmp', path) ? '/var/tmp' : '/tmp'
    out.push({ kind: 'private-tmp', covers: dir, setting: settingOf(pt), at: pt })
  }
  const dyn = lastAssignment(unit, 'DynamicUser')
  const rules = [...systemRules(unit, dyn && parseBoolean(dyn.value) ? dyn : null),
    ...listRules(unit)]
  // A private /tmp is writable whatever ProtectSystem= says.
  if (pt) {
    for (const d of ['/tmp', '/var/tmp']) rules.push({ kind: 'read-write', covers: d, at: pt })
  }
  let best: Rule | null = null
  for (const r of rules) {
    if (!covers(r.covers, path)) continue
    // Longer prefix wins; at equal length the later setting does.
    if (!best || r.covers.length >= best.covers.length) best = r
  }
  if (best && best.kind !== 'read-write') {
    out.push({ kind: best.kind, covers: best.covers, setting: settingOf(best.at), at: best.at })
  }
  return out
}
