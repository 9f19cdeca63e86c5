/**
 * Verify: after the command, look at the destination through the consumer's
 * own eyes (/proc/<pid>/root/<destination>, which resolves in its mount
 * namespace and root) and compare with the rendered bytes. A failure names
 * the destination, the process and the likely cause, with what to change.
 */
import { readFile } from 'node:fs/promises'
import { VerifyError } from './errors.ts'
import type { OutputErrorCode } from './errors.ts'
import {
  coveringMount, isUnderTmp, mountNamespace, processRoot, readMountInfo,
  sameMount,
} from './mounts.ts'
import type { MountEntry } from './mounts.ts'
import { resolvePid } from './pid.ts'
import type { VerifyTarget } from './pid.ts'

export { pidDefaults, resolvePid } from './pid.ts'
export type { VerifyTarget } from './pid.ts'

/** What verify compares. */
export interface VerifyInput extends VerifyTarget {
  destination: string
  expected: Buffer | string
  /** How long a missing, empty or stale PID file may take to settle. */
  pidSettleMs?: number
  /** The proc file system (tests only). */
  procRoot?: string
}

/** A passed verify. */
export interface VerifyResult {
  ok: true
  pid: number
  processName: string | null
  /** The path that was read, e.g. /proc/1234/root/etc/nginx/up.conf. */
  viewPath: string
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code
}

async function readComm(pid: number,
  procRoot: string): Promise<string | null> {
  try {
    return (await readFile(`${procRoot}/${pid}/comm`, 'utf8')).trim()
  } catch {
    return null
  }
}

/** What the comparison found, before the cause is worked out. */
type Finding = 'missing' | 'different' | 'denied'

function describeMount(m: MountEntry): string {
  const ro = m.options.includes('ro') ? 'read-only ' : ''
  return `a separate ${ro}${m.fsType} mount (source ${m.source})`
}

/** Facts about where a consumer's view of the destination comes from. */
interface View {
  pid: number
  name: string
  destination: string
  finding: Finding
  procRoot: string
}

// Another mount namespace: compare the mount that covers the destination
// there with ours to tell a private /tmp from other hiding mounts.
async function diagnoseNamespace(v: View): Promise<string | null> {
  const [ours, theirs] = await Promise.all([
    mountNamespace('self', v.procRoot), mountNamespace(v.pid, v.procRoot)])
  if (ours === null || theirs === null || ours === theirs) return null
  const [ourMounts, theirMounts] = await Promise.all([
    readMountInfo('self', v.procRoot), readMountInfo(v.pid, v.procRoot)])
  const ourCover = ourMounts && coveringMount(ourMounts, v.destination)
  const theirCover = theirMounts && coveringMount(theirMounts, v.destination)
  const differs = ourMounts && theirMounts && !sameMount(ourCover, theirCover)
  if (isUnderTmp(v.destination) && (differs || !theirMounts)) {
    const where = theirCover ? theirCover.mountPoint : '/tmp'
    const there = theirCover
      ? ` and ${where} there is ${describeMount(theirCover)}` : ''
    return `Likely cause: ${v.name} has a private ${where} (its mount ` +
      `namespace ${theirs} differs from ours ${ours}${there}), which is ` +
      'what systemd PrivateTmp=true does. Render outside /tmp and ' +
      "/var/tmp (e.g. next to the consumer's configuration), or set " +
      `PrivateTmp=no in ${v.name}'s unit`
  }
  if (differs && theirCover) {
    return `Likely cause: in ${v.name}'s mount namespace (${theirs}, ours ` +
      `is ${ours}) ${theirCover.mountPoint} is ` +
      `${describeMount(theirCover)}: a bind mount, TemporaryFileSystem=, ` +
      'InaccessiblePaths= or a container volume hides the file ctmpl ' +
      'wrote. Render into a path both processes see'
  }
  return null
}

/** Works out the likely cause of a failed verify and what to change. */
async function diagnose(v: View): Promise<string> {
  const root = await processRoot(v.pid, v.procRoot)
  if (root !== null && root !== '/') {
    return `Likely cause: ${v.name} runs under another root directory ` +
      `(container or chroot; /proc/${v.pid}/root is ${root}), so it reads ` +
      `${root}${v.destination}. Render into that root, or bind-mount the ` +
      'destination into it'
  }
  const ns = await diagnoseNamespace(v)
  if (ns) return ns
  if (v.finding === 'denied') {
    return 'Likely cause: ctmpl may not read files through this process ' +
      '(it needs root, the same user, or CAP_SYS_PTRACE), or the path is ' +
      `made inaccessible to ${v.name} (InaccessiblePaths=, ProtectHome=). ` +
      'Run ctmpl with the rights to inspect the consumer, or check its unit'
  }
  const same = `Likely cause: ${v.name} sees the same file system as ctmpl`
  if (v.finding === 'missing') {
    return `${same}, so the file was removed after install (another tool, ` +
      'or a second template)'
  }
  return `${same}, so the file was changed after install: another writer ` +
    '(a second template, configuration management) owns it too'
}

/**
 * Confirms that the consumer process sees exactly `expected` at the
 * destination; throws VerifyError naming the destination, the process and
 * the likely cause otherwise.
 */
export async function verifyConsumer(
  input: VerifyInput): Promise<VerifyResult> {
  const procRoot = input.procRoot ?? '/proc'
  const { destination } = input
  const expected = Buffer.isBuffer(input.expected)
    ? input.expected : Buffer.from(input.expected, 'utf8')
  const pid = await resolvePid(input, destination, input.pidSettleMs,
    procRoot)
  const comm = await readComm(pid, procRoot)
  const who = `${comm ?? 'process'} (pid ${pid}` +
    (input.pidFile ? ` from ${input.pidFile})` : ')')
  const viewPath = `${procRoot}/${pid}/root${destination}`

  let finding: Finding
  let detail: string
  let code: OutputErrorCode
  try {
    const seen = await readFile(viewPath)
    if (seen.equals(expected)) {
      return { ok: true, pid, processName: comm, viewPath }
    }
    finding = 'different'
    code = 'EVERIFY_MISMATCH'
    detail = `sees different bytes (${seen.length} bytes there, ` +
      `${expected.length} rendered)`
  } catch (err) {
    const errno = errnoOf(err)
    if (errno === 'ENOENT' || errno === 'ENOTDIR') {
      finding = 'missing'
      code = 'EVERIFY_MISSING'
      detail = 'does not see the file at all'
    } else if (errno === 'EACCES' || errno === 'EPERM') {
      finding = 'denied'
      code = 'EVERIFY_DENIED'
      detail = `cannot be inspected (${errno} reading ${viewPath})`
    } else {
      throw err
    }
  }
  const advice = await diagnose({ pid, name: comm ?? `pid ${pid}`,
    destination, finding, procRoot })
  throw new VerifyError(`verify ${destination}: ${who} ${detail}`, code, {
    destination, pid, processName: comm, pidFile: input.pidFile ?? null,
    advice,
  })
}
