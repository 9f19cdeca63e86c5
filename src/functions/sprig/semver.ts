/**
 * `semver` and `semverCompare`: Masterminds/semver v3 versions (loose
 * parsing: "v1.2" is 1.2.0) and constraints (`^ ~ > >= < <= = !=`, x/*
 * wildcards, hyphen ranges, "," or space for and, "||" for or; a
 * pre-release version matches only a constraint that names a pre-release).
 */
import { defineFunc, type FuncMap } from '../../template/func.ts'
import { GoStruct } from '../../template/value.ts'
import { argString } from './convert.ts'

const versionRe = new RegExp('^v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?' +
  '(-([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?(\\+([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?$')

function parseUint(s: string): bigint {
  const n = BigInt(s)
  if (n >= 2n ** 64n) {
    throw new Error('Error parsing version segment: strconv.ParseUint: ' +
      `parsing "${s}": value out of range`)
  }
  return n
}

/** A semantic version as Masterminds/semver's *Version shows it to templates. */
export class SemverVersion extends GoStruct {
  static override goType = 'semver.Version'
  static override goPointer = true

  constructor(readonly major: bigint, readonly minor: bigint, readonly patch: bigint,
    readonly pre: string, readonly metadata: string, readonly original: string) {
    super()
  }

  /** Parses a version loosely, as semver.NewVersion does. */
  static parse(v: string): SemverVersion {
    const m = versionRe.exec(v)
    if (!m) throw new Error('Invalid Semantic Version')
    const part = (s: string | undefined) => (s ? parseUint(s.slice(1)) : 0n)
    const pre = m[5] ?? ''
    for (const id of pre ? pre.split('.') : []) {
      if (/^\d+$/.test(id) && id.length > 1 && id.startsWith('0')) {
        throw new Error('Version segment starts with 0')
      }
    }
    return new SemverVersion(parseUint(m[1]!), part(m[2]), part(m[3]), pre, m[8] ?? '', v)
  }

  /** Returns the major number. */
  Major(): number { return Number(this.major) }
  /** Returns the minor number. */
  Minor(): number { return Number(this.minor) }
  /** Returns the patch number. */
  Patch(): number { return Number(this.patch) }
  /** Returns the pre-release part, without its "-". */
  Prerelease(): string { return this.pre }
  /** Returns the build metadata, without its "+". */
  Metadata(): string { return this.metadata }
  /** Returns the text the version was parsed from. */
  Original(): string { return this.original }

  /** Returns the canonical form, "1.2.3-pre+meta". */
  String(): string {
    return `${this.major}.${this.minor}.${this.patch}` +
      (this.pre ? '-' + this.pre : '') + (this.metadata ? '+' + this.metadata : '')
  }

  /** Returns the next patch version (or this one without its pre-release). */
  IncPatch(): SemverVersion {
    const p = this.pre ? this.patch : this.patch + 1n
    return this.derive(this.major, this.minor, p)
  }

  /** Returns the next minor version. */
  IncMinor(): SemverVersion { return this.derive(this.major, this.minor + 1n, 0n) }
  /** Returns the next major version. */
  IncMajor(): SemverVersion { return this.derive(this.major + 1n, 0n, 0n) }

  private derive(ma: bigint, mi: bigint, pa: bigint): SemverVersion {
    const v = new SemverVersion(ma, mi, pa, '', '', '')
    return new SemverVersion(ma, mi, pa, '', '', v.String())
  }

  /** Encodes as JSON the way *semver.Version does: its string form, quoted. */
  MarshalJSON(): string { return JSON.stringify(this.String()) }

  /** Compares with another version: -1, 0 or 1 (metadata ignored). */
  Compare(o: SemverVersion): number {
    for (const [a, b] of [[this.major, o.major], [this.minor, o.minor], [this.patch, o.patch]]) {
      if (a! !== b!) return a! < b! ? -1 : 1
    }
    return comparePre(this.pre, o.pre)
  }

  /** Reports whether this version is below o. */
  LessThan(o: SemverVersion): boolean { return this.Compare(o) < 0 }
  /** Reports whether this version is above o. */
  GreaterThan(o: SemverVersion): boolean { return this.Compare(o) > 0 }
  /** Reports whether this version equals o. */
  Equal(o: SemverVersion): boolean { return this.Compare(o) === 0 }
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0
  if (a === '') return 1
  if (b === '') return -1
  const x = a.split('.')
  const y = b.split('.')
  for (let k = 0; k < Math.max(x.length, y.length); k++) {
    if (k >= x.length) return -1
    if (k >= y.length) return 1
    const c = compareIdent(x[k]!, y[k]!)
    if (c !== 0) return c
  }
  return 0
}

function compareIdent(a: string, b: string): number {
  const an = /^\d+$/.test(a)
  const bn = /^\d+$/.test(b)
  if (an && bn) return BigInt(a) === BigInt(b) ? 0 : BigInt(a) < BigInt(b) ? -1 : 1
  if (an) return -1
  if (bn) return 1
  return a === b ? 0 : a < b ? -1 : 1
}

