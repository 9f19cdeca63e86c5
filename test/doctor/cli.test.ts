import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runDoctor } from '../../src/doctor/cli.ts'
import type { Config, TemplateConfig } from '../../src/config/types.ts'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

// Only the fields the doctor reads; the rest of Config does not matter here.
function configWith(templates: Array<Partial<TemplateConfig>>): Config {
  return { templates } as unknown as Config
}

async function run(argv: string[], templates: Array<Partial<TemplateConfig>>) {
  let stdout = ''
  let stderr = ''
  const seen: string[][] = []
  const code = await runDoctor(argv, {
    loadConfig: async (paths) => {
      seen.push(paths)
      return configWith(templates)
    },
    stdout: (s) => { stdout += s },
    stderr: (s) => { stderr += s },
  })
  return { code, stdout, stderr, seen }
}

const story: Array<Partial<TemplateConfig>> = [{
  destination: '/tmp/upstream.conf',
  command: { shell: 'systemctl reload nginx' },
  origin: { file: '/etc/ctmpl/ctmpl.hcl', line: 4, column: 1 },
}]

test('the story: exit 1 and a readable explanation', async () => {
  const r = await run(['-config', '/etc/ctmpl/ctmpl.hcl', '-unit-dir',
    join(fixtures, 'story/lib')], story)
  assert.equal(r.code, 1)
  assert.deepEqual(r.seen, [['/etc/ctmpl/ctmpl.hcl']])
  assert.equal(r.stdout, [
    'ctmpl doctor: 1 problem found (units read: consul-template.service, nginx.service)',
    '',
    '[consumer-private-tmp] /tmp/upstream.conf (template at /etc/ctmpl/ctmpl.hcl:4)',
    '  nginx.service has PrivateTmp=true: nginx gets a private /tmp of its own and ' +
      'never sees /tmp/upstream.conf, although the render and the reload both report ' +
      'success',
    `  cause: ${fixtures}story/lib/nginx.service:12  PrivateTmp=true`,
    "  fix:   render outside /tmp and /var/tmp (e.g. next to nginx's configuration), " +
      'or set PrivateTmp=no in a drop-in /etc/systemd/system/nginx.service.d/override.conf',
    ''].join('\n'))
})

test('json output for tools', async () => {
  const r = await run(['-config=a.hcl', '-config', 'b.hcl', '-format', 'json',
    '-unit-dir', join(fixtures, 'story/lib')], story)
  assert.equal(r.code, 1)
  assert.deepEqual(r.seen, [['a.hcl', 'b.hcl']])
  const doc = JSON.parse(r.stdout)
  assert.equal(doc.ok, false)
  assert.equal(doc.findings[0].rule, 'consumer-private-tmp')
  assert.equal(doc.findings[0].cause.line, 12)
})

test('clean: exit 0', async () => {
  const r = await run(['-config', 'c.hcl', '-unit-dir', join(fixtures, 'clean/etc'),
    '-unit-dir', join(fixtures, 'clean/lib')], [{
    destination: '/etc/nginx/conf.d/upstream.conf',
    command: { argv: ['systemctl', 'reload', 'nginx'] },
    verify: { pidFile: '/run/nginx.pid', pid: undefined, rollback: true },
  }])
  assert.equal(r.code, 0)
  assert.equal(r.stdout, 'ctmpl doctor: no problems found (1 template; units read: ' +
    'ctmpl.service, nginx.service)\n')
})

test('-unit names ctmpl\'s own unit', async () => {
  const r = await run(['-config', 'c.hcl', '-unit', 'app.service',
    '-unit-dir', join(fixtures, 'self/lib')], [{ destination: '/tmp/x' }])
  assert.equal(r.code, 0, r.stdout) // app.service has no sandbox at all
  const r2 = await run(['-config', 'c.hcl', '-unit', 'ctmpl',
    '-unit-dir', join(fixtures, 'self/lib')], [{ destination: '/tmp/x' }])
  assert.equal(r2.code, 1)
})

test('usage and configuration errors: exit 2', async () => {
  assert.equal((await run([], [])).code, 2)
  assert.equal((await run(['-config', 'a', '-format', 'xml'], [])).code, 2)
  assert.equal((await run(['-bogus'], [])).code, 2)
  assert.equal((await run(['-config', 'a', 'extra'], [])).code, 2)
  let stderr = ''
  const code = await runDoctor(['-config', 'broken.hcl'], {
    loadConfig: async () => { throw new Error('broken.hcl:3:1: unknown key "tempalte"') },
    stdout: () => {}, stderr: (s) => { stderr += s } })
  assert.equal(code, 2)
  assert.equal(stderr, 'ctmpl doctor: broken.hcl:3:1: unknown key "tempalte"\n')
  const help = await run(['-h'], [])
  assert.equal(help.code, 0)
  assert.match(help.stdout, /-unit-dir value/)
})

// The whole path: `ctmpl doctor` with real configuration files.
const root = fileURLToPath(new URL('../../', import.meta.url))

function ctmpl(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts',
    'doctor', ...args], { cwd: root, encoding: 'utf8' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

test('ctmpl doctor on the story configuration', () => {
  const r = ctmpl(['-config', 'test/doctor/fixtures/story/ctmpl.hcl',
    '-unit-dir', 'test/doctor/fixtures/story/lib', '-format', 'json'])
  assert.equal(r.code, 1, r.stderr)
  const doc = JSON.parse(r.stdout)
  assert.deepEqual(doc.findings.map((f: { rule: string }) => f.rule),
    ['consumer-private-tmp'])
  assert.equal(doc.findings[0].destination, '/tmp/upstream.conf')
})

test('ctmpl doctor on the clean configuration', () => {
  const r = ctmpl(['-config', 'test/doctor/fixtures/clean/ctmpl.hcl',
    '-unit-dir', 'test/doctor/fixtures/clean/etc',
    '-unit-dir', 'test/doctor/fixtures/clean/lib'])
  assert.equal(r.code, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /^ctmpl doctor: no problems found/)
})

test('ctmpl doctor on a broken configuration: exit 2 naming file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctmpl-doctor-'))
  try {
    const file = join(dir, 'bad.hcl')
    writeFileSync(file, 'template {\n  destination = "/etc/x"\n  tempalte = 1\n}\n')
    const r = ctmpl(['-config', file])
    assert.equal(r.code, 2)
    assert.match(r.stderr, new RegExp(`^ctmpl doctor: .*bad\\.hcl:3`))
    assert.equal(r.stdout, '')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('-template flags are reviewed like configured templates', async () => {
  const r = await run(['-template', 'in.tpl:/tmp/up.conf:systemctl reload nginx',
    '-template', 'b.tpl:/tmp/up.conf', '-unit-dir', join(fixtures, 'story/lib')], [])
  assert.equal(r.code, 1)
  assert.deepEqual(r.seen, [], 'no configuration file to load')
  assert.match(r.stdout, /\[consumer-private-tmp\] \/tmp\/up\.conf \(template at -template #1\)/)
  assert.match(r.stdout, /\[duplicate-destination\] \/tmp\/up\.conf/)
  assert.match(r.stdout, /2 templates write \/tmp\/up\.conf \(-template #1, -template #2\)/)
  const bad = await run(['-template', 'only-source.tpl'], [])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /no destination/)
})
