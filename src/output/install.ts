/**
 * The atomic install: a temp file in the destination's directory, write,
 * fsync, close, chmod, chown, optional backup, rename, fsync the directory.
 * A reader opening the destination sees either the old bytes or the new
 * ones, never a mix. Limits: atomic only within one file system (the temp
 * file lives next to the destination for that reason), and a rename over a
 * symlink replaces the link itself, as the reference does.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import * as fs from './fsx.ts'
import { basename, dirname, join } from 'node:path'
import { OutputError } from './errors.ts'
import { resolveGroup, resolveUser } from './owner.ts'
import type { OwnerDatabases } from './owner.ts'

/** The mode of a new file when neither perms nor an existing file say. */
export const defaultFileMode = 0o644

/** The mode of directories made by create_dest_dirs. */
export const defaultDirMode = 0o755

/** What was at the destination before an install: enough to restore it. */
export interface PreviousFile {
  bytes: Buffer
  mode: number
  uid: number
  gid: number
}

/** What to install where, with the template's file settings. */
export interface InstallInput {
  destination: string
  contents: Buffer | string
  /** File mode (e.g. 0o600); else the existing file's, else 0644. */
  perms?: number
  /** Owner: name or numeric id. */
  user?: string | number
  /** Group: name or numeric id. */
  group?: string | number
  /** Copy the current file to `<destination>.bak` before replacing it. */
  backup?: boolean
  /** Make missing parent directories (the reference's default is true). */
  createDestDirs?: boolean
  /** passwd/group files for name lookups (tests). */
  owners?: OwnerDatabases
}

/** A written, synced temp file waiting to be renamed into place. */
export interface StagedFile {
  destination: string
  tempPath: string
  mode: number
  uid: number
  gid: number
  /** The destination's bytes before this install, or null if absent. */
  previous: PreviousFile | null
  backup: boolean
}

/** The outcome of an install. */
export interface InstallResult {
  /** False when the destination already held these bytes: nothing written. */
  changed: boolean
  previous: PreviousFile | null
  /** The backup written, if any. */
  backupPath?: string
  /** Why the backup could not be made; the install itself went ahead. */
  backupError?: string
  mode: number
}

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === code
}

// What to change when the file system refuses the write.
function adviceFor(code: string | undefined, destination: string): string {
  const dir = dirname(destination)
  if (code === 'EROFS') {
    return `. ${dir} is read-only for ctmpl: a read-only mount, or ` +
      "ProtectSystem=/ReadOnlyPaths= in ctmpl's systemd unit; add " +
      `ReadWritePaths=${dir} to that unit (see \`ctmpl doctor\`)`
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return `. ctmpl may not write in ${dir}: run it as a user that owns ` +
      'the folder, or check InaccessiblePaths=/ProtectHome= in its unit ' +
      '(see `ctmpl doctor`)'
  }
  return ''
}

function installError(what: string, destination: string,
  err: unknown): OutputError {
  const msg = err instanceof Error ? err.message : String(err)
  const code = (err as NodeJS.ErrnoException | null)?.code
  return new OutputError(`install ${destination}: ${what}: ${msg}` +
    adviceFor(code, destination), 'EOUT_INSTALL', { cause: err })
}

/** Returns the destination's bytes and attributes, or null if absent. */
export async function readCurrent(
  destination: string): Promise<PreviousFile | null> {
  try {
    const [bytes, st] = await Promise.all([
      fs.readFile(destination), fs.stat(destination)])
    return { bytes, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid }
  } catch (err) {
    if (isCode(err, 'ENOENT')) return null
    throw installError('reading the current file', destination, err)
  }
}