/** One parsed constraint: operator, version, and which parts were wild. */
interface Constraint {
  op: string
  con: SemverVersion
  dirty: boolean
  minorDirty: boolean
  patchDirty: boolean
}

const cv = 'v?([0-9|x|X|*]+)(\\.[0-9|x|X|*]+)?(\\.[0-9|x|X|*]+)?' +
  '(-([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?(\\+([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?'
const ops = '(=>|=<|~>|>=|<=|!=|[=><~^])?'
const oneRe = new RegExp(`^\\s*${ops}\\s*(${cv})\\s*$`)
const findRe = new RegExp(`${ops}\\s*${cv}`, 'g')
const validRe = new RegExp(`^(\\s*${ops}\\s*${cv}\\s*,?)+$`)
const hyphenRe = new RegExp(`\\s*(${cv})\\s+-\\s+(${cv})\\s*`, 'g')

const isX = (s: string) => s === 'x' || s === 'X' || s === '*'

function parseConstraint(text: string): Constraint {
  const m = oneRe.exec(text)
  if (!m) throw new Error(`improper constraint: ${text}`)
  const [maj, min, pat, pre] = [m[3]!, m[4] ?? '', m[5] ?? '', m[6] ?? '']
  const c = { op: m[1] ?? '', dirty: false, minorDirty: false, patchDirty: false }
  let ver: string
  if (isX(maj)) {
    ver = '0.0.0' + pre
    c.dirty = true
  } else if (min === '' || isX(min.slice(1))) {
    ver = `${maj}.0.0${pre}`
    c.dirty = c.minorDirty = true
  } else if (pat === '' || isX(pat.slice(1))) {
    ver = `${maj}${min}.0${pre}`
    c.dirty = c.patchDirty = true
  } else {
    ver = `${maj}${min}${pat}${pre}`
  }
  return { ...c, con: SemverVersion.parse(ver) }
}

/** Parses a constraint string into or-groups of and-ed constraints. */
export function parseConstraints(text: string): Constraint[][] {
  const rewritten = text.replace(hyphenRe, (_all, a: string, ...rest: string[]) =>
    `>= ${a}, <= ${rest[9]}`)
  return rewritten.split('||').map((group) => {
    if (!validRe.test(group)) throw new Error(`improper constraint: ${group}`)
    return [...group.matchAll(findRe)].map((m) => parseConstraint(m[0]))
  })
}

function check(v: SemverVersion, c: Constraint): boolean {
  const con = c.con
  // A pre-release only satisfies a constraint that names one, except for
  // an exact "!=" (Masterminds compares that one plainly).
  if (v.pre !== '' && con.pre === '' && !(c.op === '!=' && !c.dirty)) return false
  const cmp = v.Compare(con)
  switch (c.op) {
    case '': case '=':
      return c.dirty ? tilde(v, c) : cmp === 0
    case '!=':
      if (!c.dirty) return cmp !== 0
      if (v.major !== con.major) return true
      if (c.minorDirty) return false
      if (v.minor !== con.minor) return true
      if (!c.patchDirty) return v.patch !== con.patch || comparePre(v.pre, con.pre) !== 0
      // "!=1.2.x-0" tells versions apart by their pre-release alone.
      return comparePre(v.pre, con.pre) !== 0
    case '>':
      if (!c.dirty || v.major !== con.major) return c.dirty ? v.major > con.major : cmp > 0
      if (c.minorDirty) return false
      if (c.patchDirty) return v.minor > con.minor
      return cmp > 0
    case '<':
      return cmp < 0
    case '>=': case '=>':
      return cmp >= 0
    case '<=': case '=<':
      if (!c.dirty) return cmp <= 0
      if (v.major !== con.major) return v.major < con.major
      return c.minorDirty || v.minor <= con.minor
    case '~': case '~>':
      return tilde(v, c)
    default:
      return caret(v, c)
  }
}

function tilde(v: SemverVersion, c: Constraint): boolean {
  const con = c.con
  if (v.LessThan(con)) return false
  if (con.major === 0n && con.minor === 0n && con.patch === 0n &&
    !c.minorDirty && !c.patchDirty) return true
  if (v.major !== con.major) return false
  return v.minor === con.minor || c.minorDirty
}

function caret(v: SemverVersion, c: Constraint): boolean {
  const con = c.con
  if (v.LessThan(con)) return false
  if (con.major > 0n || c.minorDirty) return v.major === con.major
  if (v.major > 0n) return false
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor
  if (v.minor > 0n) return false
  return v.patch === con.patch
}

/** Reports whether version satisfies constraint (semverCompare). */
export function semverCompare(constraint: string, version: string): boolean {
  const groups = parseConstraints(constraint)
  const v = SemverVersion.parse(version)
  return groups.some((g) => g.every((c) => check(v, c)))
}

/** Returns Sprig's semver functions, keyed by their Sprig names. */
export function semverFuncs(): FuncMap {
  return {
    semver: defineFunc((v) => SemverVersion.parse(argString(v)), 1),
    semverCompare: defineFunc((c, v) => semverCompare(argString(c), argString(v)), 2),
  }
}
