/**
 * Resolves `user` and `group` settings (names or numeric ids) to ids by
 * reading the passwd and group databases as files, since Node has no
 * getpwnam. NSS sources other than files (LDAP, sssd) are not consulted;
 * a numeric id always works.
 */
import { readFileSync } from 'node:fs'
import { OutputError } from './errors.ts'

/** Where the databases live; tests point these at fixtures. */
export interface OwnerDatabases {
  passwdPath?: string
  groupPath?: string
}

function lookup(dbPath: string, name: string, what: string): number {
  let text: string
  try {
    text = readFileSync(dbPath, 'utf8')
  } catch (err) {
    throw new OutputError(`cannot read ${dbPath} to resolve ${what} "${name}"`,
      'EOUT_OWNER', { cause: err })
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':')
    if (fields[0] === name && fields.length >= 3) return Number(fields[2])
  }
  throw new OutputError(`unknown ${what} "${name}" (not in ${dbPath})`, 'EOUT_OWNER')
}

function resolveId(value: string | number, dbPath: string, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      throw new OutputError(`invalid ${what} id ${value}`, 'EOUT_OWNER')
    }
    return value
  }
  if (/^\d+$/.test(value)) return Number(value)
  return lookup(dbPath, value, what)
}

/** Returns the uid for a user name or id; throws OutputError when unknown. */
export function resolveUser(user: string | number, db: OwnerDatabases = {}): number {
  return resolveId(user, db.passwdPath ?? '/etc/passwd', 'user')
}

/** Returns the gid for a group name or id; throws OutputError when unknown. */
export function resolveGroup(group: string | number, db: OwnerDatabases = {}): number {
  return resolveId(group, db.groupPath ?? '/etc/group', 'group')
}
