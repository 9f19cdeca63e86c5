/**
 * Processes under test: ctmpl (the compiled build, as operators run it)
 * and the reference consul-template, each pinned to core 1, with CPU time
 * and memory read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { referenceBinary } from '../../scripts/reference-binary.ts'

export { referenceBinary }

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The compiled CLI; `npm run bench` builds it first. */
export function cliEntry(): string {
  const built = join(repoRoot, 'dist', 'ctmpl.mjs')
  if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` first')
  return built
}

const hasTaskset = spawnSync('sh', ['-c', 'command -v taskset']).status === 0

/** Wraps a command so it runs on one core (when taskset exists). */
export function pinned(core: number, cmd: string, args: string[]): [string, string[]] {
  return hasTaskset ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]
}

/** The implementations compared. */
export type Impl = 'ctmpl' | 'reference'

/** Version strings for the report. */
export function versions(): Record<string, string> {
  const ref = referenceBinary()
  const refV = ref ? spawnSync(ref, ['-v'], { encoding: 'utf8' }) : undefined
  return {
    node: process.version,
    reference: refV ? (refV.stdout + refV.stderr).trim() : 'not installed',
    ctmpl: JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version,
  }
}

/** A process under test. */
export interface Sut {
  impl: Impl
  proc: ChildProcess
  stderr(): string
  /** utime + stime in seconds, for the process and its threads. */
  cpuSeconds(): number
  /** Current and peak resident memory, bytes. */
  memory(): { rss: number; hwm: number }
  exited: Promise<number>
  stop(): Promise<void>
}

/** Starts an implementation with the given arguments on core 1. */
export function startSut(impl: Impl, args: string[], env: NodeJS.ProcessEnv = {}): Sut {
  const [cmd, argv] = impl === 'ctmpl'
    ? pinned(1, process.execPath, [cliEntry(), ...args])
    : pinned(1, referenceBinary()!, args)
  const proc = spawn(cmd, argv, {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } })
  let err = ''
  proc.stderr!.on('data', (b: Buffer) => {
    err += b.toString()
    if (err.length > 1 << 20) err = err.slice(-(1 << 19))
  })
  const exited = new Promise<number>((resolve) =>
    proc.on('exit', (code, sig) => resolve(code ?? (sig ? 128 : -1))))
  // taskset execs the target, so the pid is the implementation's own.
  const pid = proc.pid!
  return {
    impl,
    proc,
    stderr: () => err,
    exited,
    cpuSeconds: () => readCpu(pid),
    memory: () => readMemory(pid),
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return
      proc.kill('SIGINT')
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(t)
    },
  }
}

const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

function readCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticks
  } catch {
    return NaN
  }
}

function readMemory(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN)
    return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 }
  } catch {
    return { rss: NaN, hwm: NaN }
  }
}
