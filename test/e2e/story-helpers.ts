/**
 * Helpers for the proofs through the daemon (issue 7): nginx started from a
 * folder outside /tmp, optionally in its own mount namespace with a private
 * /tmp (what systemd's PrivateTmp=true sets up), a reload command that
 * counts its runs, ctmpl configurations with check and verify blocks, and
 * readers for the status file and ctmpl's log. Everything started here is
 * registered with the test's Cleanup.
 */
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startCtmpl, type CtmplProcess } from '../helpers/process.ts'
import { removeScratch, scratchOutsideTmp } from '../output/nginx.ts'
import {
  type Cleanup, type Proxy, freePort, get, nginxBin, waitFor,
} from './helpers.ts'

/** A shell word, quoted. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** A folder under /var/lib/ctmpl-test (a private /tmp would hide one in
 * /tmp), readable by nginx's workers, removed at cleanup. */
export async function scratch(cleanup: Cleanup): Promise<string> {
  const dir = await scratchOutsideTmp()
  chmodSync(dir, 0o755)
  cleanup.add(() => removeScratch(dir))
  return dir
}

/** PIDs whose parent is `ppid`, read from /proc. */
export function childPids(ppid: number): number[] {
  try {
    const list = readFileSync(`/proc/${ppid}/task/${ppid}/children`, 'utf8')
    return list.split(/\s+/).filter((w) => w).map(Number)
  } catch {
    return []
  }
}

/** The command line of a process, or '' when it is gone. */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

/** The mount namespace of a process ('mnt:[N]'), or '' when it is gone. */
export function mountNamespace(pid: number | 'self'): string {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`)
  } catch {
    return ''
  }
}

/** A test nginx with a reload command that logs each run. */
export interface StoryNginx extends Proxy {
  /** How many times the reload command ran. */
  reloads(): number
  /** Lines of nginx's error log at warn and above. */
  errorLog(): string
}

/** Where nginx reads its pool and how it starts. */
export interface StoryNginxOptions {
  dir: string
  /** `include` lines in http{} (files or globs); they hold `upstream pool`. */
  includes: string[]
  /** Start inside `unshare -m` with a fresh tmpfs on /tmp. */
  privateTmp?: boolean
}

/**
 * Starts nginx (master in the foreground, one worker) proxying every path
 * but /healthz to `upstream pool`, which the included files define. The
 * master is the spawned process itself (unshare and sh exec it), so its
 * PID is the one nginx writes into its PID file.
 */
export async function startStoryNginx(
  opts: StoryNginxOptions, cleanup: Cleanup,
): Promise<StoryNginx> {
  const { dir } = opts
  const port = await freePort()
  const listen = `127.0.0.1:${port}`
  const conf = join(dir, 'nginx.conf')
  const pidFile = join(dir, 'nginx.pid')
  const errorLog = join(dir, 'error.log')
  const reloadLog = join(dir, 'reloads.log')
  writeFileSync(conf, [
    'worker_processes 1;', 'daemon off;', `pid ${pidFile};`,
    `error_log ${errorLog} warn;`, 'events { worker_connections 64; }',
    'http {', '    access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((t) => `    ${t}_temp_path ${join(dir, `${t}_temp`)};`),
    ...opts.includes.map((i) => `    include ${i};`),
    '    server {', `        listen ${listen};`,
    '        location = /healthz { return 200 "ok\\n"; }',
    '        location / {', '            proxy_pass http://pool;',
    '            proxy_next_upstream error timeout;', '        }', '    }', '}', '',
  ].join('\n'))
  const argv = [nginxBin, '-p', dir, '-c', conf, '-e', errorLog]
  const child = opts.privateTmp
    ? spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
      'mount -t tmpfs ctmpl-private-tmp /tmp && exec "$@"', 'sh', ...argv],
    { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (b: Buffer) => { out += b.toString() })
  child.stderr!.on('data', (b: Buffer) => { out += b.toString() })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const running = (): boolean => child.exitCode === null && child.signalCode === null
  cleanup.add(async () => {
    if (!running()) return
    // Workers first: if the master has to be killed hard they outlive it.
    const workers = childPids(child.pid!)
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
    for (const pid of workers) {
      if (cmdline(pid).startsWith('nginx')) process.kill(pid, 'SIGKILL')
    }
  })
  const url = `http://${listen}`
  await waitFor('nginx to start', async () => {
    if (!running()) throw new Error(`nginx exited: ${out}`)
    if (!existsSync(pidFile)) return false
    if (Number(readFileSync(pidFile, 'utf8').trim()) !== child.pid) return false
    return (await get(`${url}/healthz`)).status === 200
  }, 5000)
  const base = `${nginxBin} -p ${q(dir)} -c ${q(conf)}`
  const readLog = (f: string): string => existsSync(f) ? readFileSync(f, 'utf8') : ''
  return {
    url, listen, dir, pidFile, child,
    // A signal to the master from its PID file, as `nginx -s reload` and
    // `systemctl reload` send it; each run leaves a line in reloads.log.
    reload: `echo reload >> ${q(reloadLog)} && kill -HUP "$(cat ${q(pidFile)})"`,
    // Runs in ctmpl's mount namespace, as every check does.
    check: `${base} -e stderr -t -q`,
    output: () => out,
    running,
    workers: () => childPids(child.pid!).length,
    reloads: () => readLog(reloadLog).split('\n').filter((l) => l).length,
    errorLog: () => readLog(errorLog),
  }
}

