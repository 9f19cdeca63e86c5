import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runChecks } from '../../src/doctor/checks.ts'
import type { DoctorTemplate, RuleId } from '../../src/doctor/checks.ts'
import { consumersOfCommand, splitShell } from '../../src/doctor/consumers.ts'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const dirs = (name: string) => [join(fixtures, name, 'etc'), join(fixtures, name, 'lib')]

interface Case {
  name: string
  fixture: string
  templates: DoctorTemplate[]
  /** Expected findings as "rule unit file:line" (file relative to fixtures). */
  want: string[]
}

const cases: Case[] = [
  // The story of DESIGN.md and its clean counterpart.
  { name: 'story: /tmp destination, nginx with PrivateTmp', fixture: 'story',
    templates: [{ destination: '/tmp/upstream.conf', command: 'systemctl reload nginx' }],
    want: ['consumer-private-tmp nginx.service story/lib/nginx.service:12'] },
  { name: 'story via kill -HUP $(cat PIDFile)', fixture: 'story',
    templates: [{ destination: '/tmp/upstream.conf',
      command: 'kill -HUP "$(cat /run/nginx.pid)"' }],
    want: ['consumer-private-tmp nginx.service story/lib/nginx.service:12'] },
  { name: 'story via verify.pid_file, no command', fixture: 'story',
    templates: [{ destination: '/var/tmp/up.conf',
      verify: { pidFile: '/var/run/nginx.pid' } }],
    want: ['consumer-private-tmp nginx.service story/lib/nginx.service:12'] },
  { name: 'clean setup reports nothing', fixture: 'clean',
    templates: [{ destination: '/etc/nginx/conf.d/upstream.conf',
      command: ['systemctl', 'reload', 'nginx.service'],
      verify: { pidFile: '/run/nginx.pid' } }],
    want: [] },

  // Drop-ins.
  { name: 'drop-in PrivateTmp=yes over vendor no', fixture: 'dropins',
    templates: [{ destination: '/tmp/a.conf', command: 'sudo systemctl reload nginx' }],
    want: ['consumer-private-tmp nginx.service dropins/etc/nginx.service.d/override.conf:3'] },
  { name: 'drop-in PrivateTmp=no over vendor yes', fixture: 'dropins',
    templates: [{ destination: '/tmp/a.conf', command: 'systemctl reload web' }],
    want: [] },
  { name: 'masked drop-in and lexical order', fixture: 'dropins',
    templates: [{ destination: '/tmp/a.conf', command: 'service api reload' }],
    want: [] },

  // ctmpl's own unit.
  { name: 'self: private /tmp', fixture: 'self',
    templates: [{ destination: '/tmp/app.conf', command: 'systemctl restart app' }],
    want: ['self-private-tmp ctmpl.service self/lib/ctmpl.service:4'] },
  { name: 'self: ProtectSystem=strict blocks /etc/app', fixture: 'self',
    templates: [{ destination: '/etc/app/app.conf' }],
    want: ['self-read-only ctmpl.service self/lib/ctmpl.service:5'] },
  { name: 'self: ReadWritePaths lets /etc/haproxy through', fixture: 'self',
    templates: [{ destination: '/etc/haproxy/haproxy.cfg' },
      { destination: '/etc/nginx/conf.d/up.conf' }],
    want: [] },
  { name: 'self: ReadOnlyPaths more specific than ReadWritePaths', fixture: 'self',
    templates: [{ destination: '/etc/nginx/conf.d/locked/up.conf' }],
    want: ['self-read-only ctmpl.service self/lib/ctmpl.service:8'] },
  { name: 'self: InaccessiblePaths and TemporaryFileSystem', fixture: 'self',
    templates: [{ destination: '/srv/secret/a.conf' },
      { destination: '/var/lib/scratch/b.conf' }],
    want: ['self-hidden ctmpl.service self/lib/ctmpl.service:9',
      'self-hidden ctmpl.service self/lib/ctmpl.service:10'] },
  { name: 'self: ProtectHome=read-only', fixture: 'self',
    templates: [{ destination: '/home/ops/app.conf' }],
    want: ['self-read-only ctmpl.service self/lib/ctmpl.service:11'] },
  { name: 'self: nothing under /run', fixture: 'self',
    templates: [{ destination: '/dev/shm/x' }],
    want: [] },

  // What the consumer may not see.
  { name: 'consumer: InaccessiblePaths', fixture: 'sandbox',
    templates: [{ destination: '/srv/private/x.conf', command: 'systemctl reload hidden' }],
    want: ['consumer-hidden hidden.service sandbox/lib/hidden.service:3'] },
  { name: 'consumer: TemporaryFileSystem and ProtectHome=yes', fixture: 'sandbox',
    templates: [
      { destination: '/var/lib/hidden/x.conf', command: 'systemctl reload hidden' },
      { destination: '/root/x.conf', command: 'systemctl reload hidden' }],
    want: ['consumer-hidden hidden.service sandbox/lib/hidden.service:4',
      'consumer-hidden hidden.service sandbox/lib/hidden.service:5'] },
  { name: 'consumer: read-only is fine for a reader; reset list hides nothing',
    fixture: 'sandbox',
    templates: [{ destination: '/etc/hidden/x.conf', command: 'systemctl reload hidden' },
      { destination: '/srv/private/x.conf', command: 'systemctl reload reset' },
      { destination: '/home/x.conf', command: 'systemctl reload reset' }],
    want: [] },
  { name: 'consumer: DynamicUser implies PrivateTmp', fixture: 'sandbox',
    templates: [{ destination: '/tmp/d.conf', command: 'systemctl reload dynamic' }],
    want: ['consumer-private-tmp dynamic.service sandbox/lib/dynamic.service:3'] },

  // PID files.
  { name: 'pidfile: in the private /tmp of its unit', fixture: 'pidfile',
    templates: [{ destination: '/etc/legacy/a.conf', command: 'systemctl reload legacy' }],
    want: ['pidfile-private legacy.service pidfile/lib/legacy.service:4'] },
  { name: 'pidfile: in /run', fixture: 'pidfile',
    templates: [{ destination: '/etc/modern/a.conf', command: 'systemctl reload modern' }],
    want: [] },
  { name: 'pidfile: ctmpl reads it from its own private /tmp', fixture: 'pidfile',
    templates: [{ destination: '/etc/x/a.conf', command: 'kill -HUP `cat /tmp/x.pid`' }],
    want: ['pidfile-unreadable ctmpl.service pidfile/lib/ctmpl.service:3'] },
  { name: 'pidfile: ctmpl reads one in /run', fixture: 'pidfile',
    templates: [{ destination: '/etc/x/a.conf', command: 'kill -HUP $(cat /run/x.pid)' }],
    want: [] },

  // Reload commands.
  { name: 'reload: unit that does not exist', fixture: 'reload',
    templates: [{ destination: '/etc/nginx/conf.d/a.conf',
      command: 'systemctl reload ngnix', origin: 'ctmpl.hcl:7' }],
    want: ['reload-unknown-unit ngnix.service ctmpl.hcl:7'] },
  { name: 'reload: the wrong unit', fixture: 'reload',
    templates: [{ destination: '/etc/haproxy/haproxy.cfg',
      command: 'systemctl reload nginx' }],
    want: ['reload-wrong-unit nginx.service reload/lib/haproxy.service:2'] },
  { name: 'reload: the right unit', fixture: 'reload',
    templates: [{ destination: '/etc/haproxy/haproxy.cfg',
      command: 'systemctl try-reload-or-restart haproxy.service' },
    { destination: '/etc/nginx/nginx.conf', command: '/usr/sbin/nginx -s reload' }],
    want: [] },

  // Destinations.
  { name: 'two templates, one destination', fixture: 'reload',
    templates: [{ destination: '/etc/app/a.conf', origin: 'a.hcl:1' },
      { destination: '/etc/app/../app/a.conf', origin: 'b.hcl:3' }],
    want: ['duplicate-destination - b.hcl:3'] },
  { name: 'two templates, two destinations', fixture: 'reload',
    templates: [{ destination: '/etc/app/a.conf' }, { destination: '/etc/app/b.conf' }],
    want: [] },
]

