/**
 * `plugin`: runs an executable with the given arguments and returns its
 * trimmed standard output. Only an executable regular file runs (no shell),
 * it is killed after a timeout (30 s, as the reference), and any failure is
 * a template error that carries the exit status and both output streams.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { defineFunc } from '../template/func.ts'
import type { FuncMap } from '../template/func.ts'
import { asString, asStrings } from './args.ts'
import { goQuote } from './strconv.ts'

/** How long a plugin may run before it is killed, as the reference. */
export const pluginTimeoutMs = 30_000

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Finds name as Go's exec.LookPath does: a name with a slash is used as
 * given, otherwise each PATH entry is tried. */
export function lookPath(name: string, pathEnv = process.env['PATH'] ?? ''): string {
  if (name.includes('/')) {
    if (isExecutableFile(name)) return name
    let exists = true
    try {
      statSync(name)
    } catch {
      exists = false
    }
    const why = exists ? 'permission denied' : 'no such file or directory'
    throw new Error(`fork/exec ${name}: ${why}`)
  }
  for (const dir of pathEnv.split(delimiter)) {
    const candidate = join(dir === '' ? '.' : dir, name)
    if (isExecutableFile(candidate)) return candidate
  }
  throw new Error(`exec: "${name}": executable file not found in $PATH`)
}

/** Runs a plugin synchronously (template functions never wait on the
 * event loop) and returns its trimmed stdout. */
export function runPlugin(name: string, args: string[], timeoutMs = pluginTimeoutMs): string {
  if (name === '') return ''
  const argv = args.map((a) => a.trim()).filter((a) => a !== '')
  let file: string
  try {
    file = lookPath(name)
  } catch (err) {
    throw new Error(`exec ${goQuote(name)}: ${(err as Error).message}` +
      '\n\nstdout:\n\n\n\nstderr:\n\n')
  }
  const res = spawnSync(file, argv, {
    encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stdout = res.stdout ?? ''
  const stderr = res.stderr ?? ''
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    throw new Error(`exec ${goQuote(name)}: did not finish in ${timeoutMs / 1000}s`)
  }
  let why = ''
  if (res.error) why = res.error.message
  else if (res.signal) why = `signal: ${signalText(res.signal)}`
  else if (res.status !== 0) why = `exit status ${res.status}`
  if (why !== '') {
    throw new Error(`exec ${goQuote(name)}: ${why}\n\nstdout:\n\n${stdout}` +
      `\n\nstderr:\n\n${stderr}`)
  }
  return stdout.trim()
}

function signalText(sig: string): string {
  const names: Record<string, string> = {
    SIGKILL: 'killed', SIGTERM: 'terminated', SIGSEGV: 'segmentation fault',
    SIGABRT: 'aborted', SIGINT: 'interrupt', SIGHUP: 'hangup', SIGPIPE: 'broken pipe',
  }
  return names[sig] ?? sig
}

/** Returns `plugin`. */
export function pluginFuncs(timeoutMs = pluginTimeoutMs): FuncMap {
  return {
    plugin: defineFunc((name: unknown, ...args: unknown[]) =>
      runPlugin(asString(name), asStrings(args), timeoutMs), 2, true),
  }
}
