/**
 * Verify: after the command, look at the destination through the consumer's
 * own eyes (/proc/<pid>/root/<destination>, which resolves in its mount
 * namespace and root) and compare with the rendered bytes. A failure names
 * the destination, the process and the likely cause, with what to change.
 */
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { VerifyError } from './errors.ts'
import type { OutputErrorCode, VerifyFacts } from './errors.ts'
import {
  coveringMount, isUnderTmp, mountNamespace, processRoot, readMountInfo, sameMount,
} from './mounts.ts'
import type { MountEntry } from './mounts.ts'

/** Defaults, with units in the names. */
export const verifyDefaults = {
  // A restart replaces the PID file; give the consumer this long to write
  // it (systemd itself warns "PID file ... not readable (yet?)" here).
  pidSettleMs: 2_000,
  pidPollMs: 100,
}

/** Which process to look through: one of pid or pidFile. */
export interface VerifyTarget {
  pid?: number
  pidFile?: string
}

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

async function readComm(pid: number, procRoot: string): Promise<string | null> {
  try {
    return (await readFile(`${procRoot}/${pid}/comm`, 'utf8')).trim()
  } catch {
    return null
  }
}

type PidProblem = { code: OutputErrorCode, message: string, advice: string, pid: number | null }

async function readPidOnce(pidFile: string, procRoot: string): Promise<number | PidProblem> {
  let text: string
  try {
    text = await readFile(pidFile, 'utf8')
  } catch (err) {
    const code = errnoOf(err)
    const advice = code === 'ENOENT'
      ? 'The consumer is not running, has not written it yet, or writes it in a ' +
        'place ctmpl does not see (a private /tmp or /run); point pid_file at the ' +
        "consumer unit's PIDFile="
      : 'Give ctmpl read access to the PID file, or use pid = N'
    return { code: 'EVERIFY_PIDFILE', pid: null, advice,
      message: `cannot read PID file ${pidFile}: ${code ?? String(err)}` }
  }
  const trimmed = text.trim()
  if (trimmed === '') {
    return { code: 'EVERIFY_PIDFILE', pid: null,
      message: `PID file ${pidFile} is empty`,
      advice: 'The consumer may be (re)starting and not have written its PID yet' }
  }
  if (!/^\d+$/.test(trimmed) || Number(trimmed) <= 0) {
    return { code: 'EVERIFY_PIDFILE', pid: null,
      message: `PID file ${pidFile} does not hold a PID: ${JSON.stringify(trimmed.slice(0, 40))}`,
      advice: 'Point pid_file at the file the consumer writes its main PID into' }
  }
  const pid = Number(trimmed)
  if (!(await processExists(pid, procRoot))) {
    return { code: 'EVERIFY_STALE', pid,
      message: `PID file ${pidFile} names pid ${pid}, but no such process runs`,
      advice: 'The PID file is stale: the consumer is down, or restarted and has ' +
        'not rewritten it yet' }
  }
  return pid
}

async function processExists(pid: number, procRoot: string): Promise<boolean> {
  try {
    await readFile(`${procRoot}/${pid}/stat`)
    return true
  } catch {
    return false
  }
}

/**
 * Returns the PID the verify target names, waiting up to `settleMs` for a
 * missing, empty or stale PID file to settle; throws VerifyError otherwise.
 */
export async function resolvePid(target: VerifyTarget, destination: string,
  settleMs = verifyDefaults.pidSettleMs, procRoot = '/proc'): Promise<number> {
  const facts = (p: PidProblem): VerifyFacts => ({ destination, pid: p.pid,
    processName: null, pidFile: target.pidFile ?? null, advice: p.advice })
  if (target.pid !== undefined) {
    if (await processExists(target.pid, procRoot)) return target.pid
    throw new VerifyError(`verify ${destination}: no process with pid ${target.pid}`,
      'EVERIFY_STALE', facts({ code: 'EVERIFY_STALE', pid: target.pid, message: '',
        advice: 'Set verify.pid to the running consumer, or use pid_file' }))
  }
  if (target.pidFile === undefined) {
    throw new TypeError('verify: one of pid or pid_file is required')
  }
  const deadline = Date.now() + settleMs
  for (;;) {
    const got = await readPidOnce(target.pidFile, procRoot)
    if (typeof got === 'number') return got
    if (Date.now() >= deadline) {
      throw new VerifyError(`verify ${destination}: ${got.message}`, got.code, facts(got))
    }
    await sleep(verifyDefaults.pidPollMs)
  }
}

