/**
 * `writeToFile`: writes content to a path as a side effect of rendering.
 * Beyond the reference, it honours `sandbox_path`; like the reference, it
 * refuses a symbolic link at the target or as its directory, and opens
 * with O_NOFOLLOW so a link planted after the check fails the open.
 */
import {
  closeSync, constants, fchmodSync, fchownSync, lstatSync, mkdirSync,
  readFileSync, writeSync,
} from 'node:fs'
import { basename, dirname, join, normalize } from 'node:path'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { openInSandbox, resolveInSandboxSync } from '../dependency/sandbox.ts'
import { asString, asStrings } from './args.ts'
import { parseUintBase } from './strconv.ts'

/** One call of writeToFile, after its arguments are read. */
export interface WriteRequest {
  path: string
  user: string
  group: string
  mode: number
  append: boolean
  content: string
}

/** Writes a request for real; the default `writeToFile` hook. `afterCheck`
 * runs between the checks and the open (tests race a symlink into it). */
export function writeGuarded(req: WriteRequest, sandboxPath?: string,
  afterCheck?: (resolved: string) => void): void {
  const clean = normalize(req.path)
  const dir = dirname(clean)
  if (sandboxPath) resolveInSandboxSync(clean, sandboxPath)
  mkdirSync(dir, { recursive: true })
  if (lstatSync(dir).isSymbolicLink()) {
    throw new Error('writeToFile: refusing to write through symlinked directory ' +
      `in path "${req.path}"`)
  }
  const target = join(dir, basename(clean))
  let isLink = false
  try {
    isLink = lstatSync(target).isSymbolicLink()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (isLink) throw new Error(`writeToFile: refusing to write to symlink "${req.path}"`)

  const flags = constants.O_WRONLY | constants.O_CREAT |
    (req.append ? constants.O_APPEND : constants.O_TRUNC)
  const fd = openInSandbox(target, sandboxPath, { flags, mode: req.mode, afterCheck })
  try {
    writeSync(fd, req.content)
    if (req.user !== '' || req.group !== '') {
      const uid = req.user === '' ? process.getuid!() : lookupId('/etc/passwd', req.user, 'user')
      const gid = req.group === '' ? process.getgid!() : lookupId('/etc/group', req.group, 'group')
      fchownSync(fd, uid, gid)
    }
    fchmodSync(fd, req.mode)
  } finally {
    closeSync(fd)
  }
}

/** Finds a user or group id by name in a passwd-style file, or takes a
 * number as the id itself, as the reference does. */
function lookupId(file: string, name: string, what: 'user' | 'group'): number {
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    text = ''
  }
  for (const line of text.split('\n')) {
    const parts = line.split(':')
    if (parts[0] === name && parts[2] !== undefined) return Number(parts[2])
  }
  if (/^[+-]?[0-9]+$/.test(name)) return Number(name)
  throw new Error(what === 'user' ? `user: unknown user ${name}` : `group: unknown group ${name}`)
}

/** Returns `writeToFile`; `write` replaces the real write (dry runs). */
export function fileFuncs(sandboxPath?: string,
  write: (req: WriteRequest) => void = (req) => writeGuarded(req, sandboxPath)): FuncMap {
  return {
    writeToFile: defineFunc((path: unknown, user: unknown, group: unknown,
      perms: unknown, ...rest: unknown[]) => {
      const args = asStrings(rest)
      if (args.length === 0) {
        throw new Error('runtime error: index out of range [-1]')
      }
      const flags = args.length === 2 ? args[0]! : ''
      const mode = Number(parseUintBase(asString(perms), 8, 32))
      const content = args[args.length - 1]! + (flags.includes('newline') ? '\n' : '')
      write({
        path: asString(path), user: asString(user), group: asString(group),
        mode, append: flags.includes('append'), content,
      })
      return ''
    }, 5, true),
  }
}