async function ensureParent(parent: string, destination: string,
  create: boolean): Promise<void> {
  try {
    const st = await fs.stat(parent)
    if (!st.isDirectory()) {
      throw new OutputError(
        `install ${destination}: ${parent} is not a directory`, 'EOUT_INSTALL')
    }
    return
  } catch (err) {
    if (err instanceof OutputError) throw err
    if (!isCode(err, 'ENOENT')) {
      throw installError('checking the parent', destination, err)
    }
  }
  if (!create) {
    throw new OutputError(`install ${destination}: directory ${parent} ` +
      'does not exist (create_dest_dirs is off)', 'EOUT_INSTALL')
  }
  try {
    await fs.mkdir(parent, { recursive: true, mode: defaultDirMode })
  } catch (err) {
    throw installError(`creating ${parent}`, destination, err)
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, constants.O_RDONLY | constants.O_DIRECTORY)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Owner ids to give a file; -1 leaves one unchanged. */
interface Owner {
  uid: number
  gid: number
}

/** Writes bytes to a fresh temp file next to `destination`, synced. */
async function writeTemp(destination: string, bytes: Buffer, mode: number,
  owner: Owner | null, strictOwner: boolean): Promise<string> {
  const tempPath = join(dirname(destination),
    `.${basename(destination)}.ctmpl-${randomBytes(6).toString('hex')}`)
  try {
    // O_EXCL: never follow or reuse something another process planted.
    const handle = await fs.open(tempPath, 'wx', 0o600)
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (owner) {
      try {
        await fs.chown(tempPath, owner.uid, owner.gid)
      } catch (err) {
        // Keeping the old owner is best effort (as in the reference) when
        // we are not root; an explicit user/group must succeed.
        if (strictOwner || !isCode(err, 'EPERM')) throw err
      }
    }
    // chmod after chown: chown clears set-id bits.
    await fs.chmod(tempPath, mode)
    return tempPath
  } catch (err) {
    await fs.rm(tempPath, { force: true })
    throw err
  }
}

/**
 * Stages `contents` for `destination` unless the destination already holds
 * exactly these bytes (then returns null and writes nothing). The caller
 * must `commitStaged` or `discardStaged` the result.
 */
export async function stageFile(
  input: InstallInput): Promise<StagedFile | null> {
  const { destination } = input
  const bytes = Buffer.isBuffer(input.contents)
    ? input.contents : Buffer.from(input.contents, 'utf8')
  await ensureParent(dirname(destination), destination,
    input.createDestDirs ?? true)
  const previous = await readCurrent(destination)
  const wantUid = input.user !== undefined
    ? resolveUser(input.user, input.owners) : -1
  const wantGid = input.group !== undefined
    ? resolveGroup(input.group, input.owners) : -1
  // As in the reference, equal bytes with the wrong owner still rewrite.
  const ownerWrong = previous !== null &&
    ((wantUid !== -1 && wantUid !== previous.uid) ||
      (wantGid !== -1 && wantGid !== previous.gid))
  if (previous && previous.bytes.equals(bytes) && !ownerWrong) return null

  const mode = input.perms ?? previous?.mode ?? defaultFileMode
  const uid = wantUid !== -1 ? wantUid : previous?.uid ?? -1
  const gid = wantGid !== -1 ? wantGid : previous?.gid ?? -1
  const strictOwner = wantUid !== -1 || wantGid !== -1
  const owner = uid === -1 && gid === -1 ? null : { uid, gid }
  try {
    const tempPath = await writeTemp(destination, bytes, mode, owner,
      strictOwner)
    return { destination, tempPath, mode, uid, gid, previous,
      backup: input.backup ?? false }
  } catch (err) {
    throw installError('staging', destination, err)
  }
}

/** Removes a staged temp file that will not be installed. */
export async function discardStaged(staged: StagedFile): Promise<void> {
  await fs.rm(staged.tempPath, { force: true })
}

/**
 * Renames a staged file into place. With backup on, the previous file is
 * first hard-linked to `<destination>.bak` (an older `.bak` is kept as
 * `.old.bak` until that succeeds), as the reference does: the link keeps
 * the old inode, mode and owner. A failed backup is reported, not fatal.
 */
export async function commitStaged(staged: StagedFile): Promise<InstallResult> {
  const { destination, previous } = staged
  let backupPath: string | undefined
  let backupError: string | undefined
  if (staged.backup && previous) {
    const bak = `${destination}.bak`
    const old = `${destination}.old.bak`
    await fs.rename(bak, old).catch(() => {}) // usually: no .bak yet
    try {
      await fs.link(destination, bak)
      backupPath = bak
      await fs.rm(old, { force: true })
    } catch (err) {
      backupError = `could not back up ${destination}: ` +
        (err instanceof Error ? err.message : String(err))
    }
  }
  try {
    await fs.rename(staged.tempPath, destination)
    await fsyncDirectory(dirname(destination))
  } catch (err) {
    await discardStaged(staged)
    throw installError('installing', destination, err)
  }
  return { changed: true, previous, backupPath, backupError, mode: staged.mode }
}

/** Stages and commits in one step; writes nothing when the bytes are equal. */
export async function installAtomically(
  input: InstallInput): Promise<InstallResult> {
  const staged = await stageFile(input)
  if (!staged) {
    const previous = await readCurrent(input.destination)
    return { changed: false, previous, mode: previous?.mode ?? defaultFileMode }
  }
  return commitStaged(staged)
}

/**
 * Puts the previous bytes back atomically, with their mode and owner, or
 * removes the destination when there was no previous file.
 */
export async function restorePrevious(destination: string,
  previous: PreviousFile | null): Promise<void> {
  try {
    if (!previous) {
      await fs.rm(destination, { force: true })
      await fsyncDirectory(dirname(destination))
      return
    }
    const tmp = await writeTemp(destination, previous.bytes, previous.mode,
      { uid: previous.uid, gid: previous.gid }, false)
    try {
      await fs.rename(tmp, destination)
    } catch (err) {
      await fs.rm(tmp, { force: true })
      throw err
    }
    await fsyncDirectory(dirname(destination))
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    throw new OutputError(`restore ${destination}: ${msg}`, 'EOUT_RESTORE',
      { cause: err })
  }
}