/** What the comparison found, before the cause is worked out. */
type Finding = 'missing' | 'different' | 'denied'

function describeMount(m: MountEntry): string {
  const ro = m.options.includes('ro') ? 'read-only ' : ''
  return `a separate ${ro}${m.fsType} mount (source ${m.source})`
}

/** Works out the likely cause of a failed verify and what to change. */
async function diagnose(pid: number, name: string, destination: string,
  finding: Finding, procRoot: string): Promise<string> {
  const root = await processRoot(pid, procRoot)
  if (root !== null && root !== '/') {
    return `Likely cause: ${name} runs under another root directory (container or ` +
      `chroot; /proc/${pid}/root is ${root}), so it reads ${root}${destination}. ` +
      'Render into that root, or bind-mount the destination into it'
  }
  const [ours, theirs] = await Promise.all([
    mountNamespace('self', procRoot), mountNamespace(pid, procRoot)])
  if (ours !== null && theirs !== null && ours !== theirs) {
    const [ourMounts, theirMounts] = await Promise.all([
      readMountInfo('self', procRoot), readMountInfo(pid, procRoot)])
    const ourCover = ourMounts && coveringMount(ourMounts, destination)
    const theirCover = theirMounts && coveringMount(theirMounts, destination)
    const differs = ourMounts && theirMounts && !sameMount(ourCover, theirCover)
    if (isUnderTmp(destination) && (differs || !theirMounts)) {
      const where = theirCover ? theirCover.mountPoint : '/tmp'
      return `Likely cause: ${name} has a private ${where} (its mount namespace ` +
        `${theirs} differs from ours ${ours}` +
        (theirCover ? ` and ${where} there is ${describeMount(theirCover)}` : '') +
        '), which is what systemd PrivateTmp=true does. Render outside /tmp and ' +
        '/var/tmp (e.g. next to the consumer\'s configuration), or set ' +
        `PrivateTmp=no in ${name}'s unit`
    }
    if (differs && theirCover) {
      return `Likely cause: in ${name}'s mount namespace (${theirs}, ours is ` +
        `${ours}) ${theirCover.mountPoint} is ${describeMount(theirCover)}: a bind ` +
        'mount, TemporaryFileSystem=, InaccessiblePaths= or a container volume ' +
        'hides the file ctmpl wrote. Render into a path both processes see'
    }
  }
  if (finding === 'denied') {
    return 'Likely cause: ctmpl may not read files through this process ' +
      '(it needs root, the same user, or CAP_SYS_PTRACE), or the path is made ' +
      `inaccessible to ${name} (InaccessiblePaths=, ProtectHome=). Run ctmpl ` +
      'with the rights to inspect the consumer, or check its unit'
  }
  if (finding === 'missing') {
    return `Likely cause: ${name} sees the same file system as ctmpl, so the file ` +
      'was removed after install (another tool, or a second template)'
  }
  return `Likely cause: ${name} sees the same file system as ctmpl, so the file ` +
    'was changed after install: another writer (a second template, configuration ' +
    'management) owns it too'
}

/**
 * Confirms that the consumer process sees exactly `expected` at the
 * destination; throws VerifyError naming the destination, the process and
 * the likely cause otherwise.
 */
export async function verifyConsumer(input: VerifyInput): Promise<VerifyResult> {
  const procRoot = input.procRoot ?? '/proc'
  const { destination } = input
  const expected = Buffer.isBuffer(input.expected)
    ? input.expected : Buffer.from(input.expected, 'utf8')
  const pid = await resolvePid(input, destination, input.pidSettleMs, procRoot)
  const comm = await readComm(pid, procRoot)
  const name = comm ?? `pid ${pid}`
  const who = `${comm ?? 'process'} (pid ${pid}` +
    (input.pidFile ? ` from ${input.pidFile})` : ')')
  const viewPath = `${procRoot}/${pid}/root${destination}`

  let finding: Finding
  let detail: string
  let code: OutputErrorCode
  try {
    const seen = await readFile(viewPath)
    if (seen.equals(expected)) return { ok: true, pid, processName: comm, viewPath }
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
  const advice = await diagnose(pid, name, destination, finding, procRoot)
  throw new VerifyError(`verify ${destination}: ${who} ${detail}`, code, {
    destination, pid, processName: comm, pidFile: input.pidFile ?? null, advice,
  })
}
