/**
 * The guard keeps the previous file on disk while a new one is unproven,
 * so a crash or kill of ctmpl itself between install and the end of the
 * pipeline loses nothing: a hidden hard link `.<name>.ctmpl-prev` next to
 * the destination holds the old inode (bytes, mode, owner), or an empty
 * `.<name>.ctmpl-new` marks that there was no file before. Both names start
 * with a dot so include globs such as `conf.d/*.conf` never pick them up.
 */
import { constants } from 'node:fs'
import * as fs from './fsx.ts'
import { basename, dirname, join } from 'node:path'

/** The two guard file names for a destination. */
export function guardPaths(destination: string): { prev: string, none: string } {
  const dir = dirname(destination)
  const base = basename(destination)
  return { prev: join(dir, `.${base}.ctmpl-prev`),
    none: join(dir, `.${base}.ctmpl-new`) }
}

async function syncDir(dir: string): Promise<void> {
  const h = await fs.open(dir, constants.O_RDONLY | constants.O_DIRECTORY)
  try {
    await h.sync()
  } finally {
    await h.close()
  }
}

/**
 * Records the destination's current state before it is replaced: a hard
 * link to it when it exists, else the "there was none" marker.
 */
export async function setGuard(destination: string,
  exists: boolean): Promise<void> {
  const g = guardPaths(destination)
  await releaseGuard(destination)
  if (exists) await fs.link(destination, g.prev)
  else await (await fs.open(g.none, 'wx', 0o600)).close()
  await syncDir(dirname(destination))
}

/** Removes the guard once the new file is accepted or the old one is back. */
export async function releaseGuard(destination: string): Promise<void> {
  const g = guardPaths(destination)
  await Promise.all([fs.rm(g.prev, { force: true }),
    fs.rm(g.none, { force: true })])
}

/**
 * Puts back what the guard recorded: renames the held inode over the
 * destination, or removes the destination when there was no file before.
 * Returns what it did; 'none' when no guard exists.
 */
export async function restoreFromGuard(
  destination: string): Promise<'restored' | 'removed' | 'none'> {
  const g = guardPaths(destination)
  try {
    await fs.rename(g.prev, destination)
    await syncDir(dirname(destination))
    return 'restored'
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  try {
    await fs.access(g.none)
  } catch {
    return 'none'
  }
  await fs.rm(destination, { force: true })
  await fs.rm(g.none, { force: true })
  await syncDir(dirname(destination))
  return 'removed'
}

/**
 * For the runner at start-up: when a previous run of ctmpl died between
 * install and the end of its checks, puts the file it replaced back.
 */
export const recoverInterrupted = restoreFromGuard
