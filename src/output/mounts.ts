/**
 * Reads /proc/<pid>/mountinfo to tell which mount covers a path in a
 * process's mount namespace. Comparing that answer for the consumer and for
 * ctmpl turns "the bytes differ" into "its /tmp is a separate tmpfs".
 */
import { readFile, readlink } from 'node:fs/promises'

/** One line of mountinfo, the fields verify needs. */
export interface MountEntry {
  /** major:minor of the file system. */
  device: string
  /** The path inside that file system which is mounted (bind mounts). */
  root: string
  /** Where it is mounted, in the process's view. */
  mountPoint: string
  /** Per-mount options; "ro" means read-only. */
  options: string[]
  fsType: string
  source: string
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
function unescapeField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)))
}

/** Parses mountinfo text into entries, in the kernel's order. */
export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = []
  for (const line of text.split('\n')) {
    if (!line) continue
    const sep = line.indexOf(' - ')
    if (sep < 0) continue
    const left = line.slice(0, sep).split(' ')
    const right = line.slice(sep + 3).split(' ')
    if (left.length < 6 || right.length < 2) continue
    out.push({
      device: left[2]!,
      root: unescapeField(left[3]!),
      mountPoint: unescapeField(left[4]!),
      options: left[5]!.split(','),
      fsType: right[0]!,
      source: unescapeField(right[1]!),
    })
  }
  return out
}

function isUnder(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(dir + '/')
}

/**
 * Returns the mount that covers `path`: the deepest mount point above it,
 * the later one when two are stacked on the same point (later mounts hide
 * earlier ones).
 */
export function coveringMount(entries: MountEntry[], path: string): MountEntry | null {
  let best: MountEntry | null = null
  for (const e of entries) {
    if (!isUnder(path, e.mountPoint)) continue
    if (!best || e.mountPoint.length >= best.mountPoint.length) best = e
  }
  return best
}

/** True when two entries are the same file system subtree at the same place. */
export function sameMount(a: MountEntry | null, b: MountEntry | null): boolean {
  if (!a || !b) return a === b
  return a.device === b.device && a.root === b.root && a.mountPoint === b.mountPoint
}

/** Reads and parses a process's mountinfo; null when it cannot be read. */
export async function readMountInfo(pid: number | 'self',
  procRoot = '/proc'): Promise<MountEntry[] | null> {
  try {
    return parseMountInfo(await readFile(`${procRoot}/${pid}/mountinfo`, 'utf8'))
  } catch {
    return null
  }
}

/** Returns the mount namespace id link (e.g. "mnt:[4026531832]"), or null. */
export async function mountNamespace(pid: number | 'self',
  procRoot = '/proc'): Promise<string | null> {
  try {
    return await readlink(`${procRoot}/${pid}/ns/mnt`)
  } catch {
    return null
  }
}

/** Returns where a process's root directory is, seen from ours, or null. */
export async function processRoot(pid: number, procRoot = '/proc'): Promise<string | null> {
  try {
    return await readlink(`${procRoot}/${pid}/root`)
  } catch {
    return null
  }
}

/** True when `path` is /tmp, /var/tmp or below one of them. */
export function isUnderTmp(path: string): boolean {
  return isUnder(path, '/tmp') || isUnder(path, '/var/tmp')
}
