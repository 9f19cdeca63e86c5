/**
 * Confinement of template file access to `sandbox_path`.
 *
 * A path is checked after every symbolic link on it has been followed, so a
 * link planted inside the sandbox cannot reach outside. Components that do
 * not exist yet (a file `writeToFile` is about to create) are taken
 * lexically once the walk reaches them. Because a link can be swapped in
 * between the check and the open, `openInSandbox` opens with O_NOFOLLOW and
 * then checks again what the descriptor really points at. The work is
 * synchronous because template functions never wait; the async entry points
 * are for dependency fetches.
 */
import {
  closeSync, constants, lstatSync, openSync, readFileSync, readlinkSync, realpathSync,
} from 'node:fs'
import { isAbsolute, resolve, sep } from 'node:path'

/** The most links one resolution follows, as Linux's ELOOP limit. */
const maxLinkHops = 40

/** Raised when a path leaves the sandbox or cannot be checked. */
export class SandboxError extends Error {
  readonly code = 'ESANDBOX'

  constructor(msg: string, options?: ErrorOptions) {
    super(msg, options)
  }
}
SandboxError.prototype.name = 'SandboxError'

/** Returns the absolute path with every existing symbolic link followed;
 * components past the first missing one are appended as written. */
export function resolveLinks(path: string): string {
  const queue = resolve(path).split(sep).filter((c) => c !== '')
  let current: string = sep
  let hops = 0
  let missing = false
  while (queue.length > 0) {
    const comp = queue.shift()!
    if (comp === '.') continue
    if (comp === '..') {
      current = resolve(current, '..')
      continue
    }
    const next = resolve(current, comp)
    if (missing) {
      current = next
      continue
    }
    let isLink = false
    try {
      isLink = lstatSync(next).isSymbolicLink()
    } catch (err) {
      if (!isNotFound(err)) throw err
      missing = true
    }
    if (!isLink) {
      current = next
      continue
    }
    if (++hops > maxLinkHops) {
      throw new SandboxError(`too many levels of symbolic links in "${path}"`)
    }
    const target = readlinkSync(next)
    if (isAbsolute(target)) current = sep
    queue.unshift(...target.split(sep).filter((c) => c !== ''))
  }
  return current
}

/** Resolves `path` (relative to the working directory) and returns its real
 * location; with a sandbox, rejects unless that location lies inside it. */
export async function resolveInSandbox(
  path: string, sandboxPath: string | undefined,
): Promise<string> {
  return resolveInSandboxSync(path, sandboxPath)
}

/** Does what `resolveInSandbox` does, synchronously, for template functions
 * (they never wait). */
export function resolveInSandboxSync(
  path: string, sandboxPath: string | undefined,
): string {
  const real = resolveLinks(path)
  if (sandboxPath === undefined || sandboxPath === '') return real

  const root = realSandbox(sandboxPath)
  if (!isInside(root, real)) {
    const via = real === resolve(path) ? '' : ` (it resolves to "${real}")`
    throw new SandboxError(
      `"${path}" is outside the sandbox "${sandboxPath}"${via}`)
  }
  return real
}

/** Reports whether `path` is `root` itself or lies below it. */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true
  const prefix = root.endsWith(sep) ? root : root + sep
  return path.startsWith(prefix)
}

/** How `openInSandbox` opens a file. */
export interface OpenOptions {
  /** fs.constants flags; O_NOFOLLOW is always added. */
  flags: number
  /** Permission bits for a file the open creates. */
  mode?: number
  /** Runs between the check and the open; tests use it to race a swap. */
  afterCheck?: (resolved: string) => void
}

/** Opens `path` after checking it against the sandbox, refusing a symbolic
 * link at the final component and re-checking the opened descriptor, so a
 * link swapped in after the check is caught. */
export function openInSandbox(
  path: string, sandboxPath: string | undefined, opts: OpenOptions,
): number {
  const real = resolveInSandboxSync(path, sandboxPath)
  opts.afterCheck?.(real)
  let fd: number
  try {
    fd = openSync(real, opts.flags | constants.O_NOFOLLOW, opts.mode)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new SandboxError(
        `refusing to follow symbolic link "${real}" (from "${path}")`,
        { cause: err })
    }
    throw err
  }
  if (sandboxPath === undefined || sandboxPath === '') return fd

  // Linux names the file behind a descriptor in /proc; this closes the
  // window where a parent directory is swapped for a link after the check.
  let opened: string | undefined
  try {
    opened = readlinkSync(`/proc/self/fd/${fd}`)
  } catch {
    opened = undefined
  }
  const root = realSandbox(sandboxPath)
  if (opened !== undefined && !isInside(root, opened)) {
    closeSync(fd)
    throw new SandboxError(
      `"${path}" is outside the sandbox "${sandboxPath}" ` +
      `(it was swapped to "${opened}" while opening)`)
  }
  return fd
}

/** Reads a whole file as UTF-8 through `openInSandbox`. */
export async function readFileInSandbox(
  path: string, sandboxPath: string | undefined,
): Promise<string> {
  const fd = openInSandbox(path, sandboxPath, { flags: constants.O_RDONLY })
  try {
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

function realSandbox(sandboxPath: string): string {
  try {
    return realpathSync(resolve(sandboxPath))
  } catch (err) {
    throw new SandboxError(
      `cannot resolve sandbox "${sandboxPath}": ${(err as Error).message}`,
      { cause: err })
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
