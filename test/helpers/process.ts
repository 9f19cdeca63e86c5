/**
 * Helpers for tests that drive real processes: the ctmpl CLI run from its
 * TypeScript sources, output capture, waiting for a condition, and cleanup
 * that never leaves a process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The repository's root folder. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A running ctmpl process with its output so far. */
export interface CtmplProcess {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the exit code (or 128+signal) once it exited. */
  exited: Promise<number>
  /** Sends a signal and waits for the exit, SIGKILL after graceMs. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number>
}

/** tsx's loader by absolute URL, so a child in any folder finds it. */
export const tsxLoader = pathToFileURL(
  join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href

const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL')
})

/** Starts `ctmpl ARGS…` from the sources. */
export function startCtmpl(
  args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): CtmplProcess {
  const child = spawn(process.execPath,
    ['--import', tsxLoader, join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  live.add(child)
  let out = ''
  let err = ''
  child.stdout!.on('data', (b: Buffer) => { out += b.toString() })
  child.stderr!.on('data', (b: Buffer) => { err += b.toString() })
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, sig) => {
      live.delete(child)
      resolve(code ?? 128 + (sig ? signalNumbers[sig] ?? 0 : 0))
    })
  })
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited
      child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }

/** Polls `check` every 20 ms until it returns a truthy value or time runs
 * out; the error names what was awaited. */
export async function waitFor<T>(
  what: string, check: () => T | Promise<T>, timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await check()
      if (v) return v as NonNullable<T>
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
        (last ? ` (last error: ${String(last)})` : ''))
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Makes a temporary folder removed by the returned cleanup. */
export function tempDir(prefix = 'ctmpl-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}
