/**
 * Starts a real nginx for tests: its own prefix, pid file, error log and a
 * loopback port the OS picked, optionally inside its own mount namespace
 * with a private /tmp (what systemd's PrivateTmp=true sets up).
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises'
import { createServer, request } from 'node:http'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** The nginx binary the tests drive. */
export const nginxBin = '/usr/sbin/nginx'

/** A running test nginx. */
export interface TestNginx {
  dir: string
  conf: string
  pidFile: string
  port: number
  child: ChildProcess
  /** argv for `nginx -t` against this configuration. */
  testArgv: string[]
  /** GETs / and returns the body. */
  get(): Promise<string>
  stop(): Promise<void>
}

/** Returns a free loopback port (bound then released). */
export async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok))
  const addr = srv.address()
  await new Promise<void>((ok) => srv.close(() => ok()))
  if (addr === null || typeof addr === 'string') throw new Error('no port')
  return addr.port
}

/** Makes a scratch folder outside /tmp and /var/tmp (a private /tmp hides those). */
export async function scratchOutsideTmp(): Promise<string> {
  // Another test file may remove the shared parent between the two calls.
  for (let attempt = 0; ; attempt++) {
    await mkdir('/var/lib/ctmpl-test', { recursive: true })
    try {
      return await mkdtemp('/var/lib/ctmpl-test/run-')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 5) throw err
    }
  }
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve(Buffer.concat(chunks).toString()))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Options for startNginx. */
export interface NginxOptions {
  /** The scratch folder for prefix, config, pid and logs. */
  dir: string
  /** The `include` line target inside the server block (a path or a glob). */
  include: string
  /** Start inside `unshare -m` with a fresh tmpfs on /tmp. */
  privateTmp?: boolean
}

/** Starts nginx (daemon off) and waits until it answers on its port. */
export async function startNginx(opts: NginxOptions): Promise<TestNginx> {
  const { dir } = opts
  const port = await freePort()
  const conf = join(dir, 'nginx.conf')
  const pidFile = join(dir, 'nginx.pid')
  const errLog = join(dir, 'error.log')
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
  await writeFile(conf, [
    'daemon off;', 'worker_processes 1;', `pid ${pidFile};`,
    `error_log ${errLog} warn;`, 'events { worker_connections 64; }', 'http {',
    '  access_log off;',
    ...temps.map((t) => `  ${t}_temp_path ${join(dir, t)};`),
    `  server {`, `    listen 127.0.0.1:${port};`, `    include ${opts.include};`,
    '    location /health { return 200 "up\\n"; }', '  }', '}', ''].join('\n'))
  const base = [nginxBin, '-p', dir, '-c', conf, '-e', errLog]
  const child = opts.privateTmp
    ? spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
      'mount -t tmpfs ctmpl-private-tmp /tmp && exec "$@"', 'sh', ...base],
    { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(base[0]!, base.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString() })
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()))

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(t)
    }
  }
  const deadline = Date.now() + 5000
  for (;;) {
    try {
      const pid = Number((await readFile(pidFile, 'utf8')).trim())
      await httpGet(port)
      if (pid === child.pid) break
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`nginx did not start: ${stderr}`)
    }
    await sleep(50)
  }
  return {
    dir, conf, pidFile, port, child, testArgv: [...base, '-t', '-q'],
    get: () => httpGet(port), stop,
  }
}

/** Polls until `get()` returns `want` or the time is up; returns the last body. */
export async function waitForBody(n: TestNginx, want: string, ms = 5000): Promise<string> {
  const deadline = Date.now() + ms
  let body = ''
  while (Date.now() < deadline) {
    body = await n.get()
    if (body === want) return body
    await sleep(50)
  }
  return body
}

/** Removes a scratch folder. */
export async function removeScratch(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  // The shared parent goes too once the last test using it is done.
  await rmdir('/var/lib/ctmpl-test').catch(() => {})
}
