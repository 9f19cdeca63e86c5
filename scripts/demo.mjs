// `npm start`: the main job on one machine. Starts `ctmpl dev` with the demo
// catalog on 127.0.0.1:8500, small HTTP backends on the ports the catalog
// names, and the daemon rendering examples/nginx/proxy.conf.ctmpl into
// ./demo/proxy.conf. When nginx is installed it also runs nginx on
// 127.0.0.1:8080 with that file, checked and reloaded by ctmpl.
// Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'ctmpl.js')
const dir = join(root, 'demo')
const agentAddr = process.env.CTMPL_DEMO_AGENT ?? '127.0.0.1:8500'
const listen = process.env.CTMPL_PROXY_LISTEN ?? '127.0.0.1:8080'
const children = []
const servers = []

let stopping = false
function stopAll(code) {
  if (stopping) return
  stopping = true
  console.log('[demo] stopping')
  for (const s of servers) s.close()
  // Ctrl-C already reached every child (one process group); only what is
  // still running a moment later gets a SIGTERM of its own.
  setTimeout(() => {
    for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGTERM')
    setTimeout(() => process.exit(code), 300).unref()
  }, 1500).unref()
}
process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))

function start(name, cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts })
  children.push(child)
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (l) => console.log(`[${name}] ${l}`))
  }
  child.on('exit', (code, sig) => {
    if (stopping) return
    console.log(`[${name}] exited (${sig ?? code})`)
    if (name !== 'nginx') stopAll(1)
  })
  return child
}

function waitForLine(child, re) {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout })
    rl.on('line', (l) => { const m = re.exec(l); if (m) resolve(m) })
    child.on('exit', () => reject(new Error('exited before it was ready')))
  })
}

mkdirSync(dir, { recursive: true })
const agent = start('dev', process.execPath, [bin, 'dev', '-http-addr', agentAddr,
  '-seed', join(root, 'examples', 'demo-catalog.json')])
const [, agentUrl] = await waitForLine(agent, /listening on (http:\/\/\S+)/)

// Backends that answer with their own name, on the catalog's ports, plus
// web-4 on 18084, the one the README registers by hand.
const catalog = JSON.parse(readFileSync(join(root, 'examples', 'demo-catalog.json'), 'utf8'))
const backends = [...catalog.services, { ID: 'web-4', Port: 18084, Tags: ['http'] }]
for (const svc of backends) {
  if (!(svc.Tags ?? []).includes('http')) continue
  const server = createServer((req, res) => res.end(`${svc.ID} answered ${req.url}\n`))
  server.on('error', (e) => console.log(`[demo] backend ${svc.ID}: ${e.message}`))
  server.listen(svc.Port, '127.0.0.1')
  servers.push(server)
}

const hasNginx = spawnSync('sh', ['-c', 'command -v nginx']).status === 0
const dest = join(dir, 'proxy.conf')
const hcl = [
  `consul { address = "${agentAddr}" }`,
  'log_level = "info"',
  `status_file = "${join(dir, 'status.json')}"`,
  'template {',
  `  source      = "${join(root, 'examples', 'nginx', 'proxy.conf.ctmpl')}"`,
  `  destination = "${dest}"`,
  '  error_fatal = false',
]
if (hasNginx) {
  const nginxArgs = `-p ${dir} -c ${join(dir, 'nginx.conf')}`
  writeFileSync(join(dir, 'nginx.conf'), [
    'worker_processes 1;', 'daemon off;', `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'nginx-error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {', '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((t) => `  ${t}_temp_path ${join(dir, `${t}_temp`)};`),
    `  include ${dest};`, '}', ''].join('\n'))
  if (!existsSync(dest)) writeFileSync(dest, '# waiting for the first render\n')
  start('nginx', 'nginx', nginxArgs.split(' '))
  hcl.push(
    `  check { command = "nginx -t -q ${nginxArgs}" }`,
    `  command = "nginx ${nginxArgs} -s reload"`,
    `  verify { pid_file = "${join(dir, 'nginx.pid')}" }`)
}
hcl.push('}', '')
writeFileSync(join(dir, 'ctmpl.hcl'), hcl.join('\n'))
start('ctmpl', process.execPath, [bin, '-config', join(dir, 'ctmpl.hcl')],
  { env: { ...process.env, CTMPL_PROXY_LISTEN: listen } })

console.log(`
ctmpl demo running. Rendered file: ${dest}
  Consul API (ctmpl dev): ${agentUrl}
${hasNginx ? `  nginx: curl http://${listen}/web/\n` : '  (nginx not installed: only the file is rendered)\n'}
Add a backend and watch the file change:
  curl -X PUT -d '{"Name":"web","ID":"web-4","Port":18084,"Tags":["http"]}' \\
    ${agentUrl}/v1/agent/service/register
Remove it again:
  curl -X PUT ${agentUrl}/v1/agent/service/deregister/web-4
Ctrl-C stops everything.
`)