/** `upstream pool` over the given loopback ports, as nginx reads it. */
export function upstream(ports: number[], maxFails = '3'): string {
  return ['upstream pool {',
    ...ports.map((p) => `    server 127.0.0.1:${p} max_fails=${maxFails};`), '}', ''].join('\n')
}

/** The template behind `upstream`: every passing instance of "web", with
 * max_fails from `maxFails` (a template expression). */
export function poolTemplate(maxFails = '3'): string {
  return ['upstream pool {', '{{- range service "web" }}',
    `    server {{ .Address }}:{{ .Port }} max_fails=${maxFails};`,
    '{{- end }}', '}', ''].join('\n')
}

/**
 * Starts ctmpl from the sources; cleanup stops it and then ends the process
 * groups of the checks and commands it was running (each leads its own
 * group and would outlive a ctmpl that fails a test mid-way or is killed).
 */
export function startTracked(args: string[], cleanup: Cleanup): CtmplProcess {
  const p = startCtmpl(args)
  const groups = new Set<number>()
  const note = (): void => {
    if (p.child.pid !== undefined) for (const c of childPids(p.child.pid)) groups.add(c)
  }
  // Noted along the way too: after a SIGKILL its children have another parent.
  const timer = setInterval(note, 100)
  cleanup.add(async () => {
    clearInterval(timer)
    note()
    await p.stop()
    for (const pgid of groups) {
      try {
        process.kill(-pgid, 'SIGKILL')
      } catch {
        // The group is gone already.
      }
    }
  })
  return p
}

/** One template of a ctmpl configuration. */
export interface TemplateOptions {
  source: string
  destination: string
  command?: string
  check?: string
  checkTimeout?: string
  /** verify { pid_file = … } */
  pidFile?: string
  rollback?: boolean
  errorFatal?: boolean
}

/** Writes an HCL configuration for one template; returns its path. */
export function writeConfig(path: string, o: {
  consulAddr: string
  statusFile?: string
  template: TemplateOptions
}): string {
  const s = JSON.stringify
  const t = o.template
  const lines = [
    'consul {', `  address = ${s(o.consulAddr)}`,
    '  retry {', '    attempts = 0', '    backoff = "50ms"', '    max_backoff = "500ms"',
    '  }', '}', 'log_level = "info"',
  ]
  if (o.statusFile) lines.push(`status_file = ${s(o.statusFile)}`)
  lines.push('template {', `  source = ${s(t.source)}`, `  destination = ${s(t.destination)}`)
  if (t.errorFatal !== undefined) lines.push(`  error_fatal = ${t.errorFatal}`)
  if (t.command) lines.push(`  command = ${s(t.command)}`)
  if (t.check) {
    lines.push('  check {', `    command = ${s(t.check)}`)
    if (t.checkTimeout) lines.push(`    timeout = ${s(t.checkTimeout)}`)
    lines.push('  }')
  }
  if (t.pidFile) {
    lines.push('  verify {', `    pid_file = ${s(t.pidFile)}`)
    if (t.rollback !== undefined) lines.push(`    rollback = ${t.rollback}`)
    lines.push('  }')
  }
  lines.push('}', '')
  writeFileSync(path, lines.join('\n'))
  return path
}

/** One stage's entry of the status file. */
export interface StageEntry {
  time: string
  ok: boolean
  detail: string
  output?: string
}

/** The first template's entry of the status file, or undefined. */
export function readStatus(path: string): Record<string, StageEntry> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')).templates[0]
  } catch {
    return undefined
  }
}

/** The log lines of ctmpl that match `re`. */
export function logLines(p: CtmplProcess, re: RegExp): string[] {
  return p.stderr().split('\n').filter((l) => re.test(l))
}

/** ctmpl's log, for assertion messages. */
export function logOf(p: CtmplProcess): string {
  return `\n--- ctmpl log ---\n${p.stderr()}${p.stdout()}`
}

/** A file's bytes, or null when it does not exist. */
export function bytesOf(path: string): Buffer | null {
  return existsSync(path) ? readFileSync(path) : null
}