for (const c of cases) {
  test(c.name, async () => {
    const report = await runChecks({ templates: c.templates, unitDirs: dirs(c.fixture) })
    const got = report.findings.map((f) => `${f.rule} ${f.unit ?? '-'} ` +
      `${f.cause?.file.replace(fixtures, '')}:${f.cause?.line}`)
    assert.deepEqual(got, c.want, JSON.stringify(report.findings, null, 2))
    for (const f of report.findings) {
      assert.ok(f.message.length > 20 && f.fix.length > 10, f.rule)
    }
  })
}

test('the story is explained, with the fix', async () => {
  const r = await runChecks({ unitDirs: dirs('story'),
    templates: [{ destination: '/tmp/upstream.conf', command: 'systemctl reload nginx' }] })
  const f = r.findings[0]
  assert.equal(f?.message, 'nginx.service has PrivateTmp=true: nginx gets a private ' +
    '/tmp of its own and never sees /tmp/upstream.conf, although the render and the ' +
    'reload both report success')
  assert.equal(f?.fix, "render outside /tmp and /var/tmp (e.g. next to nginx's " +
    'configuration), or set PrivateTmp=no in a drop-in ' +
    '/etc/systemd/system/nginx.service.d/override.conf')
  assert.equal(f?.cause?.setting, 'PrivateTmp=true')
})

test('shell reading of commands', () => {
  assert.deepEqual(splitShell(`a "b c" && d 'e;f' | g $(h i) ; j\\ k`),
    [['a', 'b c'], ['d', 'e;f'], ['g', '$(h i)'], ['j k']])
  assert.deepEqual(consumersOfCommand('nginx -t && systemctl --no-block reload nginx'),
    [{ kind: 'program', program: 'nginx', via: 'nginx -t' },
      { kind: 'unit', unit: 'nginx.service', via: 'systemctl --no-block reload nginx' }])
  assert.deepEqual(consumersOfCommand(['/bin/sh', '-c', 'pkill -F /run/a.pid']),
    [{ kind: 'pidfile', pidFile: '/run/a.pid', via: 'pkill -F /run/a.pid' }])
  assert.deepEqual(consumersOfCommand('kill -s HUP $(< /run/b.pid)').map((r) => r.kind),
    ['pidfile'])
  assert.deepEqual(consumersOfCommand('/usr/local/bin/refresh.sh'), [])
})

test('verify.pid maps to its unit through the cgroup', async () => {
  const proc = await mkdtemp(join(tmpdir(), 'ctmpl-proc-'))
  try {
    await mkdir(join(proc, '4242'))
    await writeFile(join(proc, '4242', 'cgroup'), '0::/system.slice/nginx.service\n')
    const r = await runChecks({ unitDirs: dirs('story'), procRoot: proc,
      templates: [{ destination: '/tmp/u.conf', verify: { pid: 4242 } }] })
    assert.deepEqual(r.findings.map((f) => f.rule), ['consumer-private-tmp'])
    const none = await runChecks({ unitDirs: dirs('story'), procRoot: proc,
      templates: [{ destination: '/tmp/u.conf', verify: { pid: 1 } }] })
    assert.deepEqual(none.findings, [])
  } finally {
    await rm(proc, { recursive: true, force: true })
  }
})

test('a masked unit named by the reload is reported', async () => {
  const d = await mkdtemp(join(tmpdir(), 'ctmpl-masked-'))
  try {
    await symlink('/dev/null', join(d, 'nginx.service'))
    const r = await runChecks({ unitDirs: [d],
      templates: [{ destination: '/etc/nginx/a.conf', command: 'systemctl reload nginx' }] })
    assert.deepEqual(r.findings.map((f) => [f.rule, f.cause?.file]),
      [['reload-unknown-unit', join(d, 'nginx.service')]])
    assert.match(r.findings[0]?.message ?? '', /which is masked/)
  } finally {
    await rm(d, { recursive: true, force: true })
  }
})
